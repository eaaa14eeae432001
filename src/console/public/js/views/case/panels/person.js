// @ts-check
// The person behind the case across offices (issue 20): every earlier and later application of the
// same person (NIK, else passport, else name with date of birth), and what officers decided on them,
// newest first, from GET /applications/:id/person. Other offices' records show office, date, outcome
// and reason only; the caller opens only its own office's cases.
import { api } from '../../../api.js';
import { h } from '../../../dom.js';
import { formatDateTime, t } from '../../../i18n.js';
import { outcomeBadge, reasonText } from '../../shared.js';

/**
 * @param {import('../panels.js').CaseState} state
 * @param {any} person
 */
function personTable({ row, ctx }, person) {
  /** @type {any[]} */
  const records = person.records ?? [];
  const others = records.filter((record) => !(record.of === 'application' && record.applicationId === row.application.id));
  if (others.length === 0) return h('p', { id: 'person-history-none' }, t('person.none'));
  /** @type {Map<string, string | null>} */
  const caseOf = new Map((person.applications ?? []).map((/** @type {any} */ a) => [a.id, a.caseId]));
  return h(
    'table',
    { id: 'person-history' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t('common.time'), t('common.office'), t('person.record'), t('person.kind'), t('person.outcome'), t('person.reason'), t('common.actions')].map((label) => h('th', { scope: 'col' }, label)),
      ),
    ),
    h(
      'tbody',
      {},
      records.map((record) => {
        const current = record.applicationId === row.application.id;
        const caseId = record.applicationId ? caseOf.get(record.applicationId) : null;
        return h(
          'tr',
          { 'data-of': record.of, 'data-office': record.officeCode, class: current ? 'current' : null },
          h('td', {}, formatDateTime(record.at)),
          h('td', {}, record.officeCode),
          h('td', {}, t(`person.of.${record.of}`)),
          h('td', {}, t(`kind.${record.kind}`)),
          h('td', {}, record.of === 'application' ? outcomeBadge(record.outcome) : t(`person.officer.${record.of}`)),
          h('td', {}, record.reasonCode ? reasonText(ctx.reference, record.reasonCode) : '—'),
          h(
            'td',
            {},
            current
              ? t('person.thisApplication')
              : caseId && caseId !== row.id
                ? h('button', { type: 'button', class: 'link', onClick: () => ctx.navigate(`/cases/${caseId}`) }, t('person.openCase'))
                : record.applicationId
                  ? '—'
                  : t('person.otherOffice'),
          ),
        );
      }),
    ),
  );
}

/** @type {import('../panels.js').CasePanel<any>} */
export const personPanel = {
  id: 'person-history-panel',
  section: 'history',
  load: ({ row }) => api('GET', `/applications/${row.application.id}/person`),
  render: (state, person) =>
    h(
      'section',
      { class: 'panel', id: 'person-history-panel', 'aria-labelledby': 'person-history-heading' },
      h('h2', { id: 'person-history-heading' }, t('person.title')),
      h('p', { class: 'hint' }, t(`person.keyKind.${person.keyKind}`, { offices: person.officeCodes.join(', ') })),
      personTable(state, person),
      person.truncated ? h('p', { class: 'hint' }, t('person.truncated')) : null,
    ),
};
