/**
 * Bulk import of watchlist entries from CSV (lists exchanged with partner countries), with a report
 * per row. Valid rows are added in one transaction; invalid and duplicate rows are reported and
 * skipped. A dry run does the same checks and stores nothing.
 *
 *   list,name,phone,licence,country,city,source,note,validFrom,validTo
 *   phone,Bang Jo,+855 12 345 678,,,,Kemlu referral 2026/114,,2026-01-01,
 *   employer,Golden Star Trading Co.,,,KH,Phnom Penh,Police report 55/2026,,,2026-12-31
 *
 * How: the body is parsed as it arrives (a record too long or with too many cells is refused at once,
 * without reading it whole), every row is validated in memory, and the rows are then checked for
 * duplicates and stored set-based: one statement classifies every row against the entries in force and
 * against the earlier rows of the file, one inserts the new entries, one writes their audit records.
 * When the client has gone before the commit, the transaction is rolled back.
 */
import { randomUUID } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { sql } from 'drizzle-orm';
import { auditLog } from '../audit/schema';
import { auditRow, recordAudit, type Actor, type AuditEntry } from '../audit/service';
import type { Database, RootDatabase } from '../db/client';
import { badRequest, DomainError, fieldProblems } from '../errors';
import { type EntryInput, entryColumns, entryInputSchema } from './entries';
import { lockWrites } from './service';

export const importColumns = ['list', 'name', 'phone', 'licence', 'country', 'city', 'source', 'note', 'validFrom', 'validTo'] as const;
const requiredColumns = ['list', 'source'] as const;
/** Bounds one import's transaction; split larger lists. */
export const MAX_IMPORT_ROWS = 5000;
/** The largest body accepted (5 MiB). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Cells in one record: ten columns, with room for a spreadsheet's empty trailing ones. */
export const MAX_IMPORT_CELLS = 50;
/** Characters in one record: the longest valid row (a 2,000-character note and every other field) is far shorter. */
export const MAX_IMPORT_RECORD_CHARS = 64 * 1024;

export type RowReport =
  | { row: number; line: number; status: 'created'; id: string }
  | { row: number; line: number; status: 'valid' }
  | { row: number; line: number; status: 'duplicate'; existingId: string }
  | { row: number; line: number; status: 'invalid'; errors: { path: string; message: string }[] };

export interface ImportReport {
  importId: string;
  dryRun: boolean;
  summary: { rows: number; created: number; valid: number; duplicates: number; invalid: number };
  rows: RowReport[];
}

/** The client went away before the import could answer: nothing was stored. */
export class ImportAbandoned extends Error {
  constructor(readonly stage: 'upload' | 'before-commit') {
    super(`the client disconnected during the ${stage === 'upload' ? 'upload' : 'import, before its commit'}`);
    this.name = 'ImportAbandoned';
  }
}

const canonicalColumn = (header: string) => {
  const compact = header.trim().replace(/[\s_-]+/g, '').toLowerCase();
  return importColumns.find((c) => c.toLowerCase() === compact);
};

interface ParsedRow {
  line: number;
  values: Record<string, string>;
  extraCells: boolean;
}

const tooLarge = (message: string) => new DomainError('PAYLOAD_TOO_LARGE', message);
const malformed = (message: string, code: string) => badRequest(`The file is not valid CSV: ${message}`, [{ path: 'body', message, code }]);

/**
 * Decodes the body and bounds it before the CSV parser sees it: total bytes, and per record (quotes
 * followed, so a quoted comma or line break stays inside its cell) the characters and cells. A line
 * of millions of commas is refused within its first chunk instead of being split into cells.
 */
function boundedText(charset: string): Transform {
  const decoder = new TextDecoder(charset);
  let bytes = 0;
  let quoted = false;
  let cells = 1;
  let chars = 0;
  let line = 1;
  const check = (text: string): DomainError | null => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      if (c === 34) quoted = !quoted;
      else if (!quoted && (c === 10 || c === 13)) {
        cells = 1;
        chars = 0;
        continue;
      } else if (!quoted && c === 44 && ++cells > MAX_IMPORT_CELLS) {
        return badRequest(`Line ${line} has more than ${MAX_IMPORT_CELLS} cells`, [{ path: 'body', message: `line ${line}: more than ${MAX_IMPORT_CELLS} cells`, code: 'too_many_cells' }]);
      }
      if (++chars > MAX_IMPORT_RECORD_CHARS) {
        return badRequest(`The record at line ${line} is longer than ${MAX_IMPORT_RECORD_CHARS} characters`, [
          { path: 'body', message: `line ${line}: record longer than ${MAX_IMPORT_RECORD_CHARS} characters`, code: 'record_too_long' },
        ]);
      }
    }
    return null;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      bytes += chunk.length;
      if (bytes > MAX_IMPORT_BYTES) return callback(tooLarge(`The file is larger than ${MAX_IMPORT_BYTES} bytes`));
      const text = decoder.decode(chunk, { stream: true });
      callback(check(text), text);
    },
    flush(callback: TransformCallback) {
      const text = decoder.decode();
      callback(check(text), text);
    },
  });
}

