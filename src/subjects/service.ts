/**
 * Changes to the subject-of-interest list: add (also straight from a postponement), edit, revoke,
 * import from CSV. Every change writes its audit record in the same transaction; entries are never
 * deleted. Supervisors and admins posted at an office work on their office's entries; those at
 * headquarters on every office's.
 */
import { and, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { applications } from '../applications/schema';
import { recordAudit, type Actor } from '../audit/service';
import type { Database, RootDatabase } from '../db/client';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { offices } from '../offices/schema';
import { postponements } from '../postponements/schema';
import type { EntryInput, EntryPatch, FromPostponementInput } from './entries';
import { subjectsOfInterest as s, type SubjectEntryRow } from './schema';

/** Any fixed number: names the advisory lock that serialises subject-list writes (duplicate checks). */
const SUBJECT_WRITE_LOCK_KEY = 724_217_155;

export interface Who {
  actor: Actor;
  requestId: string | null;
  /** The office the caller works on, or null at headquarters (every office). */
  scope: string | null;
}

const auditView = (row: SubjectEntryRow) => {
  const { nameKey: _n, ...rest } = row;
  return rest;
};

export async function lockWrites(tx: Database) {
  await tx.execute(sql`select pg_advisory_xact_lock(${SUBJECT_WRITE_LOCK_KEY})`);
}

interface Identity {
  nik?: string | null | undefined;
  passportNumber?: string | null | undefined;
  fullName?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
}

/** An entry of the same office for the same identifiers whose bar has not ended and that is not revoked. */
export async function findDuplicate(db: Database, identity: Identity, officeCode: string): Promise<string | null> {
  const same: SQL[] = [
    sql`${s.nik} is not distinct from ${identity.nik ?? null}`,
    sql`${s.passportNumber} is not distinct from ${identity.passportNumber ?? null}`,
    sql`${s.nameKey} is not distinct from saring_name_key(${identity.fullName ?? null})`,
    sql`${s.dateOfBirth} is not distinct from ${identity.dateOfBirth ?? null}::date`,
  ];
  const [row] = await db
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.officeCode, officeCode), isNull(s.revokedAt), gt(s.barUntil, sql`now()`), ...same))
    .limit(1);
  return row?.id ?? null;
}

/** The office an entry is written for: the caller's scope, or (at headquarters) the one named. */
export async function officeFor(db: Database, who: Who, requested: string | undefined): Promise<string> {
  if (who.scope !== null) {
    if (requested !== undefined && requested !== who.scope) throw forbidden(`You may add entries for your office (${who.scope}) only`);
    return who.scope;
  }
  const code = requested ?? who.actor.officeCode;
  const [office] = await db.select({ code: offices.code }).from(offices).where(eq(offices.code, code)).limit(1);
  if (!office) throw unprocessable(`Unknown office ${code}`, [{ path: 'officeCode', message: 'no such office' }]);
  return office.code;
}

/** Inserts one validated entry (duplicate already checked) with its audit record. */
export async function insertEntry(
  tx: Database,
  values: Identity & { reason: string; source: string; note?: string | null | undefined; barFrom?: Date | undefined; barUntil: Date; officeCode: string; postponementId?: string | null },
  who: Who,
  auditExtra: Record<string, unknown> = {},
): Promise<SubjectEntryRow> {
  const [row] = await tx
    .insert(s)
    .values({
      nik: values.nik ?? null,
      passportNumber: values.passportNumber ?? null,
      fullName: values.fullName ?? null,
      dateOfBirth: values.dateOfBirth ?? null,
      reason: values.reason,
      source: values.source,
      note: values.note ?? null,
      ...(values.barFrom ? { barFrom: values.barFrom } : {}),
      barUntil: values.barUntil,
      officeCode: values.officeCode,
      postponementId: values.postponementId ?? null,
      createdBy: who.actor.userId,
    })
    .returning();
  if (!row) throw new Error('subject-of-interest insert returned no row');
  await recordAudit(tx, {
    actor: who.actor,
    action: 'subject.entry.created',
    targetType: 'subject_of_interest',
    targetId: row.id,
    after: { ...auditView(row), ...auditExtra },
    requestId: who.requestId,
  });
  return row;
}

