import { h, table, section, when } from '../dom.js';
import { api, session } from '../api.js';
import { adminButton, act } from './common.js';

// The model page's releases: start one with chosen weights (the body overrides the spec's release section for that
// release only), follow each with its steps and verdicts, move a held weight, approve or reject.
export function releasesSection(model, detail, versions, releases, out, reload) {
  if (releases.forbidden) return section('Releases', h('p', { className: 'help' }, 'Releases (canary weights, approvals) need the admin key.'));
  const list = releases.value ?? [];
  const champion = detail.aliases?.champion;
  return section('Releases',
    startForm(model, detail.spec?.release, versions.filter((v) => v.version !== champion), out, reload),
    // A release's record is written by its orchestration just after the start answers, and changes as it bakes.
    adminButton('Refresh releases', reload),
    list.length === 0 ? h('p', {}, 'No releases yet.') : h('div', {},
      table('Releases, newest first', ['Release', 'Candidate', 'Mode', 'Status', 'Candidate weight', 'Steps (verdicts)', 'Started', 'Settings set here', 'Reason', 'Decision'],
        list.map((r) => [
          r.id, `v${r.candidate}`, r.mode, r.status, `${r.percent} %`, steps(r), when(r.startedAt),
          r.overrides?.length ? `${r.overrides.join(', ')} (by ${r.startedBy ?? '—'})` : '—',
          r.reason ?? '—',
          r.status === 'awaiting-approval' ? decision(model, r, out, reload) : r.decidedBy ?? '—',
        ]), { id: 'releases' })));
}

// Each step: its weight, bake periods (a held weight has several), and verdict; a held weight's current period shows
// the previous one's evidence.
function steps(r) {
  if (!r.steps?.length) return '—';
  const verdict = (v) => (v.held ? 'held' : 'breached') + ` (${v.checks.map((c) => c.detail).join('; ')})`;
  return r.steps.map((s, i) => {
    const where = s.shadow ? 'shadow' : `${s.percent} %`;
    const periods = s.periods > 1 ? ` ×${s.periods}` : '';
    const now = i < r.steps.length - 1 ? 'moved mid-period' : r.finishedAt ? 'ended mid-period' : 'baking';
    const state = s.verdict ? verdict(s.verdict) : s.previousVerdict ? `${now}; previous period ${verdict(s.previousVerdict)}` : now;
    return `${where}${s.setBy ? ` (set by ${s.setBy})` : ''}${periods}: ${state}`;
  }).join(' → ');
}

function decision(model, r, out, reload) {
  const id = `weight-${r.id}`;
  const weight = h('input', { id, name: id, type: 'number', min: 1, max: 100, step: 1, value: r.percent, required: true });
  return h('span', { className: 'actions' },
    adminButton('Approve', () => act(out, () => api(`/models/${model}/releases/${r.id}/approve`, { method: 'POST', json: { reason: 'approved in the console' } }).then(() => 'Approved.'), reload)),
    adminButton('Reject', () => act(out, () => api(`/models/${model}/releases/${r.id}/reject`, { method: 'POST', json: { reason: 'rejected in the console' } }).then(() => 'Rejected.'), reload)),
    r.mode !== 'hold' ? null : h('form', {
      className: 'inline',
      onSubmit: (e) => {
        e.preventDefault();
        act(out, () => api(`/models/${model}/releases/${r.id}/traffic`, { method: 'POST', json: { percent: Number(weight.value) } })
          .then(() => `Moving v${r.candidate} to ${weight.value} %.`), reload);
      },
    }, h('label', { for: id }, `Weight of v${r.candidate} (%)`), weight, h('button', { type: 'submit' }, 'Set weight')));
}

/** Every field left empty keeps the spec's value; the placeholders show them. */
function startForm(model, spec, candidates, out, reload) {
  if (candidates.length === 0) return h('p', {}, 'No version other than the champion to release.');
  const field = (id, label, control) => h('div', {}, h('label', { for: id }, label), control);
  const version = h('select', { id: 'release-version', name: 'release-version' }, candidates.map((v) => h('option', { value: v.version }, `v${v.version}`)));
  const option = (value, text, current) => h('option', { value }, value === '' ? `spec's (${current})` : text);
  const mode = h('select', { id: 'release-mode', name: 'release-mode', 'aria-describedby': 'release-mode-help' },
    ['', 'canary', 'hold', 'shadow', 'manual'].map((m) => option(m, m, spec?.mode ?? 'auto')));
  const weights = h('input', { id: 'release-steps', name: 'release-steps', inputmode: 'numeric', placeholder: (spec?.steps ?? [10, 50, 100]).join(', '), 'aria-describedby': 'release-steps-help' });
  const bake = h('input', { id: 'release-bake', name: 'release-bake', placeholder: spec?.bakeTime ?? '00:10:00', 'aria-describedby': 'release-bake-help' });
  const approval = h('select', { id: 'release-approval', name: 'release-approval' }, ['', 'none', 'required'].map((a) => option(a, a, spec?.approval ?? 'none')));
  const form = h('form', {
    id: 'release-form',
    'aria-label': 'Start a release',
    onSubmit: (e) => {
      e.preventDefault();
      const body = {};
      if (mode.value) body.mode = mode.value;
      if (weights.value.trim()) body.steps = weights.value.split(',').map((s) => Number(s.trim()));
      if (bake.value.trim()) body.bakeTime = bake.value.trim();
      if (approval.value) body.approval = approval.value;
      act(out, async () => {
        const r = await api(`/models/${model}/versions/${version.value}/release`, { method: 'POST', json: body });
        return `Release ${r.releaseId} started: ${r.mode} of v${r.candidate}, steps ${r.release.steps.join(' → ')} %.`;
      }, reload);
    },
  },
  h('div', { className: 'inline' },
    field('release-version', 'Version', version),
    field('release-mode', 'Mode', mode),
    field('release-steps', 'Weights (%)', weights),
    field('release-bake', 'Bake time', bake),
    field('release-approval', 'Approval', approval)),
  h('p', { id: 'release-mode-help', className: 'help' }, 'canary: each weight in turn, then champion; hold: the last weight is kept until you approve or reject; shadow: copies only; manual: no traffic until approved.'),
  h('p', { id: 'release-steps-help', className: 'help' }, 'Comma-separated, increasing; a canary ends at 100. Guardrails are judged after each bake time ([d.]hh:mm:ss). Empty fields keep the spec\'s settings.'),
  h('p', { id: 'release-bake-help', className: 'help' }, 'Per weight, e.g. 00:05:00.'),
  session.isAdmin ? h('button', { type: 'submit' }, 'Start release') : h('button', { type: 'submit', disabled: true, 'aria-describedby': 'admin-reason' }, 'Start release'));
  return h('div', {}, h('h3', {}, 'Start a release'), form);
}
