// @ts-check
// Watchlists: known recruiter phones, agencies, employers, addresses and people. Supervisors read
// them; admins add, revoke and import entries (CSV, with a report per row).
import { api, ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { clearErrors, problemsFromApiError, showErrors } from '../forms.js';
import { errorText, message } from './shared.js';

const lists = ['phone', 'agency', 'employer', 'address', 'person'];
const statuses = ['active', 'scheduled', 'expired', 'revoked', 'all'];
/** The optional fields each list carries (src/watchlists/entries.ts fieldsOf). */
const fieldsOf = { phone: ['phone', 'name'], agency: ['name', 'licence'], employer: ['name', 'country', 'city'], address: ['name', 'country', 'city'], person: ['name'] };
const requiredOf = { phone: ['phone'], agency: ['name'], employer: ['name'], address: ['name'], person: ['name'] };
const isAdmin = (ctx) => ctx.session.user.role === 'admin';

function entryForm(ctx, onCreated) {
  const controls = new Map();
  const summary = h('div', { class: 'error-summary', tabindex: '-1', role: 'alert', hidden: true });
  const input = (name, attrs = {}) => h('input', { type: 'text', id: `wl-${name}`, name, autocomplete: 'off', ...attrs });
  const inputs = {
    list: h('select', { id: 'wl-list', name: 'list' }, lists.map((list) => h('option', { value: list }, t(`wl.list.${list}`)))),
    phone: input('phone', { type: 'tel' }),
    name: input('name', { maxlength: 200 }),
    licence: input('licence', { maxlength: 100 }),
    country: input('country', { maxlength: 2, size: 4 }),
    city: input('city', { maxlength: 100 }),
    source: input('source', { maxlength: 200, required: true }),
    note: h('textarea', { id: 'wl-note', name: 'note', maxlength: 2000 }),
    validFrom: input('validFrom', { type: 'date' }),
    validTo: input('validTo', { type: 'date' }),
  };
  const wrappers = {};
  for (const [name, el] of Object.entries(inputs)) {
    const error = h('p', { class: 'field-error', id: `wl-${name}-error` });
    el.setAttribute('aria-describedby', `wl-${name}-error`);
    controls.set(name, { input: el, error, spec: {} });
    wrappers[name] = h('div', { class: ['field', name === 'note' ? 'full' : null] }, h('label', { for: el.id }, t(`wl.f.${name}`)), el, error);
  }
  const showFields = () => {
    const list = inputs.list.value;
    for (const name of ['phone', 'name', 'licence', 'country', 'city']) wrappers[name].hidden = !fieldsOf[list].includes(name);
  };
  inputs.list.addEventListener('change', showFields);
  showFields();

  return h(
    'form',
    {
      class: 'panel',
      novalidate: true,
      id: 'watchlist-entry-form',
      onSubmit: async (event) => {
        event.preventDefault();
        const list = inputs.list.value;
        const body = { list };
        for (const name of [...fieldsOf[list], 'source', 'note', 'validFrom', 'validTo']) {
          const value = inputs[name].value.trim();
          if (value) body[name] = name === 'country' ? value.toUpperCase() : value;
        }
        const problems = [...requiredOf[list], 'source'].filter((name) => !body[name]).map((name) => ({ path: name, message: t('v.required') }));
        if (body.country && !/^[A-Z]{2}$/.test(body.country)) problems.push({ path: 'country', message: t('v.country') });
        if (body.validFrom && body.validTo && body.validTo < body.validFrom) problems.push({ path: 'validTo', message: t('wl.validToBeforeFrom') });
        if (problems.length > 0) {
          showErrors(controls, summary, problems);
          return;
        }
        clearErrors(controls, summary);
        try {
          await api('POST', '/watchlists/entries', { body });
          onCreated(t('wl.created'));
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) return;
          showErrors(controls, summary, error instanceof ApiError && (error.status === 400 || error.status === 422) ? problemsFromApiError(error) : [{ path: null, message: errorText(error) }], t('form.serverErrorsTitle'));
        }
      },
    },
    h('h2', {}, t('wl.addTitle')),
    summary,
    h('div', { class: 'grid' }, Object.values(wrappers)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('wl.add'))),
  );
}

