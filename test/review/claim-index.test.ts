import { createTestContext, type TestContext } from '../support/harness';
import { openCaseFor } from './support';

describe('claim query plan', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('given a long queue, when the next case is chosen, then PostgreSQL walks the claim-order index instead of sorting the queue', async () => {
    for (let i = 0; i < 5; i++) await openCaseFor(ctx, { officeCode: 'TPI-CGK' });
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      // Tiny tables are always sorted; tell the planner what a real queue looks like.
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN
        SELECT id FROM cases
        WHERE office_code = 'TPI-CGK' AND (state = 'open' OR (state = 'claimed' AND lease_expires_at < now()))
          AND (assigned_to IS NULL OR assigned_to = 'someone')
        ORDER BY (assigned_to IS NOT NULL) DESC, (kind = 'departure') DESC, priority_at ASC,
                 (outcome = 'POSTPONE_RECOMMENDED') DESC, score DESC, created_at ASC, id ASC
        LIMIT 1 FOR UPDATE SKIP LOCKED`);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toContain('cases_claim_order_idx');
      expect(plan).not.toMatch(/\bSort\b/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
