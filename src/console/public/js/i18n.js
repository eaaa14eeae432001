// @ts-check
// Language and formatting. Bahasa Indonesia is the default; the choice (not a secret) is remembered.
// Every time is shown in Asia/Jakarta (WIB) with the zone named.
import { messages } from './messages.js';

export const languages = ['id', 'en'];
const storageKey = 'saring.console.lang';
export const DISPLAY_TIME_ZONE = 'Asia/Jakarta';

let lang = (() => {
  try {
    const stored = window.localStorage.getItem(storageKey);
    return languages.includes(stored) ? stored : 'id';
  } catch {
    return 'id';
  }
})();
const listeners = new Set();

export const currentLanguage = () => lang;

export function setLanguage(next) {
  if (!languages.includes(next) || next === lang) return;
  lang = next;
  try {
    window.localStorage.setItem(storageKey, next);
  } catch {
    /* private mode: the choice lasts for this page */
  }
  document.documentElement.lang = lang;
  for (const listener of listeners) listener(lang);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message for a key in the current language, with {name} placeholders filled. */
export function t(key, params) {
  const text = messages[lang][key] ?? messages.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
}

/** Whether a key is translated (used for optional labels such as enum values). */
export const hasMessage = (key) => key in messages[lang] || key in messages.en;

/** Picks the current language from a bilingual value ({ id, en }) as the API returns it. */
export function pick(bilingual) {
  if (bilingual === null || bilingual === undefined) return '';
  if (typeof bilingual === 'string') return bilingual;
  return bilingual[lang] ?? bilingual.en ?? bilingual.id ?? '';
}

const locale = () => (lang === 'id' ? 'id-ID' : 'en-GB');

/** A moment as "23 Nov 2026 09.40 WIB": always Asia/Jakarta, zone named. */
export function formatDateTime(value) {
  if (!value) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const text = new Intl.DateTimeFormat(locale(), {
    timeZone: DISPLAY_TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${text} WIB`;
}

/** A calendar date (YYYY-MM-DD) in words; calendar dates have no zone. */
export function formatDate(value) {
  if (!value) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (!match) return formatDateTime(value);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

/** "2025-03" as "Mar 2025". */
export function formatMonth(value) {
  const match = /^(\d{4})-(\d{2})$/.exec(String(value));
  if (!match) return String(value);
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
}

export const formatNumber = (value) => new Intl.NumberFormat(locale()).format(value);

/**
 * A duration in words an officer reads at a glance: minutes under an hour, hours and minutes under two
 * days, days and hours beyond ("45 mnt", "5 jam 20 mnt", "3 hari 10 jam").
 * @param {number | null | undefined} minutes
 */
export function formatDuration(minutes) {
  if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return '—';
  const whole = Math.max(0, Math.round(minutes));
  if (whole < 60) return t('time.minutes', { m: whole });
  const hours = Math.floor(whole / 60);
  if (hours < 48) return whole % 60 === 0 ? t('time.hours', { h: hours }) : t('time.hoursMinutes', { h: hours, m: whole % 60 });
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? t('time.days', { d: days }) : t('time.daysHours', { d: days, h: hours % 24 });
}

/** Minutes (queue ages) as a duration; kept for the pages that call it by this name. */
export const formatMinutes = formatDuration;

/** A country's name in the current language, from its ISO code ("KH" -> "Kamboja (KH)"). */
export function countryName(code) {
  if (!code) return '—';
  try {
    const name = new Intl.DisplayNames([locale()], { type: 'region' }).of(String(code).toUpperCase());
    return name && name !== code ? `${name} (${String(code).toUpperCase()})` : String(code);
  } catch {
    return String(code);
  }
}

/** "Today" in Asia/Jakarta as YYYY-MM-DD. */
export function todayInJakarta() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: DISPLAY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The UTC offset of a time zone at a moment, as "+07:00" (Indonesia keeps no daylight saving). */
export function offsetOf(timeZone, at = new Date()) {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(part ?? '');
  return match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
}

/** The Indonesian abbreviation of a zone (WIB/WITA/WIT), or the zone name. */
export function zoneAbbreviation(timeZone) {
  return { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' }[timeZone] ?? timeZone;
}

document.documentElement.lang = lang;
