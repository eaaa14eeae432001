/**
 * Starts the real API process (src/main.ts) or worker process (src/worker.ts), compiled as the
 * production image runs them, against a bench database, with bench/noop-endpoint.ts preloaded (memory
 * figures over IPC; in the API, a no-op endpoint in the same process), and stops them with SIGTERM
 * (their graceful shutdown).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildDir, compiled, repoRoot, resultsDir } from './paths';
import { printHotSpots, profilesDir, profilingEnabled, summariseProfile } from './profile';

/** The rule set every section measures: RULES_DIR as the service reads it, by default rules/default. */
export const rulesDir = () => process.env.RULES_DIR ?? 'rules/default';

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export interface ServiceProcess {
  pid: number;
  /** The settings the process was started with (JWT secret etc.), to issue tokens it accepts. */
  env: Record<string, string>;
  logFile: string;
  memory(): Promise<{ rssBytes: number; maxRssBytes: number; heapUsedBytes: number }>;
  /**
   * With BENCH_CPU_PROF=1, profiles the process while `work` runs and prints its hot spots
   * (bench/results/profiles/<name>.cpuprofile); otherwise just runs `work`.
   */
  profile<T>(name: string, work: () => Promise<T>): Promise<T>;
  stop(): Promise<number | null>;
}

export interface ApiProcess extends ServiceProcess {
  url: string;
  noopUrl: string;
}

export interface ServiceOptions {
  name: string;
  databaseUrl: string;
  /** Extra or overriding settings (the variables of src/config.ts). */
  settings?: Record<string, string>;
}

/** Settings shared by the processes of one section (the API and its worker must agree on them). */
export function baseSettings(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    RULES_DIR: rulesDir(),
  };
}

async function spawnService(entry: 'main' | 'worker', options: ServiceOptions, env: Record<string, string>) {
  const logsDir = join(resultsDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const logFile = join(logsDir, `${options.name}.log`);
  const log = openSync(logFile, 'w');
  // The compiled build, as the production image runs it (node dist/src/main.js); under BENCH_RUNTIME=tsx, as `npm start` does.
  const nodeArgs = compiled
    ? ['--require', join(buildDir, 'bench', 'noop-endpoint.js'), join(buildDir, 'src', `${entry}.js`)]
    : ['--require', 'tsx/cjs', '--require', './bench/noop-endpoint.ts', `src/${entry}.ts`];
  // Only what the service needs: its settings come from `env`, nothing else leaks in (no REDIS_URL unless given).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => ['PATH', 'HOME', 'LANG', 'TZ'].includes(key))) as Record<string, string>;
  const child: ChildProcess = spawn(process.execPath, nodeArgs, { cwd: repoRoot, env: { ...inherited, ...env }, stdio: ['ignore', log, log, 'ipc'] });
  closeSync(log);

  let exited: number | null | undefined;
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done((exited = code))));
  const noopPort = await new Promise<number>((done, fail) => {
    const onMessage = (m: { type?: string; noopPort?: number }) => {
      if (m?.type !== 'preload-ready') return;
      child.off('message', onMessage);
      done(m.noopPort ?? 0);
    };
    child.on('message', onMessage);
    void exit.then((code) => fail(new Error(`${options.name} exited (${code}) before it started; see ${logFile}`)));
  });

  const ask = (message: object, reply: string) =>
    new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${options.name} did not answer ${reply}`)), 30_000);
      const onMessage = (m: { type?: string }) => {
        if (m?.type !== reply) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        done();
      };
      child.on('message', onMessage);
      child.send(message);
    });

  const service: ServiceProcess = {
    pid: child.pid!,
    async profile(name, work) {
      if (!profilingEnabled()) return work();
      mkdirSync(profilesDir, { recursive: true });
      const file = join(profilesDir, `${name}.cpuprofile`);
      await ask({ type: 'profile-start' }, 'profile-started');
      try {
        return await work();
      } finally {
        await ask({ type: 'profile-stop', file }, 'profile-stopped');
        printHotSpots(`${name} (pid ${child.pid}) -> bench/results/profiles/${name}.cpuprofile`, summariseProfile(file, 20));
      }
    },
    env,
    logFile,
    memory: () =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`${options.name} did not report its memory`)), 5_000);
        const onMessage = (m: { type?: string; memory?: NodeJS.MemoryUsage; maxRssBytes?: number }) => {
          if (m?.type !== 'stats') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          done({ rssBytes: m.memory!.rss, maxRssBytes: m.maxRssBytes!, heapUsedBytes: m.memory!.heapUsed });
        };
        child.on('message', onMessage);
        child.send({ type: 'stats' });
      }),
    async stop() {
      if (exited !== undefined) return exited;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exit;
      clearTimeout(timeout);
      return code;
    },
  };
  return { service, noopPort, exitedCode: () => exited };
}

/** The API process, listening on 127.0.0.1 once GET /readyz answers 200. */
export async function startApiProcess(options: ServiceOptions): Promise<ApiProcess> {
  const port = await freePort();
  const env = { ...baseSettings(options.databaseUrl), ...options.settings, HOST: '127.0.0.1', PORT: String(port), BENCH_NOOP_ENDPOINT: '1' };
  const { service, noopPort, exitedCode } = await spawnService('main', options, env);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitedCode() !== undefined) throw new Error(`${options.name} exited (${exitedCode()}) during start-up; see ${service.logFile}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`${options.name} not ready after 60 s; see ${service.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ...service, url, noopUrl: `http://127.0.0.1:${noopPort}` };
}

/** A worker process (src/worker.ts) with the same settings as an API process. */
export async function startWorkerProcess(options: ServiceOptions): Promise<ServiceProcess> {
  const { service } = await spawnService('worker', options, { ...baseSettings(options.databaseUrl), ...options.settings });
  return service;
}

/**
 * CPU seconds (user + system) used so far by a process and its direct children — every API process
 * when the service runs several (API_PROCESSES) — read from /proc, so no process has to report itself.
 */
export function processTreeCpuSeconds(pid: number): number {
  const ticksPerSecond = 100; // USER_HZ: 100 on Linux for every architecture this runs on
  const cpuOf = (stat: string) => {
    // Fields after the command name (which may contain spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  };
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended while we looked
    }
    const { ppid, ticks: used } = cpuOf(stat);
    if (Number(entry) === pid || ppid === pid) ticks += used;
  }
  return ticks / ticksPerSecond;
}
