// The service worker is the one owner of the stored state: an unreadable record (corrupt, or
// from a newer version) is kept verbatim as a backup before a fresh state replaces it, and what
// the user marked survives a browser restart (chrome.storage.local, not the worker's memory).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { URLS, fixture, launch, newProfile, openExtensionPage, storedState, waitFor, markStored } from './helpers.mjs';

function serve(browser) {
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(URLS.apiItemGet, { body: fixture('api-ant-descriptions.html') });
}

function backupKeys(stored) {
  return Object.keys(stored).filter((k) => /^state_backup_\d+$/.test(k));
}

test('an unreadable stored record is backed up, not lost', async () => {
  const browser = await launch();
  try {
    serve(browser);
    // Written before anything asked the service worker for the state (it loads lazily).
    const future = { version: 99, apps: [{ app_key: 'ks1', someday: true }], marks: [] };
    await browser.worker.evaluate((record) => chrome.storage.local.set({ state: record }), future);
    const popup = await openExtensionPage(browser, 'popup.html');
    await popup.locator('[data-sd-slot="no-app"]').waitFor();
    const stored = await storedState(browser);
    const backups = backupKeys(stored);
    assert.equal(backups.length, 1);
    assert.deepEqual(stored[backups[0]], future);
    assert.equal(stored.state.version, 1);
    assert.deepEqual(stored.state.apps, []);

    // The fresh state works as usual afterwards.
    const tab = await browser.context.newPage();
    await tab.goto(URLS.app);
    await waitFor(async () => (await storedState(browser)).state.current_app === 'ks685673047213', { what: 'the app' });
    assert.equal(backupKeys(await storedState(browser)).length, 1);
  } finally {
    await browser.close();
  }
});

test('garbage in storage ({"state": 42}) is backed up; marks then survive a browser restart', async () => {
  const profile = newProfile();
  try {
    // First run: the record is garbage; the first page read replaces it (after a backup).
    let browser = await launch({ profile });
    serve(browser);
    await browser.worker.evaluate(() => chrome.storage.local.set({ state: 42 }));
    const tab = await browser.context.newPage();
    await tab.goto(URLS.app);
    await waitFor(async () => (await storedState(browser)).state?.current_app === 'ks685673047213', { what: 'the app, read despite the garbage' });
    const [backup] = backupKeys(await storedState(browser));
    assert.equal((await storedState(browser))[backup], 42, 'the garbage is kept verbatim');
    await tab.goto(URLS.apiItemGet);
    await tab.locator('[data-sd-action="mark-failing"]').click();
    await tab.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]').waitFor();
    await markStored(browser, 'open.item.get');
    await browser.close();

    // Second run, same profile: the mark, the app and the backup are all still there.
    browser = await launch({ profile });
    serve(browser);
    try {
      const stored = await storedState(browser);
      assert.deepEqual(stored.state.marks.map((m) => m.api), ['open.item.get']);
      assert.deepEqual(backupKeys(stored), [backup]);
      const again = await browser.context.newPage();
      await again.goto(URLS.apiItemGet);
      const badge = again.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]');
      await badge.waitFor();
      assert.equal(await badge.locator('[data-sd-action="mark-failing"]').getAttribute('aria-pressed'), 'true');
      const popup = await openExtensionPage(browser, 'popup.html');
      await popup.locator('[data-sd-list="findings"] li[data-sd-api="open.item.get"][data-sd-verdict="reauthorize"]').waitFor();
    } finally {
      await browser.close();
    }
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
