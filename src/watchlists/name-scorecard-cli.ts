/**
 * `npm run names:scorecard`: precision and recall of person-name matching on data/name-pairs.csv at the
 * threshold the default rule set configures, through the real SQL (saring_name_key + pg_trgm). Uses
 * DATABASE_URL, or the embedded PostgreSQL when unset (migrations applied first, as at start-up).
 * `--record` writes the figures to data/name-scorecard.json, the floor the test holds them to.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/client';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded';
import { runMigrations } from '../db/migrate';
import { createLogger } from '../logger';
import { configuredPersonThreshold, nameScorecard, readNamePairs, RECORDED_SCORECARD_FILE } from './name-scorecard';

async function main() {
  const { values } = parseArgs({ options: { record: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.EMBEDDED_PG_DIR, config.EMBEDDED_PG_PORT, logger, { reuseRunning: true });
    url = embedded.url;
  }
  const handle = connectDatabase(url, 2);
  try {
    await runMigrations(handle.pool);
    const pairs = readNamePairs();
    const card = await nameScorecard(handle.db, pairs, configuredPersonThreshold());
    console.log(`Name matching at the configured threshold ${card.threshold} on ${card.pairs} pairs (${card.matches} same person, ${card.nonMatches} not):`);
    console.log(`  precision ${card.precision.toFixed(4)}   recall ${card.recall.toFixed(4)}`);
    console.table(Object.fromEntries(Object.entries(card.byCategory).map(([category, t]) => [category, { pairs: t.pairs, correct: t.correct, TP: t.truePositives, FP: t.falsePositives, FN: t.falseNegatives, TN: t.trueNegatives }])));
    console.log('Pairs the threshold gets wrong:');
    console.table(card.misses.map((m) => ({ a: m.a, b: m.b, label: m.match ? 'match' : 'non-match', similarity: m.similarity, category: m.category })));
    if (values.record) {
      writeFileSync(RECORDED_SCORECARD_FILE, `${JSON.stringify({ threshold: card.threshold, pairs: card.pairs, precision: card.precision, recall: card.recall }, null, 2)}\n`);
      console.log(`Recorded in ${RECORDED_SCORECARD_FILE}`);
    }
  } finally {
    await handle.close();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
