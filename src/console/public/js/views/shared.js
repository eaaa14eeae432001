// @ts-check
// Pieces several pages show: the screening decision, a stored application, badges, messages.
import { h } from '../dom.js';
import { countryName, formatDate, formatDateTime, formatDuration, hasMessage, pick, t } from '../i18n.js';
import { enumLabel, fieldLabel } from '../forms.js';
import { fieldSpecs } from '../specs.js';
import { linkedEvidenceText, watchlistEvidenceText } from './evidence.js';

/** @typedef {import('../../../types/api').Outcome} Outcome */
/** @typedef {import('../../../types/api').Decision} Decision */
/** @typedef {import('../../../types/api').RuleHit} RuleHit */

/** The screening outcome in words (never the raw code), coloured; the code stays in data-outcome for styling and tests. */
export const outcomeBadge = (/** @type {Outcome | string} */ outcome) =>
  h('span', { class: ['outcome', outcome], 'data-outcome': outcome }, outcomeText(outcome));

export const outcomeText = (/** @type {Outcome | string} */ outcome) => (hasMessage(`outcome.${outcome}`) ? t(`outcome.${outcome}`) : t('outcome.unknown'));

/**
 * Why a case sits where it does in the queue, in words with hours and days ("Berangkat dalam 3 hari 10 jam").
 * @param {import('../../../types/api').PriorityReason | null | undefined} reason
 */
export function priorityText(reason) {
  if (!reason) return '';
  switch (reason.code) {
    case 'departs_soon':
      return t('priority.departsIn', { duration: formatDuration(reason.minutesToDeparture) });
    case 'departure_passed':
      return t('priority.departedAgo', { duration: formatDuration(reason.minutesSinceDeparture) });
    case 'waiting_since':
      return t('priority.waitingFor', { duration: formatDuration(reason.minutesWaiting) });
    default:
      return '';
  }
}

/**
 * The hits that weigh most: those that force a review first, then by weight (the engine's order breaks ties).
 * @param {RuleHit[]} hits
 */
export function strongestHits(hits) {
  return hits
    .map((hit, index) => ({ hit, index }))
    .sort((a, b) => Number(!!b.hit.mustReview) - Number(!!a.hit.mustReview) || b.hit.weight - a.hit.weight || a.index - b.index)
    .map(({ hit }) => hit);
}

export const stateBadge = (state) => h('span', { class: ['badge', `state-${state}`], 'data-state': state }, t(`state.${state}`));

export const message = (text, kind = 'info') => h('div', { class: ['message', kind], role: kind === 'error' ? 'alert' : 'status' }, text);

/** Words for an API error an officer can act on. */
export function errorText(error) {
  if (error?.status === 0) return t('error.network');
  if (error?.status === 403) return t('error.forbidden');
  if (error?.status === 404) return t('error.notFound');
  if (error?.status === 409) return `${t('error.conflict')} ${error.message}`;
  if (error?.status === 429) return t('error.rateLimited');
  return error?.message ?? String(error);
}

