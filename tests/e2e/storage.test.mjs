// The service worker is the one owner of the stored state: an unreadable record (corrupt, or
// from a newer version) is kept verbatim as a backup before a fresh state replaces it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { URLS, fixture, launch, openExtensionPage, storedState, waitFor } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
});
after(() => browser?.close());

test('an unreadable stored record is backed up, not lost', async () => {
  // Written before anything asked the service worker for the state (it loads lazily).
  const future = { version: 99, apps: [{ app_key: 'ks1', someday: true }], marks: [] };
  await browser.worker.evaluate((record) => chrome.storage.local.set({ state: record }), future);
  const popup = await openExtensionPage(browser, 'popup.html');
  await popup.locator('[data-sd-slot="no-app"]').waitFor();
  const stored = await storedState(browser);
  const backups = Object.keys(stored).filter((k) => /^state_backup_\d+$/.test(k));
  assert.equal(backups.length, 1);
  assert.deepEqual(stored[backups[0]], future);
  assert.equal(stored.state.version, 1);
  assert.deepEqual(stored.state.apps, []);

  // The fresh state works as usual afterwards.
  const tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state.current_app === 'ks685673047213', { what: 'the app' });
  assert.equal(Object.keys(await storedState(browser)).filter((k) => k.startsWith('state_backup_')).length, 1);
});
