import { cambodiaLure } from '../applications/payloads';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TokenService } from '../../src/auth/tokens';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

describe('authentication', () => {
  let ctx: TestContext;
  let officer: Awaited<ReturnType<TestContext['userFor']>>;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  const sign = (payload: object, secret: string, options: jwt.SignOptions) => jwt.sign(payload, secret, options);
  const validClaims = () => ({ role: 'officer', office: 'TPI-CGK', tv: 0 });
  const validOptions = (): jwt.SignOptions => ({ algorithm: 'HS256', subject: officer.id, issuer: 'saring', audience: 'saring-api', expiresIn: 600 });

  it('given the right password, when logging in, then a token for the user, role and office is returned', async () => {
    const res = await api(ctx).post('/api/v1/auth/login').send({ username: officer.username, password: officer.password });
    expect(res.status).toBe(200);
    const claims = jwt.decode(res.body.token) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: officer.id, role: 'officer', office: 'TPI-CGK', iss: 'saring', aud: 'saring-api' });
    expect(claims.exp).toBeGreaterThan(claims.iat!);
    const me = await api(ctx).get('/api/v1/me').set(bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body.principal).toMatchObject({ userId: officer.id, role: 'officer', officeCode: 'TPI-CGK' });
  });

  it('given a wrong password or an unknown user, when logging in, then both get the same 401', async () => {
    const wrongPassword = await api(ctx).post('/api/v1/auth/login').send({ username: officer.username, password: 'not-it-at-all' });
    const unknownUser = await api(ctx).post('/api/v1/auth/login').send({ username: 'nobody.here', password: 'not-it-at-all' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownUser.body);
    expect(wrongPassword.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('given a token with alg none, when calling the API, then 401', async () => {
    const unsigned = jwt.sign({ ...validClaims(), sub: officer.id, iss: 'saring', aud: 'saring-api' }, '', { algorithm: 'none' });
    const res = await api(ctx).get('/api/v1/me').set(bearer(unsigned));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('given a token signed with another secret, when calling the API, then 401', async () => {
    const forged = sign(validClaims(), 'another-secret-that-is-also-long-enough-000', validOptions());
    expect((await api(ctx).get('/api/v1/me').set(bearer(forged))).status).toBe(401);
  });

  it('given an expired token, when calling the API, then 401 saying it expired', async () => {
    const { expiresIn: _ignored, ...withoutExpiry } = validOptions();
    const expired = sign({ ...validClaims(), exp: Math.floor(Date.now() / 1000) - 60 }, ctx.config.JWT_SECRET, withoutExpiry);
    const res = await api(ctx).get('/api/v1/me').set(bearer(expired));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/i);
  });

  it('given a token for another audience, when calling the API, then 401', async () => {
    const wrongAudience = sign(validClaims(), ctx.config.JWT_SECRET, { ...validOptions(), audience: 'some-other-api' });
    expect((await api(ctx).get('/api/v1/me').set(bearer(wrongAudience))).status).toBe(401);
  });

  it('given a correctly signed token, when calling the API, then it is accepted (the refusals above are not vacuous)', async () => {
    const good = sign(validClaims(), ctx.config.JWT_SECRET, validOptions());
    expect((await api(ctx).get('/api/v1/me').set(bearer(good))).status).toBe(200);
  });

  it('given no token, when calling the API, then 401 in the error format', async () => {
    const res = await api(ctx).get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String), details: null } });
  });

  it('given an officer, when calling an admin-only endpoint, then 403', async () => {
    const res = await api(ctx).patch('/api/v1/offices/TPI-CGK').set(bearer(officer.token)).send({ requiresPostponementApproval: true });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('given an admin, when changing office settings, then it is saved', async () => {
    const admin = await ctx.tokenFor('admin', 'HQ');
    const res = await api(ctx).patch('/api/v1/offices/TPI-DPS').set(bearer(admin)).send({ requiresPostponementApproval: true });
    expect(res.status).toBe(200);
    expect(res.body.requiresPostponementApproval).toBe(true);
  });

  it('given a password change, when the old token is used, then it has been revoked', async () => {
    const user = await ctx.userFor('supervisor', 'TPI-CGK');
    const change = await api(ctx).post('/api/v1/auth/password').set(bearer(user.token)).send({ currentPassword: user.password, newPassword: 'a-brand-new-password' });
    expect(change.status).toBe(204);
    const res = await api(ctx).get('/api/v1/me').set(bearer(user.token));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/revoked/);
  });

  it('given an admin, when creating a user, then that user can log in; a duplicate username is 409', async () => {
    const admin = await ctx.tokenFor('admin', 'HQ');
    const body = { username: 'petugas.baru', displayName: 'Petugas Baru', password: 'long-enough-pass', role: 'passport_officer', officeCode: 'KANIM-MEDAN' };
    expect((await api(ctx).post('/api/v1/users').set(bearer(admin)).send(body)).status).toBe(201);
    expect((await api(ctx).post('/api/v1/users').set(bearer(admin)).send(body)).status).toBe(409);
    const login = await api(ctx).post('/api/v1/auth/login').send({ username: 'Petugas.Baru', password: 'long-enough-pass' });
    expect(login.status).toBe(200);
  });
});

