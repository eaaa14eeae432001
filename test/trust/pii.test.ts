import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { createApp } from '../../src/app';
import { maskIdentifier } from '../../src/audit/identifiers';
import { createLogger } from '../../src/logger';
import { cambodiaLure, passportForWorkInCambodia } from '../applications/payloads';
import { bearer, createTestContext, type TestContext } from '../support/harness';
import { dropConnectionMidTransaction } from './support';

type User = Awaited<ReturnType<TestContext['userFor']>>;

/** Every personal number the flow below sends, in the forms it is sent and stored. */
const traveller = { nik: '3201235403010001', passport: 'C1234567', phoneSent: '0812-3456-7890', phoneStored: '+6281234567890', recruiterStored: '+85512345678' };
const applicant = { nik: '3215010101000004', phoneSent: '0813-9876-5432', phoneStored: '+6281398765432' };
const personalNumbers = [
  traveller.nik,
  traveller.passport,
  traveller.passport.toLowerCase(),
  traveller.phoneSent,
  traveller.phoneStored,
  '81234567890',
  traveller.recruiterStored,
  '85512345678',
  '855 12 345 678',
  applicant.nik,
  applicant.phoneSent,
  applicant.phoneStored,
  '81398765432',
];

describe('personal data', () => {
  let ctx: TestContext;
  let app: Express;
  let officer: User;
  let passportOfficer: User;
  let supervisor: User;
  let hqAdmin: User;
  const lines: string[] = [];

  beforeAll(async () => {
    ctx = await createTestContext();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // The app as production wires it, with the production logger at its most verbose, writing here.
    app = createApp({ config: ctx.config, db: ctx.database.db, jobs: ctx.jobs, screener: ctx.screener, logger: createLogger('trace', false, sink) });
    officer = await ctx.userFor('officer', 'TPI-CGK');
    passportOfficer = await ctx.userFor('passport_officer', 'KANIM-KARAWANG');
    supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
    hqAdmin = await ctx.userFor('admin', 'HQ');
  });
  afterAll(() => ctx.close());

  const call = (token: string | null) => {
    const agent = request(app);
    return {
      get: (path: string) => (token ? agent.get(path).set(bearer(token)) : agent.get(path)),
      post: (path: string, body: object = {}) => (token ? agent.post(path).set(bearer(token)) : agent.post(path)).send(body),
    };
  };

  it('given a full flow (intake, search, review decision, postponement log, a bad request, a dropped connection), when everything is logged at trace level, then no NIK, passport or phone number appears', async () => {
    const departure = await call(officer.token).post('/api/v1/departure-checks', cambodiaLure());
    expect(departure.status).toBe(201);
    const passport = await call(passportOfficer.token).post('/api/v1/passport-applications', {
      ...passportForWorkInCambodia(),
      applicant: { ...passportForWorkInCambodia().applicant, phone: applicant.phoneSent },
    });
    expect(passport.status).toBe(201);

    for (const q of [traveller.nik, traveller.passport]) {
      const found = await call(supervisor.token).get(`/api/v1/applications?q=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      expect(found.body.items.map((item: { id: string }) => item.id)).toContain(departure.body.id);
    }
    expect((await call(officer.token).get(`/api/v1/applications/${departure.body.id}`)).status).toBe(200);

    const next = await call(officer.token).post('/api/v1/cases/next');
    expect(next.status).toBe(200);
    expect(next.body.application.nik).toBe(traveller.nik);
    const decided = await call(officer.token).post(`/api/v1/cases/${next.body.id}/decision`, {
      action: 'postpone',
      reasonCode: 'incomplete_documents',
      note: 'Bring the employment contract.',
    });
    expect(decided.status).toBe(200);
    expect((await call(supervisor.token).get('/api/v1/postponements')).status).toBe(200);
    expect((await call(supervisor.token).get('/api/v1/postponements/export.csv')).status).toBe(200);

    const bad = await call(officer.token).post('/api/v1/departure-checks', { ...cambodiaLure(), trip: 'not an object' });
    expect(bad.status).toBe(400);
    const wrongLogin = await call(null).post('/api/v1/auth/login', { username: traveller.phoneStored, password: traveller.nik });
    expect(wrongLogin.status).toBe(401);

    const dropped = await dropConnectionMidTransaction(ctx, () => request(app).post('/api/v1/departure-checks').set(bearer(officer.token)).send(cambodiaLure()));
    expect(dropped.status).toBe(503);

    const text = lines.join('');
    // The capture is real: every request above left a line, and the 503 left its error.
    expect(lines.length).toBeGreaterThanOrEqual(12);
    for (const path of ['/api/v1/departure-checks', '/api/v1/passport-applications', '/api/v1/applications', '/api/v1/cases/next', '/api/v1/postponements/export.csv', '/api/v1/auth/login']) {
      expect(text).toContain(`"path":"${path}"`);
    }
    expect(lines.some((line) => line.includes('"level":50') && line.includes('"err"'))).toBe(true);
    for (const secret of personalNumbers) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
  });

  it('given error paths (a NIK with a NUL in a search, a batch CSV whose NIK cell has a stray quote, a JSON-lines row with a NUL, a search whose connection drops), when logged at trace level, then no NIK, passport or phone number appears', async () => {
    const from = lines.length;
    const nulSearch = await call(supervisor.token).get(`/api/v1/applications?q=${encodeURIComponent(`${traveller.nik}\u0000`)}`);
    expect(nulSearch.status).toBe(400);

    // csv-parse quotes the cell in its message ("value is \"3201234509870001\"") and keeps it on the error.
    const strayQuote = await request(app)
      .post('/api/v1/batches')
      .set(bearer(officer.token))
      .set('Content-Type', 'text/csv')
      .send(`traveller.fullName,traveller.nik,traveller.phone\nRina Marlina,${traveller.nik}",${traveller.phoneSent}\n`);
    expect(strayQuote.status).toBe(400);
    expect(strayQuote.body.error.code).toBe('MALFORMED_CSV');

    const lure = cambodiaLure();
    const nulRow = await request(app)
      .post('/api/v1/batches')
      .set(bearer(officer.token))
      .set('Content-Type', 'application/x-ndjson')
      .send(`${JSON.stringify({ ...lure, traveller: { ...lure.traveller, fullName: 'Rina\u0000Marlina' } })}\n`);
    expect(nulRow.status).toBe(202);
    expect(nulRow.body.counts).toEqual({ received: 1, accepted: 0, rejected: 1 });

    // A search whose connection drops: drizzle's error carries the statement's parameters, the NIK searched for.
    const dropped = await dropConnectionMidTransaction(ctx, () => call(supervisor.token).get(`/api/v1/applications?q=${traveller.nik}`), 'applications', 'ACCESS EXCLUSIVE');
    expect(dropped.status).toBe(503);

    const logged = lines.slice(from);
    const text = logged.join('');
    // The capture is real: the 503 left its error with the failed statement (parameters redacted).
    const errorLines = logged.filter((line) => line.includes('"level":50') && line.includes('"err"'));
    expect(errorLines.length).toBeGreaterThanOrEqual(1);
    expect(errorLines.some((line) => line.includes('Failed query') && line.includes('params: [redacted]'))).toBe(true);
    expect(text).toContain('"statusCode":400');
    for (const secret of [...personalNumbers, 'Rina\\u0000Marlina']) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    // Nothing shaped like a NIK, an E.164 phone number or an Indonesian passport number, whatever its source.
    expect(text.match(/(?<![0-9])[0-9]{16}(?![0-9])|\+[0-9]{9,15}(?![0-9])|(?<![A-Za-z0-9])[A-Z][0-9]{7}(?![A-Za-z0-9])/g)).toBeNull();
  });

  it('given an error carrying personal data in its message, its properties and its cause, when any logger of the app logs it (the root, a child with its own serializers, pino-http), then the numbers are scrubbed', () => {
    const captured: string[] = [];
    const logger = createLogger('info', false, new Writable({ write: (chunk, _encoding, done) => (captured.push(String(chunk)), done()) }));
    const csv = Object.assign(new Error(`Invalid Opening Quote: a quote is found on field 1 at line 2, value is "${traveller.nik}"`), {
      code: 'INVALID_OPENING_QUOTE',
      field: traveller.nik,
      record: ['Rina', traveller.nik, traveller.phoneStored],
      lines: 2,
      cause: new Error(`passport ${traveller.passport} phone ${traveller.phoneStored}`),
    });
    logger.error({ err: csv }, 'request failed');
    logger.child({}, { serializers: { err: (e: unknown) => e } }).error({ err: csv }, 'request failed');
    logger.warn({ error: csv, note: `reached ${traveller.nik}` }, `free text with ${traveller.phoneStored}`);

    const text = captured.join('');
    expect(captured).toHaveLength(3);
    expect(text).toContain('INVALID_OPENING_QUOTE');
    expect(text).toContain('"lines":2');
    for (const secret of [traveller.nik, traveller.phoneStored, traveller.passport]) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
  });

  it('given a failed query that carried a NIK and phone number, when the error is logged, then neither the parameters nor the key detail appear', () => {
    const captured: string[] = [];
    const logger = createLogger('info', false, new Writable({ write: (chunk, _encoding, done) => (captured.push(String(chunk)), done()) }));
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "applications_nik"'), {
      code: '23505',
      detail: `Key (nik)=(${traveller.nik}) already exists.`,
    });
    logger.error({ err: new DrizzleQueryError('insert into "applications" ("nik", "recruiter_phone") values ($1, $2)', [traveller.nik, `note\n${traveller.phoneStored}`], cause) }, 'request failed');

    const text = captured.join('');
    expect(text).toContain('insert into \\"applications\\"');
    expect(text).toContain('duplicate key value violates unique constraint');
    expect(text).not.toContain(traveller.nik);
    expect(text).not.toContain(traveller.phoneStored);
  });

  describe('list views', () => {
    const listed = async (token: string, q: string) => {
      const res = await call(token).get(`/api/v1/applications?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      return res.body.items as { nik: string; passportNumber: string | null }[];
    };

    it('given a supervisor, when listing applications, then NIK and passport numbers are masked, and the exact NIK and passport number still find them', async () => {
      for (const q of [traveller.nik, traveller.passport]) {
        const items = await listed(supervisor.token, q);
        expect(items.every((item) => item.nik === '3201********0001' && item.passportNumber === 'C*****67')).toBe(true);
      }
    });

    it('given a headquarters admin, when listing applications nationally, then the numbers are masked too', async () => {
      const items = await listed(hqAdmin.token, applicant.nik);
      expect(items.every((item) => item.nik === '3215********0004' && item.passportNumber === null)).toBe(true);
    });

    it('given an officer at the counter, when listing, then the full numbers are shown to match the person in front of them', async () => {
      const items = await listed(officer.token, traveller.nik);
      expect(items.every((item) => item.nik === traveller.nik && item.passportNumber === traveller.passport)).toBe(true);
    });

    it('given a masked list, when a partial NIK is searched, then it is treated as a name and finds nothing (no prefix search on identifiers)', async () => {
      const res = await call(supervisor.token).get(`/api/v1/applications?q=${traveller.nik.slice(0, 8)}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it.each([
      ['3201235403010001', '3201********0001'],
      ['C1234567', 'C*****67'],
      ['AB1234567', 'AB*****67'],
      ['123', '***'],
    ])('given %s, when masked, then %s', (value, masked) => {
      expect(maskIdentifier(value)).toBe(masked);
    });
  });
});
