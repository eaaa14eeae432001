import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { decisionSchema } from '../screening/openapi-schemas';
import { backtestSchema, listQuery, replayParams, replayQuery, rescreenSchema, ruleOutcomesQuery, runParams, uploadSchema, versionParams } from './routes';

const outcomeCounts = z.object({ CLEAR: z.number().int(), REVIEW: z.number().int(), POSTPONE_RECOMMENDED: z.number().int() });

const ruleSetSummarySchema = z
  .object({
    version: z.string().meta({ example: 'rs-0123456789abcdef' }),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(['active', 'draft', 'retired']),
    ruleCount: z.number().int(),
    source: z.enum(['directory', 'upload']),
    note: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    firstPublishedAt: z.string().nullable(),
    hasFairnessReport: z.boolean(),
  })
  .meta({ id: 'RuleSetSummary' });

const ruleSetSchema = ruleSetSummarySchema
  .extend({
    files: z.record(z.string(), z.string()).meta({ description: 'The YAML and list files, by path relative to the set' }),
    tests: z.unknown().meta({ description: 'Its own rule-level tests at upload: passed, failed, failures' }),
    fairness: z.unknown().meta({ description: 'The latest fairness report (see GET …/fairness)' }),
    activations: z.array(z.object({ id: z.number().int(), version: z.string(), previousVersion: z.string().nullable(), action: z.enum(['initial', 'publish', 'rollback']), actorId: z.string().nullable(), at: z.string() })),
  })
  .meta({ id: 'RuleSet' });

const groupRates = z.object({
  group: z.string(),
  count: z.number().int(),
  flagged: z.number().int(),
  flagRate: z.number(),
  flagRatio: z.number().nullable(),
  postponeRecommended: z.number().int(),
  postponeRate: z.number(),
  postponeRatio: z.number().nullable(),
  smallSample: z.boolean(),
});
const fairnessSchema = z
  .object({
    overall: z.object({ count: z.number().int(), flagged: z.number().int(), flagRate: z.number(), postponeRecommended: z.number().int(), postponeRate: z.number() }),
    bySex: z.array(groupRates),
    byAgeBand: z.array(groupRates),
    byProvince: z.array(groupRates),
    minimumGroupSize: z.number().int(),
  })
  .meta({ id: 'FairnessReport' });

const outcomeCountsShape = {
  hits: z.number().int().meta({ description: 'Applications whose latest decision carries the hit' }),
  cleared: z.number().int(),
  postponed: z.number().int(),
  referred: z.number().int(),
  open: z.number().int().meta({ description: 'A case still waits in the queue (open or claimed)' }),
  awaitingApproval: z.number().int().meta({ description: 'Postponed by an officer, waiting for the second person' }),
  noCase: z.number().int().meta({ description: 'CLEAR: no person was asked' }),
  postponedShare: z.number().nullable().meta({ description: 'postponed / (cleared + postponed + referred); null before anyone decided' }),
};
export const ruleOutcomesSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    office: z.string().nullable(),
    kind: z.string().nullable(),
    version: z.string().nullable(),
    applications: z.number().int().meta({ description: 'Applications in the window decided by the version, hit or not' }),
    rules: z.array(z.object({ ruleId: z.string(), ...outcomeCountsShape, byOffice: z.array(z.object({ office: z.string(), ...outcomeCountsShape })) })),
  })
  .meta({ id: 'RuleOutcomes' });

const backtestReportSchema = z
  .object({
    version: z.string(),
    baselineVersion: z.string(),
    range: z.object({ from: z.string(), to: z.string(), kind: z.enum(['departure', 'passport']).nullable() }),
    evaluated: z.number().int(),
    unevaluable: z.object({ count: z.number().int(), sampleIds: z.array(z.uuid()) }),
    outcomes: z.object({ old: outcomeCounts, new: outcomeCounts, stored: outcomeCounts }),
    flaggedDelta: z.number().int(),
    transitions: z.record(z.string(), outcomeCounts).meta({ description: 'transitions[old][new]' }),
    samples: z.record(z.string(), z.array(z.uuid())).meta({ description: 'Up to 10 application ids per "OLD->NEW" transition' }),
    rules: z.array(z.object({ ruleId: z.string(), old: z.number().int(), new: z.number().int(), delta: z.number().int() })),
    fairness: z.object({ old: fairnessSchema, new: fairnessSchema }),
    ruleOutcomes: ruleOutcomesSchema.optional().meta({ description: 'How the stored decisions in the window ended, per rule (all versions)' }),
  })
  .meta({ id: 'BacktestReport' });

