import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/tokens';
import type { RootDatabase } from '../db/client';
import { offices } from './schema';

/**
 * Which office's records a caller may see: their own, or every office (`null`) for supervisors and
 * admins posted at headquarters.
 */
export async function visibleOffice(db: RootDatabase, principal: Principal): Promise<string | null> {
  if (principal.role !== 'supervisor' && principal.role !== 'admin') return principal.officeCode;
  return (await officeKindOf(db, principal)) === 'headquarters' ? null : principal.officeCode;
}

/** The kind of the caller's office, as authentication read it, or from the database for tokens it did not look up. */
export async function officeKindOf(db: RootDatabase, principal: Principal): Promise<string | null> {
  if (principal.officeKind !== undefined) return principal.officeKind;
  const [office] = await db.select({ kind: offices.kind }).from(offices).where(eq(offices.code, principal.officeCode)).limit(1);
  return office?.kind ?? null;
}
