import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { daysFromNow, depart, tourist } from './support';

describe('the network around an application', () => {
  let ctx: TestContext;
  let officer: string;
  let balinese: string;
  let supervisor: string;
  let hq: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    balinese = await ctx.tokenFor('officer', 'TPI-DPS');
    supervisor = await ctx.tokenFor('supervisor', 'TPI-CGK');
    hq = await ctx.tokenFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());

  it('given travellers at two checkpoints sharing a recruiter phone and an employer, when the network is asked for, then it has nodes with outcome, office and departure and edges per shared key, scoped by office', async () => {
    const phone = '0812-9200-0001';
    const shared = { employment: { employerName: 'Angkor Bright Future Co.' } };
    const a = await depart(ctx, officer, tourist(101, daysFromNow(30), phone, shared));
    const b = await depart(ctx, balinese, tourist(102, daysFromNow(31), phone, shared));
    const c = await depart(ctx, officer, tourist(103, daysFromNow(32), phone));
    const again = await depart(ctx, officer, tourist(101, daysFromNow(40), '0812-9200-0999', shared)); // the same person, later, another recruiter
    const unrelated = await depart(ctx, officer, tourist(104, daysFromNow(31), '0812-9200-0002'));

    const national = await api(ctx).get(`/api/v1/networks/${a.id}?withinDays=30`).set(bearer(hq));
    expect(national.status).toBe(200);
    const ids = national.body.nodes.map((n: { id: string }) => n.id);
    expect(ids).toEqual([a.id, b.id, c.id, again.id]);
    expect(ids).not.toContain(unrelated.id);
    // The anchor's outcome is CLEAR when screened, and may already be its cluster re-decision (the 3rd traveller's alert runs in the background).
    expect(national.body.nodes[0]).toMatchObject({ id: a.id, anchor: true, officeCode: 'TPI-CGK', outcome: expect.stringMatching(/^(CLEAR|REVIEW|POSTPONE_RECOMMENDED)$/), kind: 'departure' });
    expect(a.decision.outcome).toBe('CLEAR');
    expect(national.body.nodes[1]).toMatchObject({ id: b.id, anchor: false, officeCode: 'TPI-DPS', departureAt: expect.any(String), outcome: expect.any(String) });
    // The same person: one token, joined by a person edge; the NIK itself is not in the response.
    expect(national.body.nodes[3].person).toBe(national.body.nodes[0].person);
    expect(JSON.stringify(national.body)).not.toContain('3501010101900101');
    const edges = national.body.edges.map((e: { source: string; target: string; by: string }) => `${e.by}:${ids.indexOf(e.source)}-${ids.indexOf(e.target)}`);
    expect(edges.sort()).toEqual(['employer:0-1', 'employer:1-3', 'person:0-3', 'recruiterPhone:0-1', 'recruiterPhone:1-2'].sort());
    expect(national.body.sharedKeys).toEqual(
      expect.arrayContaining([
        { by: 'recruiterPhone', value: '+6281292000001', applications: 3 },
        { by: 'employer', value: expect.any(String), applications: 3 },
      ]),
    );

    // An officer at the anchor's checkpoint sees its own office's nodes; the other office only counted.
    const scoped = await api(ctx).get(`/api/v1/networks/${a.id}?withinDays=30`).set(bearer(officer));
    expect(scoped.status).toBe(200);
    expect(scoped.body.nodes.map((n: { id: string }) => n.id)).toEqual([a.id, c.id, again.id]);
    expect(scoped.body.otherOffices).toEqual([{ officeCode: 'TPI-DPS', count: 1 }]);
    expect(scoped.body.edges.every((e: { source: string; target: string }) => e.source !== b.id && e.target !== b.id)).toBe(true);
    // Another checkpoint's officer cannot ask about it at all.
    expect((await api(ctx).get(`/api/v1/networks/${a.id}`).set(bearer(balinese))).status).toBe(404);
    expect((await api(ctx).get(`/api/v1/networks/${a.id}?withinDays=0`).set(bearer(hq))).status).toBe(400);
  });

  it('given a network, when a supervisor marks it as known, then its shared phone, employer and agency go on the watchlists in one audited action, and a later traveller with that phone hits the watchlist rule', async () => {
    const phone = '0812-9300-0001';
    const group = { employment: { employerName: 'Poipet Star Entertainment', placementAgencyName: 'PT Sinar Jaya Mandiri', placementAgencyLicence: 'KEP.777/PPTKIS/2021' } };
    const first = await depart(ctx, officer, tourist(201, daysFromNow(30), phone, group));
    await depart(ctx, officer, tourist(202, daysFromNow(33), phone, group));
    const before = await depart(ctx, officer, tourist(203, daysFromNow(60), phone));
    expect(before.decision.hits.map((h) => h.ruleId)).not.toContain('context.watchlist.recruiter-phone');

    expect((await api(ctx).post(`/api/v1/networks/${first.id}/known`).set(bearer(officer)).send({ source: 'Polri referral 7/2026' })).status).toBe(403);
    const marked = await api(ctx)
      .post(`/api/v1/networks/${first.id}/known`)
      .set(bearer(supervisor))
      .send({ source: 'Polri referral 7/2026', validTo: '2027-12-31', withinDays: 14 });
    expect(marked.status).toBe(201);
    expect(marked.body.added.map((e: { list: string }) => e.list).sort()).toEqual(['agency', 'employer', 'phone']);
    expect(marked.body.added.find((e: { list: string }) => e.list === 'phone').phone).toBe('+6281293000001');
    expect(marked.body.alreadyListed).toEqual([]);

    // One audited action: the summary record and each entry's own record, in one transaction.
    const [summary] = await query<{ after: { added: Array<{ id: string }>; source: string; validTo: string } }>(
      ctx,
      "SELECT after FROM audit_log WHERE action = 'network.marked_known' AND target_id = $1",
      [first.id],
    );
    expect(summary!.after.added).toHaveLength(3);
    expect(summary!.after.source).toBe('Polri referral 7/2026');
    expect(summary!.after.validTo).toBe('2027-12-31T17:00:00.000Z');
    const entries = await api(ctx).get('/api/v1/watchlists/entries?list=phone').set(bearer(hq));
    expect(entries.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ phone: '+6281293000001', source: 'Polri referral 7/2026' })]));

    // Marking again adds nothing: the keys are already listed.
    const repeat = await api(ctx).post(`/api/v1/networks/${first.id}/known`).set(bearer(supervisor)).send({ source: 'Polri referral 7/2026', withinDays: 14 });
    expect(repeat.status).toBe(201);
    expect(repeat.body.added).toEqual([]);
    expect(repeat.body.alreadyListed).toHaveLength(3);

    const later = await depart(ctx, officer, tourist(204, daysFromNow(90), phone));
    expect(later.decision.hits.map((h) => h.ruleId)).toContain('context.watchlist.recruiter-phone');
    expect(later.decision.outcome).not.toBe('CLEAR');
  });

  it('given one case with a recruiter phone and an agency, when a supervisor watchlists the recruiter from it, then the phone and agency are listed with their audit records, the traveller is not, and a later traveller with that phone hits the watchlist rule', async () => {
    const phone = '0812-9500-0001';
    const lone = await depart(ctx, officer, tourist(401, daysFromNow(30), phone, { employment: { placementAgencyName: 'PT Cahaya Timur Abadi', placementAgencyLicence: 'KEP.913/PPTKIS/2020' } }));
    const path = `/api/v1/networks/${lone.id}/recruiter-watchlist`;

    expect((await api(ctx).post(path).set(bearer(officer)).send({ keys: ['recruiterPhone'], source: 'Case review' })).status).toBe(403);
    expect((await api(ctx).post(path).set(bearer(await ctx.tokenFor('supervisor', 'TPI-DPS'))).send({ keys: ['recruiterPhone'], source: 'Case review' })).status).toBe(404);
    const listed = await api(ctx).post(path).set(bearer(supervisor)).send({ keys: ['recruiterPhone', 'placementAgency', 'sponsorPhone'], source: 'Case review TPI-CGK', validTo: '2027-12-31' });

    expect(listed.status).toBe(201);
    expect(listed.body.added.map((e: { list: string }) => e.list).sort()).toEqual(['agency', 'phone']);
    expect(listed.body.added.find((e: { list: string }) => e.list === 'phone').phone).toBe('+6281295000001');
    expect(listed.body.missing).toEqual(['sponsorPhone']);
    const [summary] = await query<{ after: { added: unknown[]; keys: string[] } }>(ctx, "SELECT after FROM audit_log WHERE action = 'application.recruiter_watchlisted' AND target_id = $1", [lone.id]);
    expect(summary!.after.added).toHaveLength(2);
    const [{ n }] = (await query<{ n: number }>(ctx, "SELECT count(*)::int AS n FROM audit_log WHERE action = 'watchlist.entry.created' AND after->>'fromApplication' = $1", [lone.id])) as [{ n: number }];
    expect(n).toBe(2);
    // The traveller is a person to protect, never a list entry: nothing carries their name or phone.
    const people = await query(ctx, 'SELECT id FROM watchlist_entries WHERE list = $1 OR phone = $2', ['person', '+6281234567890']);
    expect(people).toEqual([]);

    const later = await depart(ctx, officer, tourist(402, daysFromNow(90), phone));
    expect(later.decision.hits.map((h) => h.ruleId)).toContain('context.watchlist.recruiter-phone');
  });

  it('given an application without a sponsor, when only the sponsor is asked for, then 422 says there is nothing to list', async () => {
    const alone = await depart(ctx, officer, tourist(403, daysFromNow(30), '0812-9500-0003'));
    const res = await api(ctx).post(`/api/v1/networks/${alone.id}/recruiter-watchlist`).set(bearer(supervisor)).send({ keys: ['sponsorPhone'], source: 'Case review' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'keys', message: 'the application has no sponsorPhone' }]);
  });

  it('given an application sharing nothing, when it is marked as known, then the answer says there is nothing to list', async () => {
    const alone = await depart(ctx, officer, tourist(301, daysFromNow(30), '0812-9400-0001'));
    const res = await api(ctx).post(`/api/v1/networks/${alone.id}/known`).set(bearer(supervisor)).send({ source: 'Polri referral 8/2026' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBeDefined();
  });
});
