// @ts-check
// Postponement statistics: the total, monthly bars by office (stacked, plain SVG), destination and
// reason breakdowns (CSS bars), each with its numbers in a table, and the CSV export.
import { api, ApiError } from '../api.js';
import { download, h, replace, s } from '../dom.js';
import { countryName, formatMonth, formatNumber, pick, t, todayInJakarta } from '../i18n.js';
import { session } from '../session.js';
import { errorText, message } from './shared.js';

const palette = ['#0b5cad', '#d9822b', '#2e8540', '#8e44ad', '#c0392b', '#16a085', '#7f6a00', '#34495e', '#e84393', '#6c5ce7', '#00838f', '#795548'];

/** Stacked monthly bars, one colour per office. */
function monthlyChart(groups) {
  const months = [...new Set(groups.map((g) => g.month))].sort();
  const offices = [...new Set(groups.map((g) => g.office))].sort();
  if (months.length === 0) return h('p', {}, t('stats.noData'));
  const colour = new Map(offices.map((office, i) => [office, palette[i % palette.length]]));
  const totals = new Map(months.map((month) => [month, groups.filter((g) => g.month === month).reduce((sum, g) => sum + g.count, 0)]));
  const max = Math.max(...totals.values(), 1);
  const width = 720;
  const height = 260;
  const left = 48;
  const bottom = 28;
  const top = 10;
  const plotHeight = height - top - bottom;
  const slot = (width - left - 10) / months.length;
  const barWidth = Math.min(48, slot * 0.7);
  const ticks = 4;
  const step = Math.max(1, Math.ceil(max / ticks));
  const scaleMax = step * ticks;
  const y = (value) => top + plotHeight - (value / scaleMax) * plotHeight;

  const grid = Array.from({ length: ticks + 1 }, (_, i) => i * step).map((value) => [
    s('line', { x1: left, x2: width - 5, y1: y(value), y2: y(value), class: 'axis', 'stroke-opacity': value === 0 ? 1 : 0.3 }),
    s('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, formatNumber(value)),
  ]);
  const bars = months.map((month, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    let base = 0;
    const segments = offices
      .map((office) => ({ office, count: groups.find((g) => g.month === month && g.office === office)?.count ?? 0 }))
      .filter((segment) => segment.count > 0)
      .map((segment) => {
        const rect = s(
          'rect',
          { x, width: barWidth, y: y(base + segment.count), height: Math.max(0.5, y(base) - y(base + segment.count)), fill: colour.get(segment.office) },
          s('title', {}, `${segment.office} · ${formatMonth(month)}: ${formatNumber(segment.count)}`),
        );
        base += segment.count;
        return rect;
      });
    return [
      ...segments,
      s('text', { x: x + barWidth / 2, y: height - 10, 'text-anchor': 'middle' }, formatMonth(month)),
      s('text', { x: x + barWidth / 2, y: y(base) - 3, 'text-anchor': 'middle' }, formatNumber(base)),
    ];
  });
  return h(
    'figure',
    { class: 'chart-figure' },
    s(
      'svg',
      { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'monthly-title' },
      s('title', { id: 'monthly-title' }, t('stats.monthlyAlt')),
      grid,
      bars,
    ),
    h(
      'ul',
      { class: 'legend', 'aria-label': t('stats.legend') },
      offices.map((office) => h('li', {}, h('span', { class: 'swatch', dataset: { colour: colour.get(office) } }), office)),
    ),
  );
}

/** Horizontal bars: [{ label, count }], widths relative to the largest. */
function barList(id, rows) {
  if (rows.length === 0) return h('p', {}, t('stats.noData'));
  const max = Math.max(...rows.map((row) => row.count), 1);
  return h(
    'ul',
    { class: 'hbars', id },
    rows.map((row) => {
      const bar = h('div', { class: 'hbar', 'aria-hidden': 'true' });
      // CSSOM, not an inline style attribute: allowed by the console's style-src 'self'.
      bar.style.width = `${(row.count / max) * 100}%`;
      return h('li', { dataset: row.key ? { key: row.key } : {} }, h('span', {}, row.label), bar, h('span', { class: 'num' }, formatNumber(row.count)));
    }),
  );
}

function dataTable(id, caption, headers, rows) {
  return h(
    'details',
    {},
    h('summary', {}, t('stats.showTable')),
    h(
      'table',
      { id },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((header, i) => h('th', { scope: 'col', class: i === headers.length - 1 ? 'num' : undefined }, header)))),
      h('tbody', {}, rows),
    ),
  );
}

