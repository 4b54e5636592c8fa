// Drawing primitives for badges. Every badge is one host element placed next to its anchor,
// with an open shadow root holding the UI so the console's CSS cannot reach in (and ours cannot
// leak out). Text only ever goes in through textContent: page text (API names, app names,
// callbacks) reaches the badges and must never be parsed as HTML.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { HOST_ATTRIBUTE } = SD; // shared/names.js, generated from src/names.rs

  // Light by default; dark when the console says it is dark (its own color-scheme) or, when it
  // says nothing, when the system prefers dark. Contrast is checked by axe in the browser tests.
  const LIGHT = '--fg:#1f2d3d;--muted:#4a5a70;--bg:#eef3fb;--panel:#f5f8fd;--line:#c9d6ea;--field:#fff;--blue:#1d5fc2;--hover:#e3ecfa;--amber:#8a4a08;--amber-line:#ebcfa8;--violet:#5b4a9e;--violet-line:#cbc3e8;--grey:#5f5f5f;--ok:#1e7a3c;--ok-line:#b6dcc1;--bad:#b42318;--bad-line:#f0c0bb;--brand:#3a5a8c;--rule:#e1e8f2;';
  const DARK = '--fg:#e3e9f1;--muted:#b5c2d3;--bg:#1c2430;--panel:#18202b;--line:#3c4a5e;--field:#121820;--blue:#8ab4f8;--hover:#23314a;--amber:#f0b46a;--amber-line:#6b4e2a;--violet:#c3b5ff;--violet-line:#4a4270;--grey:#c0c0c0;--ok:#8fd6a4;--ok-line:#2f5a3c;--bad:#ffb4ab;--bad-line:#6b2f2a;--brand:#a9c4ee;--rule:#263140;';
  const CSS = `
:host { all: initial; }
.sd { ${LIGHT} font: 12px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
      color: var(--fg); }
.sd.dark { ${DARK} }
@media (prefers-color-scheme: dark) { .sd:not(.light) { ${DARK} } }
.pill { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 0 0 0 8px; padding: 1px 8px;
        border: 1px solid var(--line); border-radius: 10px; background: var(--bg); vertical-align: middle; max-width: 44em; }
.panel { display: block; margin: 8px 0; padding: 8px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
.brand { font-weight: 600; color: var(--brand); }
.panel > .brand { margin-right: 8px; }
.chip { display: inline-block; padding: 0 6px; border-radius: 8px; background: var(--field); border: 1px solid var(--line); color: var(--muted); white-space: nowrap; }
.verdict { font-weight: 600; }
.verdict-reauthorize, .verdict-add-user, .verdict-fix-link { color: var(--blue); border-color: var(--blue); }
.verdict-refresh-token, .verdict-check-token, .verdict-apply, .verdict-service-market { color: var(--amber); border-color: var(--amber-line); }
.verdict-pending { color: var(--grey); }
.verdict-token-has-scope, .verdict-not-scope-error { color: var(--violet); border-color: var(--violet-line); }
.ok-true { color: var(--ok); border-color: var(--ok-line); }
.ok-false { color: var(--bad); border-color: var(--bad-line); }
.explain { display: block; flex-basis: 100%; color: var(--muted); margin: 2px 0; }
.problem { color: var(--bad); }
details.why { display: inline; }
details.why > summary { display: inline; cursor: pointer; color: var(--blue); }
details.why[open] > .explain { display: block; }
button { font: inherit; padding: 0 8px; border: 1px solid var(--blue); border-radius: 8px; background: var(--field); color: var(--blue); cursor: pointer; white-space: nowrap; }
button:hover { background: var(--hover); }
button:focus-visible, summary:focus-visible { outline: 2px solid var(--blue); outline-offset: 1px; }
button[aria-pressed="true"] { background: var(--blue); color: var(--field); border-color: var(--blue); }
ul { margin: 4px 0 0; padding: 0; list-style: none; }
li { margin: 4px 0; padding: 4px 0; border-top: 1px solid var(--rule); display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; }
.api { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.manual { display: block; width: 100%; margin-top: 4px; font: 11px ui-monospace, monospace; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

  // One stylesheet shared by every shadow root. Constructed sheets are not inline styles, so a
  // strict page `style-src` does not block them; a <style> element is the fallback (Firefox's
  // content-script wrappers may refuse, or silently drop, a sheet built in the sandbox).
  let sheet = null;
  function adoptStyles(root) {
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
      if (root.adoptedStyleSheets.length === 1) return;
    } catch {
      // fall through to the <style> element
    }
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }

  /** The console's own colour scheme when it states one (`color-scheme: dark` / `light`), else null (follow the system). */
  function pageScheme() {
    const scheme = getComputedStyle(document.documentElement).colorScheme || '';
    const dark = /\bdark\b/.test(scheme);
    const light = /\blight\b/.test(scheme);
    if (dark && !light) return 'dark';
    if (light && !dark) return 'light';
    return null;
  }

  // Shared with the popup, options and playground (shared/dom.js, loaded before this script).
  const { el, button } = SD;

  /**
   * The host of a badge: carries the contract attributes (data-sd-api, data-sd-scope,
   * data-sd-verdict) that outside tests and tools rely on. Returns {host, box} where `box` is
   * the root element inside the shadow root.
   */
  function createHost(badge, layout) {
    const host = document.createElement(layout === 'block' ? 'div' : 'span');
    host.setAttribute(HOST_ATTRIBUTE, badge.kind);
    const scopes = badge.scopes || [];
    if (badge.api) host.setAttribute('data-sd-api', badge.api);
    // An API badge always says which packages it found, even none (an empty list), so a reader
    // of the attributes can tell "no package known" from "not a Scope Doctor element".
    if (badge.api || scopes.length) host.setAttribute('data-sd-scope', scopes.map((s) => s.id).join(' '));
    if (badge.verdict) host.setAttribute('data-sd-verdict', badge.verdict);
    if (badge.ok !== null && badge.ok !== undefined) host.setAttribute('data-sd-ok', String(badge.ok));
    // Inline styles through CSSOM (not a style attribute, which a page CSP may forbid), marked
    // important so page rules such as `span { display: block }` do not reshape the host.
    host.style.setProperty('display', layout === 'block' ? 'block' : 'inline-block', 'important');
    host.style.setProperty('float', 'none', 'important');
    host.style.setProperty('position', 'static', 'important');
    // A click in a badge is ours: it must not reach a clickable table row or an enclosing link.
    host.addEventListener('click', (event) => {
      event.stopPropagation();
      // A <summary> of ours toggles its explanation (its own activation behaviour, which also
      // keeps an enclosing link from navigating); anything else must not follow the page's link.
      if (!event.composedPath().some((node) => node.localName === 'summary')) event.preventDefault();
    });
    const root = host.attachShadow({ mode: 'open' });
    adoptStyles(root);
    const box = el(layout === 'block' ? 'div' : 'span', `sd ${layout === 'block' ? 'panel' : 'pill'}`);
    box.setAttribute('lang', SD.language === 'en' ? 'en' : 'zh-CN');
    box.append(el('span', 'brand', SD.t('badgeTitle')));
    // Announces "copied" to screen readers (the button's new text alone may not be read).
    const live = el('span', 'sr-only');
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    box.append(live);
    const scheme = pageScheme();
    if (scheme) box.classList.add(scheme);
    root.append(box);
    return { host, box };
  }

  function verdictChip(verdict) {
    return SD.verdictChip(verdict, SD.t(SD.verdictKey(verdict)));
  }

  function okChip(ok) {
    return el('span', `chip ok-${ok}`, SD.t(ok ? 'checkOk' : 'checkProblem'));
  }

  function scopeLabel(id, name) {
    return SD.scopeLabel(id, name, SD.language);
  }

  /** `商品信息 (merchant_item) · 已获取` chips for a badge's packages. */
  function scopeChips(scopes) {
    return (scopes || []).map((scope) => {
      const status = scope.status ? ` · ${SD.t(`status_${scope.status}`)}` : '';
      const chip = el('span', 'chip scope', `${scopeLabel(scope.id, scope.name)}${status}`);
      chip.setAttribute('data-sd-scope-id', scope.id);
      return chip;
    });
  }

  // ---- copying a link: only on a real click (SD.copyText comes from shared/clipboard.js) ----

  /** When the clipboard refuses, show the link in a read-only field to copy by hand. */
  function showManualCopy(box, text) {
    box.querySelector('.manual-wrap')?.remove();
    const wrap = el('span', 'explain manual-wrap', SD.t('copyFailed'));
    const field = el('input', 'manual');
    field.readOnly = true;
    field.value = text;
    wrap.append(field);
    box.append(wrap);
    field.select();
  }

  function copyButton(label, action, text, box) {
    const node = button(label, action, async (event) => {
      // A page script can dispatch synthetic clicks into an open shadow root; never let it
      // drive our clipboard writes.
      if (!event.isTrusted) return;
      const copied = await SD.copyText(text, box.getRootNode());
      if (!copied) {
        showManualCopy(box, text);
        return;
      }
      node.textContent = SD.t('copied');
      const live = box.querySelector('[role="status"]');
      if (live) live.textContent = SD.t('copied');
      setTimeout(() => {
        node.textContent = label;
      }, 1500);
    });
    return node;
  }

  /**
   * The copy buttons of a verdict with a link: the first (PC) link, the mobile one, and the
   * message for the merchant (in the UI language) when the core wrote one.
   */
  function linkButtons(links, box, message) {
    if (!links) return [];
    const buttons = [
      copyButton(SD.t('copyAuthLink'), 'copy-auth-link', links.first, box),
      copyButton(SD.t('copyMobileLink'), 'copy-mobile-link', links.second, box),
    ];
    if (message) buttons.push(copyButton(SD.t('copyMerchantMessage'), 'copy-merchant-message', SD.explain(message), box));
    return buttons;
  }

  // ---- placing hosts in the page ----

  /** Elements a badge must not go inside (controls, replaced elements, lists and tables). */
  const BESIDE_ONLY = new Set(['a', 'button', 'label', 'input', 'textarea', 'select', 'option', 'img', 'br', 'hr', 'canvas', 'video', 'table', 'thead', 'tbody', 'tfoot', 'ul', 'ol', 'dl']);

  function topOfContent() {
    return document.querySelector('main, [role="main"]') || document.body || document.documentElement;
  }

  /**
   * Puts a host next to its anchor: inline badges at the end of the anchor (or right after it
   * for controls, in the last cell of a table row); block panels before the anchor's table or
   * list so they do not stretch a cell; no anchor → the top of the main content.
   */
  function place(host, anchor, layout) {
    if (!anchor || !anchor.isConnected) {
      topOfContent().prepend(host);
      return;
    }
    const tag = anchor.localName;
    if (layout === 'block') {
      (anchor.closest('table, dl, ul, ol') || anchor).before(host);
    } else if (tag === 'tr') {
      (anchor.lastElementChild || anchor).append(host);
    } else if (BESIDE_ONLY.has(tag)) {
      anchor.after(host);
    } else {
      anchor.append(host);
    }
  }

  /** Every host we ever drew in this document, whoever drew it (also a previous instance). */
  function allHosts() {
    return Array.from(document.querySelectorAll(`[${HOST_ATTRIBUTE}]`));
  }

  function removeAll() {
    for (const host of allHosts()) host.remove();
  }

  SD.ui = { HOST_ATTRIBUTE, el, createHost, button, copyButton, verdictChip, okChip, scopeLabel, scopeChips, linkButtons, place, allHosts, removeAll };
})();
