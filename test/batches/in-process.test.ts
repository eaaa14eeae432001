import { cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { eventually, Receiver } from '../webhooks/support';
import { verifySignature } from '../../src/webhooks/signature';
import { departureRow, rowsStored, toCsv, upload, waitForCompletion } from './support';

// Background work on a shared 2-core machine can be slow; the waits below, not the clock, decide.
jest.setTimeout(180_000);

/** Without REDIS_URL the same job handlers run inside the API process: what the user sees is the same. */
describe('background work without Redis', () => {
  let ctx: TestContext;
  let officer: string;
  let admin: string;
  const receiver = new Receiver();

  beforeAll(async () => {
    ctx = await createTestContext({
      REDIS_URL: '',
      BATCH_CHUNK_SIZE: '25',
      WEBHOOK_DISPATCH_EVERY_MS: '200',
      WEBHOOK_BACKOFF_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '3',
    });
    expect(ctx.jobs.kind).toBe('in-process');
    await ctx.jobs.startWorking();
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
    admin = await ctx.tokenFor('admin', 'HQ');
  });
  afterAll(async () => {
    await ctx.close();
    await receiver.stop();
  });

  it('given a CSV batch with bad rows, when uploaded, then it is screened in-process with the same counts and rejected rows', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => departureRow(i + 1)) as Array<Record<string, any>>;
    rows[6]!.traveller.dateOfBirth = '1990-02-30';
    rows[99]!.trip.destinationCountry = 'Kamboja';
    const res = await upload(ctx, officer, toCsv(rows), 'text/csv');
    expect(res.status).toBe(202);
    const done = await waitForCompletion(ctx, officer, res.body.id);
    expect(done.counts).toMatchObject({ received: 120, accepted: 118, rejected: 2, screened: 118, pending: 0 });
    expect(done.rejectedRows.map((r: { row: number; problems: Array<{ path: string }> }) => [r.row, r.problems[0]!.path])).toEqual([
      [7, 'traveller.dateOfBirth'],
      [100, 'trip.destinationCountry'],
    ]);
    expect(await rowsStored(ctx, res.body.id)).toEqual({ rows: 120, applications: 118, distinct_rows: 118, screened: 118 });
  });

  it('given a subscriber, when a case opens, then the signed event is delivered in-process; a failing receiver is retried and dead-lettered', async () => {
    const url = await receiver.start();
    const sub = await api(ctx).post('/api/v1/webhooks').set(bearer(admin)).send({ url, events: ['case.created'] });
    const screened = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure());
    const got = await receiver.waitFor((r) => r.json.data.caseId === screened.body.caseId);
    expect(verifySignature(got.headers['saring-signature'] as string, got.body, sub.body.secret)).toBe(true);

    receiver.status = 503;
    const again = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure());
    const letters = await eventually(
      async () => (await api(ctx).get('/api/v1/webhooks/dead-letters').set(bearer(admin))).body.items as Array<Record<string, any>>,
      (items) => items.some((item) => item.payload.data.caseId === again.body.caseId),
    );
    expect(letters.find((item) => item.payload.data.caseId === again.body.caseId)).toMatchObject({ attempts: 3, lastStatus: 503 });
    expect(receiver.count((r) => r.json.data.caseId === again.body.caseId)).toBe(3);
  });
});
