import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { idParams, listQuerySchema, uploadQuerySchema } from './routes';

const tag = 'Batches';
const uploaders = ['officer', 'passport_officer', 'supervisor'] as const;

const counts = z.object({
  received: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  screened: z.number().int(),
  pending: z.number().int(),
  byOutcome: z.object({ CLEAR: z.number().int(), REVIEW: z.number().int(), POSTPONE_RECOMMENDED: z.number().int() }),
});

const summary = z
  .object({
    id: z.uuid(),
    kind: z.enum(['departure', 'passport']),
    name: z.string().nullable(),
    format: z.enum(['csv', 'jsonl']),
    state: z.enum(['queued', 'running', 'completed']),
    officeCode: z.string(),
    submittedBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    received: z.number().int(),
    progress: z.number().int().min(0).max(100).meta({ description: 'Percent of rows screened or rejected; 100 once completed' }),
  })
  .meta({ id: 'BatchSummary' });

const status = summary
  .extend({
    counts,
    rejectedRows: z.array(
      z.object({ row: z.number().int(), problems: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })) }),
    ),
    rejectedRowsTruncated: z.boolean().meta({ description: 'More rejected rows than listed; all are in the results CSV' }),
    links: z.object({ results: z.string() }),
  })
  .meta({ id: 'BatchStatus' });

export const batchApi: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/batches',
    operationId: 'uploadBatch',
    tag,
    summary:
      'Upload a list for screening: text/csv with a header row of field paths (traveller.fullName, trip.departureAt, …; booleans true/false, lists separated by ;) ' +
      'or application/x-ndjson with one application body per line. Streamed into the database; each row is validated like a single request and bad rows are reported ' +
      'with row number and field paths. Answers at once; workers screen the rows exactly once each',
    roles: uploaders,
    query: uploadQuerySchema,
    success: {
      status: 202,
      description: 'Stored and queued',
      schema: z.object({
        id: z.uuid(),
        state: z.enum(['queued', 'completed']),
        kind: z.enum(['departure', 'passport']),
        counts: z.object({ received: z.number().int(), accepted: z.number().int(), rejected: z.number().int() }),
        links: z.object({ self: z.string(), results: z.string() }),
      }),
    },
    errors: [413, 415, 422],
  },
  {
    method: 'get',
    path: '/api/v1/batches',
    operationId: 'listBatches',
    tag,
    summary: 'Batches of your office (every office from headquarters), newest first',
    query: listQuerySchema,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(summary), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'get',
    path: '/api/v1/batches/:id',
    operationId: 'getBatch',
    tag,
    summary: 'State, counts by outcome, progress and the rejected rows (the first 1,000) of a batch',
    params: idParams,
    success: { status: 200, description: 'The batch', schema: status },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/batches/:id/results.csv',
    operationId: 'getBatchResultsCsv',
    tag,
    summary: 'One line per row: row,status,application_id,case_id,outcome,score,problems',
    params: idParams,
    success: { status: 200, description: 'CSV (UTF-8 with BOM, CRLF)', contentType: 'text/csv' },
    errors: [404],
  },
];
