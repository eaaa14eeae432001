// @ts-check
// Sign-in with the same accounts as the API. The token goes into memory only (session.js).
import { api, ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { startSession } from '../session.js';
import { languageSwitch } from '../layout.js';
import { message } from './shared.js';

/**
 * The limiter's answer in words: when the officer may try again, in the office's clock.
 * @param {ApiError} error
 */
function retryText(error) {
  const details = /** @type {{ retryAfterSeconds?: number, retryAt?: string } | null} */ (error.details);
  if (!details?.retryAfterSeconds || !details.retryAt) return t('error.rateLimited');
  const time = formatDateTime(details.retryAt).replace(/^.*?(\d{1,2}[.:]\d{2}) (\S+)$/, '$1 $2');
  return t('login.tooMany', { minutes: Math.ceil(details.retryAfterSeconds / 60), time });
}

/** @param {import('../types.js').ViewContext} ctx */
export async function loginView(ctx) {
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const feedback = h('div', { id: 'login-feedback' }, ctx.flash ? message(ctx.flash.text, ctx.flash.kind) : null);
  const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, t('login.submit'));

  const form = h(
    'form',
    {
      class: 'panel',
      novalidate: true,
      'aria-labelledby': 'page-title',
      onSubmit: async (event) => {
        event.preventDefault();
        if (!username.value.trim() || !password.value) {
          replace(feedback, message(t('login.missing'), 'error'));
          (username.value.trim() ? password : username).focus();
          return;
        }
        submit.disabled = true;
        try {
          const answer = await api('POST', '/auth/login', { body: { username: username.value.trim(), password: password.value } });
          password.value = '';
          // The office (kind, name, time zone) decides which forms apply; read it with the new token.
          const { items } = await api('GET', '/offices', { token: answer.token });
          const office = items.find((item) => item.code === answer.user.officeCode) ?? null;
          startSession(answer, office);
        } catch (error) {
          submit.disabled = false;
          password.value = '';
          const text =
            error instanceof ApiError && error.status === 401
              ? t('login.invalid')
              : error instanceof ApiError && error.status === 429
                ? retryText(error)
                : error instanceof ApiError && error.status === 0
                  ? t('error.network')
                  : error.message;
          replace(feedback, message(text, 'error'));
          password.focus();
        }
      },
    },
    feedback,
    h('div', { class: 'field' }, h('label', { for: 'username' }, t('login.username')), username),
    h('div', { class: 'field' }, h('label', { for: 'password' }, t('login.password')), password),
    h('div', { class: 'actions' }, submit),
  );

  replace(
    ctx.main,
    h(
      'div',
      { class: 'login' },
      h('div', { class: 'lang-row' }, languageSwitch()),
      h('h1', { id: 'page-title' }, t('login.title')),
      h('p', { class: 'zone-note' }, t('login.intro')),
      form,
    ),
  );
  return { title: t('login.title'), focus: username };
}
