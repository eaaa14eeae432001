import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createTestContext, type TestContext } from '../support/harness';
import { departureRow, query, rowsStored, toJsonLines, upload, waitForCompletion } from './support';

const root = path.resolve(__dirname, '../..');
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

/**
 * Exactly-once under a crash: a real worker process (`src/worker.ts`) is killed with SIGKILL while it
 * screens a batch, another one is started, and every row must end up screened once, none twice.
 */
withRedis('a worker killed mid-batch', () => {
  let ctx: TestContext;
  let officer: { id: string; token: string };
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // Small chunks, so the kill lands between chunks already stored and chunks still to do.
    ctx = await createTestContext({ BATCH_CHUNK_SIZE: '50' });
    officer = await ctx.userFor('officer', 'TPI-CGK');
  });
  afterAll(async () => {
    const running = workers.filter((worker) => worker.exitCode === null && worker.signalCode === null);
    for (const worker of running) worker.kill('SIGKILL');
    await Promise.all(running.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
    await ctx.close();
  });

  function startWorker(): ChildProcess {
    // node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a child process of
    // its own, which a SIGKILL of the CLI would leave running.
    const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: ctx.config.DATABASE_URL,
        REDIS_URL: ctx.config.REDIS_URL,
        QUEUE_PREFIX: ctx.config.QUEUE_PREFIX,
        JWT_SECRET: ctx.config.JWT_SECRET,
        // A killed worker's jobs are taken back within seconds, not the default half minute.
        JOB_LOCK_DURATION_MS: '2000',
        JOB_STALLED_INTERVAL_MS: '1000',
        BATCH_STALL_SECONDS: '5',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[worker ${worker.pid}] ${chunk}`));
    workers.push(worker);
    return worker;
  }

  async function screenedSoFar(batchId: string): Promise<number> {
    const [row] = await query<{ screened: number }>(ctx, 'SELECT screened FROM batches WHERE id = $1', [batchId]);
    return row!.screened;
  }

  it('given a batch being screened, when its worker is SIGKILLed and another started, then every row is screened exactly once', async () => {
    const total = 1_500;
    const res = await upload(ctx, officer.token, toJsonLines(Array.from({ length: total }, (_, i) => departureRow(i + 1))));
    expect(res.status).toBe(202);
    const batchId: string = res.body.id;

    const first = startWorker();
    const deadline = Date.now() + 120_000;
    while ((await screenedSoFar(batchId)) === 0) {
      if (Date.now() > deadline) throw new Error('the first worker screened nothing');
      if (first.exitCode !== null) throw new Error(`the first worker exited with ${first.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // A COMMIT already on the wire when the process died still lands; let it, then count.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const atKill = await screenedSoFar(batchId);
    // Killed mid-batch: some rows were stored, not all of them.
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);
    // Nothing screens while no worker runs: the kill reached the process doing the work.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await screenedSoFar(batchId)).toBe(atKill);

    startWorker();
    const done = await waitForCompletion(ctx, officer.token, batchId, 240_000);
    expect(done.counts).toMatchObject({ received: total, screened: total, rejected: 0, pending: 0 });
    expect(await rowsStored(ctx, batchId)).toEqual({ rows: total, applications: total, distinct_rows: total, screened: total });
    const [counts] = await query<{ applications: number; unlinked: number; decisions: number; audits: number }>(
      ctx,
      `SELECT count(*)::int AS applications,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.application_id = a.id))::int AS unlinked,
              (SELECT count(*)::int FROM decisions d JOIN applications x ON x.id = d.application_id WHERE x.submitted_by = $1) AS decisions,
              (SELECT count(*)::int FROM audit_log WHERE action = 'application.screened' AND actor_id = $1) AS audits
       FROM applications a WHERE a.submitted_by = $1`,
      [officer.id],
    );
    expect(counts).toEqual({ applications: total, unlinked: 0, decisions: total, audits: total });
    const [byOutcome] = await query<{ flagged: number; cases: number }>(
      ctx,
      `SELECT count(*) FILTER (WHERE r.outcome <> 'CLEAR')::int AS flagged, count(c.id)::int AS cases
       FROM batch_rows r LEFT JOIN cases c ON c.application_id = r.application_id WHERE r.batch_id = $1`,
      [batchId],
    );
    expect(byOutcome!.cases).toBe(byOutcome!.flagged);
  }, 300_000);
});
