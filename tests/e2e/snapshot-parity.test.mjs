// The content script's snapshot (extension/shared/snapshot.js, from the live DOM) must read
// like the native one (src/snapshot/html.rs, from saved HTML): every fixture page, loaded in
// Chromium at a console URL, snapshotted in the page and read by the shipped wasm, gives the
// same reading as `scope-doctor read --json` on the saved file (or, without the native
// binary, the fixture's expected.json).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CONSOLE, DIST, FIXTURES, ROOT, launch } from './helpers.mjs';

const wasmModule = await import(path.join(DIST, 'pkg', 'scope_doctor.js'));
await wasmModule.default({ module_or_path: fs.readFileSync(path.join(DIST, 'pkg', 'scope_doctor_bg.wasm')) });

/** The module turned into an expression a page can evaluate (same transform as pack.mjs's). */
const SNAPSHOT_SOURCE = ['names.js', 'snapshot.js']
  .map((file) => fs.readFileSync(path.join(ROOT, 'extension', 'shared', file), 'utf8').replace(/^export\s+/gm, ''))
  .join('\n');
const TAKE = `(() => { ${SNAPSHOT_SOURCE}\n return takeSnapshot(document, location.href, { rules: SNAPSHOT_RULES }).snapshot; })()`;

const CLI = path.join(ROOT, 'target', 'release', 'scope-doctor');
const names = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.html')).map((f) => f.slice(0, -5)).sort();

