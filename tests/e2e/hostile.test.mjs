// Hostile text in every field that reaches the UI — app name, callback, package rows, API page
// text and address, a pasted error — must show as text and never run. The console pages are
// served with 'unsafe-inline' allowed here, so that markup injected by mistake WOULD execute.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, foreignRequests, launch, markStored, openExtensionPage, page, parseLink, storedState, waitFor } from './helpers.mjs';

const PERMISSIVE_CSP = "script-src 'self' 'unsafe-inline'; object-src 'none'";
const APP = `${CONSOLE}/zone/new/console/app/detail?appKey=ks1234567890`;
const API = `${CONSOLE}/zone/new/docs/api?name=open.order.detail%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&version=1`;
const APP_NAME = `<img src=x onerror="window.__sdPwned='name'">"'&`;
const CALLBACK = `https://example.com/cb?a="><svg/onload=window.__sdPwned='cb'>&b='<script>alert(1)</script>`;
const PASTED = `method=open.item.get error_msg="token中无scope权限<img src=x onerror=alert('paste')>" <script>alert(2)</script> '"`;

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(APP, { body: page('hostile-app.html'), csp: PERMISSIVE_CSP });
  browser.site.set(API, { body: page('hostile-api.html'), csp: PERMISSIVE_CSP });
  browser.site.set(`${CONSOLE}/static/hostile.js`, { body: page('static/hostile.js'), type: 'application/javascript', csp: PERMISSIVE_CSP });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE });
});
after(() => browser?.close());

/** Nothing ran in the page, and none of our UI holds an element made from page text. */
async function assertInert(tab, { consolePage }) {
  const report = await tab.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll('[data-sd-host]')].map((h) => h.shadowRoot)];
    const ours = document.querySelector('[data-sd-host]') ? roots.slice(1) : [document];
    return {
      pwned: window.__sdPwned ?? null,
      pageScript: window.__sdPageScript ?? null,
      injected: ours.flatMap((r) => [...r.querySelectorAll('img, iframe, svg, object, embed, script:not([src])')].map((e) => e.outerHTML)),
    };
  });
  assert.equal(report.pwned, null, 'no injected handler ran');
  assert.deepEqual(report.injected, [], 'no element was made from text');
  if (consolePage) assert.equal(report.pageScript, true, 'the page could run script, so an injection would have');
}

test('hostile text shows as text everywhere and never runs', async () => {
  // A hostile pasted error marks open.item.get.
  const popup = await openExtensionPage(browser, 'popup.html');
  await popup.fill('textarea[data-sd-input="failure-text"]', PASTED);
  await popup.click('[data-sd-action="diagnose"]');
  await popup.locator('li[data-sd-api="open.item.get"]').waitFor();

  // The hostile app page is read: its name and callback are kept verbatim, as text.
  const tab = await browser.context.newPage();
  await tab.goto(APP);
  await waitFor(async () => (await storedState(browser)).state?.current_app === 'ks1234567890', { what: 'the hostile app' });
  const app = (await storedState(browser)).state.apps[0];
  assert.equal(app.app_name, APP_NAME);
  assert.equal(app.callback, CALLBACK);

  // The hostile API page (hostile address too): mark it failing; the app lacks its package.
  await tab.goto(API);
  const apiBadge = tab.locator('[data-sd-host="api"][data-sd-api="open.order.detail"]');
  await apiBadge.waitFor();
  await apiBadge.locator('[data-sd-action="mark-failing"]').click();
  await tab.locator('[data-sd-host="api"][data-sd-verdict="apply"]').waitFor();
  await markStored(browser, 'open.order.detail');
  assert.ok((await apiBadge.evaluate((h) => h.shadowRoot.textContent)).includes(APP_NAME), 'the app name is shown, as text');
  await assertInert(tab, { consolePage: true });

  // Back on the app page: the summary explains with the app name; the link carries the callback.
  await tab.goto(APP);
  const summary = tab.locator('[data-sd-host="summary"]');
  await summary.waitFor();
  await tab.locator('[data-sd-host="package"][data-sd-verdict="reauthorize"]').waitFor();
  assert.ok((await summary.evaluate((h) => h.shadowRoot.textContent)).includes(APP_NAME));
  await tab.locator('[data-sd-host="package"][data-sd-verdict="reauthorize"] [data-sd-action="copy-auth-link"]').click();
  const link = await waitFor(async () => {
    const text = await tab.evaluate(() => navigator.clipboard.readText());
    return text.startsWith('https://') ? text : null;
  }, { what: 'the link' });
  assert.equal(parseLink(link).redirectUri, CALLBACK, 'the callback survives byte for byte');
  assert.ok(!/[<>" ]/.test(link), 'and is encoded in the link (as encodeURIComponent does)');
  await tab.waitForTimeout(300);
  await assertInert(tab, { consolePage: true });

  // The extension's own pages show the same text inertly.
  await popup.reload();
  await popup.locator('li[data-sd-api="open.order.detail"]').waitFor();
  assert.ok((await popup.locator('li[data-sd-api="open.order.detail"] .explain').textContent()).includes(APP_NAME));
  assert.ok((await popup.locator('[data-sd-input="app"] option').textContent()).includes(APP_NAME));
  await assertInert(popup, { consolePage: false });
  const options = await openExtensionPage(browser, 'options.html');
  await options.locator('[data-sd-list="marks"] li[data-sd-api="open.item.get"]').waitFor();
  const optionsText = await options.locator('body').textContent();
  assert.ok(optionsText.includes(APP_NAME) && optionsText.includes(CALLBACK));
  // The pasted text itself is never kept (it may hold a token): only its parsed facts are.
  assert.ok(optionsText.includes('missing-scope'), 'the mark shows its error kind');
  assert.ok(!JSON.stringify(await storedState(browser)).includes("alert('paste')"), 'the pasted message is not stored');
  await assertInert(options, { consolePage: false });

  assert.deepEqual(browser.dialogs, [], 'no dialog opened');
  const strays = browser.requests.filter((url) => url.startsWith(CONSOLE) && ![APP, API, `${CONSOLE}/static/hostile.js`].includes(url));
  assert.deepEqual(strays, [], 'no request from injected markup (img src=x …)');
  assert.deepEqual(foreignRequests(browser), []);
});
