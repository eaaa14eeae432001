import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { csvColumns } from '../../src/postponements/export';
import { exportRows } from '../../src/postponements/queries';
import { insertFlaggedApplication } from '../support/fixtures';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { emptyLog, get, insertLogRows, post, query, type User } from './support';

/** Names and notes that break naive CSV writers: delimiters, quotes, line breaks, non-ASCII Indonesian text. */
const trickyApplicant = 'Dewi "Ayu" Lestari, S.H.';
const trickyOfficer = "Ni Kadek Ayu Wédhaswari, A.Md. (Tjoet Nja' Dhien) ꦱꦶꦠꦶ";
const trickyNote = 'Ditunda, karena "sponsor" memegang paspor;\nharap kembali dengan surat rekomendasi\r\n— biaya Rp 5.000.000, «tiket» ✓ ñ ü';

const parseCsv = (text: string) => parseSync(text, { columns: true, bom: true }) as Record<string, string>[];

describe('postponement log: CSV export', () => {
  let ctx: TestContext;
  let officer: User;
  let national: User;
  let otherOfficer: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    national = await ctx.userFor('supervisor', 'HQ');
    otherOfficer = await ctx.userFor('officer', 'TPI-KNO');
    await query(ctx, 'UPDATE users SET display_name = $1 WHERE id = $2', [trickyOfficer, officer.id]);
    // Four eyes is every office's default (migration 0040); these tests are about the export, not approval,
    // so the office has it switched off, as an admin may.
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code IN ('TPI-CGK', 'TPI-KNO', 'KANIM-JAKSEL')");
  });
  afterAll(() => ctx.close());
  beforeEach(() => emptyLog(ctx));

  const exportCsv = (by: User, qs = '') => get(ctx, by.token, `/postponements/export.csv${qs ? `?${qs}` : ''}`);

  it('given names and notes with commas, quotes, line breaks and Indonesian characters, when exported, then a CSV parser reads back exactly what was stored', async () => {
    const { applicationId } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK', outcome: 'CLEAR', fullName: trickyApplicant, destinationCountry: 'KH' });
    const created = await post(ctx, officer.token, '/postponements', {
      kind: 'departure',
      applicationId,
      reasonCode: 'suspected_trafficking_victim',
      note: trickyNote,
      decidedAt: '2025-02-14T08:30:00+07:00',
    });
    expect(created.status).toBe(201);
    await post(ctx, officer.token, `/postponements/${created.body.id}/follow-ups`, { outcome: 'returned_home', note: 'Pulang, "aman".' });

    const res = await exportCsv(officer);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="postponements-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const records = parseCsv(res.text);
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual({
      id: created.body.id,
      kind: 'departure',
      decided_at_utc: '2025-02-14T01:30:00.000Z',
      decided_at_wib: '2025-02-14 08:30:00',
      office_code: 'TPI-CGK',
      office_name: 'TPI Bandara Soekarno-Hatta',
      destination_country: 'KH',
      via_countries: '',
      reason_code: 'suspected_trafficking_victim',
      reason_id: 'Diduga korban perdagangan orang',
      reason_en: 'Suspected trafficking victim',
      note: trickyNote,
      deadline: '2025-03-16',
      source: 'manual',
      decided_by: officer.id,
      decided_by_name: trickyOfficer,
      approved_by: '',
      approved_by_name: '',
      approved_at_utc: '',
      approved_at_wib: '',
      application_id: applicationId,
      case_id: '',
      applicant_name: trickyApplicant,
      follow_up_count: '1',
      latest_follow_up: 'returned_home',
      latest_follow_up_en: 'Returned home',
    });
  });

  it('given a note and a name that start like spreadsheet formulas, when exported, then they are prefixed with an apostrophe so a spreadsheet shows them as text', async () => {
    const { applicationId } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK', outcome: 'CLEAR', fullName: '@SUM(1+1)', destinationCountry: 'KH' });
    const note = '=HYPERLINK("http://evil.example","klik")';
    expect((await post(ctx, officer.token, '/postponements', { kind: 'departure', applicationId, reasonCode: 'incomplete_documents', note })).status).toBe(201);

    const [record] = parseCsv((await exportCsv(officer)).text);

    expect(record).toMatchObject({ note: `'${note}`, applicant_name: "'@SUM(1+1)" });
  });

  it('given an empty selection, when exported, then just the header row', async () => {
    const res = await exportCsv(officer);
    expect(res.status).toBe(200);
    expect(res.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n')).toHaveLength(1);
    expect(res.text).toContain('id,kind,decided_at_utc,decided_at_wib,office_code');
  });

  it('given entries in several offices and months, when exported with filters, then the office scope and the filters apply, oldest first', async () => {
    const [jan, feb, kno, mm] = await insertLogRows(ctx, [
      { decidedAt: '2025-01-20T05:00:00Z' },
      { decidedAt: '2025-02-20T05:00:00Z' },
      { decidedAt: '2025-02-21T05:00:00Z', office: 'TPI-KNO' },
      { decidedAt: '2025-02-22T05:00:00Z', destination: 'MM' },
    ]);
    const ids = async (by: User, qs = '') => parseCsv((await exportCsv(by, qs)).text).map((r) => r.id);

    expect(await ids(officer)).toEqual([jan, feb, mm]);
    expect(await ids(otherOfficer)).toEqual([kno]);
    expect(await ids(national)).toEqual([jan, feb, kno, mm]);
    expect(await ids(national, 'from=2025-02-01&destination=KH')).toEqual([feb, kno]);
    expect((await exportCsv(otherOfficer, 'office=TPI-CGK')).status).toBe(404);
    const bad = await exportCsv(officer, 'groupBy=month');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('given entries sharing one instant, when read in batches smaller than the tie, then every entry comes once in (decided_at, id) order', async () => {
    await insertLogRows(ctx, [
      { decidedAt: '2025-04-01T00:00:00.000001Z' },
      { decidedAt: '2025-04-01T00:00:00.000001Z' },
      { decidedAt: '2025-04-01T00:00:00.000001Z' },
      { decidedAt: '2025-04-01T00:00:00.000002Z' },
      { decidedAt: '2025-03-31T23:59:59.999999Z' },
    ]);
    const expected = (await query<{ id: string }>(ctx, 'SELECT id FROM postponements ORDER BY decided_at, id')).map((r) => r.id);

    const seen: string[] = [];
    for await (const row of exportRows(ctx.database.db, {}, 2)) seen.push(row.id);

    expect(seen).toEqual(expected);
  });

  it('given 100,000 entries, when exported, then every row streams through in order without the response being built in memory', async () => {
    await query(
      ctx,
      `INSERT INTO postponements (kind, office_code, destination_country, reason_code, note, decided_by, decided_at)
       SELECT 'departure', 'TPI-CGK', 'KH', 'nonprocedural_migrant_worker', 'bulk, "row" ' || g, 'bulk', timestamptz '2025-01-01 00:00+07' + g * interval '1 minute'
       FROM generate_series(1, 100000) g`,
    );

    const res = await api(ctx)
      .get('/api/v1/postponements/export.csv')
      .set(bearer(national.token))
      .buffer(true)
      .parse((response, done) => {
        // Count rows as they arrive instead of buffering the body in the test; arrays, not objects, to stay cheap.
        const decidedAtColumn = csvColumns.indexOf('decided_at_utc');
        const parser = parse({ bom: true, from_line: 2 });
        let rows = 0;
        let ordered = true;
        let previous = '';
        parser.on('readable', () => {
          for (let record: string[] | null = parser.read(); record !== null; record = parser.read()) {
            rows++;
            const decidedAt = record[decidedAtColumn]!;
            if (decidedAt < previous) ordered = false;
            previous = decidedAt;
          }
        });
        parser.on('end', () => done(null, { rows, ordered, last: previous }));
        parser.on('error', (error) => done(error, null));
        response.pipe(parser);
      });

    expect(res.status).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body).toEqual({ rows: 100_000, ordered: true, last: '2025-03-11T03:40:00.000Z' });
  }, 180_000);
});
