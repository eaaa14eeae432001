/**
 * Runs a fixed-shape query as a named prepared statement, so each pooled connection parses and plans
 * it once. Screening resolves watchlist matches and links for every application, and planning those
 * queries (trigram and expression indexes) costs more than running them.
 */
import { is, type SQL } from 'drizzle-orm';
import { PgDialect, PgTransaction } from 'drizzle-orm/pg-core';
import type { Database, RootDatabase } from './client';

const dialect = new PgDialect();

/** The statement's text and parameters, as PostgreSQL receives them. */
export function toQuery(query: SQL): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(query);
}

/**
 * Executes `query` (whose text must be the same on every call with this `name`) and returns its rows
 * as node-postgres parses them. Inside a transaction it runs on that transaction, unprepared.
 */
export async function runPrepared<Row extends Record<string, unknown>>(db: Database, name: string, query: SQL): Promise<Row[]> {
  if (is(db, PgTransaction)) return (await db.execute(query)).rows as Row[];
  const { sql, params } = toQuery(query);
  return (await (db as RootDatabase).$client.query<Row>({ name, text: sql, values: params })).rows;
}
