import { loadConfig } from '../config';
import { connectDatabase } from './client';
import { runMigrations } from './migrate';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL and exits. */
async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    console.error('DATABASE_URL is not set; the embedded database migrates itself on `npm start`.');
    process.exit(2);
  }
  const handle = connectDatabase(config.DATABASE_URL, 2);
  try {
    await runMigrations(handle.pool);
    console.log('migrations applied');
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
