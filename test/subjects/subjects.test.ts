import { japanHoliday, passportForWorkInCambodia } from '../applications/payloads';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { nikFor } from '../support/nik';

/**
 * The subject-of-interest list through the real API: supervisors bar a person from re-applying for a
 * period; screenings at any office match the entry while its bar covers the receipt, as of the receipt.
 */
interface Hit {
  ruleId: string;
  mustReview: boolean;
  evidence: Record<string, unknown>;
}
interface Screened {
  id: string;
  decision: { outcome: string; score: number; hits: Hit[]; ruleSetVersion: string };
}
const RULE = 'person.subject-of-interest';
const hitOf = (body: Screened) => body.decision.hits.find((h) => h.ruleId === RULE);
const DAY = 86_400_000;
/** A date `offsetDays` from today in WIB (UTC+7), the zone dates without a time are read in. */
const day = (offsetDays: number) => new Date(Date.now() + 7 * 3_600_000 + offsetDays * DAY).toISOString().slice(0, 10);

/** Traveller n: a holiday to Japan (CLEAR on its own) under their own NIK and passport. */
function holidayOf(n: number) {
  const body = japanHoliday();
  return { ...body, traveller: { ...body.traveller, fullName: `Rahmat Hidayat ${n}`, nik: nikFor(body.traveller, 500 + n), passportNumber: `E${3000000 + n}` } };
}

