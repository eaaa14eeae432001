import type { Role } from '../auth/schema';

/**
 * Who sees full NIK and passport numbers in list views. Officers at a counter match the person and
 * document in front of them against the list; supervisors and admins oversee queues and figures and
 * see them masked. Everyone may still search by the exact value, and an application's own page
 * (for those who may see it) shows it in full.
 */
export const rolesSeeingFullIdentifiers: readonly Role[] = ['officer', 'passport_officer'];

/**
 * Keeps the first and last four characters of a NIK (`3171********0001`) and the letter prefix and
 * last two digits of a passport number (`C*****67`); anything shorter is hidden entirely.
 */
export function maskIdentifier(value: string): string;
export function maskIdentifier(value: string | null): string | null;
export function maskIdentifier(value: string | null): string | null {
  if (value === null) return null;
  if (value.length >= 12) return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
  const prefix = /^[A-Za-z]{0,2}/.exec(value)?.[0] ?? '';
  if (value.length - prefix.length < 4) return '*'.repeat(value.length);
  return `${prefix}${'*'.repeat(value.length - prefix.length - 2)}${value.slice(-2)}`;
}

/** A list row as the caller's role may see it: NIK and passport number masked unless the role needs them. */
export function identifiersFor<T extends { nik: string; passportNumber: string | null }>(role: Role, row: T): T {
  if (rolesSeeingFullIdentifiers.includes(role)) return row;
  return { ...row, nik: maskIdentifier(row.nik), passportNumber: maskIdentifier(row.passportNumber) };
}
