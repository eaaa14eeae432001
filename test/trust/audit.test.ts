import { sql } from 'drizzle-orm';
import { recordAudit } from '../../src/audit/service';
import { GENESIS_HASH, recordHash } from '../../src/audit/chain';
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
  prev_hash: string | null;
  hash: string | null;
}

describe('audit trail', () => {
  let ctx: TestContext;
  let officer: User;
  let supervisor: User;
  let hqAdmin: User;

  beforeAll(async () => {
    ctx = await createTestContext({ LOGIN_RATE_LIMIT: '1000' });
    officer = await ctx.userFor('officer', 'TPI-CGK');
    supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
    hqAdmin = await ctx.userFor('admin', 'HQ');
  });
  afterAll(() => ctx.close());

  const columns = 'id::int AS id, action, actor_id, actor_role, office_code, target_type, target_id, after, prev_hash, hash';
  const records = async (where = 'true', params: unknown[] = []) =>
    (await ctx.database.pool.query<AuditRecord>(`SELECT ${columns} FROM audit_log WHERE ${where} ORDER BY audit_log.id`, params)).rows;
  const verify = async () => {
    const res = await api(ctx).get('/api/v1/audit/verify').set(bearer(hqAdmin.token));
    expect(res.status).toBe(200);
    return res.body;
  };
  const departure = (body: object = japanHoliday()) => api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(body);
  /** Runs SQL as the table owner with the append-only triggers off, as someone tampering would. */
  const asOwnerBypassingTriggers = async (statement: string, params: unknown[] = []) => {
    const client = await ctx.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await client.query(statement, params);
      await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };

  describe('hash chain', () => {
    it('given screenings, claims and decisions, when the chain is read, then every record links to the hash of the one before it and verify is ok', async () => {
      expect((await departure(cambodiaLure())).status).toBe(201);
      const next = await api(ctx).post('/api/v1/cases/next').set(bearer(officer.token));
      expect(next.status).toBe(200);
      const decided = await api(ctx)
        .post(`/api/v1/cases/${next.body.id}/decision`)
        .set(bearer(officer.token))
        .send({ action: 'postpone', reasonCode: 'incomplete_documents', note: 'Bring the employment contract.' });
      expect(decided.status).toBe(200);

      const chain = await records();
      expect(chain.length).toBeGreaterThan(5);
      expect(chain[0]!.prev_hash).toBe(GENESIS_HASH);
      for (let i = 1; i < chain.length; i++) expect(chain[i]!.prev_hash).toBe(chain[i - 1]!.hash);
      for (const record of chain) expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(chain.map((r) => r.action)).toEqual(expect.arrayContaining(['user.created', 'application.screened', 'case.opened', 'case.claimed', 'case.decided', 'postponement.recorded']));

      const report = await verify();
      expect(report).toMatchObject({ ok: true, firstBroken: null, checked: chain.length, unchainedLegacy: 0 });
      expect(report.head).toEqual({ id: chain[chain.length - 1]!.id, hash: chain[chain.length - 1]!.hash });
    });

    it('given 30 transactions writing audit records at once, when they commit, then the chain stays one line: no two records share a predecessor', async () => {
      const before = (await records()).length;
      const writes = Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0
          ? api(ctx).post('/api/v1/auth/login').send({ username: `nobody-${i}`, password: 'wrong-password' })
          : departure(i % 3 === 1 ? japanHoliday() : cambodiaLure()),
      );
      const statuses = (await Promise.all(writes)).map((res) => res.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(20);
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);

      const chain = await records();
      expect(chain.length).toBeGreaterThanOrEqual(before + 30);
      const predecessors = chain.map((r) => r.prev_hash);
      expect(new Set(predecessors).size).toBe(predecessors.length);
      expect(await verify()).toMatchObject({ ok: true, checked: chain.length });
    });

    it('given a transaction at REPEATABLE READ, when it writes an audit record, then it is refused rather than risk forking the chain', async () => {
      const count = (await records()).length;
      await expect(
        ctx.database.db.transaction((tx) => recordAudit(tx, { actor: null, action: 'test.noop', targetType: 'test', targetId: null }), {
          isolationLevel: 'repeatable read',
        }),
      ).rejects.toThrow(/READ COMMITTED/);
      expect(await records()).toHaveLength(count);
    });

    it('given text PostgreSQL cannot store (NUL, a lone surrogate), when a failed login is audited, then it is stored cleaned and the chain still verifies', async () => {
      const res = await api(ctx).post('/api/v1/auth/login').send({ username: 'bad\u0000name\ud800', password: 'whatever' });
      expect(res.status).toBe(401);
      const [record] = (await records("action = 'auth.login_failed'")).slice(-1);
      expect(record!.after).toEqual({ username: 'bad\ufffdname\ufffd' });
      expect(await verify()).toMatchObject({ ok: true });
    });
  });

  describe('append-only', () => {
    it.each([
      ['UPDATE', "UPDATE audit_log SET action = 'case.cleared' WHERE id = (SELECT min(id) FROM audit_log)"],
      ['DELETE', 'DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)'],
      ['TRUNCATE', 'TRUNCATE audit_log'],
    ])('given the application database role, when it tries %s on audit_log, then the database refuses', async (operation, statement) => {
      const before = await records();
      await expect(ctx.database.pool.query(statement)).rejects.toThrow(`audit_log is append-only: ${operation} is not allowed`);
      expect(await records()).toEqual(before);
    });
  });

  describe('tampering', () => {
    it('given an owner who disables the trigger and edits a record, when the chain is verified, then exactly that record is reported as changed', async () => {
      const chain = await records();
      const target = chain[Math.floor(chain.length / 2)]!;
      const original = target.after;
      await asOwnerBypassingTriggers(`UPDATE audit_log SET after = '{"outcome":"CLEAR"}' WHERE id = $1`, [target.id]);
      try {
        const report = await verify();
        expect(report.ok).toBe(false);
        expect(report.firstBroken).toMatchObject({ id: target.id, problem: 'hash_mismatch' });
        expect(report.firstBroken.message).toMatch(/changed after it was written/);
        expect(report.checked).toBe(chain.findIndex((r) => r.id === target.id) + 1);
      } finally {
        await asOwnerBypassingTriggers('UPDATE audit_log SET after = $2 WHERE id = $1', [target.id, original === null ? null : JSON.stringify(original)]);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given an owner who edits a record and re-hashes it, when verified, then the next record is reported: its link no longer matches', async () => {
      const chain = await records();
      const target = chain[3]!;
      const following = chain[4]!;
      const { rows } = await ctx.database.pool.query(
        `SELECT ${columns}, before, request_id, (extract(epoch FROM at) * 1000)::bigint AS at_ms FROM audit_log WHERE id = $1`,
        [target.id],
      );
      const row = rows[0];
      const forged = { kind: 'forged' };
      const forgedHash = recordHash({
        id: row.id,
        at: new Date(Number(row.at_ms)),
        actorId: row.actor_id,
        actorRole: row.actor_role,
        officeCode: row.office_code,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        before: row.before,
        after: forged,
        requestId: row.request_id,
        prevHash: row.prev_hash,
      });
      await asOwnerBypassingTriggers('UPDATE audit_log SET after = $2, hash = $3 WHERE id = $1', [target.id, JSON.stringify(forged), forgedHash]);
      try {
        const report = await verify();
        expect(report.firstBroken).toMatchObject({ id: following.id, problem: 'broken_link', previousId: target.id });
        expect(report.firstBroken.message).toMatch(/previous record was changed and re-hashed/);
      } finally {
        await asOwnerBypassingTriggers('UPDATE audit_log SET after = $2, hash = $3 WHERE id = $1', [target.id, target.after === null ? null : JSON.stringify(target.after), target.hash]);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given an owner who deletes a record, when verified, then the record after the gap is reported as a broken link', async () => {
      const chain = await records();
      const removed = chain[5]!;
      const after = chain[6]!;
      const { rows } = await ctx.database.pool.query('SELECT * FROM audit_log WHERE id = $1', [removed.id]);
      await asOwnerBypassingTriggers('DELETE FROM audit_log WHERE id = $1', [removed.id]);
      try {
        const report = await verify();
        expect(report.firstBroken).toMatchObject({ id: after.id, problem: 'broken_link', previousId: chain[4]!.id });
        expect(report.firstBroken.message).toMatch(/removed or inserted/);
      } finally {
        const row = rows[0];
        await asOwnerBypassingTriggers(
          'INSERT INTO audit_log (id, at, actor_id, actor_role, office_code, action, target_type, target_id, before, after, request_id, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)',
          [row.id, row.at, row.actor_id, row.actor_role, row.office_code, row.action, row.target_type, row.target_id, row.before === null ? null : JSON.stringify(row.before), row.after === null ? null : JSON.stringify(row.after), row.request_id, row.prev_hash, row.hash],
        );
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('given a record inserted around the chain (no hash), when verified, then that record is reported as unchained', async () => {
      const { rows } = await ctx.database.pool.query<{ id: number }>(
        "INSERT INTO audit_log (action, target_type) VALUES ('case.decided', 'case') RETURNING id::int AS id",
      );
      const report = await verify();
      expect(report.firstBroken).toMatchObject({ id: rows[0]!.id, problem: 'unchained' });
      // It cannot be removed (append-only) except by the owner bypassing the trigger, as here, to restore the fixture.
      await asOwnerBypassingTriggers('DELETE FROM audit_log WHERE id = $1', [rows[0]!.id]);
      expect(await verify()).toMatchObject({ ok: true });
    });
  });

  describe('what is audited', () => {
    it('given a failed login, when audited, then the record names the attempted username, no actor, and the request id', async () => {
      const res = await api(ctx).post('/api/v1/auth/login').set('X-Request-Id', 'req-login-failure-1').send({ username: ' Ghost.User ', password: 'nope-nope' });
      expect(res.status).toBe(401);
      const [record] = await records("action = 'auth.login_failed' AND request_id = 'req-login-failure-1'");
      expect(record).toMatchObject({ actor_id: null, target_type: 'user', after: { username: 'ghost.user' } });
    });

    it('given an admin creating a user, when audited, then the admin is the actor with role and office', async () => {
      const res = await api(ctx)
        .post('/api/v1/users')
        .set(bearer(hqAdmin.token))
        .send({ username: 'new.officer', displayName: 'New Officer', password: 'a-long-password-1', role: 'officer', officeCode: 'TPI-DPS' });
      expect(res.status).toBe(201);
      const [record] = await records("action = 'user.created' AND target_id = $1", [res.body.id]);
      expect(record).toMatchObject({ actor_id: hqAdmin.id, actor_role: 'admin', office_code: 'HQ', after: { username: 'new.officer', role: 'officer', officeCode: 'TPI-DPS' } });
    });

    it('given a password change, when audited, then the user is the actor and the record carries the new token version, never the password', async () => {
      const user = await ctx.userFor('officer', 'TPI-CGK');
      const res = await api(ctx).post('/api/v1/auth/password').set(bearer(user.token)).send({ currentPassword: user.password, newPassword: 'another-long-password' });
      expect(res.status).toBe(204);
      const [record] = await records("action = 'user.password_changed' AND target_id = $1", [user.id]);
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

  it('given the pool outside a transaction, when recordAudit is called, then it opens its own transaction and the record is chained', async () => {
    await recordAudit(ctx.database.db, { actor: null, action: 'test.standalone', targetType: 'test', targetId: null, after: { when: new Date(0) } });
    const [record] = await records("action = 'test.standalone'");
    expect(record!.after).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    const { rows } = await ctx.database.db.execute(sql`SELECT count(*)::int AS n FROM audit_log WHERE hash IS NULL`);
    expect(rows[0]).toEqual({ n: 0 });
    expect(await verify()).toMatchObject({ ok: true });
  });
});
