import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { bearer, createTestContext, type TestContext } from '../support/harness';
import { auditActions, caseRow, emptyQueue, get, minutesFromNow, next, openCaseFor, post, query } from './support';

describe('review queue: claiming', () => {
  let ctx: TestContext;
  let officerA: Awaited<ReturnType<TestContext['userFor']>>;
  let officerB: Awaited<ReturnType<TestContext['userFor']>>;
  beforeAll(async () => {
    ctx = await createTestContext();
    officerA = await ctx.userFor('officer', 'TPI-CGK');
    officerB = await ctx.userFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());
  beforeEach(() => emptyQueue(ctx));

  describe('concurrency', () => {
    let server: Server;
    beforeAll(() => {
      server = createServer(ctx.app).listen(0);
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('given 60 open cases, when 100 next calls from five officers race, then each case is handed out exactly once and 40 get 204', async () => {
      for (let i = 0; i < 60; i++) await openCaseFor(ctx, { departureAt: minutesFromNow(120 + i) });
      const tokens = [officerA.token, officerB.token, ...(await Promise.all([1, 2, 3].map(() => ctx.tokenFor('officer', 'TPI-CGK'))))];

      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => request(server).post('/api/v1/cases/next').set(bearer(tokens[i % tokens.length]!))),
      );

      const handedOut = responses.filter((res) => res.status === 200).map((res) => res.body.id as string);
      expect(responses.filter((res) => res.status === 204)).toHaveLength(40);
      expect(handedOut).toHaveLength(60);
      expect(new Set(handedOut).size).toBe(60);
      const claimed = await query<{ id: string }>(ctx, "SELECT id FROM cases WHERE state = 'claimed' AND claimed_by IS NOT NULL");
      expect(new Set(claimed.map((row) => row.id))).toEqual(new Set(handedOut));
      const [audits] = await query<{ n: number }>(ctx, "SELECT count(*)::int AS n FROM audit_log WHERE action = 'case.claimed'");
      expect(audits!.n).toBe(60);
    });
  });

  describe('priority', () => {
    it('given a departure tomorrow and one in 40 minutes, when asking for the next case, then the 40-minute one comes first with its reason', async () => {
      const tomorrow = await openCaseFor(ctx, { departureAt: minutesFromNow(24 * 60), outcome: 'POSTPONE_RECOMMENDED', score: 95 });
      const soon = await openCaseFor(ctx, { departureAt: minutesFromNow(40), outcome: 'REVIEW', score: 40 });

      const first = await next(ctx, officerA.token);
      const second = await next(ctx, officerA.token);

      expect(first.status).toBe(200);
      expect(first.body.id).toBe(soon);
      expect(first.body.priorityReason).toMatchObject({ code: 'departs_soon', minutesToDeparture: expect.any(Number) });
      expect(first.body.priorityReason.minutesToDeparture).toBeGreaterThanOrEqual(38);
      expect(first.body.priorityReason.minutesToDeparture).toBeLessThanOrEqual(40);
      expect(second.body.id).toBe(tomorrow);
    });

    it('given departures at the same time, when asking, then POSTPONE_RECOMMENDED precedes REVIEW, and the higher score precedes the lower', async () => {
      const at = minutesFromNow(90);
      const reviewLow = await openCaseFor(ctx, { departureAt: at, outcome: 'REVIEW', score: 30 });
      const reviewHigh = await openCaseFor(ctx, { departureAt: at, outcome: 'REVIEW', score: 70 });
      const postpone = await openCaseFor(ctx, { departureAt: at, outcome: 'POSTPONE_RECOMMENDED', score: 60 });

      const order = [];
      for (let i = 0; i < 3; i++) order.push((await next(ctx, officerA.token)).body.id);

      expect(order).toEqual([postpone, reviewHigh, reviewLow]);
    });

    it('given passport cases, when asking, then the one waiting longest comes first with a waiting_since reason', async () => {
      const passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-JAKSEL');
      const newer = await openCaseFor(ctx, { kind: 'passport', submittedAt: minutesFromNow(-30) });
      const older = await openCaseFor(ctx, { kind: 'passport', submittedAt: minutesFromNow(-300) });

      const first = await next(ctx, passportOfficer);

      expect(first.body.id).toBe(older);
      expect(first.body.priorityReason).toMatchObject({ code: 'waiting_since' });
      expect(first.body.priorityReason.minutesWaiting).toBeGreaterThanOrEqual(300);
      expect((await next(ctx, passportOfficer)).body.id).toBe(newer);
    });

    it('given a case, when it is handed out, then the response carries the application payload and the latest decision hits', async () => {
      const id = await openCaseFor(ctx, { destinationCountry: 'MM' });
      const res = await next(ctx, officerA.token);
      expect(res.body).toMatchObject({
        id,
        state: 'claimed',
        claimedBy: officerA.id,
        application: { destinationCountry: 'MM', payload: { fixture: true } },
        latestDecision: { hits: [], outcome: 'REVIEW' },
      });
      expect(res.body.application.idempotencyKey).toBeUndefined();
    });

    it('given an empty queue, when asking for the next case, then 204', async () => {
      expect((await next(ctx, officerA.token)).status).toBe(204);
    });

    it('given an admin, when asking for the next case, then 403', async () => {
      expect((await next(ctx, await ctx.tokenFor('admin', 'TPI-CGK'))).status).toBe(403);
    });
  });

  describe('leases', () => {
    it('given a claimed case whose lease has expired, when another officer asks, then they get it; the first officer may no longer decide', async () => {
      const id = await openCaseFor(ctx);
      expect((await next(ctx, officerA.token)).body.id).toBe(id);
      expect((await next(ctx, officerB.token)).status).toBe(204);

      await query(ctx, "UPDATE cases SET lease_expires_at = now() - interval '1 minute' WHERE id = $1", [id]);
      const taken = await next(ctx, officerB.token);
      const lateDecision = await post(ctx, officerA.token, `/cases/${id}/decision`, { action: 'clear', reasonCode: 'documents_verified' });

      expect(taken.body.id).toBe(id);
      expect(taken.body.claimedBy).toBe(officerB.id);
      expect(lateDecision.status).toBe(409);
      expect((await caseRow(ctx, id)).state).toBe('claimed');
    });

    it('given my lease expired and nobody took the case, when I decide, then 409 saying the claim expired, and nothing changes', async () => {
      const id = await openCaseFor(ctx);
      await next(ctx, officerA.token);
      await query(ctx, "UPDATE cases SET lease_expires_at = now() - interval '1 second' WHERE id = $1", [id]);

      const res = await post(ctx, officerA.token, `/cases/${id}/decision`, { action: 'clear', reasonCode: 'documents_verified' });

      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/expired/);
      expect((await caseRow(ctx, id)).action).toBeNull();
    });

    it('given my claim, when I renew it, then the lease moves later; another officer may not renew, release or claim it', async () => {
      const id = await openCaseFor(ctx);
      await next(ctx, officerA.token);
      await query(ctx, "UPDATE cases SET lease_expires_at = now() + interval '1 minute' WHERE id = $1", [id]);

      const renewed = await post(ctx, officerA.token, `/cases/${id}/renew`);

      expect(renewed.status).toBe(200);
      expect(new Date(renewed.body.leaseExpiresAt).getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
      expect((await post(ctx, officerB.token, `/cases/${id}/renew`)).status).toBe(409);
      expect((await post(ctx, officerB.token, `/cases/${id}/release`)).status).toBe(409);
      expect((await post(ctx, officerB.token, `/cases/${id}/claim`)).status).toBe(409);
      expect(await auditActions(ctx, id)).toEqual(['case.opened', 'case.claimed', 'case.lease_renewed']);
    });

    it('given my claim, when I release it, then it is open and the next officer gets it', async () => {
      const id = await openCaseFor(ctx);
      await post(ctx, officerA.token, `/cases/${id}/claim`);

      const released = await post(ctx, officerA.token, `/cases/${id}/release`);

      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ state: 'open', claimedBy: null });
      expect((await next(ctx, officerB.token)).body.id).toBe(id);
    });

    it('given an open case, when I claim it by id twice, then both succeed and only one claim is audited', async () => {
      const id = await openCaseFor(ctx);
      expect((await post(ctx, officerA.token, `/cases/${id}/claim`)).status).toBe(200);
      expect((await post(ctx, officerA.token, `/cases/${id}/claim`)).status).toBe(200);
      expect(await auditActions(ctx, id)).toEqual(['case.opened', 'case.claimed']);
    });

    it('given a case id that is not a uuid, when claiming, then 400; an unknown uuid, then 404', async () => {
      expect((await post(ctx, officerA.token, '/cases/not-a-uuid/claim')).status).toBe(400);
      expect((await post(ctx, officerA.token, '/cases/00000000-0000-4000-8000-000000000000/claim')).status).toBe(404);
    });
  });

  describe('assignment', () => {
    it('given a case assigned to officer A, when B asks for the next case, then B never gets it; A gets it first even though it departs later', async () => {
      const supervisor = await ctx.tokenFor('supervisor', 'TPI-CGK');
      const urgent = await openCaseFor(ctx, { departureAt: minutesFromNow(30) });
      const assigned = await openCaseFor(ctx, { departureAt: minutesFromNow(600) });
      await post(ctx, officerB.token, `/cases/${assigned}/claim`);

      const assign = await post(ctx, supervisor, `/cases/${assigned}/assign`, { userId: officerA.id });

      expect(assign.status).toBe(200);
      expect(assign.body).toMatchObject({ assignedTo: officerA.id, state: 'open', claimedBy: null });
      expect((await next(ctx, officerB.token)).body.id).toBe(urgent);
      expect((await next(ctx, officerB.token)).status).toBe(204);
      expect((await next(ctx, officerA.token)).body.id).toBe(assigned);
    });

    it('given an officer of another office or an unknown user, when assigning, then 422; an officer may not assign at all', async () => {
      const supervisor = await ctx.tokenFor('supervisor', 'TPI-CGK');
      const elsewhere = await ctx.userFor('officer', 'TPI-DPS');
      const id = await openCaseFor(ctx);

      expect((await post(ctx, supervisor, `/cases/${id}/assign`, { userId: elsewhere.id })).status).toBe(422);
      expect((await post(ctx, supervisor, `/cases/${id}/assign`, { userId: '00000000-0000-4000-8000-000000000000' })).status).toBe(422);
      expect((await post(ctx, supervisor, `/cases/${id}/assign`, { userId: 'bob' })).status).toBe(400);
      expect((await post(ctx, officerA.token, `/cases/${id}/assign`, { userId: officerB.id })).status).toBe(403);
      expect((await caseRow(ctx, id)).assigned_to).toBeNull();
    });
  });

  describe('office scoping', () => {
    it("given a case at TPI-CGK, when an officer of TPI-DPS reads, claims or asks for next, then 404, 404 and 204", async () => {
      const id = await openCaseFor(ctx, { officeCode: 'TPI-CGK' });
      const outsider = await ctx.tokenFor('officer', 'TPI-DPS');

      expect((await get(ctx, outsider, `/cases/${id}`)).status).toBe(404);
      expect((await post(ctx, outsider, `/cases/${id}/claim`)).status).toBe(404);
      expect((await post(ctx, outsider, `/cases/${id}/decision`, { action: 'clear', reasonCode: 'documents_verified' })).status).toBe(404);
      expect((await next(ctx, outsider)).status).toBe(204);
      expect((await caseRow(ctx, id)).state).toBe('open');
    });

    it('given a case at TPI-CGK, when a supervisor of another checkpoint reads it, then 404; a headquarters supervisor reads it', async () => {
      const id = await openCaseFor(ctx, { officeCode: 'TPI-CGK' });
      expect((await get(ctx, await ctx.tokenFor('supervisor', 'TPI-DPS'), `/cases/${id}`)).status).toBe(404);
      const hq = await get(ctx, await ctx.tokenFor('supervisor', 'HQ'), `/cases/${id}`);
      expect(hq.status).toBe(200);
      expect(hq.body.officeCode).toBe('TPI-CGK');
    });

    it('given a worked case, when an officer of the office reads it, then its history lists every change in order', async () => {
      const id = await openCaseFor(ctx);
      await post(ctx, officerA.token, `/cases/${id}/claim`);
      await post(ctx, officerA.token, `/cases/${id}/decision`, { action: 'refer', reasonCode: 'suspected_trafficking_victim', note: 'task force' });

      const res = await get(ctx, officerB.token, `/cases/${id}`);

      expect(res.status).toBe(200);
      expect(res.body.history.map((h: { action: string }) => h.action)).toEqual(['case.opened', 'case.claimed', 'case.decided']);
      expect(res.body.history[2]).toMatchObject({ actorId: officerA.id, before: { state: 'claimed' }, after: { state: 'decided', action: 'refer' } });
    });
  });
});
