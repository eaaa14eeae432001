/** How the subject-of-interest list is searched at screening: by index on each key, never entry by entry. */
import { japanHoliday } from '../applications/payloads';
import { toQuery } from '../../src/db/prepared';
import { departureCheckInputSchema } from '../../src/screening/application-schema';
import { subjectOfInterestLookup } from '../../src/subjects/matching';
import { createTestContext, type TestContext } from '../support/harness';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describe('subject-of-interest lookup on a long list', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    // 50,000 entries: a third by NIK, a third by passport number, a third by name and date of birth.
    await ctx.database.pool.query(`
      INSERT INTO subjects_of_interest (nik, passport_number, full_name, date_of_birth, reason, source, bar_from, bar_until, office_code, created_by, created_at)
      SELECT CASE WHEN g % 3 = 0 THEN '3201' || lpad(g::text, 12, '0') END,
             CASE WHEN g % 3 = 1 THEN 'E' || lpad(g::text, 7, '0') END,
             CASE WHEN g % 3 = 2 THEN 'Orang Terlarang ' || g END,
             CASE WHEN g % 3 = 2 THEN date '1980-01-01' + (g % 9000) END,
             'fixture', 'fixture', now() - interval '1 day', now() + interval '180 days', 'TPI-CGK', 'fixture', now() - interval '1 day'
      FROM generate_series(1, 50000) AS g`);
    await ctx.database.pool.query('ANALYZE subjects_of_interest');
  });
  afterAll(() => ctx.close());

  it('given 50,000 entries, when an application is screened, then its NIK, passport number and name with birth date are each an index scan', async () => {
    const application = { kind: 'departure' as const, data: departureCheckInputSchema.parse(japanHoliday()) };
    const matches = ctx.screener.requirements!.departure.subjectsOfInterest;
    expect(matches).toEqual(['nik', 'passport', 'nameDob']);
    const lookup = subjectOfInterestLookup([{ application, matches }], new Date(), new Date());
    const { sql, params } = toQuery(lookup!.query);
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      // As a prepared statement planned once for any values (as a pooled connection ends up running it).
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE test_subject_lookup AS ${sql}`);
      const literals: string[] = [];
      for (const param of params) literals.push((await client.query<{ literal: string }>('SELECT quote_nullable($1::text) AS literal', [param])).rows[0]!.literal);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE test_subject_lookup(${literals.join(', ')})`);
      const plan: PlanNode = rows[0]['QUERY PLAN'][0].Plan;
      const scans = nodes(plan).filter((node) => node['Relation Name'] === 'subjects_of_interest');
      expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
      const indexes = new Set(scans.map((node) => node['Index Name']));
      for (const index of ['subjects_of_interest_nik_idx', 'subjects_of_interest_passport_idx', 'subjects_of_interest_name_dob_idx']) expect(indexes).toContain(index);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
