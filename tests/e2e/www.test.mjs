// The www playground in headless Debian Chromium (no extension needed), and the one-command
// demo run as a child process. Needs `./build.sh` first (www/pkg for the playground,
// dist/chrome for the demo; the demo test is skipped without it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../www/serve.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WWW = join(ROOT, 'www');

// One log, five APIs, five different answers for the example app (小店订单助手: user_info and
// merchant_item 已获取, merchant_order 未获取, merchant_refund 申请中).
const MULTI_API_LOG = [
  '10:21:07 ERROR method=open.item.get body={"result":28,"error_msg":"token中无scope权限","request_id":"8f2a"}',
  '10:21:07 ERROR method=open.order.cursor.list body={"result":28,"error_msg":"token中无scope权限"}',
  '10:21:08 ERROR method=open.refund.reject body={"result":28,"sub_msg":"token中无scope的权限"}',
  '10:21:09 ERROR method=open.item.list.get body={"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期"}',
  '10:21:10 WARN  method=open.distribution.cps.distributor.order.cursor.list body={"result":1800608,"error_msg":"暂无站外分销推广权限"}',
].join('\n');

const EXPECTED = {
  'open.item.get': 'reauthorize',
  'open.order.cursor.list': 'apply',
  'open.refund.reject': 'pending',
  'open.item.list.get': 'refresh-token',
  'open.distribution.cps.distributor.order.cursor.list': 'not-scope-error',
};

// A 回调地址 with everything encodeURIComponent must escape: query, &, =, a space-free unicode path, a fragment.
const TRICKY_CALLBACK = 'https://shop.example.com/kwai/回调?from=console&v=2&next=/a+b#done';

let server;
let browser;

before(async () => {
  assert.ok(existsSync(join(WWW, 'pkg', 'scope_doctor_bg.wasm')), 'www/pkg is missing: run ./build.sh (or ./build.sh wasm && node www/build.mjs)');
  server = await serve(WWW);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A playground page that records every request, page error and dialog, with the network closed. */
async function openPlayground() {
  const origin = server.url.replace(/\/$/, '');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const seen = { requests: [], errors: [], dialogs: [] };
  await context.route((url) => url.origin !== origin && /^(https?|wss?):$/.test(url.protocol), (route) => route.abort());
  const page = await context.newPage();
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await page.goto(server.url);
  await page.locator('body[data-sd-ready]').waitFor({ timeout: 10_000 });
  return { context, page, seen, origin };
}

async function verdicts(page) {
  return page.locator('.findings [data-sd-api]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-sd-api'), e.getAttribute('data-sd-verdict')])),
  );
}

/** Dark and light pixel counts of a canvas (a drawn QR code has plenty of both). */
async function canvasInk(locator) {
  return locator.evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    let light = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      if (data[i] < 128) dark += 1;
      else light += 1;
    }
    return { dark, light, width: canvas.width };
  });
}

