// Charts drawn with uPlot (bundled by vite: nothing is fetched at run time). Each chart is a <figure> with a caption
// and its numbers in a table under <details>, so the data is there for keyboards and screen readers too.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, table, fmt } from './dom.js';

const REFERENCE = '#1f4e79';
const CURRENT = '#b35900';
export const PALETTE = [REFERENCE, CURRENT, '#2e7d32', '#6a1b9a', '#c62828'];

function figure(caption, describe, rows, headers) {
  const plot = h('div', { className: 'plot', role: 'img', 'aria-label': describe });
  const fig = h('figure', { className: 'chart' },
    h('figcaption', {}, caption),
    plot,
    h('details', {}, h('summary', {}, `${caption}: data`), table(caption, headers, rows)));
  return { fig, plot };
}

function width(el) {
  return Math.max(320, Math.min(760, (el.closest('main')?.clientWidth ?? 760) - 40));
}

/** Reference vs current shares per bin, side by side. */
export function histogramChart(caption, bins, reference, current) {
  const share = (counts) => { const t = counts.reduce((a, b) => a + b, 0) || 1; return counts.map((c) => c / t); };
  const ref = share(reference);
  const cur = share(current);
  const rows = bins.map((b, i) => [b, fmt(ref[i], 3), fmt(cur[i], 3)]);
  const { fig, plot } = figure(caption, `${caption}: reference and current share per bin`, rows, ['bin', 'reference share', 'current share']);
  const xs = bins.map((_, i) => i);
  queueMicrotask(() => new uPlot({
    width: width(fig), height: 220,
    scales: { x: { time: false, range: [-0.5, bins.length - 0.5] }, y: { range: [0, Math.max(...ref, ...cur, 0.01) * 1.1] } },
    series: [
      {},
      { label: 'reference', stroke: REFERENCE, fill: REFERENCE + '99', paths: uPlot.paths.bars({ size: [0.4, 60], align: -1 }), points: { show: false } },
      { label: 'current', stroke: CURRENT, fill: CURRENT + '99', paths: uPlot.paths.bars({ size: [0.4, 60], align: 1 }), points: { show: false } },
    ],
    axes: [
      { values: (u, splits) => splits.map((s) => (Number.isInteger(s) ? bins[s] ?? '' : '')), rotate: -30, size: 60, stroke: '#222' },
      { label: 'share', stroke: '#222' },
    ],
  }, [xs, ref, cur], plot));
  return fig;
}

/** Lines over time; series = [{ label, values, dash?, color?, points? }], times in ISO strings; points: always mark values (isolated ones between gaps too). */
export function timeChart(caption, times, series, yLabel) {
  const xs = times.map((t) => new Date(t).getTime() / 1000);
  const rows = times.map((t, i) => [t, ...series.map((s) => fmt(s.values[i]))]);
  const { fig, plot } = figure(caption, `${caption}: ${series.map((s) => s.label).join(', ')} over time`, rows, ['time', ...series.map((s) => s.label)]);
  queueMicrotask(() => new uPlot({
    width: width(fig), height: 240,
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: s.color ?? PALETTE[i % PALETTE.length], width: 2, dash: s.dash, points: s.points ? { show: true, size: 7 } : undefined }))],
    axes: [{ stroke: '#222' }, { label: yLabel, stroke: '#222' }],
  }, [xs, ...series.map((s) => s.values.map((v) => (v === null || v === undefined || !Number.isFinite(v) ? null : v)))], plot));
  return fig;
}

/** Lines over an index (epochs, trials). */
export function lineChart(caption, xLabel, xs, series, yLabel) {
  const rows = xs.map((x, i) => [x, ...series.map((s) => fmt(s.values[i]))]);
  const { fig, plot } = figure(caption, `${caption}: ${series.map((s) => s.label).join(', ')} by ${xLabel}`, rows, [xLabel, ...series.map((s) => s.label)]);
  queueMicrotask(() => new uPlot({
    width: width(fig), height: 240,
    scales: { x: { time: false } },
    series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2 }))],
    axes: [{ label: xLabel, stroke: '#222' }, { label: yLabel, stroke: '#222' }],
  }, [xs, ...series.map((s) => s.values)], plot));
  return fig;
}
