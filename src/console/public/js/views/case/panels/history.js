// @ts-check
// What happened to the case so far, oldest first, from its audit records.
import { h } from '../../../dom.js';
import { formatDateTime, hasMessage, t } from '../../../i18n.js';
import { reasonText } from '../../shared.js';

/** @param {import('../panels.js').CaseState} state */
function historyTable({ row, ctx, people }) {
  const history = row.history ?? [];
  if (history.length === 0) return h('p', {}, '—');
  return h(
    'table',
    { id: 'case-history' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('common.time')), h('th', { scope: 'col' }, t('common.event')), h('th', { scope: 'col' }, t('common.by')))),
    h(
      'tbody',
      {},
      history.map((entry) => {
        const key = `audit.${entry.action}`;
        const reasonCode = /** @type {string | undefined} */ (entry.after?.reasonCode);
        const reason = reasonCode ? ` · ${reasonText(ctx.reference, reasonCode)}` : '';
        return h(
          'tr',
          { 'data-action': entry.action },
          h('td', {}, formatDateTime(entry.at)),
          h('td', {}, `${hasMessage(key) ? t(key) : t('audit.other')}${reason}`),
          h('td', {}, entry.actorRole ? `${people(entry.actorId)} (${t(`role.${entry.actorRole}`)})` : t('common.system')),
        );
      }),
    ),
  );
}

/** @type {import('../panels.js').CasePanel} */
export const historyPanel = {
  id: 'case-history-panel',
  section: 'history',
  render: (state) =>
    h(
      'section',
      { class: 'panel', id: 'case-history-panel', 'aria-labelledby': 'case-history-heading' },
      h('h2', { id: 'case-history-heading' }, t('case.history')),
      historyTable(state),
    ),
};
