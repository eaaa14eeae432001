import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { createBodySchema, entryPatchSchema } from './entries';
import { importColumns, MAX_IMPORT_ROWS } from './import';
import { entryListQuery, idParams, importQuery, revokeBodySchema, subjectEntryReaders, subjectKeepers } from './routes';

const entryView = z
  .object({
    id: z.uuid(),
    nik: z.string().nullable(),
    passportNumber: z.string().nullable(),
    fullName: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    reason: z.string(),
    source: z.string(),
    note: z.string().nullable(),
    barFrom: z.string(),
    barUntil: z.string().meta({ description: 'Exclusive' }),
    officeCode: z.string().meta({ description: 'The office that barred the person; the bar applies at every office' }),
    postponementId: z.uuid().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    revokeReason: z.string().nullable(),
    status: z.enum(['active', 'scheduled', 'expired', 'revoked']),
  })
  .meta({ id: 'SubjectOfInterestEntry' });

const importReport = z
  .object({
    importId: z.uuid(),
    dryRun: z.boolean(),
    summary: z.object({ rows: z.number().int(), created: z.number().int(), valid: z.number().int(), duplicates: z.number().int(), invalid: z.number().int() }),
    rows: z.array(
      z.object({
        row: z.number().int(),
        line: z.number().int(),
        status: z.enum(['created', 'valid', 'duplicate', 'invalid']),
        id: z.uuid().optional(),
        existingId: z.uuid().optional(),
        errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      }),
    ),
  })
  .meta({ id: 'SubjectImportReport' });

const tag = 'Subjects of interest';

export const subjectApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/subjects/entries',
    operationId: 'listSubjectEntries',
    tag,
    summary: "Subject-of-interest entries, newest first (the caller's office's; every office's at headquarters); q is a NIK, a passport number or a name",
    roles: subjectKeepers,
    query: entryListQuery,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(entryView), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'post',
    path: '/api/v1/subjects/entries',
    operationId: 'createSubjectEntry',
    tag,
    summary:
      'Bar a person from re-applying until barUntil: by NIK, passport number or full name with date of birth, or straight from a postponement (postponementId: its application\'s identifiers). Dates are days in WIB; barUntil runs through that day',
    roles: subjectKeepers,
    body: createBodySchema,
    example: { postponementId: '7d0c4f7e-7d3f-4a57-9a51-3b7f5d1c2a10', barUntil: '2027-06-30' },
    success: { status: 201, description: 'Added and audited', schema: entryView },
    errors: [403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/subjects/entries/:id',
    operationId: 'getSubjectEntry',
    tag,
    summary: 'One entry (the ones decisions cite as evidence)',
    roles: subjectEntryReaders,
    params: idParams,
    success: { status: 200, description: 'The entry', schema: entryView },
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/subjects/entries/:id',
    operationId: 'updateSubjectEntry',
    tag,
    summary: 'Change the reason, source, note or end of the bar of an entry that is not revoked',
    roles: subjectKeepers,
    params: idParams,
    body: entryPatchSchema,
    example: { barUntil: '2027-12-31' },
    success: { status: 200, description: 'Changed and audited with before and after', schema: entryView },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/subjects/entries/:id/revoke',
    operationId: 'revokeSubjectEntry',
    tag,
    summary: 'End an entry from now on: it stops matching new screenings and stays for the decisions that cite it',
    roles: subjectKeepers,
    params: idParams,
    body: revokeBodySchema,
    example: { reason: 'documents completed; bar lifted by the head of office' },
    success: { status: 200, description: 'Revoked and audited', schema: entryView },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/subjects/import',
    operationId: 'importSubjectEntries',
    tag,
    summary: `Bulk import. The body is text/csv with a header row of ${importColumns.join(', ')} (reason, source and barUntil required; at most ${MAX_IMPORT_ROWS} rows). The answer reports every row; dryRun=true stores nothing`,
    roles: subjectKeepers,
    query: importQuery,
    success: { status: 200, description: 'The report per row', schema: importReport },
    errors: [413, 415],
  },
];
