// @ts-check
// Why flagged: the screening's outcome in words, the score and the strongest reasons; every
// indicator with its evidence folds out.
import { t } from '../../../i18n.js';
import { renderDecision } from '../../shared.js';

/** @type {import('../panels.js').CasePanel} */
export const screeningPanel = {
  id: 'decision',
  section: 'why',
  applies: ({ row }) => !!row.latestDecision,
  render: ({ row }) => renderDecision(row.latestDecision, row.application.kind, { heading: t('case.screening') }),
};
