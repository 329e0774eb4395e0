import { h, fill, table, fmt, when, badge } from '../dom.js';
import { api } from '../api.js';
import { adminRead } from './common.js';

// Every model at a glance: champion, traffic, last run, drift and live quality.
export async function modelsPage(main, ctx) {
  const models = await api('/models');
  const rows = await Promise.all(models.map(async (m) => {
    const [detail, runs, monitoring, releases] = await Promise.all([
      api(`/models/${m.model}`),
      adminRead(() => api(`/models/${m.model}/runs?pageSize=1`)),
      adminRead(() => api(`/models/${m.model}/monitoring`)),
      adminRead(() => api(`/models/${m.model}/releases`)),
    ]);
    return { m, detail, runs, monitoring, releases };
  }));
  if (!ctx.current) return;
  fill(main, 
    h('h1', {}, 'Models'),
    models.length === 0
      ? h('p', {}, 'No models yet. ', h('a', { href: '#/upload' }, 'Upload a spec and a dataset'), ' to train the first one.')
      : table('Models with their champion, traffic, last run, drift and live quality', ['Model', 'Champion', 'Traffic', 'Last run', 'Drift', 'Live quality'],
        rows.map(({ m, detail, runs, monitoring, releases }) => [
          h('a', { href: `#/models/${m.model}` }, m.model),
          m.champion ? `v${m.champion} of ${m.versions}` : `none (${m.versions} versions)`,
          traffic(detail, releases),
          lastRun(m.model, runs),
          drift(monitoring),
          quality(monitoring),
        ]), { id: 'models' }));
}

function traffic(detail, releases) {
  const aliases = Object.entries(detail.aliases ?? {}).map(([alias, v]) => `${alias} v${v}`);
  const active = (releases.value ?? []).find((r) => !r.finishedAt);
  if (active) aliases.push(`release v${active.candidate}: ${active.percent} % (${active.status})`);
  return aliases.length ? aliases.join(', ') : '—';
}

function lastRun(model, runs) {
  if (runs.forbidden) return 'admin key';
  const run = runs.value?.runs?.[0];
  if (!run) return 'none';
  return h('span', {}, h('a', { href: `#/models/${model}/runs/${run.runId}` }, run.status), ` ${when(run.createdAt)}`);
}

function drift(monitoring) {
  if (monitoring.forbidden) return 'admin key';
  const report = monitoring.value?.latestDrift;
  if (!report) return 'no check yet';
  const flagged = report.features.filter((f) => f.drifted).map((f) => f.name);
  return h('span', {}, badge(report.status, report.status === 'drift' ? 'bad' : report.status === 'no-drift' ? 'good' : 'neutral'),
    flagged.length ? ` ${flagged.join(', ')}` : '');
}

function quality(monitoring) {
  if (monitoring.forbidden) return 'admin key';
  const live = (monitoring.value?.live ?? []).filter((q) => q.version === monitoring.value.champion);
  const labeled = live.find((q) => q.labeled > 0);
  if (!labeled) return live.length ? `${live[0].logged} logged, no labels` : 'no traffic';
  const metrics = Object.entries(labeled.metrics).slice(0, 2).map(([k, v]) => `${k} ${fmt(v, 3)}`).join(', ');
  return `${metrics} (${labeled.labeled} labels)`;
}
