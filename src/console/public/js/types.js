// @ts-check
// Types shared by the console's modules, as JSDoc (no build step). Nothing here runs: modules import
// these with `import('./types.js').Name` in JSDoc only. API shapes live in src/console/types/api.d.ts.

/** @typedef {import('../../types/api').Bilingual} Bilingual */
/** @typedef {import('../../types/api').User} User */
/** @typedef {import('../../types/api').Office} Office */
/** @typedef {import('../../types/api').ConsoleReference} ConsoleReference */

/**
 * The signed-in session.
 * @typedef {Object} Session
 * @property {string} token
 * @property {User} user
 * @property {Office | null} office
 * @property {number} expiresAt  epoch milliseconds
 */

/**
 * A one-off notice shown on top of the next page.
 * @typedef {{ text: string, kind: 'info' | 'ok' | 'error' }} Flash
 */

/**
 * What the router hands every view. A view fetches what it needs, keeps page state in `memory`
 * (it survives a language switch or refresh of the same page), renders into `main` and answers
 * its title (and optionally what to focus).
 * @typedef {Object} ViewContext
 * @property {HTMLElement} main
 * @property {Record<string, any>} memory
 * @property {string[]} params
 * @property {ConsoleReference} reference
 * @property {Office | null} office
 * @property {Session | null} session
 * @property {(path: string) => void} navigate
 * @property {Flash | null} flash
 * @property {() => Promise<void>} refresh
 */

/** @typedef {{ title: string, focus?: HTMLElement }} ViewResult */
/** @typedef {(ctx: ViewContext) => Promise<ViewResult>} View */

export {};
