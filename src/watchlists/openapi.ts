import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { watchlistKinds } from '../screening/subject';
import { entryInputSchema, entryPatchSchema } from './entries';
import { importColumns, MAX_IMPORT_BYTES, MAX_IMPORT_CELLS, MAX_IMPORT_RECORD_CHARS, MAX_IMPORT_ROWS } from './import';
import { entryListQuery, entryReaders, idParams, importQuery, revokeBodySchema, watchlistReaders } from './routes';

const entryView = z
  .object({
    id: z.uuid(),
    list: z.enum(watchlistKinds),
    name: z.string().nullable(),
    phone: z.string().nullable().meta({ description: 'E.164; phone entries only' }),
    licence: z.string().nullable(),
    country: z.string().nullable(),
    city: z.string().nullable(),
    source: z.string(),
    note: z.string().nullable(),
    validFrom: z.string(),
    validTo: z.string().nullable().meta({ description: 'Exclusive' }),
    addedBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    revokeReason: z.string().nullable(),
    label: z.string().meta({ description: 'How the entry reads in decision evidence' }),
    status: z.enum(['active', 'scheduled', 'expired', 'revoked']),
  })
  .meta({ id: 'WatchlistEntry' });

const rowReport = z
  .object({
    row: z.number().int(),
    line: z.number().int().meta({ description: 'Line of the CSV file the row starts on' }),
    status: z.enum(['created', 'valid', 'duplicate', 'invalid']),
    id: z.uuid().optional(),
    existingId: z.uuid().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'WatchlistImportRow' });

const importReport = z
  .object({
    importId: z.uuid(),
    dryRun: z.boolean(),
    summary: z.object({ rows: z.number().int(), created: z.number().int(), valid: z.number().int(), duplicates: z.number().int(), invalid: z.number().int() }),
    rows: z.array(rowReport),
  })
  .meta({ id: 'WatchlistImportReport' });

const tag = 'Watchlists';

export const watchlistApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/watchlists',
    operationId: 'listWatchlists',
    tag,
    summary: 'How many entries each watchlist (phone, agency, employer, address, person) has, by status',
    roles: watchlistReaders,
    success: {
      status: 200,
      description: 'Counts per list',
      schema: z.object({ lists: z.array(z.object({ list: z.enum(watchlistKinds), active: z.number().int(), scheduled: z.number().int(), expired: z.number().int(), revoked: z.number().int() })) }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/watchlists/entries',
    operationId: 'listWatchlistEntries',
    tag,
    summary: 'Watchlist entries, newest first; q is a phone number or a name (fuzzy)',
    roles: watchlistReaders,
    query: entryListQuery,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(entryView), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'post',
    path: '/api/v1/watchlists/entries',
    operationId: 'createWatchlistEntry',
    tag,
    summary: 'Add an entry. A date without a time is a day in WIB (UTC+7); validTo runs through that day',
    roles: ['admin'],
    body: entryInputSchema,
    example: { list: 'employer', name: 'Golden Star Trading Co., Ltd.', country: 'KH', city: 'Phnom Penh', source: 'Police report 55/2026', validTo: '2027-06-30' },
    success: { status: 201, description: 'Added and audited', schema: entryView },
    errors: [409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/watchlists/entries/:id',
    operationId: 'getWatchlistEntry',
    tag,
    summary: 'One entry (the ones decisions cite as evidence)',
    roles: entryReaders,
    params: idParams,
    success: { status: 200, description: 'The entry', schema: entryView },
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/watchlists/entries/:id',
    operationId: 'updateWatchlistEntry',
    tag,
    summary: 'Change fields of an entry that is not revoked (not its list); null clears an optional field',
    roles: ['admin'],
    params: idParams,
    body: entryPatchSchema,
    example: { note: 'licence renumbered', validTo: '2027-12-31' },
    success: { status: 200, description: 'Changed and audited with before and after', schema: entryView },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/watchlists/entries/:id/revoke',
    operationId: 'revokeWatchlistEntry',
    tag,
    summary: 'Take an entry off its list: it stops matching new screenings at once and stays for the decisions that cite it',
    roles: ['admin'],
    params: idParams,
    body: revokeBodySchema,
    example: { reason: 'number reassigned to an unrelated subscriber' },
    success: { status: 200, description: 'Revoked and audited', schema: entryView },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/watchlists/import',
    operationId: 'importWatchlistEntries',
    tag,
    summary:
      `Bulk import. The body is text/csv with a header row of ${importColumns.join(', ')} (list and source required; at most ${MAX_IMPORT_ROWS} rows). ` +
      'Valid rows are added set-based in one transaction, rolled back if the client disconnects before the commit; the answer reports every row (created, duplicate with the existing id, invalid with field errors and its line). dryRun=true reports without storing. ' +
      `Limits: ${MAX_IMPORT_BYTES} bytes (413), ${MAX_IMPORT_CELLS} cells or ${MAX_IMPORT_RECORD_CHARS} characters per record (400)`,
    roles: ['admin'],
    query: importQuery,
    success: { status: 200, description: 'The report per row', schema: importReport },
    errors: [413, 415],
  },
];
