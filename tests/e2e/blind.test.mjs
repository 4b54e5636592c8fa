// Blind end-to-end suite: knows only ../../../shared/contract.md (the extension's public
// attributes and "The link"), not the extension's source. Pages are our own, in blind-pages/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const DIST = path.join(ROOT, 'dist/chrome');
const PAGES = path.join(HERE, 'blind-pages');
const ORIGIN = 'https://open.kwaixiaodian.com';
const CSP = "script-src 'self'; object-src 'none'";

const APP_A = {
  appKey: 'ks701234567890123456',
  callback: 'https://erp.example-shop.cn/ks/授权回调?channel=kwai&shop=旗舰店&lang=zh_CN',
  owned: ['user_info', 'merchant_item', 'merchant_order', 'merchant_promotion'],
};
const APP_B = {
  appKey: 'ks709876543210987654',
  callback: 'https://api.demo-erp.com/kwai/callback?tenant=42&redirect=https%3A%2F%2Fdemo-erp.com%2F店铺',
  owned: ['user_info', 'merchant_item', 'merchant_refund'],
};
const API_ITEM = 'open.item.get';
const API_REFUND = 'open.seller.order.refund.detail';
const API_LOGI = 'open.logistics.express.template.list';
const API_ORDER = 'open.order.cursor.list';
const API_REFUND_LIST = 'open.seller.order.refund.pcursor.list';
const API_TPL_DETAIL = 'open.logistics.express.template.detail';

const URLS = {
  appA: `${ORIGIN}/zone/new/app/detail?appKey=${APP_A.appKey}`,
  appB: `${ORIGIN}/zone/new/app/detail?appKey=${APP_B.appKey}`,
  item: `${ORIGIN}/zone/new/docs/api?name=${API_ITEM}&version=1`,
  refund: `${ORIGIN}/zone/new/docs/api?name=${API_REFUND}&version=1`,
  logi: `${ORIGIN}/zone/new/docs/api?name=${API_LOGI}&version=1`,
  spa: `${ORIGIN}/zone/new/docs/api?name=${API_ORDER}&version=1`,
  refundList: `${ORIGIN}/zone/new/docs/api?name=${API_REFUND_LIST}&version=1`,
  tplDetail: `${ORIGIN}/zone/new/docs/api?name=${API_TPL_DETAIL}&version=1`,
};

let context;
let extId;
const requests = [];

function pageFile(u) {
  const p = u.pathname;
  const q = u.searchParams;
  if (p === '/zone/new/app/detail') {
    if (q.get('appKey') === APP_A.appKey) return ['app-a.html', 'text/html; charset=utf-8'];
    if (q.get('appKey') === APP_B.appKey) return ['app-b-late.html', 'text/html; charset=utf-8'];
  }
  if (p === '/zone/new/docs/api') {
    const map = {
      [API_ITEM]: 'api-item-get.html',
      [API_REFUND]: 'api-refund.html',
      [API_LOGI]: 'api-logistics.html',
      [API_ORDER]: 'docs-spa.html',
    };
    if (map[q.get('name')]) return [map[q.get('name')], 'text/html; charset=utf-8'];
    // any other API with a detail JSON: the docs SPA shell renders it
    if (/^open\.[a-z.]+$/.test(q.get('name') || '') && fs.existsSync(path.join(PAGES, `rest/${q.get('name')}.json`))) return ['docs-spa.html', 'text/html; charset=utf-8'];
  }
  if (p.startsWith('/static/js/')) {
    const f = path.basename(p);
    if (fs.existsSync(path.join(PAGES, 'static', f))) return [`static/${f}`, 'application/javascript; charset=utf-8'];
  }
  if (p === '/rest/open/platform/doc/api/name/detail') {
    const f = `rest/${q.get('name')}.json`;
    if (fs.existsSync(path.join(PAGES, f))) return [f, 'application/json; charset=utf-8'];
  }
  return null;
}

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'manifest.json')), 'run ./build.sh first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-blind-'));
  context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`, '--no-sandbox', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic',
    ],
  });
  context.on('request', (r) => requests.push(r.url()));
  await context.route(`${ORIGIN}/**`, async (route) => {
    const u = new URL(route.request().url());
    const hit = pageFile(u);
    if (!hit) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found', headers: { 'Content-Security-Policy': CSP } });
    return route.fulfill({
      status: 200,
      headers: { 'Content-Type': hit[1], 'Content-Security-Policy': CSP },
      body: fs.readFileSync(path.join(PAGES, hit[0])),
    });
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  let sw = context.serviceWorkers()[0];
  if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 10000 });
  extId = new URL(sw.url()).host;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `chrome-extension://${extId}` }).catch(() => {});
});

after(async () => {
  if (context) await context.close();
});

// ---------- helpers ----------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shot(page, name) {
  try { await page.screenshot({ path: `/tmp/blind-${name}.png`, fullPage: true }); } catch { /* ignore */ }
}

