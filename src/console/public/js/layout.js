// @ts-check
// The header: brand, navigation for the signed-in role, next-case button, language switch, logout.
import { h, replace } from './dom.js';
import { currentLanguage, setLanguage, t } from './i18n.js';
import { session } from './session.js';

/** A button that switches to the other language, named in that language. */
export function languageSwitch() {
  const other = currentLanguage() === 'id' ? 'en' : 'id';
  return h(
    'button',
    { type: 'button', class: 'button', id: 'language-switch', lang: other, 'aria-label': t('lang.switchTo', { language: t(`lang.${other}`) }), onClick: () => setLanguage(other) },
    t(`lang.${other}`),
  );
}

/**
 * Renders the header. `items` are the navigation entries the user may open ({ path, label });
 * `onNextCase` is given when the user reviews cases; `onLogout` ends the session.
 */
export function renderHeader(container, { items, currentPath, onNextCase, onLogout }) {
  const current = session();
  if (!current) {
    replace(container);
    return;
  }
  const { user, office } = current;
  replace(
    container,
    h('a', { class: 'brand', href: '#/' }, 'Saring'),
    h(
      'nav',
      { 'aria-label': t('nav.label') },
      h(
        'ul',
        {},
        items.map((item) =>
          h('li', {}, h('a', { href: `#${item.path}`, 'aria-current': currentPath === item.path ? 'page' : undefined, id: `nav-${item.path.slice(1)}` }, t(item.label))),
        ),
        onNextCase ? h('li', {}, h('button', { type: 'button', id: 'next-case', onClick: onNextCase }, t('nav.nextCase'))) : null,
      ),
    ),
    h('span', { class: 'spacer' }),
    h('span', { class: 'who', id: 'who', title: `${user.displayName} · ${t(`role.${user.role}`)} · ${office?.name ?? user.officeCode}` }, `${user.displayName} · ${t(`role.${user.role}`)} · ${office ? office.code : user.officeCode}`),
    languageSwitch(),
    h('button', { type: 'button', class: 'button', id: 'logout', onClick: onLogout }, t('nav.logout')),
  );
}
