import { isDeepStrictEqual } from 'node:util';
import { Router, type Request } from 'express';
import { and, desc, eq, getTableColumns, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { applications, decisions } from '../applications/schema';
import { principalOf, requireRole } from '../auth/middleware';
import { invalidField } from '../errors';
import { notFound, unprocessable } from '../http/errors';
import { cursorCodec, cursorFields, paginationQuery } from '../http/pagination';
import { fromBound, jakartaDateBound, toBound } from '../postponements/time';
import { ruleOutcomes } from './outcomes';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { applicationOf, contextFor, evaluateStored } from './evaluate';
import { compileStored, StoredRuleSetError } from './loading';
import { ruleSetActivations, ruleSetBacktests, ruleSetRescreens, ruleSets, type RuleSetRow } from './schema';
import { publish, requestBacktest, requestRescreen, rollback, uploadDraft } from './service';
import { activeVersion, findRuleSet } from './store';

const versionSchema = z.string().regex(/^rs-[0-9a-f]{16}$/, 'a rule-set version looks like rs- and 16 hex digits');
/** `active` names whichever version is active. */
export const versionParams = z.object({ version: versionSchema.or(z.literal('active')) });
export const runParams = z.object({ version: versionSchema.or(z.literal('active')), id: z.uuid() });
const instant = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((v) => new Date(v));
const kindSchema = z.enum(['departure', 'passport']);

/** Relative paths inside the set; no absolute paths, no `..`, only YAML and list files. */
const filePath = z
  .string()
  .max(200)
  .regex(/^(?!\/)(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._/-]+\.(?:ya?ml|txt)$/, 'file paths are relative and end in .yaml, .yml or .txt');
export const uploadSchema = z.strictObject({
  files: z
    .record(filePath, z.string().max(1_000_000))
    .refine((files) => Object.keys(files).length > 0, 'at least manifest.yaml and one rules/*.yaml file')
    .refine((files) => Object.keys(files).length <= 500, 'at most 500 files'),
  note: z.string().trim().min(1).max(2000).optional(),
});

export const backtestSchema = z
  .strictObject({
    from: instant,
    to: instant,
    kind: kindSchema.optional(),
    baseline: versionSchema.optional(),
    background: z.boolean().optional(),
  })
  .refine((b) => b.from < b.to, { message: 'from must be before to', path: ['to'] });

export const rescreenSchema = z.strictObject({ office: z.string().min(1).max(40).optional(), kind: kindSchema.optional() });
export const replayParams = z.object({ id: z.uuid() });
export const replayQuery = z.strictObject({ version: versionSchema.optional() });
export const listQuery = z.strictObject(paginationQuery);

/** Keyset cursors over (created_at, key); the timestamp keeps PostgreSQL's text form (microseconds). */
const { encode, decode } = cursorCodec(z.strictObject({ at: cursorFields.at, key: z.string().min(1).max(60) }));
/** Backtests are keyed by their uuid. */
const backtestCursor = cursorCodec(z.strictObject({ at: cursorFields.at, key: cursorFields.id }));
export const ruleOutcomesQuery = z.strictObject({
  from: jakartaDateBound.optional().meta({ description: 'Received from (default: 30 days before `to`)' }),
  to: jakartaDateBound.optional().meta({ description: 'Received until (default: now)' }),
  office: z.string().trim().min(1).max(40).optional(),
  kind: kindSchema.optional(),
});

const actorOf = (req: Request) => {
  const principal = principalOf(req);
  return { actor: { userId: principal.userId, role: principal.role, officeCode: principal.officeCode }, requestId: String(req.id) };
};

function statusOf(row: RuleSetRow, active: string | null) {
  if (row.version === active) return 'active';
  return row.firstPublishedAt ? 'retired' : 'draft';
}

function summaryOf(row: RuleSetRow, active: string | null) {
  return {
    version: row.version,
    name: row.name,
    description: row.description,
    status: statusOf(row, active),
    ruleCount: row.ruleCount,
    source: row.source,
    note: row.note,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    firstPublishedAt: row.firstPublishedAt,
    hasFairnessReport: row.fairness !== null,
  };
}

/** Rule-set lifecycle routes, and replay of a stored application under any version. */
export function rulesetRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();
  const readers = requireRole('admin', 'supervisor');
  const admins = requireRole('admin');

  async function resolveVersion(req: Request): Promise<string> {
    const { version } = parseParams(versionParams, req);
    if (version !== 'active') return version;
    const active = await activeVersion(db);
    if (!active) throw notFound('Active rule set');
    return active;
  }

  router.get('/rulesets', readers, async (req, res) => {
    const query = parseQuery(listQuery, req);
    const cursor = decode(query.cursor);
    const rows = await db
      .select({ row: ruleSets, at: sql<string>`${ruleSets.createdAt}::text` })
      .from(ruleSets)
      .where(
        cursor
          ? or(sql`${ruleSets.createdAt} < ${cursor.at}::timestamptz`, and(sql`${ruleSets.createdAt} = ${cursor.at}::timestamptz`, sql`${ruleSets.version} < ${cursor.key}`))
          : undefined,
      )
      .orderBy(desc(ruleSets.createdAt), desc(ruleSets.version))
      .limit(query.limit + 1);
    const active = await activeVersion(db);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    res.json({
      active,
      items: page.map(({ row }) => summaryOf(row, active)),
      nextCursor: rows.length > query.limit && last ? encode({ at: last.at, key: last.row.version }) : null,
    });
  });

  router.get('/rulesets/:version', readers, async (req, res) => {
    const version = await resolveVersion(req);
    const row = await findRuleSet(db, version);
    if (!row) throw notFound(`Rule set ${version}`);
    const activations = await db
      .select()
      .from(ruleSetActivations)
      .where(or(eq(ruleSetActivations.version, version), eq(ruleSetActivations.previousVersion, version)))
      .orderBy(desc(ruleSetActivations.id));
    res.json({ ...summaryOf(row, await activeVersion(db)), files: row.files, tests: row.tests, fairness: row.fairness, activations });
  });

  router.post('/rulesets', admins, async (req, res) => {
    const body = parseBody(uploadSchema, req);
    const { created, row } = await uploadDraft(db, body, actorOf(req));
    res.status(created ? 201 : 200).location(`/api/v1/rulesets/${row.version}`).json({ ...summaryOf(row, await activeVersion(db)), created, tests: row.tests });
  });

  router.post('/rulesets/:version/publish', admins, async (req, res) => {
    const version = await resolveVersion(req);
    res.json(await publish(deps, version, actorOf(req)));
  });

  router.post('/rulesets/:version/rollback', admins, async (req, res) => {
    const version = await resolveVersion(req);
    res.json(await rollback(deps, version, actorOf(req)));
  });

  router.post('/rulesets/:version/backtest', admins, async (req, res) => {
    const version = await resolveVersion(req);
    const body = parseBody(backtestSchema, req);
    const row = await requestBacktest(deps, version, { from: body.from, to: body.to, kind: body.kind ?? null, baseline: body.baseline, background: body.background }, actorOf(req));
    res
      .status(row.state === 'queued' || row.state === 'running' ? 202 : 201)
      .location(`/api/v1/rulesets/${version}/backtests/${row.id}`)
      .json(row);
  });

  router.get('/rulesets/:version/backtests', readers, async (req, res) => {
    const version = await resolveVersion(req);
    const query = parseQuery(listQuery, req);
    const cursor = backtestCursor.decode(query.cursor);
    const { report: _report, ...columns } = getTableColumns(ruleSetBacktests);
    const rows = await db
      .select({ ...columns, at: sql<string>`${ruleSetBacktests.createdAt}::text` })
      .from(ruleSetBacktests)
      .where(
        and(
          eq(ruleSetBacktests.version, version),
          cursor
            ? or(
                sql`${ruleSetBacktests.createdAt} < ${cursor.at}::timestamptz`,
                and(sql`${ruleSetBacktests.createdAt} = ${cursor.at}::timestamptz`, sql`${ruleSetBacktests.id} < ${cursor.key}::uuid`),
              )
            : undefined,
        ),
      )
      .orderBy(desc(ruleSetBacktests.createdAt), desc(ruleSetBacktests.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    res.json({
      items: page.map(({ at: _at, ...item }) => item),
      nextCursor: rows.length > query.limit && last ? backtestCursor.encode({ at: last.at, key: last.id }) : null,
    });
  });

  router.get('/rulesets/:version/backtests/:id', readers, async (req, res) => {
    const version = await resolveVersion(req);
    const { id } = parseParams(runParams, req);
    const [row] = await db.select().from(ruleSetBacktests).where(and(eq(ruleSetBacktests.id, id), eq(ruleSetBacktests.version, version)));
    if (!row) throw notFound('Backtest');
    res.json(row);
  });

  // Per rule over a window: hits of this version's decisions and how a person ended them; office-scoped like statistics.
  router.get('/rulesets/:version/rule-outcomes', readers, async (req, res) => {
    const version = await resolveVersion(req);
    const query = parseQuery(ruleOutcomesQuery, req);
    const scope = await visibleOffice(db, principalOf(req));
    if (scope !== null && query.office !== undefined && query.office !== scope) throw notFound('Office');
    const to = query.to === undefined ? new Date() : toBound(query.to);
    const from = query.from === undefined ? new Date(to.getTime() - 30 * 86_400_000) : fromBound(query.from);
    if (from >= to) throw invalidField('to', 'must be after from', 'query');
    res.json(await ruleOutcomes(db, { from, to, office: query.office ?? scope, kind: query.kind, version }));
  });

  router.get('/rulesets/:version/fairness', readers, async (req, res) => {
    const version = await resolveVersion(req);
    const row = await findRuleSet(db, version);
    if (!row) throw notFound(`Rule set ${version}`);
    if (!row.fairness) throw notFound(`Fairness report for ${version} (run a backtest of it to compute one)`);
    res.json({ version, ...(row.fairness as object) });
  });

  router.post('/rulesets/:version/rescreen', requireRole('admin', 'supervisor'), async (req, res) => {
    const version = await resolveVersion(req);
    const body = parseBody(rescreenSchema, req);
    const own = await visibleOffice(db, principalOf(req));
    if (own && body.office && body.office !== own) throw unprocessable(`You may re-screen only the cases of your office (${own})`);
    const row = await requestRescreen(deps, version, { officeCode: own ?? body.office ?? null, kind: body.kind ?? null }, actorOf(req));
    res.status(202).location(`/api/v1/rulesets/${version}/rescreens/${row.id}`).json(row);
  });

  router.get('/rulesets/:version/rescreens/:id', requireRole('admin', 'supervisor'), async (req, res) => {
    const version = await resolveVersion(req);
    const { id } = parseParams(runParams, req);
    const own = await visibleOffice(db, principalOf(req));
    const [row] = await db.select().from(ruleSetRescreens).where(and(eq(ruleSetRescreens.id, id), eq(ruleSetRescreens.version, version)));
    if (!row || (own && row.officeCode !== own)) throw notFound('Re-screen');
    res.json(row);
  });

  /**
   * Re-evaluates a stored application under a stored version (default: the active one) without
   * writing anything, with the context resolved as intake resolves it.
   */
  router.get('/applications/:id/replay', readers, async (req, res) => {
    const { id } = parseParams(replayParams, req);
    const query = parseQuery(replayQuery, req);
    const office = await visibleOffice(db, principalOf(req));
    const [row] = await db
      .select({ id: applications.id, kind: applications.kind, payload: applications.payload, submittedAt: applications.submittedAt, officeCode: applications.officeCode })
      .from(applications)
      .where(and(eq(applications.id, id), office ? eq(applications.officeCode, office) : undefined));
    if (!row) throw notFound('Application');
    const version = query.version ?? (await activeVersion(db));
    if (!version) throw notFound('Active rule set');
    const stored = await findRuleSet(db, version);
    if (!stored) throw notFound(`Rule set ${version}`);
    let compiled;
    try {
      compiled = compileStored(stored.version, stored.files);
    } catch (error) {
      if (error instanceof StoredRuleSetError) throw unprocessable(error.message);
      throw error;
    }
    const application = applicationOf(row);
    if (!application) throw unprocessable('The stored application is not a valid application and cannot be evaluated');
    const decision = evaluateStored(compiled, application, row, await contextFor(db, compiled, application, row));
    const [earlier] = await db
      .select()
      .from(decisions)
      .where(and(eq(decisions.applicationId, id), eq(decisions.ruleSetVersion, version)))
      .orderBy(desc(decisions.createdAt), desc(decisions.id))
      .limit(1);
    const same =
      earlier &&
      earlier.outcome === decision.outcome &&
      earlier.score === decision.score &&
      isDeepStrictEqual(earlier.hits, JSON.parse(JSON.stringify(decision.hits))) &&
      isDeepStrictEqual(earlier.suppressed ?? null, decision.suppressed ? JSON.parse(JSON.stringify(decision.suppressed)) : null);
    res.json({
      applicationId: id,
      version,
      receivedAt: row.submittedAt,
      decision,
      // The latest stored decision made with this version, if any, and whether the replay reproduces it.
      storedDecision: earlier ?? null,
      matchesStoredDecision: earlier ? Boolean(same) : null,
    });
  });

  return router;
}
