import { japanHoliday, passportForWorkInCambodia } from '../applications/payloads';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';

/**
 * The person view: a person's applications, decisions and postponements across offices, behind an
 * opaque id, scoped to the caller's office like links.
 */
describe('person view across offices', () => {
  let ctx: TestContext;
  let jakarta: string;
  let batam: string;
  let bali: string;
  let hq: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    jakarta = await ctx.tokenFor('officer', 'TPI-CGK');
    batam = await ctx.tokenFor('officer', 'TPI-BTC');
    bali = await ctx.tokenFor('officer', 'TPI-DPS');
    hq = await ctx.tokenFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());

  const traveller = { fullName: 'Ayu Kartika', nik: '3201235403010777', passportNumber: 'E3000777', dateOfBirth: '2001-03-14', sex: 'F' };
  const holiday = () => {
    const body = japanHoliday();
    return { ...body, traveller: { ...body.traveller, ...traveller } };
  };
  const submit = async (token: string) => {
    const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(token)).send(holiday());
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const get = (path: string, token: string) => api(ctx).get(`/api/v1${path}`).set(bearer(token));

  it('given checks of one traveller at Jakarta and Batam, when each office opens the person, then both see the whole timeline and open only their own applications; the id is no NIK', async () => {
    const atJakarta = await submit(jakarta);
    const atBatam = await submit(batam);
    // Another person's application is not part of it.
    await api(ctx).post('/api/v1/passport-applications').set(bearer(await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG'))).send(passportForWorkInCambodia());

    const fromBatam = await get(`/applications/${atBatam.id}/person`, batam);
    expect(fromBatam.status).toBe(200);
    expect(fromBatam.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fromBatam.body.id).not.toContain(traveller.nik);
    expect(fromBatam.body).toMatchObject({ keyKind: 'nik', fullName: 'Ayu Kartika', dateOfBirth: '2001-03-14', officeCodes: ['TPI-BTC', 'TPI-CGK'], truncated: false });
    expect(fromBatam.body.records).toEqual([
      expect.objectContaining({ of: 'application', officeCode: 'TPI-BTC', applicationId: atBatam.id, outcome: 'CLEAR' }),
      expect.objectContaining({ of: 'application', officeCode: 'TPI-CGK', applicationId: null, outcome: 'CLEAR' }),
    ]);
    expect(fromBatam.body.applications.map((a: { id: string }) => a.id)).toEqual([atBatam.id]);
    expect(fromBatam.body.applications[0].decisions).toEqual([expect.objectContaining({ outcome: 'CLEAR', trigger: 'intake' })]);

    const byId = await get(`/persons/${fromBatam.body.id}`, jakarta);
    expect(byId.status).toBe(200);
    expect(byId.body.applications.map((a: { id: string }) => a.id)).toEqual([atJakarta.id]);

    const national = await get(`/persons/${fromBatam.body.id}`, hq);
    expect(national.body.applications.map((a: { id: string }) => a.id).sort()).toEqual([atJakarta.id, atBatam.id].sort());
    expect(national.body.records.every((r: { applicationId: string | null }) => r.applicationId !== null)).toBe(true);
  });

  it('given a person never seen at Bali, when a Bali officer asks for them or their application, then it is not found', async () => {
    const atJakarta = await submit(jakarta);
    const [person] = await query<{ id: string }>(ctx, 'SELECT p.id FROM persons p JOIN applications a ON a.person_key = p.key WHERE a.id = $1', [atJakarta.id]);
    expect((await get(`/persons/${person!.id}`, bali)).status).toBe(404);
    expect((await get(`/applications/${atJakarta.id}/person`, bali)).status).toBe(404);
    expect((await get('/persons/00000000-0000-4000-8000-000000000000', hq)).status).toBe(404);
  });
});