async function withShot(page, name, fn) {
  try {
    await fn();
    await shot(page, `${name}-ok`);
  } catch (e) {
    await shot(page, `${name}-FAIL`);
    throw e;
  }
}

/**
 * In the page: every element carrying data-sd-api (also inside open shadow roots), with its
 * attributes, whether a copy-auth-link button is inside it (deep), and where it sits relative to
 * the given anchor elements (by id): 'in' (anchor contains it), 'beside' (its light-DOM host is
 * an adjacent sibling of the anchor, ignoring other added elements), or null.
 * Also: every copy-auth-link button and the anchor / badge APIs it belongs to.
 */
async function scan(page, anchorIds = [], climbPage = false) {
  return page.evaluate(([anchorIds, climbPage]) => {
    const deepAll = (root, pred, out = []) => {
      for (const e of root.querySelectorAll('*')) {
        if (pred(e)) out.push(e);
        if (e.shadowRoot) deepAll(e.shadowRoot, pred, out);
      }
      return out;
    };
    const lightHost = (e) => {
      let n = e;
      while (n.getRootNode() instanceof ShadowRoot) n = n.getRootNode().host;
      return n;
    };
    const composedContains = (a, b) => {
      let n = b;
      while (n) {
        if (n === a) return true;
        n = n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode;
      }
      return false;
    };
    const isAdded = (e) => e && (e.hasAttribute('data-sd-api') || deepAll(e, (x) => x.hasAttribute('data-sd-api') || x.hasAttribute('data-sd-action')).length > 0 || (e.shadowRoot && deepAll(e.shadowRoot, (x) => x.hasAttribute('data-sd-api') || x.hasAttribute('data-sd-action')).length > 0));
    const relation = (badge, anchor) => {
      if (!anchor) return null;
      if (composedContains(anchor, badge)) return 'in';
      const h = lightHost(badge);
      if (h.parentNode !== anchor.parentNode) return null;
      for (const [dir, name] of [['previousElementSibling', 'after'], ['nextElementSibling', 'before']]) {
        let s = h[dir];
        while (s && s !== anchor && isAdded(s)) s = s[dir];
        if (s === anchor) return name; // 'after': the badge follows the anchor
      }
      return null;
    };
    const anchors = Object.fromEntries(anchorIds.map((id) => [id, document.getElementById(id)]));
    const badges = deepAll(document, (e) => e.hasAttribute('data-sd-api'));
    const copies = deepAll(document, (e) => e.getAttribute('data-sd-action') === 'copy-auth-link');
    const visible = (e) => { const r = e.getBoundingClientRect(); const hr = lightHost(e).getBoundingClientRect(); return (r.width > 0 && r.height > 0) || (hr.width > 0 && hr.height > 0); };
    const out = badges.map((b) => ({
      api: b.getAttribute('data-sd-api'),
      scope: b.getAttribute('data-sd-scope'),
      verdict: b.getAttribute('data-sd-verdict'),
      visible: visible(b),
      copyInside: copies.some((c) => c !== b && composedContains(b, c)),
      rel: Object.fromEntries(anchorIds.map((id) => [id, relation(b, anchors[id])])),
    }));
    const copyOwners = copies.map((c) => {
      // the smallest composed ancestor holding any badge tells which finding/badge the button belongs to
      // on console pages, stop at the added element's light-DOM host (never attribute a button to
      // badges elsewhere on the page); in the popup the whole page is the extension's
      let n = c;
      let apis = [];
      const stop = climbPage ? document : lightHost(c).parentNode;
      while (n && n !== stop && n !== document) {
        const own = n.hasAttribute && n.hasAttribute('data-sd-api') ? [n] : [];
        const inner = [...own, ...(n.querySelectorAll ? deepAll(n, (x) => x.hasAttribute('data-sd-api')) : []), ...(n.shadowRoot ? deepAll(n.shadowRoot, (x) => x.hasAttribute('data-sd-api')) : [])];
        if (inner.length) { apis = [...new Set(inner.map((x) => x.getAttribute('data-sd-api')))]; break; }
        n = n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode;
      }
      return {
        apis,
        visible: visible(c),
        rel: Object.fromEntries(anchorIds.map((id) => [id, relation(c, anchors[id])])),
      };
    });
    return { badges: out, copies: copyOwners, missingAnchors: anchorIds.filter((id) => !anchors[id]) };
  }, [anchorIds, climbPage]);
}

