import { h, fill, table, section, fmt, when, short, badge } from '../dom.js';
import { api, session } from '../api.js';
import { adminButton, adminReason, act, outcome, adminRead } from './common.js';
import { releasesSection } from './releases.js';

// One model: versions with metrics and gate results, compare, promote / roll back, releases (canary weights,
// approval), the model card and explanations of a pasted row.
export async function modelPage(main, model, ctx) {
  const [detail, releases] = await Promise.all([
    api(`/models/${model}`),
    adminRead(() => api(`/models/${model}/releases`)),
  ]);
  if (!ctx.current) return;
  const champion = detail.aliases?.champion;
  const reload = () => ctx.rerender();
  const out = outcome();
  const metricNames = [...new Set(detail.versions.flatMap((v) => Object.keys(v.metrics)))];
  const versions = [...detail.versions].sort((a, b) => b.version - a.version);

  fill(main, 
    h('h1', {}, `Model ${model}`),
    h('p', { id: 'champion' }, champion ? `Champion: version ${champion}` : 'No champion yet.'),
    adminReason(),
    out,
    section('Versions',
      versions.length === 0 ? h('p', {}, 'No versions yet.') :
        table(`Versions of ${model}`, ['Version', 'Created', 'Trainer', ...metricNames, 'Gate', 'Aliases', 'Actions'],
          versions.map((v) => [
            `v${v.version}`,
            when(v.createdAt),
            v.trainer,
            ...metricNames.map((m) => fmt(v.metrics[m])),
            v.gatePassed ? badge('passed', 'good') : badge('failed', 'bad'),
            v.aliases.join(', ') || '—',
            h('span', { className: 'actions' },
              v.version === champion ? null : adminButton(v.version < (champion ?? 0) ? `Roll back to v${v.version}` : `Promote v${v.version}`,
                () => act(out, async () => { const r = await api(`/models/${model}/versions/${v.version}/promote`, { method: 'POST' }); return `Champion is now v${r.version} (was v${r.previousVersion ?? 'none'}).`; }, reload),
                { 'data-promote': v.version }),
              v.version === champion ? null : adminButton(`Release v${v.version}`,
                () => act(out, async () => { const r = await api(`/models/${model}/versions/${v.version}/release`, { method: 'POST' }); return `Release ${r.releaseId ?? ''} started.`; }, reload)),
            ),
          ]), { id: 'versions' })),
    compareSection(model, versions),
    releasesSection(model, detail, versions, releases, out, reload),
    cardSection(model, versions, champion),
    explainSection(model, detail),
    section('Alias history',
      table('Alias changes, newest first', ['When', 'Alias', 'Version', 'Previous', 'Reason', 'By'],
        [...detail.aliasHistory].reverse().slice(0, 20).map((c) => [when(c.at), c.alias, `v${c.version}${c.percent ? ` (${c.percent} %)` : ''}`, c.previousVersion ? `v${c.previousVersion}` : '—', c.reason, c.by ?? '—']))),
  );
}

function versionSelect(id, label, versions, selected) {
  return [h('label', { for: id }, label),
    h('select', { id, name: id }, versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, `v${v.version}`)))];
}

function compareSection(model, versions) {
  const result = h('div', { id: 'comparison' });
  if (versions.length < 2) return section('Compare two versions', h('p', {}, 'Compare needs two versions.'));
  const form = h('form', {
    className: 'inline',
    onSubmit: async (e) => {
      e.preventDefault();
      const a = form.querySelector('#compare-a').value;
      const b = form.querySelector('#compare-b').value;
      try {
        const c = await api(`/models/${model}/versions/compare?a=${a}&b=${b}`);
        result.replaceChildren(
          table(`Metrics: v${a} vs v${b}`, ['Metric', `v${a}`, `v${b}`, 'Δ (b − a)', 'Better'], c.metrics.map((m) => [m.metric, fmt(m.a), fmt(m.b), fmt(m.delta), m.better ?? '—'])),
          c.parameters.length ? table('Parameters that differ', ['Parameter', `v${a}`, `v${b}`], c.parameters.map((p) => [p.name, p.a ?? '—', p.b ?? '—'])) : h('p', {}, 'Same parameters.'),
          h('p', {}, c.dataset.sameVersion ? 'Same dataset version.' : `Datasets: ${short(c.dataset.a.sha256)} (${c.dataset.a.rows ?? '?'} rows) vs ${short(c.dataset.b.sha256)} (${c.dataset.b.rows ?? '?'} rows).`));
      } catch (err) {
        result.replaceChildren(h('p', { className: 'error', role: 'alert' }, err.message));
      }
    },
  }, ...versionSelect('compare-a', 'Version A', versions, versions[1].version), ...versionSelect('compare-b', 'Version B', versions, versions[0].version),
  session.isAdmin ? h('button', { type: 'submit' }, 'Compare') : h('button', { type: 'submit', disabled: true, 'aria-describedby': 'admin-reason' }, 'Compare'));
  return section('Compare two versions', form, result);
}

