import { cambodiaLure } from '../applications/payloads';
import { withAdminClient } from '../support/databases';
import { insertFlaggedApplication } from '../support/fixtures';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { dropConnectionMidTransaction, rowCounts } from './support';

type User = Awaited<ReturnType<TestContext['userFor']>>;

describe('faults: PostgreSQL connection dropped mid-request', () => {
  let ctx: TestContext;
  let officer: User;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    // Four eyes is every office's default (migration 0040); these tests are about faults, not approval,
    // so a postponement here is final on the officer's decision, as an admin may configure.
    await ctx.database.pool.query("UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-CGK'");
  });
  afterAll(() => ctx.close());

  const expectRetryableUnavailable = (res: { status: number; headers: Record<string, string>; body: unknown }) => {
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/retry/i), details: null } });
  };

  it('given a departure check whose connection is terminated after the application and decision were inserted, then 503 with Retry-After and nothing of it is stored', async () => {
    const before = await rowCounts(ctx);

    const res = await dropConnectionMidTransaction(ctx, () => api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(cambodiaLure()));

    expectRetryableUnavailable(res);
    expect(await rowCounts(ctx)).toEqual(before);
  });

  it('given the dropped connection, when the client retries as advised, then the same request succeeds (the pool replaced the connection)', async () => {
    const retried = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(cambodiaLure());
    expect(retried.status).toBe(201);
    expect(retried.body.caseId).toEqual(expect.any(String));
  });

  it('given a postponement decision whose connection is terminated mid-transaction, then 503, the case is still claimed and no postponement is logged', async () => {
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK' });
    const claim = await api(ctx).post(`/api/v1/cases/${caseRow!.id}/claim`).set(bearer(officer.token));
    expect(claim.status).toBe(200);
    const before = await rowCounts(ctx);

    const res = await dropConnectionMidTransaction(ctx, () =>
      api(ctx)
        .post(`/api/v1/cases/${caseRow!.id}/decision`)
        .set(bearer(officer.token))
        .send({ action: 'postpone', reasonCode: 'incomplete_documents', note: 'Bring the employment contract.' }),
    );

    expectRetryableUnavailable(res);
    expect(await rowCounts(ctx)).toEqual(before);
    const { rows } = await ctx.database.pool.query('SELECT state, claimed_by, action FROM cases WHERE id = $1', [caseRow!.id]);
    expect(rows[0]).toEqual({ state: 'claimed', claimed_by: officer.id, action: null });

    const retried = await api(ctx)
      .post(`/api/v1/cases/${caseRow!.id}/decision`)
      .set(bearer(officer.token))
      .send({ action: 'postpone', reasonCode: 'incomplete_documents', note: 'Bring the employment contract.' });
    expect(retried.status).toBe(200);
    expect(retried.body.state).toBe('decided');
  });
});

describe('faults: readiness reports each dependency', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await withAdminClient((client) => client.query(`ALTER DATABASE "${ctx.databaseName}" ALLOW_CONNECTIONS true`));
    await ctx.close();
  });

  it('given PostgreSQL and the job transport up, when asking /readyz, then 200 with a check per dependency', async () => {
    const res = await api(ctx).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.database).toBe('ok');
    expect(['ok', 'in-process']).toContain(res.body.checks.jobs);
  });

  it('given the database refusing connections, when asking /readyz, then 503 naming the database as unreachable and still reporting the job transport', async () => {
    await withAdminClient(async (client) => {
      await client.query(`ALTER DATABASE "${ctx.databaseName}" ALLOW_CONNECTIONS false`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [ctx.databaseName]);
    });
    try {
      const res = await api(ctx).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('not_ready');
      expect(res.body.checks.database).toBe('unreachable');
      expect(['ok', 'in-process']).toContain(res.body.checks.jobs);
    } finally {
      await withAdminClient((client) => client.query(`ALTER DATABASE "${ctx.databaseName}" ALLOW_CONNECTIONS true`));
    }
    const recovered = await api(ctx).get('/readyz');
    expect(recovered.status).toBe(200);
  });
});