/**
 * Reads the CSV as it arrives into rows keyed by column; 400 for a file that is not a usable CSV,
 * 413 beyond the size or row limit, ImportAbandoned when the client goes away first.
 */
export async function readWatchlistCsv(body: Readable, options: { charset?: string; signal?: AbortSignal } = {}): Promise<ParsedRow[]> {
  const { signal } = options;
  const bounded = boundedText(options.charset ?? 'utf-8');
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    trim: true,
    max_record_size: MAX_IMPORT_RECORD_CHARS,
  });
  const gone = () => parser.destroy(new ImportAbandoned('upload'));
  const upstreamFailed = (error: Error) => parser.destroy(signal?.aborted ? new ImportAbandoned('upload') : error);
  const closedEarly = () => {
    if (!body.readableEnded) parser.destroy(new ImportAbandoned('upload'));
  };
  signal?.addEventListener('abort', gone, { once: true });
  body.on('error', upstreamFailed);
  body.on('close', closedEarly);
  bounded.on('error', upstreamFailed);
  body.pipe(bounded).pipe(parser);

  let columns: (string | undefined)[] | undefined;
  const rows: ParsedRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = checkHeader(record);
        continue;
      }
      if (rows.length >= MAX_IMPORT_ROWS) throw tooLarge(`At most ${MAX_IMPORT_ROWS} rows per import; this file has more`);
      const values: Record<string, string> = {};
      columns.forEach((column, i) => {
        const cell = record[i];
        if (column && cell !== undefined && cell !== '') values[column] = cell;
      });
      rows.push({ line: info.lines, values, extraCells: record.length > columns.length && record.slice(columns.length).some((c) => c !== '') });
    }
  } catch (error) {
    if (signal?.aborted || error instanceof ImportAbandoned) throw new ImportAbandoned('upload');
    if (error instanceof DomainError) throw error;
    const e = error as { code?: unknown; message?: string };
    if (error instanceof CsvError || (typeof e.code === 'string' && e.code.startsWith('CSV_'))) throw malformed(e.message ?? String(e.code), String(e.code));
    throw error;
  } finally {
    signal?.removeEventListener('abort', gone);
    body.off('close', closedEarly);
    // Whatever is left of the body is read and dropped, so the answer reaches the client.
    body.unpipe(bounded);
    if (!body.readableEnded && !body.destroyed) body.resume();
  }
  if (!columns) throw badRequest('The file is empty: expected a header row and at least one entry', [{ path: 'body', message: 'empty file' }]);
  if (rows.length === 0) throw badRequest('The file has a header but no entries', [{ path: 'body', message: 'no rows' }]);
  return rows;
}

function checkHeader(header: string[]): (string | undefined)[] {
  const columns = header.map(canonicalColumn);
  const unknown = header.filter((_, i) => columns[i] === undefined);
  const missing = requiredColumns.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => c !== undefined && columns.indexOf(c) !== i);
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    const details = [
      ...unknown.map((c) => ({ path: `header.${c}`, message: `unknown column "${c}" (columns: ${importColumns.join(', ')})` })),
      ...missing.map((c) => ({ path: `header.${c}`, message: `missing column "${c}"` })),
      ...repeated.map((c) => ({ path: `header.${c}`, message: `column "${c}" appears more than once` })),
    ];
    throw badRequest(`The header row is not usable: ${details[0]!.message}`, details);
  }
  return columns;
}

/** A validated row on its way into the table, with the id it will have. */
interface Candidate {
  index: number;
  id: string;
  input: EntryInput;
}

/** One candidate as the set-based statements read it (json_to_recordset). */
const candidateRecord = ({ index, id, input }: Candidate) => ({
  idx: index,
  id,
  list: input.list,
  ...entryColumns(input),
  source: input.source,
  note: input.note ?? null,
  valid_from: input.validFrom?.toISOString() ?? null,
  valid_to: input.validTo?.toISOString() ?? null,
});
type CandidateRecord = ReturnType<typeof candidateRecord>;

