/**
 * Reading an upload as a stream of rows, never the whole body at once: JSON lines (one application
 * per line) or CSV (a header of field paths such as `traveller.fullName`, one application per record).
 * Row numbers count data rows from 1: the CSV header and blank JSON lines are not rows.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { CsvError, parse as parseCsv } from 'csv-parse';
import type { ApplicationKind } from '../screening/application-schema';
import { fieldCatalogue, type FieldInfo } from '../screening/field-paths';
import { DomainError, type FieldProblem } from '../errors';

export type UploadFormat = 'csv' | 'jsonl';

/** One row as read: the value to validate, or why it could not be read at all. */
export type ReadRow = { rowNumber: number; value: unknown; problems?: undefined } | { rowNumber: number; value?: undefined; problems: FieldProblem[] };

const jsonLinesTypes = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines', 'application/x-jsonl'];
const csvTypes = ['text/csv', 'application/csv'];

/** The upload format named by a Content-Type header, or null when it is neither. */
export function formatOf(contentType: string | undefined): UploadFormat | null {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (csvTypes.includes(mediaType)) return 'csv';
  if (jsonLinesTypes.includes(mediaType)) return 'jsonl';
  return null;
}

const tooLarge = (what: string) => new DomainError('PAYLOAD_TOO_LARGE', what);

/** Fails the stream once more than `maxBytes` have passed through. */
export function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) return callback(tooLarge(`The upload is larger than ${maxBytes} bytes`));
      callback(null, chunk);
    },
  });
}

/** The longest line or record accepted: one application is a few kilobytes. */
const MAX_ROW_BYTES = 1 << 20;

async function* jsonLines(body: AsyncIterable<Buffer | string>): AsyncGenerator<ReadRow> {
  let pending = '';
  let rowNumber = 0;
  const decoder = new TextDecoder('utf-8');
  function* lines(text: string, final: boolean): Generator<ReadRow> {
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0 || (final && pending.length > 0)) {
      const line = newline >= 0 ? pending.slice(0, newline) : pending;
      pending = newline >= 0 ? pending.slice(newline + 1) : '';
      const trimmed = line.trim();
      if (trimmed === '') continue;
      rowNumber++;
      try {
        yield { rowNumber, value: JSON.parse(trimmed) as unknown };
      } catch {
        yield { rowNumber, problems: [{ path: '(row)', message: 'the line is not valid JSON', code: 'invalid_json' }] };
      }
    }
    if (pending.length > MAX_ROW_BYTES) throw tooLarge(`Row ${rowNumber + 1} is longer than ${MAX_ROW_BYTES} bytes`);
  }
  for await (const chunk of body) {
    yield* lines(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), false);
  }
  yield* lines(decoder.decode(), true);
}

/** The input fields a CSV column may name, per kind (the schema's leaves, not derived or context fields). */
function columnsFor(kind: ApplicationKind): Map<string, FieldInfo> {
  return new Map([...fieldCatalogue[kind]].filter(([path]) => !path.startsWith('derived.') && !path.startsWith('context.')));
}

const truthy = /^(true|yes|y|1)$/i;
const falsy = /^(false|no|n|0)$/i;
const numeric = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A CSV cell as the JSON value its field expects; left as text when it does not fit, so validation names the field. */
function cellValue(raw: string, field: FieldInfo): unknown {
  const text = raw.trim();
  switch (field.type) {
    case 'boolean':
      return truthy.test(text) ? true : falsy.test(text) ? false : raw;
    case 'number':
      return numeric.test(text) ? Number(text) : raw;
    case 'string[]':
      return text.split(';').map((item) => item.trim()).filter((item) => item.length > 0);
    default:
      return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Checks a CSV header against the kind's fields: every column must name one field, once. */
export function checkHeader(kind: ApplicationKind, header: string[]): FieldInfo[] {
  const columns = columnsFor(kind);
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const fields = header.map((name, index) => {
    const path = name.trim();
    const field = columns.get(path);
    if (!field) problems.push({ path, message: `column ${index + 1} is not a ${kind} field`, code: 'unknown_column' });
    else if (seen.has(path)) problems.push({ path, message: `column ${index + 1} repeats ${path}`, code: 'duplicate_column' });
    seen.add(path);
    return field!;
  });
  if (problems.length > 0) {
    throw new DomainError('INVALID_CSV_HEADER', `The CSV header must name ${kind} fields by path (e.g. ${kind === 'departure' ? 'traveller.fullName' : 'applicant.fullName'}); ${problems.length} column(s) do not`, problems);
  }
  return fields;
}

async function* csvRows(kind: ApplicationKind, body: Readable): AsyncGenerator<ReadRow> {
  const parser = body.pipe(
    parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_ROW_BYTES }),
  );
  // A failure upstream (size limit, aborted request) must end the parse with that error.
  body.once('error', (error) => parser.destroy(error));
  let fields: FieldInfo[] | undefined;
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!fields) {
        fields = checkHeader(kind, record);
        continue;
      }
      rowNumber++;
      if (record.length !== fields.length) {
        yield { rowNumber, problems: [{ path: '(row)', message: `expected ${fields.length} columns as in the header, got ${record.length}`, code: 'column_count' }] };
        continue;
      }
      const value: Record<string, unknown> = {};
      record.forEach((cell, index) => {
        if (cell.trim() !== '') setPath(value, fields![index]!.path, cellValue(cell, fields![index]!));
      });
      yield { rowNumber, value };
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const e = error as { code?: string; message?: string; lines?: number };
    // Every error of csv-parse is a CsvError, though not every code starts with CSV_ (INVALID_OPENING_QUOTE).
    if (error instanceof CsvError || (typeof e.code === 'string' && e.code.startsWith('CSV_'))) {
      throw new DomainError('MALFORMED_CSV', `The CSV cannot be read after row ${rowNumber}: ${e.message ?? e.code}`, [{ path: '(file)', message: e.message ?? e.code, code: e.code }]);
    }
    throw error;
  }
  if (!fields) throw new DomainError('INVALID_CSV_HEADER', 'The CSV is empty: it needs a header row of field paths');
}

/** The rows of an upload, read as they arrive. */
export function readRows(format: UploadFormat, kind: ApplicationKind, body: Readable): AsyncGenerator<ReadRow> {
  return format === 'csv' ? csvRows(kind, body) : jsonLines(body);
}
