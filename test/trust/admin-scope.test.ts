import { readFileSync } from 'node:fs';
import { cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { eventually, Receiver, type Received } from '../webhooks/support';

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(180_000);

/**
 * Issue 19, finding 2: an admin at TPI-CGK could create an admin at headquarters, supervisors at other
 * offices, change other offices' settings, and received every office's webhook events. A headquarters
 * admin manages everything; an office admin only their own office's accounts, settings and webhooks.
 */
describe('admin scopes', () => {
  let ctx: TestContext;
  let cgkAdmin: string;
  let hqAdmin: string;

  beforeAll(async () => {
    ctx = await createTestContext({ WEBHOOK_DISPATCH_EVERY_MS: '200', WEBHOOK_BACKOFF_MS: '50', WEBHOOK_MAX_ATTEMPTS: '2', OUTBOX_SWEEP_EVERY_MS: '500' });
    await ctx.jobs.startWorking();
    cgkAdmin = await ctx.tokenFor('admin', 'TPI-CGK');
    hqAdmin = await ctx.tokenFor('admin', 'HQ');
  });
  afterAll(() => ctx.close());

  let serial = 0;
  const account = (role: string, officeCode: string) => ({
    username: `scope.${role}.${officeCode}.${++serial}`.toLowerCase(),
    displayName: `Scope ${role}`,
    password: 'a-long-password-1',
    role,
    officeCode,
  });
  const createUser = (token: string, body: object) => api(ctx).post('/api/v1/users').set(bearer(token)).send(body);
  const usersNamed = async (username: string) => query(ctx, 'SELECT role::text, office_code FROM users WHERE username = $1', [username]);

  describe('accounts', () => {
    it('given an admin at TPI-CGK, when creating an admin at HQ, then 403 and no account exists', async () => {
      const body = account('admin', 'HQ');
      const res = await createUser(cgkAdmin, body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(await usersNamed(body.username)).toEqual([]);
    });

    it.each([
      ['a supervisor at TPI-DPS', 'supervisor', 'TPI-DPS'],
      ['an officer at TPI-DPS', 'officer', 'TPI-DPS'],
      ['an admin at TPI-DPS', 'admin', 'TPI-DPS'],
      ['a supervisor at HQ', 'supervisor', 'HQ'],
    ])('given an admin at TPI-CGK, when creating %s, then 403 and no account exists', async (_name, role, officeCode) => {
      const body = account(role, officeCode);
      expect((await createUser(cgkAdmin, body)).status).toBe(403);
      expect(await usersNamed(body.username)).toEqual([]);
    });

    it('given an admin at TPI-CGK, when naming an office that does not exist, then 403 like any office outside their scope (no probing)', async () => {
      expect((await createUser(cgkAdmin, account('officer', 'TPI-NOWHERE'))).status).toBe(403);
      // Headquarters learns that it does not exist.
      expect((await createUser(hqAdmin, account('officer', 'TPI-NOWHERE'))).status).toBe(422);
    });

    it('given an admin at TPI-CGK, when creating an officer, a supervisor or another admin at TPI-CGK, then each is created there', async () => {
      for (const role of ['officer', 'supervisor', 'admin']) {
        const body = account(role, 'TPI-CGK');
        const res = await createUser(cgkAdmin, body);
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ role, officeCode: 'TPI-CGK' });
        expect(await usersNamed(body.username)).toEqual([{ role, office_code: 'TPI-CGK' }]);
      }
    });

    it('given an admin at HQ, when creating an admin at HQ and a supervisor at TPI-DPS, then both are created', async () => {
      expect((await createUser(hqAdmin, account('admin', 'HQ'))).status).toBe(201);
      expect((await createUser(hqAdmin, account('supervisor', 'TPI-DPS'))).status).toBe(201);
    });

    it('given an admin at TPI-CGK, when creating or revoking a carrier feed of TPI-DPS, then 403 and 404; their own checkpoint works', async () => {
      const other = await api(ctx).post('/api/v1/carrier-feeds').set(bearer(cgkAdmin)).send({ checkpointCode: 'TPI-DPS', carrierName: 'Scope Air' });
      expect(other.status).toBe(403);
      const dps = await api(ctx).post('/api/v1/carrier-feeds').set(bearer(hqAdmin)).send({ checkpointCode: 'TPI-DPS', carrierName: 'Scope Air' });
      expect(dps.status).toBe(201);
      expect((await api(ctx).delete(`/api/v1/carrier-feeds/${dps.body.userId}`).set(bearer(cgkAdmin))).status).toBe(404);
      expect(await query(ctx, 'SELECT active FROM users WHERE id = $1', [dps.body.userId])).toEqual([{ active: true }]);
      const own = await api(ctx).post('/api/v1/carrier-feeds').set(bearer(cgkAdmin)).send({ checkpointCode: 'TPI-CGK', carrierName: 'Scope Air' });
      expect(own.status).toBe(201);
      expect((await api(ctx).delete(`/api/v1/carrier-feeds/${own.body.userId}`).set(bearer(cgkAdmin))).status).toBe(204);
    });
  });

  describe('office settings', () => {
    const settingsOf = async (code: string) =>
      (await query<{ requires_postponement_approval: boolean }>(ctx, 'SELECT requires_postponement_approval FROM offices WHERE code = $1', [code]))[0]!.requires_postponement_approval;

    it('given an admin at TPI-CGK, when turning four eyes off at TPI-DPS, then 403 and TPI-DPS still requires approval, unaudited', async () => {
      expect(await settingsOf('TPI-DPS')).toBe(true);
      const res = await api(ctx).patch('/api/v1/offices/TPI-DPS').set(bearer(cgkAdmin)).send({ requiresPostponementApproval: false });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(await settingsOf('TPI-DPS')).toBe(true);
      expect(await query(ctx, "SELECT id FROM audit_log WHERE action = 'office.settings_changed' AND target_id = 'TPI-DPS'")).toEqual([]);
    });

    it('given an admin at TPI-CGK, when changing their own office, then it is saved; an admin at HQ changes any office', async () => {
      const own = await api(ctx).patch('/api/v1/offices/TPI-CGK').set(bearer(cgkAdmin)).send({ noticeContact: 'Terminal 3, Soekarno-Hatta' });
      expect(own.status).toBe(200);
      expect(own.body.noticeContact).toBe('Terminal 3, Soekarno-Hatta');
      const national = await api(ctx).patch('/api/v1/offices/TPI-DPS').set(bearer(hqAdmin)).send({ passportSlaHours: 48 });
      expect(national.status).toBe(200);
      expect(national.body.passportSlaHours).toBe(48);
    });
  });

  describe('webhooks', () => {
    const subscribe = (token: string, body: object) => api(ctx).post('/api/v1/webhooks').set(bearer(token)).send(body);

    it('given admins, when subscribing, then an office admin subscribes to their own office only and a headquarters admin to every office or one', async () => {
      const own = await subscribe(cgkAdmin, { url: 'https://cgk.receiver.example/hooks', active: false });
      expect(own.status).toBe(201);
      expect(own.body.officeCode).toBe('TPI-CGK');
      expect((await subscribe(cgkAdmin, { url: 'https://cgk.receiver.example/hooks', officeCode: 'TPI-DPS', active: false })).status).toBe(403);
      const national = await subscribe(hqAdmin, { url: 'https://hq.receiver.example/hooks', active: false });
      expect(national.status).toBe(201);
      expect(national.body.officeCode).toBeNull();
      const forDps = await subscribe(hqAdmin, { url: 'https://dps.receiver.example/hooks', officeCode: 'TPI-DPS', active: false });
      expect(forDps.body.officeCode).toBe('TPI-DPS');

      // The office admin sees and manages their office's subscriptions; the others are not there for them.
      const listed = await api(ctx).get('/api/v1/webhooks').set(bearer(cgkAdmin));
      expect(listed.body.items.length).toBeGreaterThan(0);
      expect(listed.body.items.every((item: { officeCode: string }) => item.officeCode === 'TPI-CGK')).toBe(true);
      for (const id of [national.body.id, forDps.body.id]) {
        expect((await api(ctx).get(`/api/v1/webhooks/${id}`).set(bearer(cgkAdmin))).status).toBe(404);
        expect((await api(ctx).patch(`/api/v1/webhooks/${id}`).set(bearer(cgkAdmin)).send({ active: true })).status).toBe(404);
        expect((await api(ctx).delete(`/api/v1/webhooks/${id}`).set(bearer(cgkAdmin))).status).toBe(404);
      }
      expect((await api(ctx).get(`/api/v1/webhooks/${own.body.id}`).set(bearer(hqAdmin))).status).toBe(200);
      const everything = (await api(ctx).get('/api/v1/webhooks').set(bearer(hqAdmin))).body.items.map((item: { id: string }) => item.id);
      expect(everything).toEqual(expect.arrayContaining([own.body.id, national.body.id, forDps.body.id]));
    });

    describe('events', () => {
      const cgkReceiver = new Receiver();
      const dpsReceiver = new Receiver();
      const nationalReceiver = new Receiver();
      let cgkSubscription: string;
      beforeAll(async () => {
        // Four eyes does not matter here: only case.created is subscribed to.
        const dpsAdmin = await ctx.tokenFor('admin', 'TPI-DPS');
        cgkSubscription = (await subscribe(cgkAdmin, { url: await cgkReceiver.start(), events: ['case.created'] })).body.id;
        await subscribe(dpsAdmin, { url: await dpsReceiver.start(), events: ['case.created'] });
        await subscribe(hqAdmin, { url: await nationalReceiver.start(), events: ['case.created'] });
      });
      afterAll(async () => {
        for (const receiver of [cgkReceiver, dpsReceiver, nationalReceiver]) await receiver.stop();
      });

      const screenAt = async (officeCode: string) => {
        const res = await api(ctx)
          .post('/api/v1/departure-checks')
          .set(bearer(await ctx.tokenFor('officer', officeCode)))
          .send(cambodiaLure());
        expect(res.status).toBe(201);
        return res.body.caseId as string;
      };
      const ofCase = (caseId: string) => (r: Received) => r.json.type === 'case.created' && r.json.data.caseId === caseId;
      const deliveriesOf = async (caseId: string) =>
        query<{ office_code: string | null }>(
          ctx,
          `SELECT s.office_code FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_subscriptions s ON s.id = d.subscription_id
           WHERE e.payload->'data'->>'caseId' = $1`,
          [caseId],
        );

      it("given subscriptions of TPI-CGK's admin, TPI-DPS's admin and an HQ admin, when cases open at both offices, then each office's receiver gets only its office's events and HQ's gets both", async () => {
        const cgkCase = await screenAt('TPI-CGK');
        const dpsCase = await screenAt('TPI-DPS');
        await cgkReceiver.waitFor(ofCase(cgkCase));
        await dpsReceiver.waitFor(ofCase(dpsCase));
        await nationalReceiver.waitFor(ofCase(cgkCase));
        await nationalReceiver.waitFor(ofCase(dpsCase));
        // Fan-out makes every delivery of an event in one transaction: those are all there will be.
        expect((await deliveriesOf(cgkCase)).map((row) => row.office_code).sort()).toEqual(['TPI-CGK', null].sort());
        expect((await deliveriesOf(dpsCase)).map((row) => row.office_code).sort()).toEqual(['TPI-DPS', null].sort());
        expect(cgkReceiver.count(ofCase(dpsCase))).toBe(0);
        expect(dpsReceiver.count(ofCase(cgkCase))).toBe(0);
        expect(cgkReceiver.received.every((r) => r.json.data.officeCode === 'TPI-CGK')).toBe(true);
        expect(dpsReceiver.received.every((r) => r.json.data.officeCode === 'TPI-DPS')).toBe(true);
      });

      it("given dead letters of several offices, when TPI-CGK's admin lists them, then only their office's subscriptions' letters are there, and another office's cannot be retried", async () => {
        dpsReceiver.status = 500;
        cgkReceiver.status = 500;
        try {
          const cgkCase = await screenAt('TPI-CGK');
          const dpsCase = await screenAt('TPI-DPS');
          const all = await eventually(
            async () => (await api(ctx).get('/api/v1/webhooks/dead-letters').set(bearer(hqAdmin))).body.items as Array<{ id: string; subscriptionId: string; payload: Received['json'] }>,
            (items) => [cgkCase, dpsCase].every((caseId) => items.some((item) => item.payload.data.caseId === caseId)),
          );
          const mine = (await api(ctx).get('/api/v1/webhooks/dead-letters').set(bearer(cgkAdmin))).body.items as Array<{ id: string; subscriptionId: string }>;
          expect(mine.length).toBeGreaterThan(0);
          expect(mine.every((item) => item.subscriptionId === cgkSubscription)).toBe(true);
          const dpsLetter = all.find((item) => item.payload.data.caseId === dpsCase)!;
          expect((await api(ctx).post(`/api/v1/webhooks/dead-letters/${dpsLetter.id}/retry`).set(bearer(cgkAdmin))).status).toBe(404);
        } finally {
          dpsReceiver.status = 200;
          cgkReceiver.status = 200;
        }
      });
    });
  });

  describe('migration 0051', () => {
    it("given subscriptions made before subscriptions had an office, when the migration runs, then an office admin's receives only that office's events, an HQ admin's stays national, and each narrowing is audited", async () => {
      const officeAdmin = await ctx.userFor('admin', 'TPI-DPS');
      const national = await ctx.userFor('admin', 'HQ');
      const insert = async (createdBy: string) =>
        (
          await query<{ id: string }>(ctx, "INSERT INTO webhook_subscriptions (url, secret, events, created_by, active) VALUES ('https://legacy.receiver.example/hooks', 'legacy-secret-of-enough-length', '{case.created}', $1, false) RETURNING id", [
            createdBy,
          ])
        )[0]!.id;
      const byOfficeAdmin = await insert(officeAdmin.id);
      const byHq = await insert(national.id);
      // The migration as deployed; its column is added only if missing, so it runs again here as on an older database.
      await ctx.database.pool.query(readFileSync('drizzle/0051_webhook_office_scope.sql', 'utf8').replaceAll('--> statement-breakpoint', ''));
      const rows = await query(ctx, 'SELECT id, office_code FROM webhook_subscriptions WHERE id = ANY($1::uuid[]) ORDER BY office_code NULLS LAST', [[byOfficeAdmin, byHq]]);
      expect(rows).toEqual([
        { id: byOfficeAdmin, office_code: 'TPI-DPS' },
        { id: byHq, office_code: null },
      ]);
      const audited = await query(ctx, "SELECT target_id, after->>'officeCode' AS office FROM audit_log WHERE action = 'webhook.updated' AND target_id = ANY($1::text[])", [[byOfficeAdmin, byHq]]);
      expect(audited).toEqual([{ target_id: byOfficeAdmin, office: 'TPI-DPS' }]);
    });
  });
});
