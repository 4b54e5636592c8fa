// contract.md "The extension", the parts the other files do not already walk through: where the
// attributes are (and are not), the copy button wherever a reauthorize verdict shows, several
// failing APIs on one package row, package names, and that a page script cannot mark an API or
// write the clipboard by dispatching clicks into our open shadow roots.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, FIXTURE_APP, URLS, fixture, foreignRequests, launch, openExtensionPage, parseLink, storedState, waitFor } from './helpers.mjs';

const NO_PACKAGE_API = `${CONSOLE}/zone/new/docs/api?name=open.security.log.order&version=1`;
const TOKEN = `${CONSOLE}/zone/new/tool/auth/authStatus`;
const TWO_ITEM_APIS = `method=open.item.get {"error_msg":"token中无scope权限"}
method=open.item.list.get {"error_msg":"token中无scope权限"}`;
const SENTINEL = 'clipboard before the synthetic click';

let browser;
let tab;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(URLS.apiItemGet, { body: fixture('api-ant-descriptions.html') });
  browser.site.set(NO_PACKAGE_API, { body: fixture('api-no-package.html') });
  // A token without merchant_item: the app holds it, so the merchant must re-authorize.
  browser.site.set(TOKEN, { body: fixture('b2-token-english-tabs.html') });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE });
  tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state?.current_app === FIXTURE_APP.appKey, { what: 'the app' });
});
after(() => browser?.close());

async function marks() {
  return (await storedState(browser)).state.marks.map((m) => m.api);
}

async function clipboard() {
  return tab.evaluate(() => navigator.clipboard.readText());
}

/** Every element (shadow roots pierced) carrying `attribute`, with where it sits. */
async function carriers(attribute) {
  return tab.locator(`[${attribute}]`).evaluateAll((nodes, name) =>
    nodes.map((n) => ({
      value: n.getAttribute(name),
      inShadow: n.getRootNode() instanceof ShadowRoot,
      openHost: Boolean(n.shadowRoot),
      row: n.closest('tr')?.textContent ?? null,
      hasCopy: Boolean(n.shadowRoot?.querySelector('[data-sd-action="copy-auth-link"]')),
    })), attribute);
}

/** The page (main world, like any page script) clicks our control without the user. */
async function syntheticClicks(hostSelector, action) {
  await tab.evaluate(([host, name]) => {
    const control = document.querySelector(host).shadowRoot.querySelector(`[data-sd-action="${name}"]`);
    control.click();
    control.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
    control.dispatchEvent(new PointerEvent('click', { bubbles: true, composed: true }));
  }, [hostSelector, action]);
  await tab.waitForTimeout(400); // what a handled click would take to reach storage and redraw
}

test('API page: attributes on the open shadow root host beside the name; empty data-sd-scope when none', async () => {
  await tab.goto(URLS.apiItemGet);
  await tab.locator('[data-sd-host="api"]').waitFor();
  const [api] = await carriers('data-sd-api');
  assert.deepEqual([api.value, api.inShadow, api.openHost], ['open.item.get', false, true]);
  assert.equal(await tab.locator('[data-sd-host="api"]').getAttribute('data-sd-scope'), 'merchant_item');

  await tab.goto(NO_PACKAGE_API);
  const host = tab.locator('[data-sd-host="api"][data-sd-api="open.security.log.order"]');
  await host.waitFor();
  assert.equal(await host.getAttribute('data-sd-scope'), '', 'present, and empty: no package known');
  assert.equal(await host.locator('[data-sd-action="mark-failing"]').count(), 1);
});

test('a page script cannot mark an API or write the clipboard through synthetic clicks', async () => {
  await tab.goto(URLS.apiItemGet);
  const host = '[data-sd-host="api"]';
  await tab.locator(host).waitFor();
  await syntheticClicks(host, 'mark-failing');
  assert.deepEqual(await marks(), [], 'not marked');
  assert.equal(await tab.locator(`${host} [data-sd-action="mark-failing"]`).getAttribute('aria-pressed'), 'false');

  // The user's own click does mark it, and brings the copy buttons.
  await tab.locator(`${host} [data-sd-action="mark-failing"]`).click();
  await tab.locator(`${host}[data-sd-verdict="reauthorize"]`).waitFor();
  await tab.evaluate((text) => navigator.clipboard.writeText(text), SENTINEL);
  await syntheticClicks(host, 'copy-auth-link');
  assert.equal(await clipboard(), SENTINEL, 'the clipboard is untouched');
  await syntheticClicks(host, 'mark-failing');
  assert.deepEqual(await marks(), ['open.item.get'], 'still marked');

  // The app page's badges and summary refuse synthetic clicks the same way.
  await tab.goto(URLS.app);
  const row = '[data-sd-host="package"]';
  await tab.locator(row).waitFor();
  await syntheticClicks(row, 'copy-auth-link');
  await syntheticClicks('[data-sd-host="summary"]', 'unmark');
  assert.equal(await clipboard(), SENTINEL);
  assert.deepEqual(await marks(), ['open.item.get']);
});

