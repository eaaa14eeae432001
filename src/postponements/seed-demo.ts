import { eq, inArray, sql } from 'drizzle-orm';
import type { RootDatabase, Transaction } from '../db/client';
import { applications, decisions } from '../applications/schema';
import { recordAudit } from '../audit/service';
import { cases } from '../review/schema';
import { DEMO_SUBMITTED_BY, generateDemoData, summarizeDemoData, type DemoData, type DemoOptions } from './demo-data';
import { postponementFollowUps, postponements } from './schema';

export class DemoDataPresent extends Error {
  constructor(readonly applications: number) {
    super(`the database already holds ${applications} synthetic demo applications; pass --force to replace them`);
    this.name = 'DemoDataPresent';
  }
}

const BATCH = 1000;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

export async function countDemoApplications(db: RootDatabase | Transaction): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(applications).where(eq(applications.submittedBy, DEMO_SUBMITTED_BY));
  return row?.n ?? 0;
}

/** Removes earlier demo data, children first. Follow-ups anyone added to demo postponements go with them. */
async function removeDemoData(tx: Transaction): Promise<void> {
  const demoApplications = tx.select({ id: applications.id }).from(applications).where(eq(applications.submittedBy, DEMO_SUBMITTED_BY));
  const demoPostponements = tx.select({ id: postponements.id }).from(postponements).where(inArray(postponements.applicationId, demoApplications));
  await tx.delete(postponementFollowUps).where(inArray(postponementFollowUps.postponementId, demoPostponements));
  await tx.delete(postponements).where(inArray(postponements.applicationId, demoApplications));
  await tx.delete(cases).where(inArray(cases.applicationId, demoApplications));
  await tx.delete(decisions).where(inArray(decisions.applicationId, demoApplications));
  await tx.delete(applications).where(eq(applications.submittedBy, DEMO_SUBMITTED_BY));
}

/**
 * Writes the synthetic year in one transaction, in batches. Refuses when demo data is already there,
 * unless `force`, which replaces it. The reference offices must be loaded first.
 */
export async function seedDemoData(db: RootDatabase, options: DemoOptions & { force?: boolean } = {}) {
  const data = generateDemoData(options);
  await writeDemoData(db, data, { force: options.force ?? false });
  return summarizeDemoData(data);
}

/** Writes generated demo data (all of it, or a slice of it in tests); returns how many demo applications it replaced. */
export async function writeDemoData(db: RootDatabase, data: DemoData, options: { force: boolean }): Promise<number> {
  return db.transaction(async (tx) => {
    // One seeder at a time: a second concurrent run waits here, then sees the first one's data.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('saring:seed-demo'))`);
    const present = await countDemoApplications(tx);
    if (present > 0 && !options.force) throw new DemoDataPresent(present);
    if (present > 0) await removeDemoData(tx);
    await insertInBatches(data.applications, (batch) => tx.insert(applications).values(batch));
    await insertInBatches(data.decisions, (batch) => tx.insert(decisions).values(batch));
    await insertInBatches(data.cases, (batch) => tx.insert(cases).values(batch));
    await insertInBatches(data.postponements, (batch) => tx.insert(postponements).values(batch));
    await insertInBatches(data.followUps, (batch) => tx.insert(postponementFollowUps).values(batch));
    await recordAudit(tx, {
      actor: null,
      action: 'demo_data.seeded',
      targetType: 'demo_data',
      targetId: null,
      after: { seed: data.seed, year: data.year, replaced: present, applications: data.applications.length, postponements: data.postponements.length },
    });
    return present;
  });
}
