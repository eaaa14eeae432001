// @ts-check
// The signed-in session. It lives in memory and in this tab's sessionStorage, so a reload keeps the
// officer signed in for the token's life; it is never put in localStorage or a cookie, so it is not
// shared with other tabs, does not outlive the tab, and is never sent by the browser on its own.

/** @typedef {import('./types.js').Session} Session */
/** @typedef {'started' | 'restored' | 'logout' | 'expired'} SessionChange */

const storageKey = 'saring.console.session';

/** @type {Session | null} */
let current = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let expiryTimer;
/** @type {Set<(session: Session | null, reason: SessionChange) => void>} */
const listeners = new Set();

/** The current session or null. */
export const session = () => current;

/** @param {(session: Session | null, reason: SessionChange) => void} listener */
export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** @param {SessionChange} reason */
function notify(reason) {
  for (const listener of listeners) listener(current, reason);
}

/** @param {Session | null} value */
function store(value) {
  try {
    if (value) window.sessionStorage.setItem(storageKey, JSON.stringify(value));
    else window.sessionStorage.removeItem(storageKey);
  } catch {
    /* storage disabled: the session lasts until the page is reloaded */
  }
}

/** @param {Session} value */
function begin(value) {
  clearTimeout(expiryTimer);
  current = value;
  // Timers are capped at ~24.8 days; tokens live hours.
  expiryTimer = setTimeout(() => endSession('expired'), Math.max(0, value.expiresAt - Date.now()));
}

/**
 * Starts a session from the login answer; it ends by itself when the token expires.
 * @param {{ token: string, expiresIn: number, user: Session['user'] }} answer
 * @param {Session['office']} office
 */
export function startSession({ token, expiresIn, user }, office) {
  const value = { token, user, office, expiresAt: Date.now() + expiresIn * 1000 };
  begin(value);
  store(value);
  notify('started');
}

/**
 * Picks up the session this tab had before a reload, while its token is still valid (the server
 * still has the last word: a revoked token gets a 401 and ends the session).
 * @returns {boolean} whether a session was restored
 */
export function restoreSession() {
  let saved = null;
  try {
    saved = JSON.parse(window.sessionStorage.getItem(storageKey) ?? 'null');
  } catch {
    saved = null;
  }
  const valid = saved && typeof saved.token === 'string' && saved.user && typeof saved.expiresAt === 'number' && saved.expiresAt > Date.now() + 5_000;
  if (!valid) {
    store(null);
    return false;
  }
  begin(saved);
  return true;
}

/**
 * Ends the session: 'logout' (the user asked), 'expired' (the token ran out or the server refused it).
 * @param {'logout' | 'expired'} [reason]
 */
export function endSession(reason = 'logout') {
  if (!current) return;
  clearTimeout(expiryTimer);
  current = null;
  store(null);
  notify(reason);
}

/** @param {...string} roles */
export const hasRole = (...roles) => !!current && roles.includes(current.user.role);
