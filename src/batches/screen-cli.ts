/**
 * `npm run screen -- manifest.csv`: uploads a list to a running Saring API (POST /api/v1/batches),
 * shows a progress bar while the workers screen it, then prints a summary table and the rejected rows.
 * It goes through the API like any client, so roles, office scoping and audit apply as usual.
 *
 *   SARING_URL     the API (default http://localhost:3000)
 *   SARING_TOKEN   a bearer token, or SARING_USERNAME + SARING_PASSWORD to log in
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

const usage = `Usage: npm run screen -- <file.csv|file.jsonl> [options]

Screens a list of departure checks or passport applications through the Saring API.

Options:
  --url <url>          API base URL (env SARING_URL, default http://localhost:3000)
  --token <token>      bearer token (env SARING_TOKEN); or set SARING_USERNAME and SARING_PASSWORD
  --kind <kind>        departure or passport (default: what your office receives)
  --name <name>        a name for the batch (default: the file name)
  --results <file>     also save the per-row results CSV there
  --interval <ms>      how often to poll progress (default 500)
  -h, --help           this text`;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface BatchStatus {
  id: string;
  state: 'queued' | 'running' | 'completed';
  progress: number;
  counts: {
    received: number;
    accepted: number;
    rejected: number;
    screened: number;
    pending: number;
    byOutcome: { CLEAR: number; REVIEW: number; POSTPONE_RECOMMENDED: number };
  };
  rejectedRows: Array<{ row: number; problems: Array<{ path: string; message: string }> }>;
  rejectedRowsTruncated: boolean;
}

const contentTypeOf = (file: string) => {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'text/csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'application/x-ndjson';
  throw new CliError(`${file}: name the file .csv, .jsonl or .ndjson so its format is known`, 2);
};

async function call<T>(base: string, token: string | null, method: string, route: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(route, base), {
      ...init,
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    throw new CliError(`cannot reach ${base}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`);
  }
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) {
    const failure = (body as { error?: { code: string; message: string; details?: unknown } } | null)?.error;
    const details = Array.isArray(failure?.details)
      ? (failure.details as Array<{ path?: string; message?: string }>).slice(0, 10).map((d) => `\n  - ${d.path ? `${d.path}: ` : ''}${d.message ?? ''}`).join('')
      : '';
    throw new CliError(`${method} ${route} answered ${response.status} ${failure?.code ?? ''}: ${failure?.message ?? text.slice(0, 200)}${details}`);
  }
  return body as T;
}

const formatNumber = (n: number) => n.toLocaleString('en-US');

/** A progress bar line: `[██████░░░░]  63%  6,300 / 10,000 rows  ·  3 rejected`. */
export function progressLine(label: string, done: number, total: number, extra = '', width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${label.padEnd(10)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${percent}  ${formatNumber(done)} / ${formatNumber(total)}${extra}`;
}

/** A two-column table with box-drawing borders. */
export function table(rows: Array<[string, string]>): string {
  const left = Math.max(...rows.map(([k]) => k.length));
  const right = Math.max(...rows.map(([, v]) => v.length));
  const line = (l: string, m: string, r: string) => `${l}${'─'.repeat(left + 2)}${m}${'─'.repeat(right + 2)}${r}`;
  return [line('┌', '┬', '┐'), ...rows.map(([k, v]) => `│ ${k.padEnd(left)} │ ${v.padStart(right)} │`), line('└', '┴', '┘')].join('\n');
}

class Progress {
  private lastPrinted = -1;
  constructor(private readonly tty: boolean) {}

  show(line: string, percent: number): void {
    if (this.tty) {
      process.stdout.write(`\r\x1b[2K${line}`);
      return;
    }
    // Without a terminal (a pipe, a log file): one line per tenth, not a flood of carriage returns.
    const step = Math.floor(percent / 10);
    if (step !== this.lastPrinted) {
      this.lastPrinted = step;
      process.stdout.write(`${line}\n`);
    }
  }

  done(line: string): void {
    if (this.tty) process.stdout.write(`\r\x1b[2K${line}\n`);
    else process.stdout.write(`${line}\n`);
    this.lastPrinted = -1;
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      results: { type: 'string' },
      interval: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(usage, 2);
  if (values.kind && values.kind !== 'departure' && values.kind !== 'passport') throw new CliError('--kind must be departure or passport', 2);
  const contentType = contentTypeOf(file);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`${file}: no such file`, 2);
  }
  const base = values.url ?? process.env.SARING_URL ?? 'http://localhost:3000';
  const interval = Number(values.interval ?? 500);

  let token = values.token ?? process.env.SARING_TOKEN ?? null;
  if (!token && process.env.SARING_USERNAME && process.env.SARING_PASSWORD) {
    const login = await call<{ token: string }>(base, null, 'POST', '/api/v1/auth/login', {
      body: JSON.stringify({ username: process.env.SARING_USERNAME, password: process.env.SARING_PASSWORD }),
      headers: { 'Content-Type': 'application/json' },
    });
    token = login.token;
  }
  if (!token) throw new CliError('Give a token (--token or SARING_TOKEN), or SARING_USERNAME and SARING_PASSWORD to log in', 2);

  const progress = new Progress(Boolean(process.stdout.isTTY));
  const started = Date.now();

  // Upload, streamed from disk: the bar counts bytes as they are read into the request.
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      progress.show(progressLine('Uploading', sent, size, ' bytes'), size ? (sent / size) * 100 : 100);
      callback(null, chunk);
    },
  });
  const query = new URLSearchParams({ name: values.name ?? path.basename(file), ...(values.kind ? { kind: values.kind } : {}) });
  const body = Readable.toWeb(createReadStream(file).pipe(counter)) as unknown as ReadableStream<Uint8Array>;
  const accepted = await call<{ id: string; counts: { received: number; accepted: number; rejected: number } }>(base, token, 'POST', `/api/v1/batches?${query}`, {
    body,
    headers: { 'Content-Type': contentType },
    duplex: 'half',
  } as RequestInit);
  progress.done(progressLine('Uploaded', size, size, ` bytes · ${formatNumber(accepted.counts.received)} rows · batch ${accepted.id}`));

  let status: BatchStatus;
  for (;;) {
    status = await call<BatchStatus>(base, token, 'GET', `/api/v1/batches/${accepted.id}`);
    const settled = status.counts.screened + status.counts.rejected;
    const line = progressLine('Screening', settled, status.counts.received, ` rows · ${formatNumber(status.counts.rejected)} rejected`);
    if (status.state === 'completed') {
      progress.done(line);
      break;
    }
    progress.show(line, status.progress);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }

  const { counts } = status;
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\n${table([
      ['Batch', status.id],
      ['Rows received', formatNumber(counts.received)],
      ['Rejected (invalid)', formatNumber(counts.rejected)],
      ['Screened', formatNumber(counts.screened)],
      ['  CLEAR', formatNumber(counts.byOutcome.CLEAR)],
      ['  REVIEW', formatNumber(counts.byOutcome.REVIEW)],
      ['  POSTPONE_RECOMMENDED', formatNumber(counts.byOutcome.POSTPONE_RECOMMENDED)],
      ['Cases opened', formatNumber(counts.byOutcome.REVIEW + counts.byOutcome.POSTPONE_RECOMMENDED)],
      ['Time', `${seconds.toFixed(1)} s`],
    ])}`,
  );
  if (status.rejectedRows.length > 0) {
    console.log('\nRejected rows:');
    for (const row of status.rejectedRows.slice(0, 50)) {
      console.log(`  row ${row.row}: ${row.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    }
    if (status.rejectedRows.length > 50 || status.rejectedRowsTruncated) console.log(`  … ${formatNumber(counts.rejected - Math.min(50, status.rejectedRows.length))} more in the results CSV`);
  }
  if (values.results) {
    const response = await fetch(new URL(`/api/v1/batches/${status.id}/results.csv`, base), { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok || !response.body) throw new CliError(`results download answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as never), createWriteStream(values.results));
    console.log(`\nResults: ${values.results}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof CliError) {
      console.error(error.message);
      process.exit(error.exitCode);
    }
    console.error(error);
    process.exit(1);
  });
}
