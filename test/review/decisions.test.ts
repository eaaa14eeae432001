import { createTestContext, type TestContext } from '../support/harness';
import { auditActions, caseRow, emptyQueue, openCaseFor, post, query } from './support';

type User = Awaited<ReturnType<TestContext['userFor']>>;

const postponeBody = { action: 'postpone', reasonCode: 'incomplete_documents', note: 'Bring the employment contract from BP2MI.' };

describe('review queue: decisions', () => {
  let ctx: TestContext;
  let officer: User;
  let otherOfficer: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    otherOfficer = await ctx.userFor('officer', 'TPI-CGK');
    // Four eyes is every office's default (migration 0040); these tests are about a claimant's decision, not approval,
    // so the office has it switched off, as an admin may.
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code IN ('TPI-CGK', 'KANIM-JAKSEL', 'KANIM-KARAWANG')");
  });
  afterAll(() => ctx.close());
  beforeEach(() => emptyQueue(ctx));

  async function claimedCase(by: User = officer, fixture: Parameters<typeof openCaseFor>[1] = {}): Promise<string> {
    const id = await openCaseFor(ctx, fixture);
    const res = await post(ctx, by.token, `/cases/${id}/claim`);
    expect(res.status).toBe(200);
    return id;
  }

  const decide = (by: User, id: string, body: object) => post(ctx, by.token, `/cases/${id}/decision`, body);
  const postponementsOf = (id: string) => query(ctx, 'SELECT *, deadline::text AS deadline FROM postponements WHERE case_id = $1', [id]);

  describe('who may decide', () => {
    it('given a case claimed by someone else, when I decide, then 409 and nothing changes', async () => {
      const id = await claimedCase(otherOfficer);
      const res = await decide(officer, id, { action: 'clear', reasonCode: 'documents_verified' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
      expect(await caseRow(ctx, id)).toMatchObject({ state: 'claimed', action: null });
    });

    it('given an open case nobody claimed, when I decide, then 409', async () => {
      const id = await openCaseFor(ctx);
      expect((await decide(officer, id, { action: 'clear', reasonCode: 'documents_verified' })).status).toBe(409);
    });
  });

  describe('validation', () => {
    it.each([
      ['an unknown reason code', { action: 'clear', reasonCode: 'looked_fine' }, 'reasonCode'],
      ['a reason not allowed for the action', { action: 'clear', reasonCode: 'incomplete_documents' }, 'reasonCode'],
      ['a clear-only reason on a referral', { action: 'refer', reasonCode: 'documents_verified' }, 'reasonCode'],
      ['a postponement without a note', { action: 'postpone', reasonCode: 'incomplete_documents' }, 'note'],
      ['a postponement with a blank note', { action: 'postpone', reasonCode: 'incomplete_documents', note: '   ' }, 'note'],
      ['a deadline that is not a date', { ...postponeBody, deadline: '2026-02-30' }, 'deadline'],
      ['a deadline on a clearance', { action: 'clear', reasonCode: 'documents_verified', deadline: '2099-01-01' }, 'deadline'],
      ['an unknown action', { action: 'deport', reasonCode: 'other' }, 'action'],
      ['an unknown field', { action: 'clear', reasonCode: 'documents_verified', urgent: true }, 'urgent'],
    ])('given %s, when deciding, then 400 naming the field and the case stays claimed', async (_what, body, path) => {
      const id = await claimedCase();
      const res = await decide(officer, id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect((await caseRow(ctx, id)).state).toBe('claimed');
    });

    it('given a postponement deadline in the past, when deciding, then 400', async () => {
      const id = await claimedCase();
      expect((await decide(officer, id, { ...postponeBody, deadline: '2020-01-01' })).status).toBe(400);
      expect((await postponementsOf(id)).length).toBe(0);
    });
  });

  describe('outcomes', () => {
    it('given my claim on a departure case, when I postpone, then the case is decided and exactly one postponement is written in the same transaction', async () => {
      const id = await claimedCase(officer, { destinationCountry: 'KH' });

      const res = await decide(officer, id, postponeBody);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'decided', action: 'postpone', reasonCode: 'incomplete_documents', decidedBy: officer.id });
      const postponements = await postponementsOf(id);
      expect(postponements).toHaveLength(1);
      expect(postponements[0]).toMatchObject({
        kind: 'departure',
        office_code: 'TPI-CGK',
        destination_country: 'KH',
        reason_code: 'incomplete_documents',
        note: postponeBody.note,
        decided_by: officer.id,
      });
      // 30 days from when the server decided, as a Jakarta date: from the stored time, not this test's clock (which may be past midnight).
      const expectedDeadline = new Date(new Date(postponements[0]!.decided_at as string).getTime() + 30 * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Jakarta' });
      expect(res.body.postponementDeadline).toBe(expectedDeadline);
      // xmin is the id of the transaction that last wrote a row: equal ids mean one transaction.
      const [caseTx] = await query<{ xmin: string }>(ctx, 'SELECT xmin::text FROM cases WHERE id = $1', [id]);
      const [logTx] = await query<{ xmin: string }>(ctx, 'SELECT xmin::text FROM postponements WHERE case_id = $1', [id]);
      expect(logTx!.xmin).toBe(caseTx!.xmin);
      expect(await auditActions(ctx, id)).toEqual(['case.opened', 'case.claimed', 'case.decided']);
      const [logAudit] = await query(ctx, "SELECT * FROM audit_log WHERE action = 'postponement.recorded' AND target_id = $1", [
        postponements[0]!.id,
      ]);
      expect(logAudit).toBeDefined();
    });

    it('given a passport case, when I postpone with a deadline, then the postponement is a passport issuance with that deadline', async () => {
      const passportOfficer = await ctx.userFor('passport_officer', 'KANIM-JAKSEL');
      const id = await claimedCase(passportOfficer, { kind: 'passport', destinationCountry: 'MM' });

      const res = await decide(passportOfficer, id, { ...postponeBody, deadline: '2099-06-30' });

      expect(res.status).toBe(200);
      const [logged] = await postponementsOf(id);
      expect(logged).toMatchObject({ kind: 'passport_issuance', destination_country: 'MM', deadline: '2099-06-30' });
    });

    it.each([
      ['clear', 'documents_verified'],
      ['refer', 'suspected_trafficking_victim'],
    ])('given my claim, when I %s, then the case is decided and no postponement is written', async (action, reasonCode) => {
      const id = await claimedCase();
      const res = await decide(officer, id, { action, reasonCode });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'decided', action });
      expect(await postponementsOf(id)).toHaveLength(0);
    });

    it('given a decided postponement, when the same decision is submitted again, then 409 and nothing changes', async () => {
      const id = await claimedCase();
      expect((await decide(officer, id, postponeBody)).status).toBe(200);
      const before = await caseRow(ctx, id);

      const again = await decide(officer, id, { action: 'clear', reasonCode: 'documents_verified' });

      expect(again.status).toBe(409);
      expect(await caseRow(ctx, id)).toEqual(before);
      expect(await postponementsOf(id)).toHaveLength(1);
      expect(await auditActions(ctx, id)).toEqual(['case.opened', 'case.claimed', 'case.decided']);
    });

    it('given two decisions submitted at once, when both race, then exactly one wins and the other gets 409', async () => {
      const id = await claimedCase();

      const results = await Promise.all([decide(officer, id, postponeBody), decide(officer, id, { action: 'refer', reasonCode: 'watchlist_match' })]);

      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body.action;
      expect((await caseRow(ctx, id)).action).toBe(winner);
      expect(await postponementsOf(id)).toHaveLength(winner === 'postpone' ? 1 : 0);
      expect((await auditActions(ctx, id)).filter((a) => a === 'case.decided')).toHaveLength(1);
    });
  });

  describe('four-eyes approval', () => {
    const office = 'TPI-SUB';
    let subOfficer: User;
    let subSupervisor: User;
    beforeAll(async () => {
      await query(ctx, 'UPDATE offices SET requires_postponement_approval = true WHERE code = $1', [office]);
      subOfficer = await ctx.userFor('officer', office);
      subSupervisor = await ctx.userFor('supervisor', office);
    });

    async function pendingCase(): Promise<string> {
      const id = await claimedCase(subOfficer, { officeCode: office, destinationCountry: 'LA' });
      const res = await decide(subOfficer, id, postponeBody);
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('pending_approval');
      return id;
    }
    const approval = (by: string, id: string, body: object) => post(ctx, by, `/cases/${id}/approval`, body);

    it('given an office with four-eyes approval, when an officer postpones, then the case waits for approval and nothing is logged yet', async () => {
      const id = await pendingCase();
      expect(await postponementsOf(id)).toHaveLength(0);
      expect(await auditActions(ctx, id)).toContain('case.decision_submitted');
    });

    it('given a pending postponement, when a supervisor of the office approves, then the case is decided and the postponement is logged once, owned by the officer', async () => {
      const id = await pendingCase();

      const res = await approval(subSupervisor.token, id, { approve: true });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'decided', approvedBy: subSupervisor.id, decidedBy: subOfficer.id });
      const logged = await postponementsOf(id);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ kind: 'departure', decided_by: subOfficer.id, destination_country: 'LA', office_code: office });
      expect((await approval(subSupervisor.token, id, { approve: true })).status).toBe(409);
      expect(await postponementsOf(id)).toHaveLength(1);
    });

    it('given a pending postponement, when the supervisor rejects it, then no postponement is logged and the case goes back to the officer, claimed, to decide again', async () => {
      const id = await pendingCase();

      const res = await approval(subSupervisor.token, id, { approve: false, note: 'Verify the BP2MI registration first' });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'claimed', claimedBy: subOfficer.id, action: null, decidedBy: null });
      expect(await postponementsOf(id)).toHaveLength(0);
      const [rejection] = await query(ctx, "SELECT after FROM audit_log WHERE target_id = $1 AND action = 'case.approval_rejected'", [id]);
      expect(rejection!.after).toMatchObject({ state: 'claimed', approvalNote: 'Verify the BP2MI registration first' });
      const redecided = await decide(subOfficer, id, { action: 'clear', reasonCode: 'procedural_worker_verified' });
      expect(redecided.body.state).toBe('decided');
      expect(await postponementsOf(id)).toHaveLength(0);
    });

    it('given a rejection without a note, when submitting it, then 400 and the case still waits', async () => {
      const id = await pendingCase();
      expect((await approval(subSupervisor.token, id, { approve: false })).status).toBe(400);
      expect((await caseRow(ctx, id)).state).toBe('pending_approval');
    });

    it('given a supervisor who postponed a case themselves, when they approve it, then 403: someone else must', async () => {
      const id = await claimedCase(subSupervisor, { officeCode: office });
      await decide(subSupervisor, id, postponeBody);

      expect((await approval(subSupervisor.token, id, { approve: true })).status).toBe(403);
      expect(await postponementsOf(id)).toHaveLength(0);
    });

    it('given a pending postponement, when an officer, an office admin or another office supervisor approves, then 403, 403, 404; a headquarters admin may', async () => {
      const id = await pendingCase();

      expect((await approval(subOfficer.token, id, { approve: true })).status).toBe(403);
      expect((await approval(await ctx.tokenFor('admin', office), id, { approve: true })).status).toBe(403);
      expect((await approval(await ctx.tokenFor('supervisor', 'TPI-CGK'), id, { approve: true })).status).toBe(404);
      expect(await postponementsOf(id)).toHaveLength(0);
      expect((await approval(await ctx.tokenFor('admin', 'HQ'), id, { approve: true })).status).toBe(200);
      expect(await postponementsOf(id)).toHaveLength(1);
    });

    it('given an approval office, when an officer clears or refers, then it is final without approval', async () => {
      const id = await claimedCase(subOfficer, { officeCode: office });
      expect((await decide(subOfficer, id, { action: 'refer', reasonCode: 'watchlist_match' })).body.state).toBe('decided');
    });
  });
});
