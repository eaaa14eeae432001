import { sql } from 'drizzle-orm';
import { runPrepared } from '../../src/db/prepared';
import { createTestContext, type TestContext } from '../support/harness';

describe('named prepared statements', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const statement = (id: number, tags: string[], at: Date) =>
    sql`select ${id}::int as id, array_length(${sql.param(tags)}::text[], 1) as tags, ${at}::timestamptz as at, ${sql.raw("'fixed'")} as label`;

  it('given one statement run again with other values, when it reuses the compiled text, then each run answers for its own values', async () => {
    const first = await runPrepared(ctx.database.db, 'test_prepared_values', statement(1, ['a'], new Date('2026-01-01T00:00:00Z')));
    const second = await runPrepared(ctx.database.db, 'test_prepared_values', statement(2, ['a', 'b', 'c'], new Date('2026-02-01T00:00:00Z')));
    // Timestamps come back as text, as drizzle's driver reads them, for the columns' own decoding.
    expect(first).toEqual([{ id: 1, tags: 1, at: expect.any(String), label: 'fixed' }]);
    expect(new Date(String(first[0]!.at)).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(second).toEqual([{ id: 2, tags: 3, at: expect.any(String), label: 'fixed' }]);
    expect(new Date(String(second[0]!.at)).toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('given a name reused for a statement of another text, when run, then it is refused instead of running the old text with new values', async () => {
    await runPrepared(ctx.database.db, 'test_prepared_text', sql`select ${1}::int as n`);
    await expect(runPrepared(ctx.database.db, 'test_prepared_text', sql`select ${1}::int as n, ${2}::int as m`)).rejects.toThrow(/changed its text/);
  });
});
