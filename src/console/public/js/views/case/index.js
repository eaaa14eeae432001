// @ts-check
// The case page: fetch the case (load.js), let each panel fetch its own data, then render the
// sections in reading order (panels.js). Redrawing after an action fetches everything again.
import { ApiError } from '../../api.js';
import { h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { errorText, message } from '../shared.js';
import { fetchCase } from './load.js';
import { caseSections, casePanels } from './panels.js';
import { caseHeader } from './panels/header.js';

/** @typedef {import('./panels.js').CaseState} CaseState */
/** @typedef {import('./panels.js').CasePanel} CasePanel */

/**
 * Runs every applicable panel's load at once; a panel whose load fails renders its error instead.
 * @param {CaseState} state
 * @returns {Promise<{ panel: CasePanel, node: Node | Node[] | null }[]>}
 */
async function renderPanels(state) {
  const panels = casePanels.filter((panel) => !panel.applies || panel.applies(state));
  const loaded = await Promise.allSettled(panels.map((panel) => (panel.load ? panel.load(state) : Promise.resolve(undefined))));
  return panels.map((panel, index) => {
    const result = loaded[index];
    if (result.status === 'rejected') {
      if (result.reason instanceof ApiError && result.reason.status === 401) throw result.reason;
      return { panel, node: h('section', { class: 'panel', id: panel.id }, message(errorText(result.reason), 'error')) };
    }
    return { panel, node: panel.render(state, result.value) };
  });
}

/** @type {import('../../types.js').View} */
export async function caseView(ctx) {
  const [id] = ctx.params;
  const me = ctx.session.user;

  /** @param {string} [notice] */
  const draw = async (notice) => {
    const loaded = await fetchCase(id, me);
    /** @type {CaseState} */
    const state = {
      ...loaded,
      me,
      ctx,
      reload: async (text) => {
        const fresh = await draw(text);
        replace(ctx.main, ...fresh);
        /** @type {HTMLElement | null} */ (ctx.main.querySelector('#page-title'))?.focus();
      },
      act: (request, doneText) => async (event) => {
        const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
        button.disabled = true;
        try {
          await request();
          await state.reload(doneText);
        } catch (error) {
          button.disabled = false;
          if (error instanceof ApiError && error.status === 401) return;
          ctx.main.prepend(message(errorText(error), 'error'));
        }
      },
    };
    const rendered = await renderPanels(state);
    /** @param {import('./panels.js').CaseSection} section */
    const sectionOf = (section) =>
      h('div', { class: ['case-section', `case-${section}`], 'data-section': section }, rendered.filter((p) => p.panel.section === section).map((p) => p.node));
    return [
      notice ? message(notice, 'ok') : null,
      caseHeader(state),
      h(
        'div',
        { class: 'case-layout' },
        h('div', { class: 'case-main' }, caseSections.filter((s) => s !== 'decision').map(sectionOf)),
        h('aside', { class: 'case-aside', 'aria-label': t('case.decision') }, sectionOf('decision')),
      ),
    ].filter(Boolean);
  };

  replace(ctx.main, ...(await draw()));
  return { title: t('case.pageTitle') };
}
