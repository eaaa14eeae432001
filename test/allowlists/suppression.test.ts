/**
 * Allowlists through the real API: a verified party's entry drops the hits of the rules it names
 * while it is in force at the receipt, and the decision says which entry suppressed which rule.
 */
import { proceduralWorker } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

interface Decision {
  outcome: string;
  score: number;
  hits: Array<{ ruleId: string; weight: number }>;
  suppressed?: Array<{ ruleId: string; entryId: string; party: string; validUntil: string; weight: number }>;
}

describe('allowlists with expiry', () => {
  let ctx: TestContext;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await ctx.tokenFor('admin', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  /** A worker leaving through a licensed P3MI but without an ID PMI yet: "no ID PMI", "one-way without ID PMI" and more fire. */
  const surnames = ['Lestari', 'Anggraini', 'Puspitasari', 'Rahayu', 'Wulandari', 'Safitri', 'Kurniawati', 'Handayani'];
  let travellers = 0;
  const workerOf = (licence: string, nik: string) => {
    const body = proceduralWorker();
    const { idPmiNumber: _drop, ...employment } = body.employment;
    // Employer and agency names differ per traveller, so no two screenings here link to each other.
    const tag = nik.slice(-4);
    return {
      ...body,
      // Another person each time (name, NIK): no screening here is another's earlier identity.
      traveller: { ...body.traveller, nik, fullName: `Dewi ${surnames[travellers++ % surnames.length]}` },
      employment: { ...employment, employerName: `Chen Family ${tag}`, placementAgencyName: `PT Bina Tenaga Kerja ${tag}`, placementAgencyLicence: licence },
    };
  };
  const screen = async (body: object) => {
    const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; decision: Decision };
  };
  const addEntry = async (body: object) => {
    const res = await api(ctx).post('/api/v1/allowlists/entries').set(bearer(admin)).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; validUntil: string; label: string; status: string };
  };
  const p3mi = (licence: string, extra: object = {}) => ({
    partyType: 'placement_agency',
    name: 'PT Bina Tenaga Kerja Mandiri',
    licence,
    suppresses: ['procedural.no-id-pmi'],
    source: 'KP2MI P3MI licence register, checked 2026-11-30',
    validUntil: '2099-12-31',
    ...extra,
  });
  const ruleIds = (decision: Decision) => decision.hits.map((h) => h.ruleId);

  it('given an entry for a P3MI licence naming "no ID PMI", when its worker is screened, then that hit is dropped, the others stay, and the decision says which entry suppressed it', async () => {
    const baseline = await screen(workerOf('KEP.999/PPTKIS/2023', '3308015506950101'));
    expect(ruleIds(baseline.decision)).toEqual(expect.arrayContaining(['procedural.no-id-pmi', 'trip.one-way-without-id-pmi']));
    expect(baseline.decision.suppressed).toBeUndefined();

    // Written differently from the application (spaces, case): licences match by their letters and digits.
    const entry = await addEntry(p3mi('kep 123 / pptkis / 2023'));
    expect(entry.status).toBe('active');
    const screened = await screen(workerOf('KEP.123/PPTKIS/2023', '3308015506950102'));

    expect(ruleIds(screened.decision)).not.toContain('procedural.no-id-pmi');
    // A rule the entry does not name is not suppressed.
    expect(ruleIds(screened.decision)).toContain('trip.one-way-without-id-pmi');
    const noIdPmi = baseline.decision.hits.find((h) => h.ruleId === 'procedural.no-id-pmi')!;
    expect(screened.decision.score).toBe(baseline.decision.score - noIdPmi.weight);
    expect(screened.decision.suppressed).toEqual([
      { ruleId: 'procedural.no-id-pmi', entryId: entry.id, party: entry.label, validUntil: entry.validUntil, weight: noIdPmi.weight },
    ]);
    expect(entry.label).toBe('PT Bina Tenaga Kerja Mandiri (P3MI licence kep 123 / pptkis / 2023)');

    // The stored application shows the same explanation, and a replay at its receipt time reproduces it.
    const stored = await api(ctx).get(`/api/v1/applications/${screened.id}`).set(bearer(admin));
    expect(stored.body.decision.suppressed).toEqual(screened.decision.suppressed);
    const replay = await api(ctx).get(`/api/v1/applications/${screened.id}/replay`).set(bearer(admin));
    expect(replay.status).toBe(200);
    expect(replay.body.matchesStoredDecision).toBe(true);

    const audit = await ctx.database.pool.query('select action, after from audit_log where target_type = $1 and target_id = $2', ['allowlist_entry', entry.id]);
    expect(audit.rows).toEqual([expect.objectContaining({ action: 'allowlist.entry.created', after: expect.objectContaining({ suppresses: ['procedural.no-id-pmi'] }) })]);
  });

  it('given an entry that lapsed before the receipt, when the worker is screened, then nothing is suppressed; a decision made while it was in force still replays as stored', async () => {
    const validUntil = new Date(Date.now() + 1500).toISOString();
    const entry = await addEntry(p3mi('KEP.200/PPTKIS/2024', { validUntil }));
    const before = await screen(workerOf('KEP.200/PPTKIS/2024', '3308015506950201'));
    expect(before.decision.suppressed?.map((s) => s.entryId)).toEqual([entry.id]);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(validUntil) - Date.now() + 50));
    const after = await screen(workerOf('KEP.200/PPTKIS/2024', '3308015506950202'));
    expect(ruleIds(after.decision)).toContain('procedural.no-id-pmi');
    expect(after.decision.suppressed).toBeUndefined();
    expect((await api(ctx).get(`/api/v1/allowlists/entries/${entry.id}`).set(bearer(admin))).body.status).toBe('expired');

    const replay = await api(ctx).get(`/api/v1/applications/${before.id}/replay`).set(bearer(admin));
    expect(replay.body.decision.suppressed?.map((s: { entryId: string }) => s.entryId)).toEqual([entry.id]);
    expect(replay.body.matchesStoredDecision).toBe(true);
  });

  it('given a revoked entry, when the worker is screened, then nothing is suppressed, and the revocation is audited', async () => {
    const entry = await addEntry(p3mi('KEP.300/PPTKIS/2024'));
    const revoked = await api(ctx).post(`/api/v1/allowlists/entries/${entry.id}/revoke`).set(bearer(admin)).send({ reason: 'licence suspended by KP2MI' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await api(ctx).post(`/api/v1/allowlists/entries/${entry.id}/revoke`).set(bearer(admin)).send({ reason: 'again' })).status).toBe(409);

    const screened = await screen(workerOf('KEP.300/PPTKIS/2024', '3308015506950301'));
    expect(ruleIds(screened.decision)).toContain('procedural.no-id-pmi');
    expect(screened.decision.suppressed).toBeUndefined();
    const audit = await ctx.database.pool.query('select action from audit_log where target_type = $1 and target_id = $2 order by id', ['allowlist_entry', entry.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['allowlist.entry.created', 'allowlist.entry.revoked']);
  });

  it('given a person cleared after review by NIK, when they are screened, then only the rules named are suppressed and the explanation masks the NIK', async () => {
    const entry = await addEntry({
      partyType: 'person',
      name: 'Dewi Lestari',
      nik: '3308015506950401',
      suppresses: ['trip.one-way-without-id-pmi', 'trip.first-trip-with-other-signals'],
      source: 'Review case at TPI-CGK, supervisor decision 2026-11-28',
      validUntil: '2099-12-31',
    });
    expect(entry.label).toBe('Dewi Lestari (person cleared after review; NIK …0401)');
    const screened = await screen(workerOf('KEP.400/PPTKIS/2024', '3308015506950401'));
    expect(ruleIds(screened.decision)).toContain('procedural.no-id-pmi');
    expect(ruleIds(screened.decision)).not.toContain('trip.one-way-without-id-pmi');
    expect(screened.decision.suppressed?.map((s) => [s.ruleId, s.entryId])).toEqual(
      expect.arrayContaining([['trip.one-way-without-id-pmi', entry.id]]),
    );
    expect(JSON.stringify(screened.decision)).not.toContain('3308015506950401');
  });

  it('given non-admins or bad input, when they use allowlists, then only admins may, and entries need a future expiry and at least one rule', async () => {
    const supervisor = await ctx.tokenFor('supervisor', 'HQ');
    expect((await api(ctx).post('/api/v1/allowlists/entries').set(bearer(supervisor)).send(p3mi('KEP.1'))).status).toBe(403);
    expect((await api(ctx).get('/api/v1/allowlists/entries').set(bearer(officer))).status).toBe(403);
    expect((await api(ctx).post('/api/v1/allowlists/entries').set(bearer(admin)).send(p3mi('KEP.2', { validUntil: '2020-01-01' }))).status).toBe(422);
    expect((await api(ctx).post('/api/v1/allowlists/entries').set(bearer(admin)).send(p3mi('KEP.3', { suppresses: [] }))).status).toBe(400);
    const { validUntil: _v, ...noExpiry } = p3mi('KEP.4');
    expect((await api(ctx).post('/api/v1/allowlists/entries').set(bearer(admin)).send(noExpiry)).status).toBe(400);
    expect((await api(ctx).post('/api/v1/allowlists/entries').set(bearer(admin)).send({ ...p3mi('KEP.5'), partyType: 'person', licence: undefined })).status).toBe(400);
  });
});