interface Classified {
  idx: number;
  /** A name with nothing left once legal forms and punctuation go (e.g. "PT"): it could never match. */
  unnamed: boolean;
  existing_id: string | null;
  /** The earlier row of this file, in force, that names the same thing. */
  earlier_idx: number | null;
}

/**
 * Every candidate against the entries in force (not revoked, not lapsed) and against the earlier
 * candidates in force: the same phone; the same name key and, for agencies, licence key, for employers
 * and addresses, country. The same test as a single entry's (service.findDuplicate), for all at once.
 */
async function classify(db: Database, records: CandidateRecord[]): Promise<Classified[]> {
  const result = await db.execute(sql`
    with c as (
      select * from json_to_recordset(${JSON.stringify(records)}::json)
        as c(idx int, list watchlist_kind, name text, phone text, licence text, country text, valid_to timestamptz)
    ), k as (
      select c.idx, c.list, c.valid_to,
        case when c.list = 'phone' then c.phone else saring_name_key(c.name) end as k1,
        case when c.list = 'agency' then saring_licence_key(c.licence) end as k2,
        case when c.list in ('employer', 'address') then c.country end as k3
      from c
    ), existing as (
      select distinct on (k.idx) k.idx, e.id
      from k
      join watchlist_entries e
        on e.list = k.list
        and (case when e.list = 'phone' then e.phone else e.name_key end) = k.k1
        and (case when e.list = 'agency' then e.licence_key end) is not distinct from k.k2
        and (case when e.list in ('employer', 'address') then e.country end) is not distinct from k.k3
      where e.revoked_at is null and (e.valid_to is null or e.valid_to > now())
      order by k.idx, e.created_at
    )
    select k.idx, k.k1 is null as unnamed, existing.id as existing_id,
      min(k.idx) filter (where k.valid_to is null or k.valid_to > now())
        over (partition by k.list, k.k1, k.k2, k.k3 order by k.idx rows between unbounded preceding and 1 preceding) as earlier_idx
    from k left join existing on existing.idx = k.idx
    order by k.idx`);
  return result.rows as unknown as Classified[];
}

/** Inserts the new entries in one statement; returns what the database set (validFrom when not given, timestamps). */
async function insertEntries(db: Database, records: CandidateRecord[], addedBy: string) {
  const result = await db.execute(sql`
    insert into watchlist_entries (id, list, name, phone, licence, country, city, source, note, valid_from, valid_to, added_by)
    select r.id, r.list, r.name, r.phone, r.licence, r.country, r.city, r.source, r.note, coalesce(r.valid_from, now()), r.valid_to, ${addedBy}
    from json_to_recordset(${JSON.stringify(records)}::json)
      as r(id uuid, list watchlist_kind, name text, phone text, licence text, country text, city text, source text, note text, valid_from timestamptz, valid_to timestamptz)
    returning id, valid_from, created_at, updated_at`);
  const rows = result.rows as { id: string; valid_from: string | Date; created_at: string | Date; updated_at: string | Date }[];
  return new Map(rows.map((r) => [r.id, { validFrom: new Date(r.valid_from), createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) }]));
}

/** Audit records in multi-row inserts (a thousand rows, nine parameters each, per statement). */
async function insertAudits(db: Database, entries: AuditEntry[]) {
  for (let start = 0; start < entries.length; start += 1000) {
    await db.insert(auditLog).values(entries.slice(start, start + 1000).map(auditRow));
  }
}

