import { h, fill, table, section, fmt, when } from '../dom.js';
import { api } from '../api.js';
import { timeChart } from '../charts.js';

// Live quality: the holdout metrics on labeled live traffic per version and window, and, over the drift report
// history, how many rows each check saw and the drifted share (the API keeps no history of the live metrics).
export async function qualityPage(main, model, ctx) {
  const [view, page] = await Promise.all([
    api(`/models/${model}/monitoring`),
    api(`/models/${model}/monitoring/reports?limit=50`),
  ]);
  const reports = await Promise.all(page.reports.map((r) => api(`/models/${model}/monitoring/reports/${r.id}`)));
  if (!ctx.current) return;
  const metricNames = [...new Set(view.live.flatMap((q) => Object.keys(q.metrics)))];
  const chronological = [...reports].reverse();
  fill(main, 
    h('h1', {}, `Live quality of ${model}`),
    h('p', {}, view.champion ? `Champion v${view.champion}. ` : 'No champion. ', `Last check ${when(view.state.lastCheckAt)}${view.state.lastStatus ? ` (${view.state.lastStatus})` : ''}; last retraining ${view.state.lastRetrainRunId ? `${when(view.state.lastRetrainAt)} (run ${view.state.lastRetrainRunId})` : 'none'}.`),
    section('By version and window',
      view.live.length === 0 ? h('p', {}, 'No logged predictions yet.') :
        table('Live quality per version and window', ['Version', 'Window', 'Logged', 'Labeled', 'Coverage', ...metricNames],
          view.live.map((q) => [`v${q.version}`, q.window, q.logged, q.labeled, `${fmt(q.coverage * 100, 1)} %`, ...metricNames.map((m) => fmt(q.metrics[m]))]), { id: 'live-quality' })),
    section('Over time',
      chronological.length === 0 ? h('p', {}, 'No checks yet.') :
        timeChart('Rows per check over time', chronological.map((r) => r.at), [
          { label: 'current rows', values: chronological.map((r) => r.currentRows) },
        ], 'rows'),
      chronological.length === 0 ? null :
        timeChart('Drifted share of features over time', chronological.map((r) => r.at), [
          { label: 'drifted share', values: chronological.map((r) => r.driftedShare) },
        ], 'share')),
  );
}
