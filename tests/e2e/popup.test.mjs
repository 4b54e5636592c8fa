// The popup: paste a multi-API error log, diagnose, see one finding per failing API with its
// verdict and explanation; switch the current app; the QR code of the mobile link; copy;
// clear the marks. Everything goes through the service worker.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, URLS, fixture, foreignRequests, launch, openExtensionPage, parseLink, storedState, waitFor } from './helpers.mjs';

const APP_B = `${CONSOLE}/zone/new/console/app/detail?appKey=ks702345118890`;
const LOG = `2024-05-01 12:00:01 ERROR call failed method=open.item.get {"result":28,"code":"803000","msg":"鉴权失败","error_msg":"token中无scope权限"}
2024-05-01 12:00:02 ERROR call failed method=open.order.cursor.list {"error_msg":"token中无scope的权限"}
2024-05-01 12:00:03 ERROR call failed method=open.seller.order.refund.detail {"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期","sub_msg":"TOKEN过期"}`;

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(APP_B, { body: fixture('app-cards-chinese-names.html') });
  // Chromium grants nothing to chrome-extension:// origins, so the clipboard is read back from a
  // console tab (the clipboard is the browser's, not the page's).
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE });
});
after(() => browser?.close());

async function findings(popup) {
  return popup.locator('[data-sd-list="findings"] li').evaluateAll((items) => items.map((i) => [i.dataset.sdApi, i.dataset.sdVerdict]));
}

test('paste a log, diagnose, switch apps, copy, clear', async () => {
  // Two apps read; the last one read is current.
  const tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state?.apps.length === 1, { what: 'app A' });
  await tab.goto(APP_B);
  await waitFor(async () => (await storedState(browser)).state?.current_app === 'ks702345118890', { what: 'app B' });

  const popup = await openExtensionPage(browser, 'popup.html');
  const select = popup.locator('[data-sd-input="app"]');
  await waitFor(async () => (await select.locator('option').count()) === 2, { what: 'both apps listed' });
  assert.equal(await select.inputValue(), 'ks702345118890');
  assert.equal(await popup.locator('[data-sd-list="findings"] li').count(), 0);

  // Paste and diagnose: one finding per API, each with its verdict and an explanation.
  await popup.fill('textarea[data-sd-input="failure-text"]', LOG);
  await popup.click('[data-sd-action="diagnose"]');
  await waitFor(async () => (await findings(popup)).length === 3, { what: 'three findings' });
  assert.deepEqual(await findings(popup), [
    ['open.item.get', 'reauthorize'],
    ['open.order.cursor.list', 'reauthorize'],
    ['open.seller.order.refund.detail', 'refresh-token'],
  ]);
  assert.match(await popup.locator('[data-sd-slot="paste-status"]').textContent(), /3/);
  assert.match(await popup.locator('li[data-sd-api="open.seller.order.refund.detail"] .explain').textContent(), /过期/);
  assert.equal(await popup.locator('li[data-sd-verdict="reauthorize"] [data-sd-action="copy-auth-link"]').count(), 2);
  assert.equal(await popup.locator('li[data-sd-verdict="refresh-token"] [data-sd-action="copy-auth-link"]').count(), 0);

  // The QR code is the current app's mobile link.
  const qr = popup.locator('canvas[data-sd-slot="qr"]');
  await waitFor(() => qr.isVisible(), { what: 'the QR code' });
  const qrLink = parseLink(await qr.getAttribute('data-sd-link'));
  assert.equal(qrLink.origin, 'https://open.kuaishou.com');
  assert.equal(qrLink.appId, 'ks702345118890');
  assert.ok((await qr.evaluate((c) => c.width)) > 100);

  // Copy the first link of a reauthorize finding.
  await popup.click('li[data-sd-api="open.item.get"] [data-sd-action="copy-auth-link"]');
  await waitFor(async () => (await popup.locator('li[data-sd-api="open.item.get"] [data-sd-action="copy-auth-link"]').textContent()) === '已复制', { what: 'the copied note' });
  await tab.bringToFront();
  const copied = await waitFor(async () => {
    const text = await tab.evaluate(() => navigator.clipboard.readText());
    return text.startsWith('https://open.kwaixiaodian.com/oauth/authorize') ? text : null;
  }, { what: 'the link on the clipboard' });
  const link = parseLink(copied);
  assert.equal(link.appId, 'ks702345118890');
  assert.equal(link.redirectUri, 'http://127.0.0.1:8080/kwai/callback?env=dev&v=2');
  assert.deepEqual(link.scopes, ['user_info', 'merchant_item', 'merchant_order']);

  await popup.bringToFront();

  // Switch to app A, which does not hold merchant_order: that API now needs an application.
  await select.selectOption('ks685673047213');
  await waitFor(async () => (await findings(popup))[1]?.[1] === 'apply', { what: 'the verdicts of app A' });
  assert.equal((await storedState(browser)).state.current_app, 'ks685673047213');
  assert.equal(parseLink(await qr.getAttribute('data-sd-link')).appId, 'ks685673047213');

  // Text naming no API says so.
  await popup.fill('textarea[data-sd-input="failure-text"]', 'something went wrong');
  await popup.click('[data-sd-action="diagnose"]');
  await waitFor(async () => /open\.item\.get/.test(await popup.locator('[data-sd-slot="paste-status"]').textContent()), { what: 'the no-API message' });

  // Clear every mark.
  await popup.click('[data-sd-action="clear-marks"]');
  await waitFor(async () => (await findings(popup)).length === 0, { what: 'the list to empty' });
  assert.deepEqual((await storedState(browser)).state.marks, []);
  assert.ok(await popup.locator('[data-sd-slot="no-failing"]').isVisible());
  assert.deepEqual(foreignRequests(browser), []);
});
