import { Readable, pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { HttpError, notFound } from '../http/errors';
import { decodeCursor, paginationQuery } from '../http/pagination';
import { parseParams, parseQuery } from '../http/validate';
import { officeKindOf, visibleOffice } from '../offices/scope';
import { admitSubmission } from '../applications/admission';
import { byteLimit, formatOf } from './input';
import { batchStatus, findBatch, listBatches, resultRows } from './queries';
import { receiveBatch } from './upload';

export const uploadQuerySchema = z.strictObject({
  kind: z.enum(['departure', 'passport']).optional(),
  name: z.string().trim().min(1).max(200).optional(),
});
export const listQuerySchema = z.strictObject({ ...paginationQuery });
export const idParams = z.object({ id: z.uuid() });

const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
export function parseByteSize(value: string): number {
  const match = /^(\d+)(b|kb|mb|gb)$/i.exec(value);
  if (!match) throw new Error(`not a byte size: ${value}`);
  return Number(match[1]) * units[match[2]!.toLowerCase()]!;
}

const resultColumns = ['row', 'status', 'application_id', 'case_id', 'outcome', 'score', 'problems'] as const;

const isClientGone = (error: unknown, res: Response) =>
  (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' || (res.destroyed && !res.writableFinished);

/**
 * Batch screening: POST /batches streams an upload (CSV or JSON lines) into PostgreSQL and answers
 * 202 with the batch id; GET /batches/:id reports state, counts, progress and rejected rows;
 * GET /batches/:id/results.csv has one line per row.
 */
export function batchRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();
  const maxBytes = parseByteSize(deps.config.BATCH_MAX_BYTES);

  router.post('/batches', requireRole('officer', 'passport_officer', 'supervisor'), async (req, res) => {
    const query = parseQuery(uploadQuerySchema, req);
    const format = formatOf(req.get('content-type'));
    if (!format) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the batch as text/csv (a header row of field paths) or application/x-ndjson (one JSON application per line)');
    }
    const principal = principalOf(req);
    const kind = admitSubmission(principal, await officeKindOf(db, principal), query.kind);
    // pipeline() ends the limited stream with the request's own failure (an aborted upload) too.
    const body = pipelineCallback(req, byteLimit(maxBytes), () => undefined);
    const batch = await receiveBatch(deps, { kind, format, name: query.name ?? null, body, actor: principal, requestId: String(req.id) });
    res
      .status(202)
      .location(`/api/v1/batches/${batch.id}`)
      .json({
        id: batch.id,
        state: batch.state,
        kind: batch.kind,
        counts: { received: batch.received, accepted: batch.accepted, rejected: batch.rejected },
        links: { self: `/api/v1/batches/${batch.id}`, results: `/api/v1/batches/${batch.id}/results.csv` },
      });
  });

  router.get('/batches', async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const office = await visibleOffice(db, principalOf(req));
    res.json(await listBatches(db, { office, limit: query.limit, cursor: decodeCursor(query.cursor) }));
  });

  router.get('/batches/:id', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const batch = await findBatch(db, id, await visibleOffice(db, principalOf(req)));
    if (!batch) throw notFound('Batch');
    res.set('Cache-Control', 'no-store').json(await batchStatus(db, batch));
  });

  router.get('/batches/:id/results.csv', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const batch = await findBatch(db, id, await visibleOffice(db, principalOf(req)));
    if (!batch) throw notFound('Batch');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="batch-${batch.id}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    async function* records() {
      for await (const row of resultRows(db, batch!.id)) {
        const problems = (row.problems as Array<{ path: string; message: string }> | null) ?? [];
        yield {
          row: row.row,
          status: row.status,
          application_id: row.applicationId ?? '',
          case_id: row.caseId ?? '',
          outcome: row.outcome ?? '',
          score: row.score ?? '',
          problems: problems.map((p) => `${p.path}: ${p.message}`).join('; '),
        };
      }
    }
    try {
      await pipeline(
        Readable.from(records()),
        stringify({ header: true, columns: [...resultColumns], bom: true, record_delimiter: 'windows', escape_formulas: true }),
        res,
      );
    } catch (error) {
      if (isClientGone(error, res)) return;
      throw error;
    }
  });

  return router;
}
