// @ts-check
// Evidence on the case (photo of a job advert, chat screenshot, employer letter, ticket): the list
// with who added what and when, download, upload, and superseding a wrong file with a reason.
import { api, ApiError } from '../../../api.js';
import { download, h, replace } from '../../../dom.js';
import { formatDateTime, formatNumber, t } from '../../../i18n.js';
import { errorText, message } from '../../shared.js';

/** @typedef {import('../../../../../types/api').CaseAttachment} CaseAttachment */

const writers = ['officer', 'passport_officer', 'supervisor'];
const kinds = ['job_advert', 'chat_screenshot', 'employer_letter', 'ticket', 'other'];
const accepted = 'image/jpeg,image/png,image/webp,application/pdf';

/** @param {number} bytes */
const size = (bytes) => (bytes < 1024 * 1024 ? `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} KB` : `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`);

/**
 * @param {import('../panels.js').CaseState} state
 * @param {CaseAttachment} item
 * @param {HTMLElement} feedback
 */
function attachmentRow({ row, me, people, reload }, item, feedback) {
  const fetchFile = async () => {
    try {
      const response = await api('GET', `/cases/${row.id}/attachments/${item.id}/content`, { raw: true });
      download(await response.blob(), item.fileName);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
    }
  };
  const supersede = async () => {
    const reason = window.prompt(t('attachments.supersedeReason'));
    if (reason === null) return;
    if (!reason.trim()) {
      replace(feedback, message(t('attachments.reasonRequired'), 'error'));
      return;
    }
    try {
      await api('POST', `/cases/${row.id}/attachments/${item.id}/supersede`, { body: { reason: reason.trim() } });
      await reload(t('attachments.superseded'));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
    }
  };
  return h(
    'tr',
    { 'data-attachment': item.id, class: item.supersededAt ? 'superseded' : null },
    h('td', {}, t(`attachments.kind.${item.kind}`)),
    h(
      'td',
      {},
      h('span', { class: 'file-name' }, item.fileName),
      item.description ? h('p', { class: 'hint' }, item.description) : null,
      item.supersededAt ? h('p', { class: 'hint' }, t('attachments.supersededNote', { time: formatDateTime(item.supersededAt), reason: item.supersededReason ?? '' })) : null,
    ),
    h('td', { class: 'num' }, size(item.sizeBytes)),
    h('td', {}, `${item.uploadedBy === me.id ? t('case.you') : (item.uploadedByName ?? people(item.uploadedBy))} · ${formatDateTime(item.uploadedAt)}`),
    h(
      'td',
      {},
      h('button', { type: 'button', class: 'link-button', 'data-download': item.id, onClick: fetchFile }, t('attachments.download')),
      !item.supersededAt && writers.includes(me.role) ? [' ', h('button', { type: 'button', class: 'link-button', 'data-supersede': item.id, onClick: supersede }, t('attachments.supersede'))] : null,
    ),
  );
}

/** @type {import('../panels.js').CasePanel<{ items: CaseAttachment[] }>} */
export const attachmentsPanel = {
  id: 'case-attachments',
  section: 'history',
  load: ({ row }) => api('GET', `/cases/${row.id}/attachments`),
  render: (state, { items }) => {
    const { row, me, reload } = state;
    const feedback = h('div', { id: 'attachment-feedback' });
    const file = h('input', { type: 'file', id: 'attachment-file', name: 'file', accept: accepted });
    const kind = h('select', { id: 'attachment-kind', name: 'kind' }, kinds.map((value) => h('option', { value }, t(`attachments.kind.${value}`))));
    const description = h('input', { type: 'text', id: 'attachment-description', name: 'description', maxlength: 500 });
    const send = h('button', { type: 'submit', id: 'upload-attachment' }, t('attachments.upload'));
    const form = writers.includes(me.role)
      ? h(
          'form',
          {
            novalidate: true,
            id: 'attachment-form',
            onSubmit: async (/** @type {SubmitEvent} */ event) => {
              event.preventDefault();
              const chosen = /** @type {HTMLInputElement} */ (file).files?.[0];
              if (!chosen) {
                replace(feedback, message(t('attachments.chooseFile'), 'error'));
                return;
              }
              const body = new FormData();
              body.set('kind', /** @type {HTMLSelectElement} */ (kind).value);
              if (/** @type {HTMLInputElement} */ (description).value.trim()) body.set('description', /** @type {HTMLInputElement} */ (description).value.trim());
              body.set('file', chosen, chosen.name);
              send.disabled = true;
              try {
                await api('POST', `/cases/${row.id}/attachments`, { body });
                await reload(t('attachments.uploaded'));
              } catch (error) {
                send.disabled = false;
                if (error instanceof ApiError && error.status === 401) return;
                const text =
                  error instanceof ApiError && error.code === 'UNSUPPORTED_ATTACHMENT_TYPE'
                    ? t('attachments.wrongType')
                    : error instanceof ApiError && error.status === 413
                      ? t('attachments.tooLarge')
                      : errorText(error);
                replace(feedback, message(text, 'error'));
              }
            },
          },
          h('h3', {}, t('attachments.add')),
          feedback,
          h(
            'div',
            { class: 'grid' },
            h('div', { class: 'field' }, h('label', { for: 'attachment-kind' }, t('attachments.kindLabel')), kind),
            h('div', { class: 'field wide' }, h('label', { for: 'attachment-file' }, t('attachments.file')), file, h('p', { class: 'hint' }, t('attachments.fileHint'))),
            h('div', { class: 'field' }, h('label', { for: 'attachment-description' }, t('attachments.description')), description),
          ),
          h('div', { class: 'actions' }, send),
        )
      : null;
    return h(
      'section',
      { class: 'panel', id: 'case-attachments', 'aria-labelledby': 'case-attachments-heading' },
      h('h2', { id: 'case-attachments-heading' }, t('attachments.title')),
      items.length === 0
        ? h('p', { class: 'hint', id: 'attachments-none' }, t('attachments.none'))
        : h(
            'table',
            { id: 'attachments-table' },
            h('thead', {}, h('tr', {}, ['attachments.kindLabel', 'attachments.file', 'attachments.size', 'attachments.added', 'attachments.actions'].map((key) => h('th', { scope: 'col' }, t(key))))),
            h('tbody', {}, items.map((item) => attachmentRow(state, item, feedback))),
          ),
      form,
    );
  },
};