const visible = (row: SubjectEntryRow, who: Who) => who.scope === null || row.officeCode === who.scope;

export class SubjectService {
  constructor(private readonly db: RootDatabase) {}

  /** Adds an entry; 409 when the office already bars the same identifiers. */
  async create(input: EntryInput, who: Who): Promise<SubjectEntryRow> {
    return this.db.transaction(async (tx) => {
      const officeCode = await officeFor(tx, who, input.officeCode);
      await lockWrites(tx);
      const existing = await findDuplicate(tx, input, officeCode);
      if (existing) throw conflict('This person is already on the list for this office', { existingId: existing });
      return insertEntry(tx, { ...input, officeCode }, who);
    });
  }

  /** Adds the person of a postponement (its application's NIK, passport number, name and date of birth), for the postponing office. */
  async createFromPostponement(input: FromPostponementInput, who: Who): Promise<SubjectEntryRow> {
    return this.db.transaction(async (tx) => {
      const [found] = await tx
        .select({
          officeCode: postponements.officeCode,
          reasonCode: postponements.reasonCode,
          nik: applications.nik,
          passportNumber: applications.passportNumber,
          fullName: applications.fullName,
          dateOfBirth: applications.dateOfBirth,
        })
        .from(postponements)
        .innerJoin(applications, eq(applications.id, postponements.applicationId))
        .where(eq(postponements.id, input.postponementId))
        .limit(1);
      if (!found || (who.scope !== null && found.officeCode !== who.scope)) throw notFound('Postponement');
      await lockWrites(tx);
      const identity = { nik: found.nik, passportNumber: found.passportNumber, fullName: found.fullName, dateOfBirth: found.dateOfBirth };
      const existing = await findDuplicate(tx, identity, found.officeCode);
      if (existing) throw conflict('This person is already on the list for this office', { existingId: existing });
      return insertEntry(
        tx,
        {
          ...identity,
          reason: input.reason ?? `Postponed (${found.reasonCode}); barred from re-applying`,
          source: input.source ?? `Postponement ${input.postponementId}`,
          note: input.note,
          barFrom: input.barFrom,
          barUntil: input.barUntil,
          officeCode: found.officeCode,
          postponementId: input.postponementId,
        },
        who,
      );
    });
  }

  /** Changes the reason, source, note or end of the bar of an entry that is not revoked. */
  async update(id: string, patch: EntryPatch, who: Who): Promise<SubjectEntryRow> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(s).where(eq(s.id, id)).for('update');
      if (!before || !visible(before, who)) throw notFound('Subject-of-interest entry');
      if (before.revokedAt) throw conflict('A revoked entry cannot be changed; add a new one');
      if (patch.barUntil && patch.barUntil <= before.barFrom) throw unprocessable('barUntil must be after barFrom', [{ path: 'barUntil', message: 'must be after barFrom' }]);
      const [row] = await tx
        .update(s)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(s.id, id))
        .returning();
      if (!row) throw notFound('Subject-of-interest entry');
      await recordAudit(tx, { actor: who.actor, action: 'subject.entry.updated', targetType: 'subject_of_interest', targetId: id, before: auditView(before), after: auditView(row), requestId: who.requestId });
      return row;
    });
  }

  /** Ends an entry from now on: it stops matching new screenings at once (replays of earlier ones still see it). */
  async revoke(id: string, reason: string, who: Who): Promise<SubjectEntryRow> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(s).where(eq(s.id, id)).for('update');
      if (!before || !visible(before, who)) throw notFound('Subject-of-interest entry');
      if (before.revokedAt) throw conflict('The entry is already revoked', { revokedAt: before.revokedAt });
      const [row] = await tx
        .update(s)
        .set({ revokedAt: sql`now()`, revokedBy: who.actor.userId, revokeReason: reason, updatedAt: sql`now()` })
        .where(eq(s.id, id))
        .returning();
      if (!row) throw notFound('Subject-of-interest entry');
      await recordAudit(tx, {
        actor: who.actor,
        action: 'subject.entry.revoked',
        targetType: 'subject_of_interest',
        targetId: id,
        before: auditView(before),
        after: { revokedAt: row.revokedAt, revokedBy: row.revokedBy, revokeReason: row.revokeReason },
        requestId: who.requestId,
      });
      return row;
    });
  }
}
