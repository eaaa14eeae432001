import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import type { JobRunner } from '../jobs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so tests and multiple apps in one process never collide. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'saring_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly screenings = new Counter({
    name: 'saring_screenings_total',
    help: 'Applications screened, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly ruleHits = new Counter({
    name: 'saring_rule_hits_total',
    help: 'Rule hits by rule id',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });

  /** Pool gauges read at scrape time: how close the API is to running out of connections. */
  observePool(pool: Pool): void {
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
    gauge('saring_db_pool_connections', 'PostgreSQL connections open in the pool', () => pool.totalCount);
    gauge('saring_db_pool_idle', 'PostgreSQL connections idle in the pool', () => pool.idleCount);
    gauge('saring_db_pool_waiting', 'Queries waiting for a PostgreSQL connection', () => pool.waitingCount);
  }

  /** Review queue depth and oldest case age per office and state, read from PostgreSQL at scrape time. */
  observeReviewQueue(pool: Pool): void {
    type Row = { office: string; state: string; n: number; age: number };
    // The registry collects gauges concurrently: both share one query per scrape.
    let pending: Promise<Row[]> | null = null;
    const load = () =>
      (pending ??= pool
        .query<Row>(
          `SELECT office_code AS office, state::text AS state, count(*)::int AS n,
                  extract(epoch FROM now() - min(created_at))::float8 AS age
             FROM cases WHERE state <> 'decided' GROUP BY office_code, state`,
        )
        .then((result) => result.rows)
        // A scrape while PostgreSQL is down reports the other metrics rather than failing.
        .catch(() => [])
        .finally(() => {
          pending = null;
        }));
    const labelNames = ['office', 'state'] as const;
    const gauge = (name: string, help: string, value: (row: Row) => number) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        async collect() {
          const rows = await load();
          this.reset();
          for (const row of rows) this.set({ office: row.office, state: row.state }, value(row));
        },
      });
    gauge('saring_queue_cases', 'Undecided review cases by office and state', (row) => row.n);
    gauge('saring_queue_oldest_case_age_seconds', 'Age of the oldest undecided case by office and state', (row) => row.age);
  }

  /** Background jobs by state (BullMQ or in-process) and jobs still waiting in the PostgreSQL outbox. */
  observeJobs(jobs: JobRunner, pool: Pool): void {
    new Gauge({
      name: 'saring_jobs',
      help: `Background jobs by state (${jobs.kind}); absent while the queue cannot be reached`,
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = await jobs.counts();
        if (!counts) return;
        for (const [state, value] of Object.entries(counts)) this.set({ state }, value);
      },
    });
    this.countGauge(
      pool,
      'saring_job_outbox_undispatched',
      'Jobs recorded in PostgreSQL but not yet handed to the queue (grows while Redis is down)',
      'SELECT count(*)::int AS n FROM job_outbox WHERE dispatched_at IS NULL',
    );
  }

  /** Audit records committed but not hash-chained yet: a count that keeps growing means no sealer runs. */
  observeAuditSealing(pool: Pool): void {
    this.countGauge(
      pool,
      'saring_audit_unsealed_records',
      'Audit records committed but not yet sealed into the hash chain (the audit.seal job drains them every AUDIT_SEAL_EVERY_MS)',
      'SELECT count(*)::int AS n FROM audit_unsealed',
    );
  }

  /** A gauge set from a count query at scrape time; left as it was while PostgreSQL cannot answer. */
  private countGauge(pool: Pool, name: string, help: string, countQuery: string): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const result = await pool.query<{ n: number }>(countQuery).catch(() => null);
        if (result) this.set(result.rows[0]?.n ?? 0);
      },
    });
  }

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'saring_' });
  }

  countScreening(kind: string, decision: { outcome: string; hits: readonly { ruleId: string }[] }): void {
    this.screenings.inc({ kind, outcome: decision.outcome });
    for (const hit of decision.hits) this.ruleHits.inc({ rule: hit.ruleId });
  }

  /** Times each request under its route pattern (never the raw URL, which can carry ids). */
  httpTimer(): RequestHandler {
    return (req, res, next) => {
      const stop = this.httpDuration.startTimer();
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
        stop({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