export async function statsView(ctx) {
  const { memory } = ctx;
  const national = ctx.office?.kind === 'headquarters';
  memory.filters ??= { from: '', to: '', kind: '', office: '' };
  const query = (groupBy) => {
    const { from, to, kind, office } = memory.filters;
    return { groupBy, from, to, kind, office: national ? office : undefined };
  };
  const [monthly, destinations, reasons] = await Promise.all([
    api('GET', '/postponements/stats', { query: query('month,office') }),
    api('GET', '/postponements/stats', { query: query('destination') }),
    api('GET', '/postponements/stats', { query: query('reason') }),
  ]);

  const feedback = h('div');
  const control = (name, label, input) => h('div', { class: 'field' }, h('label', { for: `stats-${name}` }, label), input);
  const from = h('input', { type: 'date', id: 'stats-from', name: 'from', value: memory.filters.from });
  const to = h('input', { type: 'date', id: 'stats-to', name: 'to', value: memory.filters.to });
  const kind = h(
    'select',
    { id: 'stats-kind', name: 'kind', value: memory.filters.kind },
    h('option', { value: '' }, t('stats.allKinds')),
    h('option', { value: 'departure' }, t('stats.kind.departure')),
    h('option', { value: 'passport_issuance' }, t('stats.kind.passport_issuance')),
  );
  const office = national ? h('input', { type: 'text', id: 'stats-office', name: 'office', value: memory.filters.office, size: 14 }) : null;
  const filters = h(
    'form',
    {
      class: 'filters',
      onSubmit: (event) => {
        event.preventDefault();
        memory.filters = { from: from.value, to: to.value, kind: kind.value, office: office?.value.trim() ?? '' };
        void ctx.refresh();
      },
    },
    control('from', t('stats.from'), from),
    control('to', t('stats.to'), to),
    control('kind', t('stats.kind'), kind),
    office ? control('office', t('common.office'), office) : null,
    h('button', { type: 'submit', id: 'stats-apply' }, t('common.show')),
    h(
      'button',
      {
        type: 'button',
        id: 'export-csv',
        onClick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          try {
            const { groupBy: _unused, ...filter } = query(undefined);
            const response = await api('GET', '/postponements/export.csv', { query: filter, raw: true });
            download(await response.blob(), `penundaan-${todayInJakarta()}.csv`);
          } catch (error) {
            if (!(error instanceof ApiError && error.status === 401)) replace(feedback, message(errorText(error), 'error'));
          } finally {
            button.disabled = false;
          }
        },
      },
      t('stats.exportCsv'),
    ),
  );

  const destinationRows = destinations.groups
    .slice()
    .sort((a, b) => b.count - a.count)
    .map((g) => ({ key: g.destination, label: countryName(g.destination), count: g.count }));
  const reasonRows = reasons.groups
    .slice()
    .sort((a, b) => b.count - a.count)
    .map((g) => ({ key: g.reason, label: pick(g.reasonLabel) || g.reason, count: g.count }));

  replace(
    ctx.main,
    h('h1', { id: 'page-title' }, t('stats.title')),
    h('p', { class: 'zone-note' }, t('stats.zoneNote', { zone: monthly.timeZone ?? 'Asia/Jakarta' }), session()?.office && !national ? ` · ${session().office.code}` : ''),
    feedback,
    h('section', { class: 'panel' }, filters),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'total-heading' },
      h('h2', { id: 'total-heading' }, t('stats.total')),
      h('p', { class: 'big-number', id: 'stats-total', 'data-total': String(monthly.total) }, formatNumber(monthly.total)),
      monthly.syntheticTotal > 0
        ? h('p', { id: 'stats-synthetic' }, h('span', { class: 'demo-mark' }, t('stats.demoMark')), ' ', t('stats.includesDemo', { count: formatNumber(monthly.syntheticTotal) }))
        : null,
    ),
    h(
      'div',
      { class: 'chart-grid' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'monthly-heading' },
        h('h2', { id: 'monthly-heading' }, t('stats.monthly')),
        monthlyChart(monthly.groups),
        dataTable(
          'stats-monthly-table',
          t('stats.monthly'),
          [t('stats.month'), t('common.office'), t('stats.count')],
          monthly.groups.map((g) =>
            h('tr', {}, h('td', {}, formatMonth(g.month)), h('td', {}, g.office), h('td', { class: 'num', 'data-month': g.month, 'data-office': g.office }, formatNumber(g.count))),
          ),
        ),
      ),
      h(
        'div',
        {},
        h('section', { class: 'panel', 'aria-labelledby': 'destination-heading' }, h('h2', { id: 'destination-heading' }, t('stats.destinations')), barList('stats-destinations', destinationRows)),
        h('section', { class: 'panel', 'aria-labelledby': 'reason-heading' }, h('h2', { id: 'reason-heading' }, t('stats.reasons')), barList('stats-reasons', reasonRows)),
      ),
    ),
  );
  // Legend swatches take their colour through the CSSOM too.
  for (const swatch of ctx.main.querySelectorAll('.swatch[data-colour]')) swatch.style.background = swatch.dataset.colour;
  return { title: t('stats.title') };
}

