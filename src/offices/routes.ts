import { Router } from 'express';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { RootDatabase } from '../db/client';
import { principalOf, requireRole } from '../auth/middleware';
import { assertManagesOffice } from '../auth/scope';
import { recordAudit } from '../audit/service';
import { notFound } from '../http/errors';
import { parseBody, parseParams } from '../http/validate';
import { offices } from './schema';

export const officeSettingsSchema = z
  .strictObject({
    requiresPostponementApproval: z.boolean().optional(),
    passportSlaHours: z.number().int().min(1).max(720).nullable().optional(),
    noticeContact: z.string().trim().min(1).max(300).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'send at least one setting');

export const officeParams = z.object({ code: z.string().min(1).max(40) });

export function officeRoutes(db: RootDatabase): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ items: await db.select().from(offices).orderBy(asc(offices.code)) });
  });

  router.patch('/:code', requireRole('admin'), async (req, res) => {
    const { code } = parseParams(officeParams, req);
    const settings = parseBody(officeSettingsSchema, req);
    // An office admin changes only their own office's settings (four eyes at another office is not theirs to switch).
    assertManagesOffice(principalOf(req), code);
    const updated = await db.transaction(async (tx) => {
      const [before] = await tx.select().from(offices).where(eq(offices.code, code)).for('update');
      if (!before) throw notFound('Office');
      const [after] = await tx.update(offices).set(settings).where(eq(offices.code, code)).returning();
      await recordAudit(tx, {
        actor: principalOf(req),
        action: 'office.settings_changed',
        targetType: 'office',
        targetId: code,
        before: { requiresPostponementApproval: before.requiresPostponementApproval, passportSlaHours: before.passportSlaHours, noticeContact: before.noticeContact },
        after: settings,
        requestId: String(req.id),
      });
      return after;
    });
    res.json(updated);
  });

  return router;
}