test('the mark-failing toggle: a quick double click ends where it started, one click undoes', async () => {
  await tab.goto(URLS.apiItemGet);
  const toggle = tab.locator('[data-sd-host="api"] [data-sd-action="mark-failing"]');
  await waitFor(async () => (await toggle.getAttribute('aria-pressed')) === 'true', { what: 'the marked toggle' });
  await toggle.dblclick();
  // Both clicks are applied in order (the worker serialises them), however loaded the machine.
  await waitFor(async () => (await toggle.getAttribute('aria-pressed')) === 'true' && (await marks()).length === 1, { what: 'marked again', timeout: 15_000 });
  await tab.waitForTimeout(400);
  assert.deepEqual(await marks(), ['open.item.get'], 'unmarked, then marked again');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await tab.locator('[data-sd-host="api"][data-sd-verdict="reauthorize"]').waitFor();
  // One click unmarks; the verdict stays while an app is known.
  await toggle.click();
  await waitFor(async () => (await toggle.getAttribute('aria-pressed')) === 'false', { what: 'the unpressed toggle' });
  await waitFor(async () => (await marks()).length === 0, { what: 'the mark removed' });
  assert.deepEqual(await marks(), []);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
});

test('two failing APIs on one package: a badge each beside its row, a copy button wherever reauthorize shows', async () => {
  const popup = await openExtensionPage(browser, 'popup.html');
  await popup.fill('textarea[data-sd-input="failure-text"]', TWO_ITEM_APIS);
  await popup.click('[data-sd-action="diagnose"]');
  const item = popup.locator('[data-sd-list="findings"] li[data-sd-api="open.item.list.get"]');
  await item.waitFor();
  // Ids in the attribute, the console's name for people.
  assert.equal(await item.getAttribute('data-sd-scope'), 'merchant_item');
  assert.match(await item.locator('.scopes').textContent(), /商品信息（merchant_item）/);
  assert.equal(await popup.locator('li[data-sd-verdict="reauthorize"] [data-sd-action="copy-auth-link"]').count(), 2);
  await popup.close();

  await tab.bringToFront();
  await tab.goto(URLS.app);
  await waitFor(async () => (await carriers('data-sd-api')).length === 2, { what: 'two package badges' });
  const apis = await carriers('data-sd-api');
  assert.deepEqual(apis.map((a) => a.value).sort(), ['open.item.get', 'open.item.list.get'], 'distinct data-sd-api, nothing else carries one');
  for (const badge of apis) {
    assert.ok(!badge.inShadow && badge.openHost, 'on the host of an open shadow root');
    assert.match(badge.row, /merchant_item/, 'beside the merchant_item row');
    assert.ok(badge.hasCopy, 'with its copy button');
  }
  const verdicts = await carriers('data-sd-verdict');
  assert.deepEqual(verdicts.map((v) => v.value), ['reauthorize', 'reauthorize']);
  assert.ok(verdicts.every((v) => v.hasCopy));
  assert.deepEqual((await carriers('data-sd-scope')).map((s) => s.value), ['merchant_item', 'merchant_item']);

  // The summary lists both, each with its own copy button and the package's name.
  const summary = tab.locator('[data-sd-host="summary"]');
  assert.equal(await summary.locator('li [data-sd-action="copy-auth-link"]').count(), 2);
  assert.match(await summary.locator('li[data-sd-finding="open.item.list.get"]').textContent(), /商品信息（merchant_item）/);

  await summary.locator('li[data-sd-finding="open.item.list.get"] [data-sd-action="copy-auth-link"]').click();
  const link = await waitFor(async () => ((await clipboard()).startsWith('https://') ? clipboard() : null), { what: 'the link' });
  assert.equal(parseLink(link).appId, FIXTURE_APP.appKey);
});

test('授权查询工具: a reauthorize verdict there comes with the copy button', async () => {
  await tab.evaluate((text) => navigator.clipboard.writeText(text), SENTINEL);
  await tab.goto(TOKEN);
  const token = tab.locator('[data-sd-host="token"]');
  await token.waitFor();
  assert.equal(await token.getAttribute('data-sd-ok'), 'true', 'the token lacks merchant_item: not a wrong-token case');
  assert.match(await token.evaluate((h) => h.shadowRoot.textContent), /open\.item\.get: 需商家重新授权/);
  await token.locator('[data-sd-action="copy-auth-link"]').click();
  const link = await waitFor(async () => ((await clipboard()) !== SENTINEL ? clipboard() : null), { what: 'the link' });
  const parsed = parseLink(link);
  assert.equal(parsed.appId, FIXTURE_APP.appKey);
  assert.deepEqual(new Set(parsed.scopes), new Set(FIXTURE_APP.owned));
  assert.deepEqual(foreignRequests(browser), []);
});
