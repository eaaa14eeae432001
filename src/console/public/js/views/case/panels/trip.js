// @ts-check
// Where to and when: destination, route and departure (or the intended travel), then the rest of
// the application as received, folded.
import { h } from '../../../dom.js';
import { t } from '../../../i18n.js';
import { priorityText, renderApplication } from '../../shared.js';
import { fieldList } from './fields.js';

const tripFields = {
  departure: [
    'trip.destinationCountry',
    'trip.destinationCity',
    'trip.departureAt',
    'trip.transitCountries',
    'trip.mode',
    'trip.carrier',
    'trip.flightOrVessel',
    'trip.hasReturnTicket',
    'trip.returnDate',
    'trip.ticketPaidBy',
    'purpose.declaredPurpose',
    'purpose.visaType',
  ],
  passport: ['intendedDestinationCountry', 'intendedDestinationCity', 'intendedTravelDate', 'statedPurpose', 'applicationDate', 'urgency', 'isFirstPassport'],
};

/** @type {import('../panels.js').CasePanel} */
export const tripPanel = {
  id: 'case-trip',
  section: 'trip',
  render: ({ row }) =>
    h(
      'section',
      { class: 'panel', id: 'case-trip', 'aria-labelledby': 'case-trip-heading' },
      h('h2', { id: 'case-trip-heading' }, t('case.whereWhen')),
      row.kind === 'departure' ? h('p', { class: 'countdown' }, priorityText(row.priorityReason)) : null,
      fieldList(row.application, tripFields[row.kind]),
      h('details', { class: 'fold', id: 'case-application' }, h('summary', {}, t('case.fullApplication')), renderApplication(row.application)),
    ),
};
