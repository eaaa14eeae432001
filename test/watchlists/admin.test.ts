/** Watchlist administration: roles, validation, duplicates, edits, revocation, listing, CSV import, audit. */
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

describe('watchlist administration', () => {
  let ctx: TestContext;
  let admin: string;
  let supervisor: string;
  let officer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await ctx.tokenFor('admin', 'HQ');
    supervisor = await ctx.tokenFor('supervisor', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  const create = (body: object, token = admin) => api(ctx).post('/api/v1/watchlists/entries').set(bearer(token)).send(body);
  const audit = async (targetId: string) =>
    (await ctx.database.pool.query('select action, actor_role, before, after from audit_log where target_type = $1 and target_id = $2 order by id', ['watchlist_entry', targetId])).rows as {
      action: string;
      actor_role: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }[];
  const importCsv = (csv: string, query = '', token = admin) =>
    api(ctx).post(`/api/v1/watchlists/import${query}`).set(bearer(token)).set('Content-Type', 'text/csv').send(csv);

  it('given an admin, when an employer is added, then it is stored normalised, readable by supervisors and officers, and audited', async () => {
    const res = await create({ list: 'employer', name: '  Golden   Star Trading Co. ', country: 'kh', city: 'Phnom Penh', source: 'Police report 55/2026', note: 'front company', validTo: '2027-06-30' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      list: 'employer',
      name: 'Golden Star Trading Co.',
      country: 'KH',
      city: 'Phnom Penh',
      label: 'Golden Star Trading Co. (Phnom Penh, KH)',
      status: 'active',
      // Through 30 June 2027 in Western Indonesian Time: it lapses when 1 July begins there.
      validTo: '2027-06-30T17:00:00.000Z',
      revokedAt: null,
    });
    expect(res.body.nameKey).toBeUndefined();
    expect((await api(ctx).get(`/api/v1/watchlists/entries/${res.body.id}`).set(bearer(supervisor))).body.id).toBe(res.body.id);
    expect((await api(ctx).get(`/api/v1/watchlists/entries/${res.body.id}`).set(bearer(officer))).status).toBe(200);
    const records = await audit(res.body.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ action: 'watchlist.entry.created', actor_role: 'admin', after: { name: 'Golden Star Trading Co.', source: 'Police report 55/2026' } });
  });

  it('given non-admins, when they try to change or list watchlists, then supervisors may list and nobody but admins may change', async () => {
    const body = { list: 'person', name: 'Somchai', source: 's' };
    expect((await create(body, supervisor)).status).toBe(403);
    expect((await create(body, officer)).status).toBe(403);
    expect((await api(ctx).get('/api/v1/watchlists/entries').set(bearer(officer))).status).toBe(403);
    expect((await api(ctx).get('/api/v1/watchlists/entries').set(bearer(supervisor))).status).toBe(200);
    expect((await importCsv('list,name,source\nperson,X,s\n', '', supervisor)).status).toBe(403);
    expect((await api(ctx).get('/api/v1/watchlists/entries')).status).toBe(401);
  });

  it.each([
    ['a phone entry without a number', { list: 'phone', source: 's' }, 'phone'],
    ['an invalid number', { list: 'phone', phone: '12', source: 's' }, 'phone'],
    ['a licence on a person', { list: 'person', name: 'Ali', licence: 'X1', source: 's' }, 'licence'],
    ['a name that is only punctuation', { list: 'person', name: '...', source: 's' }, 'name'],
    ['no source', { list: 'person', name: 'Ali' }, 'source'],
    ['an unknown list', { list: 'recruiters', name: 'Ali', source: 's' }, 'list'],
    ['valid-to before valid-from', { list: 'person', name: 'Ali', source: 's', validFrom: '2026-05-01', validTo: '2026-04-01' }, 'validTo'],
    ['a bad country', { list: 'employer', name: 'Acme', country: 'Cambodia', source: 's' }, 'country'],
  ])('given %s, when added, then 400 naming the field', async (_what, body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('given a phone already listed, when it is added again in another notation, then 409 with the existing id', async () => {
    const first = await create({ list: 'phone', phone: '+855 12 555 001', source: 's' });
    const again = await create({ list: 'phone', phone: '+855-12-555-001', source: 'another report' });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ existingId: first.body.id });
  });

  it('given an entry, when an admin edits it, then the change is stored and audited with before and after; fields of other lists are refused', async () => {
    const { body: entry } = await create({ list: 'agency', name: 'PT Maju Terus', licence: 'KEP.1/2020', source: 's' });
    const res = await api(ctx).patch(`/api/v1/watchlists/entries/${entry.id}`).set(bearer(admin)).send({ licence: 'KEP.2/2021', note: 'licence renumbered' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ licence: 'KEP.2/2021', note: 'licence renumbered' });
    const records = await audit(entry.id);
    expect(records.map((r) => r.action)).toEqual(['watchlist.entry.created', 'watchlist.entry.updated']);
    expect(records[1]!.before).toMatchObject({ licence: 'KEP.1/2020', note: null });
    expect(records[1]!.after).toMatchObject({ licence: 'KEP.2/2021', note: 'licence renumbered' });

    const wrong = await api(ctx).patch(`/api/v1/watchlists/entries/${entry.id}`).set(bearer(admin)).send({ country: 'KH' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details).toEqual([{ path: 'country', message: 'agency entries have no country' }]);
    expect((await api(ctx).patch(`/api/v1/watchlists/entries/${entry.id}`).set(bearer(admin)).send({})).status).toBe(400);
    expect((await api(ctx).patch(`/api/v1/watchlists/entries/${entry.id}`).set(bearer(supervisor)).send({ note: 'x' })).status).toBe(403);
  });

  it('given an entry, when it is revoked, then it shows as revoked, is audited, cannot be revoked or edited again, and a new one may be added', async () => {
    const { body: entry } = await create({ list: 'person', name: 'Li Wei Ming', source: 's' });
    expect((await api(ctx).post(`/api/v1/watchlists/entries/${entry.id}/revoke`).set(bearer(admin)).send({})).status).toBe(400);
    const res = await api(ctx).post(`/api/v1/watchlists/entries/${entry.id}/revoke`).set(bearer(admin)).send({ reason: 'mistaken identity' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'revoked', revokeReason: 'mistaken identity', revokedAt: expect.any(String) });
    expect((await api(ctx).post(`/api/v1/watchlists/entries/${entry.id}/revoke`).set(bearer(admin)).send({ reason: 'again' })).status).toBe(409);
    expect((await api(ctx).patch(`/api/v1/watchlists/entries/${entry.id}`).set(bearer(admin)).send({ note: 'x' })).status).toBe(409);
    expect((await audit(entry.id)).map((r) => r.action)).toEqual(['watchlist.entry.created', 'watchlist.entry.revoked']);
    expect((await create({ list: 'person', name: 'Ming Li Wei', source: 'new report' })).status).toBe(201);
    expect((await api(ctx).post('/api/v1/watchlists/entries/00000000-0000-4000-8000-000000000000/revoke').set(bearer(admin)).send({ reason: 'xyz' })).status).toBe(404);
  });

  it('given entries in several states, when listed, then status, list and search filter them and pages do not overlap', async () => {
    const list = async (query: string) => (await api(ctx).get(`/api/v1/watchlists/entries${query}`).set(bearer(supervisor))).body;
    await create({ list: 'address', name: 'KK Park', country: 'MM', source: 's' });
    await create({ list: 'address', name: 'Shwe Kokko', country: 'MM', source: 's', validFrom: '2020-01-01', validTo: '2021-01-01' });
    await create({ list: 'address', name: 'Jin Bei Casino', country: 'KH', source: 's', validFrom: '2099-01-01' });
    expect((await list('?list=address')).items.map((e: { name: string }) => e.name)).toEqual(['KK Park']);
    expect((await list('?list=address&status=expired')).items.map((e: { name: string }) => e.name)).toEqual(['Shwe Kokko']);
    expect((await list('?list=address&status=scheduled')).items.map((e: { name: string }) => e.name)).toEqual(['Jin Bei Casino']);
    expect((await list('?list=address&status=all')).items).toHaveLength(3);
    expect((await list('?status=all&q=shwe%20koko')).items.map((e: { name: string }) => e.name)).toEqual(['Shwe Kokko']);
    expect((await list('?status=all&q=%2B855%2012%20555%20001')).items.map((e: { phone: string }) => e.phone)).toEqual(['+85512555001']);

    const first = await list('?status=all&limit=2');
    const second = await list(`?status=all&limit=2&cursor=${first.nextCursor}`);
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(2);
    expect(second.items.map((e: { id: string }) => e.id)).not.toEqual(expect.arrayContaining(first.items.map((e: { id: string }) => e.id)));

    const summary = await api(ctx).get('/api/v1/watchlists').set(bearer(supervisor));
    expect(summary.body.lists).toContainEqual({ list: 'address', active: 1, scheduled: 1, expired: 1, revoked: 0 });
  });

  describe('CSV import', () => {
    const csv = [
      'List,Name,Phone,Licence,Country,City,Source,Note,Valid From,Valid To',
      'phone,Bang Jo,+855 12 700 001,,,,Kemlu 2026/1,,2026-01-01,',
      'employer,"Lucky Dragon Co., Ltd.",,,KH,Sihanoukville,Kemlu 2026/1,"front, per police",,',
      'person,,,,,,Kemlu 2026/1,,,',
      'phone,,+855 (12) 700-001,,,,Kemlu 2026/1,,,',
      'agency,PT Cahaya,,KEP 9/2019,,,Kemlu 2026/1,,,',
      'person,Ali,,,ID,,Kemlu 2026/1,,,',
      'employer,Acme,,,KH,,Kemlu 2026/1,,2026-05-01,2026-04-01',
    ].join('\n');

    it('given a file with valid, invalid and duplicate rows, when dry-run, then the report is complete and nothing is stored', async () => {
      const before = (await ctx.database.pool.query('select count(*)::int as n from watchlist_entries')).rows[0].n;
      const res = await importCsv(csv, '?dryRun=true');
      expect(res.status).toBe(200);
      expect(res.body.dryRun).toBe(true);
      expect(res.body.summary).toEqual({ rows: 7, created: 0, valid: 3, duplicates: 1, invalid: 3 });
      expect((await ctx.database.pool.query('select count(*)::int as n from watchlist_entries')).rows[0].n).toBe(before);
    });

    it('given the same file, when imported, then valid rows are added, each row is reported with its line, and every addition is audited', async () => {
      const res = await importCsv(csv);
      expect(res.status).toBe(200);
      expect(res.body.summary).toEqual({ rows: 7, created: 3, valid: 0, duplicates: 1, invalid: 3 });
      const rows = res.body.rows as { row: number; line: number; status: string; id?: string; existingId?: string; errors?: { path: string }[] }[];
      expect(rows.map((r) => [r.row, r.line, r.status])).toEqual([
        [1, 2, 'created'],
        [2, 3, 'created'],
        [3, 4, 'invalid'],
        [4, 5, 'duplicate'],
        [5, 6, 'created'],
        [6, 7, 'invalid'],
        [7, 8, 'invalid'],
      ]);
      expect(rows[2]!.errors!.map((e) => e.path)).toEqual(['name']);
      expect(rows[5]!.errors!.map((e) => e.path)).toEqual(['country']);
      expect(rows[6]!.errors!.map((e) => e.path)).toEqual(['validTo']);
      expect(rows[3]!.existingId).toBe(rows[0]!.id);
      const employer = await api(ctx).get(`/api/v1/watchlists/entries/${rows[1]!.id}`).set(bearer(admin));
      expect(employer.body).toMatchObject({ name: 'Lucky Dragon Co., Ltd.', country: 'KH', note: 'front, per police', validFrom: expect.any(String) });
      for (const row of rows.filter((r) => r.status === 'created')) {
        expect((await audit(row.id!)).map((r) => [r.action, r.after?.importLine])).toEqual([['watchlist.entry.created', row.line]]);
      }
      const summary = await ctx.database.pool.query("select after from audit_log where action = 'watchlist.imported' order by id desc limit 1");
      expect(summary.rows[0].after).toEqual(res.body.summary);
    });

    it.each([
      ['an unknown column', 'list,name,source,colour\nperson,Ali,s,red\n', 400, 'header.colour'],
      ['no source column', 'list,name\nperson,Ali\n', 400, 'header.source'],
      ['a header only', 'list,name,source\n', 400, 'body'],
      ['an unclosed quote', 'list,name,source\nperson,"Ali,s\n', 400, 'body'],
    ])('given a file with %s, when imported, then %s naming the problem', async (_what, body, status, path) => {
      const res = await importCsv(body);
      expect(res.status).toBe(status);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    });

    it('given JSON instead of CSV, when imported, then 415', async () => {
      const res = await api(ctx).post('/api/v1/watchlists/import').set(bearer(admin)).send({ csv: 'list,name,source' });
      expect(res.status).toBe(415);
    });
  });
});
