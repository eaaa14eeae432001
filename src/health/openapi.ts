import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';

export const healthApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getLiveness',
    tag: 'Operations',
    summary: 'Liveness: the process answers',
    roles: 'public',
    success: { status: 200, description: 'Alive', schema: z.object({ status: z.literal('ok') }) },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tag: 'Operations',
    summary: 'Readiness: each dependency (PostgreSQL, job queue) reported; 503 when one is down',
    roles: 'public',
    success: {
      status: 200,
      description: 'Ready',
      schema: z.object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), z.unknown()) }),
    },
  },
];

export const metricsApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'Operations',
    summary: 'Prometheus metrics (bearer METRICS_TOKEN when configured)',
    roles: 'public',
    success: { status: 200, description: 'Prometheus text exposition format', contentType: 'text/plain' },
    errors: [401],
  },
];
