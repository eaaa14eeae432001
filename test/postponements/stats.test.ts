import { createTestContext, type TestContext } from '../support/harness';
import { emptyLog, get, insertLogRows, manualBody, post, type LogRow, type User } from './support';

type Dimension = 'month' | 'office' | 'destination' | 'reason' | 'kind';
type Group = Partial<Record<Dimension, string>> & { count: number };

const dimensions: Dimension[] = ['month', 'office', 'destination', 'reason', 'kind'];

/** A fixed spread of 60 entries over three months, three offices, four destinations and four reasons. */
function fixtureRows(): (LogRow & { expected: Record<Dimension, string> })[] {
  const months = ['2025-01', '2025-02', '2025-03'];
  const offices = ['TPI-CGK', 'TPI-KNO', 'KANIM-JAKSEL'];
  const destinations = ['KH', 'KH', 'MM', 'LA', 'TH'];
  const reasons = ['nonprocedural_migrant_worker', 'incomplete_documents', 'inconsistent_purpose', 'suspected_trafficking_victim'];
  return Array.from({ length: 60 }, (_, i) => {
    const month = months[i % 3]!;
    const office = offices[(i * 7) % 3 === 0 ? 0 : i % 3]!;
    const kind = office.startsWith('KANIM') ? ('passport_issuance' as const) : ('departure' as const);
    const destination = destinations[(i * 3) % 5]!;
    const reason = reasons[(i * 5) % 4]!;
    // Mid-month at noon WIB, well away from any month boundary.
    const decidedAt = `${month}-${String(10 + (i % 15)).padStart(2, '0')}T12:00:00+07:00`;
    return { kind, office, destination, reason, decidedAt, expected: { month, office, destination, reason, kind } };
  });
}

function expectedGroups(rows: ReturnType<typeof fixtureRows>, groupBy: Dimension[]): Group[] {
  const counts = new Map<string, Group>();
  for (const row of rows) {
    const key = groupBy.map((dim) => row.expected[dim]).join('|');
    const group = counts.get(key) ?? { ...Object.fromEntries(groupBy.map((dim) => [dim, row.expected[dim]])), count: 0 };
    group.count++;
    counts.set(key, group);
  }
  return [...counts.values()];
}

const withoutLabels = (groups: (Group & { reasonLabel?: unknown })[]) => groups.map(({ reasonLabel: _label, ...group }) => group);
const byKey = (groupBy: Dimension[]) => (a: Group, b: Group) =>
  groupBy.map((d) => a[d]).join('|').localeCompare(groupBy.map((d) => b[d]).join('|'));

