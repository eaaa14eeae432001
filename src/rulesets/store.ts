/** Stored rule-set versions and the activation history: which version screens new applications. */
import { asc, desc, eq, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/service';
import type { Database, RootDatabase } from '../db/client';
import type { CompiledRuleSet } from '../screening/engine';
import { compileStored, type LoadedRuleSet, type RuleTestSummary } from './loading';
import { ruleSetActivations, ruleSets, type RuleSetRow } from './schema';

/** NOTIFY channel every API and worker process listens on; the payload is the newly active version. */
export const ACTIVATION_CHANNEL = 'saring_ruleset_activated';

/** Any fixed number: names the advisory lock that serialises publish, rollback and first activation. */
const ACTIVATION_LOCK_KEY = 724_217_009;

/** Call first inside a transaction that reads and then changes the activation history. */
export async function lockActivations(tx: Database): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ACTIVATION_LOCK_KEY})`);
}

/** Delivered to listeners when the transaction commits, and not at all if it rolls back. */
export async function notifyActivation(tx: Database, version: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${ACTIVATION_CHANNEL}, ${version})`);
}

/** The version new screenings use: the newest activation; null before any set was registered. */
export async function activeVersion(db: Database): Promise<string | null> {
  const [row] = await db.select({ version: ruleSetActivations.version }).from(ruleSetActivations).orderBy(desc(ruleSetActivations.id)).limit(1);
  return row?.version ?? null;
}

/**
 * The versions in force as a stack, oldest at the bottom: an initial activation or a publish pushes,
 * a rollback pops. The top is the active version; the one below it is what a rollback returns to.
 */
export async function activationStack(db: Database): Promise<string[]> {
  const rows = await db.select({ version: ruleSetActivations.version, action: ruleSetActivations.action }).from(ruleSetActivations).orderBy(asc(ruleSetActivations.id));
  const stack: string[] = [];
  for (const row of rows) {
    if (row.action === 'rollback') stack.pop();
    else stack.push(row.version);
  }
  return stack;
}

export async function findRuleSet(db: Database, version: string): Promise<RuleSetRow | null> {
  const [row] = await db.select().from(ruleSets).where(eq(ruleSets.version, version)).limit(1);
  return row ?? null;
}

/** The compiled stored version, or null when no such version is stored. */
export async function compiledVersion(db: Database, version: string): Promise<CompiledRuleSet | null> {
  const row = await findRuleSet(db, version);
  return row ? compileStored(row.version, row.files) : null;
}

export interface NewRuleSet {
  loaded: LoadedRuleSet;
  source: 'directory' | 'upload';
  note?: string | null;
  tests?: RuleTestSummary | null;
  actor: Actor | null;
  requestId?: string | null;
}

/** Stores a version unless it is already stored (same content hash); true when it was new. */
export async function insertRuleSet(tx: Database, input: NewRuleSet): Promise<boolean> {
  const { loaded } = input;
  const inserted = await tx
    .insert(ruleSets)
    .values({
      version: loaded.version,
      name: loaded.ruleSet.name,
      description: loaded.ruleSet.description ?? null,
      files: loaded.files,
      ruleCount: loaded.ruleSet.rules.length,
      source: input.source,
      note: input.note ?? null,
      tests: input.tests ?? null,
      createdBy: input.actor?.userId ?? null,
    })
    .onConflictDoNothing({ target: ruleSets.version })
    .returning({ version: ruleSets.version });
  if (inserted.length === 0) return false;
  await recordAudit(tx, {
    actor: input.actor,
    action: 'ruleset.stored',
    targetType: 'rule_set',
    targetId: loaded.version,
    after: { version: loaded.version, name: loaded.ruleSet.name, source: input.source, rules: loaded.ruleSet.rules.length },
    requestId: input.requestId ?? null,
  });
  return true;
}

/**
 * Start-up: stores the rule-set directory's version if absent and, when no version has ever been
 * active (a new database), makes it the active one. An existing activation is never overridden from
 * disk: once the database has a history, administrators publish.
 */
export async function registerDirectoryRuleSet(db: RootDatabase, loaded: LoadedRuleSet): Promise<{ stored: boolean; activated: boolean }> {
  return db.transaction(async (tx) => {
    await lockActivations(tx);
    const stored = await insertRuleSet(tx, { loaded, source: 'directory', actor: null });
    if ((await activeVersion(tx)) !== null) return { stored, activated: false };
    await tx.insert(ruleSetActivations).values({ version: loaded.version, previousVersion: null, action: 'initial' });
    await tx.update(ruleSets).set({ firstPublishedAt: sql`coalesce(${ruleSets.firstPublishedAt}, now())` }).where(eq(ruleSets.version, loaded.version));
    await recordAudit(tx, { actor: null, action: 'ruleset.activated', targetType: 'rule_set', targetId: loaded.version, after: { active: loaded.version, action: 'initial' } });
    await notifyActivation(tx, loaded.version);
    return { stored, activated: true };
  });
}
