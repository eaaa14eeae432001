import { cambodiaLure, japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { signatureHeader, verifySignature } from '../../src/webhooks/signature';
import { eventually, Receiver, type Received } from './support';
import { fanOutEvents, redispatchOverdueDeliveries } from '../../src/webhooks/dispatch';
import type { AppDependencies } from '../../src/deps';

const depsOf = (ctx: TestContext): AppDependencies => ({ config: ctx.config, db: ctx.database.db, jobs: ctx.jobs, logger: ctx.logger, screener: ctx.screener });

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(180_000);

describe('webhooks', () => {
  let ctx: TestContext;
  let admin: string;
  let officer: string;
  const receiver = new Receiver();
  const failing = new Receiver();
  let receiverUrl: string;
  let failingUrl: string;

  beforeAll(async () => {
    ctx = await createTestContext({
      WEBHOOK_DISPATCH_EVERY_MS: '200',
      WEBHOOK_BACKOFF_MS: '50',
      WEBHOOK_MAX_ATTEMPTS: '4',
      WEBHOOK_TIMEOUT_MS: '2000',
      OUTBOX_SWEEP_EVERY_MS: '500',
    });
    await ctx.jobs.startWorking();
    // Four eyes is every office's default (migration 0040); these tests are about events, not approval, so the
    // office that postpones has it switched off, as an admin may.
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-CGK'");
    admin = await ctx.tokenFor('admin', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    receiverUrl = await receiver.start();
    failing.status = 500;
    failingUrl = await failing.start();
  });
  afterAll(async () => {
    await ctx.close();
    await receiver.stop();
    await failing.stop();
  });

  const subscribe = (body: object, token = admin) => api(ctx).post('/api/v1/webhooks').set(bearer(token)).send(body);
  const screen = (body: object) => api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(body);
  const ofCase = (caseId: string, type: string) => (r: Received) => r.json.type === type && r.json.data.caseId === caseId;
  /** The deliveries made for a case's event, with their receiver, state and attempts, as the database has them. */
  const deliveriesOf = async (caseId: string, type: string) =>
    (
      await ctx.database.pool.query<{ url: string; state: string; attempts: number }>(
        `SELECT s.url, d.state::text AS state, (SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id = d.id)::int AS attempts
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE e.type = $1 AND e.payload->'data'->>'caseId' = $2 ORDER BY d.id`,
        [type, caseId],
      )
    ).rows;

  describe('subscriptions', () => {
    it('given an admin, when subscribing a receiver, then 201 with the signing secret, shown once and never listed', async () => {
      const res = await subscribe({ url: 'https://receiver.example/hooks', events: ['case.created'], description: 'case system' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ url: 'https://receiver.example/hooks', events: ['case.created'], active: true, secret: expect.stringMatching(/^whsec_/) });
      const listed = await api(ctx).get('/api/v1/webhooks').set(bearer(admin));
      const mine = listed.body.items.find((s: { id: string }) => s.id === res.body.id);
      expect(mine).toMatchObject({ url: 'https://receiver.example/hooks' });
      expect(mine.secret).toBeUndefined();
      expect((await api(ctx).get(`/api/v1/webhooks/${res.body.id}`).set(bearer(admin))).body.secret).toBeUndefined();
      expect((await api(ctx).delete(`/api/v1/webhooks/${res.body.id}`).set(bearer(admin))).status).toBe(204);
      expect((await api(ctx).get(`/api/v1/webhooks/${res.body.id}`).set(bearer(admin))).status).toBe(404);
    });

    it.each([
      ['a non-http URL', { url: 'ftp://receiver.example/hooks' }, 'url'],
      ['a URL with credentials', { url: 'https://user:pw@receiver.example/hooks' }, 'url'],
      ['an unknown event', { url: 'https://receiver.example/hooks', events: ['case.deleted'] }, 'events.0'],
      ['a short secret', { url: 'https://receiver.example/hooks', secret: 'short' }, 'secret'],
    ])('given %s, when subscribing, then 400 naming the field', async (_name, body, path) => {
      const res = await subscribe(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    });

    it('given a supervisor or an officer, when managing webhooks or reading dead letters, then 403', async () => {
      const supervisor = await ctx.tokenFor('supervisor', 'HQ');
      expect((await subscribe({ url: receiverUrl }, supervisor)).status).toBe(403);
      expect((await api(ctx).get('/api/v1/webhooks/dead-letters').set(bearer(officer))).status).toBe(403);
    });
  });

  describe('delivery', () => {
    let secret: string;
    beforeAll(async () => {
      const res = await subscribe({ url: receiverUrl, secret: 'a-shared-secret-of-enough-length' });
      secret = res.body.secret;
    });

    it('given a subscriber, when a screening opens a case, then case.created arrives signed with HMAC-SHA256 over the timestamp and body', async () => {
      const screened = await screen(cambodiaLure());
      expect(screened.status).toBe(201);
      const caseId: string = screened.body.caseId;
      const got = await receiver.waitFor(ofCase(caseId, 'case.created'));
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['saring-event']).toBe('case.created');
      expect(got.json).toMatchObject({
        id: expect.stringMatching(/^evt_\d+$/),
        type: 'case.created',
        data: { caseId, applicationId: screened.body.id, kind: 'departure', officeCode: 'TPI-CGK', outcome: 'POSTPONE_RECOMMENDED' },
      });
      const header = got.headers['saring-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifySignature(header, got.body, secret)).toBe(true);
      expect(verifySignature(header, got.body, 'another-secret-of-enough-length')).toBe(false);
      expect(verifySignature(header, got.body.replace('TPI-CGK', 'TPI-DPS'), secret)).toBe(false);
      // No personal data leaves in an event.
      expect(got.body).not.toMatch(/3201235403010001|C1234567|Rina|\+855/);
    });

    it('given a signature, when checked by a receiver, then stale timestamps are refused', () => {
      const body = '{"id":"evt_1"}';
      const header = signatureHeader(secret, 1_000_000, body);
      expect(verifySignature(header, body, secret, { now: 1_000_100 })).toBe(true);
      expect(verifySignature(header, body, secret, { now: 1_000_000 + 301 })).toBe(false);
    });

    it('given a case, when an officer postpones it, then case.decided and postponement.recorded arrive', async () => {
      const screened = await screen(cambodiaLure());
      const caseId: string = screened.body.caseId;
      expect((await api(ctx).post(`/api/v1/cases/${caseId}/claim`).set(bearer(officer))).status).toBe(200);
      const decided = await api(ctx)
        .post(`/api/v1/cases/${caseId}/decision`)
        .set(bearer(officer))
        .send({ action: 'postpone', reasonCode: 'incomplete_documents', note: 'Bring the employment contract from BP2MI.' });
      expect(decided.status).toBe(200);
      const decision = await receiver.waitFor(ofCase(caseId, 'case.decided'));
      expect(decision.json.data).toMatchObject({ caseId, action: 'postpone', reasonCode: 'incomplete_documents', officeCode: 'TPI-CGK' });
      expect(decision.body).not.toContain('BP2MI'); // the note is what the applicant is told, not for other systems
      const postponement = await receiver.waitFor((r) => r.json.type === 'postponement.recorded' && r.json.data.caseId === caseId);
      expect(postponement.json.data).toMatchObject({ caseId, applicationId: screened.body.id, reasonCode: 'incomplete_documents', destinationCountry: 'KH', kind: 'departure' });
      expect(verifySignature(postponement.headers['saring-signature'] as string, postponement.body, secret)).toBe(true);
    });

    it('given a CLEAR screening, when stored, then no case event is sent for it', async () => {
      const clear = await screen(japanHoliday());
      const flagged = await screen(cambodiaLure());
      await receiver.waitFor(ofCase(flagged.body.caseId, 'case.created'));
      expect(receiver.count((r) => r.json.data.applicationId === clear.body.id)).toBe(0);
    });

    it('given events, when delivered and the dispatcher has run further rounds, then each subscriber got each event once', async () => {
      const screened = await screen(cambodiaLure());
      await receiver.waitFor(ofCase(screened.body.caseId, 'case.created'));
      const delivered = await eventually(
        () => deliveriesOf(screened.body.caseId, 'case.created'),
        (rows) => rows.length > 0 && rows.every((row) => row.state === 'delivered'),
      );
      // A duplicate could only come from another round of the dispatcher: run two, to completion, now.
      for (let round = 0; round < 2; round++) {
        await fanOutEvents(depsOf(ctx));
        await redispatchOverdueDeliveries(depsOf(ctx));
      }
      expect(await deliveriesOf(screened.body.caseId, 'case.created')).toEqual(delivered);
      expect(delivered.filter((row) => row.url === receiverUrl)).toEqual([{ url: receiverUrl, state: 'delivered', attempts: 1 }]);
      expect(receiver.count(ofCase(screened.body.caseId, 'case.created'))).toBe(1);
    });
  });

  describe('a failing receiver', () => {
    let subscriptionId: string;
    beforeAll(async () => {
      const res = await subscribe({ url: failingUrl, events: ['case.created'] });
      subscriptionId = res.body.id;
    });

    it('given a receiver answering 500, when an event is sent, then it is retried with backoff and then dead-lettered, visible to admins, and an admin retry delivers it', async () => {
      const screened = await screen(cambodiaLure());
      const caseId: string = screened.body.caseId;
      const letters = await eventually(
        async () => (await api(ctx).get('/api/v1/webhooks/dead-letters').set(bearer(admin))).body.items as Array<Record<string, any>>,
        (items) => items.some((item) => item.payload.data.caseId === caseId),
      );
      const letter = letters.find((item) => item.payload.data.caseId === caseId)!;
      expect(letter).toMatchObject({ subscriptionId, url: failingUrl, eventType: 'case.created', attempts: 4, lastStatus: 500, lastError: 'receiver answered 500' });
      // Exactly the configured attempts reached the receiver, each one recorded.
      expect(failing.count(ofCase(caseId, 'case.created'))).toBe(4);
      const { rows: attempts } = await ctx.database.pool.query(
        'SELECT attempt, status_code FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt',
        [letter.id],
      );
      expect(attempts).toEqual([1, 2, 3, 4].map((attempt) => ({ attempt, status_code: 500 })));

      failing.status = 200;
      const retried = await api(ctx).post(`/api/v1/webhooks/dead-letters/${letter.id}/retry`).set(bearer(admin));
      expect(retried.status).toBe(202);
      await eventually(
        async () => (await ctx.database.pool.query('SELECT state FROM webhook_deliveries WHERE id = $1', [letter.id])).rows[0].state,
        (state) => state === 'delivered',
      );
      expect(failing.count(ofCase(caseId, 'case.created'))).toBe(5);
      const after = await api(ctx).get('/api/v1/webhooks/dead-letters').set(bearer(admin));
      expect(after.body.items.map((item: { id: string }) => item.id)).not.toContain(letter.id);
      expect((await api(ctx).post(`/api/v1/webhooks/dead-letters/${letter.id}/retry`).set(bearer(admin))).status).toBe(409);
      failing.status = 500;
    });

    it('given a deactivated subscription, when events happen, then nothing is sent to it', async () => {
      const patched = await api(ctx).patch(`/api/v1/webhooks/${subscriptionId}`).set(bearer(admin)).send({ active: false });
      expect(patched.status).toBe(200);
      expect(patched.body.active).toBe(false);
      const before = failing.received.length;
      const screened = await screen(cambodiaLure());
      await receiver.waitFor(ofCase(screened.body.caseId, 'case.created'));
      // The event has been fanned out (that is where deliveries are made) with none for the deactivated subscriber.
      const deliveries = await eventually(
        () => deliveriesOf(screened.body.caseId, 'case.created'),
        (rows) => rows.some((row) => row.url === receiverUrl),
      );
      expect(deliveries.map((row) => row.url)).not.toContain(failingUrl);
      expect(failing.received.length).toBe(before);
    });
  });
});
