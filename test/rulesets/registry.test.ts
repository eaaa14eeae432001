import { departureCheckInputSchema } from '../../src/screening/application-schema';
import { loadRuleSetDirectory } from '../../src/rulesets/loading';
import { ActiveRuleSet } from '../../src/rulesets/registry';
import { japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { edit, defaultFiles, eventually, uploadRuleSet } from './support';

describe('ActiveRuleSet: one switchable screener per process', () => {
  let ctx: TestContext;
  let admin: string;
  const started: ActiveRuleSet[] = [];
  const directory = loadRuleSetDirectory('rules/default');

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await ctx.tokenFor('admin', 'HQ');
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((registry) => registry.close()));
  });
  afterAll(() => ctx.close());

  const start = async (options: ConstructorParameters<typeof ActiveRuleSet>[1]) => {
    const registry = new ActiveRuleSet(directory, options);
    started.push(registry);
    await registry.start(ctx.database.db, ctx.config.DATABASE_URL!);
    return registry;
  };
  let step = 0;
  /** Uploads a fresh variant (a different review threshold each time) and publishes it. */
  const publishVariant = async () => {
    step += 1;
    const version = await uploadRuleSet(ctx, admin, edit(defaultFiles(), 'manifest.yaml', '  review: 40\n', `  review: ${40 + step}\n`));
    const res = await api(ctx).post(`/api/v1/rulesets/${version}/publish`).set(bearer(admin));
    expect(res.status).toBe(200);
    return version;
  };
  const holiday = { kind: 'departure' as const, data: departureCheckInputSchema.parse(japanHoliday()) };

  it('given a listening process that never polls, when a version is published elsewhere, then it switches on the notification', async () => {
    const registry = await start({ pollMs: 3_600_000 });
    const switched: string[] = [];
    registry.onSwitch((version) => switched.push(version));
    const version = await publishVariant();
    expect(await eventually(() => registry.ruleSetVersion, (v) => v === version)).toBe(version);
    expect(switched).toEqual([version]);
    expect(registry.screen(holiday, new Date('2026-11-01T00:00:00Z')).ruleSetVersion).toBe(version);
  });

  it('given a process that does not listen, when a version is published, then the periodic poll switches it', async () => {
    const registry = await start({ listen: false, pollMs: 50 });
    const version = await publishVariant();
    expect(await eventually(() => registry.ruleSetVersion, (v) => v === version)).toBe(version);
  });

  it('given a database whose active version is not the directory, when a process starts, then it screens with the active version from the start', async () => {
    const version = await publishVariant();
    const registry = await start({ listen: false, pollMs: 3_600_000 });
    expect(directory.version).not.toBe(version);
    expect(registry.ruleSetVersion).toBe(version);
  });

  it('given its listening connection is terminated, when a version is published later, then it reconnects and switches', async () => {
    const registry = await start({ pollMs: 3_600_000, reconnectMs: 20 });
    const pids = async () =>
      (
        await ctx.database.pool.query("select pid from pg_stat_activity where datname = current_database() and application_name = 'saring-ruleset-listener' and query ilike 'LISTEN%'")
      ).rows.map((r) => r.pid as number);
    const before = await pids();
    expect(before.length).toBeGreaterThan(0);
    await ctx.database.pool.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [before]);
    // Wait for the replacement connections (this registry's and the harness app's) to be listening.
    await eventually(pids, (now) => now.length >= before.length && now.every((pid) => !before.includes(pid)));
    const version = await publishVariant();
    expect(await eventually(() => registry.ruleSetVersion, (v) => v === version)).toBe(version);
  });
});