async function waitFor(fn, { timeout = 6000, step = 100, what = 'condition' } = {}) {
  const t0 = Date.now();
  let last;
  for (;;) {
    last = await fn();
    if (last.ok) return last;
    if (Date.now() - t0 > timeout) {
      assert.fail(`timed out waiting for ${what}; last state: ${JSON.stringify(last.state ?? last, null, 1)}`);
    }
    await sleep(step);
  }
}

/** Waits until the page has exactly one badge for `api` with a verdict (optionally a given one). */
async function waitBadge(page, api, { verdict, anchors = [], near, timeout = 6000 } = {}) {
  const r = await waitFor(async () => {
    const s = await scan(page, anchors);
    const mine = s.badges.filter((b) => b.api === api);
    const ok = mine.length >= 1 && mine.every((b) => b.verdict && (!verdict || b.verdict === verdict) && (!near || b.rel[near]));
    return { ok, state: s, s };
  }, { timeout, what: `badge ${api}${verdict ? ` verdict=${verdict}` : ''}` });
  return r.s;
}

async function readClipboardAfterClick(page, locator, clipPage = page) {
  await clipPage.evaluate(() => navigator.clipboard.writeText('SENTINEL-BEFORE-CLICK'));
  await locator.click();
  const r = await waitFor(async () => {
    const t = await clipPage.evaluate(() => navigator.clipboard.readText());
    return { ok: t !== 'SENTINEL-BEFORE-CLICK', state: t, t };
  }, { timeout: 4000, what: 'clipboard to change after the copy click' });
  return r.t;
}

/** "The link" of contract.md, checked by meaning. */
function checkLink(link, app) {
  const u = new URL(link.trim());
  assert.equal(u.protocol, 'https:', `scheme of ${link}`);
  assert.equal(u.host, 'open.kwaixiaodian.com', `host of ${link}`);
  assert.equal(u.pathname, '/oauth/authorize', `path of ${link}`);
  assert.equal(u.hash, '', `no fragment in ${link}`);
  const keys = [...u.searchParams.keys()];
  assert.equal(new Set(keys).size, keys.length, `no repeated parameter in ${link}`);
  for (const k of keys) assert.ok(['app_id', 'redirect_uri', 'scope', 'response_type', 'state'].includes(k), `unexpected parameter ${k} in ${link}`);
  for (const k of ['app_id', 'redirect_uri', 'scope', 'response_type']) assert.ok(keys.includes(k), `missing ${k} in ${link}`);
  assert.equal(u.searchParams.get('app_id'), app.appKey, 'app_id = appKey');
  const redirect = u.searchParams.get('redirect_uri');
  assert.ok(Buffer.from(redirect, 'utf8').equals(Buffer.from(app.callback, 'utf8')),
    `redirect_uri decoded must be byte-equal to the 回调地址\n got:  ${redirect}\n want: ${app.callback}`);
  // also decoded strictly as encodeURIComponent's inverse (no '+' ambiguity)
  const raw = u.search.slice(1).split('&').find((kv) => kv.startsWith('redirect_uri=')).slice('redirect_uri='.length);
  assert.equal(decodeURIComponent(raw), app.callback, 'raw redirect_uri decodeURIComponent');
  const scope = u.searchParams.get('scope').split(',');
  assert.equal(new Set(scope).size, scope.length, `no repeated package in scope ${scope}`);
  assert.deepEqual([...scope].sort(), [...app.owned].sort(), 'scope = the app\'s 已获取 packages');
  assert.equal(u.searchParams.get('response_type'), 'code');
}

