// What the popup and the options page share: talking to the service worker (the one owner of
// the state), UI strings in the user's language, small DOM helpers and copying. Text always
// goes in through textContent.

import { format, loadMessages } from '../shared/i18n.js';
import { copyText } from '../shared/clipboard.js';
import * as dom from '../shared/dom.js';

export const { el, button } = dom;

const api = globalThis.browser ?? globalThis.chrome;

/** Sends `{type, ...payload}` to the service worker; resolves with its reply, rejects with its error. */
export async function send(type, payload = {}) {
  const reply = await api.runtime.sendMessage({ type, ...payload });
  if (!reply) throw new Error('no reply from the Scope Doctor service worker');
  if (!reply.ok) throw new Error(reply.error);
  return reply;
}

let messages = {};
let language = 'zh';

export function t(key, ...substitutions) {
  return format(messages, key, ...substitutions);
}

export function currentLanguage() {
  return language;
}

/** A Rust explanation (`{zh, en}`) in the chosen language. */
export function explain(text) {
  return (text && text[language]) || '';
}

/** Fills every `data-i18n` (text), `data-i18n-placeholder` and `data-i18n-title` in the page. */
export function applyMessages(nextMessages, nextLanguage) {
  messages = nextMessages || {};
  language = nextLanguage === 'en' ? 'en' : 'zh';
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.getAttribute('data-i18n-placeholder'));
  for (const node of document.querySelectorAll('[data-i18n-title]')) node.title = t(node.getAttribute('data-i18n-title'));
}

/** Strings before the service worker answered (Chinese is the default language). */
export async function applyDefaultMessages() {
  applyMessages(await loadMessages('zh'), 'zh');
}


/** A button that copies `text` on a real click and says so. */
export function copyButton(label, action, text) {
  const node = button(label, action, async (event) => {
    if (!event.isTrusted) return;
    const copied = await copyText(text, document.body);
    node.textContent = copied ? t('copied') : `${t('copyFailed')} ${text}`;
    announce(copied ? t('copied') : t('copyFailed'));
    if (copied) setTimeout(() => (node.textContent = label), 1500);
  });
  return node;
}

/** A package in the UI language (see shared/dom.js). */
export function scopeLabel(id, name) {
  return dom.scopeLabel(id, name, language);
}

/** A verdict's chip, labelled in the UI language. */
export function verdictChip(verdict) {
  return dom.verdictChip(verdict, t(dom.verdictKey(verdict)));
}

/** Says `text` to screen readers through the page's live region. */
export function announce(text) {
  const live = document.querySelector('[data-sd-slot="live"]');
  if (!live) return;
  live.textContent = '';
  // A fresh node in the next frame, so the same words twice are announced twice.
  requestAnimationFrame(() => (live.textContent = text));
}

/** Shows a message in a status slot (role=status / alert) with a tone for styling. */
export function say(slot, text, tone = 'info') {
  slot.textContent = text;
  slot.dataset.tone = tone;
  slot.hidden = !text;
}
