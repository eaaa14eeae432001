import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { allowlistParties } from '../screening/subject';
import { allowlistEntryInputSchema } from './entries';
import { allowlistIdParams, allowlistListQuery, allowlistRevokeBody, allowlistRoles } from './routes';

const entryView = z
  .object({
    id: z.uuid(),
    partyType: z.enum(allowlistParties),
    name: z.string(),
    licence: z.string().nullable().meta({ description: 'Agencies: the P3MI, PPIU/PIHK or SIUPPAK licence number' }),
    nik: z.string().nullable(),
    passportNumber: z.string().nullable(),
    suppresses: z.array(z.string()).meta({ description: 'The rule ids whose hits the entry drops while in force' }),
    source: z.string(),
    note: z.string().nullable(),
    validFrom: z.string(),
    validUntil: z.string().meta({ description: 'Exclusive' }),
    addedBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    revokeReason: z.string().nullable(),
    label: z.string().meta({ description: 'How the party reads in a decision explanation (identifiers masked)' }),
    status: z.enum(['active', 'scheduled', 'expired', 'revoked']),
  })
  .meta({ id: 'AllowlistEntry' });

const tag = 'Allowlists';

export const allowlistApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/allowlists/entries',
    operationId: 'listAllowlistEntries',
    tag,
    summary: 'Allowlist entries, newest first; filter by party type, status or the rule they suppress',
    roles: allowlistRoles,
    query: allowlistListQuery,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(entryView), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'post',
    path: '/api/v1/allowlists/entries',
    operationId: 'createAllowlistEntry',
    tag,
    summary:
      'Add a verified party (placement, travel or crew agency by licence; a person cleared after review by NIK or passport) and the rules it suppresses until validUntil (required; a date runs through that day in WIB). National: it applies at every office',
    roles: allowlistRoles,
    body: allowlistEntryInputSchema,
    example: {
      partyType: 'crew_agency',
      name: 'PT Samudera Awak Nusantara',
      licence: 'SIUPPAK 12/2023/DJPL',
      suppresses: ['trip.one-way-without-id-pmi'],
      source: 'Ditjen Hubla SIUPPAK register, checked 2026-11-02',
      validUntil: '2027-11-01',
    },
    success: { status: 201, description: 'Added and audited', schema: entryView },
    errors: [422],
  },
  {
    method: 'get',
    path: '/api/v1/allowlists/entries/:id',
    operationId: 'getAllowlistEntry',
    tag,
    summary: 'One entry',
    roles: allowlistRoles,
    params: allowlistIdParams,
    success: { status: 200, description: 'The entry', schema: entryView },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/allowlists/entries/:id/revoke',
    operationId: 'revokeAllowlistEntry',
    tag,
    summary: 'End an entry now (entries are never edited or deleted, so replays of stored decisions reproduce them)',
    roles: allowlistRoles,
    params: allowlistIdParams,
    body: allowlistRevokeBody,
    example: { reason: 'licence suspended by KP2MI' },
    success: { status: 200, description: 'Revoked and audited', schema: entryView },
    errors: [404, 409],
  },
];
