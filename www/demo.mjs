#!/usr/bin/env node
// The one-command demo (`./build.sh demo`): Chromium with dist/chrome loaded, the example console
// pages served at the real console URLs (with the console's strict script CSP), and the www
// playground on localhost. Nothing leaves the machine: every other request is aborted.
//
//   node www/demo.mjs               headed window on the app page when there is a DISPLAY (Ctrl-C ends)
//   node www/demo.mjs --headless    walks the whole flow, screenshots each step into demo-out/,
//                                   checks the copied link, exits 0 (or 1 naming the failed step)
//   node www/demo.mjs --headless --update-img   also copies the screenshots to www/img/
import { chromium } from 'playwright-core';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from './serve.mjs';
import { blockOutside, CONSOLE_ORIGIN, routeConsole } from './console/router.mjs';
import { extensionArgs } from './chromium.mjs';

const WWW = dirname(fileURLToPath(import.meta.url));
const ROOT = join(WWW, '..');
const EXTENSION = join(ROOT, 'dist', 'chrome');
const OUT = join(ROOT, 'demo-out');
const IMG = join(WWW, 'img');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const APP_URL = `${CONSOLE_ORIGIN}/zone/new/app/detail?appKey=ks721596384012`;
const API_URL = `${CONSOLE_ORIGIN}/zone/new/docs/api?name=open.item.get&version=1`;
const USERS_URL = `${CONSOLE_ORIGIN}/zone/new/auth/testUsers`;
const TOKEN_URL = `${CONSOLE_ORIGIN}/zone/new/tool/auth/authStatus`;
const WAIT = 15_000;

// What the popup step pastes: one API the app holds the package for, one it lacks.
const POPUP_LOG = [
  'method=open.order.cursor.list {"result":28,"error_msg":"token中无scope权限"}',
  'method=open.item.get {"result":28,"error_msg":"token中无scope权限"}',
].join('\n');

const USAGE = `usage: node www/demo.mjs [--headless] [--update-img]
  --headless     walk the flow headless, save demo-out/NN-step.png, check the link (default without DISPLAY)
  --update-img   after a successful headless run, copy the screenshots to www/img/
  --help         this text`;

// ---- setup and teardown ----

function options() {
  try {
    const { values } = parseArgs({
      options: { headless: { type: 'boolean' }, 'update-img': { type: 'boolean' }, help: { type: 'boolean' } },
    });
    return values;
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    process.exit(2);
  }
}

async function requireExtension() {
  const manifest = await stat(join(EXTENSION, 'manifest.json')).catch(() => null);
  if (!manifest) throw new Error(`no extension at ${EXTENSION}: run ./build.sh (or node extension/pack.mjs) first`);
}

/** Chromium with the extension, the console routes and the network closed; design.md's args. */
async function launch(headless) {
  const profile = await mkdtemp(join(tmpdir(), 'scope-doctor-demo-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    // Our own SIGINT handler closes the browser, the server and the temp profile in order.
    handleSIGINT: false,
    handleSIGTERM: false,
    viewport: { width: 1280, height: 860 },
    locale: 'zh-CN',
    args: extensionArgs(EXTENSION),
  });
  const blocked = [];
  await blockOutside(context, (url) => blocked.push(url));
  await routeConsole(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE_ORIGIN });
  return { context, profile, blocked };
}

async function serviceWorker(context) {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: WAIT }));
}

async function extensionId(context) {
  return new URL((await serviceWorker(context)).url()).host;
}

/** Closes everything once, whichever way the run ends (success, failure, Ctrl-C). */
function makeCleanup(resources) {
  let done = null;
  return () =>
    (done ??= (async () => {
      await resources.context?.close().catch(() => {});
      await resources.server?.close().catch(() => {});
      if (resources.profile) await rm(resources.profile, { recursive: true, force: true }).catch(() => {});
    })());
}

// ---- what the console pages say (the oracle the copied link is checked against) ----

