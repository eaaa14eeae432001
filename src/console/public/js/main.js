// @ts-check
// Boot and hash router. Routes are '#/path'; each view renders into a fresh container that replaces
// <main> when it is ready, so a slow page never overwrites a newer one.
import { api, ApiError } from './api.js';
import { announce, h, replace } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { captureValues, restoreValues } from './forms.js';
import { renderHeader } from './layout.js';
import { endSession, onSessionChange, restoreSession, session } from './session.js';
import { caseView } from './views/case/index.js';
import { intakeView } from './views/intake.js';
import { loginView } from './views/login.js';
import { queueView } from './views/queue.js';
import { errorText, message } from './views/shared.js';
import { statsView } from './views/stats.js';
import { batchesView } from './views/batches.js';
import { rulesetsView, rulesetView } from './views/rulesets.js';
import { watchlistsView } from './views/watchlists.js';
import { expectedDeparturesView } from './views/departures.js';

const reviewers = ['officer', 'passport_officer', 'supervisor'];

/** Pages; those with a label appear in the navigation for the roles (and office kind) they serve. */
const routes = [
  { path: '/departure', view: intakeView('departure'), roles: ['officer', 'supervisor'], officeKind: 'checkpoint', label: 'nav.departure' },
  { path: '/departures', view: expectedDeparturesView, roles: ['officer', 'supervisor'], officeKind: 'checkpoint', label: 'nav.departures' },
  { path: '/passport', view: intakeView('passport'), roles: ['passport_officer', 'supervisor'], officeKind: 'passport_office', label: 'nav.passport' },
  { path: '/queue', view: queueView, roles: ['supervisor', 'admin'], label: 'nav.queue' },
  { path: '/stats', view: statsView, roles: ['supervisor', 'admin'], label: 'nav.stats' },
  { path: '/batches', view: batchesView, roles: ['officer', 'passport_officer', 'supervisor', 'admin'], label: 'nav.batches' },
  { path: '/rulesets', view: rulesetsView, roles: ['supervisor', 'admin'], label: 'nav.rulesets' },
  { pattern: /^\/rulesets\/(rs-[0-9a-f]{16})$/, view: rulesetView, roles: ['supervisor', 'admin'] },
  { path: '/watchlists', view: watchlistsView, roles: ['supervisor', 'admin'], label: 'nav.watchlists' },
  { pattern: /^\/cases\/([0-9a-f-]{36})$/i, view: caseView },
];

const main = document.getElementById('main');
const header = document.getElementById('top');
let reference = null;
let current = null;
let pendingPath = null;
let pendingFlash = null;
let renderCount = 0;

const allowed = (route, s) => (!route.roles || route.roles.includes(s.user.role)) && (!route.officeKind || s.office?.kind === route.officeKind);
const navItems = (s) => routes.filter((route) => route.label && allowed(route, s));
/** Where a user starts: supervisors and admins at the queue board, officers at their form. */
const homeFor = (s) => (['supervisor', 'admin'].includes(s.user.role) ? '/queue' : (navItems(s)[0]?.path ?? '/stats'));
const hashPath = () => (window.location.hash.startsWith('#/') ? decodeURI(window.location.hash.slice(1)) : null);

export function navigate(path) {
  if (hashPath() === path) void render();
  else window.location.hash = path;
}

function match(path) {
  for (const route of routes) {
    if (route.path === path) return { route, params: [] };
    const found = route.pattern?.exec(path);
    if (found) return { route, params: found.slice(1) };
  }
  return null;
}

/** Shows a message at the top of the current page without re-rendering it. */
function flashHere(text, kind = 'info') {
  main.querySelector(':scope > .message.flash')?.remove();
  const note = message(text, kind);
  note.classList.add('flash');
  main.prepend(note);
  announce(text);
}