/** The badge is in its package row, or right beside it and not more plausibly beside another. */
function assertBelongs(b, row, rows, api) {
  const rel = b.rel[row];
  const others = rows.filter((r) => r !== row);
  assert.ok(rel, `${api} badge is in/beside ${row}: ${JSON.stringify(b.rel)}`);
  for (const o of others) assert.notEqual(b.rel[o], 'in', `${api} badge sits inside ${o}`);
  if (rel === 'before') assert.ok(!others.some((o) => b.rel[o] === 'after'), `${api} badge: ambiguous placement ${JSON.stringify(b.rel)}`);
}

async function openPage(url) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

// ---------- tests (run in order, sharing one browser profile) ----------

test('1. app page read, then API page: badge next to the API name, verdict, mark-failing', async () => {
  const app = await openPage(URLS.appA);
  await sleep(1200); // give the extension time to read the app page (no badge expected: nothing failing yet)
  await shot(app, '1-appA-initial');
  await app.close();

  const page = await openPage(URLS.item);
  await withShot(page, '1-item', async () => {
    const s = await waitBadge(page, API_ITEM, { anchors: ['api-header'] });
    const mine = s.badges.filter((b) => b.api === API_ITEM);
    assert.equal(mine.length, 1, `exactly one badge for ${API_ITEM}: ${JSON.stringify(s.badges)}`);
    const b = mine[0];
    assert.ok((b.scope || '').split(/\s+/).includes('merchant_item'), `data-sd-scope contains merchant_item, got ${b.scope}`);
    assert.ok(b.rel['api-header'], `badge sits next to the API name (in/beside the title block): ${JSON.stringify(b)}`);
    assert.ok(b.visible, 'badge is visible');
    assert.ok(b.verdict, 'verdict set once an app is known');
    // badges only for this API (the sidebar nav and the example JSON name other APIs)
    const others = s.badges.filter((x) => x.api !== API_ITEM);
    assert.deepEqual(others, [], 'no badge for APIs named only in the navigation or code example');

    const toggle = page.locator('[data-sd-action="mark-failing"]');
    assert.ok((await toggle.count()) >= 1, 'mark-failing control exists');
    await toggle.first().click();
    await sleep(400);
    const s2 = await waitBadge(page, API_ITEM, { verdict: 'reauthorize', anchors: ['api-header'] });
    assert.equal(s2.badges.filter((x) => x.api === API_ITEM).length, 1, 'still one badge after the click');
    // reauthorize shown → a copy-auth-link button is there, and it copies the right link
    const copy = page.locator('[data-sd-action="copy-auth-link"]');
    assert.ok((await copy.count()) >= 1, 'copy-auth-link present where reauthorize is shown (API page)');
    const link = await readClipboardAfterClick(page, copy.first());
    checkLink(link, APP_A);
  });
  await page.close();
});

