import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { attachmentFieldsSchema, attachmentParams, caseworkers, caseworkParams, noteBodySchema, supersedeBodySchema } from './routes';

const tag = 'Casework';

const note = z
  .object({ id: z.uuid(), caseId: z.uuid(), authorId: z.string(), authorRole: z.string(), authorName: z.string().nullable(), body: z.string(), createdAt: z.string() })
  .meta({ id: 'CaseNote' });

const attachment = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    kind: z.string(),
    fileName: z.string(),
    mediaType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    description: z.string().nullable(),
    uploadedBy: z.string(),
    uploadedByName: z.string().nullable(),
    uploadedAt: z.string(),
    supersededBy: z.uuid().nullable(),
    supersededAt: z.string().nullable(),
    supersededReason: z.string().nullable(),
  })
  .loose()
  .meta({ id: 'CaseAttachment' });

export const caseworkApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/cases/:id/notes',
    operationId: 'listCaseNotes',
    tag,
    summary: 'The notes on a case, oldest first',
    params: caseworkParams,
    success: { status: 200, description: 'The notes', schema: z.object({ items: z.array(note) }) },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/notes',
    operationId: 'addCaseNote',
    tag,
    summary: 'Add a note to a case (append-only; audited without its text)',
    roles: caseworkers,
    params: caseworkParams,
    body: noteBodySchema,
    example: { body: 'Pelaku perjalanan menunjukkan iklan lowongan di Facebook; foto dilampirkan.' },
    success: { status: 201, description: 'The note', schema: note },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/cases/:id/attachments',
    operationId: 'listCaseAttachments',
    tag,
    summary: 'The evidence attached to a case, superseded ones included, oldest first',
    params: caseworkParams,
    success: { status: 200, description: 'The attachments', schema: z.object({ items: z.array(attachment) }) },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/attachments',
    operationId: 'uploadCaseAttachment',
    tag,
    summary:
      'Attach evidence (photo of a job advert, chat screenshot, employer letter, ticket) as multipart/form-data: the field "file" plus "kind" and an optional "description". ' +
      'The type is read from the content (JPEG, PNG, WebP or PDF); the SHA-256 is stored with the metadata',
    roles: caseworkers,
    params: caseworkParams,
    multipart: attachmentFieldsSchema.extend({ file: z.string().meta({ format: 'binary' }) }),
    success: { status: 201, description: 'The stored attachment', schema: attachment },
    errors: [404, 413, 415],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/attachments/:attachmentId/supersede',
    operationId: 'supersedeCaseAttachment',
    tag,
    summary: 'Mark an attachment as superseded, with the reason (and optionally the attachment that replaces it); it is never deleted',
    roles: caseworkers,
    params: attachmentParams,
    body: supersedeBodySchema,
    example: { reason: 'Foto buram; diganti dengan foto yang jelas.' },
    success: { status: 200, description: 'The superseded attachment', schema: attachment },
    errors: [404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/cases/:id/attachments/:attachmentId/content',
    operationId: 'downloadCaseAttachment',
    tag,
    summary: 'Download the file (always as an attachment, never rendered inline); audited',
    params: attachmentParams,
    success: { status: 200, description: 'The file', contentType: 'application/octet-stream', schema: z.string().meta({ format: 'binary' }) },
    errors: [404],
  },
];
