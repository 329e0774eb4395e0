// Sign-in with Microsoft Entra ID where App Service authentication (Easy Auth) fronts the API (the Function App with
// ENTRA_API_CLIENT_ID set). The server says so in <meta name="mlops-sign-in" content="entra">. Easy Auth's login
// endpoint starts the sign-in and comes back to post_login_redirect_uri with its session cookie, which then goes with
// every same-origin API call; /.auth/logout ends it (learn.microsoft.com/azure/app-service/configure-authentication-customize-sign-in-out).
import { h } from './dom.js';
import { session, probeRole } from './api.js';

export function signInMode() {
  return document.querySelector('meta[name="mlops-sign-in"]')?.getAttribute('content') === 'entra' ? 'entra' : 'key';
}

const here = () => encodeURIComponent(location.pathname);
export const signInUrl = () => `/.auth/login/aad?post_login_redirect_uri=${here()}`;
export const signOutUrl = () => `/.auth/logout?post_logout_redirect_uri=${here()}`;

export function signOutLink() {
  // The role kept for this tab goes first, so the page the logout returns to asks again.
  return h('a', { href: signOutUrl(), id: 'sign-out', onClick: () => session.clear() }, 'Sign out');
}

/** Reads the models with whatever session cookie the browser has: 200 signs in, 401 offers sign-in, 403 has no role. */
export async function entraSignIn(main, done) {
  main.replaceChildren(h('p', { className: 'loading' }, 'Checking your sign-in…'));
  try {
    session.set('', await probeRole(''), 'entra');
    done();
  } catch (err) {
    if (err.status === 401) {
      main.replaceChildren(h('div', { className: 'card' },
        h('h1', {}, 'Sign in'),
        h('p', {}, 'This console is behind Microsoft Entra ID. Sign in with your work account; it needs the app role Admin (operators) or Scoring (read-only) on the API.'),
        h('p', {}, h('a', { href: signInUrl(), className: 'sign-in' }, 'Sign in with Microsoft'))));
      main.querySelector('a.sign-in').focus();
    } else if (err.status === 403) {
      main.replaceChildren(h('div', { className: 'card' },
        h('h1', {}, 'No access'),
        h('p', { className: 'error', role: 'alert' },
          'You are signed in, but your account has no app role on this API (403). Ask an administrator to assign you Admin or Scoring on the API\'s enterprise application (docs/auth.md).'),
        err.problem?.detail ? h('p', { className: 'help' }, err.problem.detail) : null,
        h('p', {}, signOutLink())));
    } else {
      main.replaceChildren(h('p', { className: 'error', role: 'alert' }, err.message));
    }
  }
}