describe('postponement statistics', () => {
  let ctx: TestContext;
  let national: User;
  let officer: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    national = await ctx.userFor('supervisor', 'HQ');
    officer = await ctx.userFor('officer', 'TPI-KNO');
  });
  afterAll(() => ctx.close());
  beforeEach(() => emptyLog(ctx));

  const stats = (by: User, qs: string) => get(ctx, by.token, `/postponements/stats?${qs}`);

  describe('grouping adds up', () => {
    const rows = fixtureRows();
    beforeEach(() => insertLogRows(ctx, rows));

    const single = dimensions.map((dim) => [dim]);
    const pairs = dimensions.flatMap((a, i) => dimensions.slice(i + 1).map((b) => [a, b]));

    it.each([...single, ...pairs].map((groupBy) => [groupBy.join(','), groupBy] as const))(
      'given 60 entries, when grouped by %s, then the groups are exactly the expected counts and add up to the total',
      async (_name, groupBy) => {
        const res = await stats(national, `groupBy=${groupBy.join(',')}`);

        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ timeZone: 'Asia/Jakarta', groupBy, total: 60 });
        const groups: Group[] = withoutLabels(res.body.groups);
        expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(60);
        expect([...groups].sort(byKey(groupBy))).toEqual(expectedGroups(rows, groupBy).sort(byKey(groupBy)));
      },
    );

    it('given no groupBy, when asking, then just the total', async () => {
      const res = await stats(national, '');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ timeZone: 'Asia/Jakarta', groupBy: [], total: 60, syntheticTotal: 0, outcomes: { lifted: 0, upheld: 0, reReviewOpen: 0, deadlineLapsed: 0 }, groups: [] });
    });

    it('given groupBy as repeated parameters with a duplicate, when asking, then it is read as one list', async () => {
      const res = await stats(national, 'groupBy=month&groupBy=kind,month');
      expect(res.status).toBe(200);
      expect(res.body.groupBy).toEqual(['month', 'kind']);
    });

    it('given a grouping by reason, then every group carries the bilingual reason label', async () => {
      const res = await stats(national, 'groupBy=reason');
      const incomplete = res.body.groups.find((g: { reason: string }) => g.reason === 'incomplete_documents');
      expect(incomplete.reasonLabel).toEqual({ id: 'Dokumen tidak lengkap', en: 'Incomplete documents' });
    });

    it('given filters, when grouping, then only matching entries are counted', async () => {
      const res = await stats(national, 'kind=passport_issuance&destination=kh&from=2025-02-01&to=2025-03-31&groupBy=month');
      const expected = rows.filter(
        (r) => r.expected.kind === 'passport_issuance' && r.expected.destination === 'KH' && r.expected.month !== '2025-01',
      );
      expect(res.body.total).toBe(expected.length);
      expect(res.body.total).toBeGreaterThan(0);
      expect(withoutLabels(res.body.groups).sort(byKey(['month']))).toEqual(expectedGroups(expected, ['month']).sort(byKey(['month'])));
    });

    it('given an officer, when asking, then only their office is counted, and naming another office is 404', async () => {
      const own = rows.filter((r) => r.expected.office === 'TPI-KNO').length;
      const res = await stats(officer, 'groupBy=office');
      expect(res.body).toMatchObject({ total: own, groups: [{ office: 'TPI-KNO', count: own }] });
      expect((await stats(officer, 'office=TPI-CGK')).status).toBe(404);
    });
  });

  describe('monthly buckets are Asia/Jakarta months', () => {
    it('given a postponement at 2025-01-31T18:00Z (01:00 WIB on 1 February), when counting by month, then it counts in February', async () => {
      const headquartersOfficer = await ctx.userFor('supervisor', 'HQ');
      const recorded = await post(ctx, headquartersOfficer.token, '/postponements', manualBody({ officeCode: 'TPI-CGK', decidedAt: '2025-01-31T18:00:00Z' }));
      expect(recorded.status).toBe(201);

      const res = await stats(national, 'groupBy=month');

      expect(res.body.groups).toEqual([{ month: '2025-02', count: 1 }]);
    });

    it('given entries around month ends, including one from an office on Makassar time, then each counts in its Jakarta month', async () => {
      await insertLogRows(ctx, [
        { decidedAt: '2025-01-31T16:59:59Z' }, // 23:59:59 WIB, 31 January
        { decidedAt: '2025-01-31T17:00:00Z' }, // 00:00 WIB, 1 February
        // 23:30 WIB on 31 March, but already 00:30 on 1 April in Bali: the Jakarta month decides.
        { decidedAt: '2025-03-31T16:30:00Z', office: 'TPI-DPS' },
        { decidedAt: '2024-12-31T17:00:00Z' }, // 00:00 WIB, 1 January 2025
      ]);

      const res = await stats(national, 'groupBy=month');

      expect(res.body).toMatchObject({
        total: 4,
        groups: [
          { month: '2025-01', count: 2 },
          { month: '2025-02', count: 1 },
          { month: '2025-03', count: 1 },
        ],
      });
    });
  });

  describe('validation', () => {
    it.each([
      ['an unknown dimension', 'groupBy=month,year'],
      ['an unknown dimension alone', 'groupBy=officer'],
      ['an unknown filter', 'groupBy=month&colour=red'],
      ['a malformed date', 'groupBy=month&from=2025-13-01'],
    ])('given %s, when asking, then 400 with field details', async (_what, qs) => {
      const res = await stats(national, qs);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.length).toBeGreaterThan(0);
      expect(res.body.error.details[0].path).toMatch(/^(groupBy|colour|from)/);
    });
  });
});
