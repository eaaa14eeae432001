/**
 * Fresh, migrated PostgreSQL databases for the benchmarks, on the server at BENCH_DATABASE_URL or
 * DATABASE_URL (default: the local server the tests use), dropped afterwards unless BENCH_KEEP_DB=1.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connectDatabase, type DatabaseHandle } from '../src/db/client';
import { runMigrations } from '../src/db/migrate';
import { seedReferenceOffices } from '../src/offices/reference';

export const serverUrl = () => process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlForDatabase(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function postgresVersion(): Promise<string> {
  try {
    return await withAdminClient(async (c) => {
      const { rows } = await c.query<{ version: string }>('SELECT version()');
      return rows[0]!.version.split(' on ')[0]!;
    });
  } catch (error) {
    return `PostgreSQL unreachable at ${new URL(serverUrl()).host} (${(error as Error).message})`;
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** A pool for the bench itself (setup and checks), separate from the API's. */
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

/** Creates, migrates and seeds (reference offices) a database of its own for one section. */
export async function createBenchDatabase(section: string, keep: boolean): Promise<BenchDatabase> {
  const name = `saring_bench_${section}_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = urlForDatabase(name);
  const handle = connectDatabase(url, 60);
  await runMigrations(handle.pool);
  await seedReferenceOffices(handle.db);
  return {
    name,
    url,
    handle,
    async drop() {
      await handle.close();
      if (keep) console.log(`  kept database ${name}`);
      else await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
