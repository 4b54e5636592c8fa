// The other verdicts on the app page (apply for 未获取, pending for 申请中), and the badges of
// the other page kinds: 授权管理 (users + the dialog's link check) and 授权查询工具 (token).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, URLS, badges, fixture, foreignRequests, launch, markStored, storedState, waitFor } from './helpers.mjs';

const ORDER_API = `${CONSOLE}/zone/new/docs/api?name=open.order.detail&version=1`;
const REFUND_API = `${CONSOLE}/zone/new/docs/api?name=open.seller.order.refund.detail&version=1`;
const USERS = `${CONSOLE}/zone/new/console/auth/testUser?appKey=ks685673047213`;
const TOKEN = `${CONSOLE}/zone/new/tool/auth/authStatus`;
const HOME = `${CONSOLE}/zone/new/console`;

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(ORDER_API, { body: fixture('api-h1-only-order.html') });
  browser.site.set(REFUND_API, { body: fixture('api-breadcrumb-hashed.html') });
  browser.site.set(USERS, { body: fixture('users-ant-table-dialog.html') });
  browser.site.set(TOKEN, { body: fixture('token-ids-list.html') });
  browser.site.set(HOME, { body: fixture('unknown-console-home.html') });
});
after(() => browser?.close());

async function markFailing(tab, url, api) {
  await tab.goto(url);
  const badge = tab.locator(`[data-sd-host="api"][data-sd-api="${api}"]`);
  await badge.waitFor();
  await badge.locator('[data-sd-action="mark-failing"]').click();
  await tab.locator(`[data-sd-host="api"][data-sd-api="${api}"][data-sd-verdict]`).waitFor();
  await markStored(browser, api);
  return badge.getAttribute('data-sd-verdict');
}

test('未获取 → apply, 申请中 → pending, on the API pages and the package rows', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state?.current_app, { what: 'the app to be stored' });

  assert.equal(await markFailing(tab, ORDER_API, 'open.order.detail'), 'apply');
  assert.equal(await markFailing(tab, REFUND_API, 'open.seller.order.refund.detail'), 'pending');

  await tab.goto(URLS.app);
  const apply = tab.locator('[data-sd-host="package"][data-sd-api="open.order.detail"]');
  const pending = tab.locator('[data-sd-host="package"][data-sd-api="open.seller.order.refund.detail"]');
  await apply.waitFor();
  // It points at the row's own 申请 button.
  assert.match(await apply.evaluate((h) => h.shadowRoot.textContent), /点本行的「申请」/);
  await pending.waitFor();
  assert.equal(await apply.getAttribute('data-sd-verdict'), 'apply');
  assert.match(await apply.evaluate((h) => h.closest('tr').textContent), /merchant_order/);
  assert.equal(await pending.getAttribute('data-sd-verdict'), 'pending');
  assert.match(await pending.evaluate((h) => h.closest('tr').textContent), /merchant_refund/);
  // No link for a package the app does not hold yet.
  assert.equal(await tab.locator('[data-sd-action="copy-auth-link"]').count(), 0);
  const listed = await tab.locator('[data-sd-host="summary"] li').evaluateAll((items) => items.map((i) => [i.dataset.sdFinding, i.dataset.sdFindingVerdict]));
  assert.deepEqual(listed, [['open.order.detail', 'apply'], ['open.seller.order.refund.detail', 'pending']]);
  assert.equal((await badges(tab)).length, 3, 'summary + two package rows');
});

test('授权管理 and 授权查询工具 show their checks; other console pages stay untouched', async () => {
  const tab = await browser.context.newPage();

  await tab.goto(USERS);
  const users = tab.locator('[data-sd-host="users"]');
  await users.waitFor();
  // The failing APIs need merchant_order and merchant_refund; the dialog's link lacks them.
  assert.equal(await users.getAttribute('data-sd-ok'), 'false');
  assert.match(await users.evaluate((h) => h.shadowRoot.textContent), /merchant_order）、售后信息（merchant_refund/);

  await tab.goto(TOKEN);
  const token = tab.locator('[data-sd-host="token"]');
  await token.waitFor();
  assert.equal(await token.getAttribute('data-sd-scope'), 'user_info merchant_item merchant_order');
  assert.ok(['true', 'false'].includes(await token.getAttribute('data-sd-ok')));

  await tab.goto(HOME);
  await tab.waitForTimeout(400);
  assert.deepEqual(await badges(tab), []);
  assert.deepEqual(foreignRequests(browser), []);
});
