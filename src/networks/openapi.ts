import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { linkKeys } from '../screening/subject';
import { recruiterKeys } from './known';
import { markKnownBody, networkParams, networkQuery, notificationParams, watchlistRecruiterBody } from './routes';
import { clusterAlertResults } from './schema';
import { edgeKeys } from './queries';

const outcome = z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']);
const bilingual = z.object({ id: z.string(), en: z.string() });
const clusterLinks = z.array(
  z.object({ by: z.enum(linkKeys), value: z.string().nullable(), withinDays: z.number().int(), atLeast: z.number().int(), travellers: z.number().int(), applicationIds: z.array(z.uuid()) }),
);

const node = z
  .object({
    id: z.uuid(),
    kind: z.enum(['departure', 'passport']),
    officeCode: z.string(),
    outcome,
    score: z.number().int(),
    submittedAt: z.string(),
    departureAt: z.string().nullable(),
    linkedAt: z.string(),
    caseId: z.uuid().nullable(),
    caseState: z.string().nullable(),
    person: z.string().meta({ description: 'Opaque within one response: the same token is the same person (NIK)' }),
    anchor: z.boolean(),
  })
  .meta({ id: 'NetworkNode' });

const network = z
  .object({
    anchor: z.uuid(),
    withinDays: z.number().int(),
    nodes: z.array(node),
    edges: z
      .array(z.object({ source: z.uuid(), target: z.uuid(), by: z.enum(edgeKeys) }))
      .meta({ description: 'Applications sharing one key value are chained in time order (n − 1 edges); `person` joins one person’s applications' }),
    sharedKeys: z.array(z.object({ by: z.enum(linkKeys), value: z.string(), applications: z.number().int() })),
    otherOffices: z.array(z.object({ officeCode: z.string(), count: z.number().int() })).meta({ description: 'For callers scoped to one office: linked applications elsewhere, counted' }),
    truncated: z.boolean(),
    alerts: z
      .array(
        z.object({
          id: z.uuid(),
          triggerApplicationId: z.uuid(),
          result: z.enum(clusterAlertResults),
          decisionId: z.uuid().nullable(),
          caseId: z.uuid().nullable(),
          evidence: z.object({ triggerApplicationId: z.uuid(), asOf: z.string(), links: clusterLinks }),
          createdAt: z.string(),
        }),
      )
      .meta({ description: 'Times a later application grew this application’s cluster, newest first, with the cluster as evidence' }),
  })
  .meta({ id: 'Network' });

const notification = z
  .object({
    id: z.uuid(),
    applicationId: z.uuid(),
    triggerApplicationId: z.uuid(),
    officeCode: z.string(),
    reason: z.enum(['departed', 'decided']),
    reasonText: bilingual,
    caseId: z.uuid().nullable(),
    kind: z.enum(['departure', 'passport']),
    departureAt: z.string().nullable(),
    linkedBy: z.array(z.enum(linkKeys)),
    createdAt: z.string(),
  })
  .meta({ id: 'ClusterNotification' });

const marked = z
  .object({
    applicationId: z.uuid(),
    added: z.array(z.object({ id: z.uuid(), list: z.string(), name: z.string().nullable(), phone: z.string().nullable(), licence: z.string().nullable() })),
    alreadyListed: z.array(z.object({ id: z.uuid(), list: z.string() })),
  })
  .meta({ id: 'KnownNetworkMarked' });

const supervisors = ['supervisor', 'admin'] as const;

export const networkApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/networks/notifications',
    operationId: 'listClusterNotifications',
    tag: 'Link analysis',
    summary: 'Members of grown clusters that were not re-opened (already departed, or decided by a person), unacknowledged, for the caller’s office',
    roles: supervisors,
    success: { status: 200, description: 'Notifications, newest first', schema: z.object({ items: z.array(notification) }) },
  },
  {
    method: 'post',
    path: '/api/v1/networks/notifications/:id/acknowledge',
    operationId: 'acknowledgeClusterNotification',
    tag: 'Link analysis',
    summary: 'Marks a cluster notification as seen (audited)',
    roles: supervisors,
    params: notificationParams,
    success: { status: 200, description: 'Acknowledged', schema: z.object({ id: z.uuid(), acknowledgedAt: z.string() }) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/networks/:applicationId',
    operationId: 'getNetwork',
    tag: 'Link analysis',
    summary: 'The network around an application: nodes (applications with outcome, office, departure, person token) and edges (the shared key) within ± withinDays, office-scoped as links are',
    roles: ['officer', 'passport_officer', 'supervisor', 'admin'],
    params: networkParams,
    query: networkQuery,
    success: { status: 200, description: 'The network', schema: network },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/networks/:applicationId/known',
    operationId: 'markKnownNetwork',
    tag: 'Link analysis',
    summary: 'Mark as known network: puts the keys the network shares (recruiter and sponsor phones, employer, placement agency) on the watchlists in one audited action',
    roles: supervisors,
    params: networkParams,
    body: markKnownBody,
    example: { source: 'Bareskrim referral 41/2026', validTo: '2027-12-31', note: 'Recruiter group moving travellers via Kuala Lumpur' },
    success: { status: 201, description: 'Entries added (and keys already listed)', schema: marked },
    errors: [404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/networks/:applicationId/recruiter-watchlist',
    operationId: 'watchlistRecruiter',
    tag: 'Link analysis',
    summary:
      "Watchlist the recruiter from a case: the recruiter's or sponsor's phone, the placement agency or the employer named on this application go on the watchlists in one audited action. The traveller is never added (a referral protects them; it never lists them)",
    roles: supervisors,
    params: networkParams,
    body: watchlistRecruiterBody,
    example: { keys: ['recruiterPhone', 'placementAgency'], source: 'Case TPI-CGK 2026-12-04, Telegram recruiter', validTo: '2027-12-31' },
    success: { status: 201, description: 'Entries added, keys already listed, and keys the application does not carry', schema: marked.extend({ missing: z.array(z.enum(recruiterKeys)) }) },
    errors: [404, 422],
  },
];