export async function importWatchlistCsv(
  db: RootDatabase,
  body: Readable,
  who: { actor: Actor; requestId: string | null },
  dryRun: boolean,
  options: { charset?: string; signal?: AbortSignal } = {},
): Promise<ImportReport> {
  const { signal } = options;
  const importId = randomUUID();
  let parsed: ParsedRow[];
  try {
    parsed = await readWatchlistCsv(body, options);
  } catch (error) {
    if (error instanceof ImportAbandoned) await recordAbandoned(db, importId, who, error, 0);
    throw error;
  }

  // Validation, in memory.
  const reports: (RowReport | undefined)[] = [];
  const candidates: Candidate[] = [];
  const now = new Date();
  parsed.forEach((row, index) => {
    const base = { row: index + 1, line: row.line };
    if (row.extraCells) {
      reports[index] = { ...base, status: 'invalid', errors: [{ path: '(row)', message: 'more cells than header columns' }] };
      return;
    }
    const result = entryInputSchema.safeParse(row.values);
    if (!result.success) {
      reports[index] = { ...base, status: 'invalid', errors: fieldProblems(result.error).map(({ path, message }) => ({ path, message })) };
      return;
    }
    const input = result.data;
    if (input.validTo && !input.validFrom && input.validTo <= now) {
      reports[index] = { ...base, status: 'invalid', errors: [{ path: 'validTo', message: 'validTo is in the past: the entry would never be in force' }] };
      return;
    }
    candidates.push({ index, id: randomUUID(), input });
  });

  const work = async (tx: Database) => {
    if (!dryRun) await lockWrites(tx);
    const records = candidates.map(candidateRecord);
    const classified = candidates.length > 0 ? await classify(tx, records) : [];
    const idOf = new Map(candidates.map((c) => [c.index, c.id]));
    const recordOf = new Map(records.map((r) => [r.idx, r]));
    const fresh: CandidateRecord[] = [];
    for (const c of classified) {
      const row = parsed[c.idx]!;
      const base = { row: c.idx + 1, line: row.line };
      if (c.unnamed) {
        reports[c.idx] = { ...base, status: 'invalid', errors: [{ path: 'name', message: 'the name is only a legal form or punctuation: nothing is left to match' }] };
      } else if (c.existing_id) reports[c.idx] = { ...base, status: 'duplicate', existingId: c.existing_id };
      else if (c.earlier_idx !== null) reports[c.idx] = { ...base, status: 'duplicate', existingId: idOf.get(c.earlier_idx)! };
      else {
        reports[c.idx] = dryRun ? { ...base, status: 'valid' } : { ...base, status: 'created', id: idOf.get(c.idx)! };
        fresh.push(recordOf.get(c.idx)!);
      }
    }
    const summary = summarise(reports, parsed.length);
    if (dryRun) return summary;
    const stored = fresh.length > 0 ? await insertEntries(tx, fresh, who.actor.userId) : new Map();
    const audits: AuditEntry[] = fresh.map((r) => {
      const set = stored.get(r.id)!;
      const after = {
        id: r.id,
        list: r.list,
        name: r.name,
        phone: r.phone,
        licence: r.licence,
        country: r.country,
        city: r.city,
        source: r.source,
        note: r.note,
        validFrom: set.validFrom,
        validTo: r.valid_to,
        addedBy: who.actor.userId,
        createdAt: set.createdAt,
        updatedAt: set.updatedAt,
        revokedAt: null,
        revokedBy: null,
        revokeReason: null,
        importId,
        importLine: parsed[r.idx]!.line,
      };
      return { actor: who.actor, action: 'watchlist.entry.created', targetType: 'watchlist_entry', targetId: r.id, after, requestId: who.requestId };
    });
    audits.push({ actor: who.actor, action: 'watchlist.imported', targetType: 'watchlist_import', targetId: importId, after: summary, requestId: who.requestId });
    await insertAudits(tx, audits);
    // The last moment to give up: a client that has gone will never see the report, so nothing is kept.
    if (signal?.aborted) throw new ImportAbandoned('before-commit');
    return summary;
  };

  try {
    const summary = dryRun ? await work(db) : await db.transaction(work);
    if (signal?.aborted && dryRun) throw new ImportAbandoned('before-commit');
    return { importId, dryRun, summary, rows: reports as RowReport[] };
  } catch (error) {
    if (error instanceof ImportAbandoned) await recordAbandoned(db, importId, who, error, parsed.length);
    throw error;
  }
}

function summarise(reports: (RowReport | undefined)[], rows: number) {
  const count = (status: RowReport['status']) => reports.filter((r) => r?.status === status).length;
  return { rows, created: count('created'), valid: count('valid'), duplicates: count('duplicate'), invalid: count('invalid') };
}

/** The trace of an import the client gave up on: who, how many rows were read, and that nothing was stored. */
async function recordAbandoned(db: RootDatabase, importId: string, who: { actor: Actor; requestId: string | null }, error: ImportAbandoned, rows: number) {
  await recordAudit(db, {
    actor: who.actor,
    action: 'watchlist.import.abandoned',
    targetType: 'watchlist_import',
    targetId: importId,
    after: { stage: error.stage, rowsRead: rows, stored: 0 },
    requestId: who.requestId,
  });
}
