import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { users } from '../auth/schema';
import { isOwnUserId } from '../auth/tokens';
import { conflict, HttpError, notFound, unprocessable } from '../http/errors';
import { cases } from '../review/schema';
import { caseAttachments, caseNotes, type AttachmentKind, type CaseAttachmentRow } from './schema';
import { sniffMediaType, allowedMediaTypes } from './sniff';
import type { AttachmentStore } from './storage';

/** Who acts, and which office's cases they may touch (null: every office, for headquarters). */
export interface CaseworkContext {
  actor: Actor;
  scope: string | null;
  requestId: string | null;
}

/** The case, if the caller may see it; otherwise it does not exist for them. */
async function visibleCase(db: RootDatabase, caseId: string, scope: string | null) {
  const [row] = await db
    .select({ id: cases.id, officeCode: cases.officeCode })
    .from(cases)
    .where(and(eq(cases.id, caseId), scope === null ? undefined : eq(cases.officeCode, scope)))
    .limit(1);
  if (!row) throw notFound('Case');
  return row;
}

// Notes ---------------------------------------------------------------------------------------------

const noteColumns = {
  id: caseNotes.id,
  caseId: caseNotes.caseId,
  authorId: caseNotes.authorId,
  authorRole: caseNotes.authorRole,
  authorName: users.displayName,
  body: caseNotes.body,
  createdAt: caseNotes.createdAt,
};

export async function listNotes(db: RootDatabase, caseId: string, scope: string | null) {
  await visibleCase(db, caseId, scope);
  return db
    .select(noteColumns)
    .from(caseNotes)
    .leftJoin(users, sql`${users.id}::text = ${caseNotes.authorId}`)
    .where(eq(caseNotes.caseId, caseId))
    .orderBy(asc(caseNotes.createdAt), asc(caseNotes.id));
}

/**
 * Adds a note. The audit record says that a note was written, by whom and how long it is, not what
 * it says: the text lives in case_notes only, so it never travels in an audit export or a webhook.
 */
export async function addNote(db: RootDatabase, caseId: string, body: string, ctx: CaseworkContext) {
  await visibleCase(db, caseId, ctx.scope);
  const note = await db.transaction(async (tx) => {
    const [row] = await tx.insert(caseNotes).values({ caseId, authorId: ctx.actor.userId, authorRole: ctx.actor.role, body }).returning();
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'case.note_added',
      targetType: 'case',
      targetId: caseId,
      after: { noteId: row!.id, length: body.length },
      requestId: ctx.requestId,
    });
    return row!;
  });
  const [author] = isOwnUserId(ctx.actor.userId) ? await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, ctx.actor.userId)).limit(1) : [];
  return { ...note, authorName: author?.displayName ?? null };
}

// Attachments ---------------------------------------------------------------------------------------

/** What clients see of an attachment: never where the bytes are stored. */
export function attachmentView(row: CaseAttachmentRow & { uploadedByName?: string | null }) {
  const { storage: _storage, storageKey: _key, ...visible } = row;
  return { ...visible, uploadedByName: row.uploadedByName ?? null };
}

export async function listAttachments(db: RootDatabase, caseId: string, scope: string | null) {
  await visibleCase(db, caseId, scope);
  const rows = await db
    .select({ attachment: caseAttachments, uploadedByName: users.displayName })
    .from(caseAttachments)
    .leftJoin(users, sql`${users.id}::text = ${caseAttachments.uploadedBy}`)
    .where(eq(caseAttachments.caseId, caseId))
    .orderBy(asc(caseAttachments.uploadedAt), asc(caseAttachments.id));
  return rows.map(({ attachment, uploadedByName }) => attachmentView({ ...attachment, uploadedByName }));
}

export interface Upload {
  bytes: Buffer;
  fileName: string;
  kind: AttachmentKind;
  description?: string | undefined;
}

/** A file name fit to store and to hand back in Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string, extension: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}"]/gu, '')
    .trim()
    .slice(0, 150);
  const stem = base.replace(/\.[^.]*$/, '') || 'lampiran';
  return `${stem}.${extension}`;
}

/**
 * Stores an attachment: its type is read from its bytes, its SHA-256 computed here; the bytes are
 * stored first and the row and audit record committed together after, and the bytes are removed
 * again if that commit fails, so a failed upload leaves neither a row nor a file.
 */
