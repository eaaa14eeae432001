import { cambodiaLure, japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, get, post, query, type TestContext } from '../support/harness';

/**
 * Fairness of human decisions (issue 23): what officers decided after review, by sex, age band and
 * province, per office and quarter, beside the engine's flag rate for the same applications.
 */
describe('postponements: fairness of human decisions', () => {
  let ctx: TestContext;
  let officer: string;
  let supervisor: string;
  let elsewhere: string;
  let national: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.tokenFor('officer', 'TPI-SUB');
    supervisor = await ctx.tokenFor('supervisor', 'TPI-SUB');
    elsewhere = await ctx.tokenFor('supervisor', 'TPI-DPS');
    national = await ctx.tokenFor('supervisor', 'HQ');
    // The test is about who was postponed, not about approval: four eyes off where the officer decides.
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-SUB'");
  });
  afterAll(() => ctx.close());

  let serial = 0;
  /** A NIK consistent with the birth date and sex (day + 40 for women), in Surabaya (3578). */
  const nikFor = (sex: 'F' | 'M', dateOfBirth: string, n: number) => {
    const [year, month, day] = dateOfBirth.split('-') as [string, string, string];
    return `357801${String(Number(day) + (sex === 'F' ? 40 : 0)).padStart(2, '0')}${month}${year.slice(2)}${String(n).padStart(4, '0')}`;
  };
  /** Screens a traveller at TPI-SUB; a lure is flagged and gets a case, a holiday is clear. */
  async function screen(body: ReturnType<typeof cambodiaLure> | ReturnType<typeof japanHoliday>, sex: 'F' | 'M', dateOfBirth: string, provinceOfOrigin: string) {
    serial += 1;
    const traveller = { ...body.traveller, sex, dateOfBirth, provinceOfOrigin, fullName: `Traveller ${serial}`, nik: nikFor(sex, dateOfBirth, serial), passportNumber: `X${1000000 + serial}` };
    // A recruiter phone of its own, so these travellers form no cluster.
    const employment = 'employment' in body && body.employment ? { ...body.employment, recruiterPhone: `+855 12 ${String(100 + serial)} ${String(100 + serial)}` } : undefined;
    const res = await api(ctx)
      .post('/api/v1/departure-checks')
      .set(bearer(officer))
      .send({ ...body, traveller, ...(employment ? { employment } : {}) });
    expect(res.status).toBe(201);
    return res.body as { id: string; caseId: string | null; decision: { outcome: string } };
  }

  async function decide(caseId: string, action: 'postpone' | 'clear') {
    expect((await post(ctx, officer, `/cases/${caseId}/claim`)).status).toBe(200);
    const body = action === 'postpone' ? { action, reasonCode: 'nonprocedural_migrant_worker', note: 'Belum ada ID PMI dan visa kerja.' } : { action, reasonCode: 'purpose_credible' };
    expect((await post(ctx, officer, `/cases/${caseId}/decision`, body)).status).toBe(200);
  }

  it('given officers who postponed 3 of 4 reviewed women and 1 of 4 reviewed men, when the fairness of decisions is read, then the rates and ratios per sex stand beside the engine flag rate', async () => {
    // Given: four women and four men flagged by the engine; two travellers on holiday, clear.
    const women = [];
    const men = [];
    for (let i = 0; i < 4; i++) women.push(await screen(cambodiaLure(), 'F', '2003-05-01', 'Jawa Barat'));
    for (let i = 0; i < 4; i++) men.push(await screen(cambodiaLure(), 'M', '1985-05-01', i < 2 ? 'Jawa Barat' : 'Jawa Timur'));
    await screen(japanHoliday(), 'F', '1990-01-01', 'Bali');
    await screen(japanHoliday(), 'M', '1990-01-01', 'Bali');
    for (const flagged of [...women, ...men]) expect(flagged.caseId).toEqual(expect.any(String));

    // When: officers decide the cases.
    for (const [i, woman] of women.entries()) await decide(woman.caseId!, i < 3 ? 'postpone' : 'clear');
    for (const [i, man] of men.entries()) await decide(man.caseId!, i < 1 ? 'postpone' : 'clear');
    const res = await get(ctx, supervisor, '/postponements/fairness');

    // Then: one period for TPI-SUB this quarter.
    expect(res.status).toBe(200);
    expect(res.body.periods).toHaveLength(1);
    const [period] = res.body.periods;
    expect(period).toMatchObject({ officeCode: 'TPI-SUB', quarter: expect.stringMatching(/^\d{4}-Q[1-4]$/) });
    expect(period.overall).toEqual({ applications: 10, engineFlagged: 8, engineFlagRate: 0.8, reviewed: 8, postponed: 4, postponementRate: 0.5, smallSample: true });
    const bySex = Object.fromEntries(period.bySex.map((row: { group: string }) => [row.group, row]));
    expect(bySex.F).toEqual({ group: 'F', applications: 5, engineFlagged: 4, engineFlagRate: 0.8, engineFlagRatio: 1, reviewed: 4, postponed: 3, postponementRate: 0.75, postponementRatio: 1.5, smallSample: true });
    expect(bySex.M).toMatchObject({ applications: 5, reviewed: 4, postponed: 1, postponementRate: 0.25, postponementRatio: 0.5 });
    // Age bands in their order, the same bands as the rule-set fairness report.
    expect(period.byAgeBand.map((row: { group: string }) => row.group)).toEqual(['18-24', '35-44']);
    expect(period.byAgeBand[0]).toMatchObject({ group: '18-24', reviewed: 4, postponed: 3 });
    const byProvince = Object.fromEntries(period.byProvince.map((row: { group: string }) => [row.group, row]));
    expect(byProvince['Jawa Barat']).toMatchObject({ applications: 6, reviewed: 6, postponed: 4, postponementRate: 0.6667 });
    expect(byProvince['Jawa Timur']).toMatchObject({ applications: 2, reviewed: 2, postponed: 0, postponementRate: 0, postponementRatio: 0 });
    expect(byProvince.Bali).toMatchObject({ applications: 2, engineFlagged: 0, reviewed: 0, postponementRate: 0 });
  });

  it('given decisions at TPI-SUB, when another office reads the report, then it sees none of them and naming TPI-SUB is not found; headquarters sees them', async () => {
    const other = await get(ctx, elsewhere, '/postponements/fairness');
    expect(other.status).toBe(200);
    expect(other.body.periods).toEqual([]);
    expect((await get(ctx, elsewhere, '/postponements/fairness?office=TPI-SUB')).status).toBe(404);

    const hq = await get(ctx, national, '/postponements/fairness?office=TPI-SUB&kind=departure');
    expect(hq.status).toBe(200);
    expect(hq.body.periods.map((p: { officeCode: string }) => p.officeCode)).toEqual(['TPI-SUB']);
  });

  it('given a window that ends before the decisions, when the report is read, then it is empty; a reversed window is a 400', async () => {
    expect((await get(ctx, national, '/postponements/fairness?from=2020-01-01&to=2020-12-31')).body.periods).toEqual([]);
    const reversed = await get(ctx, national, '/postponements/fairness?from=2026-12-31&to=2026-01-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.code).toBe('VALIDATION_FAILED');
  });
});
