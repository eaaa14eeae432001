// @ts-check
// Rule sets (admins change them, supervisors read them): the list, a version's YAML files and
// tests, uploading a draft folder (problems shown as file:line), publish and roll back, and a
// backtest with its transition matrix, rule deltas and fairness report, and per rule how the
// applications it hit ended once an officer decided.
import { api, ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime, formatNumber, hasMessage, t, todayInJakarta } from '../i18n.js';
import { enumLabel } from '../forms.js';
import { errorText, message, outcomeBadge, outcomeText } from './shared.js';

const outcomes = ['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED'];
const statusBadge = (status) => h('span', { class: ['badge', status === 'active' ? 'state-decided' : status === 'draft' ? 'state-claimed' : 'state-open'], 'data-status': status }, t(`rules.status.${status}`));
const isAdmin = (ctx) => ctx.session.user.role === 'admin';

/** Reads a chosen folder into { relativePath: text }, dropping the folder's own name. */
async function filesOf(fileList) {
  const files = {};
  for (const file of fileList) {
    const relative = (file.webkitRelativePath || file.name).split('/');
    const inside = relative.length > 1 ? relative.slice(1).join('/') : relative[0];
    if (!/\.(ya?ml|txt)$/i.test(inside) || inside.split('/').some((part) => part.startsWith('.'))) continue;
    files[inside] = await file.text();
  }
  return files;
}

function problemList(error) {
  const details = Array.isArray(error.details) ? error.details : [];
  return h(
    'div',
    { class: 'error-summary', role: 'alert', id: 'ruleset-problems' },
    h('h2', {}, error.message),
    details.length ? h('ul', {}, details.map((detail) => h('li', {}, detail.text ?? (detail.file ? `${detail.file}:${detail.line}: ${detail.message}` : `${detail.path}: ${detail.message}`)))) : null,
  );
}

export async function rulesetsView(ctx) {
  const page = await api('GET', '/rulesets', { query: { limit: 50 } });
  const feedback = h('div', { id: 'ruleset-feedback' });
  const folder = h('input', { type: 'file', id: 'ruleset-folder', name: 'folder', webkitdirectory: true, multiple: true });
  const note = h('textarea', { id: 'ruleset-note', name: 'note', maxlength: 2000 });
  const upload = isAdmin(ctx)
    ? h(
        'form',
        {
          class: 'panel',
          novalidate: true,
          id: 'ruleset-upload',
          onSubmit: async (event) => {
            event.preventDefault();
            const files = await filesOf(folder.files ?? []);
            if (Object.keys(files).length === 0) {
              replace(feedback, message(t('rules.chooseFolder'), 'error'));
              folder.focus();
              return;
            }
            try {
              const draft = await api('POST', '/rulesets', { body: { files, note: note.value.trim() || undefined } });
              ctx.navigate(`/rulesets/${draft.version}`);
            } catch (error) {
              if (error instanceof ApiError && error.status === 401) return;
              replace(feedback, error instanceof ApiError && (error.status === 400 || error.status === 422) ? problemList(error) : message(errorText(error), 'error'));
              feedback.querySelector('[role="alert"]')?.focus?.();
            }
          },
        },
        h('h2', {}, t('rules.uploadTitle')),
        h('p', { class: 'hint' }, t('rules.uploadHint')),
        h('div', { class: 'field' }, h('label', { for: 'ruleset-folder' }, t('rules.folder')), folder),
        h('div', { class: 'field' }, h('label', { for: 'ruleset-note' }, t('f.note')), note),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('rules.upload'))),
      )
    : null;

  replace(
    ctx.main,
    h('h1', { id: 'page-title' }, t('rules.title')),
    h('p', { class: 'zone-note' }, t('common.zoneNote')),
    feedback,
    h(
      'section',
      { class: 'panel' },
      h(
        'table',
        { id: 'ruleset-list' },
        h('thead', {}, h('tr', {}, ['rules.version', 'rules.name', 'rules.statusColumn', 'rules.ruleCount', 'rules.created', 'rules.published'].map((key) => h('th', { scope: 'col' }, t(key))))),
        h(
          'tbody',
          {},
          page.items.map((item) =>
            h(
              'tr',
              { 'data-version': item.version },
              h('td', {}, h('a', { href: `#/rulesets/${item.version}` }, item.version)),
              h('td', {}, item.name),
              h('td', {}, statusBadge(item.status)),
              h('td', { class: 'num' }, String(item.ruleCount)),
              h('td', {}, formatDateTime(item.createdAt)),
              h('td', {}, formatDateTime(item.firstPublishedAt)),
            ),
          ),
        ),
      ),
    ),
    upload,
  );
  return { title: t('rules.title') };
}

