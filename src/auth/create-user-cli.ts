import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { seedReferenceOffices } from '../offices/reference';
import { newUserBodySchema } from './routes';
import { createUser } from './service';

const usage = 'npm run user:create -- --username NAME --role officer|passport_officer|supervisor|admin --office CODE [--name "Display Name"] (password from SARING_PASSWORD or --password)';

/** `npm run user:create`: creates an account from the command line (against DATABASE_URL). */
async function main() {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, role: { type: 'string' }, office: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
  });
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL must point at the database to add the user to');
  const input = newUserBodySchema.safeParse({
    username: values.username,
    displayName: values.name ?? values.username,
    password: values.password ?? process.env.SARING_PASSWORD,
    role: values.role,
    officeCode: values.office,
  });
  if (!input.success) {
    console.error(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    console.error(usage);
    process.exit(2);
  }
  const handle = connectDatabase(config.DATABASE_URL, 2);
  try {
    await runMigrations(handle.pool);
    await seedReferenceOffices(handle.db);
    const user = await createUser(handle.db, input.data);
    console.log(`created ${user.username} (${user.role}) in ${user.officeCode}`);
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