/** appKey, 回调地址 and the 已获取 package ids, read from the example app page's own tables. */
async function readAppPage(page) {
  const cell = async (label) => (await page.locator(`th:text-is("${label}") + td`).first().innerText()).trim();
  const callback = (await cell('回调地址')).replace(/\s*修改$/, '');
  const owned = await page
    .locator('tbody tr', { hasText: '已获取' })
    .locator('.sub')
    .allInnerTexts();
  return { appKey: await cell('appKey'), callback, owned: owned.map((s) => s.trim()) };
}

/** What is wrong with an authorization link, by contract.md's rules ([] when nothing). */
function linkProblems(link, app) {
  let url;
  try {
    url = new URL(link);
  } catch {
    return [`not a URL: ${JSON.stringify(link)}`];
  }
  const problems = [];
  const q = url.searchParams;
  const scopes = (q.get('scope') ?? '').split(',').filter(Boolean);
  if (`${url.protocol}//${url.host}${url.pathname}` !== 'https://open.kwaixiaodian.com/oauth/authorize') problems.push(`wrong endpoint ${url.origin}${url.pathname}`);
  if (q.get('app_id') !== app.appKey) problems.push(`app_id ${q.get('app_id')} ≠ appKey ${app.appKey}`);
  if (q.get('redirect_uri') !== app.callback) problems.push(`redirect_uri ${q.get('redirect_uri')} ≠ 回调地址 ${app.callback}`);
  if (scopes.length !== app.owned.length || !app.owned.every((s) => scopes.includes(s))) problems.push(`scope ${scopes.join(',')} ≠ owned ${app.owned.join(',')}`);
  if (q.get('response_type') !== 'code') problems.push(`response_type ${q.get('response_type')} ≠ code`);
  const extra = [...q.keys()].filter((k) => !['app_id', 'redirect_uri', 'scope', 'response_type', 'state'].includes(k));
  if (extra.length) problems.push(`unexpected parameters ${extra.join(', ')}`);
  return problems;
}

/**
 * Waits until the extension's storage mentions the app, so the next page is not opened before
 * the content script reported this one (a person is never that fast; a script is).
 */
