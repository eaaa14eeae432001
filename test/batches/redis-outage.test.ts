import { cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { eventually, Receiver } from '../webhooks/support';
import { forgetQueue, RedisProxy } from './redis-proxy';
import { departureRow, query, rowsStored, toJsonLines, upload, waitForCompletion } from './support';

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(180_000);

const withRedis = process.env.REDIS_URL ? describe : describe.skip;

/**
 * PostgreSQL is the truth and Redis only carries work: each context here reaches Redis through its own
 * proxy, so Redis can go away (and come back empty) for it alone.
 */
withRedis('when Redis fails', () => {
  const proxy = new RedisProxy();
  let ctx: TestContext;
  let officer: { id: string; token: string };

  beforeAll(async () => {
    await proxy.start();
    ctx = await createTestContext({
      REDIS_URL: proxy.url,
      BATCH_CHUNK_SIZE: '40',
      BATCH_STALL_SECONDS: '2',
      OUTBOX_SWEEP_EVERY_MS: '300',
      WEBHOOK_DISPATCH_EVERY_MS: '300',
    });
    officer = await ctx.userFor('officer', 'TPI-CGK');
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await ctx.close();
    await proxy.stop();
  });

  /**
   * Waits until a direct enqueue fails at once rather than waiting for Redis; requests use the outbox
   * instead. (Until the client notices the dropped connection, an enqueue still waits: each try gets a moment.)
   */
  const untilEnqueueRefused = () =>
    eventually(
      () =>
        Promise.race([
          ctx.jobs.enqueue('batches.sweep', {}).then(() => 'queued', (error: Error) => error.message),
          new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300)),
        ]),
      (outcome) => /Redis is not reachable/.test(outcome),
    );

  const undispatched = async () => (await query<{ n: number }>(ctx, 'SELECT count(*)::int AS n FROM job_outbox WHERE dispatched_at IS NULL'))[0]!.n;

  it('given a batch whose queued chunk jobs are lost in a Redis restart, when workers run again, then the sweep re-dispatches from PostgreSQL and every row is screened once', async () => {
    const total = 200;
    const res = await upload(ctx, officer.token, toJsonLines(Array.from({ length: total }, (_, i) => departureRow(i + 1))));
    expect(res.status).toBe(202);
    // The chunk jobs reached Redis; nobody is working yet.
    await eventually(undispatched, (n) => n === 0);

    await proxy.stop();
    expect(await forgetQueue(ctx.config.QUEUE_PREFIX)).toBeGreaterThan(0);
    await proxy.start();

    await ctx.jobs.startWorking();
    const done = await waitForCompletion(ctx, officer.token, res.body.id);
    expect(done.counts).toMatchObject({ received: total, screened: total, pending: 0 });
    expect(await rowsStored(ctx, res.body.id)).toEqual({ rows: total, applications: total, distinct_rows: total, screened: total });
    const [apps] = await query<{ n: number }>(ctx, 'SELECT count(*)::int AS n FROM applications WHERE submitted_by = $1', [officer.id]);
    expect(apps!.n).toBe(total);
  });

  it('given Redis is down, when a single screening and a batch arrive, then both are accepted, and when Redis returns the batch runs and the webhook is sent', async () => {
    await ctx.jobs.startWorking();
    const receiver = new Receiver();
    const admin = await ctx.tokenFor('admin', 'HQ');
    const subscribed = await api(ctx).post('/api/v1/webhooks').set(bearer(admin)).send({ url: await receiver.start(), events: ['case.created'] });
    expect(subscribed.status).toBe(201);
    try {
      await proxy.stop();
      await untilEnqueueRefused();

      const single = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(cambodiaLure());
      expect(single.status).toBe(201);
      expect(single.body.caseId).toEqual(expect.any(String));
      const batch = await upload(ctx, officer.token, toJsonLines([departureRow(1001), departureRow(1002), departureRow(1003)]));
      expect(batch.status).toBe(202);
      // The batch's chunk job waits in PostgreSQL: the hand-over to Redis failed.
      const [waiting] = await query<{ n: number; tried: number }>(
        ctx,
        `SELECT count(*)::int AS n, max(dispatch_attempts)::int AS tried FROM job_outbox WHERE dispatched_at IS NULL AND data->>'batchId' = $1`,
        [batch.body.id],
      );
      expect(waiting!.n).toBe(1);
      await eventually(
        async () => (await query<{ tried: number }>(ctx, `SELECT max(dispatch_attempts)::int AS tried FROM job_outbox WHERE data->>'batchId' = $1`, [batch.body.id]))[0]!.tried,
        (tried) => tried > 0,
      );
      expect(receiver.received).toHaveLength(0);

      await proxy.start();
      const done = await waitForCompletion(ctx, officer.token, batch.body.id);
      expect(done.counts).toMatchObject({ received: 3, screened: 3 });
      const event = await receiver.waitFor((r) => r.json.data.caseId === single.body.caseId);
      expect(event.json.type).toBe('case.created');
    } finally {
      await proxy.start().catch(() => undefined);
      await receiver.stop();
    }
  });

  it('given Redis is down, when an admin asks for a background backtest, then it is accepted and runs once Redis returns', async () => {
    await ctx.jobs.startWorking();
    const admin = await ctx.tokenFor('admin', 'HQ');
    const version = ctx.screener.ruleSetVersion;
    try {
      await proxy.stop();
      await untilEnqueueRefused();

      const queued = await api(ctx)
        .post(`/api/v1/rulesets/${version}/backtest`)
        .set(bearer(admin))
        .send({ from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', baseline: version, background: true });
      expect(queued.status).toBe(202);
      expect(queued.body.state).toBe('queued');
      const [waiting] = await query<{ n: number }>(ctx, `SELECT count(*)::int AS n FROM job_outbox WHERE dispatched_at IS NULL AND data->>'backtestId' = $1`, [queued.body.id]);
      expect(waiting!.n).toBe(1);

      await proxy.start();
      const done = await eventually(
        async () => (await api(ctx).get(queued.headers.location!).set(bearer(admin))).body,
        (body) => body.state === 'done' || body.state === 'failed',
      );
      expect(done.state).toBe('done');
    } finally {
      await proxy.start().catch(() => undefined);
    }
  });
});
