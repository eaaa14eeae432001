import { DomainError } from '../errors';
import type { Role } from './schema';
import type { Principal } from './tokens';

/**
 * What an administrator manages: the one place that decides it. An admin posted at headquarters (an
 * office of kind `headquarters`) manages every office; any other admin manages only their own office:
 * its accounts, its settings and its webhook subscriptions (and receives only its events). An admin can
 * never create an account whose reach is greater than their own.
 *
 * The office's kind comes from authentication (`principal.officeKind`); when it is unknown the caller
 * is treated as an office admin, so a missing lookup never widens anyone's reach.
 */
export type AdminScope = { national: true } | { national: false; officeCode: string };

export function adminScopeOf(principal: Pick<Principal, 'role' | 'officeCode' | 'officeKind'>): AdminScope {
  return principal.role === 'admin' && principal.officeKind === 'headquarters' ? { national: true } : { national: false, officeCode: principal.officeCode };
}

/** Whether the scope covers an office. */
export const coversOffice = (scope: AdminScope, officeCode: string) => scope.national || scope.officeCode === officeCode;

/** The office whose records an admin's lists are limited to, or null for every office. */
export const scopedOffice = (scope: AdminScope): string | null => (scope.national ? null : scope.officeCode);

const outOfScope = (principal: Principal, what: string) =>
  new DomainError('FORBIDDEN', `An admin at ${principal.officeCode} manages only that office: ${what} is outside your scope (headquarters admins manage every office)`, {
    scope: 'office',
    officeCode: principal.officeCode,
  });

/** Throws 403 unless the caller's admin scope covers the office (its settings, its accounts, its webhooks). */
export function assertManagesOffice(principal: Principal, officeCode: string, what = `office ${officeCode}`): void {
  if (!coversOffice(adminScopeOf(principal), officeCode)) throw outOfScope(principal, what);
}

/**
 * Throws 403 unless the caller may create this account: it must sit in an office the caller manages,
 * and its own admin scope must not reach further than the caller's (an office admin can never make a
 * headquarters admin, nor anyone at another office).
 */
export function assertMayCreateAccount(principal: Principal, account: { role: Role; officeCode: string; officeKind: string | null }): void {
  const mine = adminScopeOf(principal);
  const theirs = adminScopeOf(account);
  const reachesFurther = theirs.national && !mine.national;
  if (!coversOffice(mine, account.officeCode) || reachesFurther) {
    throw outOfScope(principal, `an account with role ${account.role} at ${account.officeCode}`);
  }
}
