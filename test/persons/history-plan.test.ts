/** How a person's history is found among many applications: by index on each key, never by reading the table. */
import { japanHoliday } from '../applications/payloads';
import { toQuery } from '../../src/db/prepared';
import { personHistoryQuery } from '../../src/persons/history';
import { createTestContext, type TestContext } from '../support/harness';

/** The scale: a national system's year or two of applications. */
const APPLICATIONS = 1_000_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describe(`person history lookup on ${APPLICATIONS.toLocaleString('en')} applications`, () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    // Every application its own person (NIK, passport number, name), over two years, at ten offices.
    await ctx.database.pool.query(`
      INSERT INTO applications (kind, office_code, submitted_by, submitted_at, full_name, nik, passport_number, date_of_birth, destination_country,
                                departure_at, payload, outcome, score, rule_set_version)
      SELECT 'departure', 'TPI-CGK', 'bulk', timestamptz '2025-01-01 00:00Z' + (i % 730) * interval '1 day' + (i % 1440) * interval '1 minute',
             'Bulk ' || i, lpad(i::text, 16, '0'), 'E' || lpad(i::text, 7, '0'), date '1970-01-01' + (i % 15000), 'KH',
             timestamptz '2025-01-02 00:00Z' + (i % 730) * interval '1 day', '{}'::jsonb, 'CLEAR', 0, 'bulk'
      FROM generate_series(1, ${APPLICATIONS}) AS i`);
    await ctx.database.pool.query('ANALYZE applications');
  }, 900_000);
  afterAll(() => ctx.close());

  it.each(['force_custom_plan', 'force_generic_plan'])('given the history query for all three keys under %s, when explained, then each key is an index scan of its own index and nothing scans the table', async (mode) => {
    const { traveller } = japanHoliday();
    const query = toQuery(
      personHistoryQuery({ asOf: new Date('2027-01-01T00:00:00Z'), people: [{ nik: traveller.nik, passportNumber: traveller.passportNumber, fullName: traveller.fullName, dateOfBirth: traveller.dateOfBirth }] }),
    );
    const client = await ctx.database.pool.connect();
    try {
      await client.query(`PREPARE history_probe AS ${query.sql}`);
      await client.query(`SET plan_cache_mode = ${mode}`);
      const literals: string[] = [];
      for (const param of query.params) literals.push((await client.query<{ literal: string }>('SELECT quote_nullable($1::text) AS literal', [param])).rows[0]!.literal);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE history_probe(${literals.join(', ')})`);
      const all = nodes(rows[0]['QUERY PLAN'][0].Plan);
      expect(all.filter((node) => node['Relation Name'] === 'applications').map((node) => node['Node Type'])).not.toContain('Seq Scan');
      const indexes = new Set(all.map((node) => node['Index Name']).filter(Boolean));
      for (const index of ['applications_nik_idx', 'applications_passport_number_idx', 'applications_name_dob_idx']) expect(indexes).toContain(index);
    } finally {
      await client.query('DEALLOCATE history_probe; RESET plan_cache_mode');
      client.release();
    }
  });
});
