import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import { sql } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import type { Logger } from '../logger';
import { followUpOutcomeLabels, type FollowUpOutcome } from './outcomes';
import { exportRows, type ExportRow, type PostponementFilter } from './queries';
import { reasonLabel } from './reasons';
import { jakartaDate, jakartaDateTime } from './time';

/** The export's columns, in order: the header row names them. */
export const csvColumns = [
  'id',
  'kind',
  'decided_at_utc',
  'decided_at_wib',
  'office_code',
  'office_name',
  'destination_country',
  'via_countries',
  'reason_code',
  'reason_id',
  'reason_en',
  'note',
  'deadline',
  'source',
  'decided_by',
  'decided_by_name',
  'approved_by',
  'approved_by_name',
  'approved_at_utc',
  'approved_at_wib',
  'application_id',
  'case_id',
  'applicant_name',
  'follow_up_count',
  'latest_follow_up',
  'latest_follow_up_en',
] as const;

type CsvRecord = Record<(typeof csvColumns)[number], string | number>;

/**
 * Free text typed by people (notes, names) that starts like a formula is prefixed with an apostrophe,
 * so a spreadsheet shows it as text instead of running it (CSV injection, OWASP).
 */
export const spreadsheetSafe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

function csvRecord(row: ExportRow): CsvRecord {
  const label = reasonLabel(row.reasonCode);
  const latest = row.latestFollowUp as FollowUpOutcome | null;
  return {
    id: row.id,
    kind: row.kind,
    decided_at_utc: row.decidedAt.toISOString(),
    decided_at_wib: jakartaDateTime(row.decidedAt),
    office_code: row.officeCode,
    office_name: spreadsheetSafe(row.officeName),
    destination_country: row.destinationCountry,
    // Countries passed through before the destination, in travel order: "MY TH".
    via_countries: row.viaCountries.join(' '),
    reason_code: row.reasonCode,
    reason_id: label?.id ?? '',
    reason_en: label?.en ?? '',
    note: spreadsheetSafe(row.note),
    deadline: row.deadline ?? '',
    source: row.caseId ? 'review_queue' : 'manual',
    decided_by: row.decidedBy,
    decided_by_name: spreadsheetSafe(row.decidedByName ?? ''),
    approved_by: row.approvedBy ?? '',
    approved_by_name: spreadsheetSafe(row.approvedByName ?? ''),
    approved_at_utc: row.approvedAt?.toISOString() ?? '',
    approved_at_wib: row.approvedAt ? jakartaDateTime(row.approvedAt) : '',
    application_id: row.applicationId ?? '',
    case_id: row.caseId ?? '',
    applicant_name: spreadsheetSafe(row.applicantName ?? ''),
    follow_up_count: row.followUpCount,
    latest_follow_up: latest ?? '',
    latest_follow_up_en: latest ? (followUpOutcomeLabels[latest]?.en ?? '') : '',
  };
}

const isClientGone = (error: unknown, res: Response) =>
  (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' || (res.destroyed && !res.writableFinished);

/**
 * Streams the matching postponements as CSV (RFC 4180: CRLF, quotes doubled, UTF-8 with a byte-order
 * mark so spreadsheet programs read Indonesian text correctly). Rows come from keyset batches inside
 * one read-only repeatable-read transaction: one consistent snapshot, memory bounded by the batch size,
 * and the response's back-pressure paces the reads.
 */
export async function streamPostponementsCsv(
  db: RootDatabase,
  filter: PostponementFilter,
  res: Response,
  options: { now: Date; logger?: Logger | undefined; batchSize?: number },
): Promise<void> {
  try {
    await db.transaction(
      async (tx) => {
        // Each batch is small and cheap, but the planner's estimate for the per-row follow-up lookups can
        // cross the JIT threshold, and compiling costs more than running: keep JIT off for this export.
        await tx.execute(sql`SET LOCAL jit = off`);
        const rows = exportRows(tx, filter, options.batchSize);
        // Read the first batch before sending headers, so a failing query still gets a proper error response.
        const first = await rows.next();
        res.status(200);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="postponements-${jakartaDate(options.now)}.csv"`);
        res.setHeader('Cache-Control', 'no-store');
        async function* records() {
          if (first.done) return;
          yield csvRecord(first.value);
          for await (const row of rows) yield csvRecord(row);
        }
        await pipeline(
          Readable.from(records()),
          stringify({ header: true, columns: [...csvColumns], bom: true, record_delimiter: 'windows' }),
          res,
        );
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  } catch (error) {
    if (res.headersSent && isClientGone(error, res)) {
      options.logger?.debug({ err: error }, 'postponement export: client went away');
      return;
    }
    throw error;
  }
}
