import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { linkKeys } from '../screening/subject';
import { clusterParams, clusterQuery } from './routes';

const outcome = z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']);
const member = z
  .object({
    id: z.uuid(),
    kind: z.enum(['departure', 'passport']),
    officeCode: z.string(),
    submittedAt: z.string(),
    departureAt: z.string().nullable(),
    linkedAt: z.string().meta({ description: 'Departure, or receipt for passport applications' }),
    outcome,
    score: z.number().int(),
    caseState: z.string().nullable(),
    sharedKeys: z.array(z.enum(linkKeys)),
    sameTraveller: z.boolean(),
  })
  .meta({ id: 'LinkedApplication' });

const cluster = z
  .object({
    application: z.object({ id: z.uuid(), kind: z.enum(['departure', 'passport']), officeCode: z.string(), linkedAt: z.string(), outcome }),
    keys: z.object(Object.fromEntries(linkKeys.map((key) => [key, z.string().nullable()]))),
    withinDays: z.number().int(),
    items: z.array(member),
    otherOffices: z.array(z.object({ officeCode: z.string(), count: z.number().int() })).meta({ description: 'For callers scoped to one office: linked applications elsewhere, counted' }),
    truncated: z.boolean(),
  })
  .meta({ id: 'LinkCluster' });

export const linkApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/links/:applicationId',
    operationId: 'getApplicationLinks',
    tag: 'Link analysis',
    summary: 'The applications sharing a recruiter phone, sponsor phone, employer or ticket payer with this one within ± withinDays, in time order',
    params: clusterParams,
    query: clusterQuery,
    success: { status: 200, description: 'The cluster', schema: cluster },
    errors: [404],
  },
];
