// @ts-check
// Supervisor queue board: per office, how many cases are open, claimed, waiting for approval and
// escalated, and how long they have waited; below, the cases themselves with reassignment.
import { api, ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { countryName, formatDateTime, formatMinutes, formatNumber, t } from '../i18n.js';
import { errorText, message, outcomeBadge, priorityText, stateBadge } from './shared.js';
import { clusterNotificationsPanel } from './network.js';

const states = ['open', 'claimed', 'pending_approval', 'decided'];

function board(stats, officeNames) {
  const num = (value) => h('td', { class: 'num' }, formatNumber(value));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: 'queue-board' },
      h('caption', {}, t('queue.board')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('common.office')),
          ['state.open', 'state.claimed', 'state.pending_approval', 'queue.escalated', 'queue.slaBreaches', 'queue.ageP50', 'queue.ageP90', 'queue.ageMax', 'queue.reviewers'].map((key) =>
            h('th', { scope: 'col', class: 'num' }, t(key)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        stats.offices.map((office) =>
          h(
            'tr',
            { 'data-office': office.officeCode },
            h('th', { scope: 'row' }, office.officeCode, h('span', { class: 'hint' }, ` ${officeNames.get(office.officeCode) ?? ''}`)),
            h('td', { class: 'num', 'data-count': 'open' }, formatNumber(office.open)),
            h('td', { class: 'num', 'data-count': 'claimed' }, formatNumber(office.claimed)),
            h('td', { class: 'num', 'data-count': 'pendingApproval' }, formatNumber(office.pendingApproval)),
            h('td', { class: 'num', 'data-count': 'escalated' }, formatNumber(office.escalated)),
            num(office.slaBreaches),
            h('td', { class: 'num' }, formatMinutes(office.ageMinutes.p50)),
            h('td', { class: 'num' }, formatMinutes(office.ageMinutes.p90)),
            h('td', { class: 'num' }, formatMinutes(office.ageMinutes.max)),
            h('td', { class: 'num', title: office.workload.map((w) => `${w.displayName}: ${w.claimedNow}/${w.decidedToday}`).join('\n') }, formatNumber(office.workload.length)),
          ),
        ),
      ),
    ),
  );
}

function reassignCell(row, reviewers, onDone) {
  if (row.state !== 'open' && row.state !== 'claimed') return h('td', {}, '');
  const id = `assign-${row.id}`;
  const select = h(
    'select',
    { id, 'aria-label': t('queue.assignTo') },
    h('option', { value: '' }, t('queue.assignTo')),
    reviewers.map((person) => h('option', { value: person.userId, selected: person.userId === row.assignedTo }, person.displayName ?? person.userId)),
  );
  const button = h(
    'button',
    {
      type: 'button',
      onClick: async () => {
        if (!select.value) {
          select.focus();
          return;
        }
        button.disabled = true;
        try {
          await api('POST', `/cases/${row.id}/assign`, { body: { userId: select.value } });
          onDone(t('queue.assigned'), 'ok');
        } catch (error) {
          button.disabled = false;
          if (!(error instanceof ApiError && error.status === 401)) onDone(errorText(error), 'error');
        }
      },
    },
    t('queue.assign'),
  );
  return h('td', {}, h('div', { class: 'actions' }, select, button));
}

