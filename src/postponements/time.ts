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

const WIB_OFFSET_MS = 7 * 3_600_000;

/** The Jakarta wall-clock reading of an instant as `YYYY-MM-DDTHH:mm:ss.sss` (fixed UTC+7, so plain arithmetic). */
const wallClock = (at: Date) => new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 23);

/** The Jakarta calendar date of an instant, YYYY-MM-DD. */
export const jakartaDate = (at: Date): string => wallClock(at).slice(0, 10);

/** The Jakarta wall-clock time of an instant, `YYYY-MM-DD HH:mm:ss`. */
export const jakartaDateTime = (at: Date): string => wallClock(at).slice(0, 19).replace('T', ' ');
