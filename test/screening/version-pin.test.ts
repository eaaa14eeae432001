import type { Application } from '../../src/screening/application-schema';
import { databaseScreeningContext, type ScreeningContextPort } from '../../src/screening/context';
import type { ScreeningRequirements } from '../../src/screening/engine';
import { cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { defaultFiles, uploadRuleSet } from '../rulesets/support';

/**
 * The real database-backed context port, with a gate a test can close: the next resolution stops
 * after the context is fetched and before it is handed back for evaluation, until released.
 */
function holdableContext() {
  let gate: { reached: () => void; release: Promise<void> } | null = null;
  const asked: Array<ScreeningRequirements | undefined> = [];
  const port: ScreeningContextPort = {
    async resolve(db, applications: readonly Application[], receivedAt, requirements) {
      const contexts = await databaseScreeningContext.resolve(db, applications, receivedAt, requirements);
      asked.push(requirements);
      const held = gate;
      gate = null;
      if (held) {
        held.reached();
        await held.release;
      }
      return contexts;
    },
  };
  /** Holds the next resolution; resolves `reached` once it is held, and lets it go on `release()`. */
  const holdNext = () => {
    let release!: () => void;
    let reached!: () => void;
    const isReached = new Promise<void>((resolve) => (reached = resolve));
    gate = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: isReached, release: () => release() };
  };
  return { port, asked, holdNext };
}

/** Version B: the default rules plus a rule that reads a comparison the defaults never ask for. */
function filesWithTravellerNameRule(): Record<string, string> {
  const files = defaultFiles();
  files['rules/context.yaml'] += `
  - id: context.watchlist.traveller-name
    title:
      id: Nama pelaku perjalanan mirip dengan orang di daftar pantauan
      en: Traveller's name resembles a person on a watchlist
    reason:
      id: Nama pelaku perjalanan sama atau sangat mirip dengan nama orang di daftar pantauan.
      en: The traveller's name is the same as, or very close to, a person on the watchlist.
    appliesTo: [departure]
    weight: 10
    source: Test rule for the version pin
    when:
      watchlist: { list: person, field: traveller.fullName, minSimilarity: 0.8 }
`;
  return files;
}

describe('the screening version pin: context and evaluation always come from one rule-set version', () => {
  let ctx: TestContext;
  let admin: string;
  let supervisor: string;
  let officer: string;
  const context = holdableContext();

  beforeAll(async () => {
    ctx = await createTestContext({}, { screeningContext: context.port });
    admin = await ctx.tokenFor('admin', 'HQ');
    supervisor = await ctx.tokenFor('supervisor', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx.close());

  it('given a departure check whose context is resolved under version A, when version B is published before it is evaluated, then it is decided under A with A’s context, and the next check under B', async () => {
    // Given the traveller's name on the person watchlist, which only version B reads.
    const entry = await api(ctx).post('/api/v1/watchlists/entries').set(bearer(admin)).send({ list: 'person', name: 'Rina Marlina', source: 'Version pin test' });
    expect(entry.status).toBe(201);
    const versionA = ctx.screener.ruleSetVersion;
    const requirementsA = ctx.screener.current().requirements;
    const versionB = await uploadRuleSet(ctx, admin, filesWithTravellerNameRule());
    expect(versionB).not.toBe(versionA);

    // When a check is held after its context was resolved under A, and B is published meanwhile.
    const held = context.holdNext();
    const pending = api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure()).then((res) => res);
    await held.reached;
    const published = await api(ctx).post(`/api/v1/rulesets/${versionB}/publish`).set(bearer(admin));
    expect(published.status).toBe(200);
    expect(ctx.screener.ruleSetVersion).toBe(versionB);
    held.release();
    const screened = await pending;

    // Then it was decided under A, with the context A asked for, and a replay under A reproduces it.
    expect(screened.status).toBe(201);
    expect(context.asked.at(-1)).toBe(requirementsA);
    expect(screened.body.decision.ruleSetVersion).toBe(versionA);
    expect(screened.body.decision.hits.map((hit: { ruleId: string }) => hit.ruleId)).not.toContain('context.watchlist.traveller-name');
    const replay = await api(ctx).get(`/api/v1/applications/${screened.body.id}/replay`).query({ version: versionA }).set(bearer(supervisor));
    expect(replay.status).toBe(200);
    expect(replay.body.matchesStoredDecision).toBe(true);

    // And the next check is decided under B, whose context includes the name match.
    const next = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(cambodiaLure());
    expect(next.status).toBe(201);
    expect(next.body.decision.ruleSetVersion).toBe(versionB);
    expect(next.body.decision.hits.map((hit: { ruleId: string }) => hit.ruleId)).toContain('context.watchlist.traveller-name');
  });
});
