// The content script's namespace: messaging with the service worker, the UI strings it sent,
// and the registry of features (one file each under features/) that draw badges.
// Content scripts are classic scripts sharing one isolated world, so everything hangs off one
// object instead of globals.
'use strict';

(() => {
  globalThis.scopeDoctor = globalThis.scopeDoctor || {};
  const SD = globalThis.scopeDoctor;
  const api = globalThis.browser ?? globalThis.chrome;

  /** Sends a message to the service worker; resolves with its reply or rejects with its error. */
  SD.send = async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply) throw new Error('no reply from the Scope Doctor service worker');
    if (!reply.ok) throw new Error(reply.error);
    return reply;
  };

  /** False once the extension was reloaded or removed under this (orphaned) script. */
  SD.isAlive = function isAlive() {
    try {
      return Boolean(api.runtime && api.runtime.id);
    } catch {
      return false;
    }
  };

  /**
   * Messages from the service worker (runtime → content), e.g. "redraw, the state changed".
   * Pages cannot reach runtime.onMessage, but only our own extension's messages are taken all
   * the same: a message from anywhere else is dropped before `listener` sees it.
   */
  SD.onMessage = function onMessage(listener) {
    const guarded = (message, sender) => {
      if (!sender || sender.id !== api.runtime.id) return;
      listener(message);
    };
    api.runtime.onMessage.addListener(guarded);
    return () => api.runtime.onMessage.removeListener(guarded);
  };

  // The service worker sends the strings of the user's language once: with a reply whenever
  // the content script does not hold that language's strings yet (`SD.stringsHeld`).
  let messages = {};
  let messagesLanguage = null;
  SD.language = 'zh';

  SD.setMessages = function setMessages(next, language) {
    SD.language = language === 'en' ? 'en' : 'zh';
    if (next) {
      messages = next;
      messagesLanguage = SD.language;
    }
  };

  /** The language whose strings this content script holds, if any (sent with each request). */
  SD.stringsHeld = function stringsHeld() {
    return messagesLanguage;
  };

  /** A UI string; the key itself when missing, so a gap shows up rather than blank UI. */
  SD.t = function t(key) {
    return messages[key] ? messages[key].message : key;
  };

  /** A Rust explanation (`{zh, en}`) in the chosen language. */
  SD.explain = function explain(text) {
    return (text && text[SD.language]) || '';
  };

  // ---- features (Refined GitHub style): each declares the page kinds and badge kinds it draws ----

  const features = [];

  /**
   * Registers a feature: `{pages: ['api-detail'], kinds: ['api'], placement, draw(badge, page)}`
   * where `draw` returns the badge's host element (see draw.js) and `placement` says how it
   * sits next to its anchor (`inline` beside a name, `line` on a line of its own under a title
   * row, `block` as a panel).
   */
  SD.addFeature = function addFeature(id, spec) {
    features.push({ id, placement: 'inline', ...spec });
  };

  /** The feature drawing badges of `kind` on a page of kind `page`, if any. */
  SD.featureFor = function featureFor(page, kind) {
    return features.find((f) => f.pages.includes(page) && f.kinds.includes(kind)) || null;
  };
})();
