// The user picks the language in the options page (中文 by default), so the browser's own
// chrome.i18n (which follows the browser's locale) cannot be used for UI text. Extension pages
// and the service worker load `_locales/<dir>/messages.json` themselves; the content script
// gets the loaded strings from the service worker with each observe reply.

const api = globalThis.browser ?? globalThis.chrome;

/** The state's language (`zh` | `en`) → its `_locales` directory. */
const LOCALE_DIRS = { zh: 'zh_CN', en: 'en' };

const cache = new Map();

/** The language a state asks for, defaulting to Chinese. */
export function languageOf(state) {
  return state && state.language === 'en' ? 'en' : 'zh';
}

/**
 * `{key: {message, placeholders}}` for a language, fetched once from the extension's own
 * files (never the network).
 */
export function loadMessages(language) {
  const dir = LOCALE_DIRS[language] ?? LOCALE_DIRS.zh;
  if (!cache.has(dir)) {
    const loading = fetch(api.runtime.getURL(`_locales/${dir}/messages.json`)).then((response) => {
      if (!response.ok) throw new Error(`cannot load _locales/${dir}/messages.json (${response.status})`);
      return response.json();
    });
    // A failed load must not be remembered: the next call tries again.
    loading.catch(() => cache.delete(dir));
    cache.set(dir, loading);
  }
  return cache.get(dir);
}

/**
 * Fills a message's `$NAME$` placeholders (chrome.i18n's format: each placeholder's content is
 * `$1`, `$2`… referring to the substitutions).
 */
export function format(messages, key, ...substitutions) {
  const entry = messages[key];
  if (!entry) return key;
  const placeholders = entry.placeholders || {};
  return entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => {
    const placeholder = placeholders[name] || placeholders[name.toLowerCase()];
    if (!placeholder) return whole;
    return placeholder.content.replace(/\$(\d)/g, (_, n) => String(substitutions[Number(n) - 1] ?? ''));
  });
}
