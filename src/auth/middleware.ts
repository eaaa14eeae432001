import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { eq, sql } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import { forbidden, unauthenticated } from '../http/errors';
import { offices } from '../offices/schema';
import { users, type Role } from './schema';
import { TokenError, type Principal, type TokenService } from './tokens';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

/**
 * Verifies the bearer token. For tokens we issued, the user must still be active and the token's
 * version current, so deactivation and password changes revoke old tokens at once.
 */
export function authenticate(tokens: TokenService, db: RootDatabase, ownIssuer: string): RequestHandler {
  // Built once and prepared on each connection: it runs on every authenticated request. The office's
  // kind comes along, as intake and office scoping need it and it costs no extra round trip here.
  const currentUser = db
    .select({
      active: users.active,
      tokenVersion: users.tokenVersion,
      officeKind: offices.kind,
      // A token signed out before its expiry (POST /auth/logout) is refused by its jti.
      revoked: sql<boolean>`exists (select 1 from revoked_tokens r where r.jti = ${sql.placeholder('jti')})`,
    })
    .from(users)
    .leftJoin(offices, eq(offices.code, sql.placeholder('officeCode')))
    .where(eq(users.id, sql.placeholder('userId')))
    .limit(1)
    .prepare('auth_current_user');
  // Tokens from an external identity provider name no user of ours, but their office's kind is still
  // needed: admin scope and office scoping are decided from it.
  const officeKindOf = db
    .select({ kind: offices.kind })
    .from(offices)
    .where(eq(offices.code, sql.placeholder('officeCode')))
    .limit(1)
    .prepare('auth_office_kind');
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return next(unauthenticated('Missing bearer token'));
    let principal: Principal;
    try {
      principal = tokens.verify(match[1]);
    } catch (error) {
      return next(unauthenticated(error instanceof TokenError ? error.message : 'Token is not valid'));
    }
    if (principal.issuer === ownIssuer) {
      const [user] = await currentUser.execute({ userId: principal.userId, officeCode: principal.officeCode, jti: principal.tokenId ?? '' });
      if (!user || !user.active || user.tokenVersion !== principal.tokenVersion || user.revoked) {
        return next(unauthenticated('Token has been revoked'));
      }
      principal = { ...principal, officeKind: user.officeKind };
    } else {
      const [office] = await officeKindOf.execute({ officeCode: principal.officeCode });
      principal = { ...principal, officeKind: office?.kind ?? null };
    }
    req.principal = principal;
    req.log?.setBindings?.({ userId: principal.userId, office: principal.officeCode });
    next();
  };
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) return next(unauthenticated());
    if (!allowed.includes(req.principal.role)) return next(forbidden(`This needs one of the roles: ${allowed.join(', ')}`));
    next();
  };
}

/** The authenticated caller; routes behind `authenticate` can rely on it. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthenticated();
  return req.principal;
}
