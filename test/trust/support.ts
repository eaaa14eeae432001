import { Client } from 'pg';
import type { Response, Test } from 'supertest';
import { urlForDatabase } from '../support/databases';
import type { TestContext } from '../support/harness';

export async function count(ctx: TestContext, table: string): Promise<number> {
  const { rows } = await ctx.database.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n as number;
}

/** Row counts of every table in the database, to show a request wrote nothing. */
export async function rowCounts(ctx: TestContext): Promise<Record<string, number>> {
  const { rows } = await ctx.database.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of rows) counts[table_name] = await count(ctx, `"${table_name}"`);
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drops the database connection of a request in the middle of its transaction. A second connection
 * holds a SHARE lock on `table` (audit_log unless told), which lets reads through but not inserts, so
 * the request's transaction stops at its first write there (for audit_log: its first audit record,
 * after its other writes); with ACCESS EXCLUSIVE, at its first read of the table. That backend is then
 * terminated with pg_terminate_backend, as a crashed or restarted server, a failover or a network cut
 * would end it.
 */
export async function dropConnectionMidTransaction(ctx: TestContext, send: () => Test, table = 'audit_log', mode: 'SHARE' | 'ACCESS EXCLUSIVE' = 'SHARE'): Promise<Response> {
  const locker = new Client({ connectionString: urlForDatabase(ctx.databaseName) });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${table}" IN ${mode} MODE`);
    const lockerPid = (await locker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const pending = new Promise<Response>((resolve, reject) => send().then(resolve, reject));
    let victim: number | undefined;
    for (let attempt = 0; attempt < 500 && victim === undefined; attempt++) {
      // pg_stat_activity is read once per transaction and cached: clear it so each poll sees the request move.
      await locker.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await locker.query(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> $1 AND wait_event_type = 'Lock' AND wait_event = 'relation'`,
        [lockerPid],
      );
      victim = rows[0]?.pid;
      if (victim === undefined) await sleep(10);
    }
    if (victim === undefined) throw new Error(`the request never waited to write to ${table}`);
    const { rows } = await locker.query('SELECT pg_terminate_backend($1) AS done', [victim]);
    if (!rows[0].done) throw new Error(`could not terminate backend ${victim}`);
    return await pending;
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
}
