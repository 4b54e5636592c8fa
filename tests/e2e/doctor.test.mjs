// The auth doctor in the extension: a pasted link is checked like `scope-doctor check-link`,
// authorization-page errors get their verdict with the corrected link, merchants are named,
// the 发起授权 dialog's link is checked on 授权管理, and the token reading is scoped, shown and
// cleared in the popup — and never stored with the pasted text.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, FIXTURE_APP, URLS, fixture, launch, openExtensionPage, parseLink, storedState, waitFor } from './helpers.mjs';

const USERS = `${CONSOLE}/zone/new/console/auth/testUser?appKey=ks685673047213`;
const TOKEN = `${CONSOLE}/zone/new/tool/auth/authStatus`;
const GOOD_REDIRECT = 'https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1';
const BAD_LINK = `https://open.kwaixiaodian.com/oauth/authorize?app_id=${FIXTURE_APP.appKey}&redirect_uri=http%3A%2F%2Fexample.com%2Fcb&scope=user_info&response_type=code`;

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  const dialog = fixture('users-ant-table-dialog.html').replaceAll(`redirect_uri=${GOOD_REDIRECT}&amp;scope=user_info,merchant_item`, 'redirect_uri=https%3A%2F%2Fexample.com%2Fcb%2F&amp;scope=user_info,merchant_item');
  browser.site.set(USERS, { body: dialog });
  browser.site.set(TOKEN, { body: fixture('b2-token-english-tabs.html') });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE });
  const tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state?.current_app === FIXTURE_APP.appKey, { what: 'the app read' });
  await tab.close();
});
after(() => browser?.close());

async function paste(popup, text) {
  await popup.fill('textarea[data-sd-input="failure-text"]', text);
  await popup.click('[data-sd-action="diagnose"]');
}

test('a pasted link is checked: one element per problem, the corrected link one click away', async () => {
  const popup = await openExtensionPage(browser, 'popup.html');
  await paste(popup, `商家打开后显示 Invalid url：${BAD_LINK}`);
  const problems = popup.locator('[data-sd-list="link-checks"] [data-sd-link-problem]');
  await waitFor(async () => (await problems.count()) > 0, { what: 'the link problems' });
  const codes = await problems.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-sd-link-problem')));
  assert.deepEqual(codes, ['redirect-uri-mismatch', 'scope-lacks-held']);
  // The fix-link finding concerns no API and carries the corrected link too.
  const finding = popup.locator('[data-sd-list="pasted"] li[data-sd-verdict="fix-link"]');
  assert.equal(await finding.count(), 1);
  assert.equal(await finding.getAttribute('data-sd-api'), null);

  await popup.locator('[data-sd-list="link-checks"] [data-sd-action="copy-auth-link"]').click();
  const console_ = await browser.context.newPage();
  await console_.goto(URLS.app);
  const copied = await waitFor(async () => {
    const text = await console_.evaluate(() => navigator.clipboard.readText());
    return text.startsWith('https://open.kwaixiaodian.com/oauth/authorize') ? text : null;
  }, { what: 'the corrected link on the clipboard' });
  const link = parseLink(copied);
  assert.equal(link.redirectUri, FIXTURE_APP.callback);
  assert.deepEqual(link.scopes, FIXTURE_APP.owned);

  // A correct link has no problem element at all.
  const right = `https://open.kwaixiaodian.com/oauth/authorize?app_id=${FIXTURE_APP.appKey}&redirect_uri=${GOOD_REDIRECT}&scope=user_info,merchant_item&response_type=code`;
  await paste(popup, right);
  await waitFor(async () => (await popup.locator('[data-sd-link-check="ok"]').count()) === 1, { what: 'the link said right' });
  assert.equal(await popup.locator('[data-sd-link-problem]').count(), 0);
  await console_.close();
  await popup.close();
});

