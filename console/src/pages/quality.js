import { h, fill, table, section, fmt, when } from '../dom.js';
import { api } from '../api.js';
import { timeChart, PALETTE } from '../charts.js';

const BUCKETS = [['1m', '1 minute'], ['5m', '5 minutes'], ['15m', '15 minutes'], ['1h', '1 hour'], ['6h', '6 hours'], ['1d', '1 day']];
// Hours back from now; '' is the API's default, the spec's longest quality window.
const RANGES = [['', 'longest quality window'], ['1', 'last hour'], ['6', 'last 6 hours'], ['24', 'last day'], ['168', 'last 7 days'], ['720', 'last 30 days']];

// Live quality: the holdout metrics on labeled live traffic per version and trailing window; over time, per bucket of
// prediction time, the chosen metric per version against its holdout value, and how many predictions were logged
// and labeled (a point over three labels is not one to act on); the drift report history's rows and drifted share.
export async function qualityPage(main, model, ctx) {
  const [view, page, first] = await Promise.all([
    api(`/models/${model}/monitoring`),
    api(`/models/${model}/monitoring/reports?limit=50`),
    api(`/models/${model}/monitoring/quality`),
  ]);
  const reports = await Promise.all(page.reports.map((r) => api(`/models/${model}/monitoring/reports/${r.id}`)));
  if (!ctx.current) return;
  const metricNames = [...new Set(view.live.flatMap((q) => Object.keys(q.metrics)))];
  const chronological = [...reports].reverse();

  let series = first;
  const metric = h('select', { id: 'quality-metric', name: 'quality-metric' }, series.metrics.map((m) => h('option', { value: m }, m)));
  const bucket = h('select', { id: 'quality-bucket', name: 'quality-bucket' },
    BUCKETS.map(([value, label]) => h('option', { value, selected: bucketOf(series) === value }, label)));
  if (!BUCKETS.some(([value]) => value === bucketOf(series))) bucket.prepend(h('option', { value: '', selected: true }, series.bucket));
  const range = h('select', { id: 'quality-range', name: 'quality-range' }, RANGES.map(([value, label]) => h('option', { value }, label)));
  const overTime = h('div', { id: 'quality-over-time' });
  const draw = () => overTime.replaceChildren(...qualityOverTime(series, metric.value));
  // A bucket too small for the range is the API's 400, shown as it says (with the smallest bucket that fits).
  const reload = async () => {
    const query = new URLSearchParams();
    if (bucket.value) query.set('bucket', bucket.value);
    if (range.value) query.set('from', new Date(Date.now() - Number(range.value) * 3_600_000).toISOString());
    try {
      const next = await api(`/models/${model}/monitoring/quality?${query}`);
      if (!ctx.current) return;
      series = next;
      draw();
    } catch (e) {
      overTime.replaceChildren(h('p', { role: 'alert' }, e.message));
    }
  };
  metric.addEventListener('change', draw);
  bucket.addEventListener('change', reload);
  range.addEventListener('change', reload);

  fill(main,
    h('h1', {}, `Live quality of ${model}`),
    h('p', {}, view.champion ? `Champion v${view.champion}. ` : 'No champion. ', `Last check ${when(view.state.lastCheckAt)}${view.state.lastStatus ? ` (${view.state.lastStatus})` : ''}; last retraining ${view.state.lastRetrainRunId ? `${when(view.state.lastRetrainAt)} (run ${view.state.lastRetrainRunId})` : 'none'}.`),
    section('By version and window',
      view.live.length === 0 ? h('p', {}, 'No logged predictions yet.') :
        table('Live quality per version and window', ['Version', 'Window', 'Logged', 'Labeled', 'Coverage', ...metricNames],
          view.live.map((q) => [`v${q.version}`, q.window, q.logged, q.labeled, `${fmt(q.coverage * 100, 1)} %`, ...metricNames.map((m) => fmt(q.metrics[m]))]), { id: 'live-quality' })),
    section('Quality over time',
      h('div', { className: 'inline' },
        h('label', { for: 'quality-metric' }, 'Metric'), metric,
        h('label', { for: 'quality-range' }, 'Range'), range,
        h('label', { for: 'quality-bucket' }, 'Bucket size'), bucket),
      overTime),
    section('Drift checks over time',
      chronological.length === 0 ? h('p', {}, 'No checks yet.') :
        timeChart('Rows per check over time', chronological.map((r) => r.at), [
          { label: 'current rows', values: chronological.map((r) => r.currentRows) },
        ], 'rows'),
      chronological.length === 0 ? null :
        timeChart('Drifted share of features over time', chronological.map((r) => r.at), [
          { label: 'drifted share', values: chronological.map((r) => r.driftedShare) },
        ], 'share')),
  );
  draw();
}

// The API's bucket ("01:00:00", "1.00:00:00") as the selector's value, when it is one of them.
function bucketOf(series) {
  const [days, rest] = series.bucket.includes('.') ? series.bucket.split('.') : ['0', series.bucket];
  const [hh, mm] = rest.split(':').map(Number);
  const minutes = Number(days) * 1440 + hh * 60 + mm;
  return minutes % 1440 === 0 ? `${minutes / 1440}d` : minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

function qualityOverTime(series, name) {
  const range = `${when(series.from)} to ${when(series.to)}, ${series.bucket} buckets; a bucket needs ${series.minLabels} labels for its metrics`;
  if (series.versions.length === 0) return [h('p', {}, `No predictions logged from ${range}.`)];
  const times = series.versions[0].buckets.map((b) => b.from);
  // One colour per version: its live metric solid, its holdout value dashed.
  const color = (i) => PALETTE[i % PALETTE.length];
  const lines = series.versions.flatMap((v, i) => [
    { label: `v${v.version} live ${name}`, values: v.buckets.map((b) => b.metrics[name] ?? null), color: color(i), points: true },
    v.reference?.[name] === undefined ? null : { label: `v${v.version} holdout ${name}`, values: v.buckets.map(() => v.reference[name]), dash: [6, 4], color: color(i) },
  ]).filter(Boolean);
  const counts = series.versions.flatMap((v, i) => [
    { label: `v${v.version} logged`, values: v.buckets.map((b) => b.logged), color: color(i), dash: [2, 3] },
    { label: `v${v.version} labeled`, values: v.buckets.map((b) => b.labeled), color: color(i) },
  ]);
  const rows = series.versions
    .flatMap((v) => v.buckets.filter((b) => b.logged > 0).map((b) => ({ v, b })))
    .sort((x, y) => x.b.from.localeCompare(y.b.from) || x.v.version - y.v.version)
    .map(({ v, b }) => [`v${v.version}`, when(b.from), b.logged, b.labeled, b.coverage === null ? '—' : `${fmt(b.coverage * 100, 1)} %`,
      fmt(b.metrics[name]), v.reference?.[name] === undefined ? '—' : fmt(v.reference[name]), b.unmeasured ?? '']);
  return [
    h('p', {}, `From ${range}.`),
    timeChart(`Live ${name} per version, with its holdout value`, times, lines, name),
    timeChart('Logged and labeled predictions per bucket', times, counts, 'predictions'),
    table(`Live ${name} per bucket with predictions`, ['Version', 'Bucket from', 'Logged', 'Labeled', 'Coverage', `Live ${name}`, `Holdout ${name}`, 'Not measured because'],
      rows, { id: 'quality-series' }),
  ];
}
