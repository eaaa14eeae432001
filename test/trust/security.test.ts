import jwt from 'jsonwebtoken';
import { ConfigError, loadConfig } from '../../src/config';
import { readRuleSetDirectory } from '../../src/rulesets/loading';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

type User = Awaited<ReturnType<TestContext['userFor']>>;

describe('security hardening', () => {
  describe('CORS, closed by default', () => {
    let ctx: TestContext;
    let officer: User;
    beforeAll(async () => {
      ctx = await createTestContext();
      officer = await ctx.userFor('officer', 'TPI-CGK');
    });
    afterAll(() => ctx.close());

    it('given no allow-list, when a browser preflights from another origin, then 403 in the error format and no CORS headers', async () => {
      const res = await api(ctx)
        .options('/api/v1/applications')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
    });

    it('given no allow-list, when a page on another origin calls the API anyway, then the answer carries no CORS header a browser would honour', async () => {
      const res = await api(ctx).get('/api/v1/me').set('Origin', 'https://evil.example').set(bearer(officer.token));
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers.vary).toMatch(/Origin/);
    });
  });

  describe('CORS with an allow-list', () => {
    let ctx: TestContext;
    let officer: User;
    beforeAll(async () => {
      ctx = await createTestContext({ CORS_ALLOWED_ORIGINS: 'https://console.imigrasi.example, http://localhost:5173' });
      officer = await ctx.userFor('officer', 'TPI-CGK');
    });
    afterAll(() => ctx.close());

    it('given a listed origin, when it preflights, then 204 allowing its origin, the methods and the Authorization and Idempotency-Key headers, never credentials', async () => {
      const res = await api(ctx)
        .options('/api/v1/departure-checks')
        .set('Origin', 'https://console.imigrasi.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://console.imigrasi.example');
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toMatch(/Authorization.*Content-Type.*Idempotency-Key/);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('given a listed origin, when it calls the API, then its origin is allowed and the request id is exposed', async () => {
      const res = await api(ctx).get('/api/v1/me').set('Origin', 'http://localhost:5173').set(bearer(officer.token));
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
    });

    it('given an origin that only resembles a listed one, when it preflights, then 403', async () => {
      for (const origin of ['https://console.imigrasi.example.evil.example', 'http://console.imigrasi.example', 'null']) {
        const res = await api(ctx).options('/api/v1/me').set('Origin', origin).set('Access-Control-Request-Method', 'GET');
        expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
      }
    });
  });

  describe('configuration', () => {
    it.each([
      ['CORS_ALLOWED_ORIGINS', '*'],
      ['CORS_ALLOWED_ORIGINS', 'https://console.example/app'],
      ['CORS_ALLOWED_ORIGINS', 'console.example'],
      ['JWT_CLOCK_TOLERANCE_SECONDS', '61'],
    ])('given %s=%s, when the configuration loads, then it stops naming the variable', (name, value) => {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    });

    it('given nothing set, then no origin is allowed and the clock tolerance is a few seconds', () => {
      const config = loadConfig({});
      expect(config.CORS_ALLOWED_ORIGINS).toEqual([]);
      expect(config.JWT_CLOCK_TOLERANCE_SECONDS).toBeLessThanOrEqual(5);
    });
  });

  describe('tokens and limits', () => {
    let ctx: TestContext;
    let officer: User;
    beforeAll(async () => {
      ctx = await createTestContext({ JWT_CLOCK_TOLERANCE_SECONDS: '30', API_RATE_LIMIT_PER_MINUTE: '5', LOGIN_RATE_LIMIT: '3' });
      officer = await ctx.userFor('officer', 'TPI-CGK');
    });
    afterAll(() => ctx.close());

    const tokenExpiringAt = (user: User, expSecondsFromNow: number) => {
      const now = Math.floor(Date.now() / 1000);
      return jwt.sign({ role: 'officer', office: 'TPI-CGK', tv: 0, iat: now - 3600, exp: now + expSecondsFromNow }, ctx.config.JWT_SECRET, {
        algorithm: 'HS256',
        subject: user.id,
        issuer: ctx.config.JWT_ISSUER,
        audience: ctx.config.JWT_AUDIENCE,
      });
    };

    it('given a token that expired a few seconds ago (inside the configured skew), then it is still accepted; one expired beyond it is refused', async () => {
      const user = await ctx.userFor('officer', 'TPI-CGK');
      expect((await api(ctx).get('/api/v1/me').set(bearer(tokenExpiringAt(user, -5)))).status).toBe(200);
      const late = await api(ctx).get('/api/v1/me').set(bearer(tokenExpiringAt(user, -120)));
      expect(late.status).toBe(401);
      expect(late.body.error.message).toMatch(/expired/i);
    });

    it('given one signed-in user over the per-user API limit, then 429 in the error format, while another user is unaffected', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await api(ctx).get('/api/v1/me').set(bearer(officer.token))).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const limited = await api(ctx).get('/api/v1/me').set(bearer(officer.token));
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(limited.headers.ratelimit).toBeDefined();
      expect((await api(ctx).get('/api/v1/me').set(bearer(await ctx.tokenFor('officer', 'TPI-CGK')))).status).toBe(200);
    });

    it('given many usernames tried from one address, when over four times the per-user limit, then that address gets 429 whatever username it tries', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 13; i++) statuses.push((await api(ctx).post('/api/v1/auth/login').send({ username: `guess-${i}`, password: 'wrong-password' })).status);
      expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
      expect(statuses[12]).toBe(429);
    });
  });

  describe('crafted tokens (issue 19)', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext();
    });
    afterAll(() => ctx.close());

    const signed = (claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
      jwt.sign({ role: 'admin', office: 'HQ', tv: 0, ...claims }, ctx.config.JWT_SECRET, { algorithm: 'HS256', issuer: ctx.config.JWT_ISSUER, audience: ctx.config.JWT_AUDIENCE, ...options });

    it.each([['not-a-uuid'], ['1'], ["x' or '1'='1"], ['00000000-0000-0000-0000-00000000000g']])(
      'given a correctly signed token of this service whose subject is %s (not a user id), when calling the API, then 401, not 500',
      async (subject) => {
        const res = await api(ctx).get('/api/v1/me').set(bearer(signed({}, { subject, expiresIn: 600 })));
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHENTICATED');
      },
    );

    it('given a correctly signed token for a real user without an expiry, when calling the API, then 401: every token expires', async () => {
      const user = await ctx.userFor('admin', 'HQ');
      expect((await api(ctx).get('/api/v1/me').set(bearer(signed({}, { subject: user.id, expiresIn: 600 })))).status).toBe(200);
      const forever = await api(ctx).get('/api/v1/me').set(bearer(signed({}, { subject: user.id })));
      expect(forever.status).toBe(401);
      expect(forever.body.error.message).toMatch(/exp/);
    });
  });

  describe('password change limited like sign-in (issue 19)', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ LOGIN_RATE_LIMIT: '3' });
    });
    afterAll(() => ctx.close());

    it('given a signed-in token, when the current password is guessed wrong 3 times, then the 4th attempt is refused with 429 even with the right password, and another user is unaffected', async () => {
      const user = await ctx.userFor('officer', 'TPI-CGK');
      const change = (currentPassword: string) => api(ctx).post('/api/v1/auth/password').set(bearer(user.token)).send({ currentPassword, newPassword: 'a-brand-new-password-1' });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await change(`guess-${i}`)).status);
      expect(statuses).toEqual([401, 401, 401]);
      const limited = await change(user.password);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

      const other = await ctx.userFor('officer', 'TPI-CGK');
      expect((await api(ctx).post('/api/v1/auth/password').set(bearer(other.token)).send({ currentPassword: other.password, newPassword: 'a-brand-new-password-2' })).status).toBe(204);
    });
  });

  describe('metrics in production (issue 19)', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'test-secret-that-is-long-enough-0123456789' };
    const contexts: TestContext[] = [];
    const contextWith = async (overrides: Record<string, string>) => {
      const ctx = await createTestContext(overrides);
      contexts.push(ctx);
      return ctx;
    };
    afterAll(async () => {
      for (const ctx of contexts) await ctx.close();
    });

    it('given production without METRICS_TOKEN or METRICS_PUBLIC, when /metrics is scraped, then 401 naming what to set', async () => {
      const ctx = await contextWith(production);
      const res = await api(ctx).get('/metrics');
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/METRICS_TOKEN/);
      expect(res.text).not.toContain('http_request');
    });

    it('given production with METRICS_TOKEN, then only the token opens /metrics', async () => {
      const ctx = await contextWith({ ...production, METRICS_TOKEN: 'a-scrape-token-0123456789' });
      expect((await api(ctx).get('/metrics')).status).toBe(401);
      expect((await api(ctx).get('/metrics').set(bearer('a-scrape-token-wrong-000000'))).status).toBe(401);
      expect((await api(ctx).get('/metrics').set(bearer('a-scrape-token-0123456789'))).status).toBe(200);
    });

    it('given production with METRICS_PUBLIC=true, then /metrics is open on purpose', async () => {
      const ctx = await contextWith({ ...production, METRICS_PUBLIC: 'true' });
      expect((await api(ctx).get('/metrics')).status).toBe(200);
    });
  });

  describe('rule upload with a YAML alias bomb (issue 19)', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext();
    });
    afterAll(() => ctx.close());

    it('given a rule file whose aliases expand to millions of nodes, when uploaded, then 422 naming the file and line of its first alias, quickly', async () => {
      const admin = await ctx.userFor('admin', 'HQ');
      const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
      const bomb = [
        '# nine to the eighth: 43 million strings once expanded',
        ...levels.map((name, i) => `${name}: &${name} [${i === 0 ? Array(9).fill('"lol"').join(', ') : Array(9).fill(`*${levels[i - 1]}`).join(', ')}]`),
        'rules: []',
      ].join('\n');
      const started = Date.now();
      const res = await api(ctx)
        .post('/api/v1/rulesets')
        .set(bearer(admin.token))
        .send({ files: { ...readRuleSetDirectory('rules/default'), 'rules/bomb.yaml': bomb } });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'rules/bomb.yaml', line: 3, message: expect.stringMatching(/alias/i) })]));
    });
  });
});