describe('subject-of-interest list', () => {
  let ctx: TestContext;
  let supervisorCgk: string;
  let supervisorBtc: string;
  let officerBtc: string;
  let officerCgk: string;
  let hq: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    supervisorCgk = await ctx.tokenFor('supervisor', 'TPI-CGK');
    supervisorBtc = await ctx.tokenFor('supervisor', 'TPI-BTC');
    officerBtc = await ctx.tokenFor('officer', 'TPI-BTC');
    officerCgk = await ctx.tokenFor('officer', 'TPI-CGK');
    hq = await ctx.tokenFor('admin', 'HQ');
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-CGK'");
  });
  afterAll(() => ctx.close());

  const screen = async (body: object, token = officerBtc): Promise<Screened> => {
    const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(token)).send(body);
    expect(res.status).toBe(201);
    return res.body as Screened;
  };
  const bar = async (body: object, token = supervisorCgk) => api(ctx).post('/api/v1/subjects/entries').set(bearer(token)).send(body);

  it('given an entry whose bar starts tomorrow, when the person is checked today, then the rule does not fire', async () => {
    const person = holidayOf(1);
    const added = await bar({ nik: person.traveller.nik, reason: 'Ditunda dua kali (PMI nonprosedural)', source: 'Kanim Karawang 12/2026', barFrom: day(1), barUntil: day(180) });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ status: 'scheduled', officeCode: 'TPI-CGK' });

    const screened = await screen(person);

    expect(hitOf(screened)).toBeUndefined();
    expect(screened.decision.outcome).toBe('CLEAR');
  });

  it('given an entry in force, when the person is checked at another office, then the rule fires with the entry and its bar period, and the replay equals the decision', async () => {
    const person = holidayOf(2);
    const added = await bar({ nik: person.traveller.nik, reason: 'Ditunda sebagai PMI nonprosedural', source: 'TPI-CGK postponement', barUntil: day(180) });
    expect(added.status).toBe(201);

    const screened = await screen(person);

    const hit = hitOf(screened);
    expect(hit?.mustReview).toBe(true);
    expect(screened.decision.outcome).toBe('REVIEW');
    expect(hit?.evidence.subjectOfInterest).toEqual([
      { entryId: added.body.id, matchedBy: 'nik', reason: 'Ditunda sebagai PMI nonprosedural', source: 'TPI-CGK postponement', barFrom: added.body.barFrom, barUntil: added.body.barUntil, officeCode: 'TPI-CGK' },
    ]);

    // Later the entry is revoked and the person applies again: the replay still sees what intake saw.
    expect((await api(ctx).post(`/api/v1/subjects/entries/${added.body.id}/revoke`).set(bearer(supervisorCgk)).send({ reason: 'bar lifted by the head of office' })).status).toBe(200);
    await screen(person);
    const replay = await api(ctx).get(`/api/v1/applications/${screened.id}/replay`).query({ version: screened.decision.ruleSetVersion }).set(bearer(hq));
    expect(replay.status).toBe(200);
    expect(replay.body.decision).toEqual(screened.decision);
    expect(replay.body.matchesStoredDecision).toBe(true);
  });

  it('given an entry whose bar has ended, when the person is checked, then the rule does not fire', async () => {
    const person = holidayOf(3);
    const added = await bar({ passportNumber: person.traveller.passportNumber, reason: 'Ditunda', source: 'TPI-CGK', barUntil: day(30) });
    expect(added.status).toBe(201);
    // The tests' clock: the entry was added a year ago for six months.
    await query(ctx, "UPDATE subjects_of_interest SET created_at = now() - interval '1 year', bar_from = now() - interval '1 year', bar_until = now() - interval '6 months' WHERE id = $1", [added.body.id]);

    const screened = await screen(person);

    expect(hitOf(screened)).toBeUndefined();
    expect(screened.decision.outcome).toBe('CLEAR');
  });

  it('given a revoked entry, when the person is checked, then the rule no longer fires', async () => {
    const person = holidayOf(4);
    const added = await bar({ fullName: person.traveller.fullName.toUpperCase(), dateOfBirth: person.traveller.dateOfBirth, reason: 'Ditunda', source: 'TPI-CGK', barUntil: day(365) });
    expect(added.status).toBe(201);
    expect(hitOf(await screen(person))?.evidence.subjectOfInterest).toEqual([expect.objectContaining({ entryId: added.body.id, matchedBy: 'nameDob' })]);

    const revoked = await api(ctx).post(`/api/v1/subjects/entries/${added.body.id}/revoke`).set(bearer(supervisorCgk)).send({ reason: 'wrong person' });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokeReason: 'wrong person' });

    expect(hitOf(await screen(person))).toBeUndefined();
    const audit = await query<{ action: string }>(ctx, 'SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id', [added.body.id]);
    expect(audit.map((row) => row.action)).toEqual(['subject.entry.created', 'subject.entry.revoked']);
  });

  it('given a postponement at TPI-CGK, when its supervisor adds the person from it, then the entry carries the application identifiers and later applications of the person at any office fire', async () => {
    const person = holidayOf(5);
    const lure = { ...person, trip: { ...person.trip, destinationCountry: 'KH', destinationCity: 'Phnom Penh', hasReturnTicket: false, returnDate: undefined, ticketPaidBy: 'employer' }, purpose: { declaredPurpose: 'tourism', visaType: 'tourist' }, employment: { hasJobOffer: true, jobTitle: 'Customer service', recruitedVia: 'telegram' } };
    const screened = await screen(lure, officerCgk);
    const [caseRow] = await query<{ id: string }>(ctx, 'SELECT id FROM cases WHERE application_id = $1', [screened.id]);
    const caseId = caseRow!.id;
    await query(ctx, "UPDATE cases SET priority_at = now() - interval '1 year' WHERE id = $1", [caseId]);
    expect((await api(ctx).post('/api/v1/cases/next').set(bearer(officerCgk))).body.id).toBe(caseId);
    const decided = await api(ctx).post(`/api/v1/cases/${caseId}/decision`).set(bearer(officerCgk)).send({ action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Tidak memiliki visa kerja.' });
    expect(decided.status).toBe(200);
    const [row] = await query<{ id: string }>(ctx, 'SELECT id FROM postponements WHERE application_id = $1', [screened.id]);
    const postponement = row!;

    // Another office's supervisor cannot bar from TPI-CGK's postponement.
    expect((await bar({ postponementId: postponement.id, barUntil: day(180) }, supervisorBtc)).status).toBe(404);
    const added = await bar({ postponementId: postponement.id, barUntil: day(180) });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ nik: person.traveller.nik, passportNumber: person.traveller.passportNumber, postponementId: postponement.id, officeCode: 'TPI-CGK', status: 'active' });
    expect((await bar({ postponementId: postponement.id, barUntil: day(180) })).status).toBe(409);

    expect(hitOf(await screen(person))?.evidence.subjectOfInterest).toEqual([expect.objectContaining({ entryId: added.body.id, matchedBy: 'nik' })]);
  });

  it('given supervisors of two offices, then each lists and changes only its own office entries, and a CSV import reports each row', async () => {
    const own = await bar({ nik: nikFor({ dateOfBirth: '1990-01-02', sex: 'M' }, 9001), reason: 'Ditunda', source: 'TPI-CGK', barUntil: day(90) });
    expect(own.status).toBe(201);
    expect((await bar({ nik: nikFor({ dateOfBirth: '1990-01-02', sex: 'M' }, 9002), reason: 'x', source: 'y', barUntil: day(90), officeCode: 'TPI-CGK' }, supervisorBtc)).status).toBe(403);

    const listed = await api(ctx).get('/api/v1/subjects/entries').set(bearer(supervisorBtc));
    expect(listed.status).toBe(200);
    expect(listed.body.items.some((e: { id: string }) => e.id === own.body.id)).toBe(false);
    expect((await api(ctx).patch(`/api/v1/subjects/entries/${own.body.id}`).set(bearer(supervisorBtc)).send({ barUntil: day(200) })).status).toBe(404);
    const changed = await api(ctx).patch(`/api/v1/subjects/entries/${own.body.id}`).set(bearer(supervisorCgk)).send({ barUntil: day(200) });
    expect(changed.status).toBe(200);

    const csv = [
      'nik,passportNumber,fullName,dateOfBirth,reason,source,barUntil',
      `${nikFor({ dateOfBirth: '1991-02-03', sex: 'F' }, 9003)},,,,Ditunda,Kanim Batam,${day(120)}`,
      `,,Siti Maryam,,Ditunda,Kanim Batam,${day(120)}`,
    ].join('\n');
    const imported = await api(ctx).post('/api/v1/subjects/import').set(bearer(supervisorBtc)).set('Content-Type', 'text/csv').send(csv);
    expect(imported.status).toBe(200);
    expect(imported.body.summary).toEqual({ rows: 2, created: 1, valid: 0, duplicates: 0, invalid: 1 });
    expect(imported.body.rows[1]).toMatchObject({ line: 3, status: 'invalid', errors: [expect.objectContaining({ path: 'dateOfBirth' })] });
  });

  it('given a passport applicant on the list, when they apply at a passport office, then the rule fires there too', async () => {
    const body = passportForWorkInCambodia();
    const applicant = { ...body.applicant, nik: nikFor(body.applicant, 9100) };
    expect((await bar({ nik: applicant.nik, reason: 'Permohonan ganda', source: 'Kanim Karawang', barUntil: day(60) }, hq)).status).toBe(201);
    const res = await api(ctx).post('/api/v1/passport-applications').set(bearer(await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG'))).send({ ...body, applicant });
    expect(res.status).toBe(201);
    expect(hitOf(res.body)?.mustReview).toBe(true);
  });
});
