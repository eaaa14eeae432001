import { cambodiaLure, passportForWorkInCambodia } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

/**
 * The first slice end to end, through the public API only: an officer screens a traveller, an officer
 * works the case from the queue and postpones the departure, a second person approves it (four eyes,
 * every office's default), and the postponement is counted with its approver.
 */
describe('screen, review and postpone, end to end', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const as = (token: string) => ({
    get: (path: string) => api(ctx).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body: object = {}) => api(ctx).post(`/api/v1${path}`).set(bearer(token)).send(body),
  });

  it('given the textbook lure at Soekarno-Hatta, when an officer postpones it from the queue and a supervisor approves, then the log and its statistics count one deferred departure', async () => {
    const screening = as(await ctx.tokenFor('officer', 'TPI-CGK'));
    const reviewer = as(await ctx.tokenFor('officer', 'TPI-CGK'));
    const supervisor = as(await ctx.tokenFor('supervisor', 'HQ'));
    const approverUser = await ctx.userFor('supervisor', 'TPI-CGK');
    const approver = as(approverUser.token);
    const before = (await supervisor.get('/postponements/stats?groupBy=office')).body.total as number;

    const screened = await screening.post('/departure-checks', cambodiaLure());
    expect(screened.status).toBe(201);
    expect(screened.body.decision.outcome).toBe('POSTPONE_RECOMMENDED');

    const claimed = await reviewer.post('/cases/next');
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(screened.body.caseId);

    const decided = await reviewer.post(`/cases/${screened.body.caseId}/decision`, {
      action: 'postpone',
      reasonCode: 'nonprocedural_migrant_worker',
      note: 'Tidak memiliki visa kerja dan ID PMI. Silakan melengkapi dokumen penempatan.',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('pending_approval');
    expect((await supervisor.get('/postponements?office=TPI-CGK')).body.items).toEqual([]);

    const approved = await approver.post(`/cases/${screened.body.caseId}/approval`, { approve: true });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('decided');

    const log = await supervisor.get('/postponements?office=TPI-CGK');
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({ kind: 'departure', applicationId: screened.body.id, caseId: screened.body.caseId, reasonCode: 'nonprocedural_migrant_worker', destinationCountry: 'KH', approvedBy: approverUser.id }),
    ]);

    const stats = await supervisor.get('/postponements/stats?groupBy=office');
    expect(stats.body.total).toBe(before + 1);
    expect(stats.body.groups).toEqual(expect.arrayContaining([expect.objectContaining({ office: 'TPI-CGK', count: 1 })]));
  });

  it('given an urgent first passport for work in Cambodia, when the passport office postpones issuance and its supervisor approves, then it is counted as a postponed passport issuance', async () => {
    const officer = as(await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG'));
    const supervisor = as(await ctx.tokenFor('supervisor', 'HQ'));
    const officeSupervisor = as(await ctx.tokenFor('supervisor', 'KANIM-KARAWANG'));

    const screened = await officer.post('/passport-applications', passportForWorkInCambodia());
    expect(screened.status).toBe(201);
    expect(screened.body.caseId).toEqual(expect.any(String));

    expect((await officer.post('/cases/next')).body.id).toBe(screened.body.caseId);
    const decided = await officer.post(`/cases/${screened.body.caseId}/decision`, {
      action: 'postpone',
      reasonCode: 'inconsistent_purpose',
      note: 'Tujuan wisata tidak sesuai dengan tawaran kerja. Silakan datang kembali dengan dokumen pendukung.',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('pending_approval');
    expect((await officeSupervisor.post(`/cases/${screened.body.caseId}/approval`, { approve: true })).status).toBe(200);

    const stats = await supervisor.get('/postponements/stats?groupBy=reason&kind=passport_issuance');
    expect(stats.body.total).toBe(1);
    expect(stats.body.groups).toEqual([expect.objectContaining({ reason: 'inconsistent_purpose', count: 1 })]);
  });
});
