import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { applications } from '../applications/schema';
import { offices } from '../offices/schema';
import { spreadsheetSafe } from '../postponements/export';
import { referralAgencies, referralIndicators, type ReferralIndicator } from './indicators';
import { referrals } from './schema';
import { jakartaDateOf, referralConditions, type ReferralFilter } from './service';

/**
 * Columns named after IOM's Human Trafficking Case Data Standard (HTCDS 2.0, github.com/UNMigration/HTCDS)
 * where it has a field (cas_, org_, vic_, prs_ prefixes), and saring_ where it has none. Without
 * personalData the file names nobody: no name, birth date or document number.
 */
const htcdsColumns = [
  'cas_Status',
  'cas_ReferringOrganisation',
  'cas_OutgoingReferralDate',
  'cas_ReferredOrganisation',
  'org_Type',
  'cas_ReasonForOutgoingReferral',
  'cas_OutgoingReferralDetails',
  'cas_ReasonForCaseClosure',
  'vic_MethodsOfControl',
  'vic_MethodOfRecruitment',
] as const;
const saringColumns = ['saring_referral_id', 'saring_case_id', 'saring_office_code', 'saring_agency', 'saring_indicators', 'saring_status', 'saring_due_date', 'saring_overdue', 'saring_acknowledged_at', 'saring_closed_at', 'saring_outcome'] as const;
const personalColumns = ['prs_FirstName', 'prs_Birthdate'] as const;

export const referralCsvColumns = (personalData: boolean) => [...htcdsColumns, ...saringColumns, ...(personalData ? personalColumns : [])];

const caseStatus = { sent: 'Active', acknowledged: 'FollowUp', closed: 'Closed' } as const;

const htcdsValues = (indicators: string[], field: string) =>
  indicators
    .map((code): { field: string; value: string } | null => referralIndicators[code as ReferralIndicator]?.htcds ?? null)
    .flatMap((mapped) => (mapped && mapped.field === field ? [mapped.value] : []))
    .join(';');

export async function writeReferralsCsv(db: Database, filter: ReferralFilter, personalData: boolean, res: Response, now: Date): Promise<number> {
  const rows = await db
    .select({ r: referrals, officeName: offices.name, fullName: applications.fullName, dateOfBirth: applications.dateOfBirth })
    .from(referrals)
    .innerJoin(offices, eq(offices.code, referrals.officeCode))
    .innerJoin(applications, eq(applications.id, referrals.applicationId))
    .where(referralConditions(filter))
    .orderBy(asc(referrals.createdAt), asc(referrals.id));
  const today = jakartaDateOf(now);
  const records = rows.map(({ r, officeName, fullName, dateOfBirth }) => ({
    cas_Status: caseStatus[r.status],
    cas_ReferringOrganisation: spreadsheetSafe(`Direktorat Jenderal Imigrasi - ${officeName}`),
    cas_OutgoingReferralDate: jakartaDateOf(r.createdAt),
    cas_ReferredOrganisation: spreadsheetSafe([referralAgencies[r.agency].label.en, r.agencyDetail].filter(Boolean).join(' - ')),
    org_Type: referralAgencies[r.agency].orgType,
    cas_ReasonForOutgoingReferral: 'AdditionalServicesRequired',
    cas_OutgoingReferralDetails: spreadsheetSafe(r.details ?? ''),
    cas_ReasonForCaseClosure: r.outcome ?? '',
    vic_MethodsOfControl: htcdsValues(r.indicators, 'vic_MethodsOfControl'),
    vic_MethodOfRecruitment: htcdsValues(r.indicators, 'vic_MethodOfRecruitment'),
    saring_referral_id: r.id,
    saring_case_id: r.caseId,
    saring_office_code: r.officeCode,
    saring_agency: r.agency,
    saring_indicators: r.indicators.join(';'),
    saring_status: r.status,
    saring_due_date: r.dueDate,
    saring_overdue: r.status !== 'closed' && r.dueDate < today ? 'true' : 'false',
    saring_acknowledged_at: r.acknowledgedAt?.toISOString() ?? '',
    saring_closed_at: r.closedAt?.toISOString() ?? '',
    saring_outcome: r.outcome ?? '',
    ...(personalData ? { prs_FirstName: spreadsheetSafe(fullName), prs_Birthdate: dateOfBirth ?? '' } : {}),
  }));
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="referrals-htcds-${today}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(stringify(records, { header: true, columns: referralCsvColumns(personalData), bom: true, record_delimiter: 'windows' }));
  return records.length;
}