async function nextCase() {
  const button = /** @type {HTMLButtonElement | null} */ (document.getElementById('next-case'));
  if (button) button.disabled = true;
  try {
    const claimed = await api('POST', '/cases/next');
    if (!claimed) flashHere(t('case.queueEmpty'));
    else navigate(`/cases/${claimed.id}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) flashHere(errorText(error), 'error');
  } finally {
    if (button) button.disabled = false;
  }
}

/** Revokes the token on the server (so a copy of it is useless too), then forgets it here. */
async function logout() {
  try {
    await api('POST', '/auth/logout');
  } catch {
    /* already expired or unreachable: the session ends here either way */
  }
  endSession('logout');
}

/** keepMemory: the same page keeps its state (filters, last result); keepValues: and its typed-in values (language switch). */
async function render({ keepValues = false, keepMemory = keepValues } = {}) {
  const count = ++renderCount;
  const s = session();
  let path = hashPath() ?? '/';
  if (!s) {
    if (path !== '/login') {
      if (path !== '/') pendingPath = path;
      window.history.replaceState(null, '', '#/login');
    }
    path = '/login';
  } else if (path === '/login' || path === '/') {
    path = pendingPath ?? homeFor(s);
    pendingPath = null;
    window.history.replaceState(null, '', `#${path}`);
  }

  const found = path === '/login' ? { route: { view: loginView }, params: [] } : match(path);
  const sameRoute = current?.path === path;
  const memory = keepMemory && sameRoute ? current.memory : {};
  current = { path, memory };
  const saved = keepValues && sameRoute ? captureValues(main) : null;
  const focusedId = keepValues ? document.activeElement?.id : null;

  renderHeader(header, {
    items: s ? navItems(s) : [],
    currentPath: path,
    onNextCase: s && reviewers.includes(s.user.role) ? nextCase : null,
    onLogout: logout,
  });

  const skip = document.getElementById('skip-link');
  if (skip) skip.textContent = t('nav.skip');

  const container = h('div', { class: 'view' });
  const flash = pendingFlash;
  pendingFlash = null;
  if (!keepValues) replace(main, h('p', { class: 'hint' }, t('common.loading')));
  /** @type {{ title: string, focus?: HTMLElement }} */
  let info = { title: 'Saring' };
  try {
    if (!found) {
      replace(container, h('h1', {}, t('error.pageNotFound')), h('p', {}, h('a', { href: '#/' }, t('error.backHome'))));
    } else if (s && found.route.roles && !allowed(found.route, s)) {
      replace(container, h('h1', {}, t('error.notAllowedTitle')), message(t('error.notAllowed'), 'error'));
    } else {
      info =
        (await found.route.view({
          main: container,
          memory,
          params: found.params,
          reference,
          office: s?.office ?? null,
          session: s,
          navigate,
          flash,
          refresh: () => render({ keepMemory: true }),
        })) ?? info;
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    replace(container, h('h1', {}, t('error.title')), message(errorText(error), 'error'));
  }
  if (count !== renderCount) return;
  // The container stays in the page, so a view may keep updating it (ctx.main) after this.
  replace(main, container);
  if (flash && path !== '/login') main.prepend(message(flash.text, flash.kind));
  document.title = `${info.title} · Saring`;
  if (saved) restoreValues(main, saved);
  const refocus = focusedId ? document.getElementById(focusedId) : null;
  if (refocus) refocus.focus();
  else if (info.focus) info.focus.focus();
  else if (!keepValues) main.focus();
}

onSessionChange((s, reason) => {
  if (reason === 'expired') {
    pendingFlash = { text: t('login.expired'), kind: 'error' };
    pendingPath = hashPath();
    announce(t('login.expired'));
  } else if (reason === 'logout') {
    pendingFlash = { text: t('login.loggedOut'), kind: 'ok' };
    pendingPath = null;
  }
  void render();
});

onLanguageChange(() => void render({ keepValues: true }));
window.addEventListener('hashchange', () => {
  if (hashPath() !== null) void render();
});
document.getElementById('skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

async function boot() {
  try {
    const response = await fetch(new URL('reference.json', window.location.href), { cache: 'no-cache' });
    if (!response.ok) throw new Error(`reference.json: ${response.status}`);
    reference = await response.json();
  } catch (error) {
    replace(main, message(`${t('error.network')} (${error.message})`, 'error'));
    return;
  }
  restoreSession();
  await render();
}

void boot();
