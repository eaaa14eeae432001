import { japanHoliday } from '../applications/payloads';
import { api, bearer, type TestContext } from '../support/harness';
import { nikFor } from '../support/nik';

const DAY_MS = 86_400_000;
/** A distinct name word per number (one syllable per digit): names with digits would fold ("11" to "1") in the person name key. */
const syllables = ['ka', 'li', 'mo', 'nu', 'pe', 'ra', 'si', 'tu', 'wa', 'ye'];
const nameWord = (n: number) => [...String(n)].map((d) => syllables[Number(d)]).join('');
/** The full name tourist(n) travels under. */
export const touristName = (n: number) => `Network Traveller ${nameWord(n)}`;

/** An ISO departure `days` from now (negative: already left), at a whole minute. */
export const daysFromNow = (days: number) => new Date(Math.floor((Date.now() + days * DAY_MS) / 60_000) * 60_000).toISOString();

/**
 * A tourist to Siem Reap (Cambodia) with a return ticket, no job offer, recruited by `recruiterPhone`:
 * alone it stays CLEAR (Cambodia scores below review); with two other travellers sharing the recruiter's
 * phone within 14 days the link rule lifts it to REVIEW.
 */
export function tourist(n: number, departureAt: string, recruiterPhone: string, extra: { employment?: Record<string, unknown> } = {}) {
  const body = japanHoliday();
  const returnDate = new Date(new Date(departureAt).getTime() + 10 * DAY_MS).toISOString().slice(0, 10);
  return {
    ...body,
    traveller: { ...body.traveller, fullName: touristName(n), nik: nikFor(body.traveller, n, '350101'), passportNumber: `E${String(2000000 + n)}` },
    trip: { ...body.trip, departureAt, destinationCountry: 'KH', destinationCity: 'Siem Reap', returnDate },
    employment: { hasJobOffer: false, recruiterPhone, ...extra.employment },
  };
}

export interface Screened {
  id: string;
  caseId: string | null;
  decision: { outcome: string; score: number; hits: Array<{ ruleId: string; evidence: Record<string, unknown> }> };
}

export async function depart(ctx: TestContext, token: string, body: object): Promise<Screened> {
  const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`departure check answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Screened;
}

export interface StoredDecision {
  id: string;
  outcome: string;
  trigger: string;
  supersedesDecisionId: string | null;
  contextAsOf: string | null;
  hits: Array<{ ruleId: string; evidence: Record<string, unknown> }>;
}

/** The application as the API shows it: its case and every decision, newest first. */
export async function applicationOf(ctx: TestContext, token: string, id: string) {
  const res = await api(ctx).get(`/api/v1/applications/${id}`).set(bearer(token));
  if (res.status !== 200) throw new Error(`application ${id}: ${res.status}`);
  return res.body as { outcome: string; officeCode: string; caseId: string | null; caseState: string | null; decisions: StoredDecision[] };
}
