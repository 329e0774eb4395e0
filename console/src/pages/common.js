import { h } from '../dom.js';
import { session } from '../api.js';

/** A button for an admin-only action: disabled, with the reason beside it, when the key is a scoring key. */
export function adminButton(label, onClick, attrs = {}) {
  if (session.isAdmin) return h('button', { type: 'button', onClick, ...attrs }, label);
  return h('span', { className: 'admin-only' },
    h('button', { type: 'button', disabled: true, 'aria-describedby': 'admin-reason', ...attrs }, label));
}

/** The one-line reason every disabled admin button points at (once per page). */
export function adminReason() {
  const why = session.isEntra ? 'need the Admin app role; your account has Scoring only.' : 'need the admin key; this is a scoring key.';
  return session.isAdmin ? null : h('p', { id: 'admin-reason', className: 'help' }, `Actions that change what is served or start work ${why}`);
}

/** Runs an action, shows its outcome (or its problem) in an alert region, then reloads the page's data. */
export async function act(out, action, done) {
  out.textContent = 'Working…';
  out.className = 'outcome';
  try {
    const result = await action();
    out.textContent = typeof result === 'string' ? result : 'Done.';
    if (done) await done();
  } catch (err) {
    out.textContent = err.message;
    out.className = 'outcome error';
  }
}

export function outcome() {
  return h('p', { className: 'outcome', role: 'status', 'aria-live': 'polite' });
}

/** Reads that need admin: a short note instead of an error for a scoring key. */
export async function adminRead(call) {
  if (!session.isAdmin) return { forbidden: true };
  try {
    return { value: await call() };
  } catch (err) {
    if (err.status === 403) return { forbidden: true };
    if (err.status === 404) return { missing: true, error: err };
    throw err;
  }
}

export function adminNote(what) {
  return h('p', { className: 'help' }, `${what} needs the ${session.isEntra ? 'Admin app role' : 'admin key'}.`);
}

export function heading(text) {
  return h('h1', {}, text);
}
