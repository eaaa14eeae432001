// The console's only way to the API: same origin, bearer token from the in-memory session, and the
// API's one error shape ({ error: { code, message, details } }) turned into ApiError.
import { endSession, session } from './session.js';

/** /api/v1/ relative to the console's own address, so the console also works behind a path prefix. */
const apiBase = new URL('../api/v1/', new URL('.', window.location.href));

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function apiUrl(path, query) {
  const url = new URL(path.replace(/^\//, ''), apiBase);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * Calls the API. `body` is sent as JSON unless it is a Blob/File (sent as is with `contentType`).
 * Answers the parsed JSON (null for 204), or the Response itself with `raw: true`.
 * A 401 on an authenticated call ends the session: the console returns to the login page.
 */
export async function api(method, path, { body, query, raw = false, contentType, signal, headers: extraHeaders, token } = {}) {
  const headers = { Accept: raw ? '*/*' : 'application/json', ...extraHeaders };
  const current = session();
  const bearer = token ?? current?.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = contentType || body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(apiUrl(path, query), { method, headers, body: payload, signal, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The service cannot be reached', null);
  }
  if (response.status === 401 && current && !token) {
    endSession('expired');
  }
  if (!response.ok) {
    let error = null;
    try {
      error = (await response.json())?.error ?? null;
    } catch {
      /* not JSON */
    }
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.details ?? null);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}
