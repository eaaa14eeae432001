// The API's shapes as the console reads them (written once, from src/*/schema.ts and the OpenAPI
// document at /api/v1/openapi.json). Browser-free: the console's own types live in js/types.js.

export type Bilingual = { id: string; en: string };
export type Outcome = 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';
export type CaseState = 'open' | 'claimed' | 'pending_approval' | 'decided';
export type CaseAction = 'clear' | 'postpone' | 'refer';
export type ApplicationKind = 'departure' | 'passport';
export type Role = 'officer' | 'passport_officer' | 'supervisor' | 'admin';
export type OfficeKind = 'checkpoint' | 'passport_office' | 'headquarters';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  officeCode: string;
}

export interface Office {
  code: string;
  name: string;
  kind: OfficeKind;
  timezone: string;
  [more: string]: unknown;
}

export interface LoginAnswer {
  token: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

export interface RuleHit {
  ruleId: string;
  title: Bilingual;
  reason: Bilingual;
  weight: number;
  mustReview?: boolean;
  evidence?: Record<string, unknown>;
}

export interface Decision {
  id?: string;
  outcome: Outcome;
  score: number;
  hits: RuleHit[];
  ruleSetVersion?: string | null;
  createdAt?: string;
}

export interface Application {
  id: string;
  kind: ApplicationKind;
  officeCode: string;
  submittedBy: string;
  submittedAt: string;
  fullName: string;
  nik: string;
  passportNumber: string | null;
  dateOfBirth: string;
  destinationCountry: string;
  departureAt: string | null;
  payload: Record<string, unknown>;
  outcome: Outcome;
  score: number;
  ruleSetVersion: string;
  [more: string]: unknown;
}

export type PriorityReason =
  | { code: 'departs_soon'; departureAt: string; minutesToDeparture: number; text: Bilingual }
  | { code: 'departure_passed'; departureAt: string; minutesSinceDeparture: number; text: Bilingual }
  | { code: 'waiting_since'; openedAt: string; minutesWaiting: number; text: Bilingual };

export interface HistoryEntry {
  at: string;
  action: string;
  actorId: string | null;
  actorRole: Role | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A case as the list (/cases) shows it. */
export interface CaseSummary {
  id: string;
  applicationId: string;
  kind: ApplicationKind;
  officeCode: string;
  state: CaseState;
  outcome: Outcome;
  score: number;
  priorityAt: string;
  slaDueAt: string;
  escalated: boolean;
  assignedTo: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  leaseExpiresAt: string | null;
  action: CaseAction | null;
  reasonCode: string | null;
  note: string | null;
  postponementDeadline: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
  priorityReason: PriorityReason;
  /** The traveller or applicant, where to and when (present on list items). */
  travellerName?: string;
  destinationCountry?: string;
  departureAt?: string | null;
}

/** GET /cases/{id}: the case with the application as received, its latest screening and its history. */
export interface CaseDetail extends CaseSummary {
  application: Application;
  latestDecision: Decision | null;
  history: HistoryEntry[];
  /** On a re-review: the postponement this case reconsiders. */
  postponementId: string | null;
  /** The postponement this case recorded, once final (approved where four eyes applies). */
  postponement: CasePostponement | null;
  /** The referral of a `refer` decision. */
  referral: CaseReferralLink | null;
}

/** A re-review of a postponement: a case in the office's queue. */
export interface CaseReReview {
  caseId: string;
  state: CaseState;
  action: CaseAction | null;
  createdAt: string;
}

export interface CasePostponement {
  id: string;
  deadline: string | null;
  /** Null until the notice is first printed (GET /postponements/{id}/notice.pdf mints the code). */
  notice: { verificationCode: string; issuedAt: string } | null;
  /** A re-review lifted it. */
  lifted: boolean;
  reReviews: CaseReReview[];
}

export type ReReviewGround = 'documents_completed' | 'objection';

export type ReferralAgency = 'kp2mi_bp3mi' | 'lpsk' | 'police_anti_trafficking' | 'iom' | 'social_services' | 'embassy';
export type ReferralStatus = 'sent' | 'acknowledged' | 'closed';
export type ReferralOutcome = 'assisted' | 'returned_home' | 'legal_process' | 'declined_by_person' | 'no_contact' | 'other';

export interface CaseReferralLink {
  id: string;
  status: ReferralStatus;
  agency: ReferralAgency;
  dueDate: string;
}

/** GET /referrals/{id} */
export interface Referral {
  id: string;
  caseId: string;
  applicationId: string;
  officeCode: string;
  agency: ReferralAgency;
  agencyLabel: Bilingual;
  agencyDetail: string | null;
  indicators: string[];
  reasonCode: string;
  details: string | null;
  status: ReferralStatus;
  outcome: ReferralOutcome | null;
  dueDate: string;
  overdue: boolean;
  createdBy: string;
  createdAt: string;
  acknowledgedAt: string | null;
  closedAt: string | null;
  history: { status: ReferralStatus; outcome: ReferralOutcome | null; note: string | null; recordedBy: string; recordedAt: string }[];
}

/** The parties of an application a supervisor may watchlist from its case; never the traveller. */
export type RecruiterKey = 'recruiterPhone' | 'sponsorPhone' | 'placementAgency' | 'employer';

/** POST /networks/{applicationId}/recruiter-watchlist */
export interface RecruiterWatchlistResult {
  applicationId: string;
  added: { id: string; list: string; name: string | null; phone: string | null; licence: string | null }[];
  alreadyListed: { id: string; list: string }[];
  missing: RecruiterKey[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Workload {
  userId: string;
  displayName: string | null;
  claimedNow: number;
  decidedToday: number;
}

export interface QueueStats {
  offices: {
    officeCode: string;
    open: number;
    claimed: number;
    pendingApproval: number;
    escalated: number;
    slaBreaches: number;
    ageMinutes: { p50: number | null; p90: number | null; max: number | null };
    workload: Workload[];
  }[];
}

export interface ReasonCode {
  code: string;
  actions: CaseAction[];
  label: Bilingual;
}

export interface FieldInfo {
  path: string;
  type: string;
  [more: string]: unknown;
}

/** GET /console/reference.json */
export interface ConsoleReference {
  reasonCodes: ReasonCode[];
  fields: Record<ApplicationKind, FieldInfo[]>;
}

/** A note on a case (POST/GET /cases/{id}/notes). */
export interface CaseNote {
  id: string;
  caseId: string;
  authorId: string;
  authorName: string | null;
  authorRole: Role;
  body: string;
  createdAt: string;
}

export type AttachmentKind = 'job_advert' | 'chat_screenshot' | 'employer_letter' | 'ticket' | 'other';

/** Evidence kept on a case (POST/GET /cases/{id}/attachments). */
export interface CaseAttachment {
  id: string;
  caseId: string;
  kind: AttachmentKind;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  description: string | null;
  uploadedBy: string;
  uploadedByName: string | null;
  uploadedAt: string;
  supersededBy: string | null;
  supersededAt: string | null;
  supersededReason: string | null;
  supersedes: string | null;
}
