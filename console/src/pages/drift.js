import { h, fill, table, section, fmt, when, badge } from '../dom.js';
import { api } from '../api.js';
import { histogramChart, timeChart } from '../charts.js';
import { adminButton, adminReason, act, outcome } from './common.js';

const HISTORY = 30;

// Drift: the latest report's features (flagged ones first) with reference-vs-current histograms, and each
// feature's statistic against its threshold over the report history.
export async function driftPage(main, model, ctx) {
  const page = await api(`/models/${model}/monitoring/reports?limit=${HISTORY}`);
  const reports = await Promise.all(page.reports.map((r) => api(`/models/${model}/monitoring/reports/${r.id}`)));
  if (!ctx.current) return;
  const out = outcome();
  const check = adminButton('Run the drift check now', () => act(out, async () => {
    const r = await api(`/models/${model}/monitoring/check`, { method: 'POST' });
    return `Checked: ${r.drift?.status ?? r.status ?? 'done'}.`;
  }, () => ctx.rerender()), { id: 'run-check' });
  const latest = reports[0];
  if (!latest) {
    fill(main, h('h1', {}, `Drift of ${model}`), adminReason(), h('p', {}, 'No drift report yet: the check runs on a timer, or now:'), check, out);
    return;
  }

  const features = [...latest.features].sort((a, b) => Number(b.drifted) - Number(a.drifted));
  const chronological = [...reports].reverse();
  const select = h('select', { id: 'history-feature', name: 'history-feature' }, latest.features.map((f) => h('option', { value: f.name }, f.name)));
  const history = h('div', { id: 'drift-history' });
  const drawHistory = () => {
    const name = select.value;
    const points = chronological.map((r) => r.features.find((f) => f.name === name));
    const pValue = points.some((p) => p?.pValue !== null && p?.pValue !== undefined);
    history.replaceChildren(timeChart(`${name}: ${pValue ? 'p-value' : 'statistic'} and threshold over time`, chronological.map((r) => r.at), [
      { label: pValue ? 'p-value' : 'statistic', values: points.map((p) => (pValue ? p?.pValue : p?.statistic) ?? null) },
      { label: 'threshold', values: points.map((p) => p?.threshold ?? null), dash: [6, 4] },
    ], pValue ? 'p-value' : 'statistic'));
  };
  select.addEventListener('change', drawHistory);

  fill(main, 
    h('h1', {}, `Drift of ${model}`),
    adminReason(),
    h('p', { id: 'drift-summary' }, badge(latest.status, latest.status === 'drift' ? 'bad' : latest.status === 'no-drift' ? 'good' : 'neutral'),
      ` ${when(latest.at)}: champion v${latest.version}, ${latest.currentRows} current rows vs ${latest.referenceRows} reference rows; ${fmt(latest.driftedShare * 100, 0)} % of features drifted.`),
    h('div', { className: 'inline' }, check), out,
    section('Features',
      table('Features in the latest report, drifted first', ['Feature', 'Drift', 'Method', 'Statistic', 'p-value', 'Threshold', 'PSI'],
        features.map((f) => [f.name, f.drifted ? badge('drifted', 'bad') : badge('stable', 'good'), f.method, fmt(f.statistic), fmt(f.pValue), fmt(f.threshold), `${fmt(f.psi, 3)} (${f.psiBand})`]),
        { id: 'drift-features' })),
    section('Reference vs current',
      h('div', { className: 'charts' }, features.filter((f) => f.histogram).map((f) =>
        histogramChart(`${f.name}${f.drifted ? ' (drifted)' : ''}`, f.histogram.bins, f.histogram.reference, f.histogram.current)))),
    section('Over time', h('div', { className: 'inline' }, h('label', { for: 'history-feature' }, 'Feature'), select), history),
    section('Reports', table('Drift reports, newest first', ['Report', 'Version', 'Status', 'Drifted share'],
      page.reports.map((r) => [when(r.at), r.version ? `v${r.version}` : '—', r.status ?? '—', fmt(r.driftedShare)]))),
  );
  drawHistory();
}
