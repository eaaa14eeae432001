/**
 * Rule outcome figures on seeded decisions, through the real API: screen, let officers decide the
 * cases, then read per rule how the applications it hit ended, overall and per office.
 */
import { cambodiaLure, japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

type Counts = { hits: number; cleared: number; postponed: number; referred: number; open: number; awaitingApproval: number; noCase: number; postponedShare: number | null };
type Figures = { applications: number; office: string | null; rules: Array<{ ruleId: string; byOffice: Array<{ office: string } & Counts> } & Counts> };

describe('rule outcome figures', () => {
  let ctx: TestContext;
  let from: string;
  let to: string;
  const decided: Record<string, string[]> = {};

  /** A lure of its own: another person, employer, recruiter and payer, so no two screenings here link. */
  const lure = (n: number) => {
    const body = cambodiaLure();
    return {
      ...body,
      traveller: { ...body.traveller, fullName: `Traveller ${'ABCDEFGHIJ'[n]} Santoso`, nik: `32012345098700${String(10 + n)}`, passportNumber: `C12345${String(10 + n)}` },
      employment: { ...body.employment, employerName: `Employer ${'KLMNOPQRST'[n]} Trading`, recruiterPhone: `+855 12 345 6${String(10 + n)}`, recruiterName: `Recruiter ${n}` },
    };
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    // Postponements at TPI-CGK are final with one person; TPI-DPS keeps four eyes (every office's default).
    await ctx.database.pool.query("UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-CGK'");
    from = new Date(Date.now() - 3_600_000).toISOString();
    const officers = { 'TPI-CGK': await ctx.tokenFor('officer', 'TPI-CGK'), 'TPI-DPS': await ctx.tokenFor('officer', 'TPI-DPS') };
    const plan: Array<[keyof typeof officers, object | null]> = [
      ['TPI-CGK', { action: 'clear', reasonCode: 'documents_verified' }],
      ['TPI-CGK', { action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'No placement documents; told to return with the P3MI papers.' }],
      ['TPI-CGK', { action: 'refer', reasonCode: 'suspected_trafficking_victim', note: 'Recruited on Telegram; referred to BP3MI.' }],
      ['TPI-CGK', null],
      ['TPI-DPS', { action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Return with the employment contract.' }],
      ['TPI-DPS', { action: 'clear', reasonCode: 'false_positive' }],
    ];
    for (const [i, [office, decision]] of plan.entries()) {
      const screened = await api(ctx).post('/api/v1/departure-checks').set(bearer(officers[office])).send(lure(i));
      expect(screened.status).toBe(201);
      expect(screened.body.caseId).not.toBeNull();
      (decided[office] ??= []).push(...screened.body.decision.hits.map((h: { ruleId: string }) => h.ruleId));
      if (!decision) continue;
      expect((await api(ctx).post(`/api/v1/cases/${screened.body.caseId}/claim`).set(bearer(officers[office]))).status).toBe(200);
      expect((await api(ctx).post(`/api/v1/cases/${screened.body.caseId}/decision`).set(bearer(officers[office])).send(decision)).status).toBe(200);
    }
    // A family holiday: CLEAR, no case, no hit.
    const holiday = await api(ctx).post('/api/v1/departure-checks').set(bearer(officers['TPI-CGK'])).send(japanHoliday());
    expect(holiday.body.decision.outcome).toBe('CLEAR');
    to = new Date(Date.now() + 3_600_000).toISOString();
  });
  afterAll(() => ctx.close());

  const figures = async (token: string, query: Record<string, string>) => {
    const res = await api(ctx).get('/api/v1/rulesets/active/rule-outcomes').query(query).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body as Figures;
  };
  /** A rule every lure fired, whatever else fired. */
  const everyLureRule = () => {
    const all = [...decided['TPI-CGK']!, ...decided['TPI-DPS']!];
    const id = [...new Set(all)].find((ruleId) => all.filter((r) => r === ruleId).length === 6);
    expect(id).toBeDefined();
    return id!;
  };

  it('given six flagged lures decided three ways at two offices and a clear holiday, when an HQ admin reads the figures, then each rule counts exactly how its hits ended, overall and per office', async () => {
    const admin = await ctx.tokenFor('admin', 'HQ');
    const body = await figures(admin, { from, to });
    expect(body.applications).toBe(7);
    expect(body.office).toBeNull();
    const rule = body.rules.find((r) => r.ruleId === everyLureRule())!;
    expect(rule).toEqual({
      ruleId: everyLureRule(),
      hits: 6,
      cleared: 2,
      postponed: 1,
      referred: 1,
      open: 1,
      awaitingApproval: 1,
      noCase: 0,
      postponedShare: 0.25,
      byOffice: [
        { office: 'TPI-CGK', hits: 4, cleared: 1, postponed: 1, referred: 1, open: 1, awaitingApproval: 0, noCase: 0, postponedShare: 0.3333 },
        { office: 'TPI-DPS', hits: 2, cleared: 1, postponed: 0, referred: 0, open: 0, awaitingApproval: 1, noCase: 0, postponedShare: 0 },
      ],
    });
    // Every rule's hits add up to what the screenings returned.
    for (const r of body.rules) {
      expect(r.hits).toBe([...decided['TPI-CGK']!, ...decided['TPI-DPS']!].filter((id) => id === r.ruleId).length);
      expect(r.cleared + r.postponed + r.referred + r.open + r.awaitingApproval + r.noCase).toBe(r.hits);
    }
  });

  it('given a supervisor at TPI-DPS, when they read the figures, then they see only their office, and asking for another is not found', async () => {
    const supervisor = await ctx.tokenFor('supervisor', 'TPI-DPS');
    const body = await figures(supervisor, { from, to });
    expect(body.office).toBe('TPI-DPS');
    expect(body.applications).toBe(2);
    expect(body.rules.find((r) => r.ruleId === everyLureRule())).toMatchObject({ hits: 2, cleared: 1, awaitingApproval: 1, byOffice: [{ office: 'TPI-DPS' }] });
    expect((await api(ctx).get('/api/v1/rulesets/active/rule-outcomes').query({ from, to, office: 'TPI-CGK' }).set(bearer(supervisor))).status).toBe(404);
    expect((await api(ctx).get('/api/v1/rulesets/active/rule-outcomes').set(bearer(await ctx.tokenFor('officer', 'TPI-DPS')))).status).toBe(403);
  });

  it('given a window before the screenings, when the figures are read, then nothing is counted; a backtest over the window carries the same figures as the endpoint', async () => {
    const admin = await ctx.tokenFor('admin', 'HQ');
    expect(await figures(admin, { from: '2020-01-01', to: '2020-01-31' })).toMatchObject({ applications: 0, rules: [] });
    const backtest = await api(ctx).post('/api/v1/rulesets/active/backtest').set(bearer(admin)).send({ from, to });
    expect(backtest.status).toBe(201);
    const report = backtest.body.report ?? backtest.body;
    expect(report.ruleOutcomes.rules).toEqual((await figures(admin, { from, to })).rules);
  });
});
