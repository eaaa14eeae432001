import { claimNextCaseStatement, type ClaimContext } from '../../src/review/claims';
import { toQuery } from '../../src/db/prepared';
import { createTestContext, type TestContext } from '../support/harness';
import { openCaseFor } from './support';

describe('claim query plan', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const claimContext = (now: Date): ClaimContext => ({
    actor: { userId: 'plan-officer', role: 'officer', officeCode: 'TPI-CGK' },
    scope: 'TPI-CGK',
    leaseMinutes: 30,
    requestId: 'plan',
    now,
  });

  /** The plan of the claim statement as the service sends it, in a transaction rolled back afterwards (nothing is claimed). */
  async function planOfClaim(analyse: boolean): Promise<string> {
    const { sql, params } = toQuery(claimNextCaseStatement(claimContext(new Date())));
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      // Tiny tables are always scanned and sorted; tell the planner what a real queue looks like.
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${analyse ? '(ANALYZE, COSTS OFF)' : ''} ${sql}`, params);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it('given a queue, when the next case is chosen, then open cases are read in order from their index and lapsed claims from theirs', async () => {
    for (let i = 0; i < 5; i++) await openCaseFor(ctx, { officeCode: 'TPI-CGK' });
    const plan = await planOfClaim(false);
    expect(plan).toMatch(/Index Scan using cases_open_claim_order_idx/);
    expect(plan).toMatch(/cases_lapsing_claims_idx/);
  });

  it('given 300 live claims more urgent than the one open case, when the next case is chosen, then the claim does not walk past them', async () => {
    const urgent = new Date(Date.now() + 3_600_000);
    const held: string[] = [];
    for (let i = 0; i < 300; i++) held.push(await openCaseFor(ctx, { officeCode: 'TPI-CGK', departureAt: urgent }));
    await ctx.database.pool.query(
      "UPDATE cases SET state = 'claimed', claimed_by = 'someone', claimed_at = now(), lease_expires_at = now() + interval '30 minutes' WHERE id = ANY($1::uuid[])",
      [held],
    );
    await openCaseFor(ctx, { officeCode: 'TPI-CGK', departureAt: new Date(Date.now() + 86_400_000) });

    const plan = await planOfClaim(true);
    const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(0, ...removed)).toBeLessThan(300);
    const openPick = plan.slice(plan.indexOf('CTE open_pick'), plan.indexOf('CTE lapsed_pick'));
    const rowsRead = [...openPick.matchAll(/Index Scan using \S+ on cases \(actual time=[\d.]+ rows=(\d+) /g)].map((m) => Number(m[1]));
    // The six open cases of this file at most, never the 300 claimed ones.
    expect(rowsRead).toHaveLength(1);
    expect(rowsRead[0]).toBeLessThanOrEqual(6);
  });
});
