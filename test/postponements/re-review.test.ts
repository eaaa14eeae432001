import { insertFlaggedApplication } from '../support/fixtures';
import { createTestContext, type TestContext } from '../support/harness';
import { emptyLog, get, insertLogRows, post, query, type User } from './support';

/**
 * Re-review (issue 23): the applicant comes back with the documents, or objects; another officer
 * reconsiders in the office's queue and lifts or upholds the postponement, recorded as a follow-up.
 */
describe('postponements: re-review', () => {
  let ctx: TestContext;
  let officer: User;
  let reviewer: User;
  let supervisor: User;
  let national: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-KNO');
    reviewer = await ctx.userFor('officer', 'TPI-KNO');
    supervisor = await ctx.userFor('supervisor', 'TPI-KNO');
    national = await ctx.userFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    await query(ctx, 'DELETE FROM postponement_notices');
    await query(ctx, 'DELETE FROM cases');
    await emptyLog(ctx);
  });

  async function approvedPostponement(): Promise<{ postponementId: string; applicationId: string }> {
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-KNO', destinationCountry: 'MY' });
    await post(ctx, officer.token, `/cases/${caseRow!.id}/claim`);
    await post(ctx, officer.token, `/cases/${caseRow!.id}/decision`, { action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Belum ada ID PMI.' });
    expect((await post(ctx, supervisor.token, `/cases/${caseRow!.id}/approval`, { approve: true })).status).toBe(200);
    const [row] = await query<{ id: string }>(ctx, 'SELECT id FROM postponements WHERE case_id = $1', [caseRow!.id]);
    return { postponementId: row!.id, applicationId: caseRow!.applicationId };
  }

  it('given a postponed traveller who returns with an ID PMI, when a re-review is opened and another officer clears it, then the postponement is lifted with the reason, final at once, and counted as lifted', async () => {
    const { postponementId, applicationId } = await approvedPostponement();

    const opened = await post(ctx, officer.token, `/postponements/${postponementId}/re-reviews`, { ground: 'documents_completed', note: 'Membawa ID PMI.' });

    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ postponementId, officeCode: 'TPI-KNO', state: 'open' });
    const claimed = await post(ctx, reviewer.token, '/cases/next');
    expect(claimed.body).toMatchObject({ id: opened.body.caseId, postponementId, applicationId });
    expect((await post(ctx, officer.token, `/postponements/${postponementId}/re-reviews`, { ground: 'objection' })).status).toBe(409);

    const decided = await post(ctx, reviewer.token, `/cases/${opened.body.caseId}/decision`, {
      action: 'clear',
      reasonCode: 'procedural_worker_verified',
      note: 'ID PMI dan perjanjian kerja sah.',
    });

    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('decided');
    const record = await get(ctx, officer.token, `/postponements/${postponementId}`);
    expect(record.body.followUps).toEqual([
      expect.objectContaining({
        outcome: 'lifted',
        outcomeLabel: { id: 'Penundaan dicabut setelah peninjauan ulang', en: 'Postponement lifted on re-review' },
        recordedBy: reviewer.id,
        note: expect.stringContaining('ID PMI dan perjanjian kerja sah.'),
      }),
    ]);
    expect(record.body.followUps[0].note).toContain('Procedural migrant worker verified');
    expect(await query(ctx, 'SELECT id FROM postponements')).toHaveLength(1);
    const stats = await get(ctx, national.token, '/postponements/stats?office=TPI-KNO');
    expect(stats.body.outcomes).toEqual({ lifted: 1, upheld: 0, reReviewOpen: 0, deadlineLapsed: 0 });
    expect((await post(ctx, officer.token, `/postponements/${postponementId}/re-reviews`, { ground: 'objection' })).status).toBe(409);
  });

  it('given an objection, when the re-review upholds the postponement, then it is recorded as upheld, no new postponement is written, and a referral decision is refused', async () => {
    const { postponementId } = await approvedPostponement();
    const opened = await post(ctx, officer.token, `/postponements/${postponementId}/re-reviews`, { ground: 'objection' });
    await post(ctx, reviewer.token, `/cases/${opened.body.caseId}/claim`);

    expect((await post(ctx, reviewer.token, `/cases/${opened.body.caseId}/decision`, { action: 'refer', reasonCode: 'watchlist_match' })).status).toBe(400);
    const decided = await post(ctx, reviewer.token, `/cases/${opened.body.caseId}/decision`, {
      action: 'postpone',
      reasonCode: 'nonprocedural_migrant_worker',
      note: 'Masih belum terdaftar di SISKOP2MI.',
    });

    expect(decided.body.state).toBe('decided');
    const [followUp] = await query(ctx, 'SELECT outcome FROM postponement_follow_ups WHERE postponement_id = $1', [postponementId]);
    expect(followUp).toEqual({ outcome: 'upheld' });
    expect(await query(ctx, 'SELECT id FROM postponements')).toHaveLength(1);
    expect((await get(ctx, national.token, '/postponements/stats?office=TPI-KNO')).body.outcomes).toMatchObject({ lifted: 0, upheld: 1 });
  });

  it('given postponements whose deadline passed with no follow-up, when counting, then they are lapsed; one under re-review is not', async () => {
    const [lapsed, reviewed] = await insertLogRows(ctx, [
      { office: 'TPI-KNO', decidedAt: '2025-01-10T10:00:00+07:00' },
      { office: 'TPI-KNO', decidedAt: '2025-01-11T10:00:00+07:00' },
    ]);
    await query(ctx, "UPDATE postponements SET deadline = '2025-02-10'");
    const { postponementId } = await approvedPostponement();
    await post(ctx, officer.token, `/postponements/${postponementId}/re-reviews`, { ground: 'objection' });
    expect(lapsed && reviewed).toBeTruthy();

    const stats = await get(ctx, national.token, '/postponements/stats?office=TPI-KNO');

    expect(stats.body.total).toBe(3);
    expect(stats.body.outcomes).toEqual({ lifted: 0, upheld: 0, reReviewOpen: 1, deadlineLapsed: 2 });
  });

  it('given a postponement recorded without an application, when a re-review is asked for, then 409 saying to record a follow-up instead; another office gets 404', async () => {
    const [id] = await insertLogRows(ctx, [{ office: 'TPI-KNO', decidedAt: '2025-01-10T10:00:00+07:00' }]);
    const res = await post(ctx, officer.token, `/postponements/${id}/re-reviews`, { ground: 'objection' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/follow-up/);
    expect((await post(ctx, await ctx.tokenFor('officer', 'TPI-CGK'), `/postponements/${id}/re-reviews`, { ground: 'objection' })).status).toBe(404);
  });
});
