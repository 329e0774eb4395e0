import { h, fill, section } from '../dom.js';
import { api, session } from '../api.js';
import { adminReason } from './common.js';

// Upload a spec (PUT /api/models/{model}) or a dataset (POST /api/models/{model}/runs, which starts a run).
export async function uploadPage(main) {
  const specOut = h('div', { id: 'spec-outcome', role: 'status', 'aria-live': 'polite' });
  const dataOut = h('div', { id: 'dataset-outcome', role: 'status', 'aria-live': 'polite' });
  const disabled = !session.isAdmin;
  const specForm = h('form', {
    onSubmit: async (e) => {
      e.preventDefault();
      const model = specForm.querySelector('#spec-model').value.trim();
      const file = specForm.querySelector('#spec-file').files[0];
      try {
        const r = await api(`/models/${encodeURIComponent(model)}`, { method: 'PUT', body: await file.text(), contentType: 'application/json' });
        specOut.replaceChildren(h('p', {}, `Stored the spec of ${r.model} (sha256 ${r.specSha256.slice(0, 12)}).`));
      } catch (err) {
        specOut.replaceChildren(h('pre', { className: 'error', role: 'alert' }, err.message));
      }
    },
  },
  h('label', { for: 'spec-model' }, 'Model name'), h('input', { id: 'spec-model', name: 'spec-model', required: true, pattern: '[a-z0-9][a-z0-9-]*' }),
  h('label', { for: 'spec-file' }, 'Spec file (model.json)'), h('input', { id: 'spec-file', name: 'spec-file', type: 'file', accept: '.json,application/json', required: true }),
  h('button', { type: 'submit', disabled, 'aria-describedby': disabled ? 'admin-reason' : false }, 'Store the spec'));

  const dataForm = h('form', {
    onSubmit: async (e) => {
      e.preventDefault();
      const model = dataForm.querySelector('#data-model').value.trim();
      const file = dataForm.querySelector('#data-file').files[0];
      dataOut.replaceChildren(h('p', {}, `Uploading ${file.name} (${Math.round(file.size / 1024)} KiB)…`));
      try {
        const r = await api(`/models/${encodeURIComponent(model)}/runs?fileName=${encodeURIComponent(file.name)}`, {
          method: 'POST', body: file, contentType: file.name.endsWith('.parquet') ? 'application/vnd.apache.parquet' : 'text/csv',
        });
        location.hash = `#/models/${model}/runs/${r.runId}`;
      } catch (err) {
        dataOut.replaceChildren(h('pre', { className: 'error', role: 'alert' }, err.message));
      }
    },
  },
  h('label', { for: 'data-model' }, 'Model name'), h('input', { id: 'data-model', name: 'data-model', required: true, pattern: '[a-z0-9][a-z0-9-]*' }),
  h('label', { for: 'data-file' }, 'Dataset (CSV or Parquet)'), h('input', { id: 'data-file', name: 'data-file', type: 'file', accept: '.csv,.parquet,text/csv', required: true }),
  h('button', { type: 'submit', disabled, 'aria-describedby': disabled ? 'admin-reason' : false }, 'Upload and train'));

  fill(main, 
    h('h1', {}, 'Upload'),
    adminReason(),
    section('A model spec', specForm, specOut),
    section('A dataset', h('p', { className: 'help' }, 'The file is validated against the stored spec and trains a candidate; you follow the run on its page.'), dataForm, dataOut));
}
