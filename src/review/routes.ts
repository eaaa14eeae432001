import { Router } from 'express';
import type { AppDependencies } from '../app';

/** Review queue endpoints: /cases/* and /queue/stats. */
export function reviewRoutes(_deps: AppDependencies): Router {
  return Router();
}
