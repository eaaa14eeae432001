// @ts-check
// The referral of a `refer` decision (issue 23): the agency, status, due date and history, and the
// status change sent → acknowledged → closed with an outcome, for the roles the API lets move it.
import { api, ApiError } from '../../../api.js';
import { h, replace } from '../../../dom.js';
import { formatDate, formatDateTime, hasMessage, pick, t } from '../../../i18n.js';
import { errorText, message } from '../../shared.js';

/** @typedef {import('../../../../../types/api').Referral} Referral */
/** @typedef {import('../../../../../types/api').ReferralStatus} ReferralStatus */
/** @typedef {import('../../../../../types/api').ReferralOutcome} ReferralOutcome */

/** Who may move a referral (the API's referralUpdaters). */
const updaters = ['officer', 'passport_officer', 'supervisor'];
/** Where a referral may go from each status. */
const nextStatus = /** @type {Record<ReferralStatus, ReferralStatus[]>} */ ({ sent: ['acknowledged', 'closed'], acknowledged: ['closed'], closed: [] });
/** @type {ReferralOutcome[]} */
const outcomes = ['assisted', 'returned_home', 'legal_process', 'declined_by_person', 'no_contact', 'other'];

/** An indicator in words; one added to the API after this console was written shows as sent. */
const indicatorText = (/** @type {string} */ code) => (hasMessage(`referral.indicator.${code}`) ? t(`referral.indicator.${code}`) : code);

/** @param {ReferralStatus} status */
const statusBadge = (status) => h('span', { class: ['badge', `referral-${status}`], 'data-status': status }, t(`referral.status.${status}`));

/**
 * @param {Referral} referral
 * @param {import('../panels.js').CaseState} state
 */
function statusForm(referral, { reload }) {
  const choices = nextStatus[referral.status];
  const status = h(
    'select',
    { id: 'referral-status', name: 'status' },
    choices.map((value) => h('option', { value }, t(`referral.status.${value}`))),
  );
  const outcome = h(
    'select',
    { id: 'referral-outcome', name: 'outcome' },
    h('option', { value: '' }, t('form.choose')),
    outcomes.map((value) => h('option', { value }, t(`referral.outcome.${value}`))),
  );
  const note = h('textarea', { id: 'referral-note', name: 'note', maxlength: 2000 });
  const outcomeField = h('div', { class: 'field' }, h('label', { for: 'referral-outcome' }, t('referral.outcome')), outcome);
  const showOutcome = () => {
    outcomeField.hidden = /** @type {HTMLSelectElement} */ (status).value !== 'closed';
  };
  status.addEventListener('change', showOutcome);
  showOutcome();
  const feedback = h('div', { id: 'referral-feedback', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'save-referral-status' }, t('referral.save'));
  return h(
    'form',
    {
      novalidate: true,
      id: 'referral-status-form',
      onSubmit: async (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const chosen = /** @type {HTMLSelectElement} */ (status).value;
        const result = chosen === 'closed' ? /** @type {HTMLSelectElement} */ (outcome).value : '';
        const text = /** @type {HTMLTextAreaElement} */ (note).value.trim();
        // The API's referralStatusBodySchema, before sending.
        if (chosen === 'closed' && !result) {
          replace(feedback, message(t('referral.outcomeNeeded'), 'error'));
          outcome.focus();
          return;
        }
        if (result === 'other' && !text) {
          replace(feedback, message(t('referral.noteNeeded'), 'error'));
          note.focus();
          return;
        }
        submit.disabled = true;
        try {
          await api('POST', `/referrals/${referral.id}/status`, { body: { status: chosen, ...(result ? { outcome: result } : {}), ...(text ? { note: text } : {}) } });
          await reload(t('referral.saved'));
        } catch (error) {
          submit.disabled = false;
          if (error instanceof ApiError && error.status === 401) return;
          replace(feedback, message(errorText(error), 'error'));
        }
      },
    },
    h('h3', {}, t('referral.move')),
    feedback,
    h('div', { class: 'field' }, h('label', { for: 'referral-status' }, t('referral.newStatus')), status),
    outcomeField,
    h('div', { class: 'field' }, h('label', { for: 'referral-note' }, t('referral.note')), note),
    h('div', { class: 'actions' }, submit),
  );
}

/** @type {import('../panels.js').CasePanel<Referral>} */
export const referralPanel = {
  id: 'case-referral',
  section: 'decision',
  applies: ({ row }) => Boolean(row.referral),
  load: ({ row }) => api('GET', `/referrals/${row.referral?.id}`),
  render: (state, referral) =>
    h(
      'section',
      { class: 'panel', id: 'case-referral', 'data-referral': referral.id, 'aria-labelledby': 'case-referral-heading' },
      h('h2', { id: 'case-referral-heading' }, t('referral.title')),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, t('referral.agency')),
        h('dd', { id: 'referral-agency' }, pick(referral.agencyLabel), referral.agencyDetail ? ` · ${referral.agencyDetail}` : null),
        h('dt', {}, t('referral.statusLabel')),
        h(
          'dd',
          { id: 'referral-current' },
          statusBadge(referral.status),
          referral.outcome ? [' · ', t(`referral.outcome.${referral.outcome}`)] : null,
          referral.overdue ? [' ', h('span', { class: 'badge escalated', id: 'referral-overdue' }, t('referral.overdue'))] : null,
        ),
        h('dt', {}, t('referral.due')),
        h('dd', {}, formatDate(referral.dueDate)),
        referral.indicators.length > 0
          ? [h('dt', {}, t('referral.indicators')), h('dd', {}, referral.indicators.map(indicatorText).join(', '))]
          : null,
        referral.details ? [h('dt', {}, t('referral.details')), h('dd', {}, referral.details)] : null,
      ),
      h('p', { class: 'hint' }, t('referral.notWatchlist')),
      h('h3', {}, t('referral.history')),
      h(
        'ol',
        { id: 'referral-history', class: 'plain-list' },
        referral.history.map((event) =>
          h(
            'li',
            { 'data-status': event.status },
            `${formatDateTime(event.recordedAt)} · `,
            statusBadge(event.status),
            event.outcome ? ` · ${t(`referral.outcome.${event.outcome}`)}` : null,
            ` · ${state.people(event.recordedBy)}`,
            event.note ? h('p', { class: 'hint' }, event.note) : null,
          ),
        ),
      ),
      referral.status !== 'closed' && updaters.includes(state.me.role) ? statusForm(referral, state) : null,
    ),
};
