// Networks (issue 21): the network around a case's application drawn with cytoscape (served from
// this service, /console/vendor/cytoscape.mjs), the cluster alerts as a readable list, "mark as known
// network" for supervisors and admins, and the cluster notifications on the supervisors' board.
import { api, ApiError } from '../api.js';
import { announce, h, replace } from '../dom.js';
import { formatDateTime, pick, t } from '../i18n.js';
import { errorText, message, outcomeBadge } from './shared.js';
import { linkedEvidenceText } from './evidence.js';

const outcomeColours = { CLEAR: '#2e7d32', REVIEW: '#b26a00', POSTPONE_RECOMMENDED: '#c62828' };
const edgeColours = { recruiterPhone: '#6a1b9a', sponsorPhone: '#00838f', employer: '#455a64', ticketPayer: '#ad1457', person: '#1565c0' };
const markers = ['supervisor', 'admin'];
/** Opens a console page (the hash router in main.js follows the address). */
const navigate = (path) => {
  window.location.hash = path;
};

/** Cytoscape, loaded once, on the first case page that draws a network. */
let library;
function loadCytoscape() {
  // Cytoscape adds a one-line <style> unless an element with this id exists; the CSP forbids inline
  // styles, so the rule lives in console.css and this placeholder stands for it.
  if (!document.getElementById('__________cytoscape_stylesheet')) {
    document.head.prepend(h('meta', { id: '__________cytoscape_stylesheet', name: 'cytoscape-style', content: 'console.css' }));
  }
  library ??= import(new URL('../../vendor/cytoscape.mjs', import.meta.url).href).then((module) => module.default);
  return library;
}

const keyText = (by) => t(`network.key.${by}`);

function alertList(alerts) {
  if (alerts.length === 0) return null;
  return h(
    'div',
    { id: 'cluster-alerts' },
    h('h3', {}, t('network.alerts')),
    h(
      'ul',
      { class: 'cluster-alerts' },
      alerts.map((alert) =>
        h(
          'li',
          { 'data-result': alert.result },
          h('strong', {}, formatDateTime(alert.createdAt)),
          ': ',
          t(`network.result.${alert.result}`),
          h(
            'ul',
            {},
            alert.evidence.links.map((link) =>
              h('li', { 'data-key': link.by }, keyText(link.by), link.value ? ` ${link.value}` : '', ' — ', linkedEvidenceText(link)),
            ),
          ),
        ),
      ),
    ),
  );
}

function markKnownForm(network, onDone) {
  const source = h('input', { id: 'known-source', name: 'source', required: true, maxlength: 200 });
  const validTo = h('input', { id: 'known-validTo', name: 'validTo', type: 'date' });
  const status = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'mark-known' }, t('network.markKnown'));
  return h(
    'form',
    {
      id: 'known-network-form',
      novalidate: true,
      onSubmit: async (event) => {
        event.preventDefault();
        if (!source.value.trim()) {
          replace(status, message(t('network.sourceNeeded'), 'error'));
          source.focus();
          return;
        }
        submit.disabled = true;
        try {
          const body = { source: source.value.trim(), withinDays: network.withinDays, ...(validTo.value ? { validTo: validTo.value } : {}) };
          const result = await api('POST', `/networks/${network.anchor}/known`, { body });
          const text = t('network.marked', { added: result.added.length, already: result.alreadyListed.length });
          replace(status, message(text, 'ok'));
          announce(text);
          onDone?.();
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) return;
          replace(status, message(errorText(error), 'error'));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h3', {}, t('network.markKnown')),
    h('p', { class: 'hint' }, t('network.markKnownHint')),
    h('div', { class: 'field' }, h('label', { for: 'known-source' }, t('network.source')), source),
    h('div', { class: 'field' }, h('label', { for: 'known-validTo' }, t('network.validTo')), validTo),
    submit,
    status,
  );
}

function legend() {
  return h(
    'ul',
    { class: 'network-legend', 'aria-label': t('network.legend') },
    Object.keys(outcomeColours).map((outcome) => h('li', {}, outcomeBadge(outcome))),
    Object.entries(edgeColours).map(([by, colour]) => h('li', { class: `edge-${by}`, 'data-colour': colour }, '— ', keyText(by))),
  );
}

/** Draws the graph into `container`; a node with a case opens it on click. */
async function draw(container, network, open) {
  const cytoscape = await loadCytoscape();
  const label = (node) => `${node.anchor ? '★ ' : ''}${node.officeCode} · ${node.departureAt ? formatDateTime(node.departureAt) : formatDateTime(node.submittedAt)}`;
  const cy = cytoscape({
    container,
    elements: [
      ...network.nodes.map((node) => ({ data: { id: node.id, label: label(node), outcome: node.outcome, caseId: node.caseId ?? '', anchor: node.anchor ? 'yes' : 'no' } })),
      ...network.edges.map((edge, i) => ({ data: { id: `e${i}`, source: edge.source, target: edge.target, by: edge.by } })),
    ],
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 4, width: 22, height: 22, 'border-width': 1, 'border-color': '#222' } },
      ...Object.entries(outcomeColours).map(([outcome, colour]) => ({ selector: `node[outcome = "${outcome}"]`, style: { 'background-color': colour } })),
      { selector: 'node[anchor = "yes"]', style: { width: 32, height: 32, 'border-width': 4 } },
      { selector: 'node[caseId != ""]', style: { shape: 'round-rectangle' } },
      { selector: 'edge', style: { width: 2, 'curve-style': 'bezier', opacity: 0.8 } },
      ...Object.entries(edgeColours).map(([by, colour]) => ({ selector: `edge[by = "${by}"]`, style: { 'line-color': colour, 'line-style': by === 'person' ? 'dashed' : 'solid' } })),
    ],
    layout: { name: network.nodes.length > 12 ? 'concentric' : 'circle', padding: 24, animate: false },
    userZoomingEnabled: true,
    wheelSensitivity: 0.3,
  });
  cy.on('tap', 'node', (event) => {
    const caseId = event.target.data('caseId');
    if (caseId) open(`/cases/${caseId}`);
    else announce(t('network.noCase'));
  });
  // Tests and the curious can reach the instance; it holds nothing the API did not already give.
  container.cy = cy;
  return cy;
}