const runState = z.enum(['queued', 'running', 'done', 'failed']);
const backtestSchemaOut = z
  .object({
    id: z.uuid(),
    version: z.string(),
    baselineVersion: z.string(),
    rangeFrom: z.string(),
    rangeTo: z.string(),
    kind: z.enum(['departure', 'passport']).nullable(),
    state: runState,
    trigger: z.enum(['request', 'publish']),
    total: z.number().int(),
    processed: z.number().int(),
    report: backtestReportSchema.nullable().optional(),
    error: z.string().nullable(),
  })
  .loose()
  .meta({ id: 'Backtest' });

const rescreenSchemaOut = z
  .object({
    id: z.uuid(),
    version: z.string(),
    officeCode: z.string().nullable(),
    kind: z.enum(['departure', 'passport']).nullable(),
    state: runState,
    total: z.number().int(),
    processed: z.number().int(),
    rescreened: z.number().int(),
    outcomeChanged: z.number().int(),
    alreadyCurrent: z.number().int(),
    failed: z.number().int(),
    error: z.string().nullable(),
  })
  .loose()
  .meta({ id: 'Rescreen' });

const uploadExample = {
  files: {
    'manifest.yaml': 'name: strict-cambodia\nthresholds:\n  review: 20\n  postpone: 70\n',
    'rules/destination.yaml': [
      'rules:',
      '  - id: destination.cambodia',
      '    title: { id: Tujuan Kamboja, en: Destination Cambodia }',
      '    reason: { id: Kamboja adalah tujuan utama perekrutan sindikat penipuan daring., en: Cambodia is the main destination of online-scam recruitment. }',
      '    appliesTo: [departure]',
      '    weight: 20',
      '    source: Kemlu RI advisories',
      '    when: { field: trip.destinationCountry, eq: KH }',
      '',
    ].join('\n'),
  },
  note: 'Cambodia alone is reviewed',
};

const admin = ['admin'] as const;
const readers = ['admin', 'supervisor'] as const;