test('3. 未获取 package → apply, 申请中 package → pending, no copy button', async () => {
  for (const [url, api, pkg, verdict, name] of [
    [URLS.refund, API_REFUND, 'merchant_refund', 'apply', '3-refund'],
    [URLS.logi, API_LOGI, 'merchant_logistics', 'pending', '3-logistics'],
  ]) {
    const page = await openPage(url);
    await withShot(page, name, async () => {
      const s = await waitBadge(page, api, { verdict, anchors: ['api-header'] });
      const mine = s.badges.filter((b) => b.api === api);
      assert.equal(mine.length, 1, `one badge for ${api}: ${JSON.stringify(s.badges)}`);
      assert.ok((mine[0].scope || '').split(/\s+/).includes(pkg), `scope contains ${pkg}: ${mine[0].scope}`);
      assert.ok(mine[0].rel['api-header'], `badge next to the API name: ${JSON.stringify(mine[0])}`);
      assert.equal(s.copies.length, 0, `no copy-auth-link for a ${verdict} verdict`);
      const toggle = page.locator('[data-sd-action="mark-failing"]');
      assert.ok((await toggle.count()) >= 1, 'mark-failing control exists');
      await toggle.first().click();
      await sleep(400);
      const s2 = await waitBadge(page, api, { verdict, anchors: ['api-header'] });
      assert.equal(s2.badges.filter((b) => b.api === api).length, 1, 'still one badge');
      assert.equal(s2.copies.length, 0, `still no copy-auth-link for ${verdict}`);
    });
    await page.close();
  }
});

test('3b. SPA-rendered API pages under app A (not marked failing): verdicts from the page', async () => {
  for (const [url, api, pkg, verdict, name] of [
    [URLS.spa, API_ORDER, 'merchant_order', 'reauthorize', '3b-order'],
    [URLS.refundList, API_REFUND_LIST, 'merchant_refund', 'apply', '3b-refund-list'],
    [URLS.tplDetail, API_TPL_DETAIL, 'merchant_logistics', 'pending', '3b-tpl-detail'],
  ]) {
    const page = await openPage(url);
    await withShot(page, name, async () => {
      await waitBadge(page, api, { verdict, anchors: ['api-header'], near: 'api-header' });
      await sleep(500);
      const s = await scan(page, ['api-header']);
      const mine = s.badges.filter((b) => b.api === api);
      assert.equal(mine.length, 1, `one badge for ${api}: ${JSON.stringify(s.badges)}`);
      assert.equal(mine[0].verdict, verdict);
      assert.ok((mine[0].scope || '').split(/\s+/).includes(pkg), `scope contains ${pkg}: ${mine[0].scope}`);
      if (verdict === 'reauthorize') {
        assert.ok(s.copies.length >= 1, 'copy button for reauthorize');
      } else {
        assert.equal(s.copies.length, 0, `no copy button for ${verdict}`);
      }
    });
    await page.close();
  }
});

