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
        border: 1px solid var(--line); border-radius: 10px; background: var(--bg); vertical-align: middle;
        box-sizing: border-box; max-width: 44em; }
.pill.line { display: flex; width: fit-content; max-width: min(44em, 100%); margin: 4px 0; }
.pill.alone { margin-left: 0; }
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
button { flex: none; font: inherit; padding: 0 8px; border: 1px solid var(--blue); border-radius: 8px; background: var(--field); color: var(--blue); cursor: pointer; white-space: nowrap; }
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
  /** Parents a host must not become a direct child of (it would break their structure). */
  const STRUCTURAL = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup', 'ul', 'ol', 'dl', 'menu', 'select', 'optgroup']);

  function topOfContent() {
    return document.querySelector('main, [role="main"]') || document.body || document.documentElement;
  }

  const isHost = (node) => node.nodeType === 1 && node.hasAttribute(HOST_ATTRIBUTE);
  const isCell = (node) => node.localName === 'td' || node.localName === 'th' || /^(grid)?cell$/.test(node.getAttribute('role') || '');
  const displayOf = (element) => getComputedStyle(element).display;
  /** Inline-level boxes (and boxless `contents`): they sit on a line of their parent. */
  const isInlineLevel = (element) => /^(inline|contents|ruby)/.test(displayOf(element));
  /** A block container whose lines a badge may join: it grows by the badge, nothing else moves. */
  const isFlowContainer = (element) => /^(block|flow-root|list-item|table-cell|table-caption)\b/.test(displayOf(element));

  /** Whether `element` sits side by side with its siblings in `parent` (a flex row, or a grid row it shares). */
  function inRowLayout(element, parent) {
    const style = getComputedStyle(parent);
    if (/flex$/.test(style.display)) return !style.flexDirection.startsWith('column');
    if (!/grid$/.test(style.display)) return false;
    const own = element.getBoundingClientRect();
    return Array.from(parent.children).some((sibling) => {
      if (sibling === element || isHost(sibling)) return false;
      const r = sibling.getBoundingClientRect();
      return r.height > 0 && r.top < own.bottom - 1 && r.bottom > own.top + 1 && (r.right <= own.left + 1 || r.left >= own.right - 1);
    });
  }

  /**
   * The row the anchor's line belongs to: up from the anchor through inline boxes and through
   * items of a flex row or grid row (the API's name and the page's 需用户授权 / GET tags are one
   * row), never out of a table cell nor into the page's main content.
   */
  function rowOf(anchor) {
    let row = anchor;
    while (!isCell(row)) {
      const parent = row.parentElement;
      if (!parent || parent === document.body || parent === document.documentElement || parent.matches('main, [role="main"]')) break;
      if (!isInlineLevel(row) && !inRowLayout(row, parent)) break;
      row = parent;
    }
    return row;
  }

  /** Whether nothing the page shows follows `node` inside `row` (so a line after it is a line after the row's last). */
  function endsRow(node, row) {
    for (let n = node; n && n !== row; n = n.parentNode) {
      for (let s = n.nextSibling; s; s = s.nextSibling) {
        if (s.nodeType === 3 && s.data.trim()) return false;
        if (s.nodeType === 1 && !isHost(s) && s.getClientRects().length > 0) return false;
      }
    }
    return true;
  }

  /** Whether every box from `node` up to `row` is a plain inline (a block inside one starts a line below it). */
  function plainInlineUpTo(node, row) {
    for (let n = node; n && n !== row; n = n.parentElement) {
      if (displayOf(n) !== 'inline') return false;
    }
    return true;
  }

  /** Makes an inline host a line of its own (a block whose height is the badge's, margins included). */
  function asLine(host) {
    host.style.setProperty('display', 'flow-root', 'important');
    host.shadowRoot?.querySelector('.sd')?.classList.add('line');
  }

  /**
   * A badge on its own line under the API's title row: the page's tags keep their line and their
   * place, and the row grows by the badge's height at most. In the row when the row is a block
   * that grows (at the end of the anchor when nothing follows it there, else at the row's end);
   * right after the row when the row is a flex or grid box, or cannot grow (a fixed height).
   */
  function placeOnLine(host, anchor) {
    asLine(host);
    const row = rowOf(anchor);
    if (isFlowContainer(row) && row.localName !== 'body' && row.localName !== 'html') {
      if (!BESIDE_ONLY.has(anchor.localName) && plainInlineUpTo(anchor, row) && endsRow(anchor, row)) anchor.append(host);
      else row.append(host);
      const box = row.getBoundingClientRect();
      const own = host.getBoundingClientRect();
      // Drawn out of a row that keeps its height: it would cover what follows, so under the row instead.
      if (own.bottom <= box.bottom + 1 || !row.parentElement || STRUCTURAL.has(row.parentElement.localName)) return;
    } else if (isInlineLevel(row)) {
      // A name and its tags straight in the main content: the line ends after the last inline box.
      let last = row;
      while (last.nextSibling && (last.nextSibling.nodeType === 3 || (last.nextSibling.nodeType === 1 && !isHost(last.nextSibling) && isInlineLevel(last.nextSibling)))) last = last.nextSibling;
      last.after(host);
      return;
    }
    if (!row.parentElement || STRUCTURAL.has(row.parentElement.localName)) {
      row.append(host);
      return;
    }
    // A new grid item spans the whole row, so it is a line of its own and moves no column.
    if (/grid$/.test(displayOf(row.parentElement))) host.style.setProperty('grid-column', '1 / -1', 'important');
    row.after(host);
  }

  // ---- a placeholder ("-", "暂无") in a badge's table cell: hidden while a badge is there ----

  /** Where a hidden placeholder keeps how to undo the hiding (so any instance can restore it). */
  const PLACEHOLDER_ATTRIBUTE = 'data-sd-placeholder';
  const PLACEHOLDERS = new Set(['-', '--', '---', '–', '—', '——', '－', '/', '暂无', '无', '暂无数据', 'N/A']);
  /** Elements that show something without text: never taken for a placeholder. */
  const SHOWS_ITSELF = new Set(['img', 'svg', 'canvas', 'video', 'audio', 'iframe', 'object', 'embed', 'input', 'textarea', 'select', 'button', 'a', 'progress', 'meter']);

  /**
   * The element showing a cell's placeholder, when the cell shows only that besides our badges:
   * the cell itself for bare text (`<td>-</td>`), else the one element holding it
   * (`<td><span>—</span></td>`, `<td><div><span>暂无</span></div></td>`); null otherwise.
   */
  function placeholderIn(cell) {
    let holder = cell;
    for (let depth = 0; depth < 8; depth += 1) {
      let text = '';
      let only = null;
      let elements = 0;
      for (const node of holder.childNodes) {
        if (node.nodeType === 3) text += node.data;
        else if (node.nodeType === 1 && !isHost(node)) {
          only = node;
          elements += 1;
        }
      }
      text = text.trim();
      if (elements === 0) return text && PLACEHOLDERS.has(text) ? holder : null;
      if (elements > 1 || text || SHOWS_ITSELF.has(only.localName)) return null;
      holder = only;
    }
    return null;
  }

  /** Whether a cell shows nothing of the page's (besides our badges): no text, no element. */
  function blankCell(cell) {
    return Array.from(cell.childNodes).every((node) => (node.nodeType === 3 ? !node.data.trim() : node.nodeType !== 1 || isHost(node)));
  }

  /**
   * Hides a placeholder without touching the page's nodes (a framework keeps references to
   * them): its own element gets `display: none`; bare text in the cell is shrunk to nothing
   * (`font-size: 0` on the cell; our badge sets its own size). What was there before is kept in
   * an attribute and put back by `restorePlaceholder`.
   */
  function hidePlaceholder(holder, cell) {
    if (holder.hasAttribute(PLACEHOLDER_ATTRIBUTE)) return;
    const property = holder === cell ? 'font-size' : 'display';
    const saved = { property, value: holder.style.getPropertyValue(property), priority: holder.style.getPropertyPriority(property), style: holder.hasAttribute('style') };
    holder.setAttribute(PLACEHOLDER_ATTRIBUTE, JSON.stringify(saved));
    holder.style.setProperty(property, property === 'display' ? 'none' : '0', 'important');
  }

  function restorePlaceholder(holder) {
    let saved = null;
    try {
      saved = JSON.parse(holder.getAttribute(PLACEHOLDER_ATTRIBUTE));
    } catch {
      // Not ours to read (the page changed it): still remove what we set.
    }
    holder.removeAttribute(PLACEHOLDER_ATTRIBUTE);
    const property = saved && saved.property === 'font-size' ? 'font-size' : 'display';
    holder.style.removeProperty(property);
    if (saved && typeof saved.value === 'string' && saved.value) holder.style.setProperty(property, saved.value, saved.priority === 'important' ? 'important' : '');
    if (saved && !saved.style && !holder.getAttribute('style')) holder.removeAttribute('style');
  }

  /** Cells whose placeholder is hidden, watched: when our badge leaves or the page changes the cell, the placeholder comes back. */
  const hiddenIn = new Map();
  let cellObserver = null;

  function recheckCells() {
    for (const [cell, holder] of hiddenIn) {
      const badged = Array.from(cell.children).some(isHost);
      if (badged && cell.isConnected && placeholderIn(cell) === holder) continue;
      restorePlaceholder(holder);
      hiddenIn.delete(cell);
    }
  }

  /** A badge in a table cell is the cell's one visible thing: no placeholder above or beside it. */
  function fitCell(host) {
    const cell = host.parentElement;
    if (!cell || !isCell(cell)) return;
    const holder = placeholderIn(cell);
    if (holder) {
      hidePlaceholder(holder, cell);
      hiddenIn.set(cell, holder);
      cellObserver ??= new MutationObserver(recheckCells);
      cellObserver.observe(cell, { childList: true, characterData: true, subtree: true });
    }
    if (holder || blankCell(cell)) host.shadowRoot?.querySelector('.sd')?.classList.add('alone');
  }

  /**
   * Puts a host next to its anchor: `line` badges on their own line under the anchor's row;
   * inline badges at the end of the anchor (or right after it for controls, in the last cell of
   * a table row, in place of a placeholder there); block panels before the anchor's table or
   * list so they do not stretch a cell; no anchor → the top of the main content.
   */
  function place(host, anchor, layout) {
    if (!anchor || !anchor.isConnected) {
      if (layout === 'line') asLine(host);
      topOfContent().prepend(host);
      return;
    }
    const tag = anchor.localName;
    if (layout === 'block') {
      (anchor.closest('table, dl, ul, ol') || anchor).before(host);
    } else if (layout === 'line') {
      placeOnLine(host, anchor);
    } else if (tag === 'tr') {
      (anchor.lastElementChild || anchor).append(host);
      fitCell(host);
    } else if (BESIDE_ONLY.has(tag)) {
      anchor.after(host);
    } else {
      anchor.append(host);
      fitCell(host);
    }
  }

  /** Every host we ever drew in this document, whoever drew it (also a previous instance). */
  function allHosts() {
    return Array.from(document.querySelectorAll(`[${HOST_ATTRIBUTE}]`));
  }

  /** Removes every badge and gives back every placeholder hidden for one (also a previous instance's). */
  function removeAll() {
    if (cellObserver) cellObserver.disconnect();
    cellObserver = null;
    hiddenIn.clear();
    for (const host of allHosts()) host.remove();
    for (const holder of document.querySelectorAll(`[${PLACEHOLDER_ATTRIBUTE}]`)) restorePlaceholder(holder);
  }

  SD.ui = { HOST_ATTRIBUTE, el, createHost, button, copyButton, verdictChip, okChip, scopeLabel, scopeChips, linkButtons, place, allHosts, removeAll };
})();
