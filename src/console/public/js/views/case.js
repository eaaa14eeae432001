// One case: the application as received, the screening hits, what happened so far, and what the
// user may do now: claim, decide (with a reason code), release or renew the claim, approve or
// reject a postponement (four eyes), reassign.
import { api, ApiError } from '../api.js';
import { announce, h, replace } from '../dom.js';
import { formatDate, formatDateTime, hasMessage, pick, t, todayInJakarta } from '../i18n.js';
import { clearErrors, problemsFromApiError, showErrors } from '../forms.js';
import { errorText, message, outcomeBadge, reasonText, renderApplication, renderDecision, stateBadge } from './shared.js';

const reviewerRoles = ['officer', 'passport_officer', 'supervisor'];
const queueRunners = ['supervisor', 'admin'];
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
  const radios = actions.map((action) => h('input', { type: 'radio', name: 'action', value: action, id: `action-${action}` }));
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

function historyTable(history, ctx, people) {
  if (!history?.length) return h('p', {}, '—');
  return h(
    'table',
    { id: 'case-history' },
    h('caption', {}, t('case.history')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('common.time')), h('th', { scope: 'col' }, t('common.event')), h('th', { scope: 'col' }, t('common.by')))),
    h(
      'tbody',
      {},
      history.map((entry) => {
        const key = `audit.${entry.action}`;
        const reason = entry.after?.reasonCode ? ` · ${reasonText(ctx.reference, entry.after.reasonCode)}` : '';
        return h(
          'tr',
          {},
          h('td', {}, formatDateTime(entry.at)),
          h('td', {}, `${hasMessage(key) ? t(key) : entry.action}${reason}`),
          h('td', {}, entry.actorRole ? `${people(entry.actorId)} (${t(`role.${entry.actorRole}`)})` : t('common.system')),
        );
      }),
    ),
  );
}

