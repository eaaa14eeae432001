import { randomBytes } from 'node:crypto';
import type { RootDatabase } from '../db/client';
import { createUser } from './service';
import type { Role } from './schema';

const demoAccounts: { username: string; displayName: string; role: Role; officeCode: string }[] = [
  { username: 'officer.cgk', displayName: 'Petugas TPI Soekarno-Hatta (demo)', role: 'officer', officeCode: 'TPI-CGK' },
  { username: 'passport.jaksel', displayName: 'Petugas Paspor Jakarta Selatan (demo)', role: 'passport_officer', officeCode: 'KANIM-JAKSEL' },
  { username: 'supervisor.cgk', displayName: 'Supervisor TPI Soekarno-Hatta (demo)', role: 'supervisor', officeCode: 'TPI-CGK' },
  { username: 'admin', displayName: 'Administrator Pusat (demo)', role: 'admin', officeCode: 'HQ' },
];

/** Creates one demo user per role with a fresh random password and returns the logins to show once. */
export async function seedDemoUsers(db: RootDatabase): Promise<{ username: string; password: string; role: Role; officeCode: string }[]> {
  const logins = [];
  for (const account of demoAccounts) {
    const password = randomBytes(9).toString('base64url');
    await createUser(db, { ...account, password });
    logins.push({ username: account.username, password, role: account.role, officeCode: account.officeCode });
  }
  return logins;
}
