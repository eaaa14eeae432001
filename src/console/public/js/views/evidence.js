// @ts-check
// Context evidence (links, watchlist matches) in words: the screening panel and the network panel
// (issue 21) show it, never as JSON.
import { t } from '../i18n.js';

/** One `linked:<key>` evidence value as a sentence: how many travellers, the window, the rule's minimum. */
export function linkedEvidenceText(value) {
  if (!value || typeof value !== 'object' || !Array.isArray(value.applicationIds)) return '—';
  return t('network.evidence', { travellers: value.travellers, days: value.withinDays, atLeast: value.atLeast, applications: value.applicationIds.length });
}

/** A `watchlist:<list>` evidence value (the matching entries) as words. */
export function watchlistEvidenceText(value) {
  if (!Array.isArray(value) || value.length === 0) return '—';
  return value.map((match) => `${match.entry} (${match.source}; ${Math.round(Number(match.similarity) * 100)}%)`).join('; ');
}
