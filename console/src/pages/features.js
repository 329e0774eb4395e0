import { h, fill, table, section } from '../dom.js';
import { api } from '../api.js';

// The feature catalog: views with their entities, features, owner, tags and users; a view's definition and freshness.
export async function featuresPage(main, ctx) {
  const views = await api('/features');
  if (!ctx.current) return;
  const detail = h('div', { id: 'feature-view', 'aria-live': 'polite' });
  const show = async (name) => {
    const v = await api(`/features/${name}`);
    detail.replaceChildren(section(`View ${v.name}`,
      h('dl', {},
        h('dt', {}, 'Version'), h('dd', {}, v.version),
        h('dt', {}, 'Definition hash'), h('dd', {}, v.definitionHash),
        h('dt', {}, 'Used by'), h('dd', {}, v.usedBy.join(', ') || '—'),
        h('dt', {}, 'Freshness'), h('dd', {}, JSON.stringify(v.freshness))),
      h('pre', { tabindex: '0', 'aria-label': 'Definition' }, JSON.stringify(v.definition, null, 2))));
  };
  fill(main, 
    h('h1', {}, 'Feature catalog'),
    views.length === 0 ? h('p', {}, 'No feature views.') :
      table('Feature views', ['View', 'Version', 'Entities', 'Features', 'Owner', 'Tags', 'Used by'],
        views.map((v) => [
          h('button', { type: 'button', className: 'link', onClick: () => show(v.name) }, v.name),
          v.version, v.entities.join(', '), v.features.join(', '), v.owner, v.tags.join(', ') || '—', v.usedBy.join(', ') || '—',
        ]), { id: 'features' }),
    detail);
}
