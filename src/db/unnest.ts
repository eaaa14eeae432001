import { getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], $2::type[], ...)`: any number of rows
 * in one statement with one array parameter per column, so its text is the same for one row or a
 * thousand and it can run as a named prepared statement. Values go through each column's own driver
 * mapping (jsonb to JSON text, timestamps to ISO strings), as drizzle's insert does. The columns are
 * every key any row has; a key missing from a row is NULL there, not the column's default.
 */
export function insertByUnnest<T extends PgTable>(table: T, rows: ReadonlyArray<Partial<T['$inferInsert']>>): SQL {
  if (rows.length === 0) throw new Error('insertByUnnest needs at least one row');
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const targets: SQLWrapper[] = [];
  const arrays: SQL[] = [];
  for (const key of keys) {
    const column = columns[key];
    if (!column) throw new Error(`${key} is not a column of this table`);
    const values = rows.map((row) => {
      const value = (row as Record<string, unknown>)[key];
      return value === undefined || value === null ? null : column.mapToDriverValue(value);
    });
    targets.push(sql.identifier(column.name));
    arrays.push(sql`${sql.param(values)}::${sql.raw(column.getSQLType())}[]`);
  }
  return sql`INSERT INTO ${table} (${sql.join(targets, sql`, `)}) SELECT * FROM unnest(${sql.join(arrays, sql`, `)})`;
}