test('2. app page: badges beside the package rows; copy link satisfies "The link"', async () => {
  const rows = ['row-user_info', 'row-merchant_item', 'row-merchant_order', 'row-merchant_refund', 'row-merchant_logistics', 'row-merchant_promotion'];
  const page = await openPage(URLS.appA);
  await withShot(page, '2-appA', async () => {
    await waitBadge(page, API_ITEM, { verdict: 'reauthorize', anchors: rows });
    await waitBadge(page, API_REFUND, { verdict: 'apply', anchors: rows });
    const s = await waitBadge(page, API_LOGI, { verdict: 'pending', anchors: rows });
    assert.deepEqual(s.missingAnchors, []);
    const expect = [[API_ITEM, 'row-merchant_item', 'reauthorize'], [API_REFUND, 'row-merchant_refund', 'apply'], [API_LOGI, 'row-merchant_logistics', 'pending']];
    for (const [api, row, verdict] of expect) {
      const mine = s.badges.filter((b) => b.api === api);
      assert.equal(mine.length, 1, `exactly one badge for ${api} on the app page: ${JSON.stringify(mine)}`);
      const b = mine[0];
      assert.equal(b.verdict, verdict, `${api} verdict`);
      assert.ok(b.rel[row], `${api} badge is in/beside ${row}: ${JSON.stringify(b.rel)}`);
      assertBelongs(b, row, rows, api);
      const nearCopies = s.copies.filter((c) => c.apis.includes(api) || c.rel[row] === 'in');
      if (verdict === 'reauthorize') assert.ok(nearCopies.length >= 1, `copy-auth-link beside the ${api} badge`);
      else assert.equal(nearCopies.length, 0, `no copy-auth-link for ${api} (${verdict}): ${JSON.stringify(nearCopies)}`);
    }
    // click the copy button of the merchant_item row
    const candidates = [
      page.locator(`#row-merchant_item [data-sd-action="copy-auth-link"]`),
      page.locator(`[data-sd-api="${API_ITEM}"] [data-sd-action="copy-auth-link"]`),
      page.locator(`[data-sd-api="${API_ITEM}"][data-sd-action="copy-auth-link"]`),
      page.locator(`#row-merchant_item + * [data-sd-action="copy-auth-link"]`),
    ];
    let btn = null;
    for (const c of candidates) if ((await c.count()) >= 1) { btn = c.first(); break; }
    assert.ok(btn, 'found the copy button for the merchant_item row');
    const link = await readClipboardAfterClick(page, btn);
    console.log('# app A link:', link);
    checkLink(link, APP_A);
    // "present wherever a reauthorize verdict is shown": every copy button on the page gives the link
    const all = page.locator('[data-sd-action="copy-auth-link"]');
    const n = await all.count();
    for (let i = 0; i < n; i++) checkLink(await readClipboardAfterClick(page, all.nth(i)), APP_A);
    console.log(`# app A page: ${n} copy-auth-link buttons, all give the link`);
  });
  await page.close();
});

test('4. popup: pasted multi-line log with 3 APIs → findings, copy for reauthorize', async () => {
  const page = await openPage(`chrome-extension://${extId}/popup.html`);
  const clip = await openPage(URLS.item); // a console page to read the clipboard from
  await withShot(page, '4-popup', async () => {
    // three APIs never marked failing: only the pasted log can make them findings
    const log = [
      `2024-05-20 10:31:02.118 ERROR [kwai-sdk] call failed method=${API_ORDER} appKey=${APP_A.appKey} result=28 msg=token中无scope权限`,
      `2024-05-20 10:31:03.541 ERROR [refund-sync] response={"method":"${API_REFUND_LIST}","result":28,"code":"803000","msg":"鉴权失败","sub_msg":"token中无scope权限","request_id":"a1b2c3"}`,
      `2024-05-20 10:31:04.002 WARN  POST /open/logistics/express/template/detail 200 {"result":28,"error_msg":"token中无scope权限"}`,
    ].join('\n');
    const want = { [API_ORDER]: 'reauthorize', [API_REFUND_LIST]: 'apply', [API_TPL_DETAIL]: 'pending' };
    await sleep(300);
    const pre = await scan(page, [], true);
    const preApis = pre.badges.filter((b) => b.api in want).map((b) => b.api);
    assert.deepEqual(preApis, [], 'before diagnosing, the popup does not list the pasted APIs (else the test proves nothing)');
    const ta = page.locator('textarea[data-sd-input="failure-text"]');
    assert.equal(await ta.count(), 1, 'failure-text textarea');
    await ta.fill(log);
    await page.locator('[data-sd-action="diagnose"]').click();
    const r = await waitFor(async () => {
      const s = await scan(page, [], true);
      const ok = Object.entries(want).every(([api, v]) => s.badges.some((b) => b.api === api && b.verdict === v));
      return { ok, state: s, s };
    }, { what: 'three findings with the expected verdicts' });
    const s = r.s;
    for (const api of Object.keys(want)) {
      const verdicts = [...new Set(s.badges.filter((b) => b.api === api && b.verdict).map((b) => b.verdict))];
      assert.deepEqual(verdicts, [want[api]], `${api}: one consistent verdict`);
    }
    const reauth = [...new Set(s.badges.filter((b) => b.verdict === 'reauthorize').map((b) => b.api))];
    assert.ok(reauth.includes(API_ORDER));
    for (const api of reauth) assert.ok(s.copies.some((c) => c.apis.length === 1 && c.apis[0] === api), `a copy button for reauthorize finding ${api}: ${JSON.stringify(s.copies)}`);
    for (const c of s.copies) assert.ok(c.apis.length === 1 && reauth.includes(c.apis[0]), `copy buttons only for reauthorize findings: ${JSON.stringify(c)}`);
    // each popup copy button copies the link of the current app (A, read last)
    const btns = page.locator('[data-sd-action="copy-auth-link"]');
    const n = await btns.count();
    for (let i = 0; i < n; i++) {
      const link = await readClipboardAfterClick(page, btns.nth(i), clip);
      if (i === 0) console.log('# popup link:', link);
      checkLink(link, APP_A);
    }
    console.log(`# popup: ${s.badges.filter((b) => b.verdict).length} findings, ${n} copy buttons, reauthorize: ${reauth.join(' ')}`);
  });
  await clip.close();
  await page.close();
});

