// Where the badges go and what they do to the console's own layout, measured with real geometry
// (getBoundingClientRect) in Debian's Chromium at 1280 and 1440 px, on pages of several markups
// (tests/e2e/pages/placement/ and the ant-design fixtures):
// - API page: the page's own tags (需用户授权, GET/POST) beside the API's name keep their line and
//   position when the badge is drawn, and the title row grows by the badge's height at most
//   (not at all when the badge sits right after the row);
// - app page: a package cell that held only a placeholder ("-", "—", "--", "暂无", nothing) shows
//   the badge alone, the row is no taller than the badge needs, and once the badge goes the
//   placeholder is back, the cell's markup exactly what the page served;
// - no badge button wraps its text, and in a narrow cell the buttons drop whole to a new line
//   instead of overflowing the cell.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CONSOLE, PAGES, URLS, appReadAndApiMarked, fixture, launch, openExtensionPage, waitFor } from './helpers.mjs';

const WIDTHS = [1280, 1440];
const DIR = path.join(PAGES, 'placement');
const page = (name) => fs.readFileSync(path.join(DIR, name), 'utf8');

/** API pages: where the title row is and which elements are the page's own tags. */
const API_PAGES = [
  { name: 'fixture api-ant-descriptions', body: fixture('api-ant-descriptions.html'), row: '.api-title', tags: '.api-title .ant-tag' },
  { name: 'api-antd-header', body: page('api-antd-header.html'), row: '[data-row]', tags: '[data-tag]' },
  { name: 'api-h1-tags', body: page('api-h1-tags.html'), row: '[data-row]', tags: '[data-tag]' },
  { name: 'api-inline-title', body: page('api-inline-title.html'), row: '[data-row]', tags: '[data-tag]' },
  { name: 'api-descriptions-cell', body: page('api-descriptions-cell.html'), row: '[data-row]', tags: '[data-tag]' },
].map((p, i) => ({ ...p, url: i === 0 ? URLS.apiItemGet : `${URLS.apiItemGet}&layout=${p.name}` }));

/** App pages: the merchant_item row's action cell gets the badge; `placeholder` is what it showed. */
const APP_PAGES = [
  { name: 'fixture app-ant-descriptions', body: fixture('app-ant-descriptions.html'), placeholder: '-' },
  { name: 'app-dash-span', body: page('app-dash-span.html'), placeholder: '—' },
  { name: 'app-dash-bare', body: page('app-dash-bare.html'), placeholder: '-' },
  { name: 'app-nested-none', body: page('app-nested-none.html'), placeholder: '暂无' },
  { name: 'app-empty-cell', body: page('app-empty-cell.html'), placeholder: null },
  { name: 'app-narrow-cell', body: page('app-narrow-cell.html'), placeholder: '--', narrow: true },
].map((p, i) => ({ ...p, url: i === 0 ? URLS.app : `${URLS.app}&layout=${p.name}` }));

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(`${CONSOLE}/static/placement/console.css`, { body: page('console.css'), type: 'text/css' });
  // The app is known and open.item.get is marked failing: the fullest badges (verdict, the
  // mark toggle, three copy buttons) on the API page and in the merchant_item row.
  await appReadAndApiMarked(browser);
  for (const p of [...API_PAGES, ...APP_PAGES]) browser.site.set(p.url, { body: p.body });
});
after(() => browser?.close());

const px = (n) => `${Math.round(n * 10) / 10}`;

/**
 * Runs in the page (one function, as Playwright passes it): `api` measures the API badge, its
 * title row and the page's tags with and without the badge; `cell` what the merchant_item
 * action cell shows; `buttons` the package badge's buttons.
 */
