import { cambodiaLure, japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, get, post, query, type TestContext } from '../support/harness';
import { interchange, message, type PaxFlight, type PaxPassenger } from './paxlst';

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(120_000);

const toPhnomPenh: PaxFlight = { flight: 'QZ262', from: 'CGK', to: 'PNH', departs: '2612200940', arrives: '2612201230' };
const toTokyo: PaxFlight = { flight: 'GA874', from: 'CGK', to: 'NRT', departs: '2612202355', arrives: '2612210900' };
const window = '?from=2026-12-20T00:00:00%2B07:00&to=2026-12-22T00:00:00%2B07:00';

/** Four Indonesians booked through one phone number, to Phnom Penh. */
const recruitedGroup: PaxPassenger[] = ['SARI:WULAN', 'PUTRI:AYU', 'LESTARI:DEWI', 'HANDAYANI:SRI'].map((name, i) => {
  const [surname, given] = name.split(':') as [string, string];
  return { surname, given, sex: 'F', birth: `0${i + 1}0715`, passport: `C765432${i}`, expiry: '310101', booking: `GRP00${i}`, phone: '6281299990000' };
});

describe('passenger manifests (API/PAXLST and ferry lists)', () => {
  let ctx: TestContext;
  let officer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.jobs.startWorking();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  const upload = (token: string, body: string, type = 'application/edifact') => api(ctx).post('/api/v1/manifests').set(bearer(token)).set('Content-Type', type).send(body);

  async function screened(token: string, id: string): Promise<{ state: string; counts: Record<string, number> }> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const res = await get(ctx, token, `/manifests/${id}`);
      if (res.body.state === 'completed') return res.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`manifest ${id} was not screened in time`);
  }

  it('given a single-message interchange, when it is received and screened, then Indonesians are pre-screened, others only stored, and the checkpoint sees the flagged ones first with reasons', async () => {
    const passengers: PaxPassenger[] = [
      ...recruitedGroup,
      { surname: 'TANAKA', given: 'HIRO', sex: 'M', birth: '800101', nationality: 'JPN', passport: 'TK1234567' },
      // No document number, and an optional segment this mapping does not know.
      { surname: 'SANTOSO', given: 'BUDI', sex: 'M', birth: '850312', extra: ['XYZ+1+FREE TEXT'] },
    ];
    const res = await upload(officer, interchange('PAX0001', [message('M1', toPhnomPenh, passengers)]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sender: 'GARUDA', interchangeRef: 'PAX0001', format: 'paxlst', officeCode: 'TPI-CGK', replay: false });
    expect(res.body.counts).toMatchObject({ messages: 1, passengers: 6, toScreen: 5, notScreened: 1, withoutDocument: 1 });
    expect(res.body.ignoredTags).toContain('XYZ');

    const done = await screened(officer, res.body.id);
    expect(done.counts).toMatchObject({ screened: 5, flagged: 4 });

    const list = await get(ctx, officer, `/checkpoints/TPI-CGK/expected-departures${window}`);
    expect(list.status).toBe(200);
    const [flight] = list.body.flights;
    expect(flight).toMatchObject({ flightOrVessel: 'QZ262', departurePort: 'CGK', arrivalPort: 'PNH', destinationCountry: 'KH', departureAt: '2026-12-20T09:40:00+07:00' });
    expect(flight.counts).toEqual({ passengers: 6, flagged: 4, pending: 0, notScreened: 1, withoutDocument: 1 });
    const outcomes = flight.passengers.map((p: { outcome: string | null }) => p.outcome);
    expect(outcomes).toEqual(['REVIEW', 'REVIEW', 'REVIEW', 'REVIEW', 'CLEAR', null]);
    const wulan = flight.passengers.find((p: { fullName: string }) => p.fullName === 'WULAN SARI');
    expect(wulan).toMatchObject({ nationality: 'ID', documentNumber: 'C7654320', status: 'screened', score: 50 });
    expect(wulan.reasons.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['manifest.destination.hotspot-city', 'manifest.destination.scam-hub', 'manifest.shared-booking-contact']);
    expect(wulan.reasons.find((r: { ruleId: string }) => r.ruleId === 'manifest.shared-booking-contact').reason).toEqual({ id: expect.any(String), en: expect.stringContaining('share this booking contact') });
    const budi = flight.passengers.find((p: { fullName: string }) => p.fullName === 'BUDI SANTOSO');
    expect(budi).toMatchObject({ withoutDocument: true, documentNumber: null, status: 'screened', outcome: 'CLEAR' });
    const tanaka = flight.passengers.find((p: { fullName: string }) => p.fullName === 'HIRO TANAKA');
    expect(tanaka).toMatchObject({ nationality: 'JP', status: 'not_screened', outcome: null, reasons: [] });
  });

  it('given a resend of the same interchange, when it arrives again, then the stored manifest answers and nothing is stored twice', async () => {
    const body = interchange('PAX0002', [message('M1', toTokyo, [{ surname: 'RAHMAN', given: 'ADI', passport: 'B1111111' }])]);
    const first = await upload(officer, body);
    expect(first.status).toBe(201);
    const again = await upload(officer, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, replay: true });
    const [counts] = await query<{ manifests: number; passengers: number }>(
      ctx,
      `SELECT (SELECT count(*)::int FROM manifests WHERE interchange_ref = 'PAX0002') AS manifests,
              (SELECT count(*)::int FROM manifest_passengers p JOIN manifests m ON m.id = p.manifest_id WHERE m.interchange_ref = 'PAX0002') AS passengers`,
    );
    expect(counts).toEqual({ manifests: 1, passengers: 1 });
  });

  it('given an interchange of several messages with a list in two parts, when it is received, then the parts join into one flight beside the other flight', async () => {
    const part1 = message('P1', toTokyo, [{ surname: 'A', given: 'ONE', passport: 'B2000001' }, { surname: 'B', given: 'TWO', passport: 'B2000002' }], { accessRef: 'GA874-20DEC', part: '01:C' });
    const part2 = message('P2', toTokyo, [{ surname: 'C', given: 'THREE', passport: 'B2000003' }], { accessRef: 'GA874-20DEC', part: '02:F' });
    const other = message('P3', { ...toPhnomPenh, flight: 'QZ264', departs: '2612211940', arrives: '2612212230' }, [{ surname: 'D', given: 'FOUR', passport: 'B2000004' }]);
    const res = await upload(officer, interchange('PAX0003', [part1, part2, other]));
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ messages: 3, passengers: 4 });
    const detail = await get(ctx, officer, `/manifests/${res.body.id}`);
    expect(detail.body.flights).toEqual([
      { id: expect.any(String), flightOrVessel: 'GA874', departureAt: '2026-12-20T23:55:00+07:00', messageRefs: ['GA874-20DEC/P1', 'GA874-20DEC/P2'] },
      { id: expect.any(String), flightOrVessel: 'QZ264', departureAt: '2026-12-21T19:40:00+07:00', messageRefs: ['P3'] },
    ]);
    const [stored] = await query<{ n: number }>(ctx, `SELECT count(*)::int AS n FROM manifest_passengers WHERE manifest_id = $1`, [res.body.id]);
    expect(stored!.n).toBe(4);
  });

  it('given an interchange with one malformed segment, when it is received, then 422 names the segment number, tag and problem, and nothing is stored', async () => {
    const good = message('M1', toTokyo, [{ surname: 'RAHMAN', given: 'ADI', birth: '900101', passport: 'B3333333' }]);
    const broken = good.map((segment) => (segment === 'DTM+329:900101' ? 'DTM+329:901301' : segment));
    const res = await upload(officer, interchange('PAX0004', [broken]));
    expect(res.status).toBe(422);
    // UNB is segment 1, UNG 2, UNH 3, then BGM, NAD, COM, TDT, LOC, DTM, LOC, DTM, NAD+FL (12): the birth date is 13.
    expect(res.body.error).toMatchObject({ code: 'MALFORMED_MANIFEST', details: [{ segment: 13, tag: 'DTM', problem: 'not a real date' }] });
    expect(res.body.error.message).toContain('segment 13 (DTM)');

    const miscounted = interchange('PAX0005', [message('M1', toTokyo, [{ surname: 'RAHMAN', given: 'ADI' }], { countOverride: 99 })]);
    const counted = await upload(officer, miscounted);
    expect(counted.status).toBe(422);
    expect(counted.body.error.details[0]).toMatchObject({ tag: 'UNT', problem: expect.stringContaining('UNT counts 99 segments') });

    const [stored] = await query<{ n: number }>(ctx, `SELECT count(*)::int AS n FROM manifests WHERE interchange_ref IN ('PAX0004', 'PAX0005')`);
    expect(stored!.n).toBe(0);
  });

  it('given a ferry manifest as CSV, when it is received, then the sailing is listed and a one-way group to Malaysia sharing one payer carries both reasons', async () => {
    const header = 'manifest_ref,operator,vessel,departure_port,arrival_port,destination_country,departure_at,surname,given_names,sex,date_of_birth,nationality,document_number,paid_by,return_ticket';
    const group = ['AGUS', 'BAYU', 'CAHYO', 'DIMAS'].map((given, i) => `BTC-0412,Majestic Fast Ferry,MV Sea Dragon 2,Batam Centre,Stulang Laut,MY,2026-12-20T08:30:00+07:00,PRATAMA,${given},M,199${i}-02-0${i + 1},IDN,C888000${i},PT Sinar Jaya,no`);
    const csv = [header, ...group, 'BTC-0412,Majestic Fast Ferry,MV Sea Dragon 2,Batam Centre,Stulang Laut,MY,2026-12-20T08:30:00+07:00,LIM,WEI,M,1979-05-05,SGP,K1234567A,,yes'].join('\n');
    const batamOfficer = await ctx.tokenFor('officer', 'TPI-BTC');
    const res = await upload(batamOfficer, csv, 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ passengers: 5, toScreen: 4, notScreened: 1 });
    await screened(batamOfficer, res.body.id);
    const list = await get(ctx, batamOfficer, `/checkpoints/TPI-BTC/expected-departures${window}`);
    const [sailing] = list.body.flights;
    expect(sailing).toMatchObject({ mode: 'sea', flightOrVessel: 'MV Sea Dragon 2', destinationCountry: 'MY', counts: { passengers: 5, flagged: 0 } });
    const agus = sailing.passengers.find((p: { fullName: string }) => p.fullName === 'AGUS PRATAMA');
    // One-way to a transit country (15) and a payer shared with three others (20): below review on its own.
    expect(agus.reasons.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['manifest.one-way-on-scam-route', 'manifest.shared-booking-contact']);
    expect(agus).toMatchObject({ outcome: 'CLEAR', score: 35 });

    const bad = await upload(batamOfficer, [header, group[0]!.replace('2026-12-20T08:30:00+07:00', '20/12/2026 08:30')].join('\n'), 'text/csv');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({ line: 2, tag: 'departure_at' });
  });

  it('given a traveller postponed at TPI-DPS, when a manifest at TPI-CGK carries the same passport, then the passenger is flagged for review with the earlier postponement as evidence', async () => {
    // Given: a departure postponed at Bali today, by an officer there (four eyes off for this test: it is about history).
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-DPS'");
    const bali = await ctx.tokenFor('officer', 'TPI-DPS');
    const lure = cambodiaLure();
    const traveller = { ...lure.traveller, fullName: 'Rina Kurniasih', passportNumber: 'C9990001', dateOfBirth: '2000-02-02', sex: 'F' };
    const earlier = await api(ctx).post('/api/v1/departure-checks').set(bearer(bali)).send({ ...lure, traveller });
    expect(earlier.status).toBe(201);
    await query(ctx, "UPDATE cases SET priority_at = now() - interval '1 year' WHERE id = $1", [earlier.body.caseId]);
    expect((await post(ctx, bali, '/cases/next', {})).body.id).toBe(earlier.body.caseId);
    const decided = await post(ctx, bali, `/cases/${earlier.body.caseId}/decision`, { action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Tanpa visa kerja dan ID PMI.' });
    expect(decided.status).toBe(200);

    // When: a flight to Tokyo (no other signal) lists the same passport at Soekarno-Hatta.
    const res = await upload(officer, interchange('PAX0090', [message('M1', toTokyo, [{ surname: 'KURNIASIH', given: 'RINA', sex: 'F', birth: '000202', passport: 'C9990001', expiry: '310101' }])]));
    expect(res.status).toBe(201);
    await screened(officer, res.body.id);

    // Then: review, with the Bali postponement named.
    const list = await get(ctx, officer, `/checkpoints/TPI-CGK/expected-departures${window}`);
    const rina = list.body.flights.flatMap((f: { passengers: unknown[] }) => f.passengers).find((p: { documentNumber: string }) => p.documentNumber === 'C9990001');
    expect(rina).toMatchObject({ outcome: 'REVIEW', status: 'screened' });
    const hit = rina.reasons.find((r: { ruleId: string }) => r.ruleId === 'manifest.person.history.prior-postponement');
    expect(hit.evidence['history:postponement:passport']).toMatchObject({
      withinDays: 180,
      records: [expect.objectContaining({ of: 'postponement', applicationId: earlier.body.id, officeCode: 'TPI-DPS', outcome: 'postponed', reasonCode: 'nonprocedural_migrant_worker' })],
    });
  });

  it('given a listed passenger, when the officer opens them and submits the prefilled departure check, then the check is linked and the case shows both decisions', async () => {
    const res = await upload(officer, interchange('PAX0006', [message('M1', toPhnomPenh, recruitedGroup.map((p) => ({ ...p, passport: p.passport!.replace('C', 'D') })))]));
    await screened(officer, res.body.id);
    const list = await get(ctx, officer, `/checkpoints/TPI-CGK/expected-departures${window}`);
    const flight = list.body.flights.find((f: { manifestId: string }) => f.manifestId === res.body.id);
    const listed = flight.passengers.find((p: { documentNumber: string }) => p.documentNumber === 'D7654320');

    const opened = await get(ctx, officer, `/manifest-passengers/${listed.id}`);
    expect(opened.status).toBe(200);
    expect(opened.body.departureCheckPrefill).toEqual({
      traveller: { fullName: 'WULAN SARI', passportNumber: 'D7654320', dateOfBirth: '2001-07-15', sex: 'F' },
      trip: { checkpointCode: 'TPI-CGK', departureAt: '2026-12-20T09:40:00+07:00', carrier: 'QZ', flightOrVessel: 'QZ262', mode: 'air', destinationCountry: 'KH', destinationCity: 'Phnom Penh' },
    });

    // The officer completes what the manifest does not carry.
    const base = japanHoliday();
    const prefill = opened.body.departureCheckPrefill;
    const check = {
      ...base,
      traveller: { ...base.traveller, ...prefill.traveller, nik: '3201015507010001' },
      trip: { ...base.trip, ...prefill.trip, hasReturnTicket: false, returnDate: undefined, ticketPaidBy: 'sponsor' },
    };
    const submitted = await post(ctx, officer, '/departure-checks', check);
    expect(submitted.status).toBe(201);
    expect(submitted.body.caseId).toEqual(expect.any(String));

    const after = await get(ctx, officer, `/manifest-passengers/${listed.id}`);
    expect(after.body.departureCheckId).toBe(submitted.body.id);
    const caseView = await get(ctx, officer, `/cases/${submitted.body.caseId}`);
    expect(caseView.status).toBe(200);
    expect(caseView.body.application.id).toBe(submitted.body.id);
    expect(caseView.body.manifestPrescreen).toMatchObject({ manifestPassengerId: listed.id, flightOrVessel: 'QZ262', outcome: 'REVIEW', score: 50 });
    const [audit] = await query<{ n: number }>(ctx, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'manifest-passenger.linked' AND target_id = $1`, [submitted.body.id]);
    expect(audit!.n).toBe(1);
  });

  it('given manifests at two checkpoints, when officers and supervisors read expected departures, then each sees only their own checkpoint and headquarters sees any', async () => {
    const other = await ctx.tokenFor('officer', 'TPI-DPS');
    expect((await get(ctx, other, `/checkpoints/TPI-CGK/expected-departures${window}`)).status).toBe(404);
    const otherSupervisor = await ctx.tokenFor('supervisor', 'TPI-DPS');
    expect((await get(ctx, otherSupervisor, `/checkpoints/TPI-CGK/expected-departures${window}`)).status).toBe(404);
    const own = await get(ctx, other, `/checkpoints/TPI-DPS/expected-departures${window}`);
    expect(own.status).toBe(200);
    expect(own.body.flights).toEqual([]);
    const national = await ctx.tokenFor('supervisor', 'HQ');
    const seen = await get(ctx, national, `/checkpoints/TPI-CGK/expected-departures${window}`);
    expect(seen.status).toBe(200);
    expect(seen.body.flights.length).toBeGreaterThan(0);
    // Supervisors oversee: document numbers masked.
    expect(seen.body.flights[0].passengers.find((p: { documentNumber: string | null }) => p.documentNumber)?.documentNumber).toMatch(/\*/);
  });

  it('given a carrier feed an admin created, when the carrier uploads, then the manifest is received at its checkpoint and the token opens nothing else', async () => {
    const admin = await ctx.tokenFor('admin', 'HQ');
    const created = await post(ctx, admin, '/carrier-feeds', { checkpointCode: 'TPI-CGK', carrierName: 'Garuda Indonesia', validDays: 365 });
    expect(created.status).toBe(201);
    expect(created.body.expiresIn).toBe(365 * 86_400);
    const carrier = created.body.token as string;
    const res = await upload(carrier, interchange('PAX0007', [message('M1', toTokyo, [{ surname: 'RAHMAN', given: 'ADI', passport: 'B4444444' }])], 'GARUDA-FEED'));
    expect(res.status).toBe(201);
    expect(res.body.officeCode).toBe('TPI-CGK');
    expect((await get(ctx, carrier, `/manifests/${res.body.id}`)).status).toBe(200);
    expect((await get(ctx, carrier, '/applications')).status).toBe(403);
    expect((await get(ctx, carrier, `/checkpoints/TPI-CGK/expected-departures${window}`)).status).toBe(403);
    expect((await get(ctx, carrier, '/me')).status).toBe(403);

    const revoked = await api(ctx).delete(`/api/v1/carrier-feeds/${created.body.userId}`).set(bearer(admin));
    expect(revoked.status).toBe(204);
    expect((await upload(carrier, interchange('PAX0008', [message('M1', toTokyo, [{ surname: 'RAHMAN', given: 'ADI' }])], 'GARUDA-FEED'))).status).toBe(401);
  });
});
