/** Bench users, created through the real account service, with tokens the API process accepts. */
import { randomBytes } from 'node:crypto';
import { createUser } from '../src/auth/service';
import type { Role } from '../src/auth/schema';
import { TokenService } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import type { RootDatabase } from '../src/db/client';

export interface BenchUser {
  id: string;
  username: string;
  officeCode: string;
  token: string;
}

/** Creates `count` users of the role, spread over the offices in turn, a few at a time (password hashing is slow on purpose). */
export async function createBenchUsers(db: RootDatabase, apiEnv: Record<string, string>, role: Role, offices: string[], count: number): Promise<BenchUser[]> {
  const tokens = new TokenService(loadConfig(apiEnv));
  const users: BenchUser[] = [];
  const tag = randomBytes(3).toString('hex');
  for (let start = 0; start < count; start += 8) {
    const batch = Array.from({ length: Math.min(8, count - start) }, (_, k) => start + k);
    users.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const officeCode = offices[i % offices.length]!;
          const username = `bench.${role}.${tag}.${i}`;
          const user = await createUser(db, { username, displayName: `Bench ${role} ${i}`, password: randomBytes(12).toString('base64url'), role, officeCode });
          return { id: user.id, username, officeCode, token: tokens.issue(user).token };
        }),
      )),
    );
  }
  return users;
}
