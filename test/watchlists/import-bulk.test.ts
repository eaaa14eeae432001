/**
 * Watchlist CSV import at its documented maximum (issue 19, finding 6): 5,000 rows stored set-based with
 * their audit records, the body read as it arrives (a line of millions of commas is refused at once),
 * and nothing kept when the client disconnects before the commit.
 */
import { createServer, request, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { eventually } from '../rulesets/support';
import { nameToken, watchlistHeader, watchlistRows } from '../../bench/watchlist';

const rows = watchlistRows;
const header = watchlistHeader;

describe('watchlist import in bulk', () => {
  let ctx: TestContext;
  let admin: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await ctx.tokenFor('admin', 'HQ');
    server = createServer(ctx.app);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((done) => server?.close(done));
    await ctx?.close();
  });

  const importCsv = (csv: string, q = '') => api(ctx).post(`/api/v1/watchlists/import${q}`).set(bearer(admin)).set('Content-Type', 'text/csv').send(csv);
  const entriesFrom = async (source: string) => (await query<{ n: number }>(ctx, 'select count(*)::int as n from watchlist_entries where source = $1', [source]))[0]!.n;
  const auditOf = (importId: string) =>
    query<{ action: string; n: number }>(ctx, "select action, count(*)::int as n from audit_log where (after->>'importId' = $1 or target_id = $1) group by action order by action", [importId]);
  const connections = () => new Promise<number>((done, fail) => server.getConnections((error, n) => (error ? fail(error) : done(n))));
  /** Starts a raw import request to the test server; the body is written by the caller. */
  const openImport = (): ClientRequest => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/watchlists/import', headers: { ...bearer(admin), 'content-type': 'text/csv', 'transfer-encoding': 'chunked' } });
    req.on('error', () => undefined);
    return req;
  };

  it('given 5,000 rows (one already listed, one repeated in the file), when imported, then every other row is stored with its audit record in one import', async () => {
    const source = 'Kemlu bulk 2026/5000';
    const lines = rows(4_999, source);
    // Row 5,000 repeats row 4 (a person); row 2's agency is already on the list.
    lines.push(lines[3]!);
    const listed = await api(ctx)
      .post('/api/v1/watchlists/entries')
      .set(bearer(admin))
      .send({ list: 'agency', name: `PT Sumber ${nameToken(1)}`, licence: 'KEP 1/2019', source: 'earlier referral' });
    expect(listed.status).toBe(201);

    const res = await importCsv([header, ...lines].join('\n'));
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ rows: 5_000, created: 4_998, valid: 0, duplicates: 2, invalid: 0 });
    const reports = res.body.rows as { row: number; line: number; status: string; id?: string; existingId?: string }[];
    expect(reports).toHaveLength(5_000);
    expect(reports[1]).toEqual({ row: 2, line: 3, status: 'duplicate', existingId: listed.body.id });
    expect(reports[4_999]).toEqual({ row: 5_000, line: 5_001, status: 'duplicate', existingId: reports[3]!.id });
    expect(reports.filter((r) => r.status === 'created').map((r) => r.row - r.line)).toEqual(Array(4_998).fill(-1));

    expect(await entriesFrom(source)).toBe(4_998);
    expect(await auditOf(res.body.importId)).toEqual([
      { action: 'watchlist.entry.created', n: 4_998 },
      { action: 'watchlist.imported', n: 1 },
    ]);
    const [audited] = await query<{ after: Record<string, unknown> }>(ctx, "select after from audit_log where action = 'watchlist.entry.created' and target_id = $1", [reports[2]!.id]);
    expect(audited!.after).toMatchObject({ id: reports[2]!.id, list: 'employer', name: `Dragon ${nameToken(2)} Co., Ltd.`, country: 'KH', note: 'front, per police', importId: res.body.importId, importLine: 4 });
    const employer = await api(ctx).get(`/api/v1/watchlists/entries/${reports[2]!.id}`).set(bearer(admin));
    expect(employer.body).toMatchObject({ list: 'employer', city: 'Sihanoukville', validTo: '2099-12-31T17:00:00.000Z', status: 'active' });

    // The same file again: every row is now a duplicate, and nothing more is stored.
    const again = await importCsv([header, ...lines].join('\n'), '?dryRun=true');
    expect(again.body.summary).toEqual({ rows: 5_000, created: 0, valid: 0, duplicates: 5_000, invalid: 0 });
  });

  it('given a line of 4.9 million commas, when imported, then 400 naming the cell limit, and the API keeps answering', async () => {
    const res = await importCsv(`${header}\n${','.repeat(4_900_000)}\n`);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'body', code: 'too_many_cells' })]);
    expect(res.body.error.message).toMatch(/^Line 2 has more than 50 cells/);
    expect((await api(ctx).get('/api/v1/watchlists').set(bearer(admin))).status).toBe(200);
  });

  it('given more than 5,000 rows, when imported, then 413 and nothing stored', async () => {
    const source = 'too many rows';
    const res = await importCsv([header, ...rows(5_001, source)].join('\n'));
    expect(res.status).toBe(413);
    expect(await entriesFrom(source)).toBe(0);
  });

  it('given an import waiting for the watchlist lock, when its client disconnects, then the import is rolled back when it resumes', async () => {
    const source = 'disconnected before commit';
    // Another watchlist change holds the write lock, so the import waits with its whole body read.
    const holder = await ctx.database.pool.connect();
    try {
      await holder.query('select pg_advisory_lock(724217081)');
      const client = openImport();
      client.end([header, ...rows(2_000, source)].join('\n'));
      const waiting = await eventually(
        async () => (await query<{ n: number }>(ctx, "select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted"))[0]!.n,
        (n) => n > 0,
      );
      expect(waiting).toBe(1);
      client.destroy();
      // The server has seen the connection close (and so the import's signal) once it no longer counts it.
      expect(await eventually(connections, (n) => n === 0)).toBe(0);
    } finally {
      await holder.query('select pg_advisory_unlock(724217081)');
      holder.release();
    }
    const abandoned = await eventually(
      () => query<{ after: { stage: string; rowsRead: number; stored: number } }>(ctx, "select after from audit_log where action = 'watchlist.import.abandoned' and after->>'stage' = 'before-commit'"),
      (found) => found.length > 0,
    );
    expect(abandoned.map((r) => r.after)).toEqual([{ stage: 'before-commit', rowsRead: 2_000, stored: 0 }]);
    expect(await entriesFrom(source)).toBe(0);
    expect(await query(ctx, "select 1 from audit_log where action = 'watchlist.imported' and (after->>'rows')::int = 2000")).toEqual([]);
  });

  it('given a large upload, when the client aborts it half-way, then nothing is stored and the abandoned import is audited', async () => {
    const source = 'aborted upload';
    const body = Buffer.from([header, ...rows(5_000, source)].join('\n'));
    const client = openImport();
    await new Promise((done) => client.write(body.subarray(0, body.length >> 1), done));
    client.destroy();
    const abandoned = await eventually(
      () => query<{ after: { stage: string; stored: number } }>(ctx, "select after from audit_log where action = 'watchlist.import.abandoned' and after->>'stage' = 'upload'"),
      (found) => found.length > 0,
    );
    expect(abandoned.map((r) => r.after)).toEqual([{ stage: 'upload', rowsRead: 0, stored: 0 }]);
    expect(await entriesFrom(source)).toBe(0);
  });
});
