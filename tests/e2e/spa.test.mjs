// The console is a single-page app: content that appears late, and navigation through
// history.pushState without a page load. Badges must follow: appear when the content does,
// disappear with the page they belong to, never duplicate, survive a framework re-render.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, badges, foreignRequests, launch, page, waitFor } from './helpers.mjs';

const ITEM = `${CONSOLE}/zone/new/docs/api?name=open.item.get&version=1`;
const ORDER = `${CONSOLE}/zone/new/docs/api?name=open.order.detail&version=1`;
const HOME = `${CONSOLE}/zone/new/console`;
// An address that names no API: only the late content says what the page is.
const LATE = `${CONSOLE}/zone/new/docs/late`;
// An address that names the API: the badge is there at once, and moves beside the name later.
const LATE_NAMED = `${CONSOLE}/zone/new/docs/api?name=open.order.detail&version=2`;
const SCRIPT = 'application/javascript; charset=utf-8';

let browser;
before(async () => {
  browser = await launch();
  for (const url of [ITEM, ORDER, HOME]) browser.site.set(url, { body: page('spa.html') });
  browser.site.set(`${CONSOLE}/static/spa.js`, { body: page('static/spa.js'), type: SCRIPT });
  browser.site.set(LATE, { body: page('late-api.html') });
  browser.site.set(LATE_NAMED, { body: page('late-api.html') });
  browser.site.set(`${CONSOLE}/static/late.js`, { body: page('static/late.js'), type: SCRIPT });
});
after(() => browser?.close());

async function onlyBadge(tab, api) {
  await tab.locator(`[data-sd-host="api"][data-sd-api="${api}"]`).waitFor();
  // Let any redraw in flight settle before counting.
  await tab.waitForTimeout(250);
  const all = await badges(tab);
  assert.deepEqual(all.map((b) => b.api), [api], `exactly one badge, for ${api}`);
  return all[0];
}

test('content rendered 500 ms after load gets its badge', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(LATE, { waitUntil: 'domcontentloaded' });
  // Read both at once: while the shell is all there is, there is nothing to badge.
  const early = await tab.evaluate(() => ({ rendered: document.body.dataset.rendered, hosts: document.querySelectorAll('[data-sd-host]').length }));
  if (!early.rendered) assert.equal(early.hosts, 0, 'the loading shell has nothing to badge');
  const badge = await onlyBadge(tab, 'open.order.detail');
  assert.equal(badge.scope, 'merchant_order');
  const rendered = await tab.evaluate(() => document.body.dataset.rendered);
  assert.ok(Number(rendered) >= 500, `the content really came late (${rendered})`);
  assert.match(await tab.locator('[data-sd-host]').evaluate((h) => h.parentElement.textContent), /^open\.order\.detail/, 'beside the API name');
});

test('a badge drawn from the address alone moves beside the name once the content arrives', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(LATE_NAMED);
  await waitFor(() => tab.evaluate(() => document.body.dataset.rendered), { what: 'the late content' });
  const besideName = () =>
    tab.evaluate(() => {
      const host = document.querySelector('[data-sd-host]');
      return Boolean(host && host.parentElement && /^open\.order\.detail/.test(host.parentElement.textContent));
    });
  await waitFor(besideName, { what: 'the badge beside the API name' });
  await onlyBadge(tab, 'open.order.detail');
});

test('pushState and back: badges follow the address, old ones go, none duplicated', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(ITEM);
  assert.equal((await onlyBadge(tab, 'open.item.get')).scope, 'merchant_item');

  // Client-side navigation to another API.
  await tab.click('nav button[data-go*="open.order.detail"]');
  assert.equal(tab.url(), ORDER);
  assert.equal((await onlyBadge(tab, 'open.order.detail')).scope, 'merchant_order');

  // Back (popstate) to the first API.
  await tab.goBack();
  await onlyBadge(tab, 'open.item.get');

  // A framework re-render rebuilds the DOM and drops our host with it: it is drawn again, once.
  const before = await tab.locator('[data-sd-host]').elementHandle();
  await tab.click('nav button[data-rerender]');
  await waitFor(() => before.evaluate((h) => !h.isConnected), { what: 'the re-render to drop the old host' });
  await onlyBadge(tab, 'open.item.get');

  // A page script removing only our host (nothing else changes): it comes back, once.
  await tab.evaluate(() => document.querySelector('[data-sd-host]').remove());
  await onlyBadge(tab, 'open.item.get');

  // Quiet page, quiet extension: no redraw loop (the host stays the same element).
  const settled = await tab.locator('[data-sd-host]').elementHandle();
  await tab.waitForTimeout(600);
  assert.ok(await settled.evaluate((h) => h.isConnected), 'not redrawn while nothing changes');

  // Navigation to a page with nothing to badge leaves nothing behind.
  await tab.click('nav button[data-go="/zone/new/console"]');
  await waitFor(async () => (await badges(tab)).length === 0, { what: 'the badges to go' });
  await tab.waitForTimeout(300);
  assert.deepEqual(await badges(tab), []);
  assert.deepEqual(foreignRequests(browser), []);
});
