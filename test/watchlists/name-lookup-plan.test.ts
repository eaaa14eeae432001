/** How a name is looked up in a long watchlist: through the trigram index, never by comparing every entry. */
import { cambodiaLure } from '../applications/payloads';
import { toQuery } from '../../src/db/prepared';
import { departureCheckInputSchema } from '../../src/screening/application-schema';
import { watchlistLookup } from '../../src/watchlists/matching';
import { createTestContext, type TestContext } from '../support/harness';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describe('watchlist name lookup on a long list', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    // 20,000 people and employers whose names are made of common Indonesian name parts, so many share
    // trigrams, as a national list would.
    await ctx.database.pool.query(`
      WITH parts AS (
        SELECT ARRAY['Muhammad','Siti','Nur','Agus','Budi','Dewi','Eko','Fitri','Hadi','Indah','Joko','Kartika','Lestari','Rizki','Putri',
                     'Ahmad','Sri','Wahyu','Yusuf','Rahmat','Ayu','Bambang','Citra','Dian','Fajar','Gita','Hendra','Intan','Kurnia','Lukman'] AS first,
               ARRAY['Santoso','Wijaya','Saputra','Hidayat','Kusuma','Pratama','Nugroho','Setiawan','Susanto','Rahayu','Wibowo','Purnomo',
                     'Hakim','Siregar','Nasution','Harahap','Simanjuntak','Gunawan','Halim','Salim','Utomo','Firmansyah','Permana','Suryadi'] AS last
      )
      INSERT INTO watchlist_entries (list, name, country, source, added_by, valid_from, created_at)
      SELECT (ARRAY['person', 'employer']::watchlist_kind[])[1 + g % 2],
        first[1 + g % 30] || ' ' || first[1 + (g / 30) % 30] || ' ' || last[1 + (g / 900) % 24] || ' ' || g,
        'KH', 'test fixture', 'fixture', now() - interval '1 day', now() - interval '1 day'
      FROM parts, generate_series(1, 20000) AS g`);
    await ctx.database.pool.query('ANALYZE watchlist_entries');
  });
  afterAll(() => ctx.close());

  it('given 20,000 names, when an application is screened, then each name is looked up through the index, never comparing it with every entry', async () => {
    const application = { kind: 'departure' as const, data: departureCheckInputSchema.parse(cambodiaLure()) };
    const lookup = watchlistLookup([{ application, requirements: ctx.screener.requirements!.departure.watchlist }], new Date());
    expect(lookup).not.toBeNull();
    const { sql, params } = toQuery(lookup!.query);
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      // As a prepared statement planned once for any values (as a pooled connection ends up running it).
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE test_watchlist_lookup AS ${sql}`);
      const literals: string[] = [];
      for (const param of params) literals.push((await client.query<{ literal: string }>('SELECT quote_nullable($1::text) AS literal', [param])).rows[0]!.literal);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE test_watchlist_lookup(${literals.join(', ')})`);
      const plan: PlanNode = rows[0]['QUERY PLAN'][0].Plan;
      const scans = nodes(plan).filter((node) => node['Relation Name'] === 'watchlist_entries').map((node) => node['Node Type']);
      // Phones and licences by their btree indexes; names inside saring_watchlist_name_candidates, by the trigram index.
      expect(scans).not.toContain('Seq Scan');
      expect(nodes(plan).some((node) => node['Node Type'] === 'Function Scan')).toBe(true);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
