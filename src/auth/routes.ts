import { Router } from 'express';
import { z } from 'zod';
import type { RootDatabase } from '../db/client';
import { recordAudit } from '../audit/service';
import { conflict, forbidden, HttpError, unprocessable, validationError } from '../http/errors';
import { parseBody } from '../http/validate';
import { eq } from 'drizzle-orm';
import { principalOf, requireRole } from './middleware';
import { assertManagesOffice, assertMayCreateAccount } from './scope';
import { offices } from '../offices/schema';
import { revokedTokens, roles, users } from './schema';
import { changePassword, checkCredentials, createUser } from './service';
import { isOwnUserId, type TokenService } from './tokens';

export const loginBodySchema = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const newUserBodySchema = z.strictObject({
  username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{3,60}$/, 'use 3-60 letters, digits, dots, dashes or underscores'),
  displayName: z.string().trim().min(1).max(120),
  password: z.string().min(10, 'at least 10 characters').max(200),
  role: z.enum(roles),
  officeCode: z.string().min(1).max(40),
});

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(10, 'at least 10 characters').max(200),
});

export function authRoutes(db: RootDatabase, tokens: TokenService): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    // Credentials are compared, never stored: a username PostgreSQL could not store (NUL, an unpaired
    // surrogate) is a failed sign-in like any other, audited with that text made storable, so the
    // edge's storable-text check (parseBody) is not applied here.
    const parsed = loginBodySchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error, 'body');
    const { username, password } = parsed.data;
    const user = await checkCredentials(db, username, password);
    if (!user) {
      await recordAudit(db, {
        actor: null,
        action: 'auth.login_failed',
        targetType: 'user',
        targetId: null,
        after: { username: username.trim().toLowerCase() },
        requestId: String(req.id ?? ''),
      });
      // Same answer whether the user is unknown, inactive or the password is wrong.
      throw new HttpError(401, 'INVALID_CREDENTIALS', 'Username or password is incorrect');
    }
    const { token, expiresIn } = tokens.issue(user);
    res.json({
      token,
      tokenType: 'Bearer',
      expiresIn,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, officeCode: user.officeCode },
    });
  });

  return router;
}

/** Routes for signed-in users: change one's own password; admins create accounts. */
export function accountRoutes(db: RootDatabase): Router {
  const router = Router();

  router.post('/auth/password', async (req, res) => {
    const body = parseBody(changePasswordBodySchema, req);
    const principal = principalOf(req);
    if (!isOwnUserId(principal.userId)) throw forbidden('This account signs in through the identity provider: change its password there');
    const [user] = await db.select().from(users).where(eq(users.id, principal.userId)).limit(1);
    const verified = user ? await checkCredentials(db, user.username, body.currentPassword) : null;
    if (!verified) throw new HttpError(401, 'INVALID_CREDENTIALS', 'Current password is incorrect');
    await changePassword(db, verified.id, body.newPassword, principal, String(req.id));
    res.status(204).end();
  });

  /** Signs out: this token stops working at once (other sessions of the user stay signed in). */
  router.post('/auth/logout', async (req, res) => {
    const principal = principalOf(req);
    if (principal.tokenId && principal.expiresAt) {
      await db.transaction(async (tx) => {
        await tx.insert(revokedTokens).values({ jti: principal.tokenId!, userId: principal.userId, expiresAt: principal.expiresAt! }).onConflictDoNothing();
        await recordAudit(tx, { actor: principal, action: 'auth.logout', targetType: 'user', targetId: principal.userId, requestId: String(req.id) });
      });
    }
    res.status(204).end();
  });

  router.post('/users', requireRole('admin'), async (req, res) => {
    const body = parseBody(newUserBodySchema, req);
    const principal = principalOf(req);
    const [office] = await db.select().from(offices).where(eq(offices.code, body.officeCode)).limit(1);
    // An office admin learns nothing about offices outside their scope, not even whether one exists.
    if (!office) assertManagesOffice(principal, body.officeCode, `an account at ${body.officeCode}`);
    if (!office) throw unprocessable(`Office ${body.officeCode} does not exist`, [{ path: 'officeCode', message: 'unknown office' }]);
    assertMayCreateAccount(principal, { role: body.role, officeCode: office.code, officeKind: office.kind });
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.username, body.username)).limit(1);
    if (existing) throw conflict(`Username ${body.username} is taken`);
    const user = await createUser(db, body, String(req.id), principal);
    res.status(201).json({ id: user.id, username: user.username, displayName: user.displayName, role: user.role, officeCode: user.officeCode });
  });

  return router;
}