function countsTable(report) {
  return h(
    'table',
    { id: 'backtest-outcomes' },
    h('caption', {}, t('rules.outcomeCounts')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('queue.outcome')), ['rules.old', 'rules.new', 'rules.stored'].map((key) => h('th', { scope: 'col', class: 'num' }, t(key))))),
    h(
      'tbody',
      {},
      outcomes.map((outcome) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, outcomeText(outcome)),
          ['old', 'new', 'stored'].map((which) => h('td', { class: 'num' }, formatNumber(report.outcomes[which][outcome] ?? 0))),
        ),
      ),
    ),
  );
}

function transitionMatrix(report) {
  return h(
    'table',
    { id: 'backtest-transitions' },
    h('caption', {}, t('rules.transitions')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('rules.oldToNew')), outcomes.map((outcome) => h('th', { scope: 'col', class: 'num' }, outcomeBadge(outcome))))),
    h(
      'tbody',
      {},
      outcomes.map((from) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, outcomeBadge(from)),
          outcomes.map((to) => h('td', { class: 'num', 'data-from': from, 'data-to': to }, formatNumber(report.transitions[from]?.[to] ?? 0))),
        ),
      ),
    ),
  );
}

function ruleDeltas(report) {
  const rows = report.rules.filter((rule) => rule.delta !== 0 || rule.new > 0).slice(0, 30);
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: 'backtest-rules' },
      h('caption', {}, t('rules.ruleHits')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('rules.rule')), ['rules.old', 'rules.new', 'rules.delta'].map((key) => h('th', { scope: 'col', class: 'num' }, t(key))))),
      h(
        'tbody',
        {},
        rows.map((rule) =>
          h('tr', {}, h('td', {}, rule.ruleId), h('td', { class: 'num' }, formatNumber(rule.old)), h('td', { class: 'num' }, formatNumber(rule.new)), h('td', { class: 'num' }, `${rule.delta > 0 ? '+' : ''}${formatNumber(rule.delta)}`)),
        ),
      ),
    ),
  );
}

const percent = (value) => `${(value * 100).toFixed(1)}%`;

const outcomeColumns = [
  ['hits', 'rules.hits'],
  ['cleared', 'rules.cleared'],
  ['postponed', 'rules.postponed'],
  ['referred', 'rules.referred'],
  ['open', 'rules.stillOpen'],
  ['awaitingApproval', 'rules.awaitingApproval'],
  ['noCase', 'rules.noCase'],
];

/** Per rule: its hits and how the applications ended once a person decided; offices as sub-rows. */
function ruleOutcomesTable(id, caption, figures) {
  if (!figures.rules.length) return h('p', { id }, t('rules.outcomesNone'));
  const cells = (counts) => [
    ...outcomeColumns.map(([key]) => h('td', { class: 'num', 'data-col': key }, formatNumber(counts[key]))),
    h('td', { class: 'num', 'data-col': 'postponedShare' }, counts.postponedShare === null ? '—' : percent(counts.postponedShare)),
  ];
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, t('rules.rule')), [...outcomeColumns.map(([, label]) => label), 'rules.postponedShare'].map((key) => h('th', { scope: 'col', class: 'num' }, t(key)))),
      ),
      h(
        'tbody',
        {},
        figures.rules.flatMap((rule) => [
          h('tr', { 'data-rule': rule.ruleId }, h('th', { scope: 'row' }, rule.ruleId), cells(rule)),
          ...(rule.byOffice.length > 1 ? rule.byOffice.map((office) => h('tr', { class: 'sub-row', 'data-rule': rule.ruleId, 'data-office': office.office }, h('td', { class: 'hint' }, `↳ ${office.office}`), cells(office))) : []),
        ]),
      ),
    ),
  );
}

function fairnessTable(id, caption, groups, label = (group) => group) {
  return h(
    'table',
    { id },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h('tr', {}, ['rules.group', 'stats.count', 'rules.flagRate', 'rules.flagRatio', 'rules.postponeRate', 'rules.postponeRatio'].map((key, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, t(key)))),
    ),
    h(
      'tbody',
      {},
      groups.map((group) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, label(group.group), group.smallSample ? h('span', { class: 'hint' }, ` (${t('rules.smallSample')})`) : null),
          h('td', { class: 'num' }, formatNumber(group.count)),
          h('td', { class: 'num' }, percent(group.flagRate)),
          h('td', { class: 'num' }, group.flagRatio === null ? '—' : group.flagRatio.toFixed(2)),
          h('td', { class: 'num' }, percent(group.postponeRate)),
          h('td', { class: 'num' }, group.postponeRatio === null ? '—' : group.postponeRatio.toFixed(2)),
        ),
      ),
    ),
  );
}

