import './style.css';
import { h, announce } from './dom.js';
import { session, probeRole } from './api.js';
import { signInMode, entraSignIn, signOutLink } from './signin.js';
import { modelsPage } from './pages/models.js';
import { modelPage } from './pages/model.js';
import { runsPage, runPage } from './pages/runs.js';
import { driftPage } from './pages/drift.js';
import { qualityPage } from './pages/quality.js';
import { labelingPage } from './pages/labeling.js';
import { featuresPage } from './pages/features.js';
import { datasetsPage } from './pages/datasets.js';
import { uploadPage } from './pages/upload.js';

// Hash routes: the server only ever serves the one page, so no client route can 404 on reload.
const routes = [
  [/^\/$/, () => ['Models', modelsPage]],
  [/^\/models\/([^/]+)$/, (m) => [`Model ${m}`, (main, ctx) => modelPage(main, m, ctx), m]],
  [/^\/models\/([^/]+)\/runs$/, (m) => [`Runs of ${m}`, (main, ctx) => runsPage(main, m, ctx), m]],
  [/^\/models\/([^/]+)\/runs\/([^/]+)$/, (m, id) => [`Run ${id}`, (main, ctx) => runPage(main, m, id, ctx), m]],
  [/^\/models\/([^/]+)\/drift$/, (m) => [`Drift of ${m}`, (main, ctx) => driftPage(main, m, ctx), m]],
  [/^\/models\/([^/]+)\/quality$/, (m) => [`Live quality of ${m}`, (main, ctx) => qualityPage(main, m, ctx), m]],
  [/^\/models\/([^/]+)\/labeling$/, (m) => [`Labeling queue of ${m}`, (main, ctx) => labelingPage(main, m, ctx), m]],
  [/^\/models\/([^/]+)\/datasets$/, (m) => [`Datasets of ${m}`, (main, ctx) => datasetsPage(main, m, ctx), m]],
  [/^\/features$/, () => ['Feature catalog', featuresPage]],
  [/^\/upload$/, () => ['Upload', uploadPage]],
];

let generation = 0;

function keyForm(main) {
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'api-key-help' });
  const error = h('p', { className: 'error', role: 'alert' });
  const form = h('form', {
    className: 'card',
    onSubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        const role = await probeRole(input.value.trim());
        session.set(input.value.trim(), role);
        render();
      } catch (err) {
        error.textContent = err.message;
      }
    },
  },
  h('h1', {}, 'Sign in with an API key'),
  h('label', { for: 'api-key' }, 'API key'),
  input,
  h('p', { id: 'api-key-help', className: 'help' }, 'The scoring key or the admin key (the local host writes them to .local/scoring.key and .local/admin.key). It is kept in this tab only (sessionStorage) and sent as x-api-key.'),
  h('button', { type: 'submit' }, 'Use this key'),
  error);
  main.replaceChildren(form);
  input.focus();
}

function keyState() {
  const el = document.getElementById('key-state');
  if (!session.role) { el.replaceChildren(); return; }
  if (session.isEntra) {
    el.replaceChildren(h('span', { id: 'role' }, session.isAdmin ? 'Signed in: Admin' : 'Signed in: Scoring (read-only)'), ' ', signOutLink());
    return;
  }
  el.replaceChildren(
    h('span', { id: 'role' }, session.isAdmin ? 'Admin key' : 'Scoring key (read-only)'),
    ' ',
    h('button', { type: 'button', className: 'link', onClick: () => { session.clear(); render(); } }, 'Change key'));
}

function modelNav(model) {
  const nav = document.getElementById('model-nav');
  if (!model) { nav.hidden = true; nav.replaceChildren(); return; }
  const here = location.hash.slice(1);
  const link = (path, text) => h('li', {}, h('a', { href: '#' + path, 'aria-current': here === path ? 'page' : false }, text));
  nav.hidden = false;
  nav.replaceChildren(h('ul', {},
    h('li', { className: 'model-name' }, model),
    link(`/models/${model}`, 'Overview'),
    link(`/models/${model}/runs`, 'Runs'),
    link(`/models/${model}/drift`, 'Drift'),
    link(`/models/${model}/quality`, 'Live quality'),
    link(`/models/${model}/labeling`, 'Labeling'),
    link(`/models/${model}/datasets`, 'Datasets')));
}

export async function render() {
  const mine = ++generation;
  const main = document.getElementById('main');
  keyState();
  if (!session.role) { modelNav(null); if (signInMode() === 'entra') entraSignIn(main, render); else keyForm(main); return; }
  const path = decodeURI(location.hash.slice(1) || '/');
  const match = routes.map(([re, page]) => [path.match(re), page]).find(([m]) => m);
  if (!match) { modelNav(null); main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, `No page at ${path}.`)); return; }
  const [title, page, model] = match[1](...match[0].slice(1));
  document.title = `${title} · MLOps console`;
  modelNav(model);
  for (const a of document.querySelectorAll('header nav a')) a.setAttribute('aria-current', a.getAttribute('href') === '#' + path ? 'page' : 'false');
  main.replaceChildren(h('p', { className: 'loading' }, 'Loading…'));
  // A page that polls stops once another page has been rendered.
  const ctx = { get current() { return mine === generation; }, rerender: render };
  try {
    await page(main, ctx);
  } catch (err) {
    if (mine !== generation) return;
    if (err.status === 401) { session.clear(); render(); return; }
    main.replaceChildren(h('h1', {}, title), h('p', { className: 'error', role: 'alert' }, err.message));
  }
  announce(`${title} loaded`);
}

window.addEventListener('hashchange', () => { render(); document.getElementById('main').focus(); });
render();
