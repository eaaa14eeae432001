import { createHash } from 'node:crypto';
import { referenceOffices } from '../../src/offices/reference';
import { generateDemoData, summarizeDemoData, type DemoData } from '../../src/postponements/demo-data';
import { DemoDataPresent, writeDemoData } from '../../src/postponements/seed-demo';
import { createTestContext, type TestContext } from '../support/harness';
import { get, query } from './support';

const fingerprint = (data: DemoData) => createHash('sha256').update(JSON.stringify(data)).digest('hex');

describe('demo data generator', () => {
  let data: DemoData;
  beforeAll(() => {
    data = generateDemoData({ seed: 42 });
  });

  it('given the same seed twice, when generating, then the data is identical, ids included', () => {
    const again = generateDemoData({ seed: 42 });
    expect(summarizeDemoData(again)).toEqual(summarizeDemoData(data));
    expect(fingerprint(again)).toBe(fingerprint(data));
  });

  it('given another seed, when generating, then January to April keep the published figures and the rest of the year differs', () => {
    const other = summarizeDemoData(generateDemoData({ seed: 7 }));
    const mine = summarizeDemoData(data);
    expect(other.postponedDepartures.byMonth.slice(0, 4)).toEqual(mine.postponedDepartures.byMonth.slice(0, 4));
    expect(other.postponedDepartures.byMonth.slice(4)).not.toEqual(mine.postponedDepartures.byMonth.slice(4));
  });

  it.each([1, 20250430])('given seed %i, when generating, then January–April 2025 hold 5,000 postponed departures and 303 postponed passport issuances by Jakarta month', (seed) => {
    const summary = summarizeDemoData(generateDemoData({ seed }));
    expect(summary.postponedDepartures.janToApr).toBe(5000);
    expect(summary.postponedPassportIssuances.janToApr).toBe(303);
    expect(summary.postponedDepartures.byMonth.slice(0, 4)).toEqual([1180, 1160, 1290, 1370]);
    expect(summary.postponedPassportIssuances.byMonth.slice(0, 4)).toEqual([71, 68, 79, 85]);
  });

  it('given the rest of the year, then every month is at a plausible level and the year holds thousands of applications', () => {
    const summary = summarizeDemoData(data);
    const within = (values: number[], min: number, max: number) => values.every((v) => v >= min && v <= max);
    expect(within(summary.postponedDepartures.byMonth.slice(4), 1000, 1500)).toBe(true);
    expect(within(summary.postponedPassportIssuances.byMonth.slice(4), 55, 110)).toBe(true);
    expect(summary.applications).toBeGreaterThan(30_000);
    expect(summary.decisions).toBe(summary.applications);
    for (const p of data.postponements) expect(p.decidedAt.getTime()).toBeLessThan(Date.parse('2026-01-01T00:00:00+07:00'));
  });

  it('given the destinations, then Cambodia leads and the other scam-hub countries all appear', () => {
    const counts = new Map<string, number>();
    for (const p of data.postponements) counts.set(p.destinationCountry, (counts.get(p.destinationCountry) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([country]) => country);
    expect(ranked[0]).toBe('KH');
    for (const country of ['MM', 'LA', 'TH', 'PH', 'MY']) expect(counts.get(country)).toBeGreaterThan(100);
  });

  it('given every row, then it is marked synthetic, in a real office of the right kind, and consistent with its application and case', () => {
    const offices = new Map(referenceOffices.map((office) => [office.code, office.kind]));
    const applications = new Map(data.applications.map((a) => [a.id, a]));
    const cases = new Map(data.cases.map((c) => [c.id, c]));
    // Collect the rows that break a rule rather than asserting row by row: one readable failure, and fast.
    const unmarked = data.applications.filter((a) => a.payload.synthetic !== true || a.submittedBy !== 'seed:demo' || !/^99\d{14}$/.test(a.nik));
    const misplaced = data.applications.filter((a) => offices.get(a.officeCode) !== (a.kind === 'departure' ? 'checkpoint' : 'passport_office'));
    const inconsistent = data.postponements.filter((p) => {
      const application = applications.get(p.applicationId);
      const flagged = cases.get(p.caseId);
      return (
        !application ||
        !flagged ||
        application.officeCode !== p.officeCode ||
        application.destinationCountry !== p.destinationCountry ||
        application.kind !== (p.kind === 'departure' ? 'departure' : 'passport') ||
        flagged.applicationId !== p.applicationId ||
        flagged.action !== 'postpone' ||
        flagged.reasonCode !== p.reasonCode ||
        flagged.decidedAt.getTime() !== p.decidedAt.getTime() ||
        !p.note.includes('sintetis')
      );
    });
    expect(unmarked).toEqual([]);
    expect(misplaced).toEqual([]);
    expect(inconsistent).toEqual([]);
    expect(new Set(data.applications.map((a) => a.id)).size).toBe(data.applications.length);
  });
});

/** The part of the demo data about January's postponed passport issuances: small enough to write in a test. */
function januaryPassports(data: DemoData): DemoData {
  const postponements = data.postponements.filter((p) => p.kind === 'passport_issuance' && p.decidedAt < new Date('2025-02-01T00:00:00+07:00'));
  const applicationIds = new Set(postponements.map((p) => p.applicationId));
  const postponementIds = new Set(postponements.map((p) => p.id));
  return {
    ...data,
    applications: data.applications.filter((a) => applicationIds.has(a.id)),
    decisions: data.decisions.filter((d) => applicationIds.has(d.applicationId)),
    cases: data.cases.filter((c) => applicationIds.has(c.applicationId)),
    postponements,
    followUps: data.followUps.filter((f) => postponementIds.has(f.postponementId)),
  };
}

describe('demo data writing', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('given an empty database, when demo data is written, then the log and statistics show it; again without force is refused; with force it is replaced, not doubled', async () => {
    const slice = januaryPassports(generateDemoData({ seed: 3 }));
    expect(slice.postponements).toHaveLength(71);

    expect(await writeDemoData(ctx.database.db, slice, { force: false })).toBe(0);

    const national = await ctx.tokenFor('supervisor', 'HQ');
    const stats = async () => (await get(ctx, national, '/postponements/stats?groupBy=month,kind')).body;
    expect(await stats()).toMatchObject({ total: 71, groups: [{ month: '2025-01', kind: 'passport_issuance', count: 71 }] });
    const [counts] = await query<{ applications: number; synthetic: number }>(
      ctx,
      "SELECT count(*)::int AS applications, count(*) FILTER (WHERE payload->>'synthetic' = 'true')::int AS synthetic FROM applications",
    );
    expect(counts).toEqual({ applications: slice.applications.length, synthetic: slice.applications.length });
    const listed = await get(ctx, national, '/postponements?limit=1');
    expect(listed.body.items[0]).toMatchObject({ source: 'review_queue', kind: 'passport_issuance' });

    await expect(writeDemoData(ctx.database.db, slice, { force: false })).rejects.toBeInstanceOf(DemoDataPresent);
    expect(await writeDemoData(ctx.database.db, slice, { force: true })).toBe(slice.applications.length);
    expect((await stats()).total).toBe(71);
  });
});
