import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgTransaction } from 'drizzle-orm/pg-core';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
export type RootDatabase = NodePgDatabase<Schema> & { $client: Pool };
export type Transaction = PgTransaction<NodePgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the pool-backed database or an open transaction: functions that only write take this. */
export type Database = RootDatabase | Transaction;

export interface DatabaseHandle {
  db: RootDatabase;
  pool: Pool;
  close(): Promise<void>;
}

export function connectDatabase(url: string, poolMax = 20): DatabaseHandle {
  const pool = new Pool({
    connectionString: url,
    max: poolMax,
    application_name: 'saring',
    // Named prepared statements (src/db/prepared.ts) are planned once per connection. Left to choose,
    // PostgreSQL kept re-planning the screening statement on every run (1.2 ms to run it with one plan,
    // 2.0 ms re-planned); its lookups are written to need no plan of their own values.
    options: '-c plan_cache_mode=force_generic_plan',
  });
  // An idle client that loses its server (restart, terminated backend) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may one that loses it while checked out (mid-query or mid-transaction): the pool listens only
  // to idle clients, and an 'error' event nobody listens to kills the process. The query in flight
  // still fails (the request answers 503), and the pool discards the dead client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
