/**
 * The process-wide active rule set. It is the Screener every consumer already holds (deps.screener),
 * so intake, batches and re-screens call screen() as before; underneath it delegates to the compiled
 * version the database names as active and swaps when that changes.
 *
 * A change reaches every API and worker process through PostgreSQL LISTEN/NOTIFY (publish and rollback
 * notify in their transaction, so listeners hear it on commit). A periodic poll covers notifications
 * missed while the listening connection was down.
 */
import { Client, type Notification } from 'pg';
import type { RootDatabase } from '../db/client';
import type { Logger } from '../logger';
import type { Application } from '../screening/application-schema';
import type { CompiledRuleSet, ScreeningRequirements } from '../screening/engine';
import { createScreener, type Screener, type ScreeningDecision, type ScreeningVersion } from '../screening/screener';
import type { ScreeningContext } from '../screening/subject';
import { loadRuleSetDirectory, type LoadedRuleSet } from './loading';
import { ACTIVATION_CHANNEL, activeVersion, compiledVersion, registerDirectoryRuleSet } from './store';

export interface ActiveRuleSetOptions {
  logger?: Logger;
  /** How often to ask the database which version is active, in case a notification was missed. */
  pollMs?: number;
  /** Listen for notifications (on by default; off only to exercise the poll on its own). */
  listen?: boolean;
  /** Wait before reconnecting a lost listening connection. */
  reconnectMs?: number;
}

export const DEFAULT_POLL_MS = 5_000;

export class ActiveRuleSet implements Screener {
  private active: { compiled: CompiledRuleSet; screener: Screener };
  private db: RootDatabase | undefined;
  private connectionString: string | undefined;
  private listener: Client | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private closed = false;
  private readonly listeners = new Set<(version: string) => void>();

  /** Starts on the directory's set; start() then switches to whatever the database says is active. */
  constructor(
    private readonly initial: LoadedRuleSet,
    private readonly options: ActiveRuleSetOptions = {},
  ) {
    this.active = { compiled: initial.compiled, screener: createScreener(initial.compiled) };
  }

  /** Loads the rule-set directory (throws RuleSetLoadError listing every problem, as loadScreener does). */
  static fromDirectory(dir: string, options: ActiveRuleSetOptions = {}): ActiveRuleSet {
    return new ActiveRuleSet(loadRuleSetDirectory(dir), options);
  }

  get ruleSetVersion(): string {
    return this.active.compiled.version;
  }

  /** What the active version's watchlist and linked conditions read (see resolveScreeningContext). */
  get requirements(): ScreeningRequirements {
    return this.active.compiled.requirements;
  }

  /** The active version as a snapshot that a later switch does not change. */
  current(): ScreeningVersion {
    return this.active.screener;
  }

  screen(application: Application, receivedAt: Date, context?: ScreeningContext): ScreeningDecision {
    return this.active.screener.screen(application, receivedAt, context);
  }

  /** Called with the new version after every switch (logging, tests). */
  onSwitch(listener: (version: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Registers the directory's set (and activates it on a database that has none), switches to the
   * active version, then listens and polls for changes.
   */
  async start(db: RootDatabase, connectionString: string): Promise<void> {
    this.db = db;
    this.connectionString = connectionString;
    const registered = await registerDirectoryRuleSet(db, this.initial);
    if (registered.stored) this.options.logger?.info({ ruleSetVersion: this.initial.version }, 'rule-set directory stored as a version');
    await this.refresh();
    if (this.active.compiled.version !== this.initial.version) {
      this.options.logger?.warn(
        { directory: this.initial.version, active: this.active.compiled.version },
        'the rule-set directory differs from the active version; publish it to use it',
      );
    }
    if (this.options.listen !== false) await this.listen();
    this.pollTimer = setInterval(() => void this.refresh(), this.options.pollMs ?? DEFAULT_POLL_MS);
    this.pollTimer.unref();
  }

  /**
   * Asks the database which version is active and switches to it. Calls queue behind one another, so
   * a refresh requested after a commit always reads after that commit. Never throws: a version that
   * cannot be loaded is logged and the current one stays.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain.then(() => {
      this.queued = null;
      return this.switchToActive();
    });
    this.queued = run;
    this.chain = run;
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    // Shutdown must not hang on a database that is gone: give each step a moment, then move on.
    await withinMs(listener?.end().catch(() => undefined), 2_000);
    await withinMs(this.chain, 2_000);
  }

  private async switchToActive(): Promise<void> {
    if (!this.db || this.closed) return;
    try {
      const version = await activeVersion(this.db);
      if (version === null || version === this.active.compiled.version) return;
      const compiled = await compiledVersion(this.db, version);
      if (!compiled) throw new Error(`active version ${version} is not stored`);
      const previous = this.active.compiled.version;
      this.active = { compiled, screener: createScreener(compiled) };
      this.options.logger?.info({ from: previous, to: version }, 'active rule set switched');
      for (const listener of this.listeners) listener(version);
    } catch (error) {
      this.options.logger?.error({ err: error, current: this.active.compiled.version }, 'could not switch the active rule set; keeping the current one');
    }
  }

  private async listen(): Promise<void> {
    if (this.closed || !this.connectionString) return;
    const client = new Client({ connectionString: this.connectionString, application_name: 'saring-ruleset-listener' });
    const lost = (error?: unknown) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.logger?.warn({ err: error }, 'rule-set listener lost its connection; polling until it reconnects');
      this.reconnectTimer = setTimeout(() => void this.listen(), this.options.reconnectMs ?? 1_000);
      this.reconnectTimer.unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message: Notification) => {
      if (message.channel === ACTIVATION_CHANNEL) void this.refresh();
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${ACTIVATION_CHANNEL}`);
      // Anything published while we were not listening.
      await this.refresh();
    } catch (error) {
      lost(error);
    }
  }
}

function withinMs(promise: Promise<unknown> | undefined, ms: number): Promise<unknown> {
  if (!promise) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
