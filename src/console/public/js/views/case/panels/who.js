// @ts-check
// Who: the traveller or applicant as identified at the counter.
import { h } from '../../../dom.js';
import { t } from '../../../i18n.js';
import { fieldList, personRoot } from './fields.js';

const personFields = ['fullName', 'nik', 'passportNumber', 'dateOfBirth', 'sex', 'placeOfBirth', 'provinceOfOrigin', 'regencyOfOrigin', 'phone'];

/** @type {import('../panels.js').CasePanel} */
export const whoPanel = {
  id: 'case-who',
  section: 'who',
  render: ({ row }) => {
    const root = personRoot(row.kind);
    return h(
      'section',
      { class: 'panel', id: 'case-who', 'aria-labelledby': 'case-who-heading' },
      h('h2', { id: 'case-who-heading' }, t(row.kind === 'departure' ? 'sec.traveller' : 'sec.applicant')),
      fieldList(row.application, personFields.map((field) => `${root}.${field}`)),
    );
  },
};