test('playground: example, multi-API log, verdicts, copied link, language, QR, no outside requests', { timeout: 60_000 }, async () => {
  const { context, page, seen, origin } = await openPlayground();
  try {
    await page.selectOption('[data-sd-input="example"]', 'multi');
    assert.equal(await page.inputValue('[data-sd-input="app-key"]'), 'ks721596384012', 'the example fills the appKey');
    assert.match(await page.inputValue('[data-sd-input="packages"]'), /商品信息 已获取/);

    await page.fill('textarea[data-sd-input="failure-text"]', MULTI_API_LOG);
    await page.fill('[data-sd-input="callback"]', TRICKY_CALLBACK);
    await page.click('button[data-sd-action="diagnose"]');
    assert.deepEqual(await verdicts(page), EXPECTED);
    const item = page.locator('.findings [data-sd-api="open.item.get"]');
    assert.equal(await item.getAttribute('data-sd-scope'), 'merchant_item');
    assert.match(await item.locator('.explain').innerText(), /商家/, 'Chinese by default');

    // Copy the first link and check it against the inputs, by meaning (contract.md "The link").
    await item.locator('[data-sd-action="copy-auth-link"]').click();
    const link = new URL(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(`${link.origin}${link.pathname}`, 'https://open.kwaixiaodian.com/oauth/authorize');
    assert.equal(link.searchParams.get('app_id'), await page.inputValue('[data-sd-input="app-key"]'));
    assert.equal(link.searchParams.get('redirect_uri'), await page.inputValue('[data-sd-input="callback"]'));
    assert.equal(link.searchParams.get('redirect_uri'), TRICKY_CALLBACK);
    assert.deepEqual(link.searchParams.get('scope').split(',').sort(), ['merchant_item', 'user_info']);
    assert.equal(link.searchParams.get('response_type'), 'code');
    assert.deepEqual([...link.searchParams.keys()].sort(), ['app_id', 'redirect_uri', 'response_type', 'scope']);

    // The QR code of the mobile link is drawn.
    const ink = await canvasInk(item.locator('canvas[data-sd-qr]'));
    assert.ok(ink.width > 0 && ink.dark > 500 && ink.light > 500, `QR canvas looks blank: ${JSON.stringify(ink)}`);

    // English: the UI strings and Rust's explanation both switch; verdicts do not change.
    await page.click('[data-sd-action="language"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal((await page.innerText('button[data-sd-action="diagnose"]')).trim(), 'Diagnose');
    assert.match(await item.locator('.explain').innerText(), /merchant.*authoriz/i);
    assert.doesNotMatch(await item.locator('.explain').innerText(), /商家/);
    assert.equal((await item.locator('[data-sd-action="copy-auth-link"]').innerText()).trim(), 'Copy');
    assert.deepEqual(await verdicts(page), EXPECTED);

    assert.deepEqual(seen.errors, [], 'no page errors');
    const outside = seen.requests.filter((u) => !u.startsWith(origin) && !/^(data|blob):/.test(u));
    assert.deepEqual(outside, [], 'the playground requests only its own files');
  } finally {
    await context.close();
  }
});

test('playground: hostile input is shown as text and never runs', { timeout: 30_000 }, async () => {
  const { context, page, seen, origin } = await openPlayground();
  const img = (n) => `<img src=x onerror="window.__sdPwned=${n};alert(${n})">`;
  try {
    await page.fill('textarea[data-sd-input="failure-text"]', `method=open.order.cursor.list ${img(1)} token中无scope权限\nmethod=open.item.get token中无scope权限 ${img(2)}`);
    await page.fill('[data-sd-input="app-name"]', `店${img(3)}`);
    await page.fill('[data-sd-input="app-key"]', `ks1<script>window.__sdPwned=4</script>`);
    await page.fill('[data-sd-input="callback"]', `https://x.example/cb?q=${img(5)}`);
    await page.fill('[data-sd-input="packages"]', `商品信息 已获取\n${img(6)} 已获取\nuser_info 已获取`);
    await page.click('button[data-sd-action="diagnose"]');
    await page.locator('.findings [data-sd-api="open.order.cursor.list"]').waitFor();
    await page.waitForTimeout(300); // time for an injected onerror to fire, if one existed

    assert.equal(await page.evaluate(() => window.__sdPwned), undefined, 'no injected script ran');
    assert.deepEqual(seen.dialogs, [], 'no alert');
    assert.equal(await page.locator('main img, main script').count(), 0, 'no element was made from the input');
    // The app name reaches the page only as text, inside Rust's explanation of the apply verdict.
    assert.ok((await page.innerText('.findings')).includes(img(3)), 'the hostile app name is shown literally');
    const link = await page.locator('.findings [data-sd-api="open.item.get"] .link-text').first().innerText();
    assert.equal(new URL(link).searchParams.get('redirect_uri'), `https://x.example/cb?q=${img(5)}`);
    assert.deepEqual(seen.requests.filter((u) => !u.startsWith(origin) || u.endsWith('/x')), [], 'no request for src=x');
  } finally {
    await context.close();
  }
});

const EXTENSION_MANIFEST = join(ROOT, 'dist', 'chrome', 'manifest.json');
const DEMO_SHOTS = [
  '01-extensions-page.png', '02-app-detail.png', '03-api-mark-failing.png', '04-api-verdict.png', '05-app-package-badge.png',
  '06-copy-auth-link.png', '07-clipboard-vs-dialog.png', '08-token-tool.png', '09-popup-diagnose.png', '10-popup-english.png',
  '11-app-page-dark.png', '12-playground.png',
];

test('demo: node www/demo.mjs --headless walks the flow and saves the screenshots', {
  timeout: 90_000,
  skip: existsSync(EXTENSION_MANIFEST) ? false : 'dist/chrome is missing (run ./build.sh)',
}, async () => {
  const run = spawn(process.execPath, [join(WWW, 'demo.mjs'), '--headless'], { cwd: ROOT, env: { ...process.env, DISPLAY: '' } });
  let output = '';
  run.stdout.on('data', (d) => { output += d; });
  run.stderr.on('data', (d) => { output += d; });
  const code = await new Promise((resolve) => run.on('close', resolve));
  assert.equal(code, 0, `demo exited ${code}:\n${output}`);
  assert.match(output, /copied link: https:\/\/open\.kwaixiaodian\.com\/oauth\/authorize\?\S+/);
  assert.match(output, /screenshots, all distinct/);
  for (const shot of DEMO_SHOTS) {
    const file = join(ROOT, 'demo-out', shot);
    assert.ok(existsSync(file) && statSync(file).size > 5_000, `screenshot ${shot} missing or empty`);
  }
});
