/**
 * Bulk import of watchlist entries from CSV (lists exchanged with partner countries), with a report
 * per row. Valid rows are added in one transaction; invalid and duplicate rows are reported and
 * skipped. A dry run does the same work (duplicates within the file included) and rolls it back.
 *
 *   list,name,phone,licence,country,city,source,note,validFrom,validTo
 *   phone,Bang Jo,+855 12 345 678,,,,Kemlu referral 2026/114,,2026-01-01,
 *   employer,Golden Star Trading Co.,,,KH,Phnom Penh,Police report 55/2026,,,2026-12-31
 */
import { randomUUID } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { recordAudit, type Actor } from '../audit/service';
import type { RootDatabase } from '../db/client';
import { badRequest, DomainError, fieldProblems } from '../errors';
import { entryInputSchema } from './entries';
import { findDuplicate, insertEntry, lockWrites } from './service';

export const importColumns = ['list', 'name', 'phone', 'licence', 'country', 'city', 'source', 'note', 'validFrom', 'validTo'] as const;
const requiredColumns = ['list', 'source'] as const;
/** Bounds one import's transaction; split larger lists. */
export const MAX_IMPORT_ROWS = 5000;

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

const canonicalColumn = (header: string) => {
  const compact = header.trim().replace(/[\s_-]+/g, '').toLowerCase();
  return importColumns.find((c) => c.toLowerCase() === compact);
};

interface ParsedRow {
  line: number;
  values: Record<string, string>;
  extraCells: boolean;
}

/** Parses the CSV text into rows keyed by column; 400 for a file that is not a usable CSV. */
export function parseWatchlistCsv(text: string): ParsedRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw badRequest(`The file is not valid CSV: ${error.message}`, [{ path: 'body', message: error.message, code: error.code }]);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw badRequest('The file is empty: expected a header row and at least one entry', [{ path: 'body', message: 'empty file' }]);
  const columns = header.record.map(canonicalColumn);
  const unknown = header.record.filter((_, i) => columns[i] === undefined);
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
  if (data.length === 0) throw badRequest('The file has a header but no entries', [{ path: 'body', message: 'no rows' }]);
  if (data.length > MAX_IMPORT_ROWS) throw new DomainError('PAYLOAD_TOO_LARGE', `At most ${MAX_IMPORT_ROWS} rows per import; this file has ${data.length}`);
  return data.map(({ record, info }) => {
    const values: Record<string, string> = {};
    columns.forEach((column, i) => {
      const cell = record[i];
      if (column && cell !== undefined && cell !== '') values[column] = cell;
    });
    return { line: info.lines, values, extraCells: record.length > columns.length && record.slice(columns.length).some((c) => c !== '') };
  });
}

class DryRunRollback extends Error {}

export async function importWatchlistCsv(db: RootDatabase, text: string, who: { actor: Actor; requestId: string | null }, dryRun: boolean): Promise<ImportReport> {
  const rows = parseWatchlistCsv(text);
  const importId = randomUUID();
  const reports: RowReport[] = [];
  const work = async (tx: Parameters<Parameters<RootDatabase['transaction']>[0]>[0]) => {
    await lockWrites(tx);
    for (const [index, parsed] of rows.entries()) {
      const base = { row: index + 1, line: parsed.line };
      if (parsed.extraCells) {
        reports.push({ ...base, status: 'invalid', errors: [{ path: '(row)', message: 'more cells than header columns' }] });
        continue;
      }
      const result = entryInputSchema.safeParse(parsed.values);
      if (!result.success) {
        reports.push({ ...base, status: 'invalid', errors: fieldProblems(result.error).map(({ path, message }) => ({ path, message })) });
        continue;
      }
      const input = result.data;
      if (input.validTo && !input.validFrom && input.validTo <= new Date()) {
        reports.push({ ...base, status: 'invalid', errors: [{ path: 'validTo', message: 'validTo is in the past: the entry would never be in force' }] });
        continue;
      }
      const existing = await findDuplicate(tx, input);
      if (existing) {
        reports.push({ ...base, status: 'duplicate', existingId: existing });
        continue;
      }
      const row = await insertEntry(tx, input, who, { importId, importLine: parsed.line });
      reports.push(dryRun ? { ...base, status: 'valid' } : { ...base, status: 'created', id: row.id });
    }
    const count = (status: RowReport['status']) => reports.filter((r) => r.status === status).length;
    const summary = { rows: rows.length, created: count('created'), valid: count('valid'), duplicates: count('duplicate'), invalid: count('invalid') };
    await recordAudit(tx, { actor: who.actor, action: 'watchlist.imported', targetType: 'watchlist_import', targetId: importId, after: summary, requestId: who.requestId });
    if (dryRun) throw new DryRunRollback();
    return summary;
  };
  try {
    const summary = await db.transaction(work);
    return { importId, dryRun, summary, rows: reports };
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    const count = (status: RowReport['status']) => reports.filter((r) => r.status === status).length;
    return { importId, dryRun, summary: { rows: rows.length, created: 0, valid: count('valid'), duplicates: count('duplicate'), invalid: count('invalid') }, rows: reports };
  }
}
