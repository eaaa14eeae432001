/** The rule-set lifecycle: upload a draft, publish, roll back, backtest, re-screen. */
import { eq, sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { recordAudit, type Actor } from '../audit/service';
import type { RootDatabase } from '../db/client';
import { conflict, notFound, unprocessable } from '../errors';
import { outboxFor, recordJob } from '../jobs/outbox';
import type { ApplicationKind } from '../screening/application-schema';
import { formatProblem, type RuleSetProblem } from '../screening/rules/loader';
import { BACKTEST_JOB, countInRange, INLINE_LIMIT, runBacktest } from './backtest';
import { compileStored, loadRuleSetFiles, runUploadedRuleTests, StoredRuleSetError } from './loading';
import { ActiveRuleSet } from './registry';
import { countUndecidedCases, RESCREEN_JOB } from './rescreen';
import { ruleSetActivations, ruleSetBacktests, ruleSetRescreens, ruleSets, type RuleSetBacktestRow, type RuleSetRescreenRow, type RuleSetRow } from './schema';
import { activationStack, activeVersion, findRuleSet, insertRuleSet, lockActivations, notifyActivation } from './store';

const problemDetails = (problems: RuleSetProblem[]) => problems.map((p) => ({ file: p.file, line: p.line, message: p.message, text: formatProblem(p) }));

/** How far back the fairness report computed after a publish looks. */
export const FAIRNESS_AFTER_PUBLISH_DAYS = 30;

interface Caller {
  actor: Actor;
  requestId: string | null;
}

async function storedOrNotFound(db: RootDatabase, version: string): Promise<RuleSetRow> {
  const row = await findRuleSet(db, version);
  if (!row) throw notFound(`Rule set ${version}`);
  return row;
}

/** A stored version that still compiles (the engine may since have changed what it accepts). */
function compiledOr422(row: RuleSetRow) {
  try {
    return compileStored(row.version, row.files);
  } catch (error) {
    if (error instanceof StoredRuleSetError) throw unprocessable(error.message);
    throw error;
  }
}

/**
 * Validates an uploaded draft with the loader (every problem with file:line, 422) and runs the rule
 * tests it brings along (a failing case is a problem too), then stores it. The same content is the
 * same version: uploading it again answers with the stored one.
 */
export async function uploadDraft(
  db: RootDatabase,
  input: { files: Record<string, string>; note?: string | undefined },
  caller: Caller,
): Promise<{ created: boolean; row: RuleSetRow }> {
  const outcome = loadRuleSetFiles(input.files);
  if (!outcome.ok) {
    const n = outcome.problems.length;
    throw unprocessable(`The rule set has ${n} problem${n === 1 ? '' : 's'}; first: ${formatProblem(outcome.problems[0]!)}`, problemDetails(outcome.problems));
  }
  const tests = runUploadedRuleTests(input.files);
  if (tests && tests.failed > 0) {
    throw unprocessable(`${tests.failed} of the rule set's own test cases fail; first: ${formatProblem(tests.failures[0]!)}`, problemDetails(tests.failures));
  }
  const created = await db.transaction((tx) =>
    insertRuleSet(tx, { loaded: outcome.loaded, source: 'upload', note: input.note ?? null, tests, actor: caller.actor, requestId: caller.requestId }),
  );
  return { created, row: await storedOrNotFound(db, outcome.loaded.version) };
}

/** Makes a stored version active for new screenings everywhere (listeners hear it on commit). */
export async function publish(deps: AppDependencies, version: string, caller: Caller): Promise<{ active: string; previous: string | null }> {
  const row = await storedOrNotFound(deps.db, version);
  compiledOr422(row);
  const previous = await deps.db.transaction(async (tx) => {
    await lockActivations(tx);
    const current = await activeVersion(tx);
    if (current === version) throw conflict(`Rule set ${version} is already active`);
    await tx.insert(ruleSetActivations).values({ version, previousVersion: current, action: 'publish', actorId: caller.actor.userId });
    await tx.update(ruleSets).set({ firstPublishedAt: sql`coalesce(${ruleSets.firstPublishedAt}, now())` }).where(eq(ruleSets.version, version));
    await recordAudit(tx, {
      actor: caller.actor,
      action: 'ruleset.published',
      targetType: 'rule_set',
      targetId: version,
      before: { active: current },
      after: { active: version },
      requestId: caller.requestId,
    });
    await notifyActivation(tx, version);
    return current;
  });
  await switchThisProcess(deps);
  if (!row.fairness) await scheduleFairnessReport(deps, version, previous ?? version, caller);
  return { active: version, previous };
}

/**
 * Undoes the most recent publish still in force: `version` must be the active version, and the version
 * that was active before it was published becomes active again. Rolling back again goes one further.
 */
export async function rollback(deps: AppDependencies, version: string, caller: Caller): Promise<{ active: string; rolledBack: string }> {
  await storedOrNotFound(deps.db, version);
  const restored = await deps.db.transaction(async (tx) => {
    await lockActivations(tx);
    const stack = await activationStack(tx);
    const current = stack[stack.length - 1];
    if (current !== version) throw conflict(`Rule set ${version} is not the active one (active: ${current ?? 'none'}); only the active version can be rolled back`);
    const target = stack[stack.length - 2];
    if (!target) throw conflict(`Rule set ${version} was not published over an earlier version; there is nothing to roll back to`);
    compiledOr422((await findRuleSet(tx, target))!);
    await tx.insert(ruleSetActivations).values({ version: target, previousVersion: version, action: 'rollback', actorId: caller.actor.userId });
    await recordAudit(tx, {
      actor: caller.actor,
      action: 'ruleset.rolled_back',
      targetType: 'rule_set',
      targetId: version,
      before: { active: version },
      after: { active: target },
      requestId: caller.requestId,
    });
    await notifyActivation(tx, target);
    return target;
  });
  await switchThisProcess(deps);
  return { active: restored, rolledBack: version };
}

/** The publishing process switches before answering; the others follow their notification. */
async function switchThisProcess(deps: AppDependencies): Promise<void> {
  if (deps.screener instanceof ActiveRuleSet) await deps.screener.refresh();
}

export interface BacktestRequest {
  from: Date;
  to: Date;
  kind: ApplicationKind | null;
  /** Compare with this version; default: the active one. */
  baseline?: string | undefined;
  /** Run as a background job even when the range is small. */
  background?: boolean | undefined;
}

/**
 * Stores a backtest request and runs it: inside the request when the range holds at most INLINE_LIMIT
 * applications, otherwise as a background job the caller polls.
 */
export async function requestBacktest(
  deps: AppDependencies,
  version: string,
  request: BacktestRequest,
  caller: Caller | null,
  trigger: 'request' | 'publish' = 'request',
): Promise<RuleSetBacktestRow> {
  const { db } = deps;
  compiledOr422(await storedOrNotFound(db, version));
  const baselineVersion = request.baseline ?? (await activeVersion(db));
  if (!baselineVersion) throw conflict('No rule set is active to compare with; name a baseline');
  const baselineRow = await findRuleSet(db, baselineVersion);
  if (!baselineRow) throw unprocessable(`Baseline rule set ${baselineVersion} is not stored`, [{ path: 'baseline', message: 'unknown version' }]);
  compiledOr422(baselineRow);
  const range = { from: request.from, to: request.to, kind: request.kind };
  const total = await countInRange(db, range);
  const inline = !request.background && total <= INLINE_LIMIT;
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(ruleSetBacktests)
      .values({ version, baselineVersion, rangeFrom: range.from, rangeTo: range.to, kind: range.kind, trigger, total, requestedBy: caller?.actor.userId ?? null })
      .returning();
    await recordAudit(tx, {
      actor: caller?.actor ?? null,
      action: 'ruleset.backtest_requested',
      targetType: 'rule_set',
      targetId: version,
      after: { backtestId: created!.id, baselineVersion, from: range.from.toISOString(), to: range.to.toISOString(), kind: range.kind, total, inline, trigger },
      requestId: caller?.requestId ?? null,
    });
    // In the job outbox, so a backtest requested while Redis is away still runs once it is back.
    if (!inline) await recordJob(tx, BACKTEST_JOB, { backtestId: created!.id }, { jobId: `rulesets-backtest-${created!.id}` });
    return created!;
  });
  if (inline) await runBacktest(db, row.id, deps.logger);
  else outboxFor(deps).kick();
  const [current] = await db.select().from(ruleSetBacktests).where(eq(ruleSetBacktests.id, row.id));
  return current!;
}

