// @ts-check
// The decision column: claim, renew or release the claim, decide with a reason code, approve or
// reject a postponement (four eyes), reassign. Each is a panel that applies in the case's state.
import { api, ApiError } from '../../../api.js';
import { announce, h, replace } from '../../../dom.js';
import { formatDate, formatDateTime, pick, t, todayInJakarta } from '../../../i18n.js';
import { clearErrors, problemsFromApiError, showErrors } from '../../../forms.js';
import { errorText, message, reasonText } from '../../shared.js';

/** @typedef {import('../panels.js').CaseState} CaseState */
/** @typedef {import('../panels.js').CasePanel} CasePanel */

const reviewerRoles = ['officer', 'passport_officer', 'supervisor'];
const actions = ['clear', 'postpone', 'refer'];

/** A labelled control with its error line, registered for showErrors(). */
function field(controls, name, label, input, hint) {
  const error = h('p', { class: 'field-error', id: `${name}-error` });
  const hintEl = hint ? h('p', { class: 'hint', id: `${name}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl ? `${name}-hint` : null, `${name}-error`].filter(Boolean).join(' '));
  controls.set(name, { input, error, spec: {} });
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl, error);
}

function decisionForm(ctx, row, reload) {
  const controls = new Map();
  const summary = h('div', { class: 'error-summary', tabindex: '-1', role: 'alert', hidden: true });
  // A re-review lifts (clear) or upholds (postpone) a postponement; it never refers.
  const radios = (row.postponementId ? actions.filter((action) => action !== 'refer') : actions).map((action) => h('input', { type: 'radio', name: 'action', value: action, id: `action-${action}` }));
  const reason = h('select', { id: 'reasonCode', name: 'reasonCode', required: true });
  const note = h('textarea', { id: 'note', name: 'note', maxlength: 2000 });
  const deadline = h('input', { id: 'deadline', name: 'deadline', type: 'date', min: todayInJakarta() });
  const chosen = () => radios.find((radio) => radio.checked)?.value ?? null;

  const fillReasons = () => {
    const action = chosen();
    const previous = reason.value;
    replace(
      reason,
      h('option', { value: '' }, action ? t('form.choose') : t('case.chooseActionFirst')),
      ctx.reference.reasonCodes.filter((r) => action && r.actions.includes(action)).map((r) => h('option', { value: r.code }, pick(r.label))),
    );
    if ([...reason.options].some((option) => option.value === previous)) reason.value = previous;
    deadlineField.hidden = action !== 'postpone';
  };
  const actionError = h('p', { class: 'field-error', id: 'action-error' });
  controls.set('action', { input: radios[0], error: actionError, spec: {} });
  const actionGroup = h(
    'fieldset',
    { 'aria-describedby': 'action-error' },
    h('legend', {}, t('f.action')),
    h(
      'div',
      { class: 'radio-row' },
      radios.map((radio) => h('label', { for: radio.id }, radio, t(`action.${radio.value}`))),
    ),
    actionError,
  );
  for (const radio of radios) radio.addEventListener('change', fillReasons);
  const deadlineField = field(controls, 'deadline', t('f.deadline'), deadline, t('case.deadlineHint'));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-decision' }, t('case.submitDecision'));

  const form = h(
    'form',
    {
      novalidate: true,
      id: 'decision-form',
      onSubmit: async (event) => {
        event.preventDefault();
        const body = { action: chosen(), reasonCode: reason.value || undefined, note: note.value.trim() || undefined, deadline: deadline.value || undefined };
        if (body.action !== 'postpone') body.deadline = undefined;
        // The API's decisionBodySchema, before sending.
        const problems = [];
        if (!body.action) problems.push({ path: 'action', message: t('v.required') });
        if (!body.reasonCode) problems.push({ path: 'reasonCode', message: t('v.required') });
        if (body.action === 'postpone' && !body.note) problems.push({ path: 'note', message: t('v.noteForPostponement') });
        if (body.deadline && body.deadline < todayInJakarta()) problems.push({ path: 'deadline', message: t('v.deadlinePast') });
        if (problems.length > 0) {
          showErrors(controls, summary, problems);
          return;
        }
        clearErrors(controls, summary);
        submit.disabled = true;
        try {
          const after = await api('POST', `/cases/${row.id}/decision`, { body });
          announce(after.state === 'pending_approval' ? t('case.sentForApproval') : t('case.decided'));
          await reload(after.state === 'pending_approval' ? t('case.sentForApproval') : t('case.decided'));
        } catch (error) {
          submit.disabled = false;
          if (error instanceof ApiError && error.status === 401) return;
          if (error instanceof ApiError && (error.status === 400 || error.status === 422)) showErrors(controls, summary, problemsFromApiError(error), t('form.serverErrorsTitle'));
          else showErrors(controls, summary, [{ path: null, message: errorText(error) }], t('form.failed'));
        }
      },
    },
    h('h2', {}, t('case.decide')),
    summary,
    actionGroup,
    field(controls, 'reasonCode', t('f.reasonCode'), reason),
    field(controls, 'note', t('f.note'), note, t('case.noteHint')),
    deadlineField,
    h('div', { class: 'actions' }, submit),
  );
  fillReasons();
  return form;
}

function approvalForm(row, reload) {
  const controls = new Map();
  const summary = h('div', { class: 'error-summary', tabindex: '-1', role: 'alert', hidden: true });
  const note = h('textarea', { id: 'approval-note', name: 'approvalNote', maxlength: 2000 });
  const send = async (approve, button) => {
    const body = { approve, note: note.value.trim() || undefined };
    if (!approve && !body.note) {
      showErrors(controls, summary, [{ path: 'note', message: t('v.rejectionNote') }]);
      return;
    }
    clearErrors(controls, summary);
    button.disabled = true;
    try {
      await api('POST', `/cases/${row.id}/approval`, { body });
      await reload(approve ? t('case.approved') : t('case.rejected'));
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiError && error.status === 401) return;
      showErrors(controls, summary, error instanceof ApiError && error.status === 400 ? problemsFromApiError(error) : [{ path: null, message: errorText(error) }], t('form.failed'));
    }
  };
  return h(
    'form',
    { novalidate: true, id: 'approval-form', onSubmit: (event) => event.preventDefault() },
    h('h2', {}, t('case.approvalTitle')),
    h('p', {}, t('case.approvalIntro')),
    summary,
    field(controls, 'note', t('case.approvalNote'), note, t('case.approvalNoteHint')),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', id: 'approve', onClick: (event) => send(true, event.currentTarget) }, t('case.approve')),
      h('button', { type: 'button', class: 'danger', id: 'reject', onClick: (event) => send(false, event.currentTarget) }, t('case.reject')),
    ),
  );
}

function decisionSummary(ctx, row, people) {
  return h(
    'dl',
    { class: 'kv', id: 'case-decision' },
    h('dt', {}, t('f.action')),
    h('dd', { 'data-action': row.action ?? '' }, row.action ? t(`action.${row.action}`) : '—'),
    h('dt', {}, t('f.reasonCode')),
    h('dd', {}, reasonText(ctx.reference, row.reasonCode)),
    h('dt', {}, t('f.note')),
    h('dd', {}, row.note ?? '—'),
    row.postponementDeadline ? [h('dt', {}, t('f.deadline')), h('dd', {}, formatDate(row.postponementDeadline))] : null,
    h('dt', {}, t('case.decidedBy')),
    h('dd', {}, `${people(row.decidedBy)} · ${formatDateTime(row.decidedAt)}`),
    row.approvedBy ? [h('dt', {}, t('case.approvedBy')), h('dd', {}, `${people(row.approvedBy)} · ${formatDateTime(row.approvedAt)}`)] : null,
  );
}

function assignForm(row, reviewers, reload) {
  const select = h(
    'select',
    { id: 'assignee', name: 'assignee' },
    h('option', { value: '' }, t('form.choose')),
    reviewers.map((person) => h('option', { value: person.userId }, person.displayName ?? person.userId)),
  );
  const feedback = h('div');
  return h(
    'form',
    {
      novalidate: true,
      id: 'assign-form',
      onSubmit: async (event) => {
        event.preventDefault();
        if (!select.value) {
          replace(feedback, message(t('queue.chooseReviewer'), 'error'));
          return;
        }
        try {
          await api('POST', `/cases/${row.id}/assign`, { body: { userId: select.value } });
          await reload(t('queue.assigned'));
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
        }
      },
    },
    h('h2', {}, t('queue.reassign')),
    feedback,
    h('div', { class: 'field' }, h('label', { for: 'assignee' }, t('queue.assignTo')), select),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('queue.assign'))),
  );
}


/** @param {CaseState} state */
const claimedByMe = ({ row, me }) => row.state === 'claimed' && row.claimedBy === me.id;

/** @type {CasePanel[]} */
export const actionPanels = [
  {
    id: 'case-claim',
    section: 'decision',
    applies: ({ row, me }) => row.state === 'open' && reviewerRoles.includes(me.role),
    render: ({ row, act }) =>
      h(
        'div',
        { class: 'panel', id: 'case-claim' },
        h('p', {}, t('case.openIntro')),
        h('button', { type: 'button', class: 'primary', id: 'claim', onClick: act(() => api('POST', `/cases/${row.id}/claim`), t('case.claimed')) }, t('case.claim')),
      ),
  },
  {
    id: 'case-decide',
    section: 'decision',
    applies: claimedByMe,
    render: ({ row, act, ctx, reload }) =>
      h(
        'div',
        { class: 'panel', id: 'case-decide' },
        decisionForm(ctx, row, reload),
        h('p', { id: 'lease', class: 'hint' }, t('case.claimedByYouUntil', { time: formatDateTime(row.leaseExpiresAt) })),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', id: 'renew', onClick: act(() => api('POST', `/cases/${row.id}/renew`), t('case.renewed')) }, t('case.renew')),
          h('button', { type: 'button', id: 'release', onClick: act(() => api('POST', `/cases/${row.id}/release`), t('case.released')) }, t('case.release')),
        ),
      ),
  },
  {
    id: 'case-claimed-by-other',
    section: 'decision',
    applies: (state) => state.row.state === 'claimed' && !claimedByMe(state),
    render: ({ row, people }) =>
      h('div', { class: 'panel', id: 'case-claimed-by-other' }, h('p', {}, t('case.claimedByOther', { who: people(row.claimedBy), time: formatDateTime(row.leaseExpiresAt) }))),
  },
  {
    id: 'case-outcome',
    section: 'decision',
    applies: ({ row }) => row.state === 'pending_approval' || row.state === 'decided',
    render: ({ row, ctx, people }) =>
      h(
        'div',
        { class: 'panel', id: 'case-outcome' },
        h('h2', {}, row.state === 'pending_approval' ? t('case.awaitingApproval') : t('case.decision')),
        decisionSummary(ctx, row, people),
      ),
  },
  {
    id: 'case-approval',
    section: 'decision',
    applies: ({ row }) => row.state === 'pending_approval',
    render: ({ row, me, runsQueue, ctx, reload }) =>
      runsQueue && row.decidedBy !== me.id && !(me.role === 'admin' && ctx.office?.kind !== 'headquarters')
        ? h('div', { class: 'panel', id: 'case-approval' }, approvalForm(row, reload))
        : message(row.decidedBy === me.id ? t('case.waitingForSupervisor') : t('case.supervisorApproves')),
  },
  {
    id: 'case-assign',
    section: 'decision',
    applies: ({ row, runsQueue }) => runsQueue && (row.state === 'open' || row.state === 'claimed'),
    render: ({ row, workload, reload }) => h('div', { class: 'panel', id: 'case-assign' }, assignForm(row, workload, reload)),
  },
];
