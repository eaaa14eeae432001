import { cambodiaLure, japanHoliday, passportForWorkInCambodia, proceduralWorker } from '../applications/payloads';
import { api, bearer, query, type TestContext } from '../support/harness';
import { nikFor } from '../support/nik';

type Payload = Record<string, unknown>;

const digits = (n: number, width: number) => String(n).padStart(width, '0');
/** A distinct name word per number (one syllable per digit): names with digits would fold ("22" to "2") in the name key. */
const syllables = ['ka', 'li', 'mo', 'nu', 'pe', 'ra', 'si', 'tu', 'wa', 'ye'];
const nameWord = (n: number) => [...String(n)].map((d) => syllables[Number(d)]).join('');

/**
 * The departure templates a generated row cycles through, in order: a plausible manifest, mostly
 * holidaymakers, some procedural migrant workers, and one textbook lure in ten.
 */
export const departureTemplates = [
  cambodiaLure,
  japanHoliday,
  japanHoliday,
  japanHoliday,
  japanHoliday,
  japanHoliday,
  japanHoliday,
  japanHoliday,
  proceduralWorker,
  proceduralWorker,
] as const;

/**
 * Row i (1-based) of a generated departure list: the templates in turn, each traveller distinct, and
 * each recruiter, employer and agency too (a real manifest is not 10,000 people with one recruiter,
 * and link analysis would rightly flag one that is).
 */
export function departureRow(i: number): Payload {
  const row = departureTemplates[(i - 1) % departureTemplates.length]!() as Payload & { traveller: Payload; employment?: Payload };
  row.traveller = { ...row.traveller, fullName: `${String(row.traveller.fullName)} ${nameWord(i)}`, nik: nikFor(row.traveller as { dateOfBirth: string; sex: string }, i), passportNumber: `C${digits(i, 7)}` };
  if (row.employment) {
    const employment: Payload = { ...row.employment, employerName: `${String(row.employment.employerName)} ${i}` };
    if (employment.recruiterPhone) employment.recruiterPhone = `+85512${digits(i % 1_000_000, 6)}`;
    if (employment.placementAgencyName) employment.placementAgencyName = `${String(employment.placementAgencyName)} ${i}`;
    row.employment = employment;
  }
  return row;
}

export function passportRow(i: number): Payload {
  const row = passportForWorkInCambodia() as Payload & { applicant: Payload };
  row.applicant = { ...row.applicant, fullName: `${String(row.applicant.fullName)} ${nameWord(i)}`, nik: nikFor(row.applicant as { dateOfBirth: string; sex: string }, i, '321501') };
  return row;
}

export const toJsonLines = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';

function flatten(value: Payload, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(child)) out[path] = child.join(';');
    else if (child !== null && typeof child === 'object') flatten(child as Payload, path, out);
    else out[path] = String(child);
  }
  return out;
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A CSV with one column per field path that any row uses. */
export function toCsv(rows: Payload[]): string {
  const flat = rows.map((row) => flatten(row));
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  const lines = [columns.join(','), ...flat.map((row) => columns.map((column) => csvCell(row[column] ?? '')).join(','))];
  return lines.join('\r\n') + '\r\n';
}

export const upload = (ctx: TestContext, token: string, body: string, contentType = 'application/x-ndjson', query = '') =>
  api(ctx).post(`/api/v1/batches${query}`).set(bearer(token)).set('Content-Type', contentType).send(body);

export const batchStatus = (ctx: TestContext, token: string, id: string) => api(ctx).get(`/api/v1/batches/${id}`).set(bearer(token));

/** Polls the batch until it is completed (or the time runs out, which fails the test with the last status). */
export async function waitForCompletion(ctx: TestContext, token: string, id: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const res = await batchStatus(ctx, token, id);
    if (res.status !== 200) throw new Error(`GET batch answered ${res.status}: ${JSON.stringify(res.body)}`);
    last = res.body;
    if (res.body.state === 'completed') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`batch ${id} did not complete; last status ${JSON.stringify(last).slice(0, 500)}`);
}

export { query };

/** Applications stored for a batch, per row, as the exactly-once checks count them. */
export async function rowsStored(ctx: TestContext, batchId: string) {
  const [counts] = await query<{ rows: number; applications: number; distinct_rows: number; screened: number }>(
    ctx,
    `SELECT count(*)::int AS rows,
            count(a.id)::int AS applications,
            count(DISTINCT r.row_number) FILTER (WHERE a.id IS NOT NULL)::int AS distinct_rows,
            count(*) FILTER (WHERE r.status = 'screened')::int AS screened
     FROM batch_rows r LEFT JOIN applications a ON a.id = r.application_id
     WHERE r.batch_id = $1`,
    [batchId],
  );
  return counts!;
}
