import { cambodiaLure, japanHoliday, passportForWorkInCambodia, proceduralWorker } from '../applications/payloads';
import { insertFlaggedApplication } from '../support/fixtures';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { count, stricterFiles, uploadRuleSet } from './support';

describe('replay: a stored application re-evaluated under any stored version, writing nothing', () => {
  let ctx: TestContext;
  let admin: string;
  let supervisor: string;
  let officer: string;
  let passportOfficer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await ctx.tokenFor('admin', 'HQ');
    supervisor = await ctx.tokenFor('supervisor', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
  });
  afterAll(() => ctx.close());

  const replay = (id: string, version?: string, token = supervisor) =>
    api(ctx)
      .get(`/api/v1/applications/${id}/replay`)
      .query(version ? { version } : {})
      .set(bearer(token));
  const writes = () => Promise.all(['applications', 'decisions', 'cases', 'audit_log'].map((table) => count(ctx, table)));

  it.each([
    ['the textbook lure', '/departure-checks', cambodiaLure, 'officer'],
    ['a family holiday', '/departure-checks', japanHoliday, 'officer'],
    ['a procedural worker', '/departure-checks', proceduralWorker, 'officer'],
    ['a passport for work in Cambodia', '/passport-applications', passportForWorkInCambodia, 'passport'],
  ] as const)('given %s screened at intake, when replayed under the version it was screened with, then the decision equals the stored one', async (_name, path, body, who) => {
    const screened = await api(ctx).post(`/api/v1${path}`).set(bearer(who === 'officer' ? officer : passportOfficer)).send(body());
    expect(screened.status).toBe(201);
    const before = await writes();

    const res = await replay(screened.body.id, screened.body.decision.ruleSetVersion);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(screened.body.decision.ruleSetVersion);
    expect(res.body.decision).toEqual(screened.body.decision);
    expect(res.body.matchesStoredDecision).toBe(true);
    expect(res.body.storedDecision).toMatchObject({ trigger: 'intake', outcome: screened.body.decision.outcome, score: screened.body.decision.score });
    expect(await writes()).toEqual(before);
  });

  it('given applications whose decisions depended on linked applications, when replayed later, then each sees the facts as at its receipt, like intake did', async () => {
    const travellers = ['3201234509870101', '3201234509870102', '3201234509870103'];
    const screened = [];
    for (const nik of travellers) {
      const body = cambodiaLure();
      body.traveller.nik = nik;
      const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(body);
      expect(res.status).toBe(201);
      screened.push(res.body);
    }
    const linked = (decision: { hits: Array<{ ruleId: string }> }) => decision.hits.some((h) => h.ruleId === 'context.link-cluster');
    // The first had nobody before it sharing the recruiter's number; the third had two.
    expect(linked(screened[0].decision)).toBe(false);
    expect(linked(screened[2].decision)).toBe(true);

    for (const stored of screened) {
      const res = await replay(stored.id, stored.decision.ruleSetVersion);
      expect(res.body.decision).toEqual(stored.decision);
      expect(res.body.matchesStoredDecision).toBe(true);
    }
  });

  it('given a stricter draft, when a stored application is replayed under it, then the new outcome shows and the stored decision is untouched', async () => {
    const holiday = japanHoliday();
    holiday.trip.destinationCountry = 'KH';
    const screened = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(holiday);
    expect(screened.body.decision.outcome).toBe('CLEAR');
    const stricter = await uploadRuleSet(ctx, admin, stricterFiles());
    const before = await writes();

    const res = await replay(screened.body.id, stricter);
    expect(res.status).toBe(200);
    expect(res.body.decision).toMatchObject({ outcome: 'REVIEW', score: 20, ruleSetVersion: stricter });
    expect(res.body.decision.hits.map((h: { ruleId: string }) => h.ruleId)).toEqual(['destination.cambodia']);
    expect(res.body.storedDecision).toBeNull();
    expect(res.body.matchesStoredDecision).toBeNull();
    expect(await writes()).toEqual(before);

    const stored = await api(ctx).get(`/api/v1/applications/${screened.body.id}`).set(bearer(supervisor));
    expect(stored.body.decisions).toHaveLength(1);
    expect(stored.body.decision).toMatchObject({ outcome: 'CLEAR', ruleSetVersion: screened.body.decision.ruleSetVersion });
  });

  it('given no version, when replayed, then the active version is used', async () => {
    const screened = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure());
    const res = await replay(screened.body.id);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(ctx.screener.ruleSetVersion);
  });

  it('given callers without the right or the scope, or unknown ids and versions, when replaying, then 403 or 404', async () => {
    const screened = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure());
    expect((await replay(screened.body.id, undefined, officer)).status).toBe(403);
    const elsewhere = await ctx.tokenFor('supervisor', 'TPI-DPS');
    expect((await replay(screened.body.id, undefined, elsewhere)).status).toBe(404);
    expect((await replay(screened.body.id, undefined, await ctx.tokenFor('supervisor', 'TPI-CGK'))).status).toBe(200);
    expect((await replay(screened.body.id, 'rs-0000000000000000')).status).toBe(404);
    expect((await replay('6f1c2a52-5a0e-4a53-9f0e-2d7d3c1b9e10')).status).toBe(404);
    expect((await replay(screened.body.id, 'not-a-version')).status).toBe(400);
  });

  it('given a stored payload that is not a valid application, when replayed, then 422', async () => {
    const { applicationId } = await insertFlaggedApplication(ctx.database.db);
    const res = await replay(applicationId);
    expect(res.status).toBe(422);
  });
});
