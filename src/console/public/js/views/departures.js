// Expected departures (issue 22): the checkpoint's flights and sailings from carriers' manifests, with
// time and flagged count; a flight opens its passengers with their pre-screen, a passenger opens a
// departure check prefilled with what the manifest carries (linked back by passport number on submit).
import { api, ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { countryName, formatDate, formatDateTime, formatNumber, pick, t } from '../i18n.js';
import { getPath } from '../forms.js';
import { errorText, message, outcomeBadge } from './shared.js';

/** A prefill waiting for the departure form (kept in memory only, taken once). */
let pendingPrefill = null;

/** The prefill the expected-departures page left for the departure form, once. */
export function takeDeparturePrefill() {
  const prefill = pendingPrefill;
  pendingPrefill = null;
  return prefill;
}

/** Puts a manifest's values into the departure form's controls; the officer completes the rest. */
export function applyPrefill(controls, prefill) {
  for (const [path, control] of controls) {
    const value = getPath(prefill.values, path);
    if (value === undefined || value === null) continue;
    const { input } = control;
    if (input.type === 'checkbox') input.checked = Boolean(value);
    // The form's datetime-local is the wall-clock time at the office; the manifest gives the port's local time.
    else if (input.type === 'datetime-local') input.value = String(value).slice(0, 16);
    else input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  return message(t('departures.prefilled', { flight: prefill.flight }), 'info');
}

const reasonList = (reasons) =>
  reasons.length === 0 ? '—' : h('ul', { class: 'reasons' }, reasons.map((reason) => h('li', { 'data-rule': reason.ruleId, title: pick(reason.reason) }, pick(reason.title))));

function passengerTable(flight, ctx, feedback) {
  return h(
    'table',
    { class: 'manifest-passengers', 'data-flight': flight.id },
    h('caption', {}, t('departures.passengersOf', { flight: flight.flightOrVessel })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['departures.name', 'departures.nationality', 'departures.document', 'departures.outcome', 'departures.score', 'departures.reasons', 'departures.action'].map((key) =>
          h('th', { scope: 'col' }, t(key)),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      flight.passengers.map((p) =>
        h(
          'tr',
          { 'data-passenger': p.id, 'data-outcome': p.outcome ?? p.status },
          h('td', {}, p.fullName, p.dateOfBirth ? h('span', { class: 'hint' }, ` · ${formatDate(p.dateOfBirth)}`) : null),
          h('td', {}, p.nationality ? countryName(p.nationality) : '—'),
          h('td', {}, p.withoutDocument ? h('span', { class: 'badge must' }, t('departures.noDocument')) : p.documentNumber),
          h('td', {}, p.outcome ? outcomeBadge(p.outcome) : h('span', { class: 'badge' }, t(`departures.status.${p.status}`))),
          h('td', { class: 'num' }, p.score === null ? '—' : String(p.score)),
          h('td', {}, reasonList(p.reasons)),
          h(
            'td',
            {},
            p.departureCheckId
              ? h('span', { class: 'badge state-decided' }, t('departures.checked'))
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'start-check',
                    onClick: async (event) => {
                      event.currentTarget.disabled = true;
                      try {
                        const found = await api('GET', `/manifest-passengers/${p.id}`);
                        pendingPrefill = { values: found.departureCheckPrefill, flight: flight.flightOrVessel };
                        ctx.navigate('/departure');
                      } catch (error) {
                        event.currentTarget.disabled = false;
                        if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
                      }
                    },
                  },
                  t('departures.startCheck'),
                ),
          ),
        ),
      ),
    ),
  );
}

export async function expectedDeparturesView(ctx) {
  const code = ctx.office?.code ?? ctx.session.user.officeCode;
  const feedback = h('div', { id: 'departures-feedback' });
  const data = await api('GET', `/checkpoints/${encodeURIComponent(code)}/expected-departures`);
  const detail = h('section', { id: 'flight-passengers', 'aria-live': 'polite' });
  const open = (flight) => {
    ctx.memory.openFlight = flight.id;
    replace(detail, passengerTable(flight, ctx, feedback));
  };
  const rows = data.flights.map((flight) =>
    h(
      'tr',
      { 'data-flight': flight.id, 'data-flagged': flight.counts.flagged, class: flight.counts.flagged > 0 ? 'flagged' : null },
      h('td', {}, h('button', { type: 'button', class: 'link open-flight', onClick: () => open(flight) }, flight.flightOrVessel)),
      h('td', {}, flight.carrier ?? '—'),
      h('td', {}, formatDateTime(flight.departureAt)),
      h('td', {}, `${flight.departurePort} → ${flight.arrivalPort}${flight.destinationCountry ? ` (${countryName(flight.destinationCountry)})` : ''}`),
      h('td', { class: 'num' }, formatNumber(flight.counts.passengers)),
      h('td', { class: 'num', 'data-count': 'flagged' }, flight.counts.flagged > 0 ? h('strong', {}, formatNumber(flight.counts.flagged)) : '0'),
      h('td', { class: 'num' }, formatNumber(flight.counts.pending)),
    ),
  );
  replace(
    ctx.main,
    h('h1', { id: 'page-title' }, t('departures.title')),
    h('p', { class: 'hint' }, t('departures.window', { office: code, from: formatDateTime(data.from), to: formatDateTime(data.to) })),
    feedback,
    data.flights.length === 0
      ? message(t('departures.none'))
      : h(
          'table',
          { id: 'expected-departures' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['departures.flight', 'departures.carrier', 'departures.time', 'departures.route', 'departures.passengers', 'departures.flagged', 'departures.pending'].map((key) =>
                h('th', { scope: 'col' }, t(key)),
              ),
            ),
          ),
          h('tbody', {}, rows),
        ),
    detail,
  );
  const remembered = data.flights.find((flight) => flight.id === ctx.memory.openFlight);
  if (remembered) open(remembered);
  return { title: t('departures.title') };
}
