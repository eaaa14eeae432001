/**
 * Section 4: 50 officers of one checkpoint drain the review queue concurrently through the real
 * claim path, POST /api/v1/cases/next on the real API process (which calls claimNextCase in
 * src/review/claims.ts), until it answers 204. Open cases are inserted with generate_series first.
 * Double claims are counted three ways: case ids handed out twice, cases whose claimant in the
 * database is not the officer who was handed them, and `case.claimed` audit records per case.
 */
import { Agent, request } from 'node:http';
import { sql } from 'drizzle-orm';
import { departureCheckInputSchema } from '../src/screening/application-schema';
import { startApiProcess, type ApiProcess } from './api-process';
import { createBenchDatabase, type BenchDatabase } from './databases';
import { departureBodies } from './generator';
import type { BenchOptions } from './options';
import { fmt, type SectionResult } from './report';
import { createBenchUsers, type BenchUser } from './users';

const CLAIMERS = 50;
const OFFICE = 'TPI-CGK';

/** Inserts `count` flagged departure checks with their decisions and open cases in one statement. */
export async function insertOpenCases(database: BenchDatabase, count: number): Promise<void> {
  // One realistic normalised payload for every row, so responses are the size officers get.
  const payload = departureCheckInputSchema.parse(departureBodies(1, 99)[0]);
  await database.handle.db.execute(sql`
    WITH apps AS (
      INSERT INTO applications (kind, office_code, submitted_by, submitted_at, full_name, nik, passport_number,
                                date_of_birth, destination_country, departure_at, payload, outcome, score, rule_set_version)
      SELECT 'departure', ${OFFICE}, 'bench', now() - g * interval '1 second', 'Bench Traveller ' || g,
             '3171' || lpad(g::text, 12, '0'), 'C' || lpad(g::text, 7, '0'), date '1980-01-01' + (g % 9000),
             (ARRAY['KH', 'MM', 'LA', 'PH', 'MY'])[1 + g % 5], now() + (g % 20000) * interval '1 minute',
             ${JSON.stringify(payload)}::jsonb,
             (CASE WHEN g % 3 = 0 THEN 'POSTPONE_RECOMMENDED' ELSE 'REVIEW' END)::screening_outcome, 40 + g % 60, 'rs-bench'
      FROM generate_series(1, ${count}::int) AS g
      RETURNING id, kind, office_code, outcome, score, departure_at, submitted_at
    ), decided AS (
      INSERT INTO decisions (application_id, rule_set_version, outcome, score, hits, trigger)
      SELECT id, 'rs-bench', outcome, score, '[]'::jsonb, 'intake' FROM apps
    )
    INSERT INTO cases (application_id, kind, office_code, outcome, score, priority_at, sla_due_at, created_at)
    SELECT id, kind, office_code, outcome, score, departure_at, departure_at - interval '60 minutes', submitted_at FROM apps`);
  await database.handle.db.execute(sql`ANALYZE applications; ANALYZE decisions; ANALYZE cases`);
}

interface Claim {
  caseId: string;
  userId: string;
}

interface DrainResult {
  claims: Claim[];
  latenciesMs: number[];
  statusCounts: Record<string, number>;
  seconds: number;
  stoppedEarly: boolean;
}

