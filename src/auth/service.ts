import { eq, sql } from 'drizzle-orm';
import type { Database, RootDatabase } from '../db/client';
import { storableText } from '../audit/chain';
import { recordAudit, type Actor } from '../audit/service';
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

/** Creates the account and its audit record in one transaction; `actor` is the admin who did it (null from the CLI or seeding). */
export async function createUser(db: Database, input: NewUser, requestId: string | null = null, actor: Actor | null = null): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        username: normaliseUsername(input.username),
        displayName: input.displayName,
        passwordHash,
        role: input.role,
        officeCode: input.officeCode,
      })
      .returning();
    if (!user) throw new Error('insert returned no row');
    await recordAudit(tx, {
      actor,
      action: 'user.created',
      targetType: 'user',
      targetId: user.id,
      after: { username: user.username, role: user.role, officeCode: user.officeCode },
      requestId,
    });
    return user;
  });
}

/** Returns the user when the password matches an active account; null otherwise, in constant-ish time. */
export async function checkCredentials(db: RootDatabase, username: string, password: string): Promise<User | null> {
  const name = normaliseUsername(username);
  // A name PostgreSQL cannot store (NUL, lone surrogates) belongs to no account; asking would only raise an error.
  const [user] = storableText(name) === name ? await db.select().from(users).where(eq(users.username, name)).limit(1) : [];
  if (!user) {
    await verifyPassword(await decoyPasswordHash(), password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  return ok && user.active ? user : null;
}

/** Changing the password bumps the token version, revoking every token issued before. */
export async function changePassword(db: Database, userId: string, newPassword: string, actor: Actor | null = null, requestId: string | null = null): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    const [changed] = await tx
      .update(users)
      .set({ passwordHash, tokenVersion: sql`${users.tokenVersion} + 1`, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ tokenVersion: users.tokenVersion });
    await recordAudit(tx, {
      actor,
      action: 'user.password_changed',
      targetType: 'user',
      targetId: userId,
      after: { tokenVersion: changed?.tokenVersion ?? null },
      requestId,
    });
  });
}