test('5a. late-rendered app page (another app): correct badges, no duplicates, link of that app', async () => {
  const cards = ['card-user_info', 'card-merchant_item', 'card-merchant_order', 'card-merchant_refund', 'card-merchant_logistics'];
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(URLS.appB, { waitUntil: 'load' });
  await withShot(page, '5a-appB-late', async () => {
    await waitBadge(page, API_ITEM, { verdict: 'reauthorize', anchors: cards, timeout: 8000 });
    // wait past the re-render of the package list (1.8 s) and let the extension settle
    const wait = 3300 - (Date.now() - t0);
    if (wait > 0) await sleep(wait);
    await waitBadge(page, API_ITEM, { verdict: 'reauthorize', anchors: cards });
    await waitBadge(page, API_REFUND, { verdict: 'reauthorize', anchors: cards });
    const s = await waitBadge(page, API_LOGI, { verdict: 'apply', anchors: cards });
    const expect = [[API_ITEM, 'card-merchant_item', 'reauthorize'], [API_REFUND, 'card-merchant_refund', 'reauthorize'], [API_LOGI, 'card-merchant_logistics', 'apply']];
    for (const [api, card, verdict] of expect) {
      const mine = s.badges.filter((b) => b.api === api);
      assert.equal(mine.length, 1, `exactly one ${api} badge after late render + re-render: ${JSON.stringify(mine)}`);
      assert.equal(mine[0].verdict, verdict);
      assertBelongs(mine[0], card, cards, api);
      const near = s.copies.filter((c) => c.apis.includes(api) || c.rel[card] === 'in');
      if (verdict === 'reauthorize') assert.ok(near.length >= 1, `copy button for ${api}`);
      else assert.equal(near.length, 0, `no copy button for ${api} (${verdict})`);
    }
    const btn = page.locator(`#card-merchant_item [data-sd-action="copy-auth-link"], [data-sd-api="${API_ITEM}"] [data-sd-action="copy-auth-link"]`).first();
    const link = await readClipboardAfterClick(page, btn);
    console.log('# app B link:', link);
    checkLink(link, APP_B);
  });
  await page.close();
});

