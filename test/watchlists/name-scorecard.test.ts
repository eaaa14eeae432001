/**
 * The name-matching scorecard in CI: precision and recall of saring_name_key + pg_trgm similarity on
 * the labelled Indonesian name pairs, at the threshold the default rule set configures for person
 * names, must not drop below the figures recorded in data/name-scorecard.json (and the README).
 */
import { readFileSync } from 'node:fs';
import { configuredPersonThreshold, nameScorecard, readNamePairs, RECORDED_SCORECARD_FILE } from '../../src/watchlists/name-scorecard';
import { createTestContext, type TestContext } from '../support/harness';

describe('name-matching scorecard', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const recorded = JSON.parse(readFileSync(RECORDED_SCORECARD_FILE, 'utf8')) as { threshold: number; pairs: number; precision: number; recall: number };

  it('given the labelled pairs, then there are at least 300 of them, both labels, and every category the issue names', () => {
    const pairs = readNamePairs();
    expect(pairs.length).toBeGreaterThanOrEqual(300);
    expect(new Set(pairs.map((p) => p.category))).toEqual(new Set(['muhammad', 'old_spelling', 'bin_binti', 'swapped_order', 'typo', 'honorific', 'mononym', 'hard_non_match']));
    expect(pairs.filter((p) => !p.match).length).toBeGreaterThanOrEqual(100);
  });

  it('given the configured threshold, when every pair is scored through saring_name_key and pg_trgm, then precision and recall are at least the recorded figures, which the README states', async () => {
    const threshold = configuredPersonThreshold();
    expect(threshold).toBe(recorded.threshold);
    const card = await nameScorecard(ctx.database.db, readNamePairs(), threshold);
    expect(card.pairs).toBe(recorded.pairs);
    expect(card.precision).toBeGreaterThanOrEqual(recorded.precision);
    expect(card.recall).toBeGreaterThanOrEqual(recorded.recall);
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(`precision **${recorded.precision}**`);
    expect(readme).toContain(`recall **${recorded.recall}**`);
  });
});
