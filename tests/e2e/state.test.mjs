// State nothing can break: a save refused by storage (quota) changes nothing in memory either;
// backups are listed, restored and deleted in the options page, at most five kept; a page whose
// values cannot be kept says why on that page and blocks no other page.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, URLS, fixture, launch, openExtensionPage, storedState, waitFor } from './helpers.mjs';

const BAD_APP = `${CONSOLE}/zone/new/console/app/detail?appKey=ks1bad`;

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(URLS.apiItemGet, { body: fixture('api-ant-descriptions.html') });
  // The fixture app page with an appKey of 70 digits and a callback carrying a token.
  const bad = fixture('app-ant-descriptions.html')
    .replaceAll('ks685673047213', `ks${'7'.repeat(70)}`)
    .replaceAll('https://example.com/cb?x=1', 'https://example.com/cb?access_token=SECRETVALUE');
  browser.site.set(BAD_APP, { body: bad });
});
after(() => browser?.close());

test('a page whose values cannot be kept says why there, and every other page still gets its badge', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(BAD_APP);
  const note = tab.locator('[data-sd-host="summary"][data-sd-ok="false"]');
  await note.waitFor();
  assert.match(await note.evaluate((h) => h.shadowRoot.textContent), /appKey/);
  const stored = JSON.stringify(await storedState(browser));
  assert.ok(!stored.includes('SECRETVALUE') && !stored.includes('7'.repeat(70)), 'nothing of the bad page is kept');

  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state?.current_app === 'ks685673047213', { what: 'the normal app' });
  await tab.goto(URLS.apiItemGet);
  await tab.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]').waitFor();
  await tab.close();
});

test('a save refused by storage (quota) changes nothing, in storage or in the worker, and says so', async () => {
  const before = (await storedState(browser)).state;
  await browser.worker.evaluate(() => {
    globalThis.__realSet = chrome.storage.local.set.bind(chrome.storage.local);
    chrome.storage.local.set = async (items) => {
      if ('state' in items) throw new Error('QUOTA_BYTES quota exceeded');
      return globalThis.__realSet(items);
    };
  });
  const popup = await openExtensionPage(browser, 'popup.html');
  try {
    await popup.fill('textarea[data-sd-input="failure-text"]', 'method=open.order.cursor.list token中无scope权限');
    await popup.click('[data-sd-action="diagnose"]');
    const error = popup.locator('[data-sd-slot="error"]');
    await waitFor(async () => /保存失败|Could not save/.test((await error.textContent()) || ''), { what: 'the save error' });
    assert.match(await error.textContent(), /quota/);
  } finally {
    await browser.worker.evaluate(() => {
      chrome.storage.local.set = globalThis.__realSet;
    });
  }
  assert.deepEqual((await storedState(browser)).state, before, 'storage unchanged');
  // The worker answers with the old state too: no mark appeared in memory.
  await popup.reload();
  await popup.locator('[data-sd-input="app"]').waitFor({ state: 'attached' });
  await waitFor(async () => (await popup.locator('[data-sd-list="findings"] li').count()) === before.marks.length, { what: 'the old findings' });
  assert.equal(await popup.locator('[data-sd-list="findings"] li[data-sd-api="open.order.cursor.list"]').count(), 0);
  await popup.close();
});

test('backups: listed with date, size and why; restored; deleted; at most five kept', async () => {
  const good = (await storedState(browser)).state;
  // Seven unreadable records in a row, each found when the worker starts again (stopped through
  // the DevTools protocol, as the browser stops an idle worker).
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  for (let i = 0; i < 7; i += 1) {
    await page.evaluate(() => 0);
    await browser.worker.evaluate((n) => chrome.storage.local.set({ state: { version: 99 + n } }), i);
    await cdp.send('ServiceWorker.stopAllWorkers');
    const options = await openExtensionPage(browser, 'options.html');
    await options.locator('[data-sd-list="backups"] li').first().waitFor();
    browser.worker = browser.context.serviceWorkers().at(-1);
    await options.close();
  }
  await page.close();
  const stored = await storedState(browser);
  const keys = Object.keys(stored).filter((k) => /^state_backup_\d+$/.test(k));
  assert.equal(keys.length, 5, 'at most five backups');

  const options = await openExtensionPage(browser, 'options.html');
  const items = options.locator('[data-sd-list="backups"] li');
  await waitFor(async () => (await items.count()) === 5, { what: 'five listed' });
  assert.match(await items.first().textContent(), /newer|99|版本/);
  // A backup from the future cannot be restored: it says why and changes nothing.
  const stateBefore = (await storedState(browser)).state;
  await items.first().locator('[data-sd-action="restore-backup"]').click();
  await waitFor(async () => !(await options.locator('[data-sd-slot="error"]').isHidden()), { what: 'the restore refusal' });
  assert.deepEqual((await storedState(browser)).state, stateBefore);
  await items.first().locator('[data-sd-action="delete-backup"]').click();
  await waitFor(async () => (await items.count()) === 4, { what: 'one deleted' });

  // A good record restored from a backup comes back whole.
  const key = `state_backup_${Date.now()}`;
  await browser.worker.evaluate(([k, record]) => chrome.storage.local.set({ [k]: record }), [key, good]);
  await options.reload();
  await options.locator(`[data-sd-backup="${key}"] [data-sd-action="restore-backup"]`).click();
  await waitFor(async () => (await storedState(browser)).state?.current_app === good.current_app, { what: 'the restored state' });
  assert.deepEqual((await storedState(browser)).state.apps, good.apps);
  await options.close();
});