function importForm() {
  const file = h('input', { type: 'file', id: 'wl-import-file', accept: '.csv,text/csv' });
  const dryRun = h('input', { type: 'checkbox', id: 'wl-import-dry', checked: true });
  const report = h('div', { 'aria-live': 'polite', id: 'wl-import-report' });
  return h(
    'form',
    {
      class: 'panel',
      novalidate: true,
      id: 'watchlist-import-form',
      onSubmit: async (event) => {
        event.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) {
          replace(report, message(t('batch.chooseFile'), 'error'));
          return;
        }
        try {
          const result = await api('POST', '/watchlists/import', { body: chosen, contentType: 'text/csv', query: { dryRun: dryRun.checked ? 'true' : 'false' } });
          const problems = result.rows.filter((row) => row.status === 'invalid' || row.status === 'duplicate');
          replace(
            report,
            message(t(result.dryRun ? 'wl.importChecked' : 'wl.imported', { rows: result.summary.rows, created: result.summary.created, valid: result.summary.valid, duplicates: result.summary.duplicates, invalid: result.summary.invalid }), problems.length ? 'info' : 'ok'),
            problems.length
              ? h(
                  'table',
                  {},
                  h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('wl.line')), h('th', { scope: 'col' }, t('queue.state')), h('th', { scope: 'col' }, t('batch.problems')))),
                  h(
                    'tbody',
                    {},
                    problems.map((row) =>
                      h('tr', {}, h('td', { class: 'num' }, String(row.line)), h('td', {}, t(`wl.row.${row.status}`)), h('td', {}, (row.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; '))),
                    ),
                  ),
                )
              : null,
          );
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 401)) replace(report, message(errorText(error), 'error'));
        }
      },
    },
    h('h2', {}, t('wl.importTitle')),
    h('p', { class: 'hint' }, t('wl.importHint')),
    h('div', { class: 'field' }, h('label', { for: 'wl-import-file' }, t('batch.file')), file),
    h('div', { class: 'field' }, h('label', { class: 'check', for: 'wl-import-dry' }, dryRun, t('wl.dryRun'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('wl.import'))),
    report,
  );
}

function revokeCell(entry, onDone) {
  if (entry.status === 'revoked') return h('td', {}, '');
  const reason = h('input', { type: 'text', id: `revoke-${entry.id}`, maxlength: 1000 });
  const feedback = h('span', { class: 'field-error' });
  return h(
    'td',
    {},
    h(
      'details',
      {},
      h('summary', {}, t('wl.revoke')),
      h('label', { for: reason.id }, t('wl.revokeReason')),
      reason,
      feedback,
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onClick: async () => {
            if (reason.value.trim().length < 3) {
              feedback.textContent = t('wl.revokeReasonShort');
              reason.focus();
              return;
            }
            try {
              await api('POST', `/watchlists/entries/${entry.id}/revoke`, { body: { reason: reason.value.trim() } });
              onDone(t('wl.revoked'));
            } catch (error) {
              if (!(error instanceof ApiError && error.status === 401)) feedback.textContent = errorText(error);
            }
          },
        },
        t('wl.revokeConfirm'),
      ),
    ),
  );
}

