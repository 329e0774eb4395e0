// The API client: every call carries the key from sessionStorage as x-api-key (or, signed in with Entra ID, nothing:
// Easy Auth's session cookie goes along); errors surface the problem details.
const KEY = 'mlops.console.key';
const ROLE = 'mlops.console.role';
const MODE = 'mlops.console.mode';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  get role() { return sessionStorage.getItem(ROLE); },
  get isAdmin() { return sessionStorage.getItem(ROLE) === 'admin'; },
  get isEntra() { return sessionStorage.getItem(MODE) === 'entra'; },
  set(key, role, mode = 'key') { sessionStorage.setItem(KEY, key); sessionStorage.setItem(ROLE, role); sessionStorage.setItem(MODE, mode); },
  clear() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(ROLE); sessionStorage.removeItem(MODE); },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problemText(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function problemText(status, p) {
  if (status === 403 && session.isEntra) return 'This needs the Admin app role; your account has Scoring only (403).';
  if (status === 403) return 'This needs the admin key; the key you entered is a scoring key (403).';
  if (status === 401 && session.isEntra) return 'Your sign-in has ended (401). Sign in again.';
  if (status === 401) return 'The key was refused (401). Enter it again.';
  if (!p) return `HTTP ${status}`;
  const lines = [`${p.title ?? 'Error'} (${status}): ${p.detail ?? ''}`];
  for (const e of p.errors ?? []) lines.push(`row ${e.row}, ${e.field}: ${e.message}`);
  for (const e of p.problems ?? []) lines.push(`${e.path}: ${e.message}`);
  return lines.join('\n');
}

/** GET/POST/PUT under /api (the same origin on the local host and in Functions). */
export async function api(path, { method = 'GET', json, body, contentType, accept, key } = {}) {
  // x-api-key for the local host and the scorer; x-functions-key for the Function App's function keys
  // (learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger, "API key authorization").
  const k = key ?? session.key ?? '';
  const headers = k ? { 'x-api-key': k, 'x-functions-key': k } : {};
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (contentType) {
    headers['content-type'] = contentType;
  }
  if (accept) headers.accept = accept;
  const response = await fetch('/api' + path, { method, headers, body });
  const type = response.headers.get('content-type') ?? '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof payload === 'object' ? payload : null);
  return payload;
}

/**
 * Which role a key has: it reads the models (scoring), then the feature catalog (admin only): 403 there is a scoring
 * key, and so is 401 in Functions, where a function key scoped to the scoring functions opens no other function.
 */
export async function probeRole(key) {
  await api('/models', { key });
  try {
    await api('/features', { key });
    return 'admin';
  } catch (e) {
    if (e.status === 403 || e.status === 401) return 'scoring';
    throw e;
  }
}
