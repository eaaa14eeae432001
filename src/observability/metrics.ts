import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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
