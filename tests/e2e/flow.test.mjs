// The whole user journey of platform.md §1 on console pages served with the console's CSP:
// app page → API page → "this API fails" → verdict → back on the app page → the package row's
// badge → copy the authorization link → the clipboard holds the link contract.md describes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, FIXTURE_APP, URLS, badges, fixture, foreignRequests, launch, parseLink, storedState, waitFor } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(URLS.apiItemGet, { body: fixture('api-ant-descriptions.html') });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE });
});
after(() => browser?.close());

test('mark an API failing, then copy the re-authorization link from the app page', async () => {
  const tab = await browser.context.newPage();

  // 1. The app page makes the app known (nothing fails yet, so nothing is drawn).
  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state?.current_app === FIXTURE_APP.appKey, { what: 'the app to be stored' });
  assert.deepEqual(await badges(tab), []);

  // 2. The API page: a badge beside the API's name with its package, not yet failing. An app is
  //    known, so the verdict already shows (contract: "once an app is known").
  await tab.goto(URLS.apiItemGet);
  const apiBadge = tab.locator('[data-sd-host="api"]');
  await apiBadge.waitFor();
  assert.equal(await apiBadge.getAttribute('data-sd-api'), 'open.item.get');
  assert.equal(await apiBadge.getAttribute('data-sd-scope'), 'merchant_item');
  assert.equal(await apiBadge.getAttribute('data-sd-verdict'), 'reauthorize');
  assert.match(await apiBadge.evaluate((h) => h.shadowRoot.textContent), /如果此 API 报错/);
  assert.match(await apiBadge.evaluate((h) => h.parentElement.textContent), /open\.item\.get/, 'drawn next to the API name');
  const toggle = apiBadge.locator('[data-sd-action="mark-failing"]');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');

  // 3. Mark it failing: the app holds merchant_item, so the merchant must re-authorize.
  await toggle.click();
  await tab.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]').waitFor();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await apiBadge.locator('[data-sd-action="copy-auth-link"]').count(), 1);
  assert.equal((await badges(tab)).length, 1, 'one badge, not one per render');

  // 4. Back on the app page: the merchant_item row carries the verdict and the link button.
  await tab.goto(URLS.app);
  const rowBadge = tab.locator('[data-sd-host="package"][data-sd-api="open.item.get"]');
  await rowBadge.waitFor();
  assert.equal(await rowBadge.getAttribute('data-sd-verdict'), 'reauthorize');
  assert.equal(await rowBadge.getAttribute('data-sd-scope'), 'merchant_item');
  assert.match(await rowBadge.evaluate((h) => h.closest('tr').textContent), /merchant_item/, 'in the merchant_item row');
  const summary = tab.locator('[data-sd-host="summary"] li[data-sd-finding="open.item.get"]');
  assert.equal(await summary.getAttribute('data-sd-finding-verdict'), 'reauthorize');

  // 5. Copy the link: the clipboard holds app_id, the exact callback and every held package.
  await rowBadge.locator('[data-sd-action="copy-auth-link"]').click();
  const link = await waitFor(async () => {
    const text = await tab.evaluate(() => navigator.clipboard.readText());
    return text.startsWith('https://') ? text : null;
  }, { what: 'the link on the clipboard' });
  const parsed = parseLink(link);
  assert.equal(parsed.origin, 'https://open.kwaixiaodian.com');
  assert.equal(parsed.path, '/oauth/authorize');
  assert.equal(parsed.appId, FIXTURE_APP.appKey);
  assert.equal(parsed.redirectUri, FIXTURE_APP.callback);
  assert.deepEqual(new Set(parsed.scopes), new Set(FIXTURE_APP.owned));
  assert.equal(parsed.responseType, 'code');
  assert.deepEqual(parsed.params.filter((p) => p !== 'state').sort(), ['app_id', 'redirect_uri', 'response_type', 'scope']);
  assert.match(link, new RegExp(`redirect_uri=${encodeURIComponent(FIXTURE_APP.callback).replace(/[.?*+()]/g, '\\$&')}&`), 'encoded like encodeURIComponent');

  // The second (mobile) link, offered on the row too, is the same query on open.kuaishou.com.
  await rowBadge.locator('[data-sd-action="copy-mobile-link"]').click();
  const mobile = await waitFor(async () => {
    const text = await tab.evaluate(() => navigator.clipboard.readText());
    return text.startsWith('https://open.kuaishou.com/') ? text : null;
  }, { what: 'the mobile link on the clipboard' });
  assert.equal(new URL(mobile).search, new URL(link).search);

  // 6. The toggle works both ways: unmarking removes the mark (the verdict stays: the app is known).
  await tab.goto(URLS.apiItemGet);
  await tab.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]').waitFor();
  await tab.locator('[data-sd-action="mark-failing"]').click();
  await waitFor(async () => (await tab.locator('[data-sd-action="mark-failing"]').getAttribute('aria-pressed')) === 'false', { what: 'the unpressed toggle' });
  assert.equal(await tab.locator('[data-sd-action="mark-failing"]').getAttribute('aria-pressed'), 'false');
  assert.deepEqual((await storedState(browser)).state.marks, []);

  // The stored state never holds the app's secrets.
  const stored = JSON.stringify(await storedState(browser));
  assert.ok(!stored.includes('Yk3xQ9pLm2TzR8wVb4Nc7A') && !stored.includes('9f1c0e7a44b2d6e8a3c5b7d9e1f20a4c'), 'no appSecret/signSecret stored');

  assert.deepEqual(foreignRequests(browser), [], 'no request left for another host');
});
