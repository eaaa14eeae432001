import { Router, type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { HttpError } from '../http/errors';
import { parseBody, parseInput, parseParams } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { attachmentKinds } from './schema';
import { addAttachment, addNote, listAttachments, listNotes, readAttachment, supersedeAttachment, type CaseworkContext } from './service';
import type { AttachmentStore } from './storage';

export const caseworkParams = z.object({ id: z.uuid() });
export const attachmentParams = z.object({ id: z.uuid(), attachmentId: z.uuid() });
export const noteBodySchema = z.strictObject({ body: z.string().trim().min(1).max(4000) });
export const attachmentFieldsSchema = z.strictObject({
  kind: z.enum(attachmentKinds),
  description: z.string().trim().max(500).optional(),
});
export const supersedeBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  replacementId: z.uuid().optional(),
});

/** Those who work cases write notes and evidence; anyone who may see the case reads them. */
export const caseworkers = ['officer', 'passport_officer', 'supervisor'] as const;

/** The path the upload answers on, exempt from the JSON-only body rule. */
export const isAttachmentUpload = (path: string) => /^\/api\/v1\/cases\/[^/]+\/attachments\/?$/.test(path);

/**
 * Reads one multipart file into memory, within the size limit. Every parser failure (too large, a
 * second file, a broken body) becomes a 4xx in the error format instead of a 500.
 */
function singleFile(maxBytes: number): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 2000, parts: 6, headerPairs: 50 } }).single('file');
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data with the field "file"'));
      return;
    }
    upload(req, res, (error: unknown) => {
      if (!error) return next();
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') {
          next(new HttpError(413, 'ATTACHMENT_TOO_LARGE', `The file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB`, [{ path: 'file', message: 'too large' }]));
        } else {
          next(new HttpError(400, 'BAD_UPLOAD', `The upload was refused: ${error.message}`, [{ path: error.field ?? 'file', message: error.code }]));
        }
        return;
      }
      next(new HttpError(400, 'BAD_UPLOAD', 'The multipart body could not be read'));
    });
  };
}

/** Case notes and evidence attachments: /cases/:id/notes and /cases/:id/attachments. */
export function caseworkRoutes(deps: AppDependencies, store: AttachmentStore): Router {
  const { db, config } = deps;
  const router = Router();

  const contextOf = async (req: Request): Promise<CaseworkContext> => {
    const principal = principalOf(req);
    return { actor: principal, scope: await visibleOffice(db, principal), requestId: String(req.id) };
  };

  router.get('/cases/:id/notes', async (req, res) => {
    const { id } = parseParams(caseworkParams, req);
    res.json({ items: await listNotes(db, id, (await contextOf(req)).scope) });
  });

  router.post('/cases/:id/notes', requireRole(...caseworkers), async (req, res) => {
    const { id } = parseParams(caseworkParams, req);
    const { body } = parseBody(noteBodySchema, req);
    res.status(201).json(await addNote(db, id, body, await contextOf(req)));
  });

  router.get('/cases/:id/attachments', async (req, res) => {
    const { id } = parseParams(caseworkParams, req);
    res.json({ items: await listAttachments(db, id, (await contextOf(req)).scope) });
  });

  router.post('/cases/:id/attachments', requireRole(...caseworkers), singleFile(config.ATTACHMENTS_MAX_BYTES), async (req, res) => {
    const { id } = parseParams(caseworkParams, req);
    const fields = parseInput(attachmentFieldsSchema, { ...(req.body as object) }, 'body');
    if (!req.file || req.file.size === 0) throw new HttpError(400, 'VALIDATION_FAILED', 'Attach one non-empty file in the field "file"', [{ path: 'file', message: 'required' }]);
    const attachment = await addAttachment(
      db,
      store,
      id,
      { bytes: req.file.buffer, fileName: Buffer.from(req.file.originalname, 'latin1').toString('utf8'), kind: fields.kind, description: fields.description || undefined },
      await contextOf(req),
    );
    res.status(201).json(attachment);
  });

  router.post('/cases/:id/attachments/:attachmentId/supersede', requireRole(...caseworkers), async (req, res) => {
    const { id, attachmentId } = parseParams(attachmentParams, req);
    const body = parseBody(supersedeBodySchema, req);
    res.json(await supersedeAttachment(db, id, attachmentId, body, await contextOf(req)));
  });

  router.get('/cases/:id/attachments/:attachmentId/content', async (req, res) => {
    const { id, attachmentId } = parseParams(attachmentParams, req);
    const { row, bytes } = await readAttachment(db, store, id, attachmentId, await contextOf(req));
    // Always a download, never rendered by the browser in the service's origin.
    res.set({
      'Content-Type': row.mediaType,
      'Content-Length': String(bytes.length),
      'Content-Disposition': `attachment; filename="${row.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      Digest: `sha-256=${Buffer.from(row.sha256, 'hex').toString('base64')}`,
    });
    res.status(200).end(bytes);
  });

  return router;
}