export async function addAttachment(db: RootDatabase, store: AttachmentStore, caseId: string, upload: Upload, ctx: CaseworkContext) {
  const mediaType = sniffMediaType(upload.bytes);
  if (!mediaType) {
    throw new HttpError(415, 'UNSUPPORTED_ATTACHMENT_TYPE', `The file's content is not one of the accepted types (${allowedMediaTypes.join(', ')})`, [
      { path: 'file', message: 'accepted: JPEG, PNG or WebP photos and screenshots, PDF letters and tickets' },
    ]);
  }
  await visibleCase(db, caseId, ctx.scope);
  const id = randomUUID();
  const storageKey = `${caseId}/${id}`;
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  const extension = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' }[mediaType];
  await store.put(storageKey, upload.bytes, mediaType);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(caseAttachments)
        .values({
          id,
          caseId,
          kind: upload.kind,
          fileName: cleanFileName(upload.fileName, extension),
          mediaType,
          sizeBytes: upload.bytes.length,
          sha256,
          storage: store.kind,
          storageKey,
          description: upload.description ?? null,
          uploadedBy: ctx.actor.userId,
          uploadedByRole: ctx.actor.role,
        })
        .returning();
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'case.attachment_added',
        targetType: 'case',
        targetId: caseId,
        after: { attachmentId: id, kind: upload.kind, mediaType, sizeBytes: upload.bytes.length, sha256 },
        requestId: ctx.requestId,
      });
      return attachmentView(row!);
    });
  } catch (error) {
    await store.discard(storageKey).catch(() => undefined);
    throw error;
  }
}

/** Marks an attachment as superseded (wrong file, better copy), with the reason; it stays readable. */
export async function supersedeAttachment(
  db: RootDatabase,
  caseId: string,
  attachmentId: string,
  body: { reason: string; replacementId?: string | undefined },
  ctx: CaseworkContext,
) {
  await visibleCase(db, caseId, ctx.scope);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(caseAttachments)
      .where(and(eq(caseAttachments.id, attachmentId), eq(caseAttachments.caseId, caseId)))
      .for('update');
    if (!row) throw notFound('Attachment');
    if (row.supersededAt) throw conflict('This attachment is already superseded');
    if (body.replacementId !== undefined) {
      const [replacement] = await tx
        .select({ id: caseAttachments.id })
        .from(caseAttachments)
        .where(and(eq(caseAttachments.id, body.replacementId), eq(caseAttachments.caseId, caseId), isNull(caseAttachments.supersededAt)))
        .limit(1);
      if (!replacement || replacement.id === attachmentId) {
        throw unprocessable('The replacement must be another current attachment of this case', [{ path: 'replacementId', message: 'not a current attachment of this case' }]);
      }
    }
    const [updated] = await tx
      .update(caseAttachments)
      .set({ supersededAt: new Date(), supersededReason: body.reason, supersededBy: body.replacementId ?? null, supersededByUser: ctx.actor.userId })
      .where(eq(caseAttachments.id, attachmentId))
      .returning();
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'case.attachment_superseded',
      targetType: 'case',
      targetId: caseId,
      after: { attachmentId, replacementId: body.replacementId ?? null, reason: body.reason },
      requestId: ctx.requestId,
    });
    return attachmentView(updated!);
  });
}

/** The attachment's bytes, checked against the stored SHA-256, with an audit record of who read them. */
export async function readAttachment(db: RootDatabase, store: AttachmentStore, caseId: string, attachmentId: string, ctx: CaseworkContext) {
  await visibleCase(db, caseId, ctx.scope);
  const [row] = await db
    .select()
    .from(caseAttachments)
    .where(and(eq(caseAttachments.id, attachmentId), eq(caseAttachments.caseId, caseId)))
    .limit(1);
  if (!row) throw notFound('Attachment');
  const bytes = await store.get(row.storageKey);
  if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) {
    throw new HttpError(500, 'ATTACHMENT_INTEGRITY', 'The stored file does not match its recorded SHA-256');
  }
  await recordAudit(db, {
    actor: ctx.actor,
    action: 'case.attachment_downloaded',
    targetType: 'case',
    targetId: caseId,
    after: { attachmentId },
    requestId: ctx.requestId,
  });
  return { row, bytes };
}
