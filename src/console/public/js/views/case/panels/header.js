// @ts-check
// The case's title line: who, the state, the screening outcome in words and why it is where it is in the queue.
import { h } from '../../../dom.js';
import { formatDateTime, t } from '../../../i18n.js';
import { outcomeBadge, priorityText, stateBadge } from '../../shared.js';

/** @param {import('../panels.js').CaseState} state */
export function caseHeader({ row }) {
  return h(
    'div',
    { class: 'case-head' },
    h('h1', { id: 'page-title', tabindex: '-1' }, t('case.title', { name: row.application.fullName })),
    h(
      'p',
      { class: 'decision-head' },
      stateBadge(row.state),
      outcomeBadge(row.outcome),
      row.escalated ? h('span', { class: 'badge escalated' }, t('queue.escalated')) : null,
      h('span', { id: 'case-priority' }, priorityText(row.priorityReason)),
      h('span', { class: 'hint' }, `${row.officeCode} · ${t(`kind.${row.kind}`)} · ${t('case.slaDue')} ${formatDateTime(row.slaDueAt)}`),
    ),
  );
}
