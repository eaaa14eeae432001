// @ts-check
// "Watchlist the recruiter" (issue 23), for supervisors and admins: the recruiter's or sponsor's
// phone, the placement agency or the employer this application names go on the watchlists with a
// source and validity. Only the parties the application carries are offered; never the traveller.
import { api, ApiError } from '../../../api.js';
import { announce, h, replace } from '../../../dom.js';
import { t } from '../../../i18n.js';
import { errorText, message } from '../../shared.js';

/** @typedef {import('../../../../../types/api').Application} Application */
/** @typedef {import('../../../../../types/api').RecruiterKey} RecruiterKey */
/** @typedef {import('../../../../../types/api').RecruiterWatchlistResult} RecruiterWatchlistResult */

const watchers = ['supervisor', 'admin'];

/** @param {unknown} value */
const textOf = (value) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * The parties this application names, as the API reads them (recruiterPhone, sponsorPhone and
 * employerName columns; the placement agency from the employment section).
 * @param {Application} application
 * @returns {{ key: RecruiterKey, value: string }[]}
 */
export function recruiterParties(application) {
  const employment = /** @type {Record<string, unknown> | undefined} */ (application.payload?.employment);
  /** @type {[RecruiterKey, string | null][]} */
  const candidates = [
    ['recruiterPhone', textOf(application.recruiterPhone)],
    ['sponsorPhone', textOf(application.sponsorPhone)],
    ['placementAgency', textOf(employment?.placementAgencyName)],
    ['employer', textOf(application.employerName)],
  ];
  return candidates.flatMap(([key, value]) => (value ? [{ key, value }] : []));
}

/** @param {RecruiterWatchlistResult} result */
function resultList(result) {
  return h(
    'div',
    { id: 'recruiter-watchlist-result' },
    h('p', {}, t('network.marked', { added: result.added.length, already: result.alreadyListed.length })),
    result.added.length > 0
      ? h(
          'ul',
          { class: 'plain-list' },
          result.added.map((entry) =>
            h('li', { 'data-entry': entry.id, 'data-list': entry.list }, `${t(`recruiterWatch.list.${entry.list}`)}: ${entry.phone ?? entry.name ?? '—'}`, entry.licence ? ` (${entry.licence})` : null),
          ),
        )
      : null,
    result.missing.length > 0 ? h('p', { class: 'hint' }, t('recruiterWatch.missing', { list: result.missing.map((key) => t(`recruiterWatch.key.${key}`)).join(', ') })) : null,
  );
}

/** @type {import('../panels.js').CasePanel} */
export const recruiterWatchlistPanel = {
  id: 'case-recruiter-watchlist',
  section: 'why',
  applies: ({ row, me }) => watchers.includes(me.role) && recruiterParties(row.application).length > 0,
  render: ({ row }) => {
    const parties = recruiterParties(row.application);
    const boxes = parties.map(({ key }) => h('input', { type: 'checkbox', name: 'keys', value: key, id: `watch-${key}` }));
    const source = h('input', { id: 'recruiter-source', name: 'source', required: true, maxlength: 200 });
    const validTo = h('input', { id: 'recruiter-validTo', name: 'validTo', type: 'date' });
    const feedback = h('div', { id: 'recruiter-watchlist-feedback', 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', id: 'watchlist-recruiter' }, t('recruiterWatch.title'));
    return h(
      'section',
      { class: 'panel', id: 'case-recruiter-watchlist', 'aria-labelledby': 'case-recruiter-watchlist-heading' },
      h('h2', { id: 'case-recruiter-watchlist-heading' }, t('recruiterWatch.title')),
      h('p', { class: 'hint' }, t('recruiterWatch.intro')),
      h(
        'form',
        {
          novalidate: true,
          id: 'recruiter-watchlist-form',
          onSubmit: async (/** @type {SubmitEvent} */ event) => {
            event.preventDefault();
            const keys = boxes.filter((box) => /** @type {HTMLInputElement} */ (box).checked).map((box) => /** @type {HTMLInputElement} */ (box).value);
            const from = /** @type {HTMLInputElement} */ (source).value.trim();
            if (keys.length === 0) {
              replace(feedback, message(t('recruiterWatch.chooseParty'), 'error'));
              boxes[0]?.focus();
              return;
            }
            if (!from) {
              replace(feedback, message(t('network.sourceNeeded'), 'error'));
              source.focus();
              return;
            }
            const until = /** @type {HTMLInputElement} */ (validTo).value;
            submit.disabled = true;
            try {
              /** @type {RecruiterWatchlistResult} */
              const result = await api('POST', `/networks/${row.application.id}/recruiter-watchlist`, { body: { keys, source: from, ...(until ? { validTo: until } : {}) } });
              replace(feedback, message(resultList(result), 'ok'));
              announce(t('network.marked', { added: result.added.length, already: result.alreadyListed.length }));
            } catch (error) {
              if (error instanceof ApiError && error.status === 401) return;
              replace(feedback, message(errorText(error), 'error'));
            } finally {
              submit.disabled = false;
            }
          },
        },
        h(
          'fieldset',
          {},
          h('legend', {}, t('recruiterWatch.parties')),
          parties.map(({ key, value }, index) =>
            h('div', { class: 'check-row' }, h('label', { for: `watch-${key}` }, boxes[index], ` ${t(`recruiterWatch.key.${key}`)}: `, h('span', { 'data-party': key }, value))),
          ),
        ),
        h('div', { class: 'field' }, h('label', { for: 'recruiter-source' }, t('network.source')), source),
        h('div', { class: 'field' }, h('label', { for: 'recruiter-validTo' }, t('network.validTo')), validTo),
        feedback,
        h('div', { class: 'actions' }, submit),
      ),
    );
  },
};
