/**
 * Admission: who may submit what from which office. Single checks, batches and postponements all
 * ask here, so the rule is written once: a checkpoint receives departure checks, a passport office
 * passport applications; officers submit departure checks, passport officers passport applications,
 * supervisors either (at an office of the right kind).
 */
import type { Role } from '../auth/schema';
import { forbidden, unprocessable } from '../errors';

export type SubmissionKind = 'departure' | 'passport';

/** Which kind of office receives which kind of application. */
export const officeKindFor = { departure: 'checkpoint', passport: 'passport_office' } as const;
/** Which kind of application each kind of office receives. */
export const kindForOffice = { checkpoint: 'departure', passport_office: 'passport' } as const;
/** Which roles submit which kind of application. */
export const submitterRoles: Readonly<Record<SubmissionKind, readonly Role[]>> = {
  departure: ['officer', 'supervisor'],
  passport: ['passport_officer', 'supervisor'],
};

/** The kind of application an office receives, or null for offices that receive none (headquarters). */
export function kindReceivedAt(officeKind: string | null | undefined): SubmissionKind | null {
  return officeKind === 'checkpoint' || officeKind === 'passport_office' ? kindForOffice[officeKind] : null;
}

/** Whether an office of this kind decides (and records postponements of) this kind of application. */
export const officeReceives = (officeKind: string | null | undefined, kind: SubmissionKind) => kindReceivedAt(officeKind) === kind;

const applicationsOf = (kind: SubmissionKind) => (kind === 'departure' ? 'Departure checks' : 'Passport applications');

/**
 * Admits a submission of `requested` (or, when not given, of what the caller's office receives) and
 * returns its kind; throws a domain error saying why not.
 */
export function admitSubmission(caller: { role: Role; officeCode: string }, officeKind: string | null | undefined, requested?: SubmissionKind): SubmissionKind {
  const received = kindReceivedAt(officeKind);
  const kind = requested ?? received;
  if (!kind) throw unprocessable(`Batches are submitted from a checkpoint or a passport office; your office is ${caller.officeCode}`);
  if (!submitterRoles[kind].includes(caller.role)) throw forbidden(`Your role may not submit ${applicationsOf(kind).toLowerCase()}`);
  if (kind !== received) throw unprocessable(`${applicationsOf(kind)} are submitted from a ${officeKindFor[kind].replace('_', ' ')}; your office is ${caller.officeCode}`);
  return kind;
}