export async function queueView(ctx) {
  const { memory } = ctx;
  const national = ctx.office?.kind === 'headquarters';
  memory.filters ??= { state: 'pending_approval', office: '', escalated: false };
  const [stats, officeList] = await Promise.all([api('GET', '/queue/stats'), api('GET', '/offices')]);
  const officeNames = new Map(officeList.items.map((office) => [office.code, office.name]));
  const reviewersOf = new Map(stats.offices.map((office) => [office.officeCode, office.workload]));
  const names = new Map(stats.offices.flatMap((office) => office.workload.map((w) => [w.userId, w.displayName])));

  const feedback = h('div', { id: 'queue-feedback' }, memory.notice ? message(memory.notice, 'ok') : null);
  memory.notice = null;
  const tbody = h('tbody');
  const more = h('button', { type: 'button', id: 'load-more', hidden: true }, t('common.loadMore'));
  let cursor = null;

  const row = (item) =>
    h(
      'tr',
      { 'data-case': item.id },
      h('td', { 'data-col': 'traveller' }, h('a', { href: `#/cases/${item.id}` }, item.travellerName ?? t('queue.open')), h('span', { class: 'hint' }, ` · ${t(`kind.${item.kind}`)}`)),
      h('td', { 'data-col': 'destination' }, countryName(item.destinationCountry)),
      h('td', { 'data-col': 'departure' }, item.departureAt ? formatDateTime(item.departureAt) : '—'),
      h('td', { 'data-col': 'priority' }, priorityText(item.priorityReason)),
      h('td', {}, outcomeBadge(item.outcome), h('span', { class: 'hint' }, ` ${t('decision.score')} ${item.score}`)),
      h('td', {}, stateBadge(item.state), item.escalated ? [' ', h('span', { class: 'badge escalated' }, t('queue.escalated'))] : null),
      h('td', {}, item.officeCode),
      h('td', {}, formatDateTime(item.slaDueAt)),
      h('td', {}, names.get(item.claimedBy ?? item.assignedTo ?? item.decidedBy) ?? '—'),
      reassignCell(item, reviewersOf.get(item.officeCode) ?? [], (text, kind) => {
        if (kind !== 'ok') {
          replace(feedback, message(text, kind));
          return;
        }
        // Redraw board and list with the change; the notice survives the redraw.
        memory.notice = text;
        void ctx.refresh();
      }),
    );

  const loadCases = async (append) => {
    const { state, office, escalated } = memory.filters;
    const page = await api('GET', '/cases', { query: { state, office: national ? office : undefined, escalated: escalated ? 'true' : undefined, cursor: append ? cursor : undefined, limit: 50 } });
    cursor = page.nextCursor;
    if (!append) replace(tbody);
    if (page.items.length === 0 && !append) tbody.append(h('tr', {}, h('td', { colspan: 10 }, t('queue.noCases'))));
    for (const item of page.items) tbody.append(row(item));
    more.hidden = !cursor;
  };
  more.addEventListener('click', async () => {
    try {
      await loadCases(true);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
    }
  });

  const stateSelect = h(
    'select',
    { id: 'filter-state', name: 'state', value: memory.filters.state },
    h('option', { value: '' }, t('queue.allStates')),
    states.map((state) => h('option', { value: state }, t(`state.${state}`))),
  );
  const officeSelect = national
    ? h(
        'select',
        { id: 'filter-office', name: 'office', value: memory.filters.office },
        h('option', { value: '' }, t('queue.allOffices')),
        stats.offices.map((office) => h('option', { value: office.officeCode }, office.officeCode)),
      )
    : null;
  const escalatedBox = h('input', { type: 'checkbox', id: 'filter-escalated', name: 'escalated', checked: memory.filters.escalated });
  const filters = h(
    'form',
    {
      class: 'filters',
      onSubmit: async (event) => {
        event.preventDefault();
        memory.filters = { state: stateSelect.value, office: officeSelect?.value ?? '', escalated: escalatedBox.checked };
        try {
          await loadCases(false);
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'filter-state' }, t('queue.state')), stateSelect),
    officeSelect ? h('div', { class: 'field' }, h('label', { for: 'filter-office' }, t('common.office')), officeSelect) : null,
    h('div', { class: 'field' }, h('label', { class: 'check', for: 'filter-escalated' }, escalatedBox, t('queue.onlyEscalated'))),
    h('button', { type: 'submit', id: 'filter-apply' }, t('common.show')),
  );

  await loadCases(false);
  const clusterNotifications = await clusterNotificationsPanel();
  replace(
    ctx.main,
    h('h1', { id: 'page-title' }, t('queue.title')),
    h('p', { class: 'zone-note' }, t('common.zoneNote')),
    feedback,
    h('section', { class: 'panel', 'aria-label': t('queue.board') }, board(stats, officeNames)),
    clusterNotifications,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'cases-heading' },
      h('h2', { id: 'cases-heading' }, t('queue.cases')),
      filters,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { id: 'case-list' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['queue.traveller', 'queue.destination', 'queue.departure', 'queue.priority', 'queue.outcome', 'queue.state', 'common.office', 'queue.slaDue', 'queue.person', 'queue.reassign'].map((key) =>
                h('th', { scope: 'col' }, t(key)),
              ),
            ),
          ),
          tbody,
        ),
      ),
      h('div', { class: 'actions' }, more),
    ),
  );
  return { title: t('queue.title') };
}
