import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { carrierFeedBody, checkpointParams, expectedDepartureReaders, expectedDeparturesQuery, idParams, manifestUploaders } from './routes';

const tag = 'Manifests';

const translated = z.object({ id: z.string(), en: z.string() });
const status = z
  .object({
    id: z.uuid(),
    sender: z.string(),
    interchangeRef: z.string(),
    format: z.enum(['paxlst', 'csv']),
    officeCode: z.string(),
    state: z.enum(['screening', 'completed']),
    receivedAt: z.string(),
    completedAt: z.string().nullable(),
    counts: z.object({
      messages: z.number().int(),
      passengers: z.number().int(),
      toScreen: z.number().int().meta({ description: 'Indonesian passengers, screened as the manifest kind' }),
      screened: z.number().int(),
      flagged: z.number().int(),
      notScreened: z.number().int().meta({ description: 'Other nationalities: stored, not screened' }),
      withoutDocument: z.number().int().meta({ description: 'Passengers whose message carried no document number (stored and marked)' }),
      ignoredSegments: z.number().int().meta({ description: 'Segments the mapping does not read, counted' }),
    }),
    ignoredTags: z.array(z.string()),
    progress: z.number().int().min(0).max(100),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: 'ManifestStatus' });

const passenger = z
  .object({
    id: z.uuid(),
    fullName: z.string(),
    nationality: z.string().nullable(),
    documentNumber: z.string().nullable(),
    withoutDocument: z.boolean(),
    status: z.enum(['pending', 'screened', 'not_screened']),
    outcome: z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']).nullable(),
    score: z.number().int().nullable(),
    reasons: z.array(z.object({ ruleId: z.string(), weight: z.number(), title: translated, reason: translated, evidence: z.record(z.string(), z.unknown()) })),
    departureCheckId: z.uuid().nullable(),
  })
  .loose()
  .meta({ id: 'ManifestPassenger' });

export const manifestApi: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/manifests',
    operationId: 'createManifest',
    tag,
    summary:
      'Receive a passenger manifest: a UN/EDIFACT PAXLST interchange (D:02B to D:05B, one or more UNH messages; parts of one flight are joined) as application/edifact, ' +
      'or a ferry manifest as text/csv (header in the README). Stored whole, then each Indonesian passenger is pre-screened in chunks through the job outbox. ' +
      'A resend of the same interchange (sender and reference) answers 200 with the stored manifest. A malformed interchange answers 422 naming the segment number, tag and problem, and nothing is stored',
    roles: manifestUploaders,
    bodyContentTypes: ['application/edifact', 'text/csv'],
    success: { status: 201, description: 'Stored; screening runs in the background (200 with replay: true for a resend)', schema: status.extend({ replay: z.boolean() }) },
    errors: [413, 415, 422],
  },
  {
    method: 'get',
    path: '/api/v1/manifests/:id',
    operationId: 'getManifest',
    tag,
    summary: "A manifest's state, counts and screening progress, with its flights",
    roles: [...manifestUploaders, 'admin'],
    params: idParams,
    success: { status: 200, description: 'The manifest', schema: status.extend({ flights: z.array(z.object({ id: z.uuid(), flightOrVessel: z.string(), departureAt: z.string(), messageRefs: z.array(z.string()) })) }) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/checkpoints/:code/expected-departures',
    operationId: 'listExpectedDepartures',
    tag,
    summary:
      'Flights and sailings leaving the checkpoint in [from, to) (default: from two hours ago, for 24 hours) with their manifest passengers, each with the pre-screen outcome, score and reasons; ' +
      'flagged passengers and flights first. Only your own checkpoint unless you work at headquarters',
    roles: expectedDepartureReaders,
    params: checkpointParams,
    query: expectedDeparturesQuery,
    success: {
      status: 200,
      description: 'The expected departures',
      schema: z.object({
        checkpointCode: z.string(),
        from: z.string(),
        to: z.string(),
        flights: z.array(
          z.object({
            id: z.uuid(),
            mode: z.enum(['air', 'sea']),
            carrier: z.string().nullable(),
            flightOrVessel: z.string(),
            departurePort: z.string(),
            arrivalPort: z.string(),
            destinationCountry: z.string().nullable(),
            departureAt: z.string(),
            counts: z.object({ passengers: z.number().int(), flagged: z.number().int(), pending: z.number().int(), notScreened: z.number().int(), withoutDocument: z.number().int() }),
            passengers: z.array(passenger),
          }),
        ),
      }),
    },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/manifest-passengers/:id',
    operationId: 'getManifestPassenger',
    tag,
    summary: 'One manifest passenger with its pre-screen and the departure-check fields the manifest fills in (prefill); a departure check with the same passport number is linked to it',
    roles: expectedDepartureReaders,
    params: idParams,
    success: { status: 200, description: 'The passenger', schema: passenger.extend({ departureCheckPrefill: z.record(z.string(), z.unknown()) }) },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/carrier-feeds',
    operationId: 'createCarrierFeed',
    tag,
    summary:
      "Create a carrier feed: a machine account posted at one checkpoint and its long-lived token (validDays, default 365), which may only upload manifests and read their status. " +
      'Revoke it by deactivating the account',
    roles: ['admin'],
    body: carrierFeedBody,
    example: { checkpointCode: 'CGK', carrierName: 'Garuda Indonesia', validDays: 365 },
    success: { status: 201, description: 'The account and its token (shown once)', schema: z.object({ userId: z.uuid(), username: z.string(), checkpointCode: z.string(), token: z.string(), expiresIn: z.number().int() }) },
    errors: [422],
  },
  {
    method: 'delete',
    path: '/api/v1/carrier-feeds/:id',
    operationId: 'revokeCarrierFeed',
    tag,
    summary: 'Revoke a carrier feed: the account is deactivated and its token stops working at once',
    roles: ['admin'],
    params: idParams,
    success: { status: 204, description: 'Revoked' },
    errors: [404],
  },
];
