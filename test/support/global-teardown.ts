import { dropDatabase, withAdminClient } from './databases';

export default async function globalTeardown() {
  const runId = process.env.SARING_TEST_RUN_ID;
  if (!runId) return;
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2`,
      [`saring_t_${runId}_%`, `saring_tpl_${runId}`],
    );
    // Per-file databases first: the template cannot go while a clone is being made from it.
    for (const { datname } of rows.sort((a) => (a.datname.startsWith('saring_tpl_') ? 1 : -1))) {
      await dropDatabase(client, datname);
    }
  });
}
