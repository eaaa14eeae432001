import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { auditListQuery } from './routes';

const auditRecordSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ id: z.string().nullable(), role: z.string().nullable(), officeCode: z.string().nullable() }).nullable(),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string().nullable() }),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    seq: z.number().int().nullable().meta({ description: 'The seal’s place in the hash chain; null for records chained in line, and while the record waits to be sealed' }),
    prevHash: z.string().nullable(),
    hash: z.string().nullable().meta({ description: 'Null only while the record waits for the sealer (about a second)' }),
  })
  .meta({ id: 'AuditRecord' });

const chainReportSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    pending: z
      .object({ count: z.number().int(), oldestAt: z.string().nullable() })
      .meta({ description: 'Records committed but not sealed into the chain yet; the sealer runs every AUDIT_SEAL_EVERY_MS' }),
    head: z.object({ id: z.number().int(), seq: z.number().int().nullable(), hash: z.string() }).nullable(),
    firstBroken: z
      .object({
        id: z.number().int(),
        seq: z.number().int().nullable(),
        problem: z.enum(['unchained', 'broken_link', 'hash_mismatch', 'record_missing']),
        message: z.string(),
        previousId: z.number().int().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'AuditChainReport' });

export const auditApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/audit',
    operationId: 'listAuditRecords',
    tag: 'Audit',
    summary: 'The audit trail, newest first: filter by action (or prefix case.*), actor, target, office and time; offices outside headquarters see their own staff’s records',
    roles: ['supervisor', 'admin'],
    query: auditListQuery,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(auditRecordSchema), nextCursor: z.string().nullable() }) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/audit/verify',
    operationId: 'verifyAuditChain',
    tag: 'Audit',
    summary: 'Walk the hash chain and report the first broken link (its id and what is wrong), the records still waiting to be sealed, and the head hash to anchor elsewhere',
    roles: ['supervisor', 'admin'],
    success: { status: 200, description: 'The verification report', schema: chainReportSchema },
  },
];
