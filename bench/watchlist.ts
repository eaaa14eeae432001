/**
 * Section "watchlist" (issue 19): a 5,000-row watchlist CSV (the documented maximum per import) through
 * POST /api/v1/watchlists/import on the real API process, timed from the first byte to the report;
 * then the same file again as a dry run (every row a duplicate). Checks that every row and its audit
 * record were stored.
 */
import { baseSettings, startApiProcess, type ApiProcess } from './api-process';
import { createBenchDatabase } from './databases';
import type { BenchOptions } from './options';
import { fmt, type Row, type SectionResult } from './report';
import { createBenchUsers } from './users';

const ROWS = 5_000;
/** The documented import header. */
export const watchlistHeader = 'list,name,phone,licence,country,city,source,note,validFrom,validTo';
/** A name part the name key keeps as it is: letters for digits, never two alike in a row. */
export const nameToken = (i: number) => [...String(i)].map((d) => 'bcdfghklmn'[Number(d)]).join('x');

/** `count` distinct rows over the four kinds of entry, every one tagged with `source` (also the import tests' rows). */
export function watchlistRows(count: number, source: string): string[] {
  return Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0:
        return `phone,Perekrut ${nameToken(i)},+855 12 ${String(100_000 + i).slice(0, 3)} ${String(100_000 + i).slice(3)},,,,${source},,,`;
      case 1:
        return `agency,PT Sumber ${nameToken(i)},,KEP ${i}/2019,,,${source},,2026-01-01,`;
      case 2:
        return `employer,"Dragon ${nameToken(i)} Co., Ltd.",,,KH,Sihanoukville,${source},"front, per police",,2099-12-31`;
      default:
        return `person,Orang ${nameToken(i)},,,,,${source},,,`;
    }
  });
}

export function watchlistCsv(count: number, source: string): string {
  return `${[watchlistHeader, ...watchlistRows(count, source)].join('\n')}\n`;
}

async function importOnce(api: ApiProcess, token: string, csv: string, dryRun: boolean) {
  const started = performance.now();
  const res = await fetch(`${api.url}/api/v1/watchlists/import${dryRun ? '?dryRun=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const text = await res.text();
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 200) throw new Error(`POST /api/v1/watchlists/import answered ${res.status}: ${text.slice(0, 300)}`);
  return { seconds, summary: (JSON.parse(text) as { summary: Record<string, number> }).summary };
}

export async function runWatchlistBench(options: BenchOptions): Promise<SectionResult> {
  const failures: string[] = [];
  const database = await createBenchDatabase('watchlist', options.keepDatabases);
  let api: ApiProcess | undefined;
  try {
    api = await startApiProcess({ name: 'watchlist-api', databaseUrl: database.url, settings: { ...baseSettings(database.url), API_RATE_LIMIT_PER_MINUTE: '1000000' } });
    const [admin] = await createBenchUsers(database.handle.db, api.env, 'admin', ['HQ'], 1);
    const source = 'bench import';
    const csv = watchlistCsv(ROWS, source);
    console.log(`  ${fmt.int(ROWS)} rows (${fmt.mb(Buffer.byteLength(csv))}) through POST /api/v1/watchlists/import...`);
    const first = await importOnce(api, admin!.token, csv, false);
    const again = await importOnce(api, admin!.token, csv, true);
    const [stored] = (
      await database.handle.pool.query<{ entries: number; audited: number }>(
        `SELECT (SELECT count(*)::int FROM watchlist_entries WHERE source = $1) AS entries,
                (SELECT count(*)::int FROM audit_log WHERE action = 'watchlist.entry.created') AS audited`,
        [source],
      )
    ).rows;
    if (first.summary.created !== ROWS || stored!.entries !== ROWS || stored!.audited !== ROWS) {
      failures.push(`import reported ${JSON.stringify(first.summary)}; stored ${JSON.stringify(stored)}, expected ${ROWS} entries and audit records`);
    }
    if (again.summary.duplicates !== ROWS) failures.push(`the dry run again reported ${JSON.stringify(again.summary)}, expected ${ROWS} duplicates`);
    console.log(`    imported in ${fmt.s(first.seconds)}; the same file as a dry run (all duplicates) in ${fmt.s(again.seconds)}`);
    const rows: Row[] = [
      { measure: `${fmt.int(ROWS)} rows imported (stored and audited)`, value: fmt.s(first.seconds), goal: '< 5 s', met: first.seconds < 5, note: fmt.rate(ROWS / first.seconds) },
      { measure: `${fmt.int(ROWS)} rows again, dry run (all duplicates)`, value: fmt.s(again.seconds) },
    ];
    return { section: 'watchlist', rows, figures: { rows: ROWS, importSeconds: first.seconds, dryRunSeconds: again.seconds, stored }, failures };
  } finally {
    await api?.stop();
    await database.drop();
  }
}
