// What the popup and the options page share: talking to the service worker (the one owner of
// the state), UI strings in the user's language, small DOM helpers and copying. Text always
// goes in through textContent.

import { format, loadMessages } from '../shared/i18n.js';
import { copyText } from '../shared/clipboard.js';

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

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function button(label, action, onClick) {
  const node = el('button', null, label);
  node.type = 'button';
  node.setAttribute('data-sd-action', action);
  node.addEventListener('click', onClick);
  return node;
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

/** `商品信息（merchant_item）` (English UI: `商品信息 (merchant_item)`): the console shows packages by Chinese name, code by id; an id with no name once. */
export function scopeLabel(id, name) {
  if (!name || name === id) return id;
  return language === 'en' ? `${name} (${id})` : `${name}（${id}）`;
}

/** `<span class="chip verdict-…">需商家重新授权</span>` */
export function verdictChip(verdict) {
  return el('span', `chip verdict verdict-${verdict}`, t(`verdict_${verdict.replace(/-/g, '_')}`));
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
