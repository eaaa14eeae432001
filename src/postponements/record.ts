import type { Database } from '../db/client';
import { recordAudit, type Actor } from '../audit/service';
import type { ReasonCodeValue } from './reasons';
import { postponements, type PostponementRow } from './schema';

export interface NewPostponement {
  kind: 'departure' | 'passport_issuance';
  applicationId: string | null;
  caseId: string | null;
  officeCode: string;
  destinationCountry: string;
  /** Countries passed through before the destination (the application's); empty when direct or unknown. */
  viaCountries?: string[];
  reasonCode: ReasonCodeValue;
  note: string;
  deadline: string | null;
  decidedBy: string;
  decidedAt?: Date;
  /** The second person whose approval made it final (four eyes), and when. */
  approvedBy?: string | null;
  approvedAt?: Date | null;
}

/** Default time an applicant gets to complete documents after a postponement. */
export const DEFAULT_DEADLINE_DAYS = 30;

/**
 * Writes one postponement log entry and its audit record. Call it inside the transaction of the
 * decision it records (the review queue does), so the log and the decision never disagree.
 */
export async function recordPostponement(
  tx: Database,
  input: NewPostponement,
  actor: Actor | null,
  requestId: string | null,
): Promise<PostponementRow> {
  const [row] = await tx.insert(postponements).values(input).returning();
  if (!row) throw new Error('postponement insert returned no row');
  await recordAudit(tx, {
    actor,
    action: 'postponement.recorded',
    targetType: 'postponement',
    targetId: row.id,
    after: { kind: row.kind, reasonCode: row.reasonCode, caseId: row.caseId, applicationId: row.applicationId, approvedBy: row.approvedBy },
    requestId,
  });
  return row;
}
