// @ts-check
// A few fields of the application as a labelled list, with the intake form's labels and formats.
import { h } from '../../../dom.js';
import { fieldLabel, getPath } from '../../../forms.js';
import { fieldSpecs } from '../../../specs.js';
import { formatValue } from '../../shared.js';

/**
 * @param {import('../../../../../types/api').Application} application
 * @param {string[]} paths  payload paths; those without a value are left out
 */
export function fieldList(application, paths) {
  const specs = fieldSpecs(application.kind);
  const rows = paths
    .map((path) => [path, getPath(application.payload ?? {}, path)])
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([path, value]) => [h('dt', {}, fieldLabel(path)), h('dd', { 'data-field': path }, formatValue(value, specs.get(path), path))]);
  return h('dl', { class: 'kv' }, rows);
}

/** The payload root that holds the person: traveller (departure) or applicant (passport). */
export const personRoot = (/** @type {import('../../../../../types/api').ApplicationKind} */ kind) => (kind === 'departure' ? 'traveller' : 'applicant');
