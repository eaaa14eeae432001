import { insertFlaggedApplication } from '../support/fixtures';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { eventually, seedHistory, stricterFiles, uploadRuleSet } from './support';

type Outcome = 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';
interface Decision {
  outcome: Outcome;
  hits: Array<{ ruleId: string }>;
}

describe('backtest: a draft against the active version over stored history', () => {
  let ctx: TestContext;
  let admin: string;
  let ids: string[];
  let passportIds: Set<string>;
  let unreadable: string;
  let active: string;
  let stricter: string;
  let from: string;
  let to: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.jobs.startWorking();
    admin = await ctx.tokenFor('admin', 'HQ');
    const officer = await ctx.tokenFor('officer', 'TPI-CGK');
    const passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
    const { rows } = await ctx.database.pool.query('select now() - interval \'1 minute\' as t');
    from = (rows[0].t as Date).toISOString();
    ids = await seedHistory(ctx, officer, passportOfficer);
    // A stored row whose payload is not an application: counted apart, never evaluated.
    unreadable = (await insertFlaggedApplication(ctx.database.db)).applicationId;
    const passports = await ctx.database.pool.query("select id from applications where kind = 'passport'");
    passportIds = new Set(passports.rows.map((r) => r.id as string));
    to = new Date(Date.now() + 60 * 60_000).toISOString();
    active = ctx.screener.ruleSetVersion;
    stricter = await uploadRuleSet(ctx, admin, stricterFiles());
  });
  afterAll(() => ctx.close());

  const backtest = (body: object, version = stricter) => api(ctx).post(`/api/v1/rulesets/${version}/backtest`).set(bearer(admin)).send(body);
  const replay = async (id: string, version: string): Promise<Decision> => {
    const res = await api(ctx).get(`/api/v1/applications/${id}/replay`).query({ version }).set(bearer(admin));
    expect(res.status).toBe(200);
    return res.body.decision;
  };

  /** What the backtest must add up to: every application replayed one by one under both versions. */
  async function individually(only: string[]) {
    const zero = () => ({ CLEAR: 0, REVIEW: 0, POSTPONE_RECOMMENDED: 0 });
    const outcomes = { old: zero(), new: zero() };
    const transitions: Record<Outcome, Record<Outcome, number>> = { CLEAR: zero(), REVIEW: zero(), POSTPONE_RECOMMENDED: zero() };
    const hits: Record<string, { old: number; new: number }> = {};
    const byTransition: Record<string, string[]> = {};
    for (const id of only) {
      const before = await replay(id, active);
      const after = await replay(id, stricter);
      outcomes.old[before.outcome] += 1;
      outcomes.new[after.outcome] += 1;
      transitions[before.outcome][after.outcome] += 1;
      (byTransition[`${before.outcome}->${after.outcome}`] ??= []).push(id);
      for (const hit of before.hits) (hits[hit.ruleId] ??= { old: 0, new: 0 }).old += 1;
      for (const hit of after.hits) (hits[hit.ruleId] ??= { old: 0, new: 0 }).new += 1;
    }
    return { outcomes, transitions, hits, byTransition };
  }

  function expectReportEquals(report: any, expected: Awaited<ReturnType<typeof individually>>, n: number) {
    expect(report.version).toBe(stricter);
    expect(report.baselineVersion).toBe(active);
    expect(report.evaluated).toBe(n);
    expect(report.outcomes.old).toEqual(expected.outcomes.old);
    expect(report.outcomes.new).toEqual(expected.outcomes.new);
    expect(report.transitions).toEqual(expected.transitions);
    const flagged = (c: Record<Outcome, number>) => c.REVIEW + c.POSTPONE_RECOMMENDED;
    expect(report.flaggedDelta).toBe(flagged(expected.outcomes.new) - flagged(expected.outcomes.old));
    const reported = Object.fromEntries(report.rules.filter((r: any) => r.old + r.new > 0).map((r: any) => [r.ruleId, { old: r.old, new: r.new }]));
    expect(reported).toEqual(expected.hits);
    for (const rule of report.rules) expect(rule.delta).toBe(rule.new - rule.old);
    expect(Object.keys(report.samples).sort()).toEqual(Object.keys(expected.byTransition).sort());
    for (const [transition, samples] of Object.entries(report.samples as Record<string, string[]>)) {
      expect(samples.length).toBe(Math.min(10, expected.byTransition[transition]!.length));
      for (const id of samples) expect(expected.byTransition[transition]).toContain(id);
    }
    expect(report.fairness.new.overall.count).toBe(n);
    expect(report.fairness.old.overall.count).toBe(n);
  }

  it('given a seeded history, when a small range is backtested, then it runs inline and its counts equal the sum of individual evaluations', async () => {
    const res = await backtest({ from, to });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('done');
    expect(res.body.total).toBe(ids.length + 1);
    const report = res.body.report;
    expectReportEquals(report, await individually(ids), ids.length);
    expect(report.unevaluable).toEqual({ count: 1, sampleIds: [unreadable] });
    // The change is real: Cambodia holidays move CLEAR -> REVIEW and Thailand now hits the hub rule.
    expect(report.transitions.CLEAR.REVIEW).toBeGreaterThan(0);
    expect(report.rules.find((r: any) => r.ruleId === 'destination.other-scam-hub').delta).toBe(5);
    expect(report.outcomes.stored).toEqual(report.outcomes.old);
  });

  it('given the fairness report of the backtest, then each group rate is its flagged share and the ratio compares it with the overall rate', async () => {
    const res = await backtest({ from, to });
    const fairness = res.body.report.fairness.new;
    expect(fairness.bySex.map((g: any) => g.group)).toEqual(['F', 'M']);
    expect(fairness.bySex.reduce((n: number, g: any) => n + g.count, 0)).toBe(fairness.overall.count);
    expect(fairness.byAgeBand.reduce((n: number, g: any) => n + g.count, 0)).toBe(fairness.overall.count);
    expect(fairness.byProvince.reduce((n: number, g: any) => n + g.count, 0)).toBe(fairness.overall.count);
    expect(fairness.byProvince.map((g: any) => g.group)).toEqual(['Jawa Barat', 'Jawa Timur', 'Nusa Tenggara Barat', 'Sumatera Utara']);
    for (const group of [...fairness.bySex, ...fairness.byAgeBand, ...fairness.byProvince]) {
      expect(group.flagRate).toBeCloseTo(group.flagged / group.count, 4);
      expect(group.flagRatio).toBeCloseTo(group.flagRate / fairness.overall.flagRate, 3);
      expect(group.postponeRate).toBeCloseTo(group.postponeRecommended / group.count, 4);
      expect(group.smallSample).toBe(true);
    }

    const stored = await api(ctx).get(`/api/v1/rulesets/${stricter}/fairness`).set(bearer(admin));
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ version: stricter, backtestId: res.body.id, comparedWith: active, overall: fairness.overall, bySex: fairness.bySex });
  });

  it('given only passport applications, when backtested by kind, then only those are evaluated', async () => {
    const res = await backtest({ from, to, kind: 'passport' });
    expect(res.status).toBe(201);
    const only = ids.filter((id) => passportIds.has(id));
    expectReportEquals(res.body.report, await individually(only), only.length);
  });

  it('given a request to run in the background, when the job finishes, then the report is the same as inline and can be fetched', async () => {
    const inline = await backtest({ from, to });
    const queued = await backtest({ from, to, background: true });
    expect(queued.status).toBe(202);
    expect(queued.body.state).toBe('queued');
    expect(queued.headers.location).toBe(`/api/v1/rulesets/${stricter}/backtests/${queued.body.id}`);
    const done = await eventually(
      async () => (await api(ctx).get(queued.headers.location!).set(bearer(admin))).body,
      (body) => body.state === 'done' || body.state === 'failed',
    );
    expect(done.state).toBe('done');
    expect(done.processed).toBe(ids.length + 1);
    expect(done.report).toEqual(inline.body.report);

    const list = await api(ctx).get(`/api/v1/rulesets/${stricter}/backtests`).set(bearer(admin));
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: queued.body.id, state: 'done' });
    expect(list.body.items[0].report).toBeUndefined();
  });

  it('given an empty range, when backtested, then zero counts', async () => {
    const res = await backtest({ from: '2001-01-01', to: '2001-02-01' });
    expect(res.status).toBe(201);
    expect(res.body.report).toMatchObject({ evaluated: 0, flaggedDelta: 0, outcomes: { old: { CLEAR: 0, REVIEW: 0, POSTPONE_RECOMMENDED: 0 } } });
  });

  it('given bad ranges, unknown versions or a non-admin, when backtesting, then 400, 404/422 or 403', async () => {
    expect((await backtest({ from: to, to: from })).status).toBe(400);
    expect((await backtest({ from })).status).toBe(400);
    expect((await backtest({ from, to }, 'rs-0000000000000000')).status).toBe(404);
    expect((await backtest({ from, to, baseline: 'rs-0000000000000000' })).status).toBe(422);
    const supervisor = await ctx.tokenFor('supervisor', 'HQ');
    expect((await api(ctx).post(`/api/v1/rulesets/${stricter}/backtest`).set(bearer(supervisor)).send({ from, to })).status).toBe(403);
  });
});
