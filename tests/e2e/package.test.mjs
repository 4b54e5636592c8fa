// What the built extension may do, checked on the files themselves (no browser): exactly the
// permissions the README promises, nothing a web page can load, no remote code, no HTML sinks,
// no network request but the extension's own files, and every UI string in both languages.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DIST, PAGES, ROOT } from './helpers.mjs';

const EXTENSION = path.join(ROOT, 'extension');

function manifest(browser) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', browser, 'manifest.json'), 'utf8'));
}

/** Every file under `dir` whose name matches `pattern`, as absolute paths. */
function files(dir, pattern) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

test('permissions: storage and the console only; nothing web-accessible or externally connectable', () => {
  for (const browser of ['chrome', 'firefox']) {
    const m = manifest(browser);
    assert.deepEqual(m.permissions, ['storage'], browser);
    assert.deepEqual(m.host_permissions, ['https://open.kwaixiaodian.com/*'], browser);
    assert.equal(m.optional_permissions, undefined, browser);
    assert.equal(m.web_accessible_resources, undefined, browser);
    assert.equal(m.externally_connectable, undefined, browser);
    assert.deepEqual(m.content_scripts.map((s) => s.matches), [['https://open.kwaixiaodian.com/*']], browser);
    // wasm in extension pages and the worker only; no remote script source.
    assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'", browser);
  }
});

test('no HTML sinks or eval in our code and test pages; fetch only of our own files', () => {
  const ours = [...files(EXTENSION, /\.(js|mjs|html)$/), ...files(PAGES, /\.(js|html)$/)];
  assert.ok(ours.some((f) => f.endsWith(path.join('content', 'draw.js'))), 'the scan sees our files');
  const sinks = /\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|\beval\s*\(|new\s+Function\b|document\.write|setTimeout\(\s*['"`]|XMLHttpRequest|WebSocket|sendBeacon|importScripts/;
  const found = [];
  for (const file of ours) {
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (sinks.test(line)) found.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      // The one fetch: our own _locales, through runtime.getURL.
      if (/\bfetch\s*\(/.test(line) && !/fetch\(api\.runtime\.getURL\(/.test(line)) found.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
  // The content scripts have no fetch at all (the console's page would see where it went).
  const content = files(path.join(DIST, 'content'), /\.js$/).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  assert.doesNotMatch(content, /\bfetch\s*\(|chrome\.tabs|storage\.local/);
});

test('every UI string exists in zh_CN and en', () => {
  const load = (locale) => JSON.parse(fs.readFileSync(path.join(EXTENSION, '_locales', locale, 'messages.json'), 'utf8'));
  const zh = load('zh_CN');
  const en = load('en');
  assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort());
  for (const [key, entry] of Object.entries(en)) {
    assert.ok(entry.message.trim() && zh[key].message.trim(), `${key} is not empty`);
    assert.deepEqual(Object.keys(entry.placeholders ?? {}), Object.keys(zh[key].placeholders ?? {}), `${key}: same placeholders`);
  }
});

/**
 * Size budgets (bytes; gzip at zlib's default level, as `./build.sh bench` measures): about 5%
 * over today's sizes, room for another rustc's code generation but not for a new dependency in
 * the wasm: growing it more is a decision, made by raising the budget here. The bench prints the
 * figures. History (rustc 1.95): issue 10's work reached main 305,844 / 134,570 (QR 43,092 /
 * 22,396); the trust fixes after it (business errors explained, SDK class names, whole values:
 * `<wbr>`, middle ellipses, ticked boxes; more reader shapes) took main to 317,345 / 138,791.
 */
const WASM_BUDGETS = { 'scope_doctor_bg.wasm': { raw: 333_000, gzip: 146_000 }, 'scope_doctor_qr_bg.wasm': { raw: 46_000, gzip: 24_000 } };

test('each wasm stays within its size budget', async () => {
  const { gzipSync } = await import('node:zlib');
  for (const [name, budget] of Object.entries(WASM_BUDGETS)) {
    const bytes = fs.readFileSync(path.join(DIST, 'pkg', name));
    const gzip = gzipSync(bytes).length;
    assert.ok(bytes.length <= budget.raw, `${name}: ${bytes.length} bytes raw, over the budget of ${budget.raw}`);
    assert.ok(gzip <= budget.gzip, `${name}: ${gzip} bytes gzip, over the budget of ${budget.gzip}`);
  }
});