/** The native reading of every fixture, by name: from the CLI, else from expected.json files. */
function nativeReadings() {
  const readings = new Map();
  if (fs.existsSync(CLI)) {
    const files = names.map((n) => path.join(FIXTURES, `${n}.html`));
    const lines = execFileSync(CLI, ['read', ...files, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n');
    for (const line of lines) {
      const { file, ...reading } = JSON.parse(line);
      readings.set(path.basename(file, '.html'), reading);
    }
  } else {
    for (const name of names) {
      const expected = path.join(FIXTURES, `${name}.expected.json`);
      if (fs.existsSync(expected)) readings.set(name, JSON.parse(fs.readFileSync(expected, 'utf8')));
    }
  }
  return readings;
}

/** Where the native reader found the page's address: its canonical link, else none. */
function urlFor(name, html) {
  const canonical = html.match(/<link[^>]+rel="canonical"[^>]+href="([^"]+)"/);
  // Only console addresses can be served here (the route covers the console's host alone).
  if (canonical && canonical[1].startsWith(`${CONSOLE}/`)) return canonical[1].replace(/&amp;/g, '&');
  // A neutral path: no reader gives it meaning, like the empty address of a saved file.
  return `${CONSOLE}/e2e/fixture/${name}`;
}

/**
 * The contract form of a reading (`Reading::without_anchors`): no anchors, no shown names, and
 * no app named by a token tool's result (an app page's `app_key` is part of the contract).
 */
const NOT_IN_CONTRACT = new Set(['anchor', 'names', 'name']);
function withoutAnchors(value) {
  if (Array.isArray(value)) return value.map(withoutAnchors);
  if (value && typeof value === 'object') {
    const kept = Object.entries(value).filter(([k]) => !NOT_IN_CONTRACT.has(k) && !(value.page === 'token-info' && k === 'app_key'));
    return Object.fromEntries(kept.map(([k, v]) => [k, withoutAnchors(v)]));
  }
  return value;
}

let browser;
let tab;
before(async () => {
  browser = await launch();
  tab = await browser.context.newPage();
});
after(() => browser?.close());

test('every fixture reads the same from the live DOM as from saved HTML', async () => {
  const native = nativeReadings();
  assert.ok(native.size > 0, 'no native reading to compare with');
  const failures = [];
  for (const [name, expected] of native) {
    const html = fs.readFileSync(path.join(FIXTURES, `${name}.html`), 'utf8');
    const url = urlFor(name, html);
    browser.site.set(url, { body: html });
    await tab.goto(url);
    const snapshot = await tab.evaluate(TAKE);
    const reading = withoutAnchors(wasmModule.readSnapshot(snapshot));
    try {
      assert.deepEqual(reading, expected);
    } catch {
      failures.push(`${name}:\n  live DOM ${JSON.stringify(reading)}\n  native   ${JSON.stringify(expected)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length}/${native.size} fixtures differ:\n${failures.join('\n')}`);
});

test('the snapshot follows the native rules on a tricky page', async () => {
  const url = `${CONSOLE}/e2e/snapshot-rules`;
  browser.site.set(url, {
    body: `<!doctype html><html><head><title>t</title><style>.gone{display:none}</style></head><body>
      <h1 title="tip">  获取商品详情\u3000<span>open.item.get</span> </h1>
      <div class="gone"><p>hidden by a class</p></div>
      <div aria-hidden="true"><p>aria hidden</p></div>
      <div style="display: contents"><p>in display contents</p></div>
      <script>ignored()</script><template><p>template</p></template><svg><text>svg</text></svg>
      <input value="typed-secret"><input readonly value="https://open.kwaixiaodian.com/oauth/authorize?a=1">
      <textarea>typed token</textarea><textarea readonly>read only text</textarea>
      <span data-sd-host="api"><b>our own badge</b></span>
      <a href="/x" role="link" aria-label="L" class="dropped">link</a>
    </body></html>`,
  });
  await tab.goto(url);
  const snapshot = await tab.evaluate(TAKE);
  const tags = snapshot.nodes.map((n) => n.tag);
  assert.deepEqual(tags.slice(0, 4), ['html', 'body', 'h1', 'span']);
  for (const skipped of ['head', 'script', 'style', 'template', 'svg', 'text', 'b']) assert.ok(!tags.includes(skipped), skipped);
  const byText = (text) => snapshot.nodes.find((n) => n.text === text);
  assert.deepEqual(byText('获取商品详情'), { tag: 'h1', parent: 1, text: '获取商品详情', attrs: [['title', 'tip']], visible: true });
  assert.equal(byText('hidden by a class').visible, false, 'inside a hidden element');
  assert.equal(snapshot.nodes[byText('hidden by a class').parent].visible, false);
  assert.equal(snapshot.nodes[byText('aria hidden').parent].visible, false);
  assert.equal(snapshot.nodes[byText('in display contents').parent].visible, true);
  const values = snapshot.nodes.flatMap((n) => n.attrs.filter(([k]) => k === 'value').map(([, v]) => v));
  assert.deepEqual(values, ['https://open.kwaixiaodian.com/oauth/authorize?a=1']);
  assert.ok(!snapshot.nodes.some((n) => n.text.includes('typed')), 'typed text is never kept');
  assert.ok(byText('read only text'));
  assert.deepEqual(snapshot.nodes.find((n) => n.tag === 'a').attrs, [['href', '/x'], ['role', 'link'], ['aria-label', 'L']]);
  assert.ok(snapshot.nodes.every((n, i) => n.parent === null || n.parent < i), 'parents come first');

  // <br> and block children split an element's own text into lines (html.rs's own_text).
  const lines = await tab.evaluate(`(() => { ${SNAPSHOT_SOURCE}
    document.body.innerHTML = '<div id="l">应用名称：小店<br>AppKey：ks1<br> <b>x</b> 回调地址：https://a.example/cb<div>inner</div>tail</div>';
    return takeSnapshot(document.getElementById('l'), '', { rules: SNAPSHOT_RULES }).snapshot.nodes[0].text; })()`);
  assert.equal(lines, '应用名称：小店\nAppKey：ks1\n回调地址：https://a.example/cb\ntail');

  // A long run keeps its head, its last row and every row with a signal; the rest is counted.
  const run = await tab.evaluate(`(() => { ${SNAPSHOT_SOURCE}
    const rows = Array.from({ length: 300 }, (_, k) => k === 250 ? '<li>merchant_order 已获取</li>' : '<li>2026-11-28 open.item.get ' + k + '</li>');
    document.body.innerHTML = '<ul id="u">' + rows.join('') + '</ul><p>after</p>';
    const taken = takeSnapshot(document.body, '', { rules: SNAPSHOT_RULES }).snapshot;
    return { items: taken.nodes.filter((n) => n.tag === 'li').map((n) => n.text), omitted: taken.omitted, cut: taken.cut, last: taken.nodes.at(-1).text }; })()`);
  assert.equal(run.items.length, 42);
  assert.equal(run.items[40], 'merchant_order 已获取');
  assert.equal(run.items[41], '2026-11-28 open.item.get 299');
  assert.deepEqual([run.omitted, run.cut, run.last], [258, false, 'after']);

  // A document without a window (DOMParser) falls back to the inline-style rules of html.rs.
  const parsed = await tab.evaluate(`(() => { ${SNAPSHOT_SOURCE}
    const doc = new DOMParser().parseFromString('<p style="DISPLAY: none">a</p><p class="x">b</p>', 'text/html');
    return takeSnapshot(doc, '', { rules: SNAPSHOT_RULES }).snapshot.nodes.filter((n) => n.tag === 'p').map((n) => [n.text, n.visible]); })()`);
  assert.deepEqual(parsed, [['a', false], ['b', true]]);
});
