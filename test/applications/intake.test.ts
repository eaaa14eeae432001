import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { cambodiaLure, japanHoliday, passportForWorkInCambodia, proceduralWorker } from './payloads';

describe('departure checks and passport applications', () => {
  let ctx: TestContext;
  let officer: string;
  let passportOfficer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
  });
  afterAll(() => ctx.close());

  const count = async (table: string) => {
    const result = await ctx.database.pool.query(`select count(*)::int as n from ${table}`);
    return result.rows[0].n as number;
  };
  const departure = (body: unknown, token = officer) => api(ctx).post('/api/v1/departure-checks').set(bearer(token)).send(body as object);

  it('given the textbook Cambodia lure, when checked at departure, then POSTPONE_RECOMMENDED with the lure rules and an open case', async () => {
    const res = await departure(cambodiaLure());
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('departure');
    expect(res.body.decision.outcome).toBe('POSTPONE_RECOMMENDED');
    expect(res.body.decision.ruleSetVersion).toMatch(/^rs-[0-9a-f]+$/);
    const ruleIds: string[] = res.body.decision.hits.map((hit: { ruleId: string }) => hit.ruleId);
    expect(ruleIds).toEqual(
      expect.arrayContaining([
        'visa.job-offer-on-non-work-visa',
        'destination.cambodia',
        'job.lure-title',
        'recruitment.social-media',
        'ticket.paid-by-employer-or-recruiter',
        'trip.one-way-without-id-pmi',
      ]),
    );
    for (const hit of res.body.decision.hits) {
      expect(hit.reason.id.length).toBeGreaterThan(0);
      expect(hit.reason.en.length).toBeGreaterThan(0);
      expect(Object.keys(hit.evidence).length).toBeGreaterThan(0);
    }
    const evidenceFields = res.body.decision.hits.flatMap((hit: { evidence: object }) => Object.keys(hit.evidence));
    expect(evidenceFields).toEqual(expect.arrayContaining(['derived.destinationCountry', 'purpose.visaType', 'employment.recruitedVia', 'trip.ticketPaidBy']));
    expect(res.body.caseId).toEqual(expect.any(String));

    const stored = await api(ctx).get(`/api/v1/applications/${res.body.id}`).set(bearer(officer));
    expect(stored.status).toBe(200);
    expect(stored.body.caseId).toBe(res.body.caseId);
    expect(stored.body.caseState).toBe('open');
    expect(stored.body.decision.outcome).toBe('POSTPONE_RECOMMENDED');
  });

  it('given screenings, when metrics are scraped, then they are counted by kind and outcome and by rule', async () => {
    const before = await api(ctx).get('/metrics');
    const counted = (text: string) => Number(/saring_screenings_total\{kind="departure",outcome="CLEAR"\} (\d+)/.exec(text)?.[1] ?? 0);
    await departure(japanHoliday());
    await departure(cambodiaLure());
    const after = await api(ctx).get('/metrics');
    expect(counted(after.text)).toBe(counted(before.text) + 1);
    expect(after.text).toMatch(/saring_screenings_total\{kind="departure",outcome="POSTPONE_RECOMMENDED"\} [1-9]/);
    expect(after.text).toMatch(/saring_rule_hits_total\{rule="[a-z0-9.-]+"\} [1-9]/);
  });

  it('given a lure, when stored, then the input is normalised (names folded, codes upper case, phones E.164)', async () => {
    const res = await departure(cambodiaLure());
    const stored = await api(ctx).get(`/api/v1/applications/${res.body.id}`).set(bearer(officer));
    expect(stored.body.fullName).toBe('Rina Marlina');
    expect(stored.body.passportNumber).toBe('C1234567');
    expect(stored.body.destinationCountry).toBe('KH');
    expect(stored.body.payload.traveller.phone).toBe('+6281234567890');
    expect(stored.body.recruiterPhone).toBe('+85512345678');
  });

  it('given a family holiday to Japan with a return ticket, when checked, then CLEAR and no case', async () => {
    const res = await departure(japanHoliday());
    expect(res.status).toBe(201);
    expect(res.body.decision).toMatchObject({ outcome: 'CLEAR', hits: [] });
    expect(res.body.caseId).toBeNull();
  });

  it('given a procedural migrant worker to Taiwan with licence, ID PMI and work visa, when checked, then CLEAR', async () => {
    const res = await departure(proceduralWorker());
    expect(res.status).toBe(201);
    expect(res.body.decision.outcome).toBe('CLEAR');
    expect(res.body.caseId).toBeNull();
  });

  it('given an urgent first passport for a job in Cambodia, when applied for, then flagged with a case', async () => {
    const res = await api(ctx).post('/api/v1/passport-applications').set(bearer(passportOfficer)).send(passportForWorkInCambodia());
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('passport');
    expect(['REVIEW', 'POSTPONE_RECOMMENDED']).toContain(res.body.decision.outcome);
    expect(res.body.caseId).toEqual(expect.any(String));
  });

  describe('idempotency', () => {
    it('given the same key and body twice, when submitting, then the second returns the original with 200 and one application exists', async () => {
      const before = await count('applications');
      const first = await departure(cambodiaLure()).set('Idempotency-Key', 'retry-1');
      const second = await departure(cambodiaLure()).set('Idempotency-Key', 'retry-1');
      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(await count('applications')).toBe(before + 1);
    });

    it('given the same key with a different body, when submitting, then 409 and nothing new is written', async () => {
      await departure(japanHoliday()).set('Idempotency-Key', 'retry-2');
      const before = await count('applications');
      const changed = { ...japanHoliday(), trip: { ...japanHoliday().trip, destinationCountry: 'KH' } };
      const res = await departure(changed).set('Idempotency-Key', 'retry-2');
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
      expect(await count('applications')).toBe(before);
    });

    it('given five concurrent retries with one key, when submitting, then exactly one application is created', async () => {
      const before = await count('applications');
      const results = await Promise.all(Array.from({ length: 5 }, () => departure(cambodiaLure()).set('Idempotency-Key', 'burst-1')));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await count('applications')).toBe(before + 1);
    });
  });

  describe('office scoping', () => {
    it('given an application at Soekarno-Hatta, when an officer of another checkpoint asks for it, then 404; a national supervisor sees it', async () => {
      const created = await departure(cambodiaLure());
      const otherCheckpoint = await ctx.tokenFor('officer', 'TPI-SUB');
      expect((await api(ctx).get(`/api/v1/applications/${created.body.id}`).set(bearer(otherCheckpoint))).status).toBe(404);
      const national = await ctx.tokenFor('supervisor', 'HQ');
      expect((await api(ctx).get(`/api/v1/applications/${created.body.id}`).set(bearer(national))).status).toBe(200);
    });

    it('given applications in two offices, when an officer lists, then only their office appears', async () => {
      const surabaya = await ctx.tokenFor('officer', 'TPI-SUB');
      const mine = await departure(japanHoliday(), surabaya);
      const list = await api(ctx).get('/api/v1/applications?limit=200').set(bearer(surabaya));
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([mine.body.id]);
    });

    it('given a passport officer, when submitting a departure check, then 403', async () => {
      expect((await departure(japanHoliday(), passportOfficer)).status).toBe(403);
    });
  });

  describe('listing', () => {
    it('given many applications, when paging with the cursor, then every one is seen once in newest-first order', async () => {
      const medan = await ctx.tokenFor('officer', 'TPI-KNO');
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await departure(japanHoliday(), medan)).body.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api(ctx)
          .get(`/api/v1/applications?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(bearer(medan));
        seen.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it('given a NIK, when searching, then the exact traveller is found', async () => {
      const created = await departure(proceduralWorker());
      const res = await api(ctx).get('/api/v1/applications?q=3308015506950003').set(bearer(officer));
      expect(res.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);
      expect(res.body.items.every((i: { fullName: string }) => i.fullName === 'Dewi Lestari')).toBe(true);
    });

    it('given an outcome filter, when listing, then only that outcome is returned', async () => {
      const res = await api(ctx).get('/api/v1/applications?outcome=CLEAR&limit=200').set(bearer(officer));
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((i: { outcome: string }) => i.outcome === 'CLEAR')).toBe(true);
    });
  });

  describe('bad input', () => {
    it.each([
      { name: 'a NIK that is not 16 digits', path: 'traveller.nik', mutate: (b: ReturnType<typeof cambodiaLure>) => void (b.traveller.nik = '12345') },
      { name: 'a country that is not ISO alpha-2', path: 'trip.destinationCountry', mutate: (b: ReturnType<typeof cambodiaLure>) => void (b.trip.destinationCountry = 'Cambodia') },
      { name: 'a negative salary', path: 'employment.offeredMonthlySalary', mutate: (b: ReturnType<typeof cambodiaLure>) => void (b.employment.offeredMonthlySalary = -5) },
      { name: 'an unknown field', path: 'trip.seat', mutate: (b: ReturnType<typeof cambodiaLure>) => void ((b.trip as Record<string, unknown>).seat = '12A') },
      { name: 'a bad phone number', path: 'traveller.phone', mutate: (b: ReturnType<typeof cambodiaLure>) => void (b.traveller.phone = 'call me') },
    ])('given $name, when submitting, then 400 naming $path and nothing is written', async ({ mutate, path }) => {
      const before = await count('applications');
      const body = cambodiaLure();
      mutate(body);
      const res = await departure(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await count('applications')).toBe(before);
    });

    it('given a return date before departure, when submitting, then 422 with a clear message and nothing is written', async () => {
      const before = await count('applications');
      const body = japanHoliday();
      body.trip.returnDate = '2026-12-01';
      const res = await departure(body);
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/return/i);
      expect(await count('applications')).toBe(before);
    });

    it('given a refused request, then no audit record, decision or case was written either', async () => {
      const counts = async () => Promise.all(['applications', 'decisions', 'cases', 'audit_log'].map(count));
      const before = await counts();
      await departure({ traveller: {} });
      await departure(japanHoliday(), 'not-a-token');
      expect(await counts()).toEqual(before);
    });
  });

  it('given a stored lure, when the database is asked, then its application, decision and case rows agree', async () => {
    const res = await departure(cambodiaLure());
    const { rows } = await ctx.database.pool.query(
      `select a.outcome, d.outcome as decided, c.state, c.outcome as case_outcome
         from applications a join decisions d on d.application_id = a.id join cases c on c.application_id = a.id
        where a.id = $1`,
      [res.body.id],
    );
    expect(rows).toEqual([{ outcome: 'POSTPONE_RECOMMENDED', decided: 'POSTPONE_RECOMMENDED', state: 'open', case_outcome: 'POSTPONE_RECOMMENDED' }]);
  });
});
