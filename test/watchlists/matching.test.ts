/** Watchlist matching end to end: entries added through the API, departures screened through the API. */
import { japanHoliday, proceduralWorker } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { nikFor } from '../support/nik';

interface Hit {
  ruleId: string;
  mustReview: boolean;
  evidence: Record<string, unknown>;
}
interface Decision {
  outcome: string;
  hits: Hit[];
}

let n = 0;
/** A holiday departure (CLEAR on its own) with the given employment details, by a new traveller each time. */
function departure(employment: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const body = japanHoliday();
  n++;
  return {
    ...body,
    traveller: { ...body.traveller, fullName: `Budi Santoso ${n}`, nik: nikFor(body.traveller, n, '330101'), passportNumber: `B${String(2000000 + n)}` },
    employment: { hasJobOffer: false, ...employment },
    ...extra,
  };
}

describe('watchlist matching', () => {
  let ctx: TestContext;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await ctx.tokenFor('admin', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  const add = async (entry: Record<string, unknown>) => {
    const res = await api(ctx).post('/api/v1/watchlists/entries').set(bearer(admin)).send({ source: 'Kemlu referral 2026/114', ...entry });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const screen = async (body: object): Promise<Decision> => {
    const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(body);
    expect(res.status).toBe(201);
    return res.body.decision;
  };
  const hit = (decision: Decision, ruleId: string) => decision.hits.find((h) => h.ruleId === ruleId);

  it('given a recruiter phone on the list, when a departure names it in national format, then review is forced with the entry as evidence', async () => {
    const entry = await add({ list: 'phone', phone: '+62 812-9000-0001', name: 'Bang Jo' });
    const decision = await screen(departure({ recruiterPhone: '0812 9000 0001' }));
    expect(decision.outcome).toBe('REVIEW');
    expect(hit(decision, 'context.watchlist.recruiter-phone')).toMatchObject({
      mustReview: true,
      evidence: {
        'employment.recruiterPhone': '+6281290000001',
        'watchlist:phone:employment.recruiterPhone': [{ entryId: entry.id, entry: '+6281290000001 (Bang Jo)', similarity: 1, source: 'Kemlu referral 2026/114' }],
      },
    });
    const other = await screen(departure({ recruiterPhone: '0812 9000 0002' }));
    expect(other).toMatchObject({ outcome: 'CLEAR', hits: [] });
  });

  it('given a sponsor phone on the list, when a departure has that sponsor, then the sponsor rule fires', async () => {
    await add({ list: 'phone', phone: '+855 12 900 003' });
    const decision = await screen(departure({}, { sponsor: { name: 'Pak Joko', phone: '+85512900003' } }));
    expect(hit(decision, 'context.watchlist.sponsor-phone')?.mustReview).toBe(true);
  });

  it('given an employer on the list, when the application writes it with other case, accents, spacing and legal form, then it matches exactly', async () => {
    const entry = await add({ list: 'employer', name: 'Golden Star Trading Co., Ltd.', country: 'KH', city: 'Phnom Penh' });
    const decision = await screen(departure({ employerName: 'PT.  golden STAR tradíng', employerCountry: 'KH' }));
    expect(hit(decision, 'context.watchlist.employer')?.evidence).toEqual({
      'employment.employerName': 'PT. golden STAR tradíng',
      'watchlist:employer:employment.employerName': [{ entryId: entry.id, entry: 'Golden Star Trading Co., Ltd. (Phnom Penh, KH)', similarity: 1, source: 'Kemlu referral 2026/114' }],
    });
  });

  it('given an employer on the list, when the application misspells it, then it matches with a similarity below 1', async () => {
    await add({ list: 'employer', name: 'Huione Guarantee Group' });
    const decision = await screen(departure({ employerName: 'Huione Guarentee Group' }));
    const [match] = hit(decision, 'context.watchlist.employer')?.evidence['watchlist:employer:employment.employerName'] as { similarity: number }[];
    expect(match!.similarity).toBeGreaterThanOrEqual(0.7);
    expect(match!.similarity).toBeLessThan(1);
  });

  it('given an employer on the list, when a different firm with shared words applies (a near miss), then nothing matches', async () => {
    await add({ list: 'employer', name: 'Golden Star Trading' });
    const decision = await screen(departure({ employerName: 'Golden Fortune Trading' }));
    expect(hit(decision, 'context.watchlist.employer')).toBeUndefined();
  });

  it('given an employer listed in Cambodia, when the same name is an employer in Japan, then it does not match', async () => {
    await add({ list: 'employer', name: 'Sakura Foods', country: 'KH' });
    expect(hit(await screen(departure({ employerName: 'Sakura Foods', employerCountry: 'JP' })), 'context.watchlist.employer')).toBeUndefined();
    expect(hit(await screen(departure({ employerName: 'Sakura Foods', employerCountry: 'KH' })), 'context.watchlist.employer')).toBeDefined();
  });

  it.each([
    ['accents dropped', 'Nguyễn Văn Hùng', 'Nguyen Van Hung'],
    ['name order swapped', 'Tran Thi Mai', 'Mai Tran Thi'],
    ['accents and order', 'Lê Đức Thọ', 'THO, le duc'],
    ['old Indonesian spelling and a Muhammad variant', 'Mochammad Soeharto', 'Muhammad Suharto'],
  ])('given a person on the list, when the recruiter name differs by %s, then it matches', async (_what, listed, written) => {
    const entry = await add({ list: 'person', name: listed });
    const decision = await screen(departure({ recruiterName: written }));
    const evidence = hit(decision, 'context.watchlist.recruiter-name')?.evidence['watchlist:person:employment.recruiterName'] as { entryId: string; similarity: number }[];
    expect(evidence).toContainEqual(expect.objectContaining({ entryId: entry.id, similarity: 1 }));
  });

  it('given a person on the list, when a different person with a similar name is the recruiter (a near miss), then nothing matches', async () => {
    await add({ list: 'person', name: 'Budi Santoso' });
    const decision = await screen(departure({ recruiterName: 'Budi Susanto' }));
    expect(hit(decision, 'context.watchlist.recruiter-name')).toBeUndefined();
  });

  it('given an agency on the list, when the licence is written with other punctuation, then the agency rule fires', async () => {
    const entry = await add({ list: 'agency', name: 'PT Sumber Rejeki Abadi', licence: 'KEP.777/PPTKIS/2021' });
    const worker = proceduralWorker();
    const decision = await screen({ ...worker, traveller: { ...worker.traveller, nik: '3301019999900001' }, employment: { ...worker.employment, placementAgencyName: 'PT Lain', placementAgencyLicence: 'kep 777 pptkis 2021' } });
    expect(hit(decision, 'context.watchlist.agency')?.evidence['watchlist:agency:employment.placementAgencyLicence']).toEqual([
      { entryId: entry.id, entry: 'PT Sumber Rejeki Abadi (licence KEP.777/PPTKIS/2021)', similarity: 1, source: 'Kemlu referral 2026/114' },
    ]);
  });

  it('given entries that expired yesterday or start tomorrow, when screened, then they do not match; the same entry in force does', async () => {
    const day = 86_400_000;
    const iso = (offset: number) => new Date(Date.now() + offset).toISOString();
    await add({ list: 'phone', phone: '+62 812-9000-0010', validFrom: iso(-10 * day), validTo: iso(-day) });
    await add({ list: 'phone', phone: '+62 812-9000-0011', validFrom: iso(day) });
    await add({ list: 'phone', phone: '+62 812-9000-0012', validFrom: iso(-10 * day), validTo: iso(day) });
    expect(hit(await screen(departure({ recruiterPhone: '081290000010' })), 'context.watchlist.recruiter-phone')).toBeUndefined();
    expect(hit(await screen(departure({ recruiterPhone: '081290000011' })), 'context.watchlist.recruiter-phone')).toBeUndefined();
    expect(hit(await screen(departure({ recruiterPhone: '081290000012' })), 'context.watchlist.recruiter-phone')).toBeDefined();
  });

  it('given a matching entry, when it is revoked, then later screenings no longer match it', async () => {
    const entry = await add({ list: 'phone', phone: '+62 812-9000-0020' });
    expect(hit(await screen(departure({ recruiterPhone: '081290000020' })), 'context.watchlist.recruiter-phone')).toBeDefined();
    const revoked = await api(ctx).post(`/api/v1/watchlists/entries/${entry.id}/revoke`).set(bearer(admin)).send({ reason: 'number reassigned to an unrelated subscriber' });
    expect(revoked.status).toBe(200);
    const after = await screen(departure({ recruiterPhone: '081290000020' }));
    expect(after).toMatchObject({ outcome: 'CLEAR', hits: [] });
  });

  it('given a compound on the address list, when it is the destination city, then the compound rule fires', async () => {
    await add({ list: 'address', name: 'Shwe Kokko', country: 'MM' });
    const decision = await screen(departure({}, { trip: { ...japanHoliday().trip, destinationCountry: 'TH', destinationCity: 'Shwe Koko' } }));
    expect(hit(decision, 'context.watchlist.compound-address')).toBeDefined();
  });
});

describe('saring_name_key: the normalisation shared by watchlists and links', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it.each([
    ['Golden Star Trading Co., Ltd.', 'golden star trading'],
    ['PT. GOLDEN  STAR   TRADING', 'golden star trading'],
    ['Nguyễn Văn Hùng', 'hung nguyen van'],
    ['HÙNG, Nguyen Van', 'hung nguyen van'],
    ['Mochammad Soeharto', 'muhamad suharto'],
    ['Tjandra Djojo', 'candra jojo'],
    ["Ma'ruf Amin", 'amin maruf'],
    ['Shwe Kokko', 'koko shwe'],
    ['PT', null],
  ])('given %s, when normalised, then %s', async (value, key) => {
    const { rows } = await ctx.database.pool.query('select saring_name_key($1) as key', [value]);
    expect(rows[0].key).toBe(key);
  });

  it('given the documented threshold 0.7, when similar and different names are compared, then variants pass and different people and firms do not', async () => {
    const similarity = async (a: string, b: string) =>
      Number((await ctx.database.pool.query('select similarity(saring_name_key($1), saring_name_key($2))::numeric as s', [a, b])).rows[0].s);
    expect(await similarity('Budi Santoso', 'Budi Santosa')).toBeGreaterThanOrEqual(0.7);
    expect(await similarity('Siti Aminah', 'Siti Amina')).toBeGreaterThanOrEqual(0.7);
    expect(await similarity('Budi Santoso', 'Budi Susanto')).toBeLessThan(0.7);
    expect(await similarity('Golden Star Trading', 'Golden Fortune Trading')).toBeLessThan(0.7);
    expect(await similarity('Nguyen Van Hung', 'Nguyen Thi Hung')).toBeLessThan(0.7);
  });
});
