import { Router } from 'express';
import type { AppDependencies } from '../app';

/** Postponement log endpoints: /postponements, /postponements/stats, /postponements/export.csv. */
export function postponementRoutes(_deps: AppDependencies): Router {
  return Router();
}
