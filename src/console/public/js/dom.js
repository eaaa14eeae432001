// @ts-check
// Tiny DOM helpers. Every piece of data becomes a text node or an attribute value, never HTML,
// so nothing a traveller or an API returns can inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttributes(el, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value' && 'value' in el && el.tagName !== 'BUTTON' && el.tagName !== 'OPTION') {
      el.value = String(value);
    } else if (key === 'checked' || key === 'selected') {
      el[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function appendChildren(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === true) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Creates an HTML element: h('button', { class: 'primary', onClick }, 'Text'). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  appendChildren(el, children);
  // Attributes after children, so a select's value finds its options.
  setAttributes(el, attrs);
  return el;
}

/** Creates an SVG element. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  }
  appendChildren(el, children);
  return el;
}

/** Replaces the children of a node. */
export function replace(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
  return el;
}

let uniqueCounter = 0;
/** A unique id for label/aria wiring. */
export const uid = (prefix = 'id') => `${prefix}-${++uniqueCounter}`;

/** Says something to screen-reader users without moving focus. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A tick later, so the same message twice is still announced.
  setTimeout(() => {
    region.textContent = text;
  }, 30);
}

/** Offers a Blob as a file download. */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, class: 'visually-hidden' }, filename);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