function probe({ kind, row: rowSelector, tags: tagSelector, source }) {
  /**
   * Every button of a badge host — its text on one line (one line box, no
   * overflow, the height of one line) and its box, with the box of the cell it sits in.
   */
  function buttonsOf(host) {
    const cell = host.closest('td, th');
    const style = cell && getComputedStyle(cell);
    const inner = cell && {
      left: cell.getBoundingClientRect().left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
      right: cell.getBoundingClientRect().right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
    };
    return Array.from(host.shadowRoot.querySelectorAll('button')).map((b) => {
      const s = getComputedStyle(b);
      const range = document.createRange();
      range.selectNodeContents(b);
      const box = b.getBoundingClientRect();
      const oneLine = parseFloat(s.lineHeight) + parseFloat(s.paddingTop) + parseFloat(s.paddingBottom) + parseFloat(s.borderTopWidth) + parseFloat(s.borderBottomWidth);
      return {
        text: b.textContent,
        lines: range.getClientRects().length,
        scrollWidth: b.scrollWidth,
        clientWidth: b.clientWidth,
        height: box.height,
        oneLine,
        left: box.left,
        right: box.right,
        top: box.top,
        cell: inner,
      };
    });
  }

  /** The merchant_item row's action cell — what is visible in it, its row, its markup. */
  function cellState(source) {
    const rowOf = (root) => Array.from(root.querySelectorAll('tr')).find((tr) => tr.cells[0] && tr.cells[0].textContent.trim() === 'merchant_item');
    const row = rowOf(document);
    const cell = row.lastElementChild;
    const visible = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.nodeType === 1 && n.hasAttribute('data-sd-host') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType !== 3 || !n.data.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (n.parentElement.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && r.width * r.height >= 1) visible.push(n.data.trim());
    }
    const hosts = Array.from(cell.querySelectorAll('[data-sd-host]'));
    for (const host of hosts) {
      const r = host.getBoundingClientRect();
      if (r.width * r.height >= 1) visible.push('<badge>');
    }
    const style = getComputedStyle(cell);
    const frame = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
    const served = rowOf(new DOMParser().parseFromString(source, 'text/html')).lastElementChild;
    return {
      visible,
      rowHeight: row.getBoundingClientRect().height,
      badgeHeight: hosts.length ? hosts[0].getBoundingClientRect().height : 0,
      frame,
      hostCount: hosts.length,
      asServed: cell.outerHTML === served.outerHTML,
    };
  }

  if (kind === 'cell') return cellState(source);
  if (kind === 'buttons') return buttonsOf(document.querySelector('[data-sd-host="package"]'));
  const hosts = document.querySelectorAll('[data-sd-host="api"]');
  const host = hosts[0];
  const row = document.querySelector(rowSelector);
  const tags = Array.from(document.querySelectorAll(tagSelector));
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  };
  const now = () => ({ row: box(row), tags: tags.map(box) });
  const drawn = now();
  const badge = box(host);
  // The same page without our badge: taken out and put back in one task, so the extension's
  // observer finds nothing missing.
  const parent = host.parentNode;
  const next = host.nextSibling;
  host.remove();
  const bare = now();
  parent.insertBefore(host, next);
  return { count: hosts.length, drawn, bare, badge, inRow: row.contains(host), afterRow: host.previousElementSibling === row, buttons: buttonsOf(host) };
}

function assertButtons(buttons, what) {
  assert.ok(buttons.length >= 3, `${what}: the copy buttons are there (${buttons.map((b) => b.text)})`);
  for (const b of buttons) {
    assert.equal(b.lines, 1, `${what}: 「${b.text}」 on one line`);
    assert.ok(b.scrollWidth <= b.clientWidth, `${what}: 「${b.text}」 not cut (${b.scrollWidth} > ${b.clientWidth})`);
    assert.ok(b.height <= b.oneLine + 0.5, `${what}: 「${b.text}」 one line high (${b.height} > ${b.oneLine})`);
    if (b.cell) {
      assert.ok(b.left >= b.cell.left - 0.5 && b.right <= b.cell.right + 0.5, `${what}: 「${b.text}」 inside its cell (${px(b.left)}–${px(b.right)} vs ${px(b.cell.left)}–${px(b.cell.right)})`);
    }
  }
}

