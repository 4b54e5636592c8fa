// Watches the console page, a single-page app: content arrives after load and changes on
// client-side navigation. One debounced MutationObserver plus navigation events; never a
// polling timer. A content script lives in an isolated world and cannot patch the page's
// history.pushState, so a URL change is noticed (a) through the Navigation API where the
// browser has it, (b) on popstate/hashchange, and (c) by comparing location.href on every
// mutation batch — an SPA swaps content right after pushState, which the observer sees.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;

  /** Attributes whose change can alter what the snapshot holds (text, visibility, kept attributes). */
  const WATCHED_ATTRIBUTES = ['hidden', 'style', 'class', 'aria-hidden', 'open', 'value', 'href', 'title', 'role', 'aria-label', 'alt', 'type', 'readonly', 'disabled', 'checked'];

  function isOwnNode(node) {
    return node.nodeType === 1 && node.hasAttribute(SD.ui.HOST_ATTRIBUTE);
  }

  function isInsideOwnHost(node) {
    const element = node.nodeType === 1 ? node : node.parentElement;
    return Boolean(element && element.closest(`[${SD.ui.HOST_ATTRIBUTE}]`));
  }

  /** Comments and our own badges coming and going are no reason to read the page again. */
  function matters(node) {
    return node.nodeType !== 8 && !isOwnNode(node);
  }

  function isRelevant(record) {
    if (isInsideOwnHost(record.target)) return false;
    if (record.type !== 'childList') return true;
    return Array.prototype.some.call(record.addedNodes, matters) || Array.prototype.some.call(record.removedNodes, matters);
  }

  /**
   * Starts watching. `onContentChange()` runs once the page has been quiet for `delay()` ms after
   * relevant changes (and at least every `maxWait` ms, or four times the delay, while they keep
   * coming); `onUrlChange()` runs as soon as the address changed. `isDamaged()` says whether the
   * page removed one of our badges (a framework re-render), which also calls for a redraw.
   * Returns `stop()`, which removes every listener and timer.
   */
  SD.watchPage = function watchPage({ onContentChange, onUrlChange, isDamaged = () => false, delay = () => 30, maxWait = 1000 }) {
    let lastUrl = location.href;
    let timer = 0;
    let firstPending = 0;

    function checkUrl() {
      if (location.href === lastUrl) return;
      lastUrl = location.href;
      onUrlChange();
      schedule();
    }

    function flush() {
      timer = 0;
      firstPending = 0;
      checkUrl();
      onContentChange();
    }

    // Trailing debounce with a cap, so a page that never stops changing is still read.
    function schedule() {
      const now = performance.now();
      if (!firstPending) firstPending = now;
      clearTimeout(timer);
      const quiet = delay();
      timer = setTimeout(flush, Math.max(0, Math.min(quiet, firstPending + Math.max(maxWait, 4 * quiet) - now)));
    }

    const observer = new MutationObserver((records) => {
      checkUrl();
      if (records.some(isRelevant) || isDamaged()) schedule();
    });
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: WATCHED_ATTRIBUTES,
    });

    const onNavigation = () => checkUrl();
    window.addEventListener('popstate', onNavigation);
    window.addEventListener('hashchange', onNavigation);
    const navigation = globalThis.navigation;
    const hasNavigationApi = navigation && typeof navigation.addEventListener === 'function';
    if (hasNavigationApi) navigation.addEventListener('currententrychange', onNavigation);

    return function stop() {
      observer.disconnect();
      clearTimeout(timer);
      window.removeEventListener('popstate', onNavigation);
      window.removeEventListener('hashchange', onNavigation);
      if (hasNavigationApi) navigation.removeEventListener('currententrychange', onNavigation);
    };
  };
})();