async function waitForStoredApp(context, appKey) {
  const worker = await serviceWorker(context);
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    const stored = await worker.evaluate(() => chrome.storage.local.get(null).then((all) => JSON.stringify(all)));
    if (stored.includes(appKey)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the extension did not record app ${appKey} from its detail page within ${WAIT / 1000} s`);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- the headless walk ----

/** Runs named steps in order; each saves demo-out/NN-name.png. Throws naming the failed step. */
function stepper(page) {
  let n = 0;
  const shots = [];
  async function step(name, run) {
    n += 1;
    const file = `${String(n).padStart(2, '0')}-${name}.png`;
    try {
      const note = await run();
      await page.current.screenshot({ path: join(OUT, file), fullPage: true });
      shots.push(file);
      console.log(`  ✓ ${file}${note ? `  ${note}` : ''}`);
    } catch (err) {
      await page.current?.screenshot({ path: join(OUT, file.replace('.png', '-FAILED.png')), fullPage: true }).catch(() => {});
      throw new Error(`step ${n} (${name}) failed: ${err.message.split('\n')[0]}`);
    }
  }
  return { step, shots };
}

async function walk(context, siteUrl) {
  const page = await context.newPage();
  const cursor = { current: page };
  const { step, shots } = stepper(cursor);
  let app;
  let copied;

  await step('extensions-page', async () => {
    // What install.html tells users to do by hand: developer mode on, the unpacked extension listed.
    await page.goto('chrome://extensions');
    const devMode = page.locator('#devMode');
    await devMode.waitFor({ timeout: WAIT });
    if ((await devMode.getAttribute('aria-pressed')) !== 'true') await devMode.click();
    await page.locator('extensions-item', { hasText: 'Scope Doctor' }).waitFor({ timeout: WAIT });
    return `loaded as ${await extensionId(context)}`;
  });

  await step('app-detail', async () => {
    await page.goto(APP_URL);
    app = await readAppPage(page);
    await waitForStoredApp(context, app.appKey);
    return `appKey ${app.appKey}, 回调地址 ${app.callback}, 已获取 ${app.owned.join(',')}`;
  });

  await step('api-mark-failing', async () => {
    // Before marking: the package, and what would be done if this API failed.
    await page.goto(API_URL);
    const toggle = page.locator('[data-sd-action="mark-failing"]').first();
    await toggle.waitFor({ timeout: WAIT });
    return `toggle ${await toggle.textContent()}`;
  });

  await step('api-verdict', async () => {
    // After marking: the toggle pressed, the verdict and the copy buttons for a failing API.
    const toggle = page.locator('[data-sd-action="mark-failing"]').first();
    await toggle.click();
    await page.locator('[data-sd-action="mark-failing"][aria-pressed="true"]').first().waitFor({ timeout: WAIT });
    const badge = page.locator('[data-sd-api="open.item.get"][data-sd-verdict]').first();
    await badge.waitFor({ timeout: WAIT });
    const verdict = await badge.getAttribute('data-sd-verdict');
    expect(verdict === 'reauthorize', `open.item.get verdict is ${verdict}, expected reauthorize`);
    return `open.item.get → ${verdict}`;
  });

  await step('app-package-badge', async () => {
    await page.goto(APP_URL);
    const row = page.locator('tbody tr', { hasText: 'merchant_item' });
    const badge = row.locator('[data-sd-verdict="reauthorize"]').first();
    await badge.waitFor({ timeout: WAIT });
    return `merchant_item row → ${await badge.getAttribute('data-sd-verdict')}`;
  });

  await step('copy-auth-link', async () => {
    await page.bringToFront();
    await page.locator('tbody tr', { hasText: 'merchant_item' }).locator('[data-sd-action="copy-auth-link"]').first().click();
    await page.waitForTimeout(300);
  });

  await step('clipboard-vs-dialog', async () => {
    copied = await page.evaluate(() => navigator.clipboard.readText());
    console.log(`\n  copied link: ${copied}\n`);
    const problems = linkProblems(copied, app);
    expect(problems.length === 0, `the copied link does not match the app page: ${problems.join('; ')}`);
    // The console's own 发起授权 dialog must offer the same link.
    await page.goto(USERS_URL);
    await page.locator('tbody button', { hasText: '发起授权' }).first().click();
    const first = (await page.locator('[role="dialog"] [data-link="first"]').innerText()).trim();
    expect(linkProblems(first, app).length === 0, `the dialog's link does not match the app page: ${first}`);
    // The extension's own check of the dialog's link (the link doctor), shown beside it.
    const check = page.locator('[data-sd-host="users"][data-sd-ok]').first();
    await check.waitFor({ timeout: WAIT });
    await check.scrollIntoViewIfNeeded();
    return `app_id, redirect_uri and scope match the app page and the 发起授权 dialog; the dialog check says ok=${await check.getAttribute('data-sd-ok')}`;
  });

  await step('token-tool', async () => {
    await page.goto(TOKEN_URL);
    await page.locator('textarea').first().fill('ChFvYXV0aC5hY2Nlc3NUb2tlbhJg-demo-token');
    await page.locator('button', { hasText: '查询' }).click();
    await page.locator('li', { hasText: 'user_info' }).first().waitFor({ timeout: WAIT });
    await page.waitForTimeout(500); // let the extension's token badge arrive for the screenshot
  });

  await step('popup-diagnose', async () => {
    const id = await extensionId(context);
    const popup = await context.newPage();
    cursor.current = popup;
    await popup.setViewportSize({ width: 420, height: 760 });
    await popup.goto(`chrome-extension://${id}/popup.html`);
    await popup.locator('textarea[data-sd-input="failure-text"]').fill(POPUP_LOG);
    await popup.locator('button[data-sd-action="diagnose"]').click();
    const finding = popup.locator('[data-sd-api="open.order.cursor.list"][data-sd-verdict]').first();
    await finding.waitFor({ timeout: WAIT });
    const verdict = await finding.getAttribute('data-sd-verdict');
    expect(verdict === 'apply', `popup: open.order.cursor.list verdict is ${verdict}, expected apply`);
    return `open.order.cursor.list → ${verdict}`;
  });

  await step('popup-english', async () => {
    const popup = cursor.current;
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'setLanguage', language: 'en' }));
    await popup.reload();
    await popup.locator('button[data-sd-action="diagnose"]', { hasText: 'Diagnose' }).waitFor({ timeout: WAIT });
    await popup.locator('[data-sd-list="findings"] li').first().waitFor({ timeout: WAIT });
    return 'the popup in English';
  });

  await step('app-page-dark', async () => {
    await cursor.current.evaluate(() => chrome.runtime.sendMessage({ type: 'setLanguage', language: 'zh' }));
    cursor.current = page;
    await page.bringToFront();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(APP_URL);
    await page.locator('[data-sd-verdict="reauthorize"]').first().waitFor({ timeout: WAIT });
    return 'badges under prefers-color-scheme: dark';
  });

  await step('playground', async () => {
    const playground = await context.newPage();
    cursor.current = playground;
    await playground.goto(siteUrl);
    await playground.locator('body[data-sd-ready]').waitFor({ timeout: WAIT });
    await playground.selectOption('[data-sd-input="example"]', 'multi');
    await playground.locator('[data-sd-action="diagnose"]').click();
    const verdicts = await playground.locator('.findings [data-sd-verdict]').evaluateAll((els) => els.map((e) => e.dataset.sdVerdict));
    expect(verdicts.includes('reauthorize'), `playground verdicts: ${verdicts.join(', ')}`);
    return verdicts.join(', ');
  });

  await assertDistinct(shots);
  return { shots, copied };
}

