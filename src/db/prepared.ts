/**
 * Runs a fixed-shape query as a named prepared statement, so each pooled connection parses and plans
 * it once. Screening resolves watchlist matches and links for every application, and planning those
 * queries (trigram and expression indexes) costs more than running them.
 *
 * The statement's text is compiled by drizzle once per name; later calls only collect its parameters
 * (collectParams), which skips drizzle's generic compile, the largest cost of a screening request
 * in node after the network (profiled: 12% of the API process's time).
 */
import { Column, is, Name, Param, Placeholder, SQL, StringChunk, Table, type SQL as SQLType } from 'drizzle-orm';
import { PgDialect, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Database, RootDatabase } from './client';

/**
 * node-postgres parses timestamps, dates and intervals into JS values by default; drizzle's driver
 * keeps them as text for each column's own decoding (decodeRow). Rows come back the same on both paths.
 */
const driverTypes = {
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') => {
    const { builtins } = pg.types;
    if (typeId === builtins.TIMESTAMPTZ || typeId === builtins.TIMESTAMP || typeId === builtins.DATE || typeId === builtins.INTERVAL) {
      return (value: string) => value;
    }
    return pg.types.getTypeParser(typeId, format);
  }) as typeof pg.types.getTypeParser,
};

const dialect = new PgDialect();

/** The statement's text and parameters, as PostgreSQL receives them. */
export function toQuery(query: SQLType): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(query);
}

const compiled = new Map<string, { text: string; paramCount: number }>();

/** Set in tests: every fast parameter list is checked against drizzle's own compile. */
const crossCheck = process.env.NODE_ENV === 'test';

/**
 * Executes `query` (whose text must be the same on every call with this `name`) and returns its rows
 * as drizzle's driver reads them (timestamps as text). Inside a transaction it runs on that
 * transaction, unprepared.
 */
export async function runPrepared<Row extends Record<string, unknown>>(db: Database, name: string, query: SQLType): Promise<Row[]> {
  if (is(db, PgTransaction)) return (await db.execute(query)).rows as Row[];
  const { text, params } = statementOf(name, query);
  return (await (db as RootDatabase).$client.query<Row>({ name, text, values: params, types: driverTypes })).rows;
}

function statementOf(name: string, query: SQLType): { text: string; params: unknown[] } {
  const known = compiled.get(name);
  const params: unknown[] = [];
  if (known && collectParams(query, params) && params.length === known.paramCount) {
    if (crossCheck) assertSameAsDrizzle(name, known.text, params, query);
    return { text: known.text, params };
  }
  const full = toQuery(query);
  if (known && known.text !== full.sql) throw new Error(`prepared statement ${name} changed its text between calls`);
  compiled.set(name, { text: full.sql, paramCount: full.params.length });
  return { text: full.sql, params: full.params };
}

/**
 * Appends the parameters of `chunk` in the order drizzle's compile numbers them, for the kinds of
 * chunk our fixed-shape statements are built from; false for anything else (the caller then
 * compiles in full).
 */
function collectParams(chunk: unknown, out: unknown[]): boolean {
  if (chunk === undefined || chunk instanceof StringChunk || chunk instanceof Name) return true;
  if (chunk instanceof SQL) {
    if ((chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return false;
    for (const inner of chunk.queryChunks) if (!collectParams(inner, out)) return false;
    return true;
  }
  if (Array.isArray(chunk)) {
    for (const inner of chunk) if (!collectParams(inner, out)) return false;
    return true;
  }
  if (chunk instanceof Param) {
    if (chunk.value instanceof Placeholder) return false;
    const mapped = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
    if (mapped instanceof SQL) return collectParams(mapped, out);
    out.push(mapped);
    return true;
  }
  if (chunk instanceof Table || chunk instanceof Column) return true;
  if (chunk === null || (typeof chunk !== 'object' && typeof chunk !== 'function')) {
    out.push(chunk);
    return true;
  }
  if (chunk instanceof Date) {
    out.push(chunk);
    return true;
  }
  return false;
}

function assertSameAsDrizzle(name: string, text: string, params: unknown[], query: SQLType): void {
  const full = toQuery(query);
  if (full.sql !== text || JSON.stringify(full.params) !== JSON.stringify(params)) {
    throw new Error(`prepared statement ${name}: the fast parameter list differs from drizzle's compile`);
  }
}
