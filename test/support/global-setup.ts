import { randomBytes } from 'node:crypto';
import { connectDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { dropDatabase, serverUrl, urlForDatabase, withAdminClient } from './databases';

/**
 * Creates one migrated template database for this run; each test file clones its own database from
 * it (CREATE DATABASE … TEMPLATE), so files never see each other's rows and runs never collide.
 */
export default async function globalSetup() {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `saring_tpl_${runId}`;
  process.env.SARING_TEST_SERVER_URL = serverUrl();
  process.env.SARING_TEST_RUN_ID = runId;
  process.env.SARING_TEST_TEMPLATE = template;
  await withAdminClient(async (client) => {
    await dropDatabase(client, template);
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const handle = connectDatabase(urlForDatabase(template), 2);
  try {
    await runMigrations(handle.pool);
  } finally {
    await handle.close();
  }
}
