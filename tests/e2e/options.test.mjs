// The options page: lists what the extension knows, forgets on request, switches the language
// of every UI (options, popup, badges), exports the settings and refuses a bad settings file
// with a clear message while changing nothing.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { URLS, appReadAndApiMarked, badges, foreignRequests, launch, openExtensionPage, storedState, waitFor } from './helpers.mjs';

let browser;
let options;
before(async () => {
  browser = await launch();
  // Something to list: an app, a learned package and a failing API.
  await appReadAndApiMarked(browser);
  options = await openExtensionPage(browser, 'options.html');
  await options.locator('[data-sd-list="apps"] li').waitFor();
});
after(() => browser?.close());

/** A file for setInputFiles; `why` (not part of the file) is what its refusal must mention. */
function settingsFile(name, content, why = null) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)), why };
}

test('lists the app, the failing API and the learned package', async () => {
  assert.equal(await options.locator('[data-sd-list="apps"] li').getAttribute('data-sd-app'), 'ks685673047213');
  assert.equal(await options.locator('[data-sd-list="marks"] li').getAttribute('data-sd-api'), 'open.item.get');
  assert.equal(await options.locator('[data-sd-list="learned"] li').getAttribute('data-sd-api'), 'open.item.get');
  assert.equal(await options.locator('[data-sd-input="language"]').inputValue(), 'zh');
  assert.equal(await options.locator('h1').textContent(), 'Scope Doctor 设置');
});

test('a bad settings file shows why and changes nothing', async () => {
  const before = await storedState(browser);
  const status = options.locator('[data-sd-slot="import-status"]');
  const bad = [
    settingsFile('not-json.json', '{ this is not json'),
    settingsFile('other.json', { hello: 'world' }),
    settingsFile('future.json', { format: 'scope-doctor-settings', settings: { ...before.state, version: 99 } }, /更新版本/),
    // serde's English detail stays out of the Chinese message.
    settingsFile('bogus.json', { format: 'scope-doctor-settings', settings: { ...before.state, language: 'bogus' } }, /^[^`]*结构不对[^`a-z]*$/),
    settingsFile('hostile.json', { format: 'scope-doctor-settings', settings: { ...before.state, marks: [{ api: '<img src=x onerror=alert(1)>', kind: 'unknown', message: '' }] } }, /marks/),
  ];
  for (const file of bad) {
    await options.setInputFiles('[data-sd-input="import-file"]', file);
    await waitFor(async () => (await status.getAttribute('data-tone')) === 'error' && (await status.textContent()).includes('无法导入'), { what: `the error for ${file.name}` });
    assert.ok(await status.isVisible());
    if (file.why) assert.match(await status.textContent(), file.why, `${file.name}: says why`);
    assert.deepEqual(await storedState(browser), before, `${file.name} changed nothing`);
    await status.evaluate((s) => { s.textContent = ''; s.removeAttribute('data-tone'); });
  }
  assert.equal(await options.locator('[data-sd-list="marks"] li').count(), 1, 'the page still shows the old settings');
});

test('a settings file carrying app_secret is refused, says so, and changes nothing', async () => {
  const before = await storedState(browser);
  const status = options.locator('[data-sd-slot="import-status"]');
  // Otherwise a valid file: the user's own export with the app's secret pasted in.
  const { file } = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'export' }));
  file.settings.apps[0].app_secret = 'Yk3xQ9pLm2TzR8wVb4Nc7A';
  file.settings.apps.push({ ...file.settings.apps[0], app_key: 'ks999' });
  await options.setInputFiles('[data-sd-input="import-file"]', settingsFile('secret.json', file));
  await waitFor(async () => (await status.getAttribute('data-tone')) === 'error', { what: 'the refusal' });
  const message = await status.textContent();
  assert.match(message, /无法导入这个文件，设置没有改变/);
  assert.match(message, /app_secret/, 'names the field');
  assert.match(message, /secret/i, 'says secrets are never kept');
  assert.deepEqual(await storedState(browser), before, 'nothing changed');
  assert.ok(!JSON.stringify(await storedState(browser)).includes('Yk3xQ9pLm2TzR8wVb4Nc7A'));
  assert.deepEqual(await options.locator('[data-sd-list="apps"] li').evaluateAll((items) => items.map((i) => i.dataset.sdApp)), ['ks685673047213']);
  await status.evaluate((s) => { s.textContent = ''; s.removeAttribute('data-tone'); });
});

