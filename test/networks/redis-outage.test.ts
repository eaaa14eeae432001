import { forgetQueue, RedisProxy } from '../batches/redis-proxy';
import { api, bearer, createTestContext, query, type TestContext } from '../support/harness';
import { eventually, Receiver } from '../webhooks/support';
import { applicationOf, daysFromNow, depart, tourist } from './support';

jest.setTimeout(180_000);

const withRedis = process.env.REDIS_URL ? describe : describe.skip;

/** This context reaches Redis through its own proxy, so Redis can go away (and come back empty) for it alone. */
withRedis('cluster alerts when Redis fails', () => {
  const proxy = new RedisProxy();
  let ctx: TestContext;
  let officer: string;

  beforeAll(async () => {
    await proxy.start();
    ctx = await createTestContext({ REDIS_URL: proxy.url, OUTBOX_SWEEP_EVERY_MS: '300', WEBHOOK_DISPATCH_EVERY_MS: '300' });
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    await ctx.jobs.startWorking();
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await ctx.close();
    await proxy.stop();
  });

  const untilEnqueueRefused = () =>
    eventually(
      () =>
        Promise.race([
          ctx.jobs.enqueue('batches.sweep', {}).then(() => 'queued', (error: Error) => error.message),
          new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300)),
        ]),
      (outcome) => /Redis is not reachable/.test(outcome),
    );

  it('given Redis is down when the 3rd traveller of a cluster is screened, when Redis returns (empty), then the earlier members are still alerted and the cluster.alerted webhook is sent', async () => {
    const receiver = new Receiver();
    const admin = await ctx.tokenFor('admin', 'HQ');
    const subscribed = await api(ctx).post('/api/v1/webhooks').set(bearer(admin)).send({ url: await receiver.start(), events: ['cluster.alerted'] });
    expect(subscribed.status).toBe(201);
    try {
      const phone = '0812-9500-0001';
      const first = await depart(ctx, officer, tourist(501, daysFromNow(20), phone));
      const second = await depart(ctx, officer, tourist(502, daysFromNow(22), phone));
      expect([first.caseId, second.caseId]).toEqual([null, null]);

      await proxy.stop();
      await untilEnqueueRefused();
      const third = await depart(ctx, officer, tourist(503, daysFromNow(24), phone));
      expect(third.decision.hits.map((h) => h.ruleId)).toContain('context.link-cluster');
      // The alert job waits in PostgreSQL: its hand-over to Redis failed, and nothing was alerted.
      await eventually(
        async () => (await query<{ tried: number }>(ctx, `SELECT max(dispatch_attempts)::int AS tried FROM job_outbox WHERE dispatched_at IS NULL AND data->>'applicationId' = $1`, [third.id]))[0]!.tried,
        (tried) => tried > 0,
      );
      expect((await applicationOf(ctx, officer, first.id)).decisions).toHaveLength(1);

      // Redis comes back without its data (a restart without persistence).
      await forgetQueue(ctx.config.QUEUE_PREFIX);
      await proxy.start();

      for (const earlier of [first, second]) {
        const alerted = await eventually(
          () => applicationOf(ctx, officer, earlier.id),
          (a) => a.caseId !== null,
        );
        expect(alerted.decisions[0]).toMatchObject({ trigger: 'cluster', outcome: 'REVIEW' });
      }
      const event = await receiver.waitFor((r) => r.json.type === 'cluster.alerted' && r.json.data.applicationId === first.id);
      expect(event.json.data).toMatchObject({ triggerApplicationId: third.id, officeCode: 'TPI-CGK', result: 'case_opened', outcome: 'REVIEW', linkedBy: ['recruiterPhone'] });
      // No personal data in the event: no phone number.
      expect(event.body).not.toContain('9500');
      await receiver.waitFor((r) => r.json.type === 'cluster.alerted' && r.json.data.applicationId === second.id);
    } finally {
      await proxy.start().catch(() => undefined);
      await receiver.stop();
    }
  });
});
