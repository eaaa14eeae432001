// The signed-in session lives in this module's memory only: never in localStorage or a readable
// cookie, so a script that reads storage finds nothing, and closing or reloading the tab signs out.

let current = null;
let expiryTimer = null;
const listeners = new Set();

/** The current session ({ token, user, expiresAt, office }) or null. */
export const session = () => current;

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(reason) {
  for (const listener of listeners) listener(current, reason);
}

/** Starts a session from the login answer; it ends by itself when the token expires. */
export function startSession({ token, expiresIn, user }, office) {
  clearTimeout(expiryTimer);
  const expiresAt = Date.now() + expiresIn * 1000;
  current = { token, user, office, expiresAt };
  // Timers are capped at ~24.8 days; tokens live hours.
  expiryTimer = setTimeout(() => endSession('expired'), Math.max(0, expiresIn * 1000));
  notify('started');
}

/** Ends the session: 'logout' (the user asked), 'expired' (the token ran out or the server refused it). */
export function endSession(reason = 'logout') {
  if (!current) return;
  clearTimeout(expiryTimer);
  current = null;
  notify(reason);
}

export const hasRole = (...roles) => !!current && roles.includes(current.user.role);
