// @ts-check
// Intake forms built from a small spec plus the server's field catalogue (reference.json): each
// control is named by its API field path (traveller.nik), so the API's 400 details, which name
// field paths, land beside the right control, and the client-side checks below mirror the API's.
import { h, replace } from './dom.js';
import { countryName, hasMessage, offsetOf, t } from './i18n.js';

/** A field's label: by full path (f.sponsor.phone), else by its last segment (f.nik). */
export function fieldLabel(path) {
  if (hasMessage(`f.${path}`)) return t(`f.${path}`);
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  return hasMessage(`f.${leaf}`) ? t(`f.${leaf}`) : path;
}

/** An enum value's label (e.purpose.tourism), or the value itself when untranslated. */
export function enumLabel(group, value) {
  const key = `e.${group}.${value}`;
  return hasMessage(key) ? t(key) : String(value);
}

const controlId = (path) => `f-${path.replace(/[^\w-]/g, '-')}`;

/** The widget for a field: the spec's, else from the catalogue's type and meaning. */
function widgetOf(spec, info) {
  if (spec.widget) return spec.widget;
  if (!info) return 'text';
  if (info.type === 'enum') return 'select';
  if (info.type === 'boolean') return 'checkbox';
  if (info.type === 'number') return 'number';
  if (info.type === 'string[]') return info.tag === 'country' ? 'countries' : 'text';
  switch (info.tag) {
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'country':
      return 'country';
    case 'currency':
      return 'currency';
    case 'phone':
      return 'phone';
    default:
      return 'text';
  }
}

function buildControl(spec, info, id, describedBy) {
  const common = { id, name: spec.path, 'aria-describedby': describedBy, required: spec.required || undefined };
  switch (spec.widgetType) {
    case 'select': {
      const values = spec.values ?? info?.values ?? [];
      return h(
        'select',
        common,
        spec.required ? h('option', { value: '' }, t('form.choose')) : h('option', { value: '' }, t('form.notStated')),
        values.map((value) => h('option', { value }, enumLabel(spec.options ?? spec.path, value))),
      );
    }
    case 'tri':
      return h(
        'select',
        common,
        h('option', { value: '' }, t('form.notStated')),
        h('option', { value: 'true' }, t('common.yes')),
        h('option', { value: 'false' }, t('common.no')),
      );
    case 'checkbox':
      return h('input', { ...common, type: 'checkbox', required: undefined });
    case 'number':
      return h('input', { ...common, type: 'number', inputmode: spec.integer === false ? 'decimal' : 'numeric', step: spec.integer === false ? 'any' : '1', min: spec.min, max: spec.max });
    case 'date':
      return h('input', { ...common, type: 'date' });
    case 'datetime':
      return h('input', { ...common, type: 'datetime-local' });
    case 'country':
      return h('input', { ...common, type: 'text', maxlength: 2, autocomplete: 'off', class: 'upper', size: 4 });
    case 'countries':
      return h('input', { ...common, type: 'text', autocomplete: 'off' });
    case 'currency':
      return h('input', { ...common, type: 'text', maxlength: 3, autocomplete: 'off' });
    case 'phone':
      return h('input', { ...common, type: 'tel', autocomplete: 'off' });
    case 'textarea':
      return h('textarea', { ...common, maxlength: spec.max });
    default:
      return h('input', { ...common, type: 'text', autocomplete: 'off', maxlength: spec.max, inputmode: spec.inputmode });
  }
}

/**
 * Renders the sections of a form. Returns the fieldsets and a map path -> { spec, input, error }.
 * `catalogue` maps field path -> { type, tag, values } from the server.
 */
