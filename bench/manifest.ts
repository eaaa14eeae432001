/**
 * Section "manifest" (issue 22): 20,000 passengers in PAXLST messages of 150 to 400 passengers each (one
 * flight per message, ten messages per interchange), uploaded to POST /api/v1/manifests as carriers send
 * them, screened by the chunk jobs on BullMQ in a separate worker; timed from the first byte of the first
 * upload to every manifest completed. Beside it: a raw COPY FROM STDIN of the same passenger rows into a
 * table like manifest_passengers (same columns and indexes).
 */
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startApiProcess, startWorkerProcess, baseSettings, type ApiProcess, type ServiceProcess } from './api-process';
import { dropQueueKeys } from './batch';
import { createBenchDatabase, type BenchDatabase } from './databases';
import type { BenchOptions } from './options';
import { fmt, type Row, type SectionResult } from './report';
import { createBenchUsers, type BenchUser } from './users';

const OFFICE = 'TPI-CGK';
const MESSAGES_PER_INTERCHANGE = 10;
const routes = [
  { to: 'PNH', hours: 3 },
  { to: 'KUL', hours: 2 },
  { to: 'SIN', hours: 2 },
  { to: 'BKK', hours: 4 },
  { to: 'JED', hours: 9 },
  { to: 'NRT', hours: 7 },
];

/** A seeded generator, so every run builds the same interchanges. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const yymmddhhmm = (d: Date) => `${pad(d.getUTCFullYear() % 100, 2)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}`;

/** Interchanges holding `total` passengers in messages of 150-400; most passengers Indonesian, some groups sharing a contact. */
export function buildInterchanges(total: number, seed = 22): string[] {
  const next = random(seed);
  const messages: string[][] = [];
  let passenger = 0;
  let flight = 0;
  while (passenger < total) {
    const size = Math.min(total - passenger, 150 + Math.floor(next() * 251));
    const route = routes[flight % routes.length]!;
    // Jakarta local times, tomorrow, spread over the day.
    const departs = new Date(Date.UTC(2026, 11, 20, 0, 0) + (flight % 96) * 15 * 60_000);
    const arrives = new Date(departs.getTime() + route.hours * 3_600_000);
    const ref = `M${pad(flight, 5)}`;
    const body = ['BGM+745', `TDT+20+QZ${pad(100 + flight, 4)}`, 'LOC+125+CGK', `DTM+189:${yymmddhhmm(departs)}:201`, `LOC+87+${route.to}`, `DTM+232:${yymmddhhmm(arrives)}:201`];
    for (let i = 0; i < size; i++, passenger++) {
      const indonesian = next() < 0.85;
      const grouped = next() < 0.1;
      body.push(`NAD+FL+++SURNAME${passenger}:GIVEN${passenger % 997}`, `ATT+2++${next() < 0.5 ? 'F' : 'M'}`, `DTM+329:${pad(70 + Math.floor(next() * 30), 2)}${pad(1 + Math.floor(next() * 12), 2)}${pad(1 + Math.floor(next() * 28), 2)}`);
      if (grouped) body.push(`COM+62812${pad(flight, 7)}:TE`);
      body.push(`NAT+2+${indonesian ? 'IDN' : 'MYS'}`, `RFF+AVF:B${pad(passenger, 6)}`, `DOC+P:110:111+${indonesian ? 'C' : 'A'}${pad(passenger, 7)}`, 'DTM+36:300101', `LOC+91+${indonesian ? 'IDN' : 'MYS'}`);
    }
    body.push(`CNT+42:${size}`);
    messages.push([`UNH+${ref}+PAXLST:D:05B:UN:IATA`, ...body, `UNT+${body.length + 2}+${ref}`]);
    flight++;
  }
  const interchanges: string[] = [];
  for (let start = 0; start < messages.length; start += MESSAGES_PER_INTERCHANGE) {
    const part = messages.slice(start, start + MESSAGES_PER_INTERCHANGE);
    const reference = `BENCH${pad(start / MESSAGES_PER_INTERCHANGE, 4)}`;
    const segments = [`UNB+UNOA:4+BENCHAIR:ZZ+IDIMIGRASI:ZZ+261219:1200+${reference}`, ...part.flat(), `UNZ+${part.length}+${reference}`];
    interchanges.push(`UNA:+.? '${segments.map((s) => `${s}'`).join('\n')}\n`);
  }
  return interchanges;
}

async function manifestState(api: ApiProcess, officer: BenchUser, id: string): Promise<{ state: string; counts: Record<string, number> }> {
  const res = await fetch(`${api.url}/api/v1/manifests/${id}`, { headers: { authorization: `Bearer ${officer.token}` } });
  if (!res.ok) throw new Error(`GET /api/v1/manifests/${id} answered ${res.status}`);
  return (await res.json()) as { state: string; counts: Record<string, number> };
}

const csvField = (value: unknown) => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
};

const copyColumns = ['id', 'manifest_id', 'flight_id', 'ordinal', 'status', 'full_name', 'nationality', 'document_number', 'without_document', 'data', 'outcome', 'score', 'hits', 'rule_set_version', 'screened_at'];