export async function watchlistsView(ctx) {
  const { memory } = ctx;
  memory.filters ??= { list: '', status: 'active', q: '' };
  const admin = isAdmin(ctx);
  const feedback = h('div', { id: 'watchlist-feedback' });
  const done = (text) => {
    memory.notice = text;
    void ctx.refresh();
  };
  const { list, status, q } = memory.filters;
  const [summary, page] = await Promise.all([
    api('GET', '/watchlists'),
    api('GET', '/watchlists/entries', { query: { list: list || undefined, status, q: q.length >= 2 ? q : undefined, limit: 100 } }),
  ]);

  const listSelect = h('select', { id: 'wl-filter-list', name: 'list', value: list }, h('option', { value: '' }, t('wl.allLists')), lists.map((l) => h('option', { value: l }, t(`wl.list.${l}`))));
  const statusSelect = h('select', { id: 'wl-filter-status', name: 'status', value: status }, statuses.map((s) => h('option', { value: s }, t(`wl.status.${s}`))));
  const search = h('input', { type: 'text', id: 'wl-filter-q', name: 'q', value: q, maxlength: 200 });
  const notice = memory.notice;
  memory.notice = null;

  replace(
    ctx.main,
    h('h1', { id: 'page-title' }, t('wl.title')),
    h('p', { class: 'zone-note' }, t('common.zoneNote')),
    notice ? message(notice, 'ok') : null,
    feedback,
    h(
      'section',
      { class: 'panel' },
      h(
        'table',
        { id: 'watchlist-summary' },
        h('caption', {}, t('wl.summary')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('wl.list')), ['active', 'scheduled', 'expired', 'revoked'].map((s) => h('th', { scope: 'col', class: 'num' }, t(`wl.status.${s}`))))),
        h(
          'tbody',
          {},
          summary.lists.map((row) =>
            h('tr', { 'data-list': row.list }, h('th', { scope: 'row' }, t(`wl.list.${row.list}`)), ['active', 'scheduled', 'expired', 'revoked'].map((s) => h('td', { class: 'num' }, formatNumber(row[s] ?? 0)))),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'entries-heading' },
      h('h2', { id: 'entries-heading' }, t('wl.entries')),
      h(
        'form',
        {
          class: 'filters',
          onSubmit: (event) => {
            event.preventDefault();
            memory.filters = { list: listSelect.value, status: statusSelect.value, q: search.value.trim() };
            void ctx.refresh();
          },
        },
        h('div', { class: 'field' }, h('label', { for: 'wl-filter-list' }, t('wl.list')), listSelect),
        h('div', { class: 'field' }, h('label', { for: 'wl-filter-status' }, t('queue.state')), statusSelect),
        h('div', { class: 'field' }, h('label', { for: 'wl-filter-q' }, t('wl.search')), search),
        h('button', { type: 'submit' }, t('common.show')),
      ),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { id: 'watchlist-entries' },
          h('thead', {}, h('tr', {}, ['wl.list', 'wl.entry', 'wl.f.source', 'wl.f.validFrom', 'wl.f.validTo', 'queue.state', admin ? 'wl.revoke' : null].filter(Boolean).map((key) => h('th', { scope: 'col' }, t(key))))),
          h(
            'tbody',
            {},
            page.items.length === 0
              ? h('tr', {}, h('td', { colspan: 7 }, t('wl.none')))
              : page.items.map((entry) =>
                  h(
                    'tr',
                    { 'data-entry': entry.id },
                    h('td', {}, t(`wl.list.${entry.list}`)),
                    h('td', {}, entry.label, entry.note ? h('span', { class: 'hint' }, ` — ${entry.note}`) : null),
                    h('td', {}, entry.source),
                    h('td', {}, formatDateTime(entry.validFrom)),
                    h('td', {}, entry.validTo ? formatDateTime(entry.validTo) : '—'),
                    h('td', {}, t(`wl.status.${entry.status}`)),
                    admin ? revokeCell(entry, done) : null,
                  ),
                ),
          ),
        ),
      ),
      page.nextCursor ? h('p', { class: 'hint' }, t('wl.more')) : null,
    ),
    admin ? entryForm(ctx, done) : null,
    admin ? importForm() : null,
  );
  return { title: t('wl.title') };
}
