import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import IORedis from 'ioredis';
import { createDatabaseFromTemplate } from '../support/harness';
import { dropDatabase, urlForDatabase, withAdminClient } from '../support/databases';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A login on a connection of its own, so the cluster's primary hands each one to the next process in turn. */
function failedLogin(port: number, username: string): Promise<number> {
  const body = JSON.stringify({ username, password: 'not-the-password' });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/v1/auth/login', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The API processes the primary forked (tsx's esbuild service is a child too, and not one of them). */
const apiProcessesOf = (pid: number): number[] =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('src/main.ts'))
    .map((line) => Number(line.split(/\s+/)[0]));

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('several API processes on one port', () => {
  let databaseName: string;
  let child: ChildProcess | undefined;
  let output = '';
  const prefix = `saring-test-cluster-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    databaseName = await createDatabaseFromTemplate();
  });
  afterAll(async () => {
    // The whole process group, so no API process outlives a failed test.
    if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    await withAdminClient((client) => dropDatabase(client, databaseName));
    const redis = new IORedis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('given API_PROCESSES=2 with Redis, when failed logins for one username alternate between the processes, then the limit is counted once for both, and a signal stops every process', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: urlForDatabase(databaseName),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        API_PROCESSES: '2',
        API_RUNS_JOBS: 'false',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOGIN_RATE_LIMIT: '3',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes('Saring is ready.')) {
          clearInterval(check);
          resolve();
        } else if (child!.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`the service exited: ${output}`));
        }
      }, 100);
    });
    const apiProcesses = apiProcessesOf(child.pid!);
    expect(apiProcesses).toHaveLength(2);

    // Three failures are allowed per username; in memory, each process would have seen only two by the fourth.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await failedLogin(port, 'shared.limit.user'));
    expect(statuses).toEqual([401, 401, 401, 429]);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(apiProcesses.filter(isRunning)).toEqual([]);
  }, 240_000);
});
