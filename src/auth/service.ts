import { eq, sql } from 'drizzle-orm';
import type { Database, RootDatabase } from '../db/client';
import { recordAudit } from '../audit/service';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { users, type Role, type User } from './schema';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  officeCode: string;
}

export const normaliseUsername = (username: string) => username.trim().toLowerCase();

export async function createUser(db: Database, input: NewUser, requestId: string | null = null): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({
      username: normaliseUsername(input.username),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      officeCode: input.officeCode,
    })
    .returning();
  if (!user) throw new Error('insert returned no row');
  await recordAudit(db, {
    actor: null,
    action: 'user.created',
    targetType: 'user',
    targetId: user.id,
    after: { username: user.username, role: user.role, officeCode: user.officeCode },
    requestId,
  });
  return user;
}

/** Returns the user when the password matches an active account; null otherwise, in constant-ish time. */
export async function checkCredentials(db: RootDatabase, username: string, password: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.username, normaliseUsername(username))).limit(1);
  if (!user) {
    await verifyPassword(await decoyPasswordHash(), password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  return ok && user.active ? user : null;
}

/** Changing the password bumps the token version, revoking every token issued before. */
export async function changePassword(db: Database, userId: string, newPassword: string): Promise<void> {
  await db
    .update(users)
    .set({
      passwordHash: await hashPassword(newPassword),
      tokenVersion: sql`${users.tokenVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId));
}