describe('tokens from an external identity provider', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({
      JWT_EXTERNAL_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      JWT_EXTERNAL_ALGORITHM: 'RS256',
      JWT_EXTERNAL_ISSUER: 'https://idp.imigrasi.example',
    });
  });
  afterAll(() => ctx.close());

  const idpToken = (issuer: string) =>
    jwt.sign({ role: 'supervisor', office: 'TPI-SUB' }, privateKey, { algorithm: 'RS256', subject: 'idp-user-7', issuer, audience: 'saring-api', expiresIn: 300 });

  it('given an RS256 token from the configured IdP, when calling the API, then its claims are used', async () => {
    const res = await api(ctx).get('/api/v1/me').set(bearer(idpToken('https://idp.imigrasi.example')));
    expect(res.status).toBe(200);
    expect(res.body.principal).toMatchObject({ userId: 'idp-user-7', role: 'supervisor', officeCode: 'TPI-SUB' });
  });

  it('given an IdP token (its subject is no uuid of ours), when it changes a password or writes a case note, then the password change is refused with 403 and the note is written without an author name, never a 500', async () => {
    const token = idpToken('https://idp.imigrasi.example');
    const password = await api(ctx).post('/api/v1/auth/password').set(bearer(token)).send({ currentPassword: 'whatever-it-was', newPassword: 'a-new-long-password' });
    expect(password.status).toBe(403);
    expect(password.body.error.message).toContain('identity provider');

    const officer = await ctx.tokenFor('officer', 'TPI-SUB');
    const screened = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure());
    expect(screened.status).toBe(201);
    const note = await api(ctx).post(`/api/v1/cases/${screened.body.caseId}/notes`).set(bearer(token)).send({ body: 'Dicatat oleh supervisor lewat SSO.' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ authorId: 'idp-user-7', authorName: null });
  });

  it('given an RS256 token from another issuer, when calling the API, then 401', async () => {
    expect((await api(ctx).get('/api/v1/me').set(bearer(idpToken('https://evil.example')))).status).toBe(401);
  });

  it('given an HS256 token signed with the public key as secret (key confusion), when calling the API, then 401', async () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const confused = jwt.sign({ role: 'admin', office: 'HQ' }, pem, { algorithm: 'HS256', subject: 'x', issuer: 'saring', audience: 'saring-api' });
    expect((await api(ctx).get('/api/v1/me').set(bearer(confused))).status).toBe(401);
  });
});

describe('JWT key rotation', () => {
  const oldSecret = 'the-secret-being-rotated-out-0123456789';
  const newSecret = 'the-secret-now-in-use-abcdefghijklmnop';
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ JWT_SECRET: newSecret, JWT_PREVIOUS_SECRET: oldSecret });
  });
  afterAll(() => ctx.close());

  it('given a token signed before the rotation, when calling the API with the previous secret configured, then it is still accepted', async () => {
    const user = await ctx.userFor('officer', 'TPI-CGK');
    const before = new TokenService({ ...ctx.config, JWT_SECRET: oldSecret, JWT_PREVIOUS_SECRET: undefined }).issue({ id: user.id, role: 'officer', officeCode: 'TPI-CGK', tokenVersion: 0 });
    expect((await api(ctx).get('/api/v1/me').set(bearer(before.token))).status).toBe(200);
    expect((await api(ctx).get('/api/v1/me').set(bearer(user.token))).status).toBe(200);
  });

  it('given a token signed with an unknown secret that claims the old key id, when calling the API, then 401', async () => {
    const user = await ctx.userFor('officer', 'TPI-CGK');
    const genuine = new TokenService({ ...ctx.config, JWT_SECRET: oldSecret, JWT_PREVIOUS_SECRET: undefined }).issue({ id: user.id, role: 'officer', officeCode: 'TPI-CGK', tokenVersion: 0 });
    const kid = jwt.decode(genuine.token, { complete: true })!.header.kid;
    const forged = jwt.sign({ role: 'admin', office: 'HQ', tv: 0 }, 'an-attacker-secret-0123456789abcdefgh', { algorithm: 'HS256', subject: user.id, issuer: 'saring', audience: 'saring-api', keyid: kid });
    expect((await api(ctx).get('/api/v1/me').set(bearer(forged))).status).toBe(401);
  });
});

describe('login rate limiting', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => ctx.close());

  it('given repeated wrong passwords for one username, when the limit is passed, then 429 even with the right password; another user is unaffected', async () => {
    const victim = await ctx.userFor('officer', 'TPI-CGK');
    const other = await ctx.userFor('officer', 'TPI-CGK');
    for (let i = 0; i < 3; i++) {
      expect((await api(ctx).post('/api/v1/auth/login').send({ username: victim.username, password: 'guess-' + i })).status).toBe(401);
    }
    const blocked = await api(ctx).post('/api/v1/auth/login').send({ username: victim.username, password: victim.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect((await api(ctx).post('/api/v1/auth/login').send({ username: other.username, password: other.password })).status).toBe(200);
  });
});
