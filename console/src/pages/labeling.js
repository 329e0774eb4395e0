import { h, fill, table, fmt, when } from '../dom.js';
import { api } from '../api.js';
import { outcome } from './common.js';

// The labeling queue: low-confidence predictions with their features; a label sent as feedback removes the item.
export async function labelingPage(main, model, ctx) {
  const items = await api(`/models/${model}/labeling?take=50`);
  if (!ctx.current) return;
  const out = outcome();
  const featureNames = [...new Set(items.flatMap((i) => Object.keys(i.features)))];
  fill(main, 
    h('h1', {}, `Labeling queue of ${model}`),
    out,
    items.length === 0 ? h('p', {}, 'Nothing waits for a label.') :
      table('Predictions waiting for a label, oldest first', ['Prediction', 'Version', 'Predicted', 'Confidence', 'Label', ...featureNames],
        items.map((item, i) => [
          h('code', {}, item.predictionId.slice(0, 13)),
          `v${item.version}`,
          `${item.predictedLabel ?? '—'} (${when(item.predictedAt)})`,
          fmt(item.confidence, 3),
          labelForm(model, item, i, out, () => ctx.rerender()),
          ...featureNames.map((f) => fmt(item.features[f])),
        ]), { id: 'labeling' }));
}

function labelForm(model, item, i, out, done) {
  const id = `label-${i}`;
  const input = h('input', { id, name: id, required: true, size: 10 });
  return h('form', {
    className: 'inline',
    onSubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await api(`/models/${model}/feedback`, { method: 'POST', json: [{ predictionId: item.predictionId, label: input.value.trim() }] });
        const rejected = r.rejected ?? [];
        out.textContent = rejected.length ? `Rejected: ${rejected.map((x) => `${x.reason}: ${x.detail}`).join('; ')}` : 'Label recorded.';
        if (!rejected.length) await done();
      } catch (err) {
        out.textContent = err.message;
      }
    },
  }, h('label', { for: id, className: 'visually-hidden' }, `Label for prediction ${item.predictionId}`), input, h('button', { type: 'submit' }, 'Label'));
}
