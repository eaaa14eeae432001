import { z } from 'zod';

/**
 * The postponement log counts in one time zone, Asia/Jakarta (WIB, UTC+7), whatever office a record
 * comes from: the official monthly figures are Jakarta months, and a date-only filter is a Jakarta
 * calendar day. Indonesia has had no daylight saving time since 1964, so a WIB day is exactly 24 hours.
 */
export const STATS_TIME_ZONE = 'Asia/Jakarta';

const WIB_OFFSET = '+07:00';
const DAY_MS = 86_400_000;

/** The instant a Jakarta calendar day (YYYY-MM-DD) begins. */
export const startOfJakartaDay = (day: string): Date => new Date(`${day}T00:00:00${WIB_OFFSET}`);

/** The instant after a Jakarta calendar day ends (the next day's midnight), an exclusive bound. */
export const endOfJakartaDay = (day: string): Date => new Date(startOfJakartaDay(day).getTime() + DAY_MS);

/** A window bound in a query: a date-only value is a Jakarta calendar day; a date-time needs its offset. */
export const jakartaDateBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected a date (YYYY-MM-DD, a day in Asia/Jakarta) or an ISO 8601 date-time with an offset',
});

const isDateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** An inclusive lower bound: a day's first instant, or the instant given. */
export const fromBound = (value: string): Date => (isDateOnly(value) ? startOfJakartaDay(value) : new Date(value));

/** An exclusive upper bound: a date-only value includes that whole Jakarta day; a date-time is the instant given. */
export const toBound = (value: string): Date => (isDateOnly(value) ? endOfJakartaDay(value) : new Date(value));

const WIB_OFFSET_MS = 7 * 3_600_000;

/** The Jakarta wall-clock reading of an instant as `YYYY-MM-DDTHH:mm:ss.sss` (fixed UTC+7, so plain arithmetic). */
const wallClock = (at: Date) => new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 23);

/** The Jakarta calendar date of an instant, YYYY-MM-DD. */
export const jakartaDate = (at: Date): string => wallClock(at).slice(0, 10);

/** The Jakarta wall-clock time of an instant, `YYYY-MM-DD HH:mm:ss`. */
export const jakartaDateTime = (at: Date): string => wallClock(at).slice(0, 19).replace('T', ' ');
