// @ts-check
// Departure check (checkpoint officers) and passport application (passport officers): the form, the
// same checks as the API before sending, the API's own field errors after, and the decision at once.
import { api, ApiError } from '../api.js';
import { announce, h, replace } from '../dom.js';
import { t, zoneAbbreviation } from '../i18n.js';
import { clearErrors, problemsFromApiError, readPayload, renderSections, showErrors, validatePayload } from '../forms.js';
import { formOf } from '../specs.js';
import { errorText, message, renderDecision } from './shared.js';
import { applyPrefill, takeDeparturePrefill } from './departures.js';

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

export function intakeView(kind) {
  const form = formOf[kind];
  return async function render(ctx) {
    const { memory, reference, office } = ctx;
    memory.idempotencyKey ??= newKey();
    const catalogue = new Map(reference.fields[kind].map((field) => [field.path, field]));
    const timeZone = office?.timezone ?? 'Asia/Jakarta';
    const { fieldsets, controls } = renderSections(form.sections, catalogue, { timeZone });
    const summary = h('div', { class: 'error-summary', tabindex: '-1', role: 'alert', hidden: true, id: 'error-summary' });
    const resultArea = h('div', { id: 'result' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'submit' }, t(`${kind}.submit`));

    const showResult = (result) => {
      const claim = result.caseId
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'claim-case',
              onClick: async (event) => {
                event.currentTarget.disabled = true;
                try {
                  await api('POST', `/cases/${result.caseId}/claim`);
                  ctx.navigate(`/cases/${result.caseId}`);
                } catch (error) {
                  event.currentTarget.disabled = false;
                  if (error instanceof ApiError && error.status === 401) return;
                  resultArea.prepend(message(errorText(error), 'error'));
                }
              },
            },
            t('decision.claim'),
          )
        : h('p', {}, t('decision.noCase'));
      const again = h('button', { type: 'button', id: 'new-check', onClick: () => reset(true) }, t(`${kind}.new`));
      replace(resultArea, renderDecision(result.decision, kind, { extra: h('div', { class: 'actions' }, claim, again) }));
    };

    const reset = (focusFirst) => {
      memory.result = null;
      memory.idempotencyKey = newKey();
      formEl.reset();
      clearErrors(controls, summary);
      replace(resultArea);
      if (focusFirst) controls.values().next().value?.input.focus();
    };

    const formEl = h(
      'form',
      {
        novalidate: true,
        id: `${kind}-form`,
        'aria-labelledby': 'page-title',
        onSubmit: async (event) => {
          event.preventDefault();
          const payload = readPayload(controls, form.finalize);
          const problems = validatePayload(controls, payload, form.crossChecks);
          if (problems.length > 0) {
            showErrors(controls, summary, problems);
            return;
          }
          clearErrors(controls, summary);
          submit.disabled = true;
          submit.textContent = t('form.sending');
          try {
            const result = await api('POST', form.endpoint, { body: payload, headers: { 'Idempotency-Key': memory.idempotencyKey } });
            memory.result = result;
            memory.idempotencyKey = newKey();
            showResult(result);
            window.scrollTo(0, 0);
            document.getElementById('decision')?.focus();
            announce(`${t('decision.title')}: ${t(`outcome.${result.decision.outcome}`)}`);
          } catch (error) {
            if (error instanceof ApiError && error.status === 401) return;
            if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
              showErrors(controls, summary, problemsFromApiError(error), t('form.serverErrorsTitle'));
            } else {
              showErrors(controls, summary, [{ path: null, message: errorText(error) }], t('form.failed'));
            }
          } finally {
            submit.disabled = false;
            submit.textContent = t(`${kind}.submit`);
          }
        },
      },
      summary,
      fieldsets,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', onClick: () => reset(true) }, t('form.clear'))),
    );

    const officeLine = office ? `${office.name} (${office.code}) · ${t('form.localZone', { zone: `${zoneAbbreviation(timeZone)}, ${timeZone}` })}` : '';
    replace(
      ctx.main,
      h('h1', { id: 'page-title' }, t(`${kind}.title`)),
      h('p', { class: 'zone-note' }, officeLine),
      resultArea,
      formEl,
    );
    if (memory.result) showResult(memory.result);
    // Opened from the expected-departures list: what the manifest carries is filled in.
    const prefill = kind === 'departure' ? takeDeparturePrefill() : null;
    if (prefill) formEl.before(applyPrefill(controls, prefill));
    return { title: t(`${kind}.title`) };
  };
}