/** A stored or evidence value, readable: booleans in words, codes with names, dates in WIB. */
export function formatValue(value, spec, path = '') {
  if (value === null || value === undefined || value === '') return '—';
  if (path.startsWith('linked:')) return linkedEvidenceText(value);
  if (path.startsWith('watchlist:')) return watchlistEvidenceText(value);
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((item) => formatValue(item, spec, path)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  if (spec?.options) return enumLabel(spec.options, value);
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  if (/Country$|Countries$|Chain$/.test(leaf) && /^[A-Z]{2}$/i.test(String(value))) return countryName(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(String(value))) return formatDateTime(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(String(value))) return formatDate(value);
  return String(value);
}

/** The evidence a rule looked at: field -> value. */
function evidenceList(evidence, specs) {
  const entries = Object.entries(evidence ?? {});
  if (entries.length === 0) return null;
  return h(
    'dl',
    { class: 'kv' },
    entries.map(([path, value]) => [h('dt', {}, fieldLabel(path)), h('dd', { 'data-evidence': path }, formatValue(value, specs.get(path), path))]),
  );
}

/** @param {RuleHit} hit @param {Map<string, any>} specs */
function hitCard(hit, specs) {
  return h(
    'li',
    { class: 'hit', 'data-rule': hit.ruleId },
    h('h3', {}, pick(hit.title)),
    h('p', { class: 'reason' }, pick(hit.reason)),
    h(
      'p',
      { class: 'meta' },
      t('decision.weight', { weight: hit.weight }),
      hit.mustReview ? [' ', h('span', { class: 'badge must' }, t('decision.mustReview'))] : null,
    ),
    evidenceList(hit.evidence, specs),
  );
}

/**
 * The screening decision as an officer needs it first: the outcome in words, the score, the three
 * strongest reasons and what to do next (`extra`, e.g. the claim button) at the top; every indicator
 * with its evidence folds out below.
 * @param {Decision} decision
 * @param {import('../../../types/api').ApplicationKind} kind
 * @param {{ heading?: string, extra?: Node | null, headingLevel?: 'h1' | 'h2' }} [options]
 */
export function renderDecision(decision, kind, { heading = t('decision.title'), extra = null, headingLevel = 'h2' } = {}) {
  const specs = fieldSpecs(kind);
  const hits = decision.hits ?? [];
  const strongest = strongestHits(hits).slice(0, 3);
  return h(
    'section',
    { class: ['panel', 'decision', `outcome-${decision.outcome}`], 'aria-labelledby': 'decision-heading', tabindex: '-1', id: 'decision' },
    h(headingLevel, { id: 'decision-heading', class: 'decision-title' }, heading),
    h(
      'div',
      { class: 'decision-head' },
      h('strong', { class: 'outcome-words', id: 'decision-outcome' }, outcomeBadge(decision.outcome)),
      h('span', { class: 'score' }, t('decision.score'), ': ', h('span', { 'data-score': '' }, String(decision.score))),
      h('span', { class: 'hint' }, t('decision.hitCount', { count: hits.length })),
    ),
    hits.length === 0
      ? h('p', {}, t('decision.noHits'))
      : h(
          'div',
          { class: 'top-reasons' },
          h('h3', {}, t('decision.strongest')),
          h(
            'ol',
            { class: 'reasons', id: 'top-reasons' },
            strongest.map((hit) =>
              h(
                'li',
                { 'data-rule': hit.ruleId },
                h('strong', {}, pick(hit.title)),
                ' — ',
                pick(hit.reason),
                hit.mustReview ? [' ', h('span', { class: 'badge must' }, t('decision.mustReview'))] : null,
              ),
            ),
          ),
        ),
    extra ? h('div', { class: 'next-action', id: 'next-action' }, extra) : null,
    hits.length === 0
      ? null
      : h(
          'details',
          { class: 'fold', id: 'all-hits' },
          h('summary', {}, t('decision.allHits', { count: hits.length })),
          h('ol', { class: 'hits', 'aria-label': t('decision.hits') }, hits.map((hit) => hitCard(hit, specs))),
          h('p', { class: 'hint' }, t('decision.ruleSet'), ': ', decision.ruleSetVersion ?? '—'),
        ),
  );
}

/** A stored application's body, section by section, with the form's labels. */
export function renderApplication(application) {
  const specs = fieldSpecs(application.kind);
  const payload = application.payload ?? {};
  const sections = [];
  const leaves = [];
  for (const [key, value] of Object.entries(payload)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const rows = Object.entries(value).map(([leaf, leafValue]) => {
        const path = `${key}.${leaf}`;
        return [h('dt', {}, fieldLabel(path)), h('dd', { 'data-field': path }, formatValue(leafValue, specs.get(path), path))];
      });
      sections.push(h('div', {}, h('h3', {}, hasMessage(`sec.${key}`) ? t(`sec.${key}`) : key), h('dl', { class: 'kv' }, rows)));
    } else {
      leaves.push([h('dt', {}, fieldLabel(key)), h('dd', { 'data-field': key }, formatValue(value, specs.get(key), key))]);
    }
  }
  if (leaves.length > 0) sections.unshift(h('div', {}, h('h3', {}, t('sec.general')), h('dl', { class: 'kv' }, leaves)));
  return h('div', { class: 'app-sections' }, sections);
}

/** A reason code's label in the current language. */
export function reasonText(reference, code) {
  if (!code) return '—';
  const reason = reference.reasonCodes.find((r) => r.code === code);
  return reason ? pick(reason.label) : code;
}