function fairnessReport(fairness) {
  if (!fairness) return null;
  return h(
    'div',
    { id: 'fairness' },
    h('h3', {}, t('rules.fairness')),
    h('p', {}, t('rules.fairnessOverall', { count: formatNumber(fairness.overall.count), flag: percent(fairness.overall.flagRate), postpone: percent(fairness.overall.postponeRate) })),
    fairnessTable('fairness-sex', t('rules.bySex'), fairness.bySex ?? [], (sex) => enumLabel('sex', sex)),
    fairnessTable('fairness-age', t('rules.byAge'), fairness.byAgeBand ?? []),
    fairnessTable('fairness-province', t('rules.byProvince'), fairness.byProvince ?? []),
  );
}

function backtestReport(report) {
  return h(
    'div',
    { id: 'backtest-report' },
    h('p', {}, t('rules.backtestSummary', { evaluated: formatNumber(report.evaluated), baseline: report.baselineVersion, delta: `${report.flaggedDelta > 0 ? '+' : ''}${formatNumber(report.flaggedDelta)}` })),
    h('div', { class: 'chart-grid' }, transitionMatrix(report), countsTable(report)),
    ruleDeltas(report),
    report.ruleOutcomes ? ruleOutcomesTable('backtest-rule-outcomes', t('rules.outcomesStored'), report.ruleOutcomes) : null,
    fairnessReport(report.fairness?.new),
  );
}

