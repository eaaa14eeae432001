// @ts-check
// Notes on the case: who wrote what and when, oldest first, and a box to add one (append-only).
import { api, ApiError } from '../../../api.js';
import { h, replace } from '../../../dom.js';
import { formatDateTime, t } from '../../../i18n.js';
import { errorText, message } from '../../shared.js';

/** @typedef {import('../../../../../types/api').CaseNote} CaseNote */

const writers = ['officer', 'passport_officer', 'supervisor'];

/** @type {import('../panels.js').CasePanel<{ items: CaseNote[] }>} */
export const notesPanel = {
  id: 'case-notes',
  section: 'history',
  load: ({ row }) => api('GET', `/cases/${row.id}/notes`),
  render: ({ row, me, people, reload }, { items }) => {
    const feedback = h('div', { id: 'note-feedback' });
    const text = h('textarea', { id: 'new-note', name: 'note', maxlength: 4000, rows: 3 });
    const save = h('button', { type: 'submit', id: 'add-note' }, t('notes.add'));
    const form = writers.includes(me.role)
      ? h(
          'form',
          {
            novalidate: true,
            id: 'note-form',
            onSubmit: async (/** @type {SubmitEvent} */ event) => {
              event.preventDefault();
              if (!text.value.trim()) {
                replace(feedback, message(t('notes.empty'), 'error'));
                text.focus();
                return;
              }
              save.disabled = true;
              try {
                await api('POST', `/cases/${row.id}/notes`, { body: { body: text.value.trim() } });
                await reload(t('notes.added'));
              } catch (error) {
                save.disabled = false;
                if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
              }
            },
          },
          feedback,
          h('div', { class: 'field' }, h('label', { for: 'new-note' }, t('notes.new')), text, h('p', { class: 'hint' }, t('notes.hint'))),
          h('div', { class: 'actions' }, save),
        )
      : null;
    return h(
      'section',
      { class: 'panel', id: 'case-notes', 'aria-labelledby': 'case-notes-heading' },
      h('h2', { id: 'case-notes-heading' }, t('notes.title')),
      items.length === 0
        ? h('p', { class: 'hint', id: 'notes-none' }, t('notes.none'))
        : h(
            'ol',
            { class: 'notes', id: 'notes-list' },
            items.map((note) =>
              h(
                'li',
                { 'data-note': note.id },
                h('p', { class: 'meta' }, `${note.authorId === me.id ? t('case.you') : (note.authorName ?? people(note.authorId))} (${t(`role.${note.authorRole}`)}) · ${formatDateTime(note.createdAt)}`),
                h('p', { class: 'note-body' }, note.body),
              ),
            ),
          ),
      form,
    );
  },
};
