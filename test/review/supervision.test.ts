import { runSlaSweep } from '../../src/review/sla-sweep';
import { createTestContext, type TestContext } from '../support/harness';
import { auditActions, caseRow, emptyQueue, get, minutesFromNow, openCaseFor, post, query } from './support';

type User = Awaited<ReturnType<TestContext['userFor']>>;

describe('review queue: supervision', () => {
  let ctx: TestContext;
  let supervisor: User;
  let officerA: User;
  let officerB: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    supervisor = await ctx.userFor('supervisor', 'TPI-KNO');
    officerA = await ctx.userFor('officer', 'TPI-KNO');
    officerB = await ctx.userFor('officer', 'TPI-KNO');
  });
  afterAll(() => ctx.close());
  beforeEach(() => emptyQueue(ctx));

  const kno = (fixture: Parameters<typeof openCaseFor>[1] = {}) => openCaseFor(ctx, { officeCode: 'TPI-KNO', ...fixture });
  const setCreatedMinutesAgo = (id: string, minutes: number) =>
    query(ctx, "UPDATE cases SET created_at = now() - make_interval(mins => $2) WHERE id = $1", [id, minutes]);

  describe('listing', () => {
    it('given five cases, when paging two at a time, then every case appears once in priority order', async () => {
      const ids = [];
      for (const minutes of [300, 60, 240, 120, 180]) ids.push(await kno({ departureAt: minutesFromNow(minutes) }));
      const expected = [ids[1], ids[3], ids[4], ids[2], ids[0]];

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(ctx, supervisor.token, `/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((item: { id: string }) => item.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);

      expect(seen).toEqual(expected);
      expect(pages).toBe(3);
    });

    it('given cases in several states, when filtering by state, outcome, escalation and age, then only matching cases return', async () => {
      const claimed = await kno({ outcome: 'POSTPONE_RECOMMENDED' });
      const escalated = await kno();
      const old = await kno();
      await post(ctx, officerA.token, `/cases/${claimed}/claim`);
      await query(ctx, 'UPDATE cases SET escalated = true WHERE id = $1', [escalated]);
      await setCreatedMinutesAgo(old, 120);

      const ids = async (qs: string) => (await get(ctx, supervisor.token, `/cases?${qs}`)).body.items.map((i: { id: string }) => i.id);

      expect(await ids('state=claimed')).toEqual([claimed]);
      expect(await ids('outcome=POSTPONE_RECOMMENDED')).toEqual([claimed]);
      expect(await ids('escalated=true')).toEqual([escalated]);
      expect(await ids('olderThanMinutes=60')).toEqual([old]);
      expect(await ids('kind=passport')).toEqual([]);
    });

    it('given a bad filter, a bad cursor, an unknown parameter or an officer, when listing, then 400, 400, 400, 403', async () => {
      expect((await get(ctx, supervisor.token, '/cases?state=lost')).status).toBe(400);
      expect((await get(ctx, supervisor.token, '/cases?cursor=nonsense')).status).toBe(400);
      expect((await get(ctx, supervisor.token, '/cases?sort=score')).status).toBe(400);
      expect((await get(ctx, officerA.token, '/cases')).status).toBe(403);
    });

    it("given a checkpoint supervisor, when listing another office's cases, then 404; unfiltered, only their own office", async () => {
      await openCaseFor(ctx, { officeCode: 'TPI-CGK' });
      const own = await kno();
      expect((await get(ctx, supervisor.token, '/cases?office=TPI-CGK')).status).toBe(404);
      expect((await get(ctx, supervisor.token, '/cases')).body.items.map((i: { id: string }) => i.id)).toEqual([own]);
      const national = await get(ctx, await ctx.tokenFor('supervisor', 'HQ'), '/cases');
      expect(national.body.items).toHaveLength(2);
    });
  });

  describe('stats', () => {
    it('given cases in every state, when a supervisor asks for stats, then counts, ages, breaches and workload match', async () => {
      await query(ctx, 'UPDATE offices SET requires_postponement_approval = true WHERE code = $1', ['TPI-KNO']);
      try {
        const open1 = await kno();
        const open2 = await kno();
        const claimedByA = await kno();
        const claimedByB = await kno();
        const pending = await kno();
        const decided = await kno();
        const otherOffice = await openCaseFor(ctx, { officeCode: 'TPI-CGK' });
        for (const [id, who] of [[claimedByA, officerA], [claimedByB, officerB], [pending, officerA], [decided, officerA]] as const) {
          expect((await post(ctx, who.token, `/cases/${id}/claim`)).status).toBe(200);
        }
        await post(ctx, officerA.token, `/cases/${pending}/decision`, { action: 'postpone', reasonCode: 'other', note: 'Come back with the contract' });
        await post(ctx, officerA.token, `/cases/${decided}/decision`, { action: 'clear', reasonCode: 'false_positive' });
        await query(ctx, "UPDATE cases SET escalated = true, sla_due_at = now() - interval '5 minutes' WHERE id = $1", [open2]);
        // Undecided ages 10, 20, 30, 40, 50 minutes: p50 30, p90 46, max 50.
        for (const [id, minutes] of [[open1, 10], [open2, 20], [claimedByA, 30], [claimedByB, 40], [pending, 50]] as const) {
          await setCreatedMinutesAgo(id, minutes);
        }
        await setCreatedMinutesAgo(decided, 500);
        await setCreatedMinutesAgo(otherOffice, 900);

        const res = await get(ctx, supervisor.token, '/queue/stats');

        expect(res.status).toBe(200);
        expect(res.body.offices).toHaveLength(1);
        const stats = res.body.offices[0];
        expect(stats).toMatchObject({ officeCode: 'TPI-KNO', open: 2, claimed: 2, pendingApproval: 1, escalated: 1, slaBreaches: 1 });
        expect(stats.ageMinutes.p50).toBeGreaterThanOrEqual(30);
        expect(stats.ageMinutes.p50).toBeLessThan(30.5);
        expect(stats.ageMinutes.p90).toBeGreaterThanOrEqual(46);
        expect(stats.ageMinutes.p90).toBeLessThan(46.5);
        expect(stats.ageMinutes.max).toBeGreaterThanOrEqual(50);
        expect(stats.ageMinutes.max).toBeLessThan(50.5);
        const workload = Object.fromEntries(stats.workload.map((w: { userId: string }) => [w.userId, w]));
        expect(workload[officerA.id]).toMatchObject({ claimedNow: 1, decidedToday: 2 });
        expect(workload[officerB.id]).toMatchObject({ claimedNow: 1, decidedToday: 0 });
        expect(workload[supervisor.id]).toMatchObject({ claimedNow: 0, decidedToday: 0 });
      } finally {
        await query(ctx, 'UPDATE offices SET requires_postponement_approval = false WHERE code = $1', ['TPI-KNO']);
      }
    });

    it('given a headquarters supervisor, when asking for stats, then every non-headquarters office is listed; a checkpoint supervisor may not ask for another office', async () => {
      await openCaseFor(ctx, { officeCode: 'TPI-CGK' });
      const national = await get(ctx, await ctx.tokenFor('supervisor', 'HQ'), '/queue/stats');
      const codes = national.body.offices.map((o: { officeCode: string }) => o.officeCode);
      expect(codes).toContain('TPI-CGK');
      expect(codes).toContain('KANIM-JAKSEL');
      expect(codes).not.toContain('HQ');
      expect(national.body.offices.find((o: { officeCode: string }) => o.officeCode === 'TPI-CGK').open).toBe(1);
      expect((await get(ctx, supervisor.token, '/queue/stats?office=TPI-CGK')).status).toBe(404);
      expect((await get(ctx, officerA.token, '/queue/stats')).status).toBe(403);
    });
  });

  describe('SLA sweep', () => {
    const now = new Date('2031-03-01T08:00:00Z');
    const setSlaDue = (id: string, at: Date) => query(ctx, 'UPDATE cases SET sla_due_at = $2 WHERE id = $1', [id, at]);
    const minutesBefore = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

    it('given overdue, on-time, decided and already-escalated cases, when the sweep runs, then exactly the overdue undecided ones are escalated and audited', async () => {
      const overdueOpen = await kno();
      const overdueClaimed = await kno();
      const onTime = await kno();
      const overdueDecided = await kno();
      const alreadyEscalated = await kno();
      await post(ctx, officerA.token, `/cases/${overdueClaimed}/claim`);
      await post(ctx, officerB.token, `/cases/${overdueDecided}/claim`);
      await post(ctx, officerB.token, `/cases/${overdueDecided}/decision`, { action: 'clear', reasonCode: 'false_positive' });
      await query(ctx, "UPDATE cases SET escalated = true, escalated_at = now() WHERE id = $1", [alreadyEscalated]);
      await query(ctx, "UPDATE cases SET lease_expires_at = $2 WHERE id = $1", [overdueClaimed, new Date(now.getTime() + 600_000)]);
      for (const id of [overdueOpen, overdueClaimed, overdueDecided, alreadyEscalated]) await setSlaDue(id, minutesBefore(1));
      await setSlaDue(onTime, new Date(now.getTime() + 60_000));

      const result = await runSlaSweep(ctx.database.db, now);

      expect(new Set(result.escalated)).toEqual(new Set([overdueOpen, overdueClaimed]));
      const escalatedNow = await query<{ id: string }>(ctx, 'SELECT id FROM cases WHERE escalated_at = $1', [now]);
      expect(new Set(escalatedNow.map((r) => r.id))).toEqual(new Set([overdueOpen, overdueClaimed]));
      expect(await auditActions(ctx, overdueOpen)).toContain('case.escalated');
      expect(await auditActions(ctx, onTime)).not.toContain('case.escalated');
      expect(await auditActions(ctx, overdueDecided)).not.toContain('case.escalated');
      expect(await auditActions(ctx, alreadyEscalated)).not.toContain('case.escalated');
      expect((await caseRow(ctx, overdueClaimed)).state).toBe('claimed');
      expect((await runSlaSweep(ctx.database.db, now)).escalated).toEqual([]);
    });

    it('given a lapsed claim and a live one, when the sweep runs, then only the lapsed one returns to open, audited', async () => {
      const lapsed = await kno();
      const live = await kno();
      await post(ctx, officerA.token, `/cases/${lapsed}/claim`);
      await post(ctx, officerB.token, `/cases/${live}/claim`);
      await query(ctx, 'UPDATE cases SET lease_expires_at = $2 WHERE id = $1', [lapsed, minutesBefore(1)]);
      await query(ctx, 'UPDATE cases SET lease_expires_at = $2 WHERE id = $1', [live, new Date(now.getTime() + 60_000)]);

      const result = await runSlaSweep(ctx.database.db, now);

      expect(result.released).toEqual([lapsed]);
      expect(await caseRow(ctx, lapsed)).toMatchObject({ state: 'open', claimed_by: null, lease_expires_at: null });
      expect(await caseRow(ctx, live)).toMatchObject({ state: 'claimed', claimed_by: officerB.id });
      expect((await auditActions(ctx, lapsed)).at(-1)).toBe('case.lease_expired');
    });

    it('given the registered job, when it is enqueued on the job runner, then the sweep runs and escalates an overdue case', async () => {
      const overdue = await kno();
      await query(ctx, "UPDATE cases SET sla_due_at = now() - interval '1 minute' WHERE id = $1", [overdue]);

      await ctx.jobs.startWorking();
      await ctx.jobs.enqueue('review.sla-sweep', {});

      const deadline = Date.now() + 10_000;
      while (!(await caseRow(ctx, overdue)).escalated && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect((await caseRow(ctx, overdue)).escalated).toBe(true);
    });
  });
});
