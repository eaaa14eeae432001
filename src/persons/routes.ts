import { Router } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound } from '../http/errors';
import { parseParams } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { personById, personHistory, personOfApplication, type PersonHistory } from './queries';

export const personParams = z.object({ id: z.uuid() });
export const applicationPersonParams = z.object({ id: z.uuid() });
export const personReaders = ['officer', 'passport_officer', 'supervisor', 'admin'] as const;

/**
 * `/persons/:id` and `/applications/:id/person`: a person's applications, decisions, postponements,
 * referrals and clearances across offices. The id is opaque (never a NIK or passport number, which
 * would reach access logs and browser history). Scoped like links: a caller posted at one office
 * sees every office's timeline (office, date, outcome, reason code) but opens only its own office's
 * applications; a person with nothing at the caller's office is not found.
 */
export function personRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();
  const view = (id: string, history: PersonHistory) => ({ id, ...history });

  router.get('/persons/:id', requireRole(...personReaders), async (req, res) => {
    const { id } = parseParams(personParams, req);
    const office = await visibleOffice(db, principalOf(req));
    const person = await personById(db, id);
    const history = person ? await personHistory(db, person.key, office) : null;
    if (!person || !history || (office !== null && !history.officeCodes.includes(office))) throw notFound('Person');
    res.json(view(person.id, history));
  });

  router.get('/applications/:id/person', requireRole(...personReaders), async (req, res) => {
    const { id } = parseParams(applicationPersonParams, req);
    const office = await visibleOffice(db, principalOf(req));
    const person = await personOfApplication(db, id);
    if (!person || (office !== null && person.officeCode !== office)) throw notFound('Application');
    const history = await personHistory(db, person.key, office);
    if (!history) throw notFound('Application');
    res.json(view(person.id, history));
  });

  return router;
}