test('export, then import the exported file', async () => {
  const before = await storedState(browser);
  const [download] = await Promise.all([options.waitForEvent('download'), options.click('[data-sd-action="export"]')]);
  assert.equal(download.suggestedFilename(), 'scope-doctor-settings.json');
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.format, 'scope-doctor-settings');
  assert.match(JSON.stringify(exported), /open\.item\.get/);
  // A file written in English does not switch the (Chinese) UI: only the user does.
  exported.settings.language = 'en';
  await options.setInputFiles('[data-sd-input="import-file"]', settingsFile('good.json', exported));
  await waitFor(async () => (await options.locator('[data-sd-slot="import-status"]').getAttribute('data-tone')) === 'info', { what: 'the import' });
  assert.equal((await storedState(browser)).state.language, 'zh');
  assert.deepEqual((await storedState(browser)).state, before.state);
});

test('English switches the options page, the popup and the badges', async () => {
  await options.selectOption('[data-sd-input="language"]', 'en');
  await waitFor(async () => (await options.locator('h1').textContent()) === 'Scope Doctor settings', { what: 'English options' });
  assert.equal((await storedState(browser)).state.language, 'en');
  assert.equal(await options.evaluate(() => document.documentElement.lang), 'en');

  const popup = await openExtensionPage(browser, 'popup.html');
  await waitFor(async () => (await popup.locator('[data-sd-action="diagnose"]').textContent()) === 'Diagnose', { what: 'English popup' });
  const finding = popup.locator('li[data-sd-api="open.item.get"]');
  await waitFor(async () => (await finding.locator('.verdict').textContent()) === 'Merchant must re-authorize', { what: 'an English verdict' });
  assert.match(await finding.locator('.explain').textContent(), /^[\x20-\x7e]+ /, 'the explanation in English');

  const tab = await browser.context.newPage();
  await tab.goto(URLS.apiItemGet);
  const badge = tab.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]');
  await badge.waitFor();
  await waitFor(async () => /this API fails|marked as failing/.test(await badge.evaluate((h) => h.shadowRoot.textContent)), { what: 'an English badge' });
  // Every part of the badge: our strings (_locales/en) and the core's explanation ({zh, en}).
  const parts = () => badge.evaluate((h) => ({
    verdict: h.shadowRoot.querySelector('.verdict').textContent,
    toggle: h.shadowRoot.querySelector('[data-sd-action="mark-failing"]').textContent,
    copy: h.shadowRoot.querySelector('[data-sd-action="copy-auth-link"]').textContent,
    explain: h.shadowRoot.querySelector('.explain').textContent,
    lang: h.shadowRoot.querySelector('.sd').lang,
  }));
  const english = await parts();
  assert.deepEqual([english.verdict, english.toggle, english.copy, english.lang], ['Merchant must re-authorize', 'marked as failing (click to undo)', 'Copy authorization link', 'en']);
  assert.match(english.explain, /^The app holds 商品信息 \(merchant_item\) but the merchant's token lacks it/);

  await options.selectOption('[data-sd-input="language"]', 'zh');
  await waitFor(async () => (await options.locator('h1').textContent()) === 'Scope Doctor 设置', { what: 'Chinese again' });
  // The open console tab redraws in Chinese without a reload.
  await waitFor(async () => /已标记为报错/.test(await badge.evaluate((h) => h.shadowRoot.textContent)), { what: 'the badge in Chinese' });
  const chinese = await parts();
  assert.deepEqual([chinese.verdict, chinese.copy, chinese.lang], ['需商家重新授权', '复制授权链接', 'zh-CN']);
  assert.match(chinese.explain, /^应用已获取商品信息（merchant_item）/);
});

test('forget and unmark', async () => {
  await options.bringToFront();
  await options.click('[data-sd-list="learned"] [data-sd-action="forget-learned"]');
  await waitFor(async () => (await options.locator('[data-sd-list="learned"] li').count()) === 0, { what: 'learned forgotten' });
  await options.click('[data-sd-list="marks"] [data-sd-action="unmark"]');
  await waitFor(async () => (await options.locator('[data-sd-list="marks"] li').count()) === 0, { what: 'unmarked' });
  await options.click('[data-sd-list="apps"] [data-sd-action="forget-app"]');
  await waitFor(async () => (await options.locator('[data-sd-list="apps"] li').count()) === 0, { what: 'app forgotten' });
  const { state } = await storedState(browser);
  assert.deepEqual([state.apps, state.marks, state.learned, state.current_app], [[], [], [], null]);
  assert.ok(await options.locator('[data-sd-slot="no-apps"]').isVisible());
  // The console tab that showed the verdict has redrawn without it.
  const tab = browser.context.pages().find((p) => p.url() === URLS.apiItemGet);
  await waitFor(async () => (await badges(tab)).every((b) => !b.verdict), { what: 'the verdict to go' });
  assert.deepEqual(foreignRequests(browser), []);
});