test('5b. SPA: pushState from one API to another and back; old badge gone, no duplicates', async () => {
  const page = await openPage(URLS.spa);
  await withShot(page, '5b-spa', async () => {
    // current app is B (read last): merchant_order is 申请中 there
    let s = await waitBadge(page, API_ORDER, { verdict: 'pending', anchors: ['api-header'], near: 'api-header' });
    await sleep(600);
    s = await scan(page, ['api-header']);
    let mine = s.badges.filter((b) => b.api === API_ORDER);
    assert.equal(mine.length, 1, `one ${API_ORDER} badge`);
    assert.ok((mine[0].scope || '').split(/\s+/).includes('merchant_order'), `scope merchant_order (from 订单API权限): ${mine[0].scope}`);
    assert.ok(mine[0].rel['api-header'], 'next to the API name');
    await shot(page, '5b-spa-order');

    await page.locator(`a[data-api="${API_ITEM}"]`).click();
    await page.waitForURL((u) => u.searchParams.get('name') === API_ITEM);
    await waitFor(async () => {
      const x = await scan(page, ['api-header']);
      const ok = x.badges.filter((b) => b.api === API_ORDER).length === 0 && x.badges.some((b) => b.api === API_ITEM && b.verdict === 'reauthorize' && b.rel['api-header']);
      return { ok, state: x };
    }, { what: 'badge to switch from order to item after pushState' });
    await sleep(800); // settle: no late duplicate, no stale badge coming back
    s = await scan(page, ['api-header']);
    assert.equal(s.badges.filter((b) => b.api === API_ORDER).length, 0, 'old API badge gone');
    mine = s.badges.filter((b) => b.api === API_ITEM);
    assert.equal(mine.length, 1, `exactly one ${API_ITEM} badge after pushState: ${JSON.stringify(s.badges)}`);
    assert.equal(mine[0].verdict, 'reauthorize');
    assert.ok(mine[0].rel['api-header'], 'new badge next to the new API name');
    assert.ok(s.copies.length >= 1, 'copy button for reauthorize');
    await shot(page, '5b-spa-item');
    const link = await readClipboardAfterClick(page, page.locator('[data-sd-action="copy-auth-link"]').first());
    checkLink(link, APP_B);

    await page.goBack();
    await waitFor(async () => {
      const x = await scan(page, ['api-header']);
      const ok = x.badges.filter((b) => b.api === API_ITEM).length === 0 && x.badges.some((b) => b.api === API_ORDER && b.verdict === 'pending' && b.rel['api-header']);
      return { ok, state: x };
    }, { what: 'badge to switch back to order after history.back (popstate)' });
    await sleep(800);
    s = await scan(page, ['api-header']);
    assert.equal(s.badges.filter((b) => b.api === API_ITEM).length, 0);
    assert.equal(s.badges.filter((b) => b.api === API_ORDER).length, 1, 'one order badge after going back');
  });
  await page.close();
});

test('7. mark-failing is a toggle: un-marked API loses its package-row badge on the app page', async () => {
  const page = await openPage(URLS.item);
  await withShot(page, '7-item-unmark', async () => {
    await waitBadge(page, API_ITEM, { anchors: ['api-header'], near: 'api-header' });
    await page.locator('[data-sd-action="mark-failing"]').first().click();
    await sleep(500);
    const s = await scan(page, ['api-header']);
    assert.equal(s.badges.filter((b) => b.api === API_ITEM).length, 1, 'API page keeps its one badge');
  });
  await page.close();
  const rows = ['row-merchant_item', 'row-merchant_refund', 'row-merchant_logistics'];
  const app = await openPage(URLS.appA);
  await withShot(app, '7-appA-after-unmark', async () => {
    await waitBadge(app, API_REFUND, { verdict: 'apply', anchors: rows, near: 'row-merchant_refund' });
    await sleep(1000);
    const s = await scan(app, rows);
    assert.equal(s.badges.filter((b) => b.api === API_ITEM).length, 0, `${API_ITEM} no longer failing → no badge: ${JSON.stringify(s.badges.filter((b) => b.api === API_ITEM))}`);
    assert.equal(s.badges.filter((b) => b.api === API_REFUND).length, 1);
    assert.equal(s.badges.filter((b) => b.api === API_LOGI).length, 1);
  });
  await app.close();
});

test('6. no request to any host but open.kwaixiaodian.com / the extension', async () => {
  const bad = requests.filter((u) => {
    const x = new URL(u);
    if (['chrome-extension:', 'data:', 'blob:'].includes(x.protocol)) return false;
    return x.host !== 'open.kwaixiaodian.com';
  });
  assert.ok(requests.length > 0, 'requests were recorded');
  assert.deepEqual(bad, [], 'requests to other hosts');
});
