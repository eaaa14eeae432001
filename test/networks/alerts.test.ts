import { alertCluster } from '../../src/networks/alerts';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { eventually } from '../webhooks/support';
import { applicationOf, daysFromNow, depart, type Screened, tourist } from './support';

jest.setTimeout(120_000);

/** Cluster alerts recorded for a member, oldest first. */
const alertsOf = (ctx: TestContext, memberId: string) =>
  query<{ result: string; trigger_application_id: string; decision_id: string | null; case_id: string | null }>(
    ctx,
    'SELECT result, trigger_application_id, decision_id, case_id FROM cluster_alerts WHERE member_application_id = $1 ORDER BY created_at, id',
    [memberId],
  );

describe('retroactive cluster alerts', () => {
  let ctx: TestContext;
  let officer: string;
  let supervisor: string;
  let otherSupervisor: string;

  beforeAll(async () => {
    ctx = await createTestContext({ OUTBOX_SWEEP_EVERY_MS: '300' });
    await ctx.jobs.startWorking();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    supervisor = await ctx.tokenFor('supervisor', 'TPI-CGK');
    otherSupervisor = await ctx.tokenFor('supervisor', 'TPI-DPS');
  });
  afterAll(() => ctx.close());

  it('given 4 travellers over 10 days sharing a recruiter phone, the first two CLEAR, when the 3rd is screened, then the 1st and 2nd get cluster decisions and cases; a re-run does nothing more; the 4th re-alerts the undecided and notifies for the decided one', async () => {
    const phone = '0812-9100-0001';
    const first = await depart(ctx, officer, tourist(1, daysFromNow(20), phone));
    const second = await depart(ctx, officer, tourist(2, daysFromNow(23), phone));
    expect([first.decision.outcome, second.decision.outcome]).toEqual(['CLEAR', 'CLEAR']);
    expect([first.caseId, second.caseId]).toEqual([null, null]);

    const third = await depart(ctx, officer, tourist(3, daysFromNow(26), phone));
    expect(third.decision.hits.map((h) => h.ruleId)).toContain('context.link-cluster');

    // The alert runs in the background: wait for both earlier members to have their case.
    for (const earlier of [first, second]) {
      const seen = await eventually(
        () => applicationOf(ctx, supervisor, earlier.id),
        (a) => a.caseId !== null,
      );
      const [latest, original] = seen.decisions;
      expect(seen.decisions).toHaveLength(2);
      expect(latest).toMatchObject({ trigger: 'cluster', outcome: 'REVIEW', supersedesDecisionId: original!.id });
      expect(original).toMatchObject({ trigger: 'intake', outcome: 'CLEAR' });
      // Evaluated with the cluster as context: the link rule cites the other members, the 3rd included.
      const link = latest!.hits.find((h) => h.ruleId === 'context.link-cluster');
      expect((link!.evidence['linked:recruiterPhone'] as { applicationIds: string[] }).applicationIds).toEqual(expect.arrayContaining([third.id]));
      expect(seen.caseState).toBe('open');
      expect(seen.outcome).toBe('REVIEW');
    }
    const cases = await api(ctx).get('/api/v1/cases?state=open').set(bearer(supervisor));
    expect(cases.status).toBe(200);
    expect(cases.body.items.map((c: { applicationId: string }) => c.applicationId)).toEqual(expect.arrayContaining([first.id, second.id, third.id]));
    const audits = await query<{ n: number }>(ctx, "SELECT count(*)::int AS n FROM audit_log WHERE action = 'cluster.alerted' AND after->>'triggerApplicationId' = $1", [third.id]);
    expect(audits[0]!.n).toBe(2);

    // A re-run of the same growth (the job delivered twice) finds every member already alerted.
    const again = await alertCluster({ db: ctx.database.db, screener: ctx.screener, config: ctx.config }, third.id);
    expect(again).toEqual({ members: 2, alerted: {}, already: 2 });
    expect((await applicationOf(ctx, supervisor, first.id)).decisions).toHaveLength(2);
    expect(await alertsOf(ctx, first.id)).toHaveLength(1);

    // A person decides the 1st's case; then the 4th traveller grows the cluster again.
    const firstCase = (await applicationOf(ctx, supervisor, first.id)).caseId!;
    expect((await api(ctx).post(`/api/v1/cases/${firstCase}/claim`).set(bearer(officer))).status).toBe(200);
    const decided = await api(ctx).post(`/api/v1/cases/${firstCase}/decision`).set(bearer(officer)).send({ action: 'clear', reasonCode: 'purpose_credible' });
    expect(decided.status).toBe(200);
    const fourth = await depart(ctx, officer, tourist(4, daysFromNow(29), phone));
    expect(fourth.decision.hits.map((h) => h.ruleId)).toContain('context.link-cluster');

    const forFirst = await eventually(
      () => alertsOf(ctx, first.id),
      (rows) => rows.length === 2,
    );
    // Decided by a person: not re-opened, no new decision; a notification for its office instead.
    expect(forFirst[1]).toMatchObject({ result: 'decided', trigger_application_id: fourth.id, decision_id: null });
    const firstNow = await applicationOf(ctx, supervisor, first.id);
    expect(firstNow.decisions).toHaveLength(2);
    expect(firstNow.caseState).toBe('decided');
    // The undecided ones get a newer cluster decision on their existing case.
    const secondRows = await eventually(
      () => alertsOf(ctx, second.id),
      (rows) => rows.length === 2,
    );
    expect(secondRows.map((r) => r.result)).toEqual(['case_opened', 'case_open']);
    const secondNow = await applicationOf(ctx, supervisor, second.id);
    expect(secondNow.decisions.map((d) => d.trigger)).toEqual(['cluster', 'cluster', 'intake']);
    expect(secondNow.decisions[0]!.supersedesDecisionId).toBe(secondNow.decisions[1]!.id);

    const board = await api(ctx).get('/api/v1/networks/notifications').set(bearer(supervisor));
    expect(board.status).toBe(200);
    expect(board.body.items).toEqual([expect.objectContaining({ applicationId: first.id, triggerApplicationId: fourth.id, reason: 'decided', officeCode: 'TPI-CGK' })]);
    expect(board.body.items[0].reasonText.en).toMatch(/decided/i);
    // Another office's supervisors do not see it.
    expect((await api(ctx).get('/api/v1/networks/notifications').set(bearer(otherSupervisor))).body.items).toEqual([]);
    const ack = await api(ctx).post(`/api/v1/networks/notifications/${board.body.items[0].id}/acknowledge`).set(bearer(supervisor));
    expect(ack.status).toBe(200);
    expect((await api(ctx).get('/api/v1/networks/notifications').set(bearer(supervisor))).body.items).toEqual([]);
  });

  it('given a cluster whose first member already departed, when it grows, then the departed member is not re-opened and its office is notified', async () => {
    const phone = '0812-9100-0002';
    const gone = await depart(ctx, officer, tourist(11, daysFromNow(-2), phone));
    const waiting = await depart(ctx, officer, tourist(12, daysFromNow(3), phone));
    expect([gone.decision.outcome, waiting.decision.outcome]).toEqual(['CLEAR', 'CLEAR']);
    const third: Screened = await depart(ctx, officer, tourist(13, daysFromNow(5), phone));
    expect(third.decision.hits.map((h) => h.ruleId)).toContain('context.link-cluster');

    const [goneAlert] = await eventually(
      () => alertsOf(ctx, gone.id),
      (rows) => rows.length === 1,
    );
    expect(goneAlert).toMatchObject({ result: 'departed', decision_id: null, case_id: null });
    const goneNow = await applicationOf(ctx, supervisor, gone.id);
    expect(goneNow.decisions).toHaveLength(1);
    expect(goneNow.caseId).toBeNull();
    const waitingNow = await eventually(
      () => applicationOf(ctx, supervisor, waiting.id),
      (a) => a.caseId !== null,
    );
    expect(waitingNow.decisions[0]).toMatchObject({ trigger: 'cluster', outcome: 'REVIEW' });

    const board = await api(ctx).get('/api/v1/networks/notifications').set(bearer(supervisor));
    expect(board.body.items).toEqual([expect.objectContaining({ applicationId: gone.id, reason: 'departed', triggerApplicationId: third.id })]);
  });
});
