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
  const [office] = await db.select({ kind: offices.kind }).from(offices).where(eq(offices.code, principal.officeCode)).limit(1);
  return office?.kind === 'headquarters' ? null : principal.officeCode;
}