function cardSection(model, versions, champion) {
  const body = h('pre', { id: 'card', className: 'card-text', tabindex: '0', 'aria-label': 'Model card' });
  if (versions.length === 0) return section('Model card', h('p', {}, 'No versions yet.'));
  const select = versionSelect('card-version', 'Version', versions, champion ?? versions[0].version);
  const load = async () => {
    try {
      body.textContent = await api(`/models/${model}/versions/${select[1].value}/card?format=markdown`, { accept: 'text/markdown' });
    } catch (err) {
      body.textContent = err.message;
    }
  };
  select[1].addEventListener('change', load);
  load();
  return section('Model card', h('div', { className: 'inline' }, ...select), body);
}

function explainSection(model, detail) {
  // A starting row from the spec: each feature at its minimum, first category or false.
  const example = Object.fromEntries((detail.spec?.features ?? []).map((f) => [f.name,
    f.type === 'numeric' ? f.min ?? 0 : f.type === 'boolean' ? false : f.categories?.[0] ?? '']));
  const input = h('textarea', { id: 'explain-row', name: 'explain-row', rows: 8, spellcheck: 'false', 'aria-describedby': 'explain-help' }, JSON.stringify(example, null, 2));
  const result = h('div', { id: 'explanation', 'aria-live': 'polite' });
  const form = h('form', {
    onSubmit: async (e) => {
      e.preventDefault();
      let row;
      try {
        row = JSON.parse(input.value);
      } catch (err) {
        result.replaceChildren(h('p', { className: 'error', role: 'alert' }, `Not JSON: ${err.message}`));
        return;
      }
      try {
        const r = await api(`/models/${model}/explain`, { method: 'POST', json: { rows: [row] } });
        const p = r.predictions[0];
        const o = r.explanations[0].outputs[0];
        const attributions = Object.entries(o.attributions).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
        const max = Math.max(...attributions.map(([, v]) => Math.abs(v)), 1e-9);
        result.replaceChildren(
          h('p', { id: 'explain-prediction' }, `v${r.version}: label ${p.label ?? '—'}${p.score !== null && p.score !== undefined ? `, score ${fmt(p.score)}` : ''}; margin ${fmt(o.margin)} = expected ${fmt(o.expectedValue)} + Σ attributions (${r.method}, ${r.link} link).`),
          table('Attribution per input column, largest first', ['Column', 'Value', 'Attribution', ''],
            attributions.map(([name, v]) => [name, fmt(row[name]), fmt(v), bar(v, max)]), { id: 'attributions' }));
      } catch (err) {
        result.replaceChildren(h('p', { className: 'error', role: 'alert' }, err.message));
      }
    },
  },
  h('label', { for: 'explain-row' }, 'Row to explain (JSON object of raw features)'),
  input,
  h('p', { id: 'explain-help', className: 'help' }, 'Paste one row as sent to predict; the champion answers with exact TreeSHAP (trees) or integrated gradients (MLP).'),
  h('button', { type: 'submit' }, 'Explain'));
  return section('Explain a row', form, result);
}

function bar(value, max) {
  const el = h('span', { className: `bar ${value >= 0 ? 'bar-pos' : 'bar-neg'}`, 'aria-hidden': 'true' });
  el.style.width = `${Math.round((Math.abs(value) / max) * 120)}px`;
  return el;
}