test('API page: the page tags keep their place, the title row grows by the badge at most, buttons on one line', async (t) => {
  for (const width of WIDTHS) {
    for (const p of API_PAGES) {
      const tab = await browser.context.newPage();
      await tab.setViewportSize({ width, height: 900 });
      await tab.goto(p.url);
      await tab.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]').waitFor();
      await tab.waitForTimeout(250); // any redraw in flight settles
      const m = await tab.evaluate(probe, { kind: 'api', row: p.row, tags: p.tags });
      const what = `${p.name} @${width}`;
      const shifts = m.drawn.tags.map((tag, i) => ({ dx: tag.left - m.bare.tags[i].left, dy: tag.top - m.bare.tags[i].top }));
      const grew = m.drawn.row.height - m.bare.row.height;
      t.diagnostic(
        `${what}: tags moved ${shifts.map((s) => `(${px(s.dx)}, ${px(s.dy)})`).join(' ')} px; title row ${px(m.bare.row.height)} → ${px(m.drawn.row.height)} px (+${px(grew)}); ` +
          `badge ${px(m.badge.width)}×${px(m.badge.height)} px ${m.inRow ? 'in the row' : m.afterRow ? 'right after the row' : 'elsewhere'}`,
      );
      assert.equal(m.count, 1, `${what}: one API badge`);
      assert.ok(m.drawn.tags.length >= 2, `${what}: the page's tags are there`);
      for (const [i, s] of shifts.entries()) {
        assert.ok(Math.abs(s.dx) <= 0.5 && Math.abs(s.dy) <= 0.5, `${what}: tag ${i + 1} stays where it was (moved ${px(s.dx)}, ${px(s.dy)} px)`);
      }
      assert.ok(m.inRow || m.afterRow, `${what}: the badge is in the title row or right under it`);
      assert.ok(m.badge.height > 0 && m.badge.width > 0, `${what}: the badge is visible`);
      const allowed = m.inRow ? m.badge.height : 0;
      assert.ok(grew <= allowed + 0.5, `${what}: the title row grew ${px(grew)} px, the badge needs ${px(allowed)} px`);
      assertButtons(m.buttons, what);
      await tab.close();
    }
  }
});

test('app page: the badge replaces a placeholder cell, the row is as tall as the badge needs, the placeholder comes back', async (t) => {
  const tabs = [];
  for (const width of WIDTHS) {
    for (const p of APP_PAGES) {
      const tab = await browser.context.newPage();
      await tab.setViewportSize({ width, height: 900 });
      await tab.goto(p.url);
      await tab.locator('[data-sd-host="package"][data-sd-api="open.item.get"][data-sd-verdict="reauthorize"]').waitFor();
      tabs.push({ tab, width, p });
    }
  }
  await tabs[tabs.length - 1].tab.waitForTimeout(250);
  for (const entry of tabs) {
    const { tab, width, p } = entry;
    const what = `${p.name} @${width}`;
    entry.drawn = await tab.evaluate(probe, { kind: 'cell', source: p.body });
    const buttons = await tab.evaluate(probe, { kind: 'buttons' });
    entry.buttons = buttons;
    assert.equal(entry.drawn.hostCount, 1, `${what}: one badge in the cell`);
    assert.deepEqual(entry.drawn.visible, ['<badge>'], `${what}: the badge is the one visible thing in the cell`);
    assertButtons(buttons, what);
    if (p.narrow) {
      const lines = new Set(buttons.map((b) => Math.round(b.top)));
      assert.ok(lines.size >= 2, `${what}: the buttons dropped to lines of their own (${lines.size} line(s))`);
    }
  }

  // The user clears the marks (options page): the worker asks open console tabs to redraw, the
  // package badges go, and each placeholder is back as the page served it.
  const options = await openExtensionPage(browser, 'options.html');
  const reply = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'clearMarks' }));
  assert.ok(reply.ok, 'marks cleared');
  await options.close();
  for (const entry of tabs) {
    const { tab, width, p } = entry;
    const what = `${p.name} @${width}`;
    await waitFor(async () => (await tab.locator('[data-sd-host="package"]').count()) === 0, { what: `${what}: the package badge gone` });
    const bare = await tab.evaluate(probe, { kind: 'cell', source: p.body });
    const needed = entry.drawn.badgeHeight + entry.drawn.frame;
    t.diagnostic(
      `${what}: cell shows ${JSON.stringify(entry.drawn.visible)} with the badge, ${JSON.stringify(bare.visible)} without; ` +
        `row ${px(bare.rowHeight)} → ${px(entry.drawn.rowHeight)} px (badge ${px(entry.drawn.badgeHeight)} px + cell padding/border ${px(entry.drawn.frame)} px); ` +
        `buttons on ${new Set(entry.buttons.map((b) => Math.round(b.top))).size} line(s)`,
    );
    assert.deepEqual(bare.visible, p.placeholder ? [p.placeholder] : [], `${what}: the placeholder is visible again`);
    assert.ok(bare.asServed, `${what}: the cell's markup is exactly what the page served`);
    assert.ok(
      entry.drawn.rowHeight <= Math.max(bare.rowHeight, needed) + 1,
      `${what}: the row is ${px(entry.drawn.rowHeight)} px, the badge needs ${px(needed)} px (${px(bare.rowHeight)} px without it)`,
    );
    await tab.close();
  }
});
