// Shared set-up for the browser tests: Debian's Chromium with the built extension loaded, the
// console's pages served at their real URLs (with the console's CSP), and a record of every
// request so a test can prove nothing left for another host.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, extensionArgs } from '../../www/chromium.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const DIST = path.join(ROOT, 'dist', 'chrome');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
export const PAGES = path.join(HERE, 'pages');

export const CONSOLE = 'https://open.kwaixiaodian.com';
/** The console's CSP as the contract states it: no inline script, no wasm for page scripts. */
export const CONSOLE_CSP = "script-src 'self'; object-src 'none'";

export const URLS = {
  apiItemGet: `${CONSOLE}/zone/new/docs/api?name=open.item.get&version=1`,
  app: `${CONSOLE}/zone/new/console/app/detail?appKey=ks685673047213`,
};

/** The app of tests/fixtures/app-ant-descriptions.html, as its expected.json states it. */
export const FIXTURE_APP = {
  appKey: 'ks685673047213',
  callback: 'https://example.com/cb?x=1',
  owned: ['user_info', 'merchant_item'],
};

export function fixture(name) {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function page(name) {
  return fs.readFileSync(path.join(PAGES, name), 'utf8');
}

if (!fs.existsSync(path.join(DIST, 'manifest.json'))) {
  throw new Error(`${DIST} has no manifest.json: run ./build.sh (or ./build.sh wasm && node extension/pack.mjs) first`);
}

/** A browser profile directory that outlives one launch (see `launch({profile})`). */
export function newProfile() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sd-e2e-profile-'));
}

/**
 * Launches Chromium with the extension and a site: `site` maps a console URL (without its
 * fragment) to `{body, type?, csp?}`; `csp: null` serves without a CSP header.
 * `profile` (from newProfile()) reuses a profile, as a browser restart does; the caller removes
 * it. Without it the profile is temporary and removed on close.
 * Returns {context, extensionId, worker, site, requests, blocked, dialogs, close}.
 */
export async function launch({ extension = DIST, profile = null } = {}) {
  const userDataDir = profile ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sd-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: extensionArgs(extension),
  });
  // Everything here answers within a second or two; fail fast instead of after 30 s.
  context.setDefaultTimeout(8000);
  const site = new Map();
  const requests = [];
  const blocked = [];
  const dialogs = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('page', (p) => p.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  }));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('chrome-extension://')) return route.continue();
    if (url.startsWith(`${CONSOLE}/`)) {
      const entry = site.get(url.split('#')[0]);
      if (!entry) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });
      const headers = {};
      const csp = entry.csp === undefined ? CONSOLE_CSP : entry.csp;
      if (csp) headers['Content-Security-Policy'] = csp;
      return route.fulfill({ body: entry.body, contentType: entry.type || 'text/html; charset=utf-8', headers });
    }
    blocked.push(url);
    return route.abort();
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  const extensionId = new URL(worker.url()).host;
  const close = async () => {
    await context.close();
    if (!profile) fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, extensionId, worker, site, requests, blocked, dialogs, close };
}

/** Requests that went (or tried to go) anywhere but the console and the extension itself. */
export function foreignRequests(browser) {
  const local = (url) => url.startsWith(`${CONSOLE}/`) || url.startsWith('chrome-extension://') || url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank';
  return [...browser.requests.filter((url) => !local(url)), ...browser.blocked];
}

/** The extension's stored record, read in its service worker. */
export async function storedState(browser) {
  return browser.worker.evaluate(() => chrome.storage.local.get(null));
}

/** Opens an extension page (popup.html, options.html) in a tab. */
export async function openExtensionPage(browser, file) {
  const tab = await browser.context.newPage();
  await tab.goto(`chrome-extension://${browser.extensionId}/${file}`);
  return tab;
}

/** Splits an authorization link into what contract.md "The link" checks. */
export function parseLink(link) {
  const url = new URL(link);
  const params = [...url.searchParams.keys()];
  return {
    origin: url.origin,
    path: url.pathname,
    appId: url.searchParams.get('app_id'),
    redirectUri: url.searchParams.get('redirect_uri'),
    scopes: (url.searchParams.get('scope') || '').split(','),
    responseType: url.searchParams.get('response_type'),
    params,
  };
}

/** Polls `probe` until it returns a truthy value (or throws after `timeout` ms). */
export async function waitFor(probe, { timeout = 5000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Every Scope Doctor host on a page, as {kind, api, scope, verdict, ok}. */
export async function badges(tab) {
  return tab.locator('[data-sd-host]').evaluateAll((hosts) =>
    hosts.map((h) => ({
      kind: h.getAttribute('data-sd-host'),
      api: h.getAttribute('data-sd-api'),
      scope: h.getAttribute('data-sd-scope'),
      verdict: h.getAttribute('data-sd-verdict'),
      ok: h.getAttribute('data-sd-ok'),
    })),
  );
}

/**
 * Waits until `api` is stored as marked failing. The badge's verdict is no proof: it shows as
 * soon as an app is known, before the mark is saved.
 */
export async function markStored(browser, api) {
  await waitFor(async () => (await storedState(browser)).state?.marks.some((m) => m.api === api), { what: `${api} stored as failing` });
}

/**
 * The usual starting point: the fixture app read (it becomes current) and open.item.get marked
 * failing on its API page. Leaves the tab closed.
 */
export async function appReadAndApiMarked(browser) {
  browser.site.set(URLS.app, { body: fixture('app-ant-descriptions.html') });
  browser.site.set(URLS.apiItemGet, { body: fixture('api-ant-descriptions.html') });
  const tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await waitFor(async () => (await storedState(browser)).state?.current_app, { what: 'the app' });
  await tab.goto(URLS.apiItemGet);
  await tab.locator('[data-sd-action="mark-failing"]').click();
  await tab.locator('[data-sd-host="api"][data-sd-verdict]').waitFor();
  await markStored(browser, 'open.item.get');
  await tab.close();
}
