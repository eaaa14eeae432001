// @ts-check
// A final postponement (issue 23): the applicant's notice, printed in Bahasa Indonesia or English
// (fetched with the session's token and saved from an object URL: a plain link would carry none),
// its verification code, and the re-review the applicant may ask for.
import { api, ApiError } from '../../../api.js';
import { announce, download, h, replace } from '../../../dom.js';
import { formatDate, formatDateTime, t } from '../../../i18n.js';
import { errorText, message, stateBadge } from '../../shared.js';

/** @typedef {import('../panels.js').CaseState} CaseState */
/** @typedef {import('../../../../../types/api').CasePostponement} CasePostponement */
/** @typedef {import('../../../../../types/api').ReReviewGround} ReReviewGround */

/** Who may open a re-review (the API's deciders). */
const deciders = ['officer', 'passport_officer', 'supervisor'];
/** @type {ReReviewGround[]} */
const grounds = ['documents_completed', 'objection'];
const noticeLanguages = /** @type {const} */ (['id', 'en']);

/**
 * Fetches the notice as a Blob with the session's token and offers it as a file.
 * @param {CaseState} state
 * @param {CasePostponement} postponement
 * @param {'id' | 'en'} lang
 * @param {HTMLElement} feedback
 */
async function printNotice({ reload }, postponement, lang, feedback) {
  /** @type {Response} */
  const response = await api('GET', `/postponements/${postponement.id}/notice.pdf`, { raw: true, query: { lang } });
  const blob = await response.blob();
  if (!(response.headers.get('Content-Type') ?? '').startsWith('application/pdf')) {
    replace(feedback, message(t('postponement.notPdf'), 'error'));
    return;
  }
  download(new Blob([blob], { type: 'application/pdf' }), `pemberitahuan-penundaan-${postponement.id.slice(0, 8)}-${lang}.pdf`);
  announce(t('postponement.printed'));
  // The first print mints the verification code: fetch the case again to show it.
  if (!postponement.notice) await reload(t('postponement.printed'));
  else replace(feedback, message(t('postponement.printed'), 'ok'));
}

/**
 * @param {CaseState} state
 * @param {CasePostponement} postponement
 */
function reReviewForm({ reload }, postponement) {
  const ground = h(
    'select',
    { id: 're-review-ground', name: 'ground', required: true },
    h('option', { value: '' }, t('form.choose')),
    grounds.map((value) => h('option', { value }, t(`reReview.ground.${value}`))),
  );
  const note = h('textarea', { id: 're-review-note', name: 'note', maxlength: 2000 });
  const feedback = h('div', { id: 're-review-feedback', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'start-re-review' }, t('reReview.start'));
  return h(
    'form',
    {
      novalidate: true,
      id: 're-review-form',
      onSubmit: async (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const chosen = /** @type {HTMLSelectElement} */ (ground).value;
        if (!chosen) {
          replace(feedback, message(t('reReview.groundNeeded'), 'error'));
          ground.focus();
          return;
        }
        const text = /** @type {HTMLTextAreaElement} */ (note).value.trim();
        submit.disabled = true;
        try {
          await api('POST', `/postponements/${postponement.id}/re-reviews`, { body: { ground: chosen, ...(text ? { note: text } : {}) } });
          await reload(t('reReview.started'));
        } catch (error) {
          submit.disabled = false;
          if (error instanceof ApiError && error.status === 401) return;
          replace(feedback, message(errorText(error), 'error'));
        }
      },
    },
    h('p', { class: 'hint' }, t('reReview.intro')),
    feedback,
    h('div', { class: 'field' }, h('label', { for: 're-review-ground' }, t('reReview.ground')), ground),
    h('div', { class: 'field' }, h('label', { for: 're-review-note' }, t('reReview.note')), note),
    h('div', { class: 'actions' }, submit),
  );
}

/** @param {CasePostponement} postponement */
function reReviewList(postponement) {
  if (postponement.reReviews.length === 0) return null;
  return h(
    'ul',
    { id: 're-reviews', class: 'plain-list' },
    postponement.reReviews.map((item) =>
      h(
        'li',
        { 'data-case': item.caseId },
        h('a', { href: `#/cases/${item.caseId}`, class: 're-review-link' }, t('reReview.case', { time: formatDateTime(item.createdAt) })),
        ' ',
        stateBadge(item.state),
        item.action === 'clear' || item.action === 'postpone' ? [' · ', t(`reReview.outcome.${item.action}`)] : null,
      ),
    ),
  );
}

/** @type {import('../panels.js').CasePanel} */
export const postponementPanel = {
  id: 'case-postponement',
  section: 'decision',
  applies: ({ row }) => row.postponement !== null && row.postponement !== undefined,
  render: (state) => {
    const postponement = /** @type {CasePostponement} */ (state.row.postponement);
    const feedback = h('div', { id: 'notice-feedback', 'aria-live': 'polite' });
    const underWay = postponement.reReviews.some((item) => item.state !== 'decided');
    /** @param {'id' | 'en'} lang */
    const print = (lang) => async (/** @type {Event} */ event) => {
      const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
      button.disabled = true;
      try {
        await printNotice(state, postponement, lang, feedback);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
      } finally {
        button.disabled = false;
      }
    };
    return h(
      'section',
      { class: 'panel', id: 'case-postponement', 'data-postponement': postponement.id, 'aria-labelledby': 'case-postponement-heading' },
      h('h2', { id: 'case-postponement-heading' }, postponement.lifted ? t('postponement.liftedTitle') : t('postponement.title')),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, t('f.deadline')),
        h('dd', {}, postponement.deadline ? formatDate(postponement.deadline) : '—'),
        h('dt', {}, t('postponement.code')),
        h(
          'dd',
          { id: 'notice-code' },
          postponement.notice ? h('code', {}, postponement.notice.verificationCode) : h('span', { class: 'hint' }, t('postponement.codeOnPrint')),
        ),
      ),
      h('p', { class: 'hint' }, t('postponement.printHint')),
      feedback,
      h(
        'div',
        { class: 'actions' },
        noticeLanguages.map((lang) => h('button', { type: 'button', id: `print-notice-${lang}`, 'data-lang': lang, onClick: print(lang) }, t(`postponement.print.${lang}`))),
      ),
      h('h3', {}, t('reReview.title')),
      reReviewList(postponement),
      postponement.lifted
        ? h('p', { id: 're-review-closed' }, t('postponement.lifted'))
        : underWay
          ? h('p', { id: 're-review-under-way' }, t('reReview.underWay'))
          : deciders.includes(state.me.role)
            ? reReviewForm(state, postponement)
            : h('p', { class: 'hint' }, t('reReview.none')),
    );
  },
};

/**
 * On a re-review case: what it reconsiders, and what clear and postpone mean here.
 * @type {import('../panels.js').CasePanel}
 */
export const reReviewOfPanel = {
  id: 'case-re-review-of',
  section: 'decision',
  applies: ({ row }) => Boolean(row.postponementId),
  render: () => h('div', { class: 'panel', id: 'case-re-review-of' }, h('h2', {}, t('reReview.title')), h('p', {}, t('reReview.thisCase'))),
};