export function renderSections(sections, catalogue, { timeZone }) {
  const controls = new Map();
  const fieldsets = sections.map((section) =>
    h(
      'fieldset',
      {},
      h('legend', {}, t(section.legend)),
      section.note ? h('p', { class: 'hint' }, t(section.note)) : null,
      h(
        'div',
        { class: 'grid' },
        section.fields.map((spec) => {
          const info = catalogue.get(spec.path);
          const full = { ...spec, widgetType: widgetOf(spec, info) };
          const id = controlId(spec.path);
          const errorId = `${id}-error`;
          const hintId = `${id}-hint`;
          let hintText = spec.hint ? t(spec.hint) : null;
          if (full.widgetType === 'datetime') hintText = t('form.hint.localTime', { zone: timeZone, offset: offsetOf(timeZone) });
          const input = buildControl(full, info, id, [hintText ? hintId : null, errorId].filter(Boolean).join(' '));
          const error = h('p', { class: 'field-error', id: errorId });
          const hint = hintText ? h('p', { class: 'hint', id: hintId }, hintText) : null;
          const span = spec.span ?? (full.widgetType === 'textarea' ? 'full' : null);
          controls.set(spec.path, { spec: full, input, error, timeZone });
          if (full.widgetType === 'checkbox') {
            return h('div', { class: ['field', 'check-field', span] }, h('label', { class: 'check', for: id }, input, h('span', {}, fieldLabel(spec.path))), hint, error);
          }
          if (full.widgetType === 'country') {
            const name = h('p', { class: 'hint', 'aria-live': 'polite' });
            input.addEventListener('input', () => {
              const code = input.value.trim();
              replace(name, /^[a-z]{2}$/i.test(code) ? countryName(code) : '');
            });
            return h('div', { class: ['field', span] }, h('label', { for: id }, fieldLabel(spec.path), requiredMark(spec)), input, hint, name, error);
          }
          return h('div', { class: ['field', span] }, h('label', { for: id }, fieldLabel(spec.path), requiredMark(spec)), input, hint, error);
        }),
      ),
    ),
  );
  return { fieldsets, controls };
}

const requiredMark = (spec) => (spec.required ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *') : null);

function setPath(target, path, value) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys.at(-1)] = value;
}

export function getPath(source, path) {
  return path.split('.').reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), source);
}

/** Reads the form into the API body; empty optional fields are left out. */
export function readPayload(controls, finalize) {
  const payload = {};
  for (const [path, { spec, input, timeZone }] of controls) {
    const value = readValue(spec, input, timeZone);
    if (value !== undefined) setPath(payload, path, value);
  }
  return finalize ? finalize(payload) : payload;
}

function readValue(spec, input, timeZone) {
  const raw = typeof input.value === 'string' ? input.value.trim() : input.value;
  switch (spec.widgetType) {
    case 'checkbox':
      return spec.kind === 'flag' ? (input.checked ? true : undefined) : input.checked;
    case 'tri':
      return raw === '' ? undefined : raw === 'true';
    case 'number':
      // An unparseable number stays a string, so validation can name it.
      return raw === '' ? (input.validity?.badInput ? 'NaN' : undefined) : Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'country':
    case 'currency':
      return raw === '' ? undefined : raw.toUpperCase();
    case 'countries': {
      const codes = raw.split(/[\s,;]+/).filter(Boolean).map((code) => code.toUpperCase());
      return codes.length > 0 ? codes : undefined;
    }
    case 'datetime':
      // datetime-local gives the wall-clock time at the office; the API needs the offset.
      return raw === '' ? undefined : `${raw.length === 16 ? `${raw}:00` : raw}${offsetOf(timeZone, new Date(`${raw}Z`))}`;
    default:
      return raw === '' ? undefined : raw;
  }
}

const isIsoDate = (value) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

/**
 * The API's checks, run before sending (application-schema.ts is the authority; the server's 400
 * answer is shown the same way when it finds more). Returns [{ path, message }].
 */
