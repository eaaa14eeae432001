/**
 * What every component receives from the composition root (src/main.ts, src/worker.ts, the test
 * harness). A kernel module: route files, jobs and use cases import it, never src/app.ts, so the
 * composition root depends on components and never the other way round.
 */
import type { Config } from './config';
import type { RootDatabase } from './db/client';
import type { JobRunner } from './jobs';
import type { Logger } from './logger';
import type { RateLimitCounters } from './http/rate-limit-store';
import type { ScreeningContextPort } from './screening/context';
import type { Screener } from './screening/screener';

export interface AppDependencies {
  config: Config;
  db: RootDatabase;
  jobs: JobRunner;
  logger: Logger;
  /** Screens applications with the active rule set; take `screener.current()` once per screening. */
  screener: Screener;
  /**
   * Resolves the facts rules read from the world (watchlist matches, links) before evaluation.
   * Defaults to the database-backed resolver; tests wrap it to hold a screening at a known point.
   */
  screeningContext?: ScreeningContextPort;
  /**
   * Resolves a webhook receiver's host name to all its addresses, each checked against the address
   * policy before a delivery connects. Defaults to the system resolver; tests give their own, so they
   * never ask real DNS.
   */
  resolveHost?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  /** Where rate limits count: shared through Redis when several API processes serve (in memory by default). */
  rateLimitCounters?: RateLimitCounters;
}