export async function rulesetView(ctx) {
  const [version] = ctx.params;
  const row = await api('GET', `/rulesets/${version}`);
  const feedback = h('div', { id: 'ruleset-feedback' });
  const admin = isAdmin(ctx);

  const act = (path, doneKey) => async (event) => {
    event.currentTarget.disabled = true;
    try {
      await api('POST', `/rulesets/${version}/${path}`);
      ctx.memory.notice = t(doneKey);
      void ctx.refresh();
    } catch (error) {
      event.currentTarget.disabled = false;
      if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
    }
  };

  // The manifest first: it names the set and its thresholds.
  const fileNames = Object.keys(row.files ?? {}).sort((a, b) => (a === 'manifest.yaml' ? -1 : b === 'manifest.yaml' ? 1 : a < b ? -1 : 1));
  const yaml = h('pre', { class: 'yaml', id: 'ruleset-yaml', tabindex: '0' }, row.files?.[fileNames[0]] ?? '');
  const fileSelect = h(
    'select',
    { id: 'ruleset-file', onChange: (event) => replace(yaml, row.files[event.currentTarget.value] ?? '') },
    fileNames.map((name) => h('option', { value: name }, name)),
  );

  // Backtest: a range of stored applications, run now or as a job; progress is polled.
  const reportArea = h('div', { 'aria-live': 'polite' });
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const from = h('input', { type: 'date', id: 'backtest-from', name: 'from', value: monthAgo });
  const to = h('input', { type: 'date', id: 'backtest-to', name: 'to', value: todayInJakarta() });
  const kind = h('select', { id: 'backtest-kind', name: 'kind' }, h('option', { value: '' }, t('rules.bothKinds')), ['departure', 'passport'].map((k) => h('option', { value: k }, t(`kind.${k}`))));
  const showRun = async (run) => {
    for (;;) {
      if (run.state === 'done' && run.report) {
        replace(reportArea, backtestReport(run.report));
        return;
      }
      if (run.state === 'failed') {
        replace(reportArea, message(run.error ?? t('form.failed'), 'error'));
        return;
      }
      const percentDone = run.total > 0 ? Math.floor((run.processed / run.total) * 100) : 0;
      replace(reportArea, h('p', {}, t('rules.backtestRunning', { processed: formatNumber(run.processed), total: formatNumber(run.total) })), h('progress', { max: 100, value: percentDone }));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!reportArea.isConnected) return;
      run = await api('GET', `/rulesets/${version}/backtests/${run.id}`);
    }
  };
  const backtestForm = admin
    ? h(
        'form',
        {
          class: 'filters',
          novalidate: true,
          id: 'backtest-form',
          onSubmit: async (event) => {
            event.preventDefault();
            if (!from.value || !to.value || from.value >= to.value) {
              replace(reportArea, message(t('rules.rangeInvalid'), 'error'));
              return;
            }
            try {
              const run = await api('POST', `/rulesets/${version}/backtest`, { body: { from: `${from.value}T00:00:00+07:00`, to: `${to.value}T23:59:59+07:00`, kind: kind.value || undefined } });
              await showRun(run);
            } catch (error) {
              if (!(error instanceof ApiError && error.status === 401)) replace(reportArea, message(errorText(error), 'error'));
            }
          },
        },
        h('div', { class: 'field' }, h('label', { for: 'backtest-from' }, t('stats.from')), from),
        h('div', { class: 'field' }, h('label', { for: 'backtest-to' }, t('stats.to')), to),
        h('div', { class: 'field' }, h('label', { for: 'backtest-kind' }, t('queue.kind')), kind),
        h('button', { type: 'submit', class: 'primary', id: 'backtest-run' }, t('rules.runBacktest')),
      )
    : null;

  // Rule outcome figures: this version's hits over a range and how officers ended them.
  const outcomesArea = h('div', { 'aria-live': 'polite', id: 'rule-outcomes-area' });
  const outcomesFrom = h('input', { type: 'date', id: 'outcomes-from', name: 'from', value: monthAgo });
  const outcomesTo = h('input', { type: 'date', id: 'outcomes-to', name: 'to', value: todayInJakarta() });
  const loadOutcomes = async () => {
    if (!outcomesFrom.value || !outcomesTo.value || outcomesFrom.value > outcomesTo.value) {
      replace(outcomesArea, message(t('rules.rangeInvalid'), 'error'));
      return;
    }
    try {
      const figures = await api('GET', `/rulesets/${version}/rule-outcomes`, { query: { from: outcomesFrom.value, to: outcomesTo.value } });
      replace(outcomesArea, h('p', {}, t('rules.outcomesSummary', { count: formatNumber(figures.applications) })), ruleOutcomesTable('rule-outcomes', t('rules.outcomesTitle'), figures));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) replace(outcomesArea, message(errorText(error), 'error'));
    }
  };
  const outcomesForm = h(
    'form',
    {
      class: 'filters',
      novalidate: true,
      id: 'rule-outcomes-form',
      onSubmit: (event) => {
        event.preventDefault();
        void loadOutcomes();
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'outcomes-from' }, t('stats.from')), outcomesFrom),
    h('div', { class: 'field' }, h('label', { for: 'outcomes-to' }, t('stats.to')), outcomesTo),
    h('button', { type: 'submit', id: 'rule-outcomes-load' }, t('rules.outcomesLoad')),
  );

  const notice = ctx.memory.notice;
  ctx.memory.notice = null;
  replace(
    ctx.main,
    notice ? message(notice, 'ok') : null,
    h('h1', { id: 'page-title' }, `${row.name} · ${row.version}`),
    h('p', { class: 'decision-head' }, statusBadge(row.status), h('span', {}, t('rules.ruleCountText', { count: row.ruleCount })), h('span', { class: 'hint' }, row.description ?? '')),
    feedback,
    admin
      ? h(
          'div',
          { class: 'actions' },
          row.status !== 'active' ? h('button', { type: 'button', class: 'primary', id: 'ruleset-publish', onClick: act('publish', 'rules.published.done') }, t('rules.publish')) : null,
          row.status === 'active' ? h('button', { type: 'button', class: 'danger', id: 'ruleset-rollback', onClick: act('rollback', 'rules.rolledBack') }, t('rules.rollback')) : null,
        )
      : null,
    h(
      'div',
      { class: 'case-layout' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'files-heading' },
        h('h2', { id: 'files-heading' }, t('rules.files')),
        h('div', { class: 'field' }, h('label', { for: 'ruleset-file' }, t('rules.file')), fileSelect),
        yaml,
      ),
      h(
        'div',
        {},
        h(
          'section',
          { class: 'panel' },
          h('h2', {}, t('rules.history')),
          row.activations?.length
            ? h(
                'ul',
                {},
                row.activations.map((a) =>
                  h('li', {}, `${formatDateTime(a.at)} · ${hasMessage(`rules.action.${a.action}`) ? t(`rules.action.${a.action}`) : a.action} · ${a.previousVersion ? `${a.previousVersion} → ${a.version}` : a.version}`),
                ),
              )
            : h('p', {}, t('rules.neverPublished')),
          row.tests ? h('p', {}, t('rules.testsSummary', { passed: row.tests.passed ?? 0, failed: row.tests.failed ?? 0 })) : null,
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'rule-outcomes-heading', id: 'rule-outcomes-panel' },
      h('h2', { id: 'rule-outcomes-heading' }, t('rules.outcomesTitle')),
      h('p', { class: 'hint' }, t('rules.outcomesHint')),
      outcomesForm,
      outcomesArea,
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'backtest-heading' }, h('h2', { id: 'backtest-heading' }, t('rules.backtest')), backtestForm, reportArea, !backtestForm && row.fairness ? fairnessReport(row.fairness) : null),
  );
  if (row.fairness && backtestForm) reportArea.append(fairnessReport(row.fairness));
  void loadOutcomes();
  return { title: t('rules.title') };
}