export function validatePayload(controls, payload, crossChecks) {
  const problems = [];
  const add = (path, key, params) => problems.push({ path, message: t(key, params) });
  for (const [path, { spec }] of controls) {
    const value = getPath(payload, path);
    const groupPresent = !spec.requiredWithin || getPath(payload, spec.requiredWithin) !== undefined;
    if (value === undefined) {
      if (spec.required && groupPresent) add(path, 'v.required');
      continue;
    }
    switch (spec.widgetType) {
      case 'date':
        if (!isIsoDate(value)) add(path, 'v.date');
        break;
      case 'datetime':
        if (Number.isNaN(new Date(value).getTime())) add(path, 'v.datetime');
        break;
      case 'country':
        if (!/^[A-Z]{2}$/.test(value)) add(path, 'v.country');
        break;
      case 'countries':
        if (value.length > 10) add(path, 'v.maxItems', { max: 10 });
        else if (!value.every((code) => /^[A-Z]{2}$/.test(code))) add(path, 'v.countries');
        break;
      case 'currency':
        if (!/^[A-Z]{3}$/.test(value)) add(path, 'v.currency');
        break;
      case 'phone': {
        const digits = value.replace(/\D/g, '').length;
        if (value.length > 40 || !/^\+?[\d\s().-]+$/.test(value) || digits < 8 || digits > 15) add(path, 'v.phone');
        break;
      }
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) add(path, 'v.number');
        else if (spec.integer !== false && !Number.isInteger(value)) add(path, 'v.integer');
        else if (spec.min !== undefined && value < spec.min) add(path, 'v.min', { min: spec.min });
        else if (spec.max !== undefined && value > spec.max) add(path, 'v.maxValue', { max: spec.max });
        break;
      case 'text':
      case 'textarea':
        if (spec.max !== undefined && value.replace(/\s+/g, ' ').length > spec.max) add(path, 'v.maxLength', { max: spec.max });
        else if (spec.pattern && !spec.pattern.test(spec.upper ? value.toUpperCase() : value)) add(path, spec.patternMessage ?? 'v.format');
        break;
      default:
        break;
    }
  }
  if (problems.length === 0 && crossChecks) {
    for (const problem of crossChecks(payload)) add(problem.path, problem.key, problem.params);
  }
  return problems;
}

/** Clears every field error and the summary. */
export function clearErrors(controls, summary) {
  for (const { input, error } of controls.values()) {
    input.removeAttribute('aria-invalid');
    replace(error);
  }
  replace(summary);
  summary.hidden = true;
}

/**
 * Shows problems beside their fields and in a summary at the top whose entries move focus to the
 * field. Problems whose path is not a field (or have none) are listed in the summary only.
 */
export function showErrors(controls, summary, problems, title = t('form.errorsTitle')) {
  clearErrors(controls, summary);
  const items = [];
  for (const problem of problems) {
    const control = problem.path ? controls.get(problem.path) : undefined;
    if (control) {
      control.input.setAttribute('aria-invalid', 'true');
      if (!control.error.textContent) control.error.textContent = problem.message;
      items.push(
        h('li', {}, h('button', { type: 'button', onClick: () => control.input.focus() }, `${fieldLabel(problem.path)}: ${problem.message}`)),
      );
    } else {
      const where = problem.path && problem.path !== '(root)' ? `${problem.path}: ` : '';
      items.push(h('li', {}, `${where}${problem.message}`));
    }
  }
  replace(summary, h('h2', {}, title), h('ul', {}, items));
  summary.hidden = false;
  summary.focus();
}

/** Turns an API error into problems: 400 details are field paths; 422 details carry messages. */
export function problemsFromApiError(error) {
  if (Array.isArray(error.details) && error.details.length > 0) {
    return error.details.map((detail) => ({ path: detail.path ?? null, message: detail.message ?? error.message }));
  }
  return [{ path: null, message: error.message }];
}

/** Writes values into the form (used to restore a form after the language changes). */
export function captureValues(root) {
  const values = [];
  for (const el of root.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (el.type === 'file') continue;
    values.push([el.name, el.type === 'checkbox' || el.type === 'radio' ? { checked: el.checked, value: el.value } : { value: el.value }]);
  }
  return values;
}

export function restoreValues(root, values) {
  const byName = new Map();
  for (const el of root.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (!byName.has(el.name)) byName.set(el.name, []);
    byName.get(el.name).push(el);
  }
  const used = new Map();
  for (const [name, state] of values) {
    const candidates = byName.get(name) ?? [];
    const index = used.get(name) ?? 0;
    used.set(name, index + 1);
    const el = candidates[index];
    if (!el) continue;
    if ('checked' in state && (el.type === 'checkbox' || el.type === 'radio')) el.checked = state.checked;
    else el.value = state.value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}
