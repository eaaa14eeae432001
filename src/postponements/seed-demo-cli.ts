import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/client';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded';
import { runMigrations } from '../db/migrate';
import { createLogger } from '../logger';
import { seedReferenceOffices } from '../offices/reference';
import { DEMO_DEFAULT_SEED } from './demo-data';
import { DemoDataPresent, seedDemoData } from './seed-demo';
import { explainStartupFailure } from '../startup';

const usage = 'npm run seed:demo [-- --seed N] [--year YYYY] [--force]   (DATABASE_URL, or the embedded PostgreSQL when unset)';

/**
 * `npm run seed:demo`: fills the database with a deterministic synthetic year of applications and
 * postponements, so the statistics and the console have something to show. Clearly synthetic.
 */
async function main() {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, year: { type: 'string' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const seed = values.seed === undefined ? DEMO_DEFAULT_SEED : Number(values.seed);
  const year = values.year === undefined ? 2025 : Number(values.year);
  if (!Number.isSafeInteger(seed) || !Number.isInteger(year) || year < 2000 || year > 2100) {
    console.error(usage);
    process.exit(2);
  }

  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    // Beside a running `npm start`, its embedded server is used as it is; otherwise one is started for the seeding.
    embedded = await startEmbeddedPostgres(config.EMBEDDED_PG_DIR, config.EMBEDDED_PG_PORT, logger, { reuseRunning: true });
    console.log(`DATABASE_URL is not set: using the embedded PostgreSQL in ${config.EMBEDDED_PG_DIR}${embedded.reused ? ' (the one `npm start` runs)' : ''}`);
    url = embedded.url;
  }
  const handle = connectDatabase(url, 2);
  try {
    await runMigrations(handle.pool);
    await seedReferenceOffices(handle.db);
    const started = Date.now();
    const summary = await seedDemoData(handle.db, { seed, year, force: values.force });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Synthetic demo data written in ${seconds}s (seed ${summary.seed}, year ${summary.year}; every row is marked synthetic):`);
    console.table({
      applications: summary.applications,
      decisions: summary.decisions,
      'review cases (decided)': summary.cases,
      postponements: summary.postponements,
      'follow-ups': summary.followUps,
    });
    console.log('Postponements per Asia/Jakarta month:');
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    console.table(
      Object.fromEntries(
        months.map((month, i) => [
          `${summary.year}-${String(i + 1).padStart(2, '0')} ${month}`,
          { departures: summary.postponedDepartures.byMonth[i], 'passport issuances': summary.postponedPassportIssuances.byMonth[i] },
        ]),
      ),
    );
    console.log(
      `January–April: ${summary.postponedDepartures.janToApr} postponed departures, ${summary.postponedPassportIssuances.janToApr} postponed passport issuances. ` +
        `Whole year: ${summary.postponedDepartures.year} and ${summary.postponedPassportIssuances.year}.`,
    );
  } catch (error) {
    if (error instanceof DemoDataPresent) {
      console.error(`Not seeding: ${error.message}.`);
      process.exitCode = 3;
      return;
    }
    throw error;
  } finally {
    await handle.close();
    await embedded?.stop();
  }
}

main().catch((error) => {
  console.error(`Seeding failed: ${explainStartupFailure(error, { databaseUrl: process.env.DATABASE_URL }).message}`);
  process.exit(1);
});
