import { insertFlaggedApplication } from '../support/fixtures';
import { api, bearer, createTestContext, get, post, query, type TestContext } from '../support/harness';

type User = Awaited<ReturnType<TestContext['userFor']>>;

/**
 * The case page's way to the protection work a decision led to (issue 23): GET /cases/{id} carries
 * the postponement it recorded (its notice's verification code once printed, its re-reviews) and the
 * referral of a `refer` decision, within the caller's office like the case itself.
 */
describe('case detail: postponement and referral', () => {
  let ctx: TestContext;
  let officer: User;
  let reviewer: User;
  let supervisor: User;
  let elsewhere: User;
  let national: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-KNO');
    reviewer = await ctx.userFor('officer', 'TPI-KNO');
    supervisor = await ctx.userFor('supervisor', 'TPI-KNO');
    elsewhere = await ctx.userFor('supervisor', 'TPI-CGK');
    national = await ctx.userFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());

  async function postponedCase(): Promise<string> {
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-KNO', destinationCountry: 'KH' });
    expect((await post(ctx, officer.token, `/cases/${caseRow!.id}/claim`)).status).toBe(200);
    const decided = await post(ctx, officer.token, `/cases/${caseRow!.id}/decision`, { action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Belum ada ID PMI.' });
    expect(decided.body.state).toBe('pending_approval');
    return caseRow!.id;
  }

  it('given a postponement waiting for approval, when the case is read, then it carries no postponement yet; once approved, the postponement id without a notice code', async () => {
    const caseId = await postponedCase();

    const waiting = await get(ctx, officer.token, `/cases/${caseId}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ postponement: null, referral: null, postponementId: null });

    expect((await post(ctx, supervisor.token, `/cases/${caseId}/approval`, { approve: true })).status).toBe(200);
    const [logged] = await query<{ id: string }>(ctx, 'SELECT id FROM postponements WHERE case_id = $1', [caseId]);
    const final = await get(ctx, officer.token, `/cases/${caseId}`);
    expect(final.body.postponement).toEqual({ id: logged!.id, deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), notice: null, lifted: false, reReviews: [] });
    expect(final.body.referral).toBeNull();
  });

  it('given a final postponement, when its notice is printed and a re-review opened and decided, then the case carries the verification code the public check accepts and the re-review with its state', async () => {
    const caseId = await postponedCase();
    await post(ctx, supervisor.token, `/cases/${caseId}/approval`, { approve: true });
    const postponementId = (await get(ctx, officer.token, `/cases/${caseId}`)).body.postponement.id as string;

    const pdf = await api(ctx).get(`/api/v1/postponements/${postponementId}/notice.pdf`).set(bearer(officer.token));
    expect(pdf.status).toBe(200);
    const printed = await get(ctx, officer.token, `/cases/${caseId}`);
    const code = printed.body.postponement.notice.verificationCode as string;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(Date.parse(printed.body.postponement.notice.issuedAt)).not.toBeNaN();
    expect((await api(ctx).get(`/api/v1/notices/${code}`)).status).toBe(200);

    const opened = await post(ctx, officer.token, `/postponements/${postponementId}/re-reviews`, { ground: 'documents_completed' });
    expect(opened.status).toBe(201);
    const withReReview = await get(ctx, officer.token, `/cases/${caseId}`);
    expect(withReReview.body.postponement.reReviews).toEqual([{ caseId: opened.body.caseId, state: 'open', action: null, createdAt: expect.any(String) }]);
    const reReviewCase = await get(ctx, officer.token, `/cases/${opened.body.caseId}`);
    expect(reReviewCase.body).toMatchObject({ postponementId, postponement: null, referral: null });

    await post(ctx, reviewer.token, `/cases/${opened.body.caseId}/claim`);
    await post(ctx, reviewer.token, `/cases/${opened.body.caseId}/decision`, { action: 'clear', reasonCode: 'procedural_worker_verified', note: 'ID PMI sah.' });
    const lifted = await get(ctx, officer.token, `/cases/${caseId}`);
    expect(lifted.body.postponement).toMatchObject({ lifted: true, reReviews: [{ caseId: opened.body.caseId, state: 'decided', action: 'clear' }] });
  });

  it('given a refer decision, when the case is read, then it carries the referral; another office cannot read the case, headquarters can', async () => {
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-KNO', destinationCountry: 'KH' });
    await post(ctx, officer.token, `/cases/${caseRow!.id}/claim`);
    expect(
      (await post(ctx, officer.token, `/cases/${caseRow!.id}/decision`, { action: 'refer', reasonCode: 'suspected_trafficking_victim', referral: { agency: 'lpsk', dueDate: '2099-01-10' } })).status,
    ).toBe(200);
    const [referral] = await query<{ id: string }>(ctx, 'SELECT id FROM referrals WHERE case_id = $1', [caseRow!.id]);

    const read = await get(ctx, officer.token, `/cases/${caseRow!.id}`);

    expect(read.body.referral).toEqual({ id: referral!.id, status: 'sent', agency: 'lpsk', dueDate: '2099-01-10' });
    expect(read.body.postponement).toBeNull();
    expect((await get(ctx, elsewhere.token, `/cases/${caseRow!.id}`)).status).toBe(404);
    expect((await get(ctx, national.token, `/cases/${caseRow!.id}`)).body.referral.id).toBe(referral!.id);
  });
});