/**
 * The network section of a case page, from GET /networks/:applicationId; it draws itself once it is
 * in the document. `me` decides whether "mark as known network" is offered.
 * @param {any} network
 * @param {{ role: string } | null} me
 * @param {(path: string) => void} [open]
 */
export function networkSection(network, me, open = navigate) {
  const section = h('section', { class: 'panel', id: 'network', 'aria-labelledby': 'network-heading' }, h('h2', { id: 'network-heading' }, t('network.title')));
  const canvas = h('div', { class: 'network-canvas', id: 'network-canvas', role: 'img', 'aria-label': t('network.drawing', { count: network.nodes.length }) });
  replace(
    section,
    section.firstChild,
    h('p', { class: 'hint' }, t('network.intro', { days: network.withinDays })),
    network.nodes.length > 1 ? [legend(), canvas] : h('p', { id: 'network-none' }, t('network.none')),
    network.otherOffices.length > 0 ? h('p', { class: 'hint' }, t('links.otherOffices', { list: network.otherOffices.map((o) => `${o.officeCode} (${o.count})`).join(', ') })) : null,
    alertList(network.alerts),
    me && markers.includes(me.role) && network.sharedKeys.length > 0 ? markKnownForm(network) : null,
  );
  if (network.nodes.length > 1) {
    const start = () =>
      draw(canvas, network, open).catch(() => {
        replace(canvas, message(t('network.unavailable'), 'error'));
      });
    // Cytoscape measures its container: draw once the page has put the section in place (a page
    // left before that never draws).
    let frames = 0;
    const whenShown = () => {
      if (section.isConnected) void start();
      else if (++frames < 600) requestAnimationFrame(whenShown);
    };
    whenShown();
  }
  return section;
}

/** The supervisors' board: cluster members not re-opened (departed, or decided by a person). */
export async function clusterNotificationsPanel() {
  const section = h('section', { class: 'panel', id: 'cluster-notifications', 'aria-labelledby': 'cluster-notifications-heading' }, h('h2', { id: 'cluster-notifications-heading' }, t('network.notifications')));
  let items;
  try {
    ({ items } = await api('GET', '/networks/notifications'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw error;
    section.append(message(errorText(error), 'error'));
    return section;
  }
  if (items.length === 0) {
    section.append(h('p', { id: 'cluster-notifications-none' }, t('network.notificationsNone')));
    return section;
  }
  replace(
    section,
    section.firstChild,
    h(
      'ul',
      { class: 'cluster-notifications' },
      items.map((item) => {
        const row = h(
          'li',
          { 'data-notification': item.id, 'data-reason': item.reason },
          h('strong', {}, formatDateTime(item.createdAt)),
          ' · ',
          item.officeCode,
          ' · ',
          pick(item.reasonText),
          ' · ',
          t('network.linkedBy', { keys: item.linkedBy.map(keyText).join(', ') }),
          ' ',
          item.caseId ? h('button', { type: 'button', class: 'link', onClick: () => navigate(`/cases/${item.caseId}`) }, t('network.openCase')) : null,
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'acknowledge',
              onClick: async (event) => {
                event.currentTarget.disabled = true;
                try {
                  await api('POST', `/networks/notifications/${item.id}/acknowledge`);
                  row.remove();
                  announce(t('network.acknowledged'));
                } catch (error) {
                  if (error instanceof ApiError && error.status === 401) return;
                  row.append(message(errorText(error), 'error'));
                }
              },
            },
            t('network.acknowledge'),
          ),
        );
        return row;
      }),
    ),
  );
  return section;
}
