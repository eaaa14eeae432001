import { createHash, createPublicKey, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken';
import { z } from 'zod';
import type { Config } from '../config';
import { roles, type Role } from './schema';

export interface Principal {
  userId: string;
  role: Role;
  officeCode: string;
  /** Present on tokens this service issued; compared with the user's current version. */
  tokenVersion: number | null;
  issuer: string;
  /** The token's own id (jti) and expiry, so signing out can revoke exactly this token. */
  tokenId?: string | null;
  expiresAt?: Date | null;
  /**
   * The kind of the caller's office (checkpoint, passport office, headquarters), read with the
   * revocation check for tokens this service issued; undefined when not looked up (null: no such office).
   */
  officeKind?: string | null;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(roles),
  office: z.string().min(1),
  tv: z.number().int().optional(),
  iss: z.string(),
  jti: z.string().max(100).optional(),
  /** Every token expires: one without `exp` would be valid for ever. */
  exp: z.number(),
});

/** A token of this service's own issuer names a user by id: the user row is looked up by it. */
const ownSubject = z.uuid();

/**
 * Whether a principal's user id names one of our own accounts (a uuid); an external identity
 * provider's subject is free-form text and has no row in `users`, so it must never reach a uuid column.
 */
export const isOwnUserId = (userId: string): boolean => ownSubject.safeParse(userId).success;

export class TokenError extends Error {}

/** A key id that names a secret without revealing it, so a rotated-out key can still be found. */
const keyIdOf = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 16);

/** Issues and verifies JWTs with pinned algorithms: HS256 for our own, RS256/ES256 for an external IdP. */
export class TokenService {
  /**
   * Verification keys as KeyObjects, made once: given a string, jsonwebtoken first tries to parse an
   * HMAC secret as a public key (and fails) on every verify, which cost about a tenth of the API's CPU.
   */
  private readonly keyObjects = new Map<string, KeyObject>();

  constructor(private readonly config: Config) {}

  private keyObject(kind: 'secret' | 'public', material: string): KeyObject {
    const cacheKey = `${kind}:${material}`;
    let key = this.keyObjects.get(cacheKey);
    if (!key) {
      try {
        key = kind === 'secret' ? createSecretKey(Buffer.from(material, 'utf8')) : createPublicKey(material);
      } catch {
        // Unusable key material rejects the token, as jsonwebtoken itself would.
        throw new TokenError('Token is not valid');
      }
      this.keyObjects.set(cacheKey, key);
    }
    return key;
  }

  /** Issues a token for the configured lifetime, or for `ttlSeconds` (a carrier feed's long-lived token). */
  issue(user: { id: string; role: Role; officeCode: string; tokenVersion: number }, ttlSeconds: number = this.config.JWT_TTL_SECONDS): { token: string; expiresIn: number } {
    const token = jwt.sign({ role: user.role, office: user.officeCode, tv: user.tokenVersion }, this.config.JWT_SECRET, {
      algorithm: 'HS256',
      subject: user.id,
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      expiresIn: ttlSeconds,
      keyid: keyIdOf(this.config.JWT_SECRET),
      jwtid: randomUUID(),
    });
    return { token, expiresIn: ttlSeconds };
  }

  verify(token: string): Principal {
    const { key, algorithm, issuer } = this.keyFor(token);
    let payload: string | JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [algorithm],
        audience: this.config.JWT_AUDIENCE,
        issuer,
        clockTolerance: this.config.JWT_CLOCK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      throw new TokenError(error instanceof jwt.TokenExpiredError ? 'Token expired' : 'Token is not valid');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new TokenError('Token lacks the sub, role, office or exp claim');
    if (claims.data.iss === this.config.JWT_ISSUER && !ownSubject.safeParse(claims.data.sub).success) throw new TokenError('Token subject is not a user id');
    return {
      userId: claims.data.sub,
      role: claims.data.role,
      officeCode: claims.data.office,
      tokenVersion: claims.data.tv ?? null,
      issuer: claims.data.iss,
      tokenId: claims.data.jti ?? null,
      expiresAt: new Date(claims.data.exp * 1000),
    };
  }

  /** Picks the key by the token's declared algorithm, accepting only the algorithms we configured. */
  private keyFor(token: string): { key: KeyObject; algorithm: Algorithm; issuer: string } {
    const decoded = jwt.decode(token, { complete: true });
    const alg = decoded?.header.alg;
    if (alg === 'HS256') {
      // During a key rotation, tokens signed with the previous secret stay valid until they expire.
      const previous = this.config.JWT_PREVIOUS_SECRET;
      const key = previous && decoded?.header.kid === keyIdOf(previous) ? previous : this.config.JWT_SECRET;
      return { key: this.keyObject('secret', key), algorithm: 'HS256', issuer: this.config.JWT_ISSUER };
    }
    const external = this.config.JWT_EXTERNAL_PUBLIC_KEY;
    if (external && alg === this.config.JWT_EXTERNAL_ALGORITHM) {
      return {
        key: this.keyObject('public', external.replace(/\\n/g, '\n')),
        algorithm: alg,
        issuer: this.config.JWT_EXTERNAL_ISSUER ?? this.config.JWT_ISSUER,
      };
    }
    throw new TokenError('Token algorithm is not accepted');
  }
}
