import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { bangkokOnToMyawaddy, businessTripToSingapore, japanHoliday, proceduralWorker, seafarerJoiningVessel, umrahPilgrim } from './payloads';

/** Issue 25: the form says what real travellers are, and legitimate ones carry no spurious hit. */
describe('departure checks for travellers who look unusual', () => {
  let ctx: TestContext;
  let officer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  const departure = (body: unknown) => api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(body as object);
  const stored = async (id: string) => (await api(ctx).get(`/api/v1/applications/${id}`).set(bearer(officer))).body;

  it('given a 3-day business trip to Singapore paid by the Indonesian employer, when checked, then CLEAR with no hit and no case', async () => {
    const res = await departure(businessTripToSingapore());
    expect(res.status).toBe(201);
    expect(res.body.decision).toMatchObject({ outcome: 'CLEAR', score: 0, hits: [] });
    expect(res.body.caseId).toBeNull();
    expect((await stored(res.body.id)).payload.trip.ticketPaidBy).toBe('employer_indonesian');
  });

  it('given the same trip paid by a foreign employer, when checked, then the employer-paid ticket rule fires', async () => {
    const body = businessTripToSingapore();
    const res = await departure({ ...body, trip: { ...body.trip, ticketPaidBy: 'employer_foreign' } });
    expect(res.status).toBe(201);
    expect(res.body.decision.hits.map((h: { ruleId: string }) => h.ruleId)).toEqual(['ticket.paid-by-employer-or-recruiter']);
  });

  it("given a first-time seafarer with a seaman's book, a sea employment agreement and a SIUPPAK crew agency, when checked, then CLEAR with no hit, the documents stored", async () => {
    const res = await departure(seafarerJoiningVessel());
    expect(res.status).toBe(201);
    expect(res.body.decision).toMatchObject({ outcome: 'CLEAR', score: 0, hits: [] });
    const { payload } = await stored(res.body.id);
    expect(payload.seafarer).toEqual(seafarerJoiningVessel().seafarer);
    expect(payload.purpose.visaType).toBe('crew');
    expect(payload.traveller.isFirstPassport).toBe(true);
  });

  it('given the seafarer without the sea employment agreement, when checked, then the work rules apply as to any worker', async () => {
    const body = seafarerJoiningVessel();
    const res = await departure({ ...body, seafarer: { ...body.seafarer, hasSeaEmploymentAgreement: false } });
    expect(res.status).toBe(201);
    expect(res.body.decision.outcome).toBe('POSTPONE_RECOMMENDED');
    expect(res.body.decision.hits.map((h: { ruleId: string }) => h.ruleId)).toEqual(expect.arrayContaining(['procedural.work-without-work-visa', 'procedural.no-placement-agreement']));
  });

  it('given an umrah pilgrim on an umrah visa whose PPIU paid the ticket, when checked, then CLEAR with no hit, the organiser stored', async () => {
    const res = await departure(umrahPilgrim());
    expect(res.status).toBe(201);
    expect(res.body.decision).toMatchObject({ outcome: 'CLEAR', hits: [] });
    expect((await stored(res.body.id)).payload.travelAgency).toEqual({ name: 'PT Arafah Wisata Utama', licenceType: 'PPIU', licenceNumber: 'U.123 TAHUN 2022' });
  });

  it('given the first API version\'s payers ("agency", "employer"), when checked, then still accepted, with the same outcome as before', async () => {
    const worker = await departure(proceduralWorker());
    expect(worker.status).toBe(201);
    expect(worker.body.decision).toMatchObject({ outcome: 'CLEAR', hits: [] });
    const body = businessTripToSingapore();
    const unstated = await departure({ ...body, trip: { ...body.trip, ticketPaidBy: 'employer' } });
    expect(unstated.body.decision.hits.map((h: { ruleId: string }) => h.ruleId)).toEqual(['ticket.paid-by-employer-or-recruiter']);
  });

  it('given a flight to Bangkok going on by land via Mae Sot to Myawaddy, when checked, then screened and stored as Myanmar with Malaysia and Thailand on the way', async () => {
    const res = await departure(bangkokOnToMyawaddy());
    expect(res.status).toBe(201);
    const hits = Object.fromEntries(res.body.decision.hits.map((h: { ruleId: string; evidence: object }) => [h.ruleId, h.evidence]));
    expect(hits['destination.other-scam-hub']).toEqual({ 'derived.destinationCountry': 'MM' });
    expect(hits['destination.transit-to-scam-hub']).toEqual({ 'derived.viaCountries': ['MY', 'TH'], 'derived.destinationCountry': 'MM' });
    expect(hits['destination.hotspot-city']).toMatchObject({ 'derived.routeCities': ['Mae Sot', 'Myawaddy'] });
    const list = await api(ctx).get('/api/v1/applications?q=Budi').set(bearer(officer));
    expect(list.body.items.find((item: { id: string }) => item.id === res.body.id)?.destinationCountry).toBe('MM');
    const [row] = (await ctx.database.pool.query('select destination_country, via_countries from applications where id = $1', [res.body.id])).rows;
    expect(row).toEqual({ destination_country: 'MM', via_countries: ['MY', 'TH'] });
  });

  it.each([
    ['an onward leg by rocket', { trip: { ...japanHoliday().trip, onwardLegs: [{ mode: 'rocket', country: 'MM' }] } }, 'trip.onwardLegs.0.mode'],
    ['an onward leg without a country', { trip: { ...japanHoliday().trip, onwardLegs: [{ mode: 'land' }] } }, 'trip.onwardLegs.0.country'],
    ['a travel agency licence of an unknown type', { travelAgency: { licenceType: 'IATA' } }, 'travelAgency.licenceType'],
    ['a sea employment agreement that is not a yes/no', { seafarer: { hasSeaEmploymentAgreement: 'yes' } }, 'seafarer.hasSeaEmploymentAgreement'],
    ['a first passport that is not a yes/no', { traveller: { ...japanHoliday().traveller, isFirstPassport: 'first' } }, 'traveller.isFirstPassport'],
    ['an unknown ticket payer', { trip: { ...japanHoliday().trip, ticketPaidBy: 'boss' } }, 'trip.ticketPaidBy'],
  ])('given %s, when checked, then 400 naming the field', async (_name, patch, path) => {
    const res = await departure({ ...japanHoliday(), ...patch });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain(path);
  });
});
