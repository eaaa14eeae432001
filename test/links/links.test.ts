import { linkedApplicationsQuery } from '../../src/links/queries';
import { toQuery } from '../../src/db/prepared';
import { japanHoliday, passportForWorkInCambodia } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { nikFor } from '../support/nik';

/** A holiday departure of traveller n (own NIK and passport), departing on the given day, recruited by `phone`. */
function traveller(n: number, departureAt: string, employment: Record<string, unknown>, trip: Record<string, unknown> = {}) {
  const body = japanHoliday();
  return {
    ...body,
    traveller: { ...body.traveller, fullName: `Traveller ${n}`, nik: nikFor(body.traveller, n, '320101'), passportNumber: `C${String(1000000 + n)}` },
    trip: { ...body.trip, departureAt, returnDate: '2027-02-01', ...trip },
    employment: { hasJobOffer: false, ...employment },
  };
}

interface Hit {
  ruleId: string;
  evidence: Record<string, unknown>;
}
const hitOf = (body: { decision: { hits: Hit[] } }, ruleId: string) => body.decision.hits.find((h) => h.ruleId === ruleId);

describe('link analysis', () => {
  let ctx: TestContext;
  let officer: string;
  let balinese: string;
  let hq: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    balinese = await ctx.tokenFor('officer', 'TPI-DPS');
    hq = await ctx.tokenFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());

  const depart = async (body: object, token = officer) => {
    const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(token)).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; decision: { outcome: string; hits: Hit[] } };
  };

  it('given five travellers sharing a recruiter phone over 10 days, when each is checked, then the link rule fires from the 3rd on with the earlier ids as evidence', async () => {
    const days = ['2026-11-01T08:00:00+07:00', '2026-11-03T10:00:00+07:00', '2026-11-06T09:00:00+07:00', '2026-11-08T21:00:00+07:00', '2026-11-11T07:30:00+07:00'];
    const ids: string[] = [];
    const linkHits: (Hit | undefined)[] = [];
    for (const [i, departureAt] of days.entries()) {
      const res = await depart(traveller(i + 1, departureAt, { recruiterPhone: '0812-7000-0001' }));
      ids.push(res.id);
      linkHits.push(hitOf(res, 'context.link-cluster'));
    }
    expect(linkHits[0]).toBeUndefined();
    expect(linkHits[1]).toBeUndefined();
    for (let i = 2; i < 5; i++) {
      expect(linkHits[i]?.evidence['employment.recruiterPhone']).toBe('+6281270000001');
      expect(linkHits[i]?.evidence['linked:recruiterPhone']).toEqual({ withinDays: 14, atLeast: 2, travellers: i, applicationIds: ids.slice(0, i) });
    }
  });

  it('given the same traveller checked twice with a recruiter phone, when a second traveller comes, then that is one other traveller and nothing fires', async () => {
    const phone = { recruiterPhone: '0812-7000-0002' };
    await depart(traveller(101, '2026-11-01T08:00:00+07:00', phone));
    await depart(traveller(101, '2026-11-02T08:00:00+07:00', phone));
    const third = await depart(traveller(102, '2026-11-02T09:00:00+07:00', phone));
    expect(hitOf(third, 'context.link-cluster')).toBeUndefined();
  });

  it('given two earlier travellers with the phone 20 days before, when a third is checked, then they are outside the 14-day window and a later check between them links all three', async () => {
    const phone = { recruiterPhone: '0812-7000-0003' };
    await depart(traveller(201, '2026-10-01T08:00:00+07:00', phone));
    await depart(traveller(202, '2026-10-02T08:00:00+07:00', phone));
    const late = await depart(traveller(203, '2026-10-22T08:00:00+07:00', phone));
    expect(hitOf(late, 'context.link-cluster')).toBeUndefined();
    const close = await depart(traveller(204, '2026-10-14T08:00:00+07:00', phone));
    expect(hitOf(close, 'context.link-cluster')?.evidence['linked:recruiterPhone']).toMatchObject({ travellers: 3 });
  });

  it('given tickets paid by one recruiter (by phone) and one employer name written differently, when checked, then ticket payer links fire', async () => {
    const paidBy = { ticketPaidBy: 'recruiter' };
    await depart(traveller(301, '2026-09-01T08:00:00+07:00', { recruiterPhone: '+62 812-7000-0004' }, paidBy));
    await depart(traveller(302, '2026-09-02T08:00:00+07:00', { recruiterPhone: '081270000004' }, paidBy));
    const third = await depart(traveller(303, '2026-09-03T08:00:00+07:00', { recruiterPhone: '0812 7000 0004' }, { ticketPaidBy: 'recruiter' }));
    expect(Object.keys(hitOf(third, 'context.link-cluster')?.evidence ?? {})).toEqual(expect.arrayContaining(['linked:recruiterPhone', 'linked:ticketPayer']));

    const employer = (name: string) => ({ employerName: name });
    await depart(traveller(311, '2026-08-01T08:00:00+07:00', employer('Golden Fortune Résort Co., Ltd.'), { ticketPaidBy: 'employer' }));
    await depart(traveller(312, '2026-08-02T08:00:00+07:00', employer('PT golden  fortune resort'), { ticketPaidBy: 'employer' }));
    const paid = await depart(traveller(313, '2026-08-03T08:00:00+07:00', employer('Resort Golden Fortune'), { ticketPaidBy: 'employer' }));
    expect(hitOf(paid, 'context.link-cluster')?.evidence['linked:ticketPayer']).toMatchObject({ travellers: 2 });
  });

  it('given a network across two checkpoints, when the cluster is asked for, then it lists the linked applications with dates, offices, outcomes and shared keys, scoped by office', async () => {
    const key = { recruiterPhone: '0812-7000-0005', employerName: 'Lucky Dragon Company' };
    const a = await depart(traveller(401, '2026-07-01T08:00:00+07:00', key));
    const b = await depart(traveller(402, '2026-07-03T08:00:00+07:00', key), balinese);
    const c = await depart(traveller(403, '2026-07-04T08:00:00+07:00', { recruiterPhone: '0812-7000-0005' }));
    const unrelated = await depart(traveller(404, '2026-07-04T08:00:00+07:00', { recruiterPhone: '0812-7000-0006' }));

    const national = await api(ctx).get(`/api/v1/links/${a.id}`).set(bearer(hq));
    expect(national.status).toBe(200);
    expect(national.body.application).toMatchObject({ id: a.id, officeCode: 'TPI-CGK', linkedAt: '2026-07-01T01:00:00.000Z' });
    expect(national.body.keys).toEqual({ recruiterPhone: '+6281270000005', sponsorPhone: null, employer: 'dragon lucky', ticketPayer: null });
    expect(national.body.items.map((m: { id: string }) => m.id)).toEqual([b.id, c.id]);
    expect(national.body.items[0]).toMatchObject({ officeCode: 'TPI-DPS', departureAt: '2026-07-03T01:00:00.000Z', outcome: b.decision.outcome, sharedKeys: ['recruiterPhone', 'employer'], sameTraveller: false });
    expect(national.body.items[1]).toMatchObject({ officeCode: 'TPI-CGK', sharedKeys: ['recruiterPhone'] });
    expect(national.body.items.map((m: { id: string }) => m.id)).not.toContain(unrelated.id);
    expect(national.body.otherOffices).toEqual([]);

    const scoped = await api(ctx).get(`/api/v1/links/${a.id}`).set(bearer(officer));
    expect(scoped.status).toBe(200);
    expect(scoped.body.items.map((m: { id: string }) => m.id)).toEqual([c.id]);
    expect(scoped.body.otherOffices).toEqual([{ officeCode: 'TPI-DPS', count: 1 }]);

    expect((await api(ctx).get(`/api/v1/links/${a.id}`).set(bearer(balinese))).status).toBe(404);
    const narrow = await api(ctx).get(`/api/v1/links/${a.id}?withinDays=1`).set(bearer(hq));
    expect(narrow.body.items).toEqual([]);
  });

  it('given passport applications from one recruiter, when the third is filed, then the passport link rule fires', async () => {
    const passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
    const ids: string[] = [];
    let last: { decision: { hits: Hit[] } } | undefined;
    for (const n of [1, 2, 3]) {
      const body = passportForWorkInCambodia();
      const res = await api(ctx)
        .post('/api/v1/passport-applications')
        .set(bearer(passportOfficer))
        .send({ ...body, applicant: { ...body.applicant, nik: `32150101010${String(n).padStart(5, '0')}` }, employment: { ...body.employment, recruiterPhone: '0812-7000-0007' } });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      last = res.body;
    }
    expect(hitOf(last!, 'passport.context.link-cluster')?.evidence['linked:recruiterPhone']).toMatchObject({ travellers: 2, applicationIds: ids.slice(0, 2) });
  });

  it('given bad input, when the cluster is asked for, then 400 for a malformed id and window, 404 for an unknown application', async () => {
    expect((await api(ctx).get('/api/v1/links/not-a-uuid').set(bearer(hq))).status).toBe(400);
    expect((await api(ctx).get('/api/v1/links/00000000-0000-4000-8000-000000000000?withinDays=0').set(bearer(hq))).status).toBe(400);
    expect((await api(ctx).get('/api/v1/links/00000000-0000-4000-8000-000000000000').set(bearer(hq))).status).toBe(404);
    expect((await api(ctx).get('/api/v1/links/00000000-0000-4000-8000-000000000000')).status).toBe(401);
  });

  describe('on 100,000 applications', () => {
    beforeAll(async () => {
      await ctx.database.pool.query(`
        INSERT INTO applications (kind, office_code, submitted_by, submitted_at, full_name, nik, date_of_birth, destination_country,
                                  departure_at, recruiter_phone, sponsor_phone, employer_name, payload, outcome, score, rule_set_version)
        SELECT 'departure', 'TPI-CGK', 'bulk', t - interval '1 day', 'Bulk ' || i, lpad(i::text, 16, '0'), date '1990-01-01', 'KH',
               t, '+6281' || lpad((i % 20000)::text, 8, '0'), '+6282' || lpad((i % 30000)::text, 8, '0'),
               -- One in ten with an employer, as most departures have none (and the name key is the costly part of an insert).
               CASE WHEN i % 10 = 0 THEN 'Employer ' || (i % 5000) END,
               jsonb_build_object('trip', jsonb_build_object('ticketPaidBy', 'recruiter'), 'employment', jsonb_build_object('recruiterPhone', '+6281' || lpad((i % 20000)::text, 8, '0'))),
               'CLEAR', 0, 'bulk'
        FROM generate_series(1, 100000) AS i, LATERAL (SELECT timestamptz '2025-01-01 00:00Z' + (i % 365) * interval '1 day' + (i % 1440) * interval '1 minute' AS t) AS at`);
      await ctx.database.pool.query('ANALYZE applications');
    }, 120_000);

    const scansOf = (plan: unknown): { type: string; index?: string }[] => {
      const node = plan as { 'Node Type': string; 'Index Name'?: string; Plans?: unknown[] };
      const own = node['Index Name'] ? [{ type: node['Node Type'], index: node['Index Name'] }] : [{ type: node['Node Type'] }];
      return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
    };

    const probe = {
      receivedBefore: new Date('2026-01-01T00:00:00Z'),
      applications: [
        {
          at: new Date('2025-05-20T00:00:00Z'),
          excludeNik: '0000000000000000',
          keys: {
            recruiterPhone: { value: '+628100001234', withinDays: 14 },
            sponsorPhone: { value: '+628200001234', withinDays: 14 },
            employer: { value: 'Employer 1230', withinDays: 30 },
            ticketPayer: { value: JSON.stringify({ trip: { ticketPaidBy: 'recruiter' }, employment: { recruiterPhone: '+628100001234' } }), withinDays: 14 },
          },
        },
      ],
    };

    // The resolver's statement is prepared per connection, so PostgreSQL may switch it to a generic plan: both must use the indexes.
    it.each(['force_custom_plan', 'force_generic_plan'])('given the link query for all four keys under %s, when explained, then each key is an index scan of its own index and nothing scans the table', async (mode) => {
      const query = toQuery(linkedApplicationsQuery(probe));
      const client = await ctx.database.pool.connect();
      try {
        await client.query(`PREPARE link_probe AS ${query.sql}`);
        await client.query(`SET plan_cache_mode = ${mode}`);
        // Each parameter as the literal PostgreSQL makes of it (arrays included).
        const literals: string[] = [];
        for (const param of query.params) literals.push((await client.query<{ literal: string }>('SELECT quote_nullable($1::text) AS literal', [param])).rows[0]!.literal);
        const args = literals.join(', ');
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE link_probe(${args})`);
        const scans = scansOf(rows[0]['QUERY PLAN'][0].Plan);
        for (const index of ['applications_recruiter_phone_link_idx', 'applications_sponsor_phone_link_idx', 'applications_employer_link_idx', 'applications_ticket_payer_link_idx']) {
          expect(scans).toContainEqual({ type: expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Index Scan)$/), index });
        }
        expect(scans.map((s) => s.type)).not.toContain('Seq Scan');
      } finally {
        await client.query('DEALLOCATE link_probe; RESET plan_cache_mode');
        client.release();
      }
    });

    it('given the same query, when run, then every key finds its neighbours in the window', async () => {
      const query = toQuery(linkedApplicationsQuery(probe));
      const { rows } = await ctx.database.pool.query(query.sql, query.params);
      expect(new Set(rows.map((row: { by: string }) => row.by))).toEqual(new Set(['recruiterPhone', 'sponsorPhone', 'employer', 'ticketPayer']));
    });
  });
});
