/**
 * Section 2: POST /api/v1/departure-checks on the real API process (src/main.ts) and real
 * PostgreSQL, driven by autocannon at 64 connections, against a no-op express JSON endpoint served
 * by the same process; then the API process's RSS. Bodies vary (2,000 generated, valid departure
 * checks in turn, 64 officers' tokens in turn) and carry no Idempotency-Key.
 */
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { checkConsistency, departureCheckInputSchema } from '../src/screening/application-schema';
import { processTreeCpuSeconds, startApiProcess, type ApiProcess } from './api-process';
import { mixedLoad } from './mixed-load';
import { createBenchDatabase } from './databases';
import { departureBodies } from './generator';
import type { BenchOptions } from './options';
import { fmt, type SectionResult } from './report';
import { createBenchUsers } from './users';

const CONNECTIONS = 64;
const MIXED_CONNECTIONS = 32;
const CHECKPOINTS = ['TPI-CGK', 'TPI-DPS', 'TPI-SUB', 'TPI-KNO', 'TPI-YIA', 'TPI-BTC', 'TPI-SKP', 'TPI-DUM'];

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  max: number;
  durationSeconds: number;
  statusCodes: Record<string, number>;
}

/** Runs autocannon; requests/s counts 2xx responses only. */
export async function load(url: string, seconds: number, bodies: string[], tokens: string[]): Promise<LoadResult> {
  let b = 0;
  let t = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[t++ % tokens.length]}` },
          body: bodies[b++ % bodies.length],
        }),
      },
    ],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number((s as { count: number }).count)]));
  const ok = Object.entries(statusCodes).reduce((sum, [code, count]) => (code.startsWith('2') ? sum + count : sum), 0);
  return {
    requestsPerSecond: ok / result.duration,
    total: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    durationSeconds: result.duration,
    statusCodes,
  };
}

/** Generated departure checks that pass the intake schema and consistency checks, as JSON. */
export function validDepartureBodies(count: number, seed: number): string[] {
  return departureBodies(count, seed).map((body, i) => {
    const parsed = departureCheckInputSchema.safeParse(body);
    if (!parsed.success) throw new Error(`generated departure check #${i} is invalid: ${parsed.error.message}`);
    const problems = checkConsistency('departure', parsed.data);
    if (problems.length > 0) throw new Error(`generated departure check #${i} is inconsistent: ${problems.join('; ')}`);
    return JSON.stringify(body);
  });
}

