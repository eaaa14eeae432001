import { sql } from 'drizzle-orm';
import { auditRow, recordAudit, type AuditEntry } from '../../src/audit/service';
import { auditLog } from '../../src/audit/schema';
import { GENESIS_HASH, recordHash, sealHash } from '../../src/audit/chain';
import { verifyChain } from '../../src/audit/queries';
import { AUDIT_SEALER_LOCK_KEY, sealAuditRecords, sealedFieldsOf, storedRecordColumns, type StoredAuditRecord } from '../../src/audit/sealer';
import { cambodiaLure, japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';

type User = Awaited<ReturnType<TestContext['userFor']>>;

interface AuditRecord {
  id: number;
  action: string;
  actor_id: string | null;
  actor_role: string | null;
  office_code: string | null;
  target_type: string;
  target_id: string | null;
  after: Record<string, unknown> | null;
  /** The record's seal, when it has one. */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

describe('audit trail', () => {
  let ctx: TestContext;
  let officer: User;
  let supervisor: User;
  let hqAdmin: User;

  beforeAll(async () => {
    // The sealer runs when these tests say so, not on its timer.
    ctx = await createTestContext({ LOGIN_RATE_LIMIT: '1000', AUDIT_SEAL_EVERY_MS: '3600000', METRICS_TOKEN: 'audit-scrape-token-0123456789' });
    officer = await ctx.userFor('officer', 'TPI-CGK');
    supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
    hqAdmin = await ctx.userFor('admin', 'HQ');
    // Four eyes is every office's default (migration 0040); these tests are about the audit chain, not approval,
    // so a postponement here is final on the officer's decision, as an admin may configure.
    await ctx.database.pool.query("UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-CGK'");
  });
  afterAll(() => ctx.close());

  const columns = `a.id::int AS id, a.action, a.actor_id, a.actor_role, a.office_code, a.target_type, a.target_id, a.after,
    s.seq::int AS seq, s.prev_hash, s.hash`;
  /** Audit records in chain order (sealed ones by seal, then those still waiting). */
  const records = async (where = 'true', params: unknown[] = []) =>
    (
      await ctx.database.pool.query<AuditRecord>(
        `SELECT ${columns} FROM audit_log a LEFT JOIN audit_seals s ON s.audit_id = a.id WHERE ${where} ORDER BY s.seq NULLS LAST, a.id`,
        params,
      )
    ).rows;
  const seal = () => sealAuditRecords(ctx.database.db);
  /** Several records in one multi-row insert, as a batch chunk's statement writes them. */
  const recordAudits = (entries: AuditEntry[]) => ctx.database.db.insert(auditLog).values(entries.map(auditRow));
  const verify = async () => {
    const res = await api(ctx).get('/api/v1/audit/verify').set(bearer(hqAdmin.token));
    expect(res.status).toBe(200);
    return res.body;
  };
  const departure = (body: object = japanHoliday()) => api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(body);
  /** Runs SQL as the table owner with every trigger on the audit tables off, as someone tampering would. */
  const asOwnerBypassingTriggers = async (statement: string, params: unknown[] = []) => {
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await client.query('ALTER TABLE audit_seals DISABLE TRIGGER USER');
      await client.query(statement, params);
      await client.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
      await client.query('ALTER TABLE audit_seals ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  /** Holds the sealer's lock on a connection of its own while `during` runs, as a long sealing run would. */
  const whileSealerBusy = async <T>(during: () => Promise<T>): Promise<T> => {
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEALER_LOCK_KEY]);
      return await during();
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  };
  const sealRow = async (id: number) =>
    (await ctx.database.pool.query('SELECT seq::int AS seq, prev_hash, hash FROM audit_seals WHERE audit_id = $1', [id])).rows[0];
  const storedRecord = async (id: number) => (await ctx.database.db.execute<StoredAuditRecord>(sql`SELECT ${storedRecordColumns} FROM audit_log a WHERE a.id = ${id}`)).rows[0]!;

  describe('hash chain', () => {
    it('given screenings, claims and decisions, when they commit, then their records wait for the sealer; once sealed, each seal links to the one before it and verify is ok', async () => {
      expect((await departure(cambodiaLure())).status).toBe(201);
      const next = await api(ctx).post('/api/v1/cases/next').set(bearer(officer.token));
      expect(next.status).toBe(200);
      const decided = await api(ctx)
        .post(`/api/v1/cases/${next.body.id}/decision`)
        .set(bearer(officer.token))
        .send({ action: 'postpone', reasonCode: 'incomplete_documents', note: 'Bring the employment contract.' });
      expect(decided.status).toBe(200);

      const waiting = await records();
      expect(waiting.length).toBeGreaterThan(5);
      expect(waiting.every((r) => r.seq === null)).toBe(true);
      const before = await verify();
      expect(before).toMatchObject({ ok: true, checked: 0, head: null, pending: { count: waiting.length } });
      expect(new Date(before.pending.oldestAt).getTime()).toBeLessThanOrEqual(Date.now());

      expect(await seal()).toEqual({ sealed: waiting.length, busy: false });
      const chain = await records();
      expect(chain.map((r) => r.seq)).toEqual(chain.map((_, i) => i + 1));
      expect(chain[0]!.prev_hash).toBe(GENESIS_HASH);
      for (let i = 1; i < chain.length; i++) expect(chain[i]!.prev_hash).toBe(chain[i - 1]!.hash);
      for (const record of chain) expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(chain.map((r) => r.action)).toEqual(expect.arrayContaining(['user.created', 'application.screened', 'case.opened', 'case.claimed', 'case.decided', 'postponement.recorded']));

      const report = await verify();
      expect(report).toMatchObject({ ok: true, firstBroken: null, checked: chain.length, pending: { count: 0, oldestAt: null } });
      const last = chain[chain.length - 1]!;
      expect(report.head).toEqual({ id: last.id, seq: last.seq, hash: last.hash });
      expect(await seal()).toEqual({ sealed: 0, busy: false });

      const listed = await api(ctx).get('/api/v1/audit').query({ limit: 1 }).set(bearer(hqAdmin.token));
      expect(listed.body.items[0]).toMatchObject({ id: last.id, seq: last.seq, prevHash: last.prev_hash, hash: last.hash });
    });

    it('given records waiting for the sealer, when metrics are scraped, then the waiting count is reported, and 0 once sealed', async () => {
      const scrape = async () => (await api(ctx).get('/metrics').set('Authorization', 'Bearer audit-scrape-token-0123456789')).text;
      await seal();
      await recordAudits([
        { actor: null, action: 'test.metric', targetType: 'test', targetId: '1' },
        { actor: null, action: 'test.metric', targetType: 'test', targetId: '2' },
      ]);
      expect(await scrape()).toMatch(/saring_audit_unsealed_records 2\n/);
      await seal();
      expect(await scrape()).toMatch(/saring_audit_unsealed_records 0\n/);
    });

    it('given the sealer busy for as long as a request takes, when an officer screens, then the request does not wait for the chain', async () => {
      const res = await whileSealerBusy(async () => {
        const screened = await departure(cambodiaLure());
        expect(await seal()).toEqual({ sealed: 0, busy: true });
        return screened;
      });
      expect(res.status).toBe(201);
      const [screened] = await records("a.action = 'application.screened' AND a.target_id = $1", [res.body.id]);
      expect(screened!.seq).toBeNull();
      expect((await verify()).pending.count).toBeGreaterThanOrEqual(2);

      await seal();
      expect((await records("a.target_id = $1", [res.body.id]))[0]!.seq).toEqual(expect.any(Number));
      expect(await verify()).toMatchObject({ ok: true, pending: { count: 0 } });
    });

    it('given 30 transactions committing while sealers run at the same time, when all is sealed, then the chain is one line: every record sealed once, no two seals share a predecessor', async () => {
      const before = (await records()).length;
      const writes = Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0
          ? api(ctx).post('/api/v1/auth/login').send({ username: `nobody-${i}`, password: 'wrong-password' })
          : departure(i % 3 === 1 ? japanHoliday() : cambodiaLure()),
      );
      const sealers = Array.from({ length: 6 }, async () => {
        let sealed = 0;
        for (let round = 0; round < 5; round++) sealed += (await seal()).sealed;
        return sealed;
      });
      const statuses = (await Promise.all(writes)).map((res) => res.status);
      const sealedWhileWriting = (await Promise.all(sealers)).reduce((sum, n) => sum + n, 0);
      expect(statuses.filter((s) => s === 201)).toHaveLength(20);
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      const sealedAfter = (await seal()).sealed;

      const chain = await records();
      expect(chain.length).toBeGreaterThanOrEqual(before + 30);
      expect(sealedWhileWriting + sealedAfter).toBe(chain.length - before);
      expect(chain.map((r) => r.seq)).toEqual(chain.map((_, i) => i + 1));
      const predecessors = chain.map((r) => r.prev_hash);
      expect(new Set(predecessors).size).toBe(predecessors.length);
      expect(await verify()).toMatchObject({ ok: true, checked: chain.length, pending: { count: 0 } });
    });

    it('given a transaction at REPEATABLE READ, when it writes an audit record, then the record is kept and sealed like any other', async () => {
      await ctx.database.db.transaction((tx) => recordAudit(tx, { actor: null, action: 'test.repeatable_read', targetType: 'test', targetId: null }), {
        isolationLevel: 'repeatable read',
      });
      await seal();
      const [record] = await records("a.action = 'test.repeatable_read'");
      expect(record!.seq).toEqual(expect.any(Number));
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given many records in one statement (a batch chunk), when sealed, then each gets its own seal in the order given', async () => {
      const entries = Array.from({ length: 5 }, (_, i) => ({ actor: null, action: 'test.bulk', targetType: 'test', targetId: `bulk-${i}` }));
      await recordAudits(entries);
      await seal();
      const bulk = await records("a.action = 'test.bulk'");
      expect(bulk.map((r) => r.target_id)).toEqual(entries.map((e) => e.targetId));
      expect(new Set(bulk.map((r) => r.seq)).size).toBe(5);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given text PostgreSQL cannot store (NUL, a lone surrogate), when a failed login is audited, then it is stored cleaned and the chain still verifies', async () => {
      const res = await api(ctx).post('/api/v1/auth/login').send({ username: 'bad\u0000name\ud800', password: 'whatever' });
      expect(res.status).toBe(401);
      const [record] = (await records("a.action = 'auth.login_failed'")).slice(-1);
      expect(record!.after).toEqual({ username: 'bad\ufffdname\ufffd' });
      await seal();
      expect(await verify()).toMatchObject({ ok: true, pending: { count: 0 } });
    });
  });

  describe('append-only', () => {
    it.each([
      ['audit_log', 'UPDATE', "UPDATE audit_log SET action = 'case.cleared' WHERE id = (SELECT min(id) FROM audit_log)"],
      ['audit_log', 'DELETE', 'DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)'],
      ['audit_log', 'TRUNCATE', 'TRUNCATE audit_log'],
      ['audit_seals', 'UPDATE', 'UPDATE audit_seals SET hash = prev_hash WHERE seq = 1'],
      ['audit_seals', 'DELETE', 'DELETE FROM audit_seals WHERE seq = (SELECT max(seq) FROM audit_seals)'],
      ['audit_seals', 'TRUNCATE', 'TRUNCATE audit_seals'],
    ])('given the application database role, when it tries to change %s with %s, then the database refuses', async (table, operation, statement) => {
      const before = await records();
      await expect(ctx.database.pool.query(statement)).rejects.toThrow(`${table} is append-only: ${operation} is not allowed`);
      expect(await records()).toEqual(before);
    });
  });

  describe('tampering', () => {
    beforeEach(async () => {
      await seal();
    });

    it('given an owner who disables the trigger and edits a sealed record, when the chain is verified, then exactly that record is reported as changed', async () => {
      const chain = await records();
      const target = chain[Math.floor(chain.length / 2)]!;
      const original = target.after;
      await asOwnerBypassingTriggers(`UPDATE audit_log SET after = '{"outcome":"CLEAR"}' WHERE id = $1`, [target.id]);
      try {
        const report = await verify();
        expect(report.ok).toBe(false);
        expect(report.firstBroken).toMatchObject({ id: target.id, seq: target.seq, problem: 'hash_mismatch' });
        expect(report.firstBroken.message).toMatch(/changed after it was written/);
        expect(report.checked).toBe(target.seq);
      } finally {
        await asOwnerBypassingTriggers('UPDATE audit_log SET after = $2 WHERE id = $1', [target.id, original === null ? null : JSON.stringify(original)]);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given an owner who edits a record and re-hashes its seal, when verified, then the next seal is reported: its link no longer matches', async () => {
      const chain = await records();
      const target = chain[3]!;
      const following = chain[4]!;
      const forged = { kind: 'forged' };
      const stored = await storedRecord(target.id);
      const forgedHash = sealHash(target.seq!, sealedFieldsOf({ ...stored, after: forged }, target.prev_hash!));
      await asOwnerBypassingTriggers('UPDATE audit_log SET after = $2 WHERE id = $1', [target.id, JSON.stringify(forged)]);
      await asOwnerBypassingTriggers('UPDATE audit_seals SET hash = $2 WHERE seq = $1', [target.seq, forgedHash]);
      try {
        const report = await verify();
        expect(report.firstBroken).toMatchObject({ id: following.id, seq: following.seq, problem: 'broken_link', previousId: target.id });
        expect(report.firstBroken.message).toMatch(/previous record was changed and re-hashed/);
      } finally {
        await asOwnerBypassingTriggers('UPDATE audit_log SET after = $2 WHERE id = $1', [target.id, target.after === null ? null : JSON.stringify(target.after)]);
        await asOwnerBypassingTriggers('UPDATE audit_seals SET hash = $2 WHERE seq = $1', [target.seq, target.hash]);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given an owner who deletes a sealed record, when verified, then its seal reports the record missing', async () => {
      const chain = await records();
      const removed = chain[5]!;
      const { rows } = await ctx.database.pool.query('SELECT *, at::text AS at_text FROM audit_log WHERE id = $1', [removed.id]);
      await asOwnerBypassingTriggers('DELETE FROM audit_log WHERE id = $1', [removed.id]);
      try {
        const report = await verify();
        expect(report.firstBroken).toMatchObject({ id: removed.id, seq: removed.seq, problem: 'record_missing', previousId: chain[4]!.id });
        expect(report.firstBroken.message).toMatch(/removed/);
      } finally {
        const row = rows[0];
        await asOwnerBypassingTriggers(
          'INSERT INTO audit_log (id, at, actor_id, actor_role, office_code, action, target_type, target_id, before, after, request_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)',
          [row.id, row.at_text, row.actor_id, row.actor_role, row.office_code, row.action, row.target_type, row.target_id, row.before === null ? null : JSON.stringify(row.before), row.after === null ? null : JSON.stringify(row.after), row.request_id],
        );
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given an owner who deletes a record and its seal, when verified, then the seal after the gap is reported as a broken link', async () => {
      const chain = await records();
      const removed = chain[5]!;
      const after = chain[6]!;
      const record = (await ctx.database.pool.query('SELECT *, at::text AS at_text FROM audit_log WHERE id = $1', [removed.id])).rows[0];
      const removedSeal = await sealRow(removed.id);
      await asOwnerBypassingTriggers('DELETE FROM audit_seals WHERE seq = $1', [removed.seq]);
      await asOwnerBypassingTriggers('DELETE FROM audit_log WHERE id = $1', [removed.id]);
      try {
        const report = await verify();
        expect(report.firstBroken).toMatchObject({ id: after.id, seq: after.seq, problem: 'broken_link', previousId: chain[4]!.id });
        expect(report.firstBroken.message).toMatch(/removed or inserted/);
      } finally {
        await asOwnerBypassingTriggers(
          'INSERT INTO audit_log (id, at, actor_id, actor_role, office_code, action, target_type, target_id, before, after, request_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)',
          [record.id, record.at_text, record.actor_id, record.actor_role, record.office_code, record.action, record.target_type, record.target_id, record.before === null ? null : JSON.stringify(record.before), record.after === null ? null : JSON.stringify(record.after), record.request_id],
        );
        await asOwnerBypassingTriggers('INSERT INTO audit_seals (seq, audit_id, prev_hash, hash) VALUES ($1, $2, $3, $4)', [removedSeal.seq, removed.id, removedSeal.prev_hash, removedSeal.hash]);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given a record written by hand with plain SQL, when the sealer runs, then it is sealed like any other: nothing the table accepts escapes the chain', async () => {
      const { rows } = await ctx.database.pool.query<{ id: number }>("INSERT INTO audit_log (action, target_type) VALUES ('test.by_hand', 'test') RETURNING id::int AS id");
      expect((await verify()).pending.count).toBe(1);
      await seal();
      expect((await sealRow(rows[0]!.id)).seq).toEqual(expect.any(Number));
      expect(await verify()).toMatchObject({ ok: true, pending: { count: 0 } });
    });

    it.each([
      ['inserted with the sealing trigger off', "INSERT INTO audit_log (action, target_type) VALUES ('test.by_hand', 'test') RETURNING id::int AS id"],
      ['taken out of the sealing queue', "WITH written AS (INSERT INTO audit_log (action, target_type) VALUES ('test.by_hand', 'test') RETURNING id) SELECT id::int AS id FROM written"],
    ])('given a record %s, when verified, then that record is reported as unchained', async (how, statement) => {
      const client = await ctx.database.pool.connect();
      let id: number;
      try {
        await client.query('BEGIN');
        if (how.includes('trigger off')) await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_queue_for_sealing');
        id = (await client.query(statement)).rows[0].id;
        if (how.includes('trigger off')) await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_queue_for_sealing');
        else await client.query('DELETE FROM audit_unsealed WHERE audit_id = $1', [id]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      const report = await verify();
      expect(report.firstBroken).toMatchObject({ id, problem: 'unchained' });
      expect(report.firstBroken.message).toMatch(/neither chained nor waiting/);
      // It cannot be removed (append-only) except by the owner bypassing the trigger, as here, to restore the fixture.
      await asOwnerBypassingTriggers('DELETE FROM audit_log WHERE id = $1', [id]);
      expect(await verify()).toMatchObject({ ok: true });
    });
  });

  describe('what is audited', () => {
    it('given a failed login, when audited, then the record names the attempted username, no actor, and the request id', async () => {
      const res = await api(ctx).post('/api/v1/auth/login').set('X-Request-Id', 'req-login-failure-1').send({ username: ' Ghost.User ', password: 'nope-nope' });
      expect(res.status).toBe(401);
      const [record] = await records("a.action = 'auth.login_failed' AND a.request_id = 'req-login-failure-1'");
      expect(record).toMatchObject({ actor_id: null, target_type: 'user', after: { username: 'ghost.user' } });
    });

    it('given an admin creating a user, when audited, then the admin is the actor with role and office', async () => {
      const res = await api(ctx)
        .post('/api/v1/users')
        .set(bearer(hqAdmin.token))
        .send({ username: 'new.officer', displayName: 'New Officer', password: 'a-long-password-1', role: 'officer', officeCode: 'TPI-DPS' });
      expect(res.status).toBe(201);
      const [record] = await records("a.action = 'user.created' AND a.target_id = $1", [res.body.id]);
      expect(record).toMatchObject({ actor_id: hqAdmin.id, actor_role: 'admin', office_code: 'HQ', after: { username: 'new.officer', role: 'officer', officeCode: 'TPI-DPS' } });
    });

    it('given a password change, when audited, then the user is the actor and the record carries the new token version, never the password', async () => {
      const user = await ctx.userFor('officer', 'TPI-CGK');
      const res = await api(ctx).post('/api/v1/auth/password').set(bearer(user.token)).send({ currentPassword: user.password, newPassword: 'another-long-password' });
      expect(res.status).toBe(204);
      const [record] = await records("a.action = 'user.password_changed' AND a.target_id = $1", [user.id]);
      expect(record).toMatchObject({ actor_id: user.id, actor_role: 'officer', office_code: 'TPI-CGK', after: { tokenVersion: 1 } });
      expect(JSON.stringify(record)).not.toContain('another-long-password');
    });
  });

  describe('GET /api/v1/audit', () => {
    const list = (token: string, query: Record<string, string | number> = {}) => api(ctx).get('/api/v1/audit').query(query).set(bearer(token));

    it.each([['officer'], ['passport_officer']] as const)('given a %s, when listing the audit trail, then 403', async (role) => {
      const res = await list(await ctx.tokenFor(role, 'TPI-CGK'));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });

    it('given many records, when paged with a small limit, then pages are newest first, do not overlap, and together hold every record', async () => {
      const all = await records();
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(hqAdmin.token, { limit: 7, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((item: { id: number }) => item.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      // Records written while paging (none here) would only appear on a later first page.
      expect(seen).toEqual(all.map((r) => r.id).sort((a, b) => b - a));
    });

    it('given filters, when listing, then only matching records come back', async () => {
      const byAction = await list(hqAdmin.token, { action: 'case.decided' });
      expect(byAction.body.items.length).toBeGreaterThan(0);
      expect(byAction.body.items.every((item: { action: string }) => item.action === 'case.decided')).toBe(true);

      const byPrefix = await list(hqAdmin.token, { action: 'case.*', limit: 200 });
      const prefixActions = new Set(byPrefix.body.items.map((item: { action: string }) => item.action));
      expect([...prefixActions].every((action) => String(action).startsWith('case.'))).toBe(true);
      expect(prefixActions.size).toBeGreaterThan(1);

      const byActor = await list(hqAdmin.token, { actor: officer.id, limit: 200 });
      expect(byActor.body.items.length).toBeGreaterThan(0);
      expect(byActor.body.items.every((item: { actor: { id: string; role: string; officeCode: string } }) => item.actor.id === officer.id && item.actor.role === 'officer' && item.actor.officeCode === 'TPI-CGK')).toBe(true);

      const someCase = byAction.body.items[0].target.id as string;
      const byTarget = await list(hqAdmin.token, { targetType: 'case', targetId: someCase });
      expect(byTarget.body.items.map((item: { action: string }) => item.action)).toEqual(expect.arrayContaining(['case.opened', 'case.claimed', 'case.decided']));
      expect(byTarget.body.items.every((item: { target: { type: string; id: string } }) => item.target.type === 'case' && item.target.id === someCase)).toBe(true);

      const future = await list(hqAdmin.token, { from: '2999-01-01' });
      expect(future.body.items).toEqual([]);
      const past = await list(hqAdmin.token, { to: '2000-01-01' });
      expect(past.body.items).toEqual([]);
      const window = await list(hqAdmin.token, { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString(), limit: 1 });
      expect(window.body.items).toHaveLength(1);
    });

    it('given bad filters, when listing, then 400 naming the field', async () => {
      for (const [query, path] of [
        [{ action: 'DROP TABLE' }, 'action'],
        [{ from: 'yesterday' }, 'from'],
        [{ from: '2026-02-01', to: '2026-01-01' }, 'to'],
        [{ cursor: 'not-a-cursor' }, 'cursor'],
        [{ limit: 0 }, 'limit'],
        [{ colour: 'red' }, 'colour'],
      ] as const) {
        const res = await list(hqAdmin.token, query);
        expect(res.status).toBe(400);
        expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      }
    });

    it('given a supervisor at a checkpoint, when listing, then they see only records written by their office, and asking for another office is 404', async () => {
      const dpsOfficer = await ctx.userFor('officer', 'TPI-DPS');
      await api(ctx).post('/api/v1/departure-checks').set(bearer(dpsOfficer.token)).send(japanHoliday());

      const own = await list(supervisor.token, { limit: 200 });
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.every((item: { actor: { officeCode: string } | null }) => item.actor?.officeCode === 'TPI-CGK')).toBe(true);
      expect((await list(supervisor.token, { office: 'TPI-DPS' })).status).toBe(404);

      const dpsSupervisor = await ctx.tokenFor('supervisor', 'TPI-DPS');
      const dps = await list(dpsSupervisor, { limit: 200 });
      expect(dps.body.items.some((item: { actor: { id: string } | null }) => item.actor?.id === dpsOfficer.id)).toBe(true);
      expect(dps.body.items.some((item: { actor: { id: string } | null }) => item.actor?.id === officer.id)).toBe(false);

      const national = await list(await ctx.tokenFor('supervisor', 'HQ'), { office: 'TPI-DPS', limit: 200 });
      expect(national.body.items.some((item: { actor: { id: string } | null }) => item.actor?.id === dpsOfficer.id)).toBe(true);
      expect(national.body.items.every((item: { actor: { officeCode: string } | null }) => item.actor?.officeCode === 'TPI-DPS')).toBe(true);
    });

    it('given an officer, when asking to verify the chain, then 403', async () => {
      expect((await api(ctx).get('/api/v1/audit/verify').set(bearer(officer.token))).status).toBe(403);
    });
  });

  it('given the pool outside a transaction, when recordAudit is called, then the record is written on its own and sealed with the rest', async () => {
    await recordAudit(ctx.database.db, { actor: null, action: 'test.standalone', targetType: 'test', targetId: null, after: { when: new Date(0) } });
    const [record] = await records("a.action = 'test.standalone'");
    expect(record!.after).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    await seal();
    const { rows } = await ctx.database.db.execute(sql`SELECT count(*)::int AS n FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.audit_id = a.id)`);
    expect(rows[0]).toEqual({ n: 0 });
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describe('audit records chained in line before sealing existed', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ AUDIT_SEAL_EVERY_MS: '3600000' });
  });
  afterAll(() => ctx.close());

  /** Writes records as the in-line chain did (migrations 0004 to 0010): hash and prevHash on the record itself. */
  async function writeInline(count: number): Promise<Array<{ id: number; hash: string }>> {
    const written: Array<{ id: number; hash: string }> = [];
    let prevHash = GENESIS_HASH;
    for (let i = 0; i < count; i++) {
      const { rows } = await ctx.database.pool.query<{ id: string; at_ms: string }>(
        "SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text AS id, (extract(epoch FROM date_trunc('milliseconds', now())) * 1000)::bigint::text AS at_ms",
      );
      const fields = {
        id: Number(rows[0]!.id),
        at: new Date(Number(rows[0]!.at_ms)),
        actorId: null,
        actorRole: null,
        officeCode: null,
        action: 'legacy.event',
        targetType: 'test',
        targetId: `legacy-${i}`,
        before: null,
        after: { n: i },
        requestId: null,
        prevHash,
      };
      const hash = recordHash(fields);
      await ctx.database.pool.query(
        'INSERT INTO audit_log (id, at, action, target_type, target_id, after, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [fields.id, fields.at, fields.action, fields.targetType, fields.targetId, JSON.stringify(fields.after), prevHash, hash],
      );
      written.push({ id: fields.id, hash });
      prevHash = hash;
    }
    return written;
  }

  it('given records chained in line, when new records are sealed, then the first seal continues from the last in-line hash and verify checks both', async () => {
    const inline = await writeInline(3);
    await recordAudit(ctx.database.db, { actor: null, action: 'test.after_upgrade', targetType: 'test', targetId: null });
    await sealAuditRecords(ctx.database.db);

    const { rows: seals } = await ctx.database.pool.query<{ audit_id: string; prev_hash: string }>('SELECT audit_id::text, prev_hash FROM audit_seals ORDER BY seq');
    // In-line records are not sealed again: the seals start after them, from the last in-line hash.
    expect(seals.every((seal) => !inline.some((record) => String(record.id) === seal.audit_id))).toBe(true);
    expect(seals[0]!.prev_hash).toBe(inline[2]!.hash);
    const report = await verifyChain(ctx.database.db);
    expect(report).toMatchObject({ ok: true, checked: 3 + seals.length, pending: { count: 0 } });
  });

  it('given an in-line record changed afterwards, when verified, then that record is reported', async () => {
    const [first] = (await ctx.database.pool.query<{ id: number }>("SELECT id::int AS id FROM audit_log WHERE action = 'legacy.event' ORDER BY id LIMIT 1")).rows;
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await client.query(`UPDATE audit_log SET after = '{"n":99}' WHERE id = $1`, [first!.id]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const report = await verifyChain(ctx.database.db);
    expect(report.firstBroken).toMatchObject({ id: first!.id, seq: null, problem: 'hash_mismatch' });
  });
});

