// @ts-check
// The network around the application (/links): who shares the recruiter's phone, sponsor, employer
// or ticket payer.
import { api } from '../../../api.js';
import { h } from '../../../dom.js';
import { formatDateTime, t } from '../../../i18n.js';
import { outcomeBadge, stateBadge } from '../../shared.js';

/**
 * @typedef {Object} LinkCluster
 * @property {number} withinDays
 * @property {{ id: string, linkedAt: string, officeCode: string, kind: import('../../../../../types/api').ApplicationKind, outcome: import('../../../../../types/api').Outcome, score: number, caseState: import('../../../../../types/api').CaseState | null, sharedKeys: string[], sameTraveller?: boolean }[]} items
 * @property {{ officeCode: string, count: number }[]} [otherOffices]
 * @property {boolean} [truncated]
 */

/** @param {string[]} keys */
const sharedKeys = (keys) => keys.map((key) => t(`links.key.${key}`)).join(', ');

/** @type {import('../panels.js').CasePanel<LinkCluster>} */
export const linksPanel = {
  id: 'links',
  section: 'why',
  load: ({ row }) => api('GET', `/links/${row.application.id}`),
  render: (_state, cluster) =>
    h(
      'section',
      { class: 'panel', id: 'links', 'aria-labelledby': 'links-heading' },
      h('h2', { id: 'links-heading' }, t('links.title')),
      h('p', { class: 'hint' }, t('links.intro', { days: cluster.withinDays })),
      cluster.items.length === 0
        ? h('p', { id: 'links-none' }, t('links.none'))
        : h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { id: 'links-table' },
              h(
                'thead',
                {},
                h('tr', {}, ['common.time', 'common.office', 'queue.kind', 'queue.outcome', 'queue.score', 'queue.state', 'links.shared'].map((key) => h('th', { scope: 'col' }, t(key)))),
              ),
              h(
                'tbody',
                {},
                cluster.items.map((member) =>
                  h(
                    'tr',
                    { 'data-application': member.id },
                    h('td', {}, formatDateTime(member.linkedAt)),
                    h('td', {}, member.officeCode),
                    h('td', {}, t(`kind.${member.kind}`)),
                    h('td', {}, outcomeBadge(member.outcome)),
                    h('td', { class: 'num' }, String(member.score)),
                    h('td', {}, member.caseState ? stateBadge(member.caseState) : '—'),
                    h('td', {}, sharedKeys(member.sharedKeys), member.sameTraveller ? [' ', h('span', { class: 'badge' }, t('links.sameTraveller'))] : null),
                  ),
                ),
              ),
            ),
          ),
      cluster.otherOffices?.length
        ? h('p', { class: 'hint' }, t('links.otherOffices', { list: cluster.otherOffices.map((o) => `${o.officeCode} (${o.count})`).join(', ') }))
        : null,
      cluster.truncated ? h('p', { class: 'hint' }, t('links.truncated')) : null,
    ),
};
