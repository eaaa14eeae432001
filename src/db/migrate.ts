import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { projectPath } from '../paths';
import type { Pool } from 'pg';

export const migrationsFolder = projectPath('drizzle');

/** Any fixed number: it names the advisory lock that keeps two starting processes from migrating at once. */
const MIGRATION_LOCK_KEY = 724_217_001;

/** Applies the SQL migrations in drizzle/ under an advisory lock, so parallel starts are safe. */
export async function runMigrations(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