/** Every screenshot shows a different state: two identical files mean a step showed nothing new. */
async function assertDistinct(shots) {
  const seen = new Map();
  for (const file of shots) {
    const hash = createHash('sha256').update(await readFile(join(OUT, file))).digest('hex');
    expect(!seen.has(hash), `screenshots ${seen.get(hash)} and ${file} are identical`);
    seen.set(hash, file);
  }
  console.log(`  ✓ ${shots.length} screenshots, all distinct`);
}

async function updateImages(shots) {
  await mkdir(IMG, { recursive: true });
  for (const old of await readdir(IMG)) if (/^\d\d-.*\.png$/.test(old)) await rm(join(IMG, old));
  for (const file of shots) await copyFile(join(OUT, file), join(IMG, file));
  console.log(`copied ${shots.length} screenshots to www/img/`);
}

// ---- main ----

async function main() {
  const opts = options();
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const headless = Boolean(opts.headless) || !process.env.DISPLAY;
  const resources = {};
  const cleanup = makeCleanup(resources);
  process.once('SIGINT', () => {
    console.log('\nstopping…');
    cleanup().then(() => process.exit(130));
  });
  process.once('SIGTERM', () => cleanup().then(() => process.exit(143)));

  try {
    await requireExtension();
    resources.server = await serve(WWW);
    Object.assign(resources, await launch(headless));
    const { context, blocked } = resources;
    if (!headless) return await headed(context, resources.server.url);

    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    console.log(`Scope Doctor demo (headless): extension ${EXTENSION}, site ${resources.server.url}`);
    const { shots } = await walk(context, resources.server.url);
    if (opts['update-img']) await updateImages(shots);
    if (blocked.length) console.log(`(aborted ${blocked.length} outside request(s), e.g. ${blocked[0]})`);
    console.log(`demo ok: ${shots.length} screenshots in demo-out/`);
    return 0;
  } catch (err) {
    console.error(`demo FAILED: ${err.message}`);
    return 1;
  } finally {
    await cleanup();
  }
}

/** A window on the app page and the playground; stays until Ctrl-C or the window closes. */
async function headed(context, siteUrl) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(APP_URL);
  const playground = await context.newPage();
  await playground.goto(siteUrl);
  await page.bringToFront();
  console.log(`Scope Doctor demo: Chromium is open on ${APP_URL}
  example console pages:
    ${API_URL}
    ${CONSOLE_ORIGIN}/zone/new/docs/api?name=open.order.cursor.list&version=1
    ${USERS_URL}
    ${TOKEN_URL}
  playground: ${siteUrl}
Press Ctrl-C to stop.`);
  await new Promise((resolve) => context.once('close', resolve));
  return 0;
}

process.exitCode = await main();
