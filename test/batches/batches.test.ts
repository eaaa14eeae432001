import { cambodiaLure, japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { batchStatus, departureRow, departureTemplates, passportRow, query, rowsStored, toCsv, toJsonLines, upload, waitForCompletion } from './support';

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(180_000);

describe('batch screening', () => {
  let ctx: TestContext;
  let officer: { id: string; token: string };
  let passportOfficer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.jobs.startWorking();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    passportOfficer = await ctx.tokenFor('passport_officer', 'KANIM-KARAWANG');
  });
  afterAll(() => ctx.close());

  it('given 10,000 departure checks as JSON lines, when the workers finish, then every row is screened once with exact counts by outcome', async () => {
    // What a single request decides for each template is what the batch must decide for its rows.
    const single: string[] = [];
    for (const template of departureTemplates) {
      const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(template());
      expect(res.status).toBe(201);
      single.push(res.body.decision.outcome as string);
    }
    const total = 10_000;
    const rows = Array.from({ length: total }, (_, i) => departureRow(i + 1));
    const expected: Record<string, number> = { CLEAR: 0, REVIEW: 0, POSTPONE_RECOMMENDED: 0 };
    rows.forEach((_, i) => expected[single[i % single.length]!]!++);

    const res = await upload(ctx, officer.token, toJsonLines(rows), 'application/x-ndjson', '?name=manifest-QZ262');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.any(String), kind: 'departure', counts: { received: total, accepted: total, rejected: 0 } });
    expect(res.headers.location).toBe(`/api/v1/batches/${res.body.id}`);

    const done = await waitForCompletion(ctx, officer.token, res.body.id, 280_000);
    expect(done).toMatchObject({
      state: 'completed',
      progress: 100,
      name: 'manifest-QZ262',
      counts: { received: total, accepted: total, rejected: 0, screened: total, pending: 0, byOutcome: expected },
      rejectedRows: [],
    });
    const stored = await rowsStored(ctx, res.body.id);
    expect(stored).toEqual({ rows: total, applications: total, distinct_rows: total, screened: total });
    const [apps] = await query<{ n: number; batch_decisions: number; cases: number }>(
      ctx,
      `SELECT count(*)::int AS n,
              (SELECT count(*)::int FROM decisions d JOIN batch_rows r ON r.application_id = d.application_id WHERE r.batch_id = $2 AND d.trigger = 'batch') AS batch_decisions,
              (SELECT count(*)::int FROM cases c JOIN batch_rows r ON r.application_id = c.application_id WHERE r.batch_id = $2) AS cases
       FROM applications WHERE submitted_by = $1`,
      [officer.id, res.body.id],
    );
    // The three single requests plus one application per row, none twice; flagged rows have their case.
    expect(apps!.n).toBe(total + departureTemplates.length);
    expect(apps!.batch_decisions).toBe(total);
    expect(apps!.cases).toBe(expected.REVIEW! + expected.POSTPONE_RECOMMENDED!);
  }, 360_000);

  it('given a CSV with 3 bad rows among 20, when screened, then those 3 are reported by row number and field path and the other 17 are screened', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => departureRow(i + 1)) as Array<Record<string, any>>;
    rows[3]!.traveller.nik = '12345'; // row 4
    rows[9]!.trip.returnDate = '2026-11-01'; // row 10: before its departure on 2026-12-01
    rows[9]!.trip.hasReturnTicket = true;
    rows[16]!.trip.mode = 'rocket'; // row 17
    const res = await upload(ctx, officer.token, toCsv(rows), 'text/csv; charset=utf-8');
    expect(res.status).toBe(202);
    expect(res.body.counts).toEqual({ received: 20, accepted: 17, rejected: 3 });

    const done = await waitForCompletion(ctx, officer.token, res.body.id);
    expect(done.counts).toMatchObject({ received: 20, accepted: 17, rejected: 3, screened: 17, pending: 0 });
    expect(done.rejectedRows.map((r: { row: number }) => r.row)).toEqual([4, 10, 17]);
    const paths = done.rejectedRows.map((r: { problems: Array<{ path: string }> }) => r.problems.map((p) => p.path));
    expect(paths).toEqual([['traveller.nik'], ['trip.returnDate'], ['trip.mode']]);
    expect(await rowsStored(ctx, res.body.id)).toEqual({ rows: 20, applications: 17, distinct_rows: 17, screened: 17 });

    const csv = await api(ctx).get(`/api/v1/batches/${res.body.id}/results.csv`).set(bearer(officer.token));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row,status,application_id,case_id,outcome,score,problems');
    expect(lines).toHaveLength(21);
    expect(lines[4]).toMatch(/^4,rejected,,,,,"?traveller\.nik: NIK must be exactly 16 digits/);
    expect(lines[1]).toMatch(/^1,screened,[0-9a-f-]{36},[0-9a-f-]{36},POSTPONE_RECOMMENDED,\d+,$/);
    expect(lines[2]).toMatch(/^2,screened,[0-9a-f-]{36},,CLEAR,0,$/);
  });

  it('given a row, when screened in a batch, then its decision, case and audit records are those of the same single request', async () => {
    const single = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(cambodiaLure());
    const res = await upload(ctx, officer.token, toJsonLines([cambodiaLure(), japanHoliday()]));
    await waitForCompletion(ctx, officer.token, res.body.id);
    const [row] = await query<{ application_id: string; case_id: string }>(ctx, 'SELECT application_id, case_id FROM batch_rows WHERE batch_id = $1 AND row_number = 1', [res.body.id]);
    const stored = await api(ctx).get(`/api/v1/applications/${row!.application_id}`).set(bearer(officer.token));
    expect(stored.status).toBe(200);
    expect(stored.body.decision.outcome).toBe(single.body.decision.outcome);
    expect(stored.body.decision.score).toBe(single.body.decision.score);
    expect(stored.body.decision.hits.map((h: { ruleId: string }) => h.ruleId)).toEqual(single.body.decision.hits.map((h: { ruleId: string }) => h.ruleId));
    expect(stored.body.fullName).toBe('Rina Marlina');
    expect(stored.body.caseId).toBe(row!.case_id);
    expect(stored.body.caseState).toBe('open');
    const audit = await query<{ action: string; actor_id: string }>(
      ctx,
      `SELECT action, actor_id FROM audit_log WHERE (target_type = 'application' AND target_id = $1) OR (target_type = 'case' AND target_id = $2) ORDER BY id`,
      [row!.application_id, row!.case_id],
    );
    expect(audit).toEqual([
      { action: 'application.screened', actor_id: officer.id },
      { action: 'case.opened', actor_id: officer.id },
    ]);
  });

  it('given passport applications from a passport office, when uploaded without a kind, then the office decides the kind and they are screened', async () => {
    const res = await upload(ctx, passportOfficer, toJsonLines([passportRow(1), passportRow(2)]));
    expect(res.status).toBe(202);
    expect(res.body.kind).toBe('passport');
    const done = await waitForCompletion(ctx, passportOfficer, res.body.id);
    expect(done.counts.screened).toBe(2);
  });

  it('given JSON lines with a broken line and blank lines, when uploaded, then the broken line is a rejected row and blank lines are not rows', async () => {
    const body = `${JSON.stringify(departureRow(1))}\n\n{"traveller": \n${JSON.stringify(departureRow(2))}\n`;
    const res = await upload(ctx, officer.token, body);
    expect(res.body.counts).toEqual({ received: 3, accepted: 2, rejected: 1 });
    const done = await waitForCompletion(ctx, officer.token, res.body.id);
    expect(done.rejectedRows).toEqual([{ row: 2, problems: [{ path: '(row)', message: 'the line is not valid JSON', code: 'invalid_json' }] }]);
  });

  it('given only bad rows, when uploaded, then the batch is completed at once with nothing to screen', async () => {
    const res = await upload(ctx, officer.token, toJsonLines([{ traveller: {} }, 'not an object']));
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('completed');
    const status = await batchStatus(ctx, officer.token, res.body.id);
    expect(status.body).toMatchObject({ progress: 100, counts: { received: 2, rejected: 2, screened: 0 } });
  });

  it('given a body that is not CSV or JSON lines, when uploaded, then 415 and no batch', async () => {
    const res = await upload(ctx, officer.token, '<xml/>', 'application/xml');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('given a CSV header naming an unknown field, when uploaded, then 400 naming the column and nothing is stored', async () => {
    const before = await query<{ n: number }>(ctx, 'SELECT count(*)::int AS n FROM batches');
    const res = await upload(ctx, officer.token, 'traveller.fullName,traveller.shoeSize\nRina,38\n', 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CSV_HEADER');
    expect(res.body.error.details).toEqual([{ path: 'traveller.shoeSize', message: 'column 2 is not a departure field', code: 'unknown_column' }]);
    expect(await query(ctx, 'SELECT count(*)::int AS n FROM batches')).toEqual(before);
  });

  it('given an empty upload, when sent, then 422', async () => {
    const res = await upload(ctx, officer.token, '\n\n');
    expect(res.status).toBe(422);
  });

  it('given roles and offices, when uploading, then the same rules as single screenings apply', async () => {
    const body = toJsonLines([departureRow(1)]);
    const admin = await ctx.tokenFor('admin', 'HQ');
    expect((await upload(ctx, admin, body)).status).toBe(403);
    expect((await upload(ctx, passportOfficer, body, 'application/x-ndjson', '?kind=departure')).status).toBe(403);
    const hqSupervisor = await ctx.tokenFor('supervisor', 'HQ');
    expect((await upload(ctx, hqSupervisor, body)).status).toBe(422);
    const checkpointSupervisor = await ctx.tokenFor('supervisor', 'TPI-DPS');
    expect((await upload(ctx, checkpointSupervisor, body, 'application/x-ndjson', '?kind=passport')).status).toBe(422);
    expect((await upload(ctx, checkpointSupervisor, body)).status).toBe(202);
  });

  it('given a batch of one office, when another office looks for it, then 404; headquarters sees it and lists it', async () => {
    const res = await upload(ctx, officer.token, toJsonLines([departureRow(1)]));
    const elsewhere = await ctx.tokenFor('officer', 'TPI-DPS');
    expect((await batchStatus(ctx, elsewhere, res.body.id)).status).toBe(404);
    expect((await api(ctx).get(`/api/v1/batches/${res.body.id}/results.csv`).set(bearer(elsewhere))).status).toBe(404);
    const hq = await ctx.tokenFor('supervisor', 'HQ');
    expect((await batchStatus(ctx, hq, res.body.id)).status).toBe(200);
    const listed = await api(ctx).get('/api/v1/batches?limit=200').set(bearer(hq));
    expect(listed.body.items.map((b: { id: string }) => b.id)).toContain(res.body.id);
    const theirs = await api(ctx).get('/api/v1/batches').set(bearer(elsewhere));
    expect(theirs.body.items.map((b: { id: string }) => b.id)).not.toContain(res.body.id);
  });
});

describe('batch limits', () => {
  let ctx: TestContext;
  let officer: string;
  beforeAll(async () => {
    ctx = await createTestContext({ BATCH_MAX_ROWS: '5', BATCH_MAX_BYTES: '20kb' });
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  it('given more rows than BATCH_MAX_ROWS, when uploaded, then 413 and nothing is stored', async () => {
    const res = await upload(ctx, officer, toJsonLines(Array.from({ length: 6 }, (_, i) => departureRow(i + 1))));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('TOO_MANY_ROWS');
    expect(await query(ctx, 'SELECT count(*)::int AS n FROM batch_rows')).toEqual([{ n: 0 }]);
  });

  it('given more bytes than BATCH_MAX_BYTES, when uploaded, then 413', async () => {
    const res = await upload(ctx, officer, toJsonLines([{ officerNotes: 'x'.repeat(30_000) }]));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
