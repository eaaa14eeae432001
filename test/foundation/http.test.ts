import { insertFlaggedApplication } from '../support/fixtures';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

describe('HTTP edge behaviour', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('given a person opening the bare address, when requesting /, then they are sent to the console', async () => {
    const res = await api(ctx).get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/console/');
  });

  it('given a malformed JSON body, when posting, then 400 MALFORMED_JSON in the error format', async () => {
    const res = await api(ctx).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"username": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'MALFORMED_JSON', message: expect.any(String), details: null } });
  });

  it('given a body over the limit, when posting, then 413', async () => {
    const res = await api(ctx).post('/api/v1/auth/login').send({ username: 'x', password: 'y'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('given a form-encoded body, when posting, then 415', async () => {
    const res = await api(ctx).post('/api/v1/auth/login').type('form').send('username=a&password=b');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('given a body with a missing field and an unknown one, when posting, then 400 naming both paths', async () => {
    const res = await api(ctx).post('/api/v1/auth/login').send({ username: 'a', extra: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['extra', 'password']);
  });

  it('given an unknown API route and no token, when requesting, then 401 (routes are not mapped for strangers)', async () => {
    expect((await api(ctx).get('/api/v1/nothing-here')).status).toBe(401);
  });

  it('given an unknown route, when a signed-in user requests it, then 404 in the error format with a request id', async () => {
    const token = await ctx.tokenFor('officer', 'TPI-CGK');
    const res = await api(ctx).get('/api/v1/nothing-here').set(bearer(token));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
  });

  it('given a caller-supplied request id, when requesting, then it is echoed back', async () => {
    const res = await api(ctx).get('/healthz').set('X-Request-Id', 'gateway-abc-123');
    expect(res.headers['x-request-id']).toBe('gateway-abc-123');
  });

  it('given a running database and job transport, when asking readiness, then 200 with each check', async () => {
    const res = await api(ctx).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks.database).toBe('ok');
    expect(res.body.checks.jobs).toBe(process.env.REDIS_URL ? 'ok' : 'in-process');
  });

  it('given any response, then security headers are set and the framework is not advertised', async () => {
    const res = await api(ctx).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('metrics', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ METRICS_TOKEN: 'scrape-token-0123456789' });
  });
  afterAll(() => ctx.close());

  it('given a scrape token is configured, when scraping without it, then 401; with it, latency by route pattern', async () => {
    await api(ctx).get('/healthz');
    expect((await api(ctx).get('/metrics')).status).toBe(401);
    const res = await api(ctx).get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/saring_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/);
  });

  it('given flagged cases in two offices, when scraping, then queue depth and oldest age per office and state, and pool usage, are reported', async () => {
    await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK' });
    await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK' });
    await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-DPS' });
    const res = await api(ctx).get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789');
    expect(res.text).toMatch(/saring_queue_cases\{office="TPI-CGK",state="open"\} 2\n/);
    expect(res.text).toMatch(/saring_queue_cases\{office="TPI-DPS",state="open"\} 1\n/);
    expect(res.text).toMatch(/saring_queue_oldest_case_age_seconds\{office="TPI-CGK",state="open"\} \d/);
    expect(res.text).toMatch(/saring_db_pool_connections \d+/);
    expect(res.text).toMatch(/saring_db_pool_waiting 0/);
    expect(res.text).toMatch(/saring_jobs\{state="failed"\} \d+/);
    expect(res.text).toMatch(/saring_job_outbox_undispatched \d+/);
  });
});
