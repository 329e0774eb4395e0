import { h, fill, table, section, fmt, when, short, badge } from '../dom.js';
import { api } from '../api.js';
import { quarantineReport } from './runs.js';

// Datasets: the model's versions (manifest: rows, schema, lineage; the validation report of the file each came
// from) and its quarantined drops with their reports.
export async function datasetsPage(main, model, ctx) {
  const [versions, quarantined] = await Promise.all([api(`/models/${model}/datasets`), api(`/models/${model}/quarantine`)]);
  if (!ctx.current) return;
  const detail = h('div', { id: 'dataset-detail', 'aria-live': 'polite' });
  const show = async (sha) => {
    const d = await api(`/models/${model}/datasets/${sha}`);
    const m = d.manifest;
    const v = d.validation;
    detail.replaceChildren(section(`Dataset ${short(m.sha256)}`,
      h('dl', {},
        h('dt', {}, 'SHA-256'), h('dd', {}, m.sha256),
        h('dt', {}, 'Source'), h('dd', {}, m.sourceName),
        h('dt', {}, 'Received'), h('dd', {}, when(m.receivedAt)),
        h('dt', {}, 'Rows'), h('dd', {}, `${m.rows} kept, ${m.droppedRows} dropped`),
        h('dt', {}, 'Spec'), h('dd', {}, m.specSha256),
        m.lineage ? [h('dt', {}, 'Lineage'), h('dd', {}, JSON.stringify(m.lineage))] : null),
      table('Schema', ['Column', 'Type', 'Role'], m.schema.map((c) => [c.name, c.type, c.role])),
      v ? h('div', {},
        h('h3', {}, 'Validation report'),
        h('p', {}, badge(v.verdict, v.verdict === 'accepted' ? 'good' : 'neutral'), ` ${v.validRows} of ${v.totalRows} rows valid (${fmt(v.invalidFraction * 100, 2)} % invalid, limit ${fmt(v.maxInvalidRowFraction * 100, 1)} %).`),
        Object.keys(v.problemCountsByRule).length ? table('Problems per rule', ['Rule', 'Count'], Object.entries(v.problemCountsByRule)) : null,
        v.rowProblems.length ? table('Dropped rows', ['Row', 'Line', 'Column', 'Rule', 'Value', 'Message'], v.rowProblems.map((p) => [p.row, p.line, p.column || '(row)', p.rule, p.value ?? '—', p.message])) : null)
        : h('p', {}, 'Built by the platform (feedback merge): no file, no validation report.')));
  };
  fill(main, 
    h('h1', {}, `Datasets of ${model}`),
    section('Versions',
      versions.length === 0 ? h('p', {}, 'No dataset versions yet.') :
        table('Dataset versions, newest first', ['Version', 'Received', 'Source', 'Rows', 'Dropped rows', 'Columns'],
          versions.map((m) => [
            h('button', { type: 'button', className: 'link', onClick: () => show(m.sha256), title: m.sha256 }, short(m.sha256)),
            when(m.receivedAt), m.sourceName, m.rows, m.droppedRows, m.schema.length,
          ]), { id: 'datasets' }),
      detail),
    section('Quarantined drops',
      quarantined.length === 0 ? h('p', {}, 'No rejected files.') :
        h('div', { id: 'quarantined' }, quarantined.map((q) => h('article', { className: 'card' },
          h('h3', {}, `${q.report.fileName} (${short(q.sha256)}), ${when(q.quarantinedAt)}`),
          quarantineReport(q.report))))));
}