export async function runHttpBench(options: BenchOptions): Promise<SectionResult> {
  const seconds = options.quick ? 5 : 20;
  const warmSeconds = options.quick ? 2 : 5;
  const failures: string[] = [];
  const database = await createBenchDatabase('http', options.keepDatabases);
  let api: ApiProcess | undefined;
  try {
    // The per-user API limit (1,200/min by default) guards against a runaway client; 64 bench
    // officers each send far more than a person would, so the limit is raised (it still runs).
    api = await startApiProcess({ name: 'http-api', databaseUrl: database.url, settings: { API_RATE_LIMIT_PER_MINUTE: '1000000' } });
    console.log(`  API process ${api.pid} at ${api.url} (log: ${api.logFile}); no-op endpoint at ${api.noopUrl}/noop`);
    const users = await createBenchUsers(database.handle.db, api.env, 'officer', CHECKPOINTS, CONNECTIONS);
    const tokens = users.map((u) => u.token);
    const bodies = validDepartureBodies(2_000, 7_301);

    console.log(`  warming up ${warmSeconds} s each...`);
    const warmApi = await load(`${api.url}/api/v1/departure-checks`, warmSeconds, bodies, tokens);
    await load(`${api.noopUrl}/noop`, warmSeconds, bodies, tokens);
    const rssBefore = await api.memory();

    console.log(`  POST /api/v1/departure-checks, ${CONNECTIONS} connections, ${seconds} s...`);
    const cpuBefore = processTreeCpuSeconds(api.pid);
    const real = await api.profile('http-api-departure-checks', () => load(`${api!.url}/api/v1/departure-checks`, seconds, bodies, tokens));
    // API CPU per screening: every API process's CPU time over the run, divided by the screenings it answered.
    const cpuMsPerScreening = ((processTreeCpuSeconds(api.pid) - cpuBefore) * 1000) / Math.max(real.ok, 1);
    console.log(`    ${fmt.rate(real.requestsPerSecond)}, p50 ${fmt.ms(real.p50)}, p99 ${fmt.ms(real.p99)}, non-2xx ${real.non2xx}, errors ${real.errors}; API CPU ${cpuMsPerScreening.toFixed(2)} ms per screening`);
    console.log(`  POST /noop (same process), ${CONNECTIONS} connections, ${seconds} s...`);
    const noop = await api.profile('http-api-noop', () => load(`${api!.noopUrl}/noop`, seconds, bodies, tokens));
    console.log(`    ${fmt.rate(noop.requestsPerSecond)}, p50 ${fmt.ms(noop.p50)}, p99 ${fmt.ms(noop.p99)}`);
    const memory = await api.memory();

    // Officers' day: screen, claim, decide, list, on MIXED_CONNECTIONS connections, twice, then the API's memory.
    const mixedSeconds = options.quick ? 10 : 60;
    const mixed = [];
    for (let round = 1; round <= 2; round++) {
      console.log(`  mixed load (screen, claim, decide), ${MIXED_CONNECTIONS} connections, ${mixedSeconds} s, round ${round} of 2...`);
      const result = await mixedLoad(api.url, mixedSeconds, MIXED_CONNECTIONS, bodies, tokens);
      console.log(`    ${fmt.int(result.screenings)} screenings, ${fmt.int(result.claims)} claims, ${fmt.int(result.decisions)} decisions, ${fmt.int(result.lists)} queue lists; p99 ${fmt.ms(result.p99)}`);
      mixed.push(result);
    }
    const mixedMemory = await api.memory();
    const mixedUnexpected = mixed.flatMap((round) => Object.entries(round.unexpected).map(([what, count]) => `${what}: ${count}`));
    if (mixedUnexpected.length > 0 || mixed.some((round) => round.errors > 0)) failures.push(`mixed load answered unexpectedly: ${mixedUnexpected.join(', ')}; connection errors ${mixed.map((round) => round.errors).join('+')}`);

    // Every 201 must be a stored application with its decision (counted, not assumed).
    const [{ applications, decisions }] = (
      await database.handle.db.execute<{ applications: number; decisions: number }>(
        sql`SELECT (SELECT count(*) FROM applications)::int AS applications, (SELECT count(*) FROM decisions)::int AS decisions`,
      )
    ).rows as [{ applications: number; decisions: number }];
    // Requests still in flight when a run ends are stored but not counted by autocannon: at most one per connection per run
    // (the mixed rounds' screenings count too).
    const accepted = warmApi.ok + real.ok + mixed.reduce((sum, round) => sum + round.screenings, 0);
    const inFlight = 2 * CONNECTIONS + mixed.length * MIXED_CONNECTIONS;
    if (applications < accepted || applications > accepted + inFlight || decisions !== applications) {
      failures.push(`${accepted} departure checks answered 2xx (+ at most ${inFlight} in flight) but ${applications} applications and ${decisions} decisions are stored`);
    }
    const errorsTotal = real.non2xx + real.errors;
    if (errorsTotal > 0) failures.push(`HTTP errors under load: ${JSON.stringify(real.statusCodes)}, ${real.errors} connection errors, ${real.timeouts} timeouts`);

    const code = await api.stop();
    api = undefined;
    if (code !== 0) failures.push(`API process exited with ${code} on SIGTERM`);

    const ratio = real.requestsPerSecond / noop.requestsPerSecond;
    return {
      section: 'http',
      rows: [
        { measure: 'departure-checks req/s', value: fmt.rate(real.requestsPerSecond), goal: '>= 1,500/s', met: real.requestsPerSecond >= 1500, note: `${CONNECTIONS} connections, ${seconds} s, ${fmt.int(real.ok)} stored` },
        { measure: 'latency p50', value: fmt.ms(real.p50) },
        { measure: 'latency p99', value: fmt.ms(real.p99), goal: '<= 50 ms', met: real.p99 <= 50, note: `max ${fmt.ms(real.max)}` },
        { measure: 'errors (non-2xx + conn.)', value: fmt.int(errorsTotal), goal: '0', met: errorsTotal === 0 },
        { measure: 'no-op endpoint req/s', value: fmt.rate(noop.requestsPerSecond), note: `same process; p50 ${fmt.ms(noop.p50)}, p99 ${fmt.ms(noop.p99)}` },
        { measure: 'ratio to no-op', value: fmt.ratio(ratio), goal: '>= 0.3', met: ratio >= 0.3 },
        { measure: 'API CPU per screening', value: `${cpuMsPerScreening.toFixed(2)} ms`, goal: '<= 1.5 ms', met: cpuMsPerScreening <= 1.5, note: 'CPU time of all API processes over the run / screenings answered' },
        { measure: 'API process RSS at end', value: fmt.mb(memory.rssBytes), note: `after warm-up ${fmt.mb(rssBefore.rssBytes)}` },
        {
          measure: 'API RSS, mixed load',
          value: fmt.mb(mixedMemory.rssBytes),
          goal: '<= 250 MB',
          met: mixedMemory.maxRssBytes <= 250 * 2 ** 20,
          note: `peak ${fmt.mb(mixedMemory.maxRssBytes)} over the whole run; 2 x ${mixedSeconds} s, ${MIXED_CONNECTIONS} connections: ${mixed.map((round) => `${fmt.int(round.screenings)}/${fmt.int(round.claims)}/${fmt.int(round.decisions)}`).join(' then ')} screenings/claims/decisions`,
        },
      ],
      figures: { connections: CONNECTIONS, seconds, departureChecks: real, noop, ratio, memory, cpuMsPerScreening, mixed, mixedMemory, memoryAfterWarmUp: rssBefore, storedApplications: applications, logLevel: api === undefined ? (process.env.BENCH_LOG_LEVEL ?? 'info') : undefined },
      failures,
    };
  } finally {
    await api?.stop();
    await database.drop();
  }
}