/** The network around the application (/links): who shares the recruiter's phone, sponsor, employer or ticket payer. */
async function linkedApplications(applicationId) {
  let cluster;
  try {
    cluster = await api('GET', `/links/${applicationId}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw error;
    return h('section', { class: 'panel', id: 'links' }, h('h2', {}, t('links.title')), message(errorText(error), 'error'));
  }
  const sharedKeys = (keys) => keys.map((key) => t(`links.key.${key}`)).join(', ');
  return h(
    'section',
    { class: 'panel', id: 'links', 'aria-labelledby': 'links-heading' },
    h('h2', { id: 'links-heading' }, t('links.title')),
    h('p', { class: 'hint' }, t('links.intro', { days: cluster.withinDays })),
    cluster.items.length === 0
      ? h('p', { id: 'links-none' }, t('links.none'))
      : h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { id: 'links-table' },
            h(
              'thead',
              {},
              h('tr', {}, ['common.time', 'common.office', 'queue.kind', 'queue.outcome', 'queue.score', 'queue.state', 'links.shared'].map((key) => h('th', { scope: 'col' }, t(key)))),
            ),
            h(
              'tbody',
              {},
              cluster.items.map((member) =>
                h(
                  'tr',
                  { 'data-application': member.id },
                  h('td', {}, formatDateTime(member.linkedAt)),
                  h('td', {}, member.officeCode),
                  h('td', {}, t(`kind.${member.kind}`)),
                  h('td', {}, outcomeBadge(member.outcome)),
                  h('td', { class: 'num' }, String(member.score)),
                  h('td', {}, member.caseState ? stateBadge(member.caseState) : '—'),
                  h('td', {}, sharedKeys(member.sharedKeys), member.sameTraveller ? [' ', h('span', { class: 'badge' }, t('links.sameTraveller'))] : null),
                ),
              ),
            ),
          ),
        ),
    cluster.otherOffices?.length
      ? h('p', { class: 'hint' }, t('links.otherOffices', { list: cluster.otherOffices.map((o) => `${o.officeCode} (${o.count})`).join(', ') }))
      : null,
    cluster.truncated ? h('p', { class: 'hint' }, t('links.truncated')) : null,
  );
}

export async function caseView(ctx) {
  const [id] = ctx.params;
  const me = ctx.session.user;
  const load = async (notice) => {
    const row = await api('GET', `/cases/${id}`);
    const runsQueue = queueRunners.includes(me.role);
    // Supervisors see who is who (and whom they may assign) from the office's workload.
    let workload = [];
    if (runsQueue) {
      try {
        const stats = await api('GET', '/queue/stats', { query: { office: row.officeCode } });
        workload = stats.offices.find((office) => office.officeCode === row.officeCode)?.workload ?? [];
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) throw error;
      }
    }
    const names = new Map(workload.map((person) => [person.userId, person.displayName]));
    const people = (userId) => (!userId ? '—' : userId === me.id ? t('case.you') : (names.get(userId) ?? t('case.anotherOfficer')));
    const reload = async (text) => {
      const fresh = await load(text);
      replace(ctx.main, ...fresh.childNodes);
      ctx.main.querySelector('#page-title')?.focus();
    };
    /** A button handler: run the request, then show the case afresh with a notice (or the error). */
    const act = (request, doneText) => async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        await request();
        await reload(doneText);
      } catch (error) {
        button.disabled = false;
        if (error instanceof ApiError && error.status === 401) return;
        ctx.main.prepend(message(errorText(error), 'error'));
      }
    };
    const container = h('div');

    const side = [];
    const mine = row.state === 'claimed' && row.claimedBy === me.id;
    if (row.state === 'open' && reviewerRoles.includes(me.role)) {
      side.push(
        h(
          'div',
          { class: 'panel' },
          h('p', {}, t('case.openIntro')),
          h('button', { type: 'button', class: 'primary', id: 'claim', onClick: act(() => api('POST', `/cases/${row.id}/claim`), t('case.claimed')) }, t('case.claim')),
        ),
      );
    }
    if (mine) {
      side.push(
        h(
          'div',
          { class: 'panel' },
          h('p', { id: 'lease' }, t('case.claimedByYouUntil', { time: formatDateTime(row.leaseExpiresAt) })),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', id: 'renew', onClick: act(() => api('POST', `/cases/${row.id}/renew`), t('case.renewed')) }, t('case.renew')),
            h('button', { type: 'button', id: 'release', onClick: act(() => api('POST', `/cases/${row.id}/release`), t('case.released')) }, t('case.release')),
          ),
        ),
        h('div', { class: 'panel' }, decisionForm(ctx, row, reload)),
      );
    } else if (row.state === 'claimed') {
      side.push(h('div', { class: 'panel' }, h('p', {}, t('case.claimedByOther', { who: people(row.claimedBy), time: formatDateTime(row.leaseExpiresAt) }))));
    }
    if (row.state === 'pending_approval' || row.state === 'decided') {
      side.push(
        h(
          'div',
          { class: 'panel' },
          h('h2', {}, row.state === 'pending_approval' ? t('case.awaitingApproval') : t('case.decision')),
          decisionSummary(ctx, row, people),
        ),
      );
    }
    if (row.state === 'pending_approval') {
      if (runsQueue && row.decidedBy !== me.id && !(me.role === 'admin' && ctx.office?.kind !== 'headquarters')) {
        side.push(h('div', { class: 'panel' }, approvalForm(row, reload)));
      } else {
        side.push(message(row.decidedBy === me.id ? t('case.waitingForSupervisor') : t('case.supervisorApproves')));
      }
    }
    if (runsQueue && (row.state === 'open' || row.state === 'claimed')) {
      side.push(h('div', { class: 'panel' }, assignForm(row, workload, reload)));
    }
    side.push(h('div', { class: 'panel' }, historyTable(row.history, ctx, people)));

    const application = row.application;
    replace(
      container,
      notice ? message(notice, 'ok') : null,
      h('h1', { id: 'page-title', tabindex: '-1' }, t('case.title', { name: application.fullName })),
      h(
        'p',
        { class: 'decision-head' },
        stateBadge(row.state),
        outcomeBadge(row.outcome),
        row.escalated ? h('span', { class: 'badge escalated' }, t('queue.escalated')) : null,
        h('span', {}, pick(row.priorityReason?.text)),
        h('span', { class: 'hint' }, `${row.officeCode} · ${t(`kind.${row.kind}`)} · SLA ${formatDateTime(row.slaDueAt)}`),
      ),
      h(
        'div',
        { class: 'case-layout' },
        h(
          'div',
          {},
          h('section', { class: 'panel', 'aria-labelledby': 'application-heading' }, h('h2', { id: 'application-heading' }, t('case.application')), renderApplication(application)),
          row.latestDecision ? renderDecision(row.latestDecision, application.kind, { heading: t('case.screening') }) : null,
          await linkedApplications(application.id),
        ),
        h('div', {}, side),
      ),
    );
    return container;
  };
  const content = await load();
  replace(ctx.main, ...content.childNodes);
  return { title: t('case.pageTitle') };
}
