import { h, fill, table, section, fmt, when, short, badge } from '../dom.js';
import { api } from '../api.js';
import { lineChart } from '../charts.js';
import { runLogPanel } from './runLogs.js';

const POLL_MS = 1000;
const FINISHED = ['Completed', 'Failed', 'Terminated'];

export async function runsPage(main, model, ctx) {
  const page = await api(`/models/${model}/runs?pageSize=50`);
  if (!ctx.current) return;
  fill(main, 
    h('h1', {}, `Runs of ${model}`),
    page.runs.length === 0 ? h('p', {}, 'No runs yet.') :
      table('Runs, newest first', ['Run', 'Status', 'Outcome', 'Trigger', 'Created', 'Step', 'Version', 'Dataset'],
        page.runs.map((r) => [
          h('a', { href: `#/models/${model}/runs/${r.runId}` }, r.runId),
          r.status, r.outcome ?? '—', r.trigger, when(r.createdAt), r.step ?? '—', r.version ? `v${r.version}` : '—', short(r.datasetSha256),
        ]), { id: 'runs' }));
}

// One run: the live step timeline (polled while it runs), parameters, metrics, gate, trials, loss curve, its log
// (tailed while it runs), and for a rejected file the quarantine report with its row problems.
export async function runPage(main, model, runId, ctx) {
  let shownSteps = '';
  const logs = runLogPanel(runId);
  for (;;) {
    const run = await api(`/runs/${runId}`);
    if (!ctx.current) return;
    const finished = FINISHED.includes(run.status);
    const key = JSON.stringify([run.status, run.progress]);
    if (key !== shownSteps) {
      shownSteps = key;
      fill(main, ...await runView(model, run), logs.element);
      if (!ctx.current) return;
    }
    // After the status: once the run has ended its log is complete (each step stores its lines before its result).
    await logs.update();
    if (!ctx.current) return;
    if (finished) return;
    // Polls with a pause between requests; ctx.current stops it once another page is shown.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (!ctx.current) return;
  }
}

async function runView(model, run) {
  const result = run.result;
  const steps = run.progress?.steps ?? [];
  const parts = [
    h('h1', {}, `Run ${run.runId}`),
    h('p', { id: 'run-status' }, 'Status: ', badge(run.status, run.status === 'Failed' || (result && !result.ingest?.accepted) ? 'bad' : run.status === 'Completed' ? 'good' : 'neutral'),
      result ? ` — outcome ${result.outcome}${result.version ? `, version ${result.version}` : ''}${result.promoted ? ', promoted' : ''}` : '',
      result?.notPromotedReason ? ` (${result.notPromotedReason})` : ''),
    section('Steps',
      h('ol', { className: 'timeline', id: 'steps' }, steps.map((s) => h('li', { className: `step step-${s.status}` },
        h('strong', {}, s.step), ` ${s.status}`, s.seconds !== null && s.seconds !== undefined ? ` ${fmt(s.seconds, 2)} s` : '', s.detail ? ` — ${s.detail}` : ''))),
      run.error ? h('p', { className: 'error' }, run.error) : null),
  ];
  if (run.input) {
    parts.push(section('Input', h('dl', {},
      h('dt', {}, 'Source'), h('dd', {}, run.input.clientFileName ?? run.input.sourceName),
      h('dt', {}, 'Dataset version'), h('dd', {}, run.input.datasetSha256),
      h('dt', {}, 'Trigger'), h('dd', {}, run.trigger ?? run.input.trigger ?? '—'))));
  }
  if (run.training) {
    parts.push(section('Parameters',
      table('Effective parameters', ['Parameter', 'Value'], Object.entries(run.training.parameters).map(([k, v]) => [k, v])),
      h('p', {}, `Device ${run.training.device}, fit ${fmt(run.training.fitSeconds, 2)} s on ${run.training.trainRows} rows (holdout ${run.training.holdoutRows}).`)));
    const loss = run.training.lossCurve;
    if (loss?.length) {
      parts.push(section('Loss curve', lineChart('Loss per epoch', 'epoch', loss.map((e) => e.epoch),
        [{ label: 'train', values: loss.map((e) => e.trainLoss) }, { label: 'validation', values: loss.map((e) => e.validationLoss) }], 'loss')));
    }
  }
  if (result?.metrics) {
    parts.push(section('Metrics', table('Holdout metrics', ['Metric', 'Value'], Object.entries(result.metrics).map(([k, v]) => [k, fmt(v)]), { id: 'metrics' })));
  }
  if (run.gate) {
    parts.push(section('Gate', h('p', {}, run.gate.passed ? badge('passed', 'good') : badge('failed', 'bad'), run.gate.note ? ` ${run.gate.note}` : ''),
      table('Gate checks', ['Check', 'Metric', 'Actual', 'Required', 'Passed', 'Detail'],
        run.gate.checks.map((c) => [c.name, c.metric, fmt(c.actual), fmt(c.required), c.passed ? 'yes' : 'no', c.detail]))));
  }
  const trials = result?.sweep?.trials;
  if (trials?.length) {
    const names = [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))];
    parts.push(section('Trials',
      lineChart('Best rung score per trial', 'trial', trials.map((t) => t.trial), [{ label: 'score', values: trials.map((t) => t.rungs.at(-1)?.metric ?? null) }], 'score'),
      table('Trial table', ['Trial', ...names, 'Status', 'Score', 'Seconds'],
        trials.map((t) => [t.trial, ...names.map((n) => fmt(t.parameters[n])), t.status, fmt(t.rungs.at(-1)?.metric), fmt(t.seconds, 2)]))));
  }
  if (result && result.ingest && !result.ingest.accepted) {
    parts.push(await quarantineSection(model, run.input?.datasetSha256 ?? result.datasetSha256, result.ingest));
  }
  return parts;
}

export async function quarantineSection(model, sha, ingest) {
  let drop = null;
  try {
    drop = await api(`/models/${model}/quarantine/${sha}`);
  } catch (err) {
    return section('Quarantine report', h('p', {}, ingest?.reason ?? 'Rejected.'), h('p', { className: 'error' }, err.message));
  }
  return section('Quarantine report', quarantineReport(drop.report, ingest?.reason));
}

export function quarantineReport(report, reason) {
  return h('div', { className: 'quarantine', id: 'quarantine' },
    h('p', {}, badge(report.verdict, 'bad'), ` ${report.fileName}: ${report.invalidRows} of ${report.totalRows} rows invalid (${fmt(report.invalidFraction * 100, 1)} %, limit ${fmt(report.maxInvalidRowFraction * 100, 1)} %).`),
    reason ? h('p', {}, reason) : null,
    report.fileProblems.length ? table('File problems', ['Rule', 'Message'], report.fileProblems.map((p) => [p.rule, p.message])) : null,
    Object.keys(report.problemCountsByRule).length ? table('Problems per rule', ['Rule', 'Count'], Object.entries(report.problemCountsByRule).map(([k, v]) => [k, v])) : null,
    report.rowProblems.length ? table(`Row problems${report.rowProblemsTruncated ? ' (first ones; counts above are exact)' : ''}`, ['Row', 'Line', 'Column', 'Rule', 'Value', 'Message'],
      report.rowProblems.map((p) => [p.row, p.line, p.column || '(row)', p.rule, p.value ?? '—', p.message]), { id: 'row-problems' }) : null);
}
