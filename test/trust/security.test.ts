import jwt from 'jsonwebtoken';
import { ConfigError, loadConfig } from '../../src/config';
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
});
