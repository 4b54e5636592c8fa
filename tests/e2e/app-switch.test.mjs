// The current app is the one whose page was read last — but an open app page that merely
// re-renders is not "read last" again: it must not undo an app switch made in the popup.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE, URLS, fixture, launch, openExtensionPage, storedState, waitFor } from './helpers.mjs';

const APP_B = `${CONSOLE}/zone/new/console/app/detail?appKey=ks702345118890`;
const current = async () => (await storedState(browser)).state?.current_app;

let browser;
before(async () => {
  browser = await launch();
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(APP_B, { body: fixture('app-cards-chinese-names.html') });
});
after(() => browser?.close());

test('a re-rendering app page keeps the popup choice; a new visit makes its app current', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await waitFor(async () => (await current()) === 'ks685673047213', { what: 'app A current' });
  await tab.goto(APP_B);
  await waitFor(async () => (await current()) === 'ks702345118890', { what: 'app B current' });

  const popup = await openExtensionPage(browser, 'popup.html');
  const select = popup.locator('[data-sd-input="app"]');
  await waitFor(async () => (await select.locator('option').count()) === 2, { what: 'both apps listed' });
  await select.selectOption('ks685673047213');
  await waitFor(async () => (await current()) === 'ks685673047213', { what: 'app A chosen in the popup' });

  // App B's open page re-renders (its name changes): the extension reads it again and learns
  // the new name, but app A stays current.
  await tab.evaluate(() => {
    const name = [...document.querySelectorAll('div')].find((d) => d.textContent === 'ERP同步工具');
    name.textContent = 'ERP同步工具（新版）';
  });
  const appB = async () => (await storedState(browser)).state.apps.find((a) => a.app_key === 'ks702345118890');
  await waitFor(async () => (await appB()).app_name === 'ERP同步工具（新版）', { what: 'the re-render read' });
  assert.equal(await current(), 'ks685673047213');

  // Opening app B's page again is a new visit: now it is the page read last.
  await tab.goto(APP_B);
  await waitFor(async () => (await current()) === 'ks702345118890', { what: 'app B current again' });
});

test('a change the page makes just before a redraw is still read and learned', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(APP_B);
  await waitFor(async () => (await current()) === 'ks702345118890', { what: 'app B current' });
  const appB = async () => (await storedState(browser)).state.apps.find((a) => a.app_key === 'ks702345118890');
  const named = async (name) => (await appB()).app_name === name;

  // The page changes, and before the debounced re-read a redraw asked by the worker (as after
  // a popup action) walks the changed page: that walk must not count as the reading.
  for (const name of ['ERP同步工具 v2', 'ERP同步工具 v3', 'ERP同步工具 v4']) {
    await tab.evaluate((next) => {
      const shown = [...document.querySelectorAll('div')].find((d) => d.textContent.startsWith('ERP同步工具'));
      shown.textContent = next;
    }, name);
    await browser.worker.evaluate(async (url) => {
      const tabs = await chrome.tabs.query({ url });
      await Promise.all(tabs.map((t) => chrome.tabs.sendMessage(t.id, { type: 'refresh' })));
    }, `${CONSOLE}/*`);
    await waitFor(() => named(name), { what: `the page's new name ${name} learned` });
  }
  await tab.close();
});
