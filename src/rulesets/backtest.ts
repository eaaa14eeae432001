/**
 * Backtest: a version and a baseline re-evaluated over the stored applications of a period, read-only.
 * Reports outcome counts old (baseline) vs new (version), the transition matrix, per-rule hit counts and
 * deltas, sample applications for every transition, and the fairness report of both.
 */
import { ruleOutcomes, type RuleOutcomes } from './outcomes';
import { and, asc, count, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { applications } from '../applications/schema';
import type { Database, RootDatabase } from '../db/client';
import type { Logger } from '../logger';
import type { ApplicationKind } from '../screening/application-schema';
import type { CompiledRuleSet, Outcome } from '../screening/engine';
import { applicationOf, contextFor, evaluateStored, sameRequirements, type StoredApplication } from './evaluate';
import { attributesOf, FairnessTally, type FairnessReport } from './fairness';
import { ruleSetBacktests, ruleSets } from './schema';
import { compiledVersion } from './store';

export const BACKTEST_JOB = 'rulesets.backtest';
/** Ranges with at most this many applications run inside the request; larger ones as a job. */
export const INLINE_LIMIT = 2_000;
const PAGE_SIZE = 500;
export const SAMPLES_PER_TRANSITION = 10;
/** Applications whose context is resolved at once (each holds a pooled connection while it does). */
const CONTEXT_CONCURRENCY = 4;

export const outcomes: readonly Outcome[] = ['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED'];
type Counts = Record<Outcome, number>;
const zeroCounts = (): Counts => ({ CLEAR: 0, REVIEW: 0, POSTPONE_RECOMMENDED: 0 });

export interface BacktestRange {
  from: Date;
  to: Date;
  kind: ApplicationKind | null;
}

export interface RuleDelta {
  ruleId: string;
  old: number;
  new: number;
  delta: number;
}

export interface BacktestReport {
  version: string;
  baselineVersion: string;
  range: { from: string; to: string; kind: ApplicationKind | null };
  /** Applications in the range that were evaluated under both versions. */
  evaluated: number;
  /** Stored payloads that are not valid applications (nothing to evaluate); a few ids for follow-up. */
  unevaluable: { count: number; sampleIds: string[] };
  outcomes: {
    /** Under the baseline version. */
    old: Counts;
    /** Under the backtested version. */
    new: Counts;
    /** The outcomes actually stored for these applications (latest decision, whatever version made it). */
    stored: Counts;
  };
  /** REVIEW or POSTPONE_RECOMMENDED under new minus under old. */
  flaggedDelta: number;
  /** transitions[old][new] = applications that went from old to new. */
  transitions: Record<Outcome, Counts>;
  /** Up to SAMPLES_PER_TRANSITION application ids per non-empty transition "OLD->NEW", in submission order. */
  samples: Record<string, string[]>;
  /** Every rule of either version: how many applications it fired on under each, largest change first. */
  rules: RuleDelta[];
  fairness: { old: FairnessReport; new: FairnessReport };
  /** How the stored decisions in the range ended once a person decided, per rule (latest decision, whatever version): the evidence beside the deltas. */
  ruleOutcomes?: RuleOutcomes;
}

function rangeCondition(range: BacktestRange): SQL {
  return and(gte(applications.submittedAt, range.from), lt(applications.submittedAt, range.to), range.kind ? eq(applications.kind, range.kind) : undefined)!;
}

export async function countInRange(db: Database, range: BacktestRange): Promise<number> {
  const [row] = await db.select({ n: count() }).from(applications).where(rangeCondition(range));
  return row?.n ?? 0;
}

/**
 * Runs the backtest. Pages through the range in (submitted_at, id) order; the cursor keeps
 * PostgreSQL's own text form of the timestamp, so microseconds never make a page skip or repeat rows.
 */
export async function computeBacktest(
  db: Database,
  candidate: CompiledRuleSet,
  baseline: CompiledRuleSet,
  range: BacktestRange,
  onPage: (processed: number) => Promise<void> = async () => {},
): Promise<BacktestReport> {
  const report: BacktestReport = {
    version: candidate.version,
    baselineVersion: baseline.version,
    range: { from: range.from.toISOString(), to: range.to.toISOString(), kind: range.kind },
    evaluated: 0,
    unevaluable: { count: 0, sampleIds: [] },
    outcomes: { old: zeroCounts(), new: zeroCounts(), stored: zeroCounts() },
    flaggedDelta: 0,
    transitions: { CLEAR: zeroCounts(), REVIEW: zeroCounts(), POSTPONE_RECOMMENDED: zeroCounts() },
    samples: {},
    rules: [],
    fairness: { old: new FairnessTally().report(), new: new FairnessTally().report() },
  };
  const hits = new Map<string, { old: number; new: number }>();
  for (const id of [...baseline.ruleIds, ...candidate.ruleIds]) hits.set(id, { old: 0, new: 0 });
  const fairness = { old: new FairnessTally(), new: new FairnessTally() };

  // Each version gets the outside facts its own rules read; resolved once when they read the same.
  const shared = sameRequirements(baseline, candidate);
  let cursor: { at: string; id: string } | null = null;
  let processed = 0;
  for (;;) {
    const rows: Array<StoredApplication & { outcome: Outcome; at: string }> = await db
      .select({
        id: applications.id,
        kind: applications.kind,
        payload: applications.payload,
        submittedAt: applications.submittedAt,
        officeCode: applications.officeCode,
        outcome: applications.outcome,
        at: sql<string>`${applications.submittedAt}::text`,
      })
      .from(applications)
      .where(
        and(
          rangeCondition(range),
          cursor ? sql`(${applications.submittedAt}, ${applications.id}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
        ),
      )
      .orderBy(asc(applications.submittedAt), asc(applications.id))
      .limit(PAGE_SIZE);
    if (rows.length === 0) break;
    // Context resolution is the slow part (queries per application): a few at a time, in page order.
    const evaluated = await mapLimited(rows, CONTEXT_CONCURRENCY, async (row) => {
      const application = applicationOf(row);
      if (!application) return null;
      const context = await contextFor(db, baseline, application, row);
      const before = evaluateStored(baseline, application, row, context);
      const after = evaluateStored(candidate, application, row, shared ? context : await contextFor(db, candidate, application, row));
      return { application, before, after };
    });
    for (const [index, row] of rows.entries()) {
      const result = evaluated[index];
      if (!result) {
        report.unevaluable.count += 1;
        if (report.unevaluable.sampleIds.length < SAMPLES_PER_TRANSITION) report.unevaluable.sampleIds.push(row.id);
        continue;
      }
      const { application, before, after } = result;
      report.evaluated += 1;
      report.outcomes.old[before.outcome] += 1;
      report.outcomes.new[after.outcome] += 1;
      report.outcomes.stored[row.outcome] += 1;
      report.transitions[before.outcome][after.outcome] += 1;
      const key = `${before.outcome}->${after.outcome}`;
      const samples = (report.samples[key] ??= []);
      if (samples.length < SAMPLES_PER_TRANSITION) samples.push(row.id);
      for (const hit of before.hits) hits.get(hit.ruleId)!.old += 1;
      for (const hit of after.hits) hits.get(hit.ruleId)!.new += 1;
      const attributes = attributesOf(application, row.submittedAt);
      fairness.old.add(attributes, before.outcome);
      fairness.new.add(attributes, after.outcome);
    }
    processed += rows.length;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.at, id: last.id };
    await onPage(processed);
    if (rows.length < PAGE_SIZE) break;
  }

  const flagged = (c: Counts) => c.REVIEW + c.POSTPONE_RECOMMENDED;
  report.flaggedDelta = flagged(report.outcomes.new) - flagged(report.outcomes.old);
  report.rules = [...hits.entries()]
    .map(([ruleId, n]) => ({ ruleId, old: n.old, new: n.new, delta: n.new - n.old }))
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.ruleId < b.ruleId ? -1 : 1));
  report.fairness = { old: fairness.old.report(), new: fairness.new.report() };
  report.ruleOutcomes = await ruleOutcomes(db, { from: range.from, to: range.to, office: null, kind: range.kind ?? undefined, version: null });
  return report;
}

/** Maps items with at most `limit` calls in flight; results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The fairness report kept with a version: the backtest's report of that version, with its range. */
export interface StoredFairness extends FairnessReport {
  backtestId: string;
  range: BacktestReport['range'];
  comparedWith: string;
  computedAt: string;
}

/**
 * Runs a stored backtest request to completion (inline or as the job). Safe to run again: a finished
 * backtest is left alone, and an interrupted one simply starts over (it writes nothing but its report).
 */
export async function runBacktest(db: RootDatabase, id: string, logger?: Logger): Promise<void> {
  const [row] = await db
    .update(ruleSetBacktests)
    .set({ state: 'running', startedAt: sql`now()`, processed: 0 })
    .where(and(eq(ruleSetBacktests.id, id), sql`${ruleSetBacktests.state} in ('queued', 'running')`))
    .returning();
  if (!row) return;
  try {
    const candidate = await compiledVersion(db, row.version);
    const baseline = await compiledVersion(db, row.baselineVersion);
    if (!candidate || !baseline) throw new Error('version no longer stored');
    const report = await computeBacktest(db, candidate, baseline, { from: row.rangeFrom, to: row.rangeTo, kind: row.kind }, async (processed) => {
      await db.update(ruleSetBacktests).set({ processed }).where(eq(ruleSetBacktests.id, id));
    });
    await db.transaction(async (tx) => {
      const [finished] = await tx
        .update(ruleSetBacktests)
        .set({ state: 'done', report, processed: report.evaluated + report.unevaluable.count, finishedAt: sql`now()` })
        .where(and(eq(ruleSetBacktests.id, id), eq(ruleSetBacktests.state, 'running')))
        .returning({ finishedAt: ruleSetBacktests.finishedAt });
      if (!finished) return;
      const fairness: StoredFairness = {
        ...report.fairness.new,
        backtestId: id,
        range: report.range,
        comparedWith: report.baselineVersion,
        computedAt: finished.finishedAt!.toISOString(),
      };
      await tx.update(ruleSets).set({ fairness, fairnessBacktestId: id }).where(eq(ruleSets.version, row.version));
    });
  } catch (error) {
    logger?.error({ err: error, backtestId: id }, 'backtest failed');
    await db
      .update(ruleSetBacktests)
      .set({ state: 'failed', error: error instanceof Error ? error.message : String(error), finishedAt: sql`now()` })
      .where(eq(ruleSetBacktests.id, id));
  }
}
