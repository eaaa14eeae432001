import { readRuleSetDirectory } from '../../src/rulesets/loading';
import { cambodiaLure, japanHoliday, passportForWorkInCambodia, proceduralWorker } from '../applications/payloads';
import { api, bearer, type TestContext } from '../support/harness';
import { nikFor } from '../support/nik';

/** The default rule set's files without its tests/ (variants change outcomes those tests pin down). */
export function defaultFiles(): Record<string, string> {
  return Object.fromEntries(Object.entries(readRuleSetDirectory('rules/default')).filter(([path]) => !path.startsWith('tests/')));
}

/** Replaces one exact piece of one file; fails loudly when the piece is not there (the defaults moved). */
export function edit(files: Record<string, string>, path: string, from: string, to: string): Record<string, string> {
  const content = files[path];
  if (content === undefined || !content.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  return { ...files, [path]: content.replace(from, to) };
}

/**
 * A stricter set: the review threshold drops from 40 to 20 (a trip to Cambodia alone is now reviewed),
 * and Thailand joins the departure rule for scam-compound countries.
 */
export function stricterFiles(): Record<string, string> {
  const lowered = edit(defaultFiles(), 'manifest.yaml', '  review: 40\n', '  review: 20\n');
  return edit(lowered, 'rules/destination.yaml', 'when: { field: derived.destinationCountry, in: [MM, LA, PH] }', 'when: { field: derived.destinationCountry, in: [MM, LA, PH, TH] }');
}

/** A milder set: nothing is postponed any more (a postpone threshold no score reaches), flagged lures become REVIEW. */
export function milderFiles(): Record<string, string> {
  return edit(defaultFiles(), 'manifest.yaml', '  postpone: 70\n', '  postpone: 99999\n');
}

export async function uploadRuleSet(ctx: TestContext, adminToken: string, files: Record<string, string>): Promise<string> {
  const res = await api(ctx).post('/api/v1/rulesets').set(bearer(adminToken)).send({ files });
  if (res.status !== 201 && res.status !== 200) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.version as string;
}

/** Waits for a condition that another process or a background job makes true; fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type Person = { sex: 'M' | 'F'; dateOfBirth: string; provinceOfOrigin: string };
const people: Person[] = [
  { sex: 'F', dateOfBirth: '2003-05-01', provinceOfOrigin: 'Jawa Barat' },
  { sex: 'M', dateOfBirth: '1990-08-17', provinceOfOrigin: 'Jawa Timur' },
  { sex: 'F', dateOfBirth: '1978-02-11', provinceOfOrigin: 'Nusa Tenggara Barat' },
  { sex: 'M', dateOfBirth: '1999-11-30', provinceOfOrigin: 'Jawa Barat' },
  { sex: 'F', dateOfBirth: '1965-07-04', provinceOfOrigin: 'Sumatera Utara' },
];

/**
 * A varied history at TPI-CGK and KANIM-KARAWANG, screened through the API: holidays to Japan,
 * Thailand, Cambodia and Myanmar, textbook lures, procedural workers and passport applications for work
 * in Cambodia, spread over several people. Returns the ids of what was stored.
 */
export async function seedHistory(ctx: TestContext, officer: string, passportOfficer: string): Promise<string[]> {
  const bodies: Array<{ path: string; token: string; body: object }> = [];
  people.forEach((person, i) => {
    const holiday = (country: string) => {
      const body = japanHoliday();
      Object.assign(body.traveller, person, { nik: nikFor(person, 10 * i + 1) });
      body.trip.destinationCountry = country;
      return body;
    };
    for (const country of ['JP', 'TH', 'KH', 'MM']) bodies.push({ path: '/api/v1/departure-checks', token: officer, body: holiday(country) });
    if (i % 2 === 0) {
      const lure = cambodiaLure();
      Object.assign(lure.traveller, person, { nik: nikFor(person, 10 * i + 2) });
      bodies.push({ path: '/api/v1/departure-checks', token: officer, body: lure });
    } else {
      const worker = proceduralWorker();
      Object.assign(worker.traveller, person, { nik: nikFor(person, 10 * i + 3) });
      bodies.push({ path: '/api/v1/departure-checks', token: officer, body: worker });
    }
    const passport = passportForWorkInCambodia();
    Object.assign(passport.applicant, person, { nik: nikFor(person, 10 * i + 4) });
    bodies.push({ path: '/api/v1/passport-applications', token: passportOfficer, body: passport });
  });
  const ids: string[] = [];
  for (const { path, token, body } of bodies) {
    const res = await api(ctx).post(path).set(bearer(token)).send(body);
    if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
  return ids;
}

export async function count(ctx: TestContext, table: string): Promise<number> {
  const { rows } = await ctx.database.pool.query(`select count(*)::int as n from ${table}`);
  return rows[0].n as number;
}
