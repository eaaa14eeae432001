import { japanHoliday, passportForWorkInCambodia, cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';

/**
 * Person history through the real API: the same person's earlier applications, postponements and
 * decisions at other offices, resolved as of the receipt time in the one context statement.
 */
interface Hit {
  ruleId: string;
  mustReview: boolean;
  evidence: Record<string, unknown>;
}
interface Screened {
  id: string;
  caseId: string | null;
  decision: { outcome: string; score: number; hits: Hit[]; ruleSetVersion: string };
}
const hitOf = (body: Screened, ruleId: string) => body.decision.hits.find((h) => h.ruleId === ruleId);

/** Traveller n of these tests: own NIK (consistent with the date of birth and sex), passport and name. */
function person(n: number) {
  const suffix = String(n).padStart(4, '0');
  return { fullName: `Sri Wahyuni ${['Putri', 'Ayu', 'Dewi', 'Rahayu', 'Lestari', 'Sari', 'Indah', 'Wati'][n % 8]} ${n}`, nik: `320123540301${suffix}`, passportNumber: `E${String(2000000 + n)}`, dateOfBirth: '2001-03-14', sex: 'F' };
}
const lureFor = (n: number) => {
  const body = cambodiaLure();
  return { ...body, traveller: { ...body.traveller, ...person(n) } };
};
const holidayFor = (n: number) => {
  const body = japanHoliday();
  return { ...body, traveller: { ...body.traveller, ...person(n) } };
};

describe('person history across offices', () => {
  let ctx: TestContext;
  let jakarta: string;
  let batam: string;
  let karawang: string;
  let bandung: string;
  let hq: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    jakarta = await ctx.tokenFor('officer', 'TPI-CGK');
    batam = await ctx.tokenFor('officer', 'TPI-BTC');
    // Four eyes is every office's default (migration 0040); these tests are about person history, not approval,
    // so the postponing office has it switched off, as an admin may.
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-CGK'");
    karawang = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
    bandung = await ctx.tokenFor('passport_officer', 'KANIM-BANDUNG');
    hq = await ctx.tokenFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());

  const submit = async (path: string, body: object, token: string): Promise<Screened> => {
    const res = await api(ctx).post(`/api/v1${path}`).set(bearer(token)).send(body);
    expect(res.status).toBe(201);
    return res.body as Screened;
  };
  /** Screens the lure at Soekarno-Hatta and postpones it from the queue, as an officer there does. */
  const postponedAtJakarta = async (n: number): Promise<Screened> => {
    const screened = await submit('/departure-checks', lureFor(n), jakarta);
    expect(screened.caseId).toEqual(expect.any(String));
    await query(ctx, "UPDATE cases SET priority_at = now() - interval '1 year' WHERE id = $1", [screened.caseId]);
    const claimed = await api(ctx).post('/api/v1/cases/next').set(bearer(jakarta));
    expect(claimed.body.id).toBe(screened.caseId);
    const decided = await api(ctx)
      .post(`/api/v1/cases/${screened.caseId}/decision`)
      .set(bearer(jakarta))
      .send({ action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Tidak memiliki visa kerja dan ID PMI.' });
    expect(decided.status).toBe(200);
    return screened;
  };
  /** Moves everything recorded about an application `days` into the past (the tests' clock). */
  const backdate = async (applicationId: string, days: number) => {
    const by = `${days} days`;
    await query(ctx, 'UPDATE applications SET submitted_at = submitted_at - $2::interval WHERE id = $1', [applicationId, by]);
    await query(ctx, 'UPDATE decisions SET created_at = created_at - $2::interval WHERE application_id = $1', [applicationId, by]);
    await query(
      ctx,
      'UPDATE cases SET created_at = created_at - $2::interval, decided_at = decided_at - $2::interval, claimed_at = claimed_at - $2::interval WHERE application_id = $1',
      [applicationId, by],
    );
    await query(ctx, 'UPDATE postponements SET decided_at = decided_at - $2::interval WHERE application_id = $1', [applicationId, by]);
  };

  it('given a postponement at TPI-CGK 9 days ago, when the same NIK is checked at TPI-BTC, then the repeat-attempt rule fires with the earlier postponement as evidence', async () => {
    const earlier = await postponedAtJakarta(1);
    await backdate(earlier.id, 9);

    const again = await submit('/departure-checks', holidayFor(1), batam);

    const hit = hitOf(again, 'person.history.repeat-after-postponement');
    expect(hit?.mustReview).toBe(true);
    expect(again.decision.outcome).not.toBe('CLEAR');
    expect(hit?.evidence['history:postponement:nik']).toEqual({
      withinDays: 90,
      atOtherOffice: true,
      records: [expect.objectContaining({ of: 'postponement', applicationId: earlier.id, kind: 'departure', officeCode: 'TPI-CGK', daysAgo: 9, outcome: 'postponed', reasonCode: 'nonprocedural_migrant_worker' })],
    });
  });

  it('given a postponement at TPI-CGK 91 days ago, when the same NIK is checked at TPI-BTC, then it is outside the window and nothing about it fires', async () => {
    const earlier = await postponedAtJakarta(2);
    await backdate(earlier.id, 91);

    const again = await submit('/departure-checks', holidayFor(2), batam);

    expect(hitOf(again, 'person.history.repeat-after-postponement')).toBeUndefined();
    expect(again.decision.outcome).toBe('CLEAR');
  });

  it('given a postponement at TPI-CGK 9 days ago, when the same NIK is checked again at TPI-CGK, then it is not a repeat attempt at another office', async () => {
    const earlier = await postponedAtJakarta(3);
    await backdate(earlier.id, 9);

    const again = await submit('/departure-checks', holidayFor(3), jakarta);

    expect(hitOf(again, 'person.history.repeat-after-postponement')).toBeUndefined();
  });

  it('given a passport application at Karawang, when the same NIK applies at Bandung, then the duplicate-application rule fires; at Karawang again it does not', async () => {
    const body = passportForWorkInCambodia();
    const applicant = { ...body.applicant, fullName: 'Nur Aisyah', nik: '3215016811990004', dateOfBirth: '1999-11-28', sex: 'F' };
    const first = await submit('/passport-applications', { ...body, applicant }, karawang);
    expect(hitOf(first, 'passport.person.history.duplicate-application')).toBeUndefined();

    const sameOffice = await submit('/passport-applications', { ...body, applicant }, karawang);
    expect(hitOf(sameOffice, 'passport.person.history.duplicate-application')).toBeUndefined();

    const elsewhere = await submit('/passport-applications', { ...body, applicant }, bandung);
    const hit = hitOf(elsewhere, 'passport.person.history.duplicate-application');
    expect(hit?.evidence['history:application:nik']).toMatchObject({
      withinDays: 30,
      atOtherOffice: true,
      kind: 'passport',
      records: [expect.objectContaining({ of: 'application', applicationId: sameOffice.id, officeCode: 'KANIM-KARAWANG', kind: 'passport' }), expect.objectContaining({ applicationId: first.id })],
    });
  });

  it('given a departure under one NIK, when the same name and date of birth come with a NIK one digit different, then the second-identity rule fires with the earlier application', async () => {
    const traveller = person(5);
    const first = await submit('/departure-checks', holidayFor(5), jakarta);
    expect(hitOf(first, 'person.history.second-identity')).toBeUndefined();

    const otherNik = `${traveller.nik.slice(0, 15)}${(Number(traveller.nik[15]) + 1) % 10}`;
    const body = holidayFor(5);
    const second = await submit('/departure-checks', { ...body, traveller: { ...body.traveller, nik: otherNik, fullName: traveller.fullName.toUpperCase() } }, batam);

    const hit = hitOf(second, 'person.history.second-identity');
    expect(hit?.evidence['history:application:nameDob']).toEqual({
      withinDays: 730,
      differentNik: true,
      nikDiffersInAtMost: 2,
      records: [expect.objectContaining({ of: 'application', applicationId: first.id, officeCode: 'TPI-CGK', sameNik: false, nikDigitsDifferent: 1 })],
    });
    expect(second.decision.outcome).toBe('REVIEW');

    // Another person of the same name and birthday, from another district: not a second identity.
    const stranger = await submit('/departure-checks', { ...body, traveller: { ...body.traveller, nik: `3578${traveller.nik.slice(4)}` } }, batam);
    expect(hitOf(stranger, 'person.history.second-identity')).toBeUndefined();
  });

  it('given a decision that saw the person history, when the person applies again later and it is replayed, then the replay equals the stored decision', async () => {
    const earlier = await postponedAtJakarta(6);
    await backdate(earlier.id, 9);
    const screened = await submit('/departure-checks', holidayFor(6), batam);
    expect(hitOf(screened, 'person.history.repeat-after-postponement')).toBeDefined();
    // Later: the same person again at two offices.
    await submit('/departure-checks', holidayFor(6), jakarta);
    await submit('/departure-checks', holidayFor(6), batam);

    const replay = await api(ctx).get(`/api/v1/applications/${screened.id}/replay`).query({ version: screened.decision.ruleSetVersion }).set(bearer(hq));
    expect(replay.status).toBe(200);
    expect(replay.body.decision).toEqual(screened.decision);
    expect(replay.body.matchesStoredDecision).toBe(true);
  });
});
