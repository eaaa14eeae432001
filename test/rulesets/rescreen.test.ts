import { cambodiaLure, passportForWorkInCambodia } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { eventually, milderFiles, uploadRuleSet } from './support';

describe('re-screening open cases after a publish', () => {
  let ctx: TestContext;
  let admin: string;
  let officer: string;
  let original: string;
  let milder: string;
  type Screened = { id: string; caseId: string; outcome: string };
  let lure: Screened;
  let decided: Screened;
  let passport: Screened;

  const decisionsOf = async (applicationId: string) =>
    (await ctx.database.pool.query('select * from decisions where application_id = $1 order by created_at, id', [applicationId])).rows;
  const rescreen = (body: object = {}, version = milder, token = admin) => api(ctx).post(`/api/v1/rulesets/${version}/rescreen`).set(bearer(token)).send(body);
  const finished = async (location: string, token = admin) =>
    eventually(
      async () => (await api(ctx).get(location).set(bearer(token))).body,
      (body) => body.state === 'done' || body.state === 'failed',
    );

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.jobs.startWorking();
    admin = await ctx.tokenFor('admin', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    const passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
    const screen = async (path: string, token: string, body: object) => {
      const res = await api(ctx).post(`/api/v1${path}`).set(bearer(token)).send(body);
      expect(res.body.caseId).toEqual(expect.any(String));
      return { id: res.body.id as string, caseId: res.body.caseId as string, outcome: res.body.decision.outcome as string };
    };
    lure = await screen('/departure-checks', officer, cambodiaLure());
    decided = await screen('/departure-checks', officer, cambodiaLure());
    passport = await screen('/passport-applications', passportOfficer, passportForWorkInCambodia());
    // A case a person has already decided is not re-screened.
    await ctx.database.pool.query("update cases set state = 'decided', action = 'clear', decided_at = now() where id = $1", [decided.caseId]);
    original = ctx.screener.ruleSetVersion;
    milder = await uploadRuleSet(ctx, admin, milderFiles());
  });
  afterAll(() => ctx.close());

  it('given a version that is not active, when a re-screen is asked for, then 409 and nothing is queued', async () => {
    const res = await rescreen();
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/not the active one/);
    expect((await ctx.database.pool.query('select count(*)::int as n from rule_set_rescreens')).rows[0].n).toBe(0);
  });

  it('given a published version, when the open cases are re-screened, then each gets a new decision linked to the old one, and the old one is unchanged', async () => {
    const [before] = await decisionsOf(lure.id);
    expect(lure.outcome).toBe('POSTPONE_RECOMMENDED');
    // Under the milder set nothing is postponed: POSTPONE_RECOMMENDED becomes REVIEW, REVIEW stays.
    const changes = [lure, passport].filter((s) => s.outcome === 'POSTPONE_RECOMMENDED').length;
    expect((await api(ctx).post(`/api/v1/rulesets/${milder}/publish`).set(bearer(admin))).status).toBe(200);

    const res = await rescreen();
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ version: milder, state: 'queued', total: 2 });
    const run = await finished(res.headers.location!);
    expect(run).toMatchObject({ state: 'done', processed: 2, rescreened: 2, outcomeChanged: changes, alreadyCurrent: 0, failed: 0 });

    const rows = await decisionsOf(lure.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(before);
    expect(rows[1]).toMatchObject({ trigger: 'rescreen', supersedes_decision_id: before.id, rule_set_version: milder, outcome: 'REVIEW', score: before.score });
    expect(rows[1].hits).toEqual(before.hits);

    const view = await api(ctx).get(`/api/v1/applications/${lure.id}`).set(bearer(officer));
    expect(view.body).toMatchObject({ outcome: 'REVIEW', ruleSetVersion: milder, caseState: 'open', caseId: lure.caseId });
    expect(view.body.decision).toMatchObject({ outcome: 'REVIEW', ruleSetVersion: milder });
    expect(view.body.decisions).toHaveLength(2);

    expect(await decisionsOf(passport.id)).toHaveLength(2);
    expect(await decisionsOf(decided.id)).toHaveLength(1);
    const audit = await ctx.database.pool.query("select before, after from audit_log where action = 'application.rescreened' and target_id = $1", [lure.id]);
    expect(audit.rows).toEqual([
      {
        before: { decisionId: before.id, outcome: 'POSTPONE_RECOMMENDED', score: before.score, ruleSetVersion: original },
        after: { decisionId: rows[1].id, outcome: 'REVIEW', score: before.score, ruleSetVersion: milder, rescreenId: res.body.id },
      },
    ]);
  });

  it('given cases already re-screened under the version, when re-screened again, then nothing new is written', async () => {
    const res = await rescreen();
    const run = await finished(res.headers.location!);
    expect(run).toMatchObject({ state: 'done', processed: 2, rescreened: 0, alreadyCurrent: 2 });
    expect(await decisionsOf(lure.id)).toHaveLength(2);
  });

  it('given a rollback, when re-screened under the restored version, then a third decision supersedes the second', async () => {
    expect((await api(ctx).post(`/api/v1/rulesets/${milder}/rollback`).set(bearer(admin))).body.active).toBe(original);
    const res = await rescreen({ kind: 'departure' }, original);
    const run = await finished(res.headers.location!);
    expect(run).toMatchObject({ state: 'done', processed: 1, rescreened: 1, outcomeChanged: 1 });
    const rows = await decisionsOf(lure.id);
    expect(rows.map((r) => r.trigger)).toEqual(['intake', 'rescreen', 'rescreen']);
    expect(rows[2]).toMatchObject({ supersedes_decision_id: rows[1].id, rule_set_version: original, outcome: 'POSTPONE_RECOMMENDED' });
    expect(await decisionsOf(passport.id)).toHaveLength(2);
  });

  it('given a supervisor posted at a checkpoint, when re-screening, then only that office is re-screened and another office is refused', async () => {
    const supervisor = await ctx.tokenFor('supervisor', 'TPI-CGK');
    expect((await rescreen({ office: 'KANIM-KARAWANG' }, original, supervisor)).status).toBe(422);
    const res = await rescreen({}, original, supervisor);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ officeCode: 'TPI-CGK', total: 1 });
    const run = await finished(res.headers.location!, supervisor);
    expect(run).toMatchObject({ state: 'done', processed: 1, alreadyCurrent: 1 });
    expect((await rescreen({}, original, officer)).status).toBe(403);
  });
});