/**
 * After a publish, computes the version's fairness report in the background (the last
 * FAIRNESS_AFTER_PUBLISH_DAYS days, compared with the version it replaced). Publishing never waits for
 * it, and a failure to queue it only leaves the version without a report.
 */
async function scheduleFairnessReport(deps: AppDependencies, version: string, baseline: string, caller: Caller): Promise<void> {
  const to = new Date();
  const from = new Date(to.getTime() - FAIRNESS_AFTER_PUBLISH_DAYS * 86_400_000);
  try {
    await requestBacktest(deps, version, { from, to, kind: null, baseline, background: true }, caller, 'publish');
  } catch (error) {
    deps.logger.warn({ err: error, version }, 'could not schedule the fairness report after publishing');
  }
}

/**
 * Queues a re-screen of the undecided cases (optionally one office's or one kind's) under `version`,
 * which must be the active version: re-screening is how open cases catch up with a publish.
 */
export async function requestRescreen(
  deps: AppDependencies,
  version: string,
  scope: { officeCode: string | null; kind: ApplicationKind | null },
  caller: Caller,
): Promise<RuleSetRescreenRow> {
  const { db } = deps;
  compiledOr422(await storedOrNotFound(db, version));
  const active = await activeVersion(db);
  if (active !== version) throw conflict(`Rule set ${version} is not the active one (active: ${active ?? 'none'}); open cases are re-screened under the active version`);
  const total = await countUndecidedCases(db, scope);
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(ruleSetRescreens)
      .values({ version, officeCode: scope.officeCode, kind: scope.kind, total, requestedBy: caller.actor.userId })
      .returning();
    await recordAudit(tx, {
      actor: caller.actor,
      action: 'ruleset.rescreen_requested',
      targetType: 'rule_set',
      targetId: version,
      after: { rescreenId: created!.id, officeCode: scope.officeCode, kind: scope.kind, total },
      requestId: caller.requestId,
    });
    await recordJob(tx, RESCREEN_JOB, { rescreenId: created!.id, actor: caller.actor }, { jobId: `rulesets-rescreen-${created!.id}` });
    return created!;
  });
  outboxFor(deps).kick();
  return row;
}
