import net from 'node:net';
import { cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { eventually, Receiver } from './support';
import { addressPolicyOf, refusalOf } from '../../src/webhooks/address-policy';
import { guardedLookup } from '../../src/webhooks/connect';
import { loadConfig } from '../../src/config';

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(180_000);

/**
 * Issue 19, finding 4 (webhook SSRF). Every address used here is on loopback: 127.0.0.1 plays the
 * internal service an attacker aims at, 127.0.0.2 a receiver the operator allowed (WEBHOOK_ALLOWED_CIDRS
 * names only it). Names resolve through the resolver this test gives the app, never through real DNS.
 */
const INTERNAL = '127.0.0.1';
const ALLOWED = '127.0.0.2';

describe('webhook address policy', () => {
  let ctx: TestContext;
  let admin: string;
  let officer: string;
  /** What each test name resolves to (family 4 or 6), and how often it was asked. */
  const dnsAnswers = new Map<string, Array<{ address: string; family: number }> | (() => Array<{ address: string; family: number }>)>();
  const lookups = new Map<string, number>();
  /** Listens on the internal address: it must never get a connection from a refused delivery. */
  const internal = new Receiver();
  /** Listens on the allowed address, on the same port as `internal`. */
  const allowed = new Receiver();
  /** An on-premise receiver on the internal address, reachable only by its allowed host name. */
  const onPremise = new Receiver();
  let port: number;

  beforeAll(async () => {
    ctx = await createTestContext(
      {
        WEBHOOK_ALLOWED_CIDRS: `${ALLOWED}/32`,
        WEBHOOK_ALLOWED_HOSTS: 'hooks.onprem.test',
        WEBHOOK_DISPATCH_EVERY_MS: '200',
        WEBHOOK_MAX_ATTEMPTS: '1',
        WEBHOOK_TIMEOUT_MS: '1000',
        OUTBOX_SWEEP_EVERY_MS: '500',
      },
      {
        resolveHost: async (hostname) => {
          lookups.set(hostname, (lookups.get(hostname) ?? 0) + 1);
          const answer = dnsAnswers.get(hostname);
          if (!answer) throw Object.assign(new Error(`${hostname} not found`), { code: 'ENOTFOUND' });
          return typeof answer === 'function' ? answer() : answer;
        },
      },
    );
    await ctx.jobs.startWorking();
    admin = await ctx.tokenFor('admin', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    await internal.start(INTERNAL);
    port = internal.port;
    await allowed.start(ALLOWED, port);
    await onPremise.start(INTERNAL);
  });
  afterAll(async () => {
    await ctx.close();
    for (const receiver of [internal, allowed, onPremise]) await receiver.stop();
  });

  const subscribe = (body: object) => api(ctx).post('/api/v1/webhooks').set(bearer(admin)).send(body);

  describe('at registration', () => {
    it.each([
      ['127.0.0.1'],
      ['127.1'],
      ['2130706433'],
      ['0x7f.1'],
      ['0x7f000001'],
      ['017700000001'],
      ['0.0.0.0'],
      ['0'],
      ['[::1]'],
      ['[::]'],
      ['[::ffff:127.0.0.1]'],
      ['[0:0:0:0:0:ffff:7f00:1]'],
      ['[::127.0.0.1]'],
      ['169.254.169.254'],
      ['10.0.0.1'],
      ['172.16.5.4'],
      ['192.168.1.1'],
      ['100.64.0.1'],
      ['[fd00::1]'],
      ['[fe80::1]'],
      ['224.0.0.1'],
      ['[ff02::1]'],
      ['255.255.255.255'],
      ['192.0.2.1'],
      ['240.0.0.1'],
      ['[64:ff9b::a9fe:a9fe]'],
      ['[2002:a9fe:a9fe::]'],
      ['localhost'],
      ['LOCALHOST.'],
      ['api.localhost'],
    ])('given a receiver at http://%s:8080/, when subscribing, then 422 naming the url, in both languages, and nothing is stored', async (host) => {
      const url = `http://${host}:8080/hooks`;
      const res = await subscribe({ url, active: false });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'UNPROCESSABLE', message: expect.stringContaining('not allowed') });
      expect(res.body.error.details).toEqual([
        expect.objectContaining({
          path: 'url',
          code: 'receiver_address_not_allowed',
          messages: { en: expect.stringContaining('WEBHOOK_ALLOWED_CIDRS'), id: expect.stringContaining('tidak diizinkan') },
        }),
      ]);
      expect(await query(ctx, 'SELECT id FROM webhook_subscriptions WHERE url = $1', [new URL(url).href])).toEqual([]);
    });

    it('given a subscription, when its url is changed to a loopback spelling, then 422 and the url stays as it was', async () => {
      const created = await subscribe({ url: 'https://receiver.example/hooks', active: false });
      expect(created.status).toBe(201);
      const res = await api(ctx).patch(`/api/v1/webhooks/${created.body.id}`).set(bearer(admin)).send({ url: 'http://0x7f.1/hooks' });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0]).toMatchObject({ path: 'url', code: 'receiver_address_not_allowed' });
      expect((await api(ctx).get(`/api/v1/webhooks/${created.body.id}`).set(bearer(admin))).body.url).toBe('https://receiver.example/hooks');
    });

    it.each([
      ['an address in WEBHOOK_ALLOWED_CIDRS', `http://${ALLOWED}:8080/hooks`],
      ['a host in WEBHOOK_ALLOWED_HOSTS', 'https://hooks.onprem.test/hooks'],
      ['a public address', 'https://93.184.215.14/hooks'],
      ['a host name (checked when a delivery connects)', 'https://receiver.example/hooks'],
    ])('given %s, when subscribing, then 201', async (_name, url) => {
      expect((await subscribe({ url, active: false })).status).toBe(201);
    });
  });

  describe('when a delivery connects', () => {
    const screen = async () => {
      const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure());
      expect(res.status).toBe(201);
      return res.body.caseId as string;
    };
    /** The delivery of the case's case.created event to the subscription, once it is delivered or dead. */
    const settledDelivery = async (subscriptionId: string, caseId: string) =>
      (await eventually(
        async () =>
          (
            await query<{ state: string; last_error: string | null; last_status: number | null }>(
              ctx,
              `SELECT d.state::text AS state, d.last_error, d.last_status FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
               WHERE d.subscription_id = $1 AND e.payload->'data'->>'caseId' = $2`,
              [subscriptionId, caseId],
            )
          )[0],
        (row) => row !== undefined && (row.state === 'delivered' || row.state === 'dead'),
      ))!;
    /** Subscribes `url`, opens a case, and answers how its event's delivery ended; the subscription is then switched off. */
    const deliverOnce = async (url: string) => {
      const created = await subscribe({ url, events: ['case.created'] });
      expect(created.status).toBe(201);
      try {
        const caseId = await screen();
        return { caseId, delivery: await settledDelivery(created.body.id, caseId) };
      } finally {
        await api(ctx).patch(`/api/v1/webhooks/${created.body.id}`).set(bearer(admin)).send({ active: false });
      }
    };

    it('given a name allowed at registration that resolves to a loopback address not allowed, when delivering, then it is refused and no connection reaches that address', async () => {
      dnsAnswers.set('rebind.receiver.test', [{ address: INTERNAL, family: 4 }]);
      const before = internal.connections;
      const { delivery } = await deliverOnce(`http://rebind.receiver.test:${port}/hooks`);
      expect(delivery).toEqual({ state: 'dead', last_error: 'receiver address not allowed by the webhook address policy', last_status: null });
      expect(internal.connections).toBe(before);
      expect(lookups.get('rebind.receiver.test')).toBeGreaterThan(0);
    });

    it('given a name that resolves to an IPv4-mapped IPv6 loopback address, when delivering, then it is refused with no connection', async () => {
      dnsAnswers.set('mapped.receiver.test', [{ address: `::ffff:${INTERNAL}`, family: 6 }]);
      const before = internal.connections;
      const { delivery } = await deliverOnce(`http://mapped.receiver.test:${port}/hooks`);
      expect(delivery.last_error).toBe('receiver address not allowed by the webhook address policy');
      expect(internal.connections).toBe(before);
    });

    it('given a name with an allowed and a forbidden address, when delivering, then every address is checked and the name is refused: neither is contacted', async () => {
      dnsAnswers.set('mixed.receiver.test', [
        { address: ALLOWED, family: 4 },
        { address: INTERNAL, family: 4 },
      ]);
      const before = { internal: internal.connections, allowed: allowed.connections };
      const { delivery } = await deliverOnce(`http://mixed.receiver.test:${port}/hooks`);
      expect(delivery.last_error).toBe('receiver address not allowed by the webhook address policy');
      expect({ internal: internal.connections, allowed: allowed.connections }).toEqual(before);
    });

    it('given a name that answers an allowed address first and a forbidden one after (DNS rebinding), when delivering, then it connects to the address it checked, once', async () => {
      let asked = 0;
      dnsAnswers.set('flip.receiver.test', () => (asked++ === 0 ? [{ address: ALLOWED, family: 4 }] : [{ address: INTERNAL, family: 4 }]));
      const before = internal.connections;
      const { caseId, delivery } = await deliverOnce(`http://flip.receiver.test:${port}/hooks`);
      expect(delivery).toEqual({ state: 'delivered', last_error: null, last_status: 200 });
      const got = await allowed.waitFor((r) => r.json.data.caseId === caseId);
      expect(got.headers.host).toBe(`flip.receiver.test:${port}`);
      expect(asked).toBe(1);
      expect(internal.connections).toBe(before);
    });

    it('given a host in WEBHOOK_ALLOWED_HOSTS that resolves to the internal address, when delivering, then it is delivered there (an on-premise receiver)', async () => {
      dnsAnswers.set('hooks.onprem.test', [{ address: INTERNAL, family: 4 }]);
      const { caseId, delivery } = await deliverOnce(`http://hooks.onprem.test:${onPremise.port}/hooks`);
      expect(delivery.state).toBe('delivered');
      await onPremise.waitFor((r) => r.json.data.caseId === caseId);
    });

    it('given a loopback receiver stored before the policy (not in the allowlist), when delivering, then it is refused before any connection', async () => {
      const before = internal.connections;
      // As an older version stored it, without the registration check.
      const [row] = await query<{ id: string }>(
        ctx,
        "INSERT INTO webhook_subscriptions (url, secret, events, created_by) VALUES ($1, 'a-legacy-secret-of-enough-length', '{case.created}', 'legacy') RETURNING id",
        [`http://${INTERNAL}:${port}/hooks`],
      );
      try {
        const caseId = await screen();
        const delivery = await settledDelivery(row!.id, caseId);
        expect(delivery).toEqual({ state: 'dead', last_error: 'receiver address not allowed by the webhook address policy', last_status: null });
        expect(internal.connections).toBe(before);
      } finally {
        await query(ctx, 'UPDATE webhook_subscriptions SET active = false WHERE id = $1', [row!.id]);
      }
    });

    it('given an allowed receiver whose port is closed, one that never answers and a name that does not resolve, when delivering, then the admin sees the same error for all three', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, ALLOWED, () => {
          const { port: free } = probe.address() as net.AddressInfo;
          probe.close(() => resolve(free));
        });
      });
      const silent = net.createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, ALLOWED, () => resolve()));
      try {
        const closed = await deliverOnce(`http://${ALLOWED}:${closedPort}/hooks`);
        const mute = await deliverOnce(`http://${ALLOWED}:${(silent.address() as net.AddressInfo).port}/hooks`);
        const unknown = await deliverOnce(`http://nowhere.receiver.test:${port}/hooks`);
        for (const { delivery } of [closed, mute, unknown]) expect(delivery).toEqual({ state: 'dead', last_error: 'receiver unreachable', last_status: null });
        // The dead letters the admin reads say the same.
        const letters = (await api(ctx).get('/api/v1/webhooks/dead-letters').set(bearer(admin))).body.items as Array<{ lastError: string; payload: { data: { caseId: string } } }>;
        const errors = [closed, mute, unknown].map(({ caseId }) => letters.find((letter) => letter.payload.data.caseId === caseId)?.lastError);
        expect(errors).toEqual(['receiver unreachable', 'receiver unreachable', 'receiver unreachable']);
      } finally {
        silent.close();
      }
    });
  });

  describe('the checks themselves', () => {
    const policy = addressPolicyOf(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_CIDRS: '10.20.0.0/16,fd12::/16', WEBHOOK_ALLOWED_HOSTS: 'Hooks.OnPrem.test' }));

    it.each([
      ['127.0.0.1', 'loopback'],
      ['::1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:169.254.169.254', 'linkLocal'],
      ['169.254.169.254', 'linkLocal'],
      ['fe80::1%eth0', 'linkLocal'],
      ['10.0.0.1', 'private'],
      ['fd00::1', 'uniqueLocal'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['239.255.255.250', 'multicast'],
      ['64:ff9b::a9fe:a9fe', 'rfc6052'],
      ['2002:a9fe:a9fe::', '6to4'],
      ['::7f00:1', 'notGlobalUnicast'],
      ['2001:db8::1', 'reserved'],
    ])('given a resolved address %s, then it is refused as %s', (address, range) => {
      expect(refusalOf(policy, address, 'receiver.example')).toMatchObject({ range });
    });

    it.each([['93.184.215.14'], ['2606:4700:4700::1111'], ['10.20.3.4'], ['fd12::7']])('given %s (public, or in an allowed network), then it is allowed', (address) => {
      expect(refusalOf(policy, address, 'receiver.example')).toBeNull();
    });

    it('given an allowed host name, then any address it resolves to is allowed, whatever its case or trailing dot', () => {
      expect(refusalOf(policy, '127.0.0.1', 'hooks.onprem.test.')).toBeNull();
      expect(refusalOf(policy, '127.0.0.1', 'other.onprem.test')).not.toBeNull();
    });

    it('given the guarded lookup, when a name has one forbidden address among public ones, then it fails; otherwise it answers only the checked addresses, in the shape asked for', async () => {
      const answers: Record<string, Array<{ address: string; family: number }>> = {
        mixed: [
          { address: '93.184.215.14', family: 4 },
          { address: '10.0.0.1', family: 4 },
        ],
        good: [
          { address: '93.184.215.14', family: 4 },
          { address: '2606:4700:4700::1111', family: 6 },
        ],
      };
      const lookup = guardedLookup(policy, async (name) => answers[name] ?? []);
      const ask = (name: string, options: object) =>
        new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
          lookup(name, options, (error, address, family) => resolve({ error, address, family })),
        );
      expect((await ask('mixed', { all: true })).error?.code).toBe('ERR_WEBHOOK_ADDRESS_REFUSED');
      expect(await ask('good', { all: true })).toEqual({ error: null, address: answers.good, family: undefined });
      expect(await ask('good', { family: 6 })).toEqual({ error: null, address: '2606:4700:4700::1111', family: 6 });
      expect((await ask('nothing', {})).error?.code).toBe('ENOTFOUND');
    });
  });
});