test('authorization-page errors and merchants: add-user with the link, shops named, nothing secret stored', async () => {
  const popup = await openExtensionPage(browser, 'popup.html');
  await paste(popup, 'userId=2002 不属于此应用的授权用户或测试用户 access_token=ChFvSECRETtoken');
  const addUser = popup.locator('[data-sd-list="pasted"] li[data-sd-verdict="add-user"]');
  await waitFor(async () => (await addUser.count()) === 1, { what: 'the add-user finding' });
  assert.equal(await addUser.getAttribute('data-sd-merchant'), '2002');
  assert.equal(await addUser.locator('[data-sd-action="copy-auth-link"]').count(), 1);

  const log = ['1001', '1002'].map((shop) => `method=open.item.get shopId=${shop} {"result":28,"error_msg":"token中无scope权限"} access_token=ChFvSECRET${shop}`).join('\n');
  await paste(popup, log);
  const chips = popup.locator('[data-sd-list="findings"] [data-sd-merchant]');
  await waitFor(async () => (await chips.count()) === 2, { what: 'both shops named' });
  assert.deepEqual(await chips.evaluateAll((nodes) => nodes.map((n) => [n.dataset.sdMerchant, n.dataset.sdVerdict])), [
    ['1001', 'reauthorize'],
    ['1002', 'reauthorize'],
  ]);
  // An unrecognised text is said plainly, with no link.
  await paste(popup, 'something else went wrong');
  const unknown = popup.locator('[data-sd-list="pasted"] li[data-sd-verdict="not-scope-error"]');
  await waitFor(async () => (await unknown.count()) === 1, { what: 'the unrecognised error' });
  assert.match(await unknown.textContent(), /不认识这个错误/);
  assert.equal(await unknown.locator('[data-sd-action="copy-auth-link"]').count(), 0);

  const stored = JSON.stringify(await storedState(browser));
  assert.ok(!stored.includes('SECRET'), 'a pasted token is never stored');
  await popup.close();
});

test('授权管理: the 发起授权 dialog link gets the link doctor; the token reading is scoped and cleared', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(USERS);
  const users = tab.locator('[data-sd-host="users"]');
  await users.waitFor();
  await waitFor(async () => (await users.getAttribute('data-sd-ok')) === 'false', { what: 'the dialog check' });
  const codes = await users.evaluate((h) => [...h.shadowRoot.querySelectorAll('[data-sd-link-problem]')].map((n) => n.getAttribute('data-sd-link-problem')));
  assert.deepEqual(codes, ['redirect-uri-mismatch']);
  assert.equal(await users.locator('[data-sd-action="copy-auth-link"]').count(), 1);

  // The token tool: visiting changes nothing until a result is read; the popup shows and clears it.
  await tab.goto(TOKEN);
  await waitFor(async () => (await storedState(browser)).state?.token_reading, { what: 'the token reading' });
  const state = (await storedState(browser)).state;
  assert.equal(state.token_reading.app_key, FIXTURE_APP.appKey);
  const popup = await openExtensionPage(browser, 'popup.html');
  const slot = popup.locator('[data-sd-slot="token"]');
  await waitFor(async () => (await slot.textContent()).includes(FIXTURE_APP.appKey), { what: 'the reading shown' });
  await popup.click('[data-sd-action="clear-token"]');
  await waitFor(async () => !(await storedState(browser)).state?.token_reading, { what: 'the reading cleared' });
  await popup.close();
  await tab.close();
});

test('授权查询工具 as a checkbox list: only ticked packages are the token’s, read live, and a tick made later is read again', async () => {
  const BOXES = `${TOKEN}?view=boxes`;
  browser.site.set(BOXES, { body: fixture('token-checkbox-group.html') });
  const tab = await browser.context.newPage();
  await tab.goto(BOXES);
  const scopes = async () => (await storedState(browser)).state?.token_reading?.scopes?.join(' ');
  await waitFor(async () => (await scopes()) === 'user_info merchant_item merchant_order merchant_logistics', { what: 'the ticked packages read' });

  // The page unticks one box (the property: what a framework sets) and ticks another (the attribute).
  await tab.evaluate(() => {
    const box = (value) => document.querySelector(`input[value="${value}"]`);
    box('merchant_order').checked = false;
    box('merchant_cs').setAttribute('checked', '');
  });
  await waitFor(async () => (await scopes()) === 'user_info merchant_item merchant_logistics merchant_cs', { what: 'the new ticks read' });
  await tab.close();
});
