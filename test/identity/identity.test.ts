import { japanHoliday, passportForWorkInCambodia } from '../applications/payloads';
import { loadRuleSet } from '../../src/screening/rules/loader';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { mrzLines } from '../support/mrz';

/**
 * Identity consistency through the real API: the NIK's encoded birth date and sex, and the passport's
 * MRZ, against the typed fields.
 */
interface Hit {
  ruleId: string;
  mustReview: boolean;
}
const ruleIds = (body: { decision: { hits: Hit[] } }) => body.decision.hits.map((h) => h.ruleId);
// Budi Santoso, born 1985-03-12, male: NIK 3174011203850002, passport B7654321.
const budi = { surname: 'SANTOSO', given: 'BUDI', documentNumber: 'B7654321', birth: '850312', sex: 'M' as const, expiry: '310101' };

describe('identity consistency', () => {
  let ctx: TestContext;
  let officer: string;
  let passportOfficer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
  });
  afterAll(() => ctx.close());

  const check = (body: object) => api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(body);
  // Each check is another person (own name), so person history (same name and birth date) stays out of it.
  let people = 0;
  const holidayWith = (traveller: object, extra: object = {}) => {
    const body = japanHoliday();
    people += 1;
    return { ...body, traveller: { ...body.traveller, fullName: `Budi Santoso ${people}`, ...traveller }, ...extra };
  };

  it('given a NIK whose digits 7-12 encode another birth date, when the traveller is checked, then the date-of-birth mismatch forces review', async () => {
    const res = await check(holidayWith({ nik: '3174011204850002' }));
    expect(res.status).toBe(201);
    expect(ruleIds(res.body)).toEqual(['identity.nik.date-of-birth-mismatch']);
    expect(res.body.decision.outcome).toBe('REVIEW');
  });

  it("given a woman's NIK (day + 40) on a man's application, when he is checked, then the sex mismatch forces review, and the same NIK on a woman's does not", async () => {
    const man = await check(holidayWith({ nik: '3174015203850002' }));
    expect(ruleIds(man.body)).toEqual(['identity.nik.sex-mismatch']);
    expect(man.body.decision.outcome).toBe('REVIEW');

    const woman = await check(holidayWith({ nik: '3174015203850002', sex: 'F' }));
    expect(ruleIds(woman.body)).toEqual([]);
    expect(woman.body.decision.outcome).toBe('CLEAR');
  });

  it('given a passport applicant whose NIK encodes another year, when she applies, then the mismatch fires at the passport office too', async () => {
    const body = passportForWorkInCambodia();
    const res = await api(ctx).post('/api/v1/passport-applications').set(bearer(passportOfficer)).send({ ...body, applicant: { ...body.applicant, nik: '3215010101990004' } });
    expect(res.status).toBe(201);
    expect(ruleIds(res.body)).toContain('identity.nik.date-of-birth-mismatch');
  });

  it('given an MRZ agreeing with the typed passport, when the traveller is checked, then it is stored and nothing fires', async () => {
    const res = await check(holidayWith({}, { mrz: mrzLines(budi).map((l) => l.toLowerCase()) }));
    expect(res.status).toBe(201);
    expect(res.body.decision.outcome).toBe('CLEAR');
    const stored = await api(ctx).get(`/api/v1/applications/${res.body.id}`).set(bearer(officer));
    expect(stored.body.payload.mrz).toEqual(mrzLines(budi));
  });

  it('given an MRZ with a wrong check digit, when the traveller is checked, then it is refused naming the line and the field, without echoing the passport number', async () => {
    const [line1, line2] = mrzLines(budi);
    const wrong = `${line2.slice(0, 9)}${(Number(line2[9]) + 1) % 10}${line2.slice(10)}`;

    const res = await check(holidayWith({}, { mrz: [line1, wrong] }));

    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'mrz.1', message: 'MRZ line 2, document number check digit: the check digit does not match' }),
        expect.objectContaining({ path: 'mrz.1', message: 'MRZ line 2, composite check digit: the check digit does not match' }),
      ]),
    );
    expect(JSON.stringify(res.body)).not.toContain('B7654321');
  });

  it('given an MRZ line of the wrong length or a visa instead of a passport, when the traveller is checked, then it is a 400 naming the line, never a 500', async () => {
    const [line1, line2] = mrzLines(budi);
    const short = await check(holidayWith({}, { mrz: [line1, line2.slice(0, 40)] }));
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]).toMatchObject({ path: 'mrz.1' });

    const visa = await check(holidayWith({}, { mrz: [`V${line1.slice(1)}`, line2] }));
    expect(visa.status).toBe(400);
    expect(visa.body.error.details[0]).toMatchObject({ path: 'mrz.0' });

    const one = await check(holidayWith({}, { mrz: [line1] }));
    expect(one.status).toBe(400);
  });

  it('given a valid MRZ of another passport number, when the traveller is checked, then the MRZ mismatch forces review', async () => {
    const res = await check(holidayWith({}, { mrz: mrzLines({ ...budi, documentNumber: 'B7654329' }) }));
    expect(res.status).toBe(201);
    expect(ruleIds(res.body)).toEqual(['identity.mrz.mismatch']);
    expect(res.body.decision.outcome).toBe('REVIEW');
  });

  it('given the protected-attribute policy, then a rule on the NIK/sex consistency is accepted and a rule on sex alone is still refused', () => {
    const rule = (when: string) => `rules:\n  - id: r\n    title: { id: t, en: t }\n    reason: { id: r, en: r }\n    appliesTo: [departure]\n    weight: 10\n    source: s\n    when: ${when}\n`;
    const manifest = 'name: t\nthresholds: { review: 40, postpone: 70 }\n';
    const consistency = loadRuleSet({ 'manifest.yaml': manifest, 'rules/r.yaml': rule('{ field: derived.nikMatchesSex, eq: false }') });
    expect(consistency.ok ? [] : consistency.problems).toEqual([]);
    const sexAlone = loadRuleSet({ 'manifest.yaml': manifest, 'rules/r.yaml': rule('{ field: traveller.sex, eq: F }') });
    expect(sexAlone.ok).toBe(false);
    expect(sexAlone.ok ? '' : sexAlone.problems.map((p) => p.message).join('\n')).toMatch(/protected attributes alone/);
  });
});
