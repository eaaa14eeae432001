/**
 * Bulk import of subject-of-interest entries from CSV, with a report per row, like the watchlist
 * import: valid rows go in one transaction, invalid and duplicate rows are reported and skipped, a
 * dry run reports the same and stores nothing.
 *
 *   nik,passportNumber,fullName,dateOfBirth,reason,source,note,barFrom,barUntil,officeCode
 *   3201235403010001,,,,Postponed twice (nonprocedural),Kanim Karawang 12/2026,,2026-12-01,2027-06-01,
 */
import { randomUUID } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { recordAudit } from '../audit/service';
import type { RootDatabase } from '../db/client';
import { badRequest, DomainError, fieldProblems } from '../errors';
import { entryInputSchema } from './entries';
import { findDuplicate, insertEntry, lockWrites, officeFor, type Who } from './service';

export const importColumns = ['nik', 'passportNumber', 'fullName', 'dateOfBirth', 'reason', 'source', 'note', 'barFrom', 'barUntil', 'officeCode'] as const;
const requiredColumns = ['reason', 'source', 'barUntil'] as const;
export const MAX_IMPORT_ROWS = 5000;

export type RowReport =
  | { row: number; line: number; status: 'created'; id: string }
  | { row: number; line: number; status: 'valid' }
  | { row: number; line: number; status: 'duplicate'; existingId: string }
  | { row: number; line: number; status: 'invalid'; errors: { path: string; message: string }[] };

const canonicalColumn = (header: string) => {
  const compact = header.trim().replace(/[\s_-]+/g, '').toLowerCase();
  return importColumns.find((c) => c.toLowerCase() === compact);
};

class DryRunRollback extends Error {}

export async function importSubjectsCsv(db: RootDatabase, text: string, who: Who, dryRun: boolean) {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw badRequest(`The file is not valid CSV: ${error.message}`, [{ path: 'body', message: error.message }]);
    throw error;
  }
  const [header, ...data] = records;
  if (!header || data.length === 0) throw badRequest('Expected a header row and at least one entry', [{ path: 'body', message: 'no rows' }]);
  const columns = header.record.map(canonicalColumn);
  const unknown = header.record.filter((_, i) => columns[i] === undefined);
  const missing = requiredColumns.filter((c) => !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    const details = [
      ...unknown.map((c) => ({ path: `header.${c}`, message: `unknown column "${c}" (columns: ${importColumns.join(', ')})` })),
      ...missing.map((c) => ({ path: `header.${c}`, message: `missing column "${c}"` })),
    ];
    throw badRequest(`The header row is not usable: ${details[0]!.message}`, details);
  }
  if (data.length > MAX_IMPORT_ROWS) throw new DomainError('PAYLOAD_TOO_LARGE', `At most ${MAX_IMPORT_ROWS} rows per import; this file has ${data.length}`);
  const importId = randomUUID();
  const reports: RowReport[] = [];
  const count = (status: RowReport['status']) => reports.filter((r) => r.status === status).length;
  const work = async (tx: Parameters<Parameters<RootDatabase['transaction']>[0]>[0]) => {
    await lockWrites(tx);
    for (const [index, { record, info }] of data.entries()) {
      const base = { row: index + 1, line: info.lines };
      const values: Record<string, string> = {};
      columns.forEach((column, i) => {
        const cell = record[i];
        if (column && cell !== undefined && cell !== '') values[column] = cell;
      });
      const result = entryInputSchema.safeParse(values);
      if (!result.success) {
        reports.push({ ...base, status: 'invalid', errors: fieldProblems(result.error).map(({ path, message }) => ({ path, message })) });
        continue;
      }
      let officeCode: string;
      try {
        officeCode = await officeFor(tx, who, result.data.officeCode);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        reports.push({ ...base, status: 'invalid', errors: [{ path: 'officeCode', message: error.message }] });
        continue;
      }
      const existing = await findDuplicate(tx, result.data, officeCode);
      if (existing) {
        reports.push({ ...base, status: 'duplicate', existingId: existing });
        continue;
      }
      const row = await insertEntry(tx, { ...result.data, officeCode }, who, { importId, importLine: info.lines });
      reports.push(dryRun ? { ...base, status: 'valid' } : { ...base, status: 'created', id: row.id });
    }
    const summary = { rows: data.length, created: count('created'), valid: count('valid'), duplicates: count('duplicate'), invalid: count('invalid') };
    await recordAudit(tx, { actor: who.actor, action: 'subject.imported', targetType: 'subject_import', targetId: importId, after: summary, requestId: who.requestId });
    if (dryRun) throw new DryRunRollback();
    return summary;
  };
  try {
    const summary = await db.transaction(work);
    return { importId, dryRun, summary, rows: reports };
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    return { importId, dryRun, summary: { rows: data.length, created: 0, valid: count('valid'), duplicates: count('duplicate'), invalid: count('invalid') }, rows: reports };
  }
}
