// @ts-check
// Fetching for the case page: the case, and for supervisors the office's reviewers (names and whom
// they may assign). Nothing here touches the DOM.
import { api, ApiError } from '../../api.js';
import { t } from '../../i18n.js';

/** @typedef {import('../../../../types/api').CaseDetail} CaseDetail */
/** @typedef {import('../../../../types/api').Workload} Workload */
/** @typedef {import('../../../../types/api').User} User */

const queueRunners = ['supervisor', 'admin'];

/**
 * @param {string} id
 * @param {User} me
 * @returns {Promise<{ row: CaseDetail, workload: Workload[], runsQueue: boolean, people: (userId: string | null) => string }>}
 */
export async function fetchCase(id, me) {
  /** @type {CaseDetail} */
  const row = await api('GET', `/cases/${id}`);
  const runsQueue = queueRunners.includes(me.role);
  /** @type {Workload[]} */
  let workload = [];
  if (runsQueue) {
    try {
      /** @type {import('../../../../types/api').QueueStats} */
      const stats = await api('GET', '/queue/stats', { query: { office: row.officeCode } });
      workload = stats.offices.find((office) => office.officeCode === row.officeCode)?.workload ?? [];
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw error;
    }
  }
  const names = new Map(workload.map((person) => [person.userId, person.displayName]));
  /** @param {string | null} userId */
  const people = (userId) => (!userId ? '—' : userId === me.id ? t('case.you') : (names.get(userId) ?? t('case.anotherOfficer')));
  return { row, workload, runsQueue, people };
}