/** Each officer asks for the next case until the queue answers 204 (or the time limit passes). */
async function drain(api: ApiProcess, officers: BenchUser[], maxSeconds: number): Promise<DrainResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: officers.length });
  const { hostname, port } = new URL(api.url);
  const claims: Claim[] = [];
  const latenciesMs: number[] = [];
  const statusCounts: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  let stoppedEarly = false;

  const next = (officer: BenchUser) =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const req = request(
        { agent, hostname, port, method: 'POST', path: '/api/v1/cases/next', headers: { authorization: `Bearer ${officer.token}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end();
    });

  await Promise.all(
    officers.map(async (officer) => {
      let failures = 0;
      for (;;) {
        if (performance.now() > deadline) {
          stoppedEarly = true;
          return;
        }
        const t0 = performance.now();
        let status: number;
        let body: string;
        try {
          ({ status, body } = await next(officer));
        } catch {
          status = 0;
          body = '';
        }
        latenciesMs.push(performance.now() - t0);
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
        if (status === 204) return;
        if (status === 200) claims.push({ caseId: (JSON.parse(body) as { id: string }).id, userId: officer.id });
        else if (++failures > 100) return;
      }
    }),
  );
  agent.destroy();
  return { claims, latenciesMs, statusCounts, seconds: (performance.now() - started) / 1000, stoppedEarly };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export async function runQueueBench(options: BenchOptions): Promise<SectionResult> {
  const count = options.quick ? 5_000 : 100_000;
  // The drain stops here if it has not finished (the figures then cover what was claimed, and say so).
  const maxSeconds = Number(process.env.BENCH_QUEUE_MAX_SECONDS ?? (options.quick ? 120 : 600));
  const failures: string[] = [];
  const database = await createBenchDatabase('queue', options.keepDatabases);
  let api: ApiProcess | undefined;
  try {
    api = await startApiProcess({ name: 'queue-api', databaseUrl: database.url, settings: { API_RATE_LIMIT_PER_MINUTE: '1000000' } });
    const officers = await createBenchUsers(database.handle.db, api.env, 'officer', [OFFICE], CLAIMERS);
    console.log(`  inserting ${fmt.int(count)} open cases at ${OFFICE}...`);
    const insertStarted = performance.now();
    await insertOpenCases(database, count);
    console.log(`    ${fmt.s((performance.now() - insertStarted) / 1000)}; ${CLAIMERS} officers draining through POST /api/v1/cases/next...`);

    const result = await api.profile('queue-api', () => drain(api!, officers, maxSeconds));
    const memory = await api.memory();
    await api.stop();
    api = undefined;

    // Counted, not assumed: every case handed out once, to the officer the database names, audited once.
    const ids = new Set(result.claims.map((c) => c.caseId));
    const handedOutTwice = result.claims.length - ids.size;
    const rows = (await database.handle.db.execute<{ id: string; state: string; claimed_by: string | null }>(sql`SELECT id, state, claimed_by FROM cases`)).rows;
    const claimantInDb = new Map(rows.map((r) => [r.id, r.claimed_by]));
    const wrongClaimant = result.claims.filter((c) => claimantInDb.get(c.caseId) !== c.userId).length;
    const claimedInDb = rows.filter((r) => r.state === 'claimed').length;
    const openInDb = rows.filter((r) => r.state === 'open').length;
    const [audit] = (
      await database.handle.db.execute<{ records: number; cases: number }>(
        sql`SELECT count(*)::int AS records, count(DISTINCT target_id)::int AS cases FROM audit_log WHERE action = 'case.claimed'`,
      )
    ).rows as [{ records: number; cases: number }];
    const auditedTwice = audit.records - audit.cases;
    const doubleClaims = handedOutTwice + wrongClaimant + auditedTwice;
    if (doubleClaims > 0) failures.push(`double claims: ${handedOutTwice} ids handed out twice, ${wrongClaimant} with another claimant in the database, ${auditedTwice} cases audited as claimed twice`);
    if (claimedInDb !== result.claims.length) failures.push(`${result.claims.length} claims answered 200 but ${claimedInDb} cases are claimed in the database`);
    const drained = openInDb === 0 && !result.stoppedEarly;
    const claimsPerSecond = result.claims.length / result.seconds;
    const errors = Object.entries(result.statusCounts).filter(([s]) => s !== '200' && s !== '204').reduce((n, [, c]) => n + c, 0);
    if (errors > 0) failures.push(`claim errors: ${JSON.stringify(result.statusCounts)}`);

    const sorted = [...result.latenciesMs].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    return {
      section: 'queue',
      rows: [
        {
          measure: 'claims/s',
          value: fmt.rate(claimsPerSecond),
          note: `${CLAIMERS} officers, HTTP POST /api/v1/cases/next; ${fmt.int(result.claims.length)} of ${fmt.int(count)} claimed in ${fmt.s(result.seconds)}${
            drained ? '' : ` (NOT drained: ${fmt.int(openInDb)} left open${result.stoppedEarly ? ` when stopped at ${maxSeconds} s; draining all would take ~${fmt.int(count / claimsPerSecond)} s at this rate` : ''})`
          }`,
        },
        { measure: 'drained', value: drained ? 'yes' : 'no', goal: 'yes', met: drained },
        { measure: 'claim latency p50', value: fmt.ms(p50) },
        { measure: 'claim latency p99', value: fmt.ms(p99), goal: '<= 20 ms', met: p99 <= 20, note: `max ${fmt.ms(sorted[sorted.length - 1] ?? NaN)}` },
        { measure: 'double claims', value: fmt.int(doubleClaims), goal: '0', met: doubleClaims === 0, note: `checked: distinct ids, claimant in DB, audit records per case` },
        { measure: 'API process RSS at end', value: fmt.mb(memory.rssBytes), note: `peak ${fmt.mb(memory.maxRssBytes)}` },
      ],
      figures: {
        cases: count,
        claimers: CLAIMERS,
        path: 'HTTP POST /api/v1/cases/next (claimNextCase)',
        claims: result.claims.length,
        seconds: result.seconds,
        claimsPerSecond,
        latencyMs: { p50, p90: percentile(sorted, 90), p99, max: sorted[sorted.length - 1] },
        statusCounts: result.statusCounts,
        drained,
        openLeft: openInDb,
        doubleClaims: { handedOutTwice, wrongClaimant, auditedTwice },
        memory,
      },
      failures,
    };
  } finally {
    await api?.stop();
    await database.drop();
  }
}