export const rulesetApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/rulesets',
    operationId: 'listRuleSets',
    tag: 'Rule sets',
    summary: 'Every stored rule-set version, newest first, with which one is active',
    roles: readers,
    query: listQuery,
    success: { status: 200, description: 'One page', schema: z.object({ active: z.string().nullable(), items: z.array(ruleSetSummarySchema), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version',
    operationId: 'getRuleSet',
    tag: 'Rule sets',
    summary: 'One version (or `active`) with its YAML files, its tests at upload, its fairness report and its activation history',
    roles: readers,
    params: versionParams,
    success: { status: 200, description: 'The version', schema: ruleSetSchema },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/rulesets',
    operationId: 'uploadRuleSet',
    tag: 'Rule sets',
    summary:
      'Upload a draft as files { path: content } (manifest.yaml, rules/*.yaml, list files, optional tests/*.yaml). Validated like `npm run rules:check`: 422 lists every problem as file:line; its own tests must pass. The same content again answers 200 with the stored version.',
    roles: admin,
    body: uploadSchema,
    example: uploadExample,
    success: { status: 201, description: 'Stored as a draft (200: already stored)', schema: ruleSetSummarySchema.extend({ created: z.boolean(), tests: z.unknown() }) },
    errors: [422],
  },
  {
    method: 'post',
    path: '/api/v1/rulesets/:version/publish',
    operationId: 'publishRuleSet',
    tag: 'Rule sets',
    summary: 'Make a version active for new screenings in every API and worker process (PostgreSQL NOTIFY, within seconds; a poll covers missed notifications). Computes its fairness report in the background if it has none.',
    roles: admin,
    params: versionParams,
    success: { status: 200, description: 'Active', schema: z.object({ active: z.string(), previous: z.string().nullable() }) },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/rulesets/:version/rollback',
    operationId: 'rollbackRuleSet',
    tag: 'Rule sets',
    summary: 'Undo the publish of the active version: the version active before it is active again (409 when :version is not active or nothing was active before it)',
    roles: admin,
    params: versionParams,
    success: { status: 200, description: 'Rolled back', schema: z.object({ active: z.string(), rolledBack: z.string() }) },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/rulesets/:version/backtest',
    operationId: 'startBacktest',
    tag: 'Rule sets',
    summary:
      'Re-evaluate the stored applications received in [from, to) under this version and a baseline (default: the active version), writing nothing: outcome counts old vs new, transition matrix, per-rule hits and deltas, sample applications per transition, fairness. Up to 2,000 applications run inline (201); larger ranges, or background: true, run as a job (202; poll the Location).',
    roles: admin,
    params: versionParams,
    body: backtestSchema,
    example: { from: '2026-10-01', to: '2026-11-01', kind: 'departure' },
    success: { status: 201, description: 'Done inline (202: queued)', schema: backtestSchemaOut },
    errors: [404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/backtests',
    operationId: 'listBacktests',
    tag: 'Rule sets',
    summary: 'Backtests of a version, newest first (without their reports)',
    roles: readers,
    params: versionParams,
    query: listQuery,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(backtestSchemaOut), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/backtests/:id',
    operationId: 'getBacktest',
    tag: 'Rule sets',
    summary: 'One backtest: its state, progress and (when done) its report',
    roles: readers,
    params: runParams,
    success: { status: 200, description: 'The backtest', schema: backtestSchemaOut },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/fairness',
    operationId: 'getFairnessReport',
    tag: 'Rule sets',
    summary: 'The fairness report stored with the version (from its latest backtest): flag and postpone-recommendation rates by sex, age band and province, with ratios to the overall rate',
    roles: readers,
    params: versionParams,
    success: { status: 200, description: 'The report', schema: fairnessSchema.extend({ version: z.string(), backtestId: z.uuid(), comparedWith: z.string(), computedAt: z.string() }).loose() },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/rule-outcomes',
    operationId: 'getRuleOutcomes',
    tag: 'Rule sets',
    summary:
      "Per rule over a window of receipt (default the last 30 days): how many applications the version's latest decision hit, and how they ended once a person decided (cleared, postponed, referred) or that they are still open, overall and per office. Supervisors and admins outside headquarters see their own office",
    roles: readers,
    params: versionParams,
    query: ruleOutcomesQuery,
    success: { status: 200, description: 'The figures', schema: ruleOutcomesSchema },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/rulesets/:version/rescreen',
    operationId: 'startRescreen',
    tag: 'Rule sets',
    summary:
      'Re-screen the undecided review cases (open or claimed) under the active version, as a job: each gets a new decision linked to the one it supersedes; none is overwritten. Offices outside headquarters re-screen their own cases.',
    roles: readers,
    params: versionParams,
    body: rescreenSchema,
    example: { kind: 'departure' },
    success: { status: 202, description: 'Queued; poll the Location', schema: rescreenSchemaOut },
    errors: [404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/rescreens/:id',
    operationId: 'getRescreen',
    tag: 'Rule sets',
    summary: 'One re-screen: state and counts',
    roles: readers,
    params: runParams,
    success: { status: 200, description: 'The re-screen', schema: rescreenSchemaOut },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/applications/:id/replay',
    operationId: 'replayApplication',
    tag: 'Rule sets',
    summary:
      'Re-evaluate a stored application under any stored version (default: the active one) without writing anything, with the context resolved as at its receipt; says whether it reproduces the stored decision of that version',
    roles: readers,
    params: replayParams,
    query: replayQuery,
    success: {
      status: 200,
      description: 'The replayed decision',
      schema: z.object({ applicationId: z.uuid(), version: z.string(), receivedAt: z.string(), decision: decisionSchema, storedDecision: z.unknown().nullable(), matchesStoredDecision: z.boolean().nullable() }),
    },
    errors: [404, 422],
  },
];
