// @ts-check
// The console's only way to the API: same origin, bearer token from the session, and the API's one
// error shape ({ error: { code, message, details } }) turned into ApiError.
import { endSession, session } from './session.js';

/** /api/v1/ relative to the console's own address, so the console also works behind a path prefix. */
const apiBase = new URL('../api/v1/', new URL('.', window.location.href));

export class ApiError extends Error {
  /**
   * @param {number} status  HTTP status (0: the service could not be reached)
   * @param {string} code    the API's error code
   * @param {string} message
   * @param {unknown} details
   */
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * @param {string} path  relative to /api/v1/
 * @param {Record<string, string | number | boolean | null | undefined>} [query]
 */
export function apiUrl(path, query) {
  const url = new URL(path.replace(/^\//, ''), apiBase);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * @typedef {Object} ApiOptions
 * @property {unknown} [body]  sent as JSON, or as is when a Blob/File or FormData
 * @property {Record<string, string | number | boolean | null | undefined>} [query]
 * @property {boolean} [raw]  answer the Response itself
 * @property {string} [contentType]  for a Blob body
 * @property {AbortSignal} [signal]
 * @property {Record<string, string>} [headers]
 * @property {string} [token]  a token other than the session's (the login's first call)
 */

/**
 * Calls the API. Answers the parsed JSON (null for 204), or the Response itself with `raw: true`.
 * A 401 on an authenticated call ends the session: the console returns to the login page.
 * @param {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {ApiOptions} [options]
 * @returns {Promise<any>}
 */
export async function api(method, path, { body, query, raw = false, contentType, signal, headers: extraHeaders, token } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: raw ? '*/*' : 'application/json', ...extraHeaders };
  const current = session();
  const bearer = token ?? current?.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  /** @type {BodyInit | undefined} */
  let payload;
  if (body instanceof FormData) {
    // The browser sets multipart/form-data with its boundary.
    payload = body;
  } else if (body instanceof Blob) {
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
