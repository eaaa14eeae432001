import { index, integer, pgTable, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { cases } from '../review/schema';

/** A note an officer adds to a case. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export const caseNotes = pgTable(
  'case_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    authorId: text('author_id').notNull(),
    authorRole: text('author_role').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_notes_case_idx').on(t.caseId, t.createdAt, t.id)],
);

export const attachmentKinds = ['job_advert', 'chat_screenshot', 'employer_letter', 'ticket', 'other'] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

/**
 * Evidence kept on a case: metadata and SHA-256 here, the bytes on local disk or in S3-compatible
 * storage under `storage_key`. Never deleted; superseded once, with a reason (a trigger enforces both).
 */
export const caseAttachments = pgTable(
  'case_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind', { enum: attachmentKinds }).notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storage: text('storage', { enum: ['local', 's3'] }).notNull(),
    storageKey: text('storage_key').notNull(),
    description: text('description'),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedByRole: text('uploaded_by_role').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    supersededBy: uuid('superseded_by').references((): AnyPgColumn => caseAttachments.id),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    supersededReason: text('superseded_reason'),
    supersededByUser: text('superseded_by_user'),
  },
  (t) => [index('case_attachments_case_idx').on(t.caseId, t.uploadedAt, t.id)],
);

export type CaseAttachmentRow = typeof caseAttachments.$inferSelect;
