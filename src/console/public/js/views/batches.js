// @ts-check
// Batch screening: upload a CSV or JSON-lines file (a flight manifest, a day's applications), then
// watch it being screened with a live progress bar; rejected rows are listed with row and field.
import { api, ApiError } from '../api.js';
import { download, h, replace } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { errorText, message, outcomeText } from './shared.js';

const POLL_MS = 1000;
const contentTypeOf = (file) => (/\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv');
const settled = (state) => state === 'completed' || state === 'failed';

function statusPanel(status) {
  const counts = status.counts;
  const bar = h('progress', { id: 'batch-progress', max: 100, value: status.progress, 'aria-labelledby': 'batch-progress-label' });
  return h(
    'div',
    { id: 'batch-status', 'data-state': status.state },
    h('h2', {}, status.name ?? status.id),
    h('p', { id: 'batch-progress-label' }, t('batch.progress', { percent: status.progress, state: t(`batch.state.${status.state}`) })),
    bar,
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, t('batch.received')),
      h('dd', { 'data-count': 'received' }, formatNumber(counts.received)),
      h('dt', {}, t('batch.screened')),
      h('dd', { 'data-count': 'screened' }, formatNumber(counts.screened)),
      h('dt', {}, t('batch.rejected')),
      h('dd', { 'data-count': 'rejected' }, formatNumber(counts.rejected)),
      h('dt', {}, t('batch.pending')),
      h('dd', {}, formatNumber(counts.pending)),
      Object.entries(counts.byOutcome ?? {}).map(([outcome, count]) => [h('dt', {}, outcomeText(outcome)), h('dd', { 'data-outcome-count': outcome }, formatNumber(count))]),
    ),
    status.rejectedRows?.length
      ? h(
          'table',
          { id: 'batch-rejected' },
          h('caption', {}, t('batch.rejectedRows')),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('batch.row')), h('th', { scope: 'col' }, t('batch.problems')))),
          h(
            'tbody',
            {},
            status.rejectedRows.map((row) =>
              h('tr', { 'data-row': row.row }, h('td', { class: 'num' }, String(row.row)), h('td', {}, (row.problems ?? []).map((p) => `${p.path}: ${p.message}`).join('; '))),
            ),
          ),
        )
      : null,
    status.rejectedRowsTruncated ? h('p', { class: 'hint' }, t('batch.truncated')) : null,
  );
}

export async function batchesView(ctx) {
  const { memory } = ctx;
  const canUpload = ['officer', 'passport_officer', 'supervisor'].includes(ctx.session.user.role) && ['checkpoint', 'passport_office'].includes(ctx.office?.kind);
  const feedback = h('div', { id: 'batch-feedback' });
  const statusArea = h('section', { class: 'panel', hidden: !memory.batchId, 'aria-live': 'polite' });

  const results = h(
    'button',
    {
      type: 'button',
      id: 'batch-results',
      hidden: true,
      onClick: async () => {
        try {
          const response = await api('GET', `/batches/${memory.batchId}/results.csv`, { raw: true });
          download(await response.blob(), `batch-${memory.batchId}.csv`);
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
        }
      },
    },
    t('batch.downloadResults'),
  );

  /** Polls the batch until it settles or the page is left. */
  const follow = async (id) => {
    memory.batchId = id;
    memory.following = id;
    statusArea.hidden = false;
    for (;;) {
      let status;
      try {
        status = await api('GET', `/batches/${id}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
        return;
      }
      if (memory.following !== id) return;
      replace(statusArea, statusPanel(status), h('div', { class: 'actions' }, results));
      results.hidden = !settled(status.state);
      if (settled(status.state)) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      // Stop when the page was left or re-rendered (a re-render follows the batch itself).
      if (!statusArea.isConnected || memory.following !== id) return;
    }
  };

  const file = h('input', { type: 'file', id: 'batch-file', name: 'file', accept: '.csv,.jsonl,.ndjson,text/csv,application/x-ndjson', required: true });
  const name = h('input', { type: 'text', id: 'batch-name', name: 'name', maxlength: 200 });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'batch-submit' }, t('batch.upload'));
  const form = canUpload
    ? h(
        'form',
        {
          class: 'panel',
          novalidate: true,
          id: 'batch-form',
          onSubmit: async (event) => {
            event.preventDefault();
            const chosen = file.files?.[0];
            if (!chosen) {
              replace(feedback, message(t('batch.chooseFile'), 'error'));
              file.focus();
              return;
            }
            submit.disabled = true;
            try {
              const accepted = await api('POST', '/batches', { body: chosen, contentType: contentTypeOf(chosen), query: { name: name.value.trim() || undefined } });
              replace(feedback, message(t('batch.accepted', { count: formatNumber(accepted.counts.received) }), 'ok'));
              await follow(accepted.id);
              void refreshList();
            } catch (error) {
              if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
            } finally {
              submit.disabled = false;
            }
          },
        },
        h('h2', {}, t('batch.uploadTitle')),
        h('p', { class: 'hint' }, t(ctx.office?.kind === 'passport_office' ? 'batch.formatPassport' : 'batch.formatDeparture')),
        h('div', { class: 'field' }, h('label', { for: 'batch-file' }, t('batch.file')), file),
        h('div', { class: 'field' }, h('label', { for: 'batch-name' }, t('batch.name')), name),
        h('div', { class: 'actions' }, submit),
      )
    : null;

  const listBody = h('tbody');
  const refreshList = async () => {
    const page = await api('GET', '/batches', { query: { limit: 20 } });
    replace(
      listBody,
      page.items.length === 0
        ? h('tr', {}, h('td', { colspan: 6 }, t('batch.none')))
        : page.items.map((batch) =>
            h(
              'tr',
              {},
              h('td', {}, formatDateTime(batch.createdAt)),
              h('td', {}, batch.name ?? '—'),
              h('td', {}, t(`kind.${batch.kind}`)),
              h('td', {}, t(`batch.state.${batch.state}`)),
              h('td', { class: 'num' }, `${batch.progress}% · ${formatNumber(batch.received)}`),
              h('td', {}, h('button', { type: 'button', onClick: () => follow(batch.id) }, t('batch.show'))),
            ),
          ),
    );
  };
  await refreshList();

  replace(
    ctx.main,
    h('h1', { id: 'page-title' }, t('batch.title')),
    h('p', { class: 'zone-note' }, t('common.zoneNote')),
    feedback,
    form,
    statusArea,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'batch-list-heading' },
      h('h2', { id: 'batch-list-heading' }, t('batch.recent')),
      h(
        'table',
        { id: 'batch-list' },
        h('thead', {}, h('tr', {}, ['common.time', 'batch.nameColumn', 'queue.kind', 'queue.state', 'batch.progressColumn', 'common.actions'].map((key) => h('th', { scope: 'col' }, t(key))))),
        listBody,
      ),
    ),
  );
  if (memory.batchId) void follow(memory.batchId);
  return { title: t('batch.title') };
}