/** COPY FROM STDIN of the stored passenger rows (read back and serialised before the clock starts) into a like table. */
async function copyPassengers(database: BenchDatabase): Promise<{ rows: number; seconds: number }> {
  const { rows } = await database.handle.pool.query<Record<string, unknown>>(`SELECT ${copyColumns.join(', ')} FROM manifest_passengers`);
  const data = Buffer.from(rows.map((row) => copyColumns.map((c) => csvField(row[c])).join(',')).join('\n') + '\n');
  await database.handle.pool.query('CREATE TABLE bench_manifest_passengers (LIKE manifest_passengers INCLUDING DEFAULTS INCLUDING INDEXES)');
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const started = performance.now();
    await new Promise<void>((done, fail) => {
      const stream = client.query(copyFrom(`COPY bench_manifest_passengers (${copyColumns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
      stream.on('finish', done);
      stream.on('error', fail);
      stream.end(data);
    });
    return { rows: rows.length, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

export async function runManifestBench(options: BenchOptions): Promise<SectionResult> {
  const total = options.quick ? 2_000 : 20_000;
  const failures: string[] = [];
  const database = await createBenchDatabase('manifest', options.keepDatabases);
  const inProcess = process.env.BENCH_BATCH_JOBS === 'in-process';
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `saring-bench-${database.name}`;
  let api: ApiProcess | undefined;
  let worker: ServiceProcess | undefined;
  try {
    const shared = { ...baseSettings(database.url), API_RATE_LIMIT_PER_MINUTE: '1000000' };
    const settings = inProcess ? shared : { ...shared, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix, API_RUNS_JOBS: 'false' };
    api = await startApiProcess({ name: 'manifest-api', databaseUrl: database.url, settings });
    if (!inProcess) worker = await startWorkerProcess({ name: 'manifest-worker', databaseUrl: database.url, settings });
    const [officer] = await createBenchUsers(database.handle.db, api.env, 'officer', [OFFICE], 1);
    const interchanges = buildInterchanges(total);
    console.log(`  ${fmt.int(total)} passengers in ${interchanges.length} PAXLST interchanges (messages of 150-400) through POST /api/v1/manifests...`);

    const started = performance.now();
    const ids: string[] = [];
    for (const body of interchanges) {
      const res = await fetch(`${api.url}/api/v1/manifests`, { method: 'POST', headers: { authorization: `Bearer ${officer!.token}`, 'content-type': 'application/edifact' }, body });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`POST /api/v1/manifests answered ${res.status}: ${text.slice(0, 300)}`);
      ids.push((JSON.parse(text) as { id: string }).id);
    }
    const uploadedSeconds = (performance.now() - started) / 1000;
    const maxSeconds = Number(process.env.BENCH_BATCH_MAX_SECONDS ?? 1800);
    let pending = [...ids];
    let toScreen = 0;
    let flagged = 0;
    while (pending.length > 0) {
      const states = await Promise.all(pending.map(async (id) => [id, await manifestState(api!, officer!, id)] as const));
      for (const [, s] of states.filter(([, s]) => s.state === 'completed')) {
        toScreen += s.counts.toScreen ?? 0;
        flagged += s.counts.flagged ?? 0;
      }
      pending = states.filter(([, s]) => s.state !== 'completed').map(([id]) => id);
      if (pending.length === 0) break;
      if ((performance.now() - started) / 1000 > maxSeconds) {
        failures.push(`${pending.length} manifests not completed after ${maxSeconds} s`);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const [stored] = (
      await database.handle.pool.query<{ passengers: number; screened: number; pending: number }>(
        `SELECT count(*)::int AS passengers, count(*) FILTER (WHERE status = 'screened')::int AS screened, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM manifest_passengers`,
      )
    ).rows;
    if (stored!.passengers !== total || stored!.screened !== toScreen || stored!.pending !== 0) {
      failures.push(`stored ${JSON.stringify(stored)}, expected ${total} passengers with ${toScreen} screened and none pending`);
    }
    const copy = await copyPassengers(database);
    console.log(
      `    uploaded after ${fmt.s(uploadedSeconds)}, all screened after ${fmt.s(totalSeconds)} (${fmt.int(toScreen)} screened, ${fmt.int(flagged)} flagged); COPY of the ${fmt.int(copy.rows)} rows ${fmt.s(copy.seconds)}`,
    );
    const rows: Row[] = [
      {
        measure: `${fmt.int(total)} passengers: upload to all screened`,
        value: fmt.s(totalSeconds),
        ...(total === 20_000 ? { goal: '< 60 s', met: totalSeconds < 60 } : {}),
        note: `${fmt.rate(total / totalSeconds)}; uploads done after ${fmt.s(uploadedSeconds)}; ${fmt.int(toScreen)} screened, ${fmt.int(flagged)} flagged`,
      },
      { measure: `${fmt.int(total)} passengers: COPY of the same rows`, value: fmt.s(copy.seconds), note: `${fmt.int(copy.rows)} rows into a table like manifest_passengers` },
      { measure: 'pipeline / COPY', value: fmt.ratio(totalSeconds / copy.seconds) },
    ];
    return { section: 'manifest', rows, figures: { total, interchanges: interchanges.length, uploadedSeconds, totalSeconds, toScreen, flagged, copy }, failures };
  } finally {
    await worker?.stop();
    await api?.stop();
    await database.drop();
    if (!inProcess) await dropQueueKeys(redisUrl, queuePrefix);
  }
}
