// @ts-check
// The case page is a list of panels, each in one of the page's sections. The sections follow how an
// officer reads a case: who → where to and when → why flagged → history → decision (the decision
// section sits in the right-hand column so its buttons stay in view).
//
// To add a panel: write views/case/panels/<name>.js exporting a CasePanel, and add it to
// `casePanels` below in the order it should appear within its section. A panel fetches what it
// needs in `load` (panels load in parallel; a failing panel shows its error and the page still
// renders), and turns the case plus that data into DOM in `render` (no fetching there).
import { whoPanel } from './panels/who.js';
import { tripPanel } from './panels/trip.js';
import { screeningPanel } from './panels/screening.js';
import { linksPanel } from './panels/links.js';
import { networkPanel } from './panels/network.js';
import { historyPanel } from './panels/history.js';
import { personPanel } from './panels/person.js';
import { notesPanel } from './panels/notes.js';
import { attachmentsPanel } from './panels/attachments.js';
import { actionPanels } from './panels/actions.js';
import { postponementPanel, reReviewOfPanel } from './panels/postponement.js';
import { referralPanel } from './panels/referral.js';
import { recruiterWatchlistPanel } from './panels/recruiter-watchlist.js';

/** @typedef {import('../../../../types/api').CaseDetail} CaseDetail */
/** @typedef {import('../../../../types/api').Workload} Workload */
/** @typedef {import('../../types.js').ViewContext} ViewContext */

/** @typedef {'who' | 'trip' | 'why' | 'history' | 'decision'} CaseSection */

/** The sections in reading order. */
export const caseSections = /** @type {const} */ (['who', 'trip', 'why', 'history', 'decision']);

/**
 * What every panel gets: the case as loaded, the user, and the page's actions.
 * @typedef {Object} CaseState
 * @property {CaseDetail} row
 * @property {import('../../../../types/api').User} me
 * @property {boolean} runsQueue  the user is a supervisor or admin (reassigns, approves)
 * @property {Workload[]} workload  reviewers of the case's office (supervisors only)
 * @property {(userId: string | null) => string} people  a user id as a name ("you", a colleague's name)
 * @property {ViewContext} ctx
 * @property {(notice?: string) => Promise<void>} reload  fetch the case again and redraw the page with a notice
 * @property {(request: () => Promise<unknown>, doneText: string) => (event: Event) => Promise<void>} act
 *   a button handler: disable the button, run the request, reload with doneText (or show the error)
 */

/**
 * @template [T=unknown]
 * @typedef {Object} CasePanel
 * @property {string} id  the panel's DOM id
 * @property {CaseSection} section
 * @property {(state: CaseState) => boolean} [applies]  when absent, the panel always shows
 * @property {(state: CaseState) => Promise<T>} [load]  fetches the panel's own data
 * @property {(state: CaseState, data: T) => Node | Node[] | null} render
 */

/** @type {CasePanel<any>[]} */
export const casePanels = [
  whoPanel,
  tripPanel,
  screeningPanel,
  linksPanel,
  networkPanel,
  recruiterWatchlistPanel,
  personPanel,
  historyPanel,
  notesPanel,
  attachmentsPanel,
  reReviewOfPanel,
  ...actionPanels,
  postponementPanel,
  referralPanel,
];
