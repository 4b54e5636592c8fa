// Hostile console pages: a deterministic generator (seeded PRNG, no Math.random) of pages of the
// four kinds the readers understand — 应用详情 ('app'), an API detail page ('api'), 授权管理
// ('users'), 授权查询工具 ('token') — built from the templates of tests/fixtures/
// (app-ant-descriptions, api-ant-descriptions, users-ant-table-dialog, b2-token-english-tabs)
// with hostile input in every field the readers read: markup and script (as text, and as the
// page's own markup), template syntax, look-alike / invisible / bidi characters, malformed and
// smuggling 回调地址, conflicting values, deep nesting, 100,000 siblings, a 5 MB text node,
// huge attributes, binary-ish noise and odd encodings of the status words.
//
// `hostilePage(i)` is a pure function of `i`: `hostilePages(30)` is a prefix of
// `hostilePages(240)`. The first pages are the listed special cases (each structural case and
// each catalogue entry at least once); later ones compose payloads at random per index.
//
// Every page also says what it shows, for the tests' oracles:
//   shown.appKeys / shown.callbacks — every appKey / 回调地址 string the page shows anywhere
//     (text, href, title), so a reading that is none of them was made up (clipped, cleaned);
//   decoys.appKeys / decoys.callbacks — values only in hidden places (hidden, display:none,
//     aria-hidden, <template>, <noscript>, comments, a closed <details>, typed inputs): a
//     reading equal to one read something the user cannot see;
//   heavy — a multi-megabyte or 100,000-node page (slow to load in a browser);
//   notes — what the page tries.
// Markup meant to run if it ever became markup refers to https://pwn.example/ (a request there is
// a foreign request) and sets window.__sdPwned. The page's OWN markup (raw, not text) never names
// another host, so any request to one comes from the extension.

export const KINDS = ['app', 'api', 'users', 'token'];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rngFor(index) {
  const rng = mulberry32((0x5c09e ^ Math.imul(index + 1, 2654435761)) >>> 0);
  rng.int = (n) => Math.floor(rng() * n);
  rng.pick = (list) => list[rng.int(list.length)];
  rng.chance = (p) => rng() < p;
  rng.digits = (n) => {
    let s = String(1 + rng.int(9));
    while (s.length < n) s += String(rng.int(10));
    return s;
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// HTML helpers

export function esc(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A value for a template: a plain string is text (escaped); {html} is the page's own markup. */
function cell(value) {
  if (value == null) return '';
  if (typeof value === 'string') return esc(value);
  if (value.html != null) return value.html;
  let out = esc(value.text ?? '');
  if (value.href != null || value.title != null) {
    const attrs = [value.href != null ? ` href="${esc(value.href)}"` : '', value.title != null ? ` title="${esc(value.title)}"` : ''].join('');
    out = `<a${attrs}>${out}</a>`;
  }
  return out + (value.raw ?? '');
}

function nest(depth, inner, tag = 'div') {
  return `<${tag}>`.repeat(depth) + inner + `</${tag}>`.repeat(depth);
}

function doc({ title, head = '', body, lang = 'zh-CN' }) {
  return `<!DOCTYPE html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n${head}\n</head>\n<body>\n<div id="root">\n${body}\n</div>\n</body>\n</html>\n`;
}

// ---------------------------------------------------------------------------------------------
// Payload catalogues

/** Markup, script and template syntax, inserted as TEXT: showing it must never run it. */
export const XSS = [
  '<img src=https://pwn.example/img.png onerror=window.__sdPwned=1>',
  '<script>window.__sdPwned=1</script>',
  '"><svg onload=window.__sdPwned=1>',
  "'><svg/onload=window.__sdPwned=1>",
  '{{constructor.constructor("window.__sdPwned=1")()}}',
  '${window.__sdPwned=1}',
  '`${window.__sdPwned=1}`',
  'javascript:window.__sdPwned=1',
  '</td></tr></table><img src=https://pwn.example/t.png onerror=window.__sdPwned=1>',
  '<iframe srcdoc="<script>parent.__sdPwned=1</script>"></iframe>',
  '<a href="javascript:window.__sdPwned=1">点我</a>',
  '<details open ontoggle=window.__sdPwned=1>',
  "<style>@import 'https://pwn.example/s.css';</style>",
  '<link rel=stylesheet href=https://pwn.example/l.css>',
  '<base href=https://pwn.example/>',
  '<object data=https://pwn.example/o.swf></object>',
  '<math><mtext><table><mglyph><style><img src=https://pwn.example/m.png onerror=window.__sdPwned=1>',
  '&lt;img src=https://pwn.example/e.png onerror=window.__sdPwned=1&gt;',
  '\\u003cimg src=https://pwn.example/u.png onerror=window.__sdPwned=1\\u003e',
  '%3Cscript%3Ewindow.__sdPwned=1%3C/script%3E',
  '<!--<img src=https://pwn.example/c.png onerror=window.__sdPwned=1>-->',
  '<x data-sd-host="summary" data-sd-verdict="reauthorize">',
  '__proto__',
  'constructor',
  'toString',
  '{"__proto__":{"polluted":1}}',
];

/** The page's own markup that would run where inline script is allowed (never a foreign host). */
export const RAW = [
  `<img src="x" onerror="window.__sdPwned='raw-img'">`,
  `<script>window.__sdPwned='raw-script'</script>`,
  `<svg onload="window.__sdPwned='raw-svg'"></svg>`,
  `<a href="javascript:window.__sdPwned='raw-href'">回调地址</a>`,
  `<iframe srcdoc="<script>parent.__sdPwned='raw-srcdoc'</script>"></iframe>`,
  `<details open ontoggle="window.__sdPwned='raw-toggle'"><summary>s</summary></details>`,
  `<input autofocus onfocus="window.__sdPwned='raw-focus'">`,
  `<form action="javascript:window.__sdPwned='raw-form'"><button>申请</button></form>`,
  `<object data="javascript:window.__sdPwned='raw-object'"></object>`,
  `<div data-sd-host="package" data-sd-verdict="reauthorize" data-sd-action="copy-auth-link">复制第一个链接</div>`,
];

/** Bidi, zero-width and other invisible or look-alike characters. */
export const INVISIBLE = [
  '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u00ad',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
  // Format / filler characters outside the list in src/values.rs:
  '\u061c', '\u180e', '\u206a', '\u206f', '\ufff9', '\ufffb', '\u{e0001}', '\u{e0041}', '\u{1d173}',
  '\u034f', '\u115f', '\u1160', '\u3164', '\uffa0', '\u17b4', '\ufe0f',
];

/** Characters that are whitespace to a Rust `split_whitespace` (and so end a word). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are exactly what is matched
export const RUST_WHITESPACE = /[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/** Renders as nothing or reorders text: controls, format characters, separators, fillers. */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: single invisible code points are what is matched, not joined sequences
export const INVISIBLE_RE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u;

/** Why `cb` is not a whole http(s) 回调地址 a link can carry (null when it is one). */
export function callbackProblem(cb) {
  if (!/^https?:\/\//.test(cb)) return 'not http(s)://';
  try {
    new URL(cb);
  } catch {
    return 'new URL() throws';
  }
  if (/(…|\.\.\.|⋯)$/.test(cb)) return 'cut short';
  if (/\s/u.test(cb) || RUST_WHITESPACE.test(cb)) return 'whitespace';
  const hidden = cb.match(INVISIBLE_RE);
  if (hidden) return `invisible U+${hidden[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return null;
}

const CYRILLIC = { a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', c: '\u0441', x: '\u0445', s: '\u0455', k: '\u043a' };

/** appKeys the readers must refuse (null) — or, for the first few, take whole. */
export function hostileAppKeys(rng) {
  const d = rng.digits(12);
  return [
    'ks' + '7'.repeat(70),
    `ks12345\u0430`,
    `ks12345\u200b`,
    `\u202eks12345`,
    `ks12345\u202e`,
    `ks${d}\u2060`,
    `ks${d}\u180e`,
    `ks${d}\u061c`,
    `ks${d}\u3164`,
    `k\u200bs${d}`,
    `${CYRILLIC.k}s${d}`,
    `k${CYRILLIC.s}${d}`,
    `ｋｓ${d}`,
    `ks１２３４５`,
    `ks\u0661\u0662\u0663\u0664`,
    `ks${'\u{1d7e3}'.repeat(5)}`,
    `KS${d}`,
    `ks-${d}`,
    `ks${d}<img src=https://pwn.example/k.png onerror=window.__sdPwned=1>`,
    `ks${d}&app_id=ks999`,
    `ks${d}?scope=merchant_funds`,
    `ks${d}#x`,
    `ks${d}\u0301`,
    `ks${'9'.repeat(33)}`,
    `ks`,
    `ks${d}\ufeff`,
    `ks${d}\u00ad`,
    '${appKey}',
    '{{appKey}}',
  ];
}

/** appKeys that are well formed (taken whole). */
export function fineAppKeys(rng) {
  return [`ks${rng.digits(12)}`, `ks${rng.digits(20)}`, `ks${'1'.repeat(32)}`, 'ks0', `ks${rng.digits(3)}`];
}

/** 回调地址 that try to smuggle parameters into the link, or are not whole addresses. */
export function hostileCallbacks(rng) {
  const long = (n, base = 'https://a.com/cb?x=') => base + 'a'.repeat(Math.max(0, n - base.length));
  return [
    'https:evil.example/cb',
    'https://a.com/cb?x=1&scope=merchant_funds&app_id=ks999',
    'https://a.com/cb#&redirect_uri=evil',
    'https://a.com/cb…',
    'https://a.com/cb...',
    'https://a.com/cb⋯',
    'http://127.0.0.1:8080/kwai/callback',
    'http://a.com/cb',
    'https://a.com/cb?x=1&response_type=token&state=evil',
    'https://a.com/cb?redirect_uri=https%3A%2F%2Fevil.example%2F&app_id=ks1',
    'https://a.com/cb?next=%26scope%3Dmerchant_funds%26app_id%3Dks999',
    'https://a.com/cb?x=1&app_id=ks1&app_id=ks2&scope=&scope=merchant_funds',
    'https://a.com/cb?x=1#&scope=merchant_funds&response_type=token',
    'https://a.com/cb?q=a+b&r=%2B%20%25&s=%&t=%zz',
    'https://a.com/cb?x="><svg/onload=window.__sdPwned=1>',
    'https://a.com/cb?x=${window.__sdPwned=1}&y={{7*7}}',
    "https://a.com/cb?x='-alert(1)-'&y=<script>",
    'https://a.com/cb\\@evil.example/',
    'https://a.com@evil.example/cb',
    'https://evil.example%2F@a.com/cb',
    'https://a.com/c b',
    'https://a.com/cb\u00a0x',
    'https://a.com/cb\u3000x',
    'https://a.com/cb\u0085x',
    'https://a.com/cb\u2028x',
    'https://a.com/cb\u200b',
    'https://a.com/cb\u202e',
    'https://ex\u202eample.com/cb',
    'https://a.com/cb\u061c',
    'https://a.com/cb\u180e',
    'https://a.com/cb\u206a',
    'https://a.com/cb\ufff9',
    'https://a.com/cb\u{e0001}',
    'https://a.com/cb\u3164',
    'https://a.com/cb\u034f',
    `https://${CYRILLIC.a}.com/cb`,
    'https://а.com/cb',
    'javascript:alert(1)//https://a.com/cb',
    'JAVASCRIPT://a.com/%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'HTTPS://A.COM/CB',
    'https:///a.com/cb',
    'https://a.com:99999/cb',
    'https://a.com:8a/cb',
    'https://[::1/cb',
    'https://[x]/cb',
    'https://:443/cb',
    'https://1.2.3.4.5/cb',
    'https://999.1.1.1/cb',
    'https://a..com/cb',
    'https://0x7f.1/cb',
    'https://a.com:/cb',
    long(3999),
    long(4000),
    long(4001),
    long(4096),
    long(8000),
    'https://a.com/?' + '&scope=merchant_funds'.repeat(300),
    'https://a.com/cb?e=😀&f=中文&g=\u{10fffd}',
    'https://a.com/cb?x=1\u0001\u0007',
    'https://a.com/cb?x=' + rng.digits(6) + '\ufffd\uffff\ue000',
  ];
}

/** Well-formed 回调地址 (the link must carry them byte for byte). */
export function fineCallbacks(rng) {
  return [
    `https://shop${rng.digits(3)}.example.com/kwai/callback`,
    'https://example.com/cb?x=1',
    `https://erp.example-shop.cn/ks/授权回调?channel=kwai&shop=旗舰店&n=${rng.digits(4)}`,
    'https://a.com/cb?x=1&y=2#frag',
    "https://a.com/cb?q=it's(1)*!~",
    'http://localhost:3000/callback',
  ];
}

const PACKAGES = [
  ['user_info', '用户基本信息'],
  ['merchant_item', '读取或更新店铺的商品数据'],
  ['merchant_order', '读取或更新店铺的订单信息'],
  ['merchant_refund', '读取或更新店铺的售后信息'],
  ['merchant_user', '商家用户信息'],
  ['merchant_logistics', '物流'],
  ['merchant_comment', '评价'],
  ['merchant_servicemarket', '服务市场'],
];

const STATUS_PLAIN = { owned: '已获取', missing: '未获取', pending: '申请中' };

/** 已获取 and friends written every way a page might: entities, zero-width, traditional, mojibake. */
export function statusEncodings(status) {
  const word = STATUS_PLAIN[status];
  const chars = [...word];
  const dec = chars.map((c) => `&#${c.codePointAt(0)};`).join('');
  const hex = chars.map((c) => `&#x${c.codePointAt(0).toString(16).toUpperCase()};`).join('');
  const mojibake = Buffer.from(word, 'utf8').toString('latin1');
  const percent = encodeURIComponent(word);
  const traditional = { owned: '已獲取', missing: '未獲取', pending: '申請中' }[status];
  return [
    { html: word },
    { html: dec },
    { html: hex },
    { html: `${chars[0]}&#${chars[1].codePointAt(0)};${chars[2]}` },
    { html: esc(chars.join('\u200b')) },
    { html: esc(chars.join('\u200d')) },
    { html: esc(`\u202e${[...chars].reverse().join('')}`) },
    { html: esc(traditional) },
    { html: esc(mojibake) },
    { html: esc(percent) },
    { html: `<b>${word.slice(0, 1)}</b>${word.slice(1)}` },
    { html: esc([...STATUS_PLAIN[status]].join(' ')) },
    { html: `${word}<img src="x" onerror="window.__sdPwned='raw-status'">` },
    { html: esc(`${word}${STATUS_PLAIN[status === 'owned' ? 'missing' : 'owned']}`) },
  ];
}

/** Text that is no text: control characters (never NUL), C1, private use, non-characters. */
export function noise(rng, length) {
  const ranges = [[0x01, 0x08], [0x0b, 0x0c], [0x0e, 0x1f], [0x7f, 0x9f], [0xe000, 0xe0ff], [0xfff0, 0xfffd], [0xfffe, 0xffff], [0x2400, 0x243f], [0x10fff0, 0x10fffd]];
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = rng.pick(ranges);
    out += String.fromCodePoint(lo + rng.int(hi - lo + 1));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Templates of the four kinds

const APP_SIDER = `<div class="ant-layout-sider"><ul class="ant-menu ant-menu-inline" role="menu">
  <li class="ant-menu-item">控制台首页</li><li class="ant-menu-item ant-menu-item-selected">应用管理</li>
  <li class="ant-menu-item">授权管理</li><li class="ant-menu-item">消息推送</li></ul></div>`;

function fieldRow(layout, label, value) {
  switch (layout) {
    case 'dl':
      return `<dt>${cell(label)}</dt><dd>${cell(value)}</dd>`;
    case 'inline':
      return `<div class="row">${cell(label)}：${cell(value)}</div>`;
    case 'cards':
      return `<div class="field"><div class="label">${cell(label)}</div><div class="value">${cell(value)}</div></div>`;
    default:
      return `<tr class="ant-descriptions-row"><th class="ant-descriptions-item-label">${cell(label)}</th><td class="ant-descriptions-item-content">${cell(value)}</td></tr>`;
  }
}

function fieldsBlock(layout, rows) {
  const inner = rows.map(([l, v]) => fieldRow(layout, l, v)).join('\n');
  if (layout === 'dl') return `<dl class="info">${inner}</dl>`;
  if (layout === 'inline' || layout === 'cards') return `<div class="info">${inner}</div>`;
  return `<div class="ant-descriptions ant-descriptions-bordered"><div class="ant-descriptions-title">基本信息</div><div class="ant-descriptions-view"><table><tbody>${inner}</tbody></table></div></div>`;
}

function packagesBlock(layout, rows) {
  if (layout === 'cards') {
    return `<div class="pkg-list">${rows.map((r) => `<div class="pkg-card"><div class="name">${cell(r.name)}</div><div class="desc">${cell(r.desc)}</div><div class="status">${cell(r.status)}</div>${cell(r.extra)}</div>`).join('')}</div>`;
  }
  return `<div class="ant-table-wrapper"><table><thead class="ant-table-thead"><tr><th>权限包名称</th><th>说明</th><th>状态</th><th>操作</th></tr></thead><tbody class="ant-table-tbody">${rows
    .map((r) => `<tr class="ant-table-row"><td>${cell(r.name)}</td><td>${cell(r.desc)}</td><td><span class="ant-tag">${cell(r.status)}</span></td><td>${cell(r.extra ?? '-')}</td></tr>`)
    .join('\n')}</tbody></table></div>`;
}

/**
 * An app detail page. `o`: {name, type, key, callback, secret, layout, pkgLayout, packages,
 * extraFields, before, after, head, title, depth, siblingsBefore, siblingsAfter}.
 */
function appHtml(o) {
  const rows = [
    [o.labels?.name ?? '应用名称', o.name],
    [o.labels?.type ?? '应用类型', o.type],
    [o.labels?.key ?? 'appKey', o.key],
    ['appSecret', o.secret ?? { html: 'Yk3xQ9pLm2TzR8wVb4Nc7A <a>重置</a>' }],
    [o.labels?.callback ?? '回调地址', o.callback],
    ...(o.extraFields ?? []),
  ].filter(([, v]) => v !== undefined);
  const content = `<div class="ant-breadcrumb"><span>应用中心</span> / <span>应用管理</span> / <span>应用详情</span></div>
${o.before ?? ''}
${fieldsBlock(o.layout ?? 'ant', rows)}
<div class="ant-card"><div class="ant-card-head"><div class="ant-card-head-title">权限包</div></div><div class="ant-card-body">
${packagesBlock(o.pkgLayout ?? 'table', o.packages ?? [])}
</div></div>
${o.after ?? ''}`;
  const body = `<div class="ant-layout">${APP_SIDER}<div class="ant-layout-content">${o.siblingsBefore ?? ''}${nest(o.depth ?? 0, content)}${o.siblingsAfter ?? ''}</div></div>
<div class="ant-layout-footer">快手电商开放平台 ©2024</div>`;
  return doc({ title: o.title ?? '应用详情 - 快手电商开放平台', head: o.head ?? '', body });
}

const API_SIDER = ['open.order.cursor.list', 'open.order.detail', 'open.item.get', 'open.item.list.get', 'open.item.edit']
  .map((m) => `<li class="ant-menu-item" role="menuitem">${m}</li>`)
  .join('');

/** An API detail page. `o`: {h1, method, needsAuth, description, permLabel, packages, code, before, after, head, depth, siblings}. */
function apiHtml(o) {
  const content = `<div class="api-title"><h1>${cell(o.h1 ?? '获取商品详情')}</h1><span class="api-name">${cell(o.method ?? 'open.item.get')}</span>
<span class="ant-tag ant-tag-orange">${cell(o.needsAuth ?? '需用户授权')}</span><span class="ant-tag">GET</span></div>
${o.before ?? ''}
<div class="ant-descriptions"><div class="ant-descriptions-title">描述</div><p>${cell(o.description ?? '根据商品ID获取商品的详细数据。')}</p></div>
<h2>请求参数</h2><div class="ant-table-wrapper"><table><thead><tr><th>名称</th><th>类型</th><th>是否必填</th><th>描述</th></tr></thead>
<tbody><tr><td>${cell(o.param ?? 'kwaiItemId')}</td><td>Long</td><td>是</td><td>${cell(o.paramDesc ?? '快手商品ID')}</td></tr></tbody></table></div>
<h2>响应示例</h2><pre class="code-block">${cell(o.code ?? '{"result": 28, "error_msg": "token中无scope权限", "scope": "merchant_order"}')}</pre>
<div class="ant-descriptions ant-descriptions-bordered"><div class="ant-descriptions-header"><div class="ant-descriptions-title">${cell(o.permTitle ?? '权限说明')}</div></div>
<div class="ant-descriptions-view"><table><tbody><tr class="ant-descriptions-row"><th class="ant-descriptions-item-label">${cell(o.permLabel ?? '权限包')}</th>
<td class="ant-descriptions-item-content">${(o.packages ?? ['merchant_item']).map(cell).join(' ')}</td></tr></tbody></table></div></div>
${o.after ?? ''}`;
  const body = `<header class="ant-layout-header"><span class="logo">快手电商开放平台</span><a href="/zone/new/console">控制台</a></header>
<section class="ant-layout ant-layout-has-sider"><aside class="ant-layout-sider"><ul class="ant-menu ant-menu-inline" role="menu">${o.sider ?? API_SIDER}</ul></aside>
<main class="ant-layout-content">${o.siblings ?? ''}${nest(o.depth ?? 0, content)}</main></section>
<footer class="ant-layout-footer">© 2024 快手电商开放平台</footer>`;
  const head = `<link rel="canonical" href="${esc(o.canonical ?? 'https://open.kwaixiaodian.com/zone/new/docs/api?name=open.item.get&version=1')}">${o.head ?? ''}`;
  return doc({ title: o.title ?? '获取商品详情 - 快手电商开放平台', head, body });
}

/** A 授权管理 page with the 发起授权 dialog. `o`: {users: [{id, name, status, extra}], links, dialogTitle, before, after, head, depth, rowsHtml}. */
function usersHtml(o) {
  const rows =
    o.rowsHtml ??
    (o.users ?? [])
      .map(
        (u) =>
          `<tr class="ant-table-row"><td>${cell(u.id)}</td><td>${cell(u.name)}</td><td><span class="ant-tag">${cell(u.status)}</span></td><td>-</td><td><a>发起授权</a> ${cell(u.extra)}</td></tr>`,
      )
      .join('\n');
  const links = (o.links ?? []).map((l) => `<div class="link-box"><div class="link-text">${cell(l)}</div><button class="ant-btn">复制链接</button></div>`).join('\n');
  const content = `<div class="ant-page-header-heading-title">授权管理</div>
<div class="ant-tabs"><div class="ant-tabs-nav"><div class="ant-tabs-tab ant-tabs-tab-active">测试用户</div><div class="ant-tabs-tab">授权用户</div></div></div>
${o.before ?? ''}
<div class="ant-table-wrapper"><table><thead class="ant-table-thead"><tr><th>用户ID</th><th>用户名称</th><th>授权状态</th><th>有效期</th><th>操作</th></tr></thead>
<tbody class="ant-table-tbody">${rows}</tbody></table></div>${o.after ?? ''}`;
  const dialog = links
    ? `<div class="ant-modal-root"><div class="ant-modal-wrap" role="dialog"><div class="ant-modal"><div class="ant-modal-content">
<div class="ant-modal-header"><div class="ant-modal-title">${cell(o.dialogTitle ?? '发起授权')}</div></div>
<div class="ant-modal-body"><p>请使用快手APP扫码授权</p>${links}</div></div></div></div></div>`
    : '';
  const body = `<div class="ant-layout"><div class="ant-layout-sider"><ul class="ant-menu" role="menu"><li class="ant-menu-item">应用管理</li><li class="ant-menu-item ant-menu-item-selected">授权管理</li></ul></div>
<div class="ant-layout-content">${nest(o.depth ?? 0, content)}</div></div>${dialog}`;
  const head = `<link rel="canonical" href="https://open.kwaixiaodian.com/zone/new/console/auth/testUser?appKey=ks685673047213">${o.head ?? ''}`;
  return doc({ title: o.title ?? '授权管理 - 快手电商开放平台', head, body });
}

/** A 授权查询工具 page. `o`: {heading, openId, expires, scopesLabel, scopes (cells), before, after, depth, chipsHtml}. */
function tokenHtml(o) {
  const chips = o.chipsHtml ?? (o.scopes ?? ['user_info', 'merchant_item']).map((s) => `<span class="chip">${cell(s)}</span>`).join('\n');
  const content = `<h1>${cell(o.heading ?? '授权查询工具')}</h1>
<div class="field"><div class="label">Access token</div><div class="value"><input type="text" value="${esc(o.token ?? 'ChFvYXV0aC5hY2Nlc3NUb2tlbhJAp0Oi9Uy8Tr7Ew6Qa5Sd4Fg3Hj2Kl1Zx0Cv9Bn8Mq7')}"> <button>查询</button></div></div>
${o.before ?? ''}
<div class="result"><h2>查询结果</h2>
<div class="field"><div class="label">Open ID</div><div class="value">${cell(o.openId ?? '9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e')}</div></div>
<div class="field"><div class="label">过期时间</div><div class="value">${cell(o.expires ?? '2024-07-22 18:00:05')}</div></div>
<div class="field"><div class="label">${cell(o.scopesLabel ?? '授权范围')}</div><div class="value">${chips}</div></div></div>
${o.after ?? ''}`;
  const body = `<div class="navbar"><a href="/zone/new/console">控制台</a><a href="/zone/new/tool/auth/authStatus" aria-current="page">授权查询工具</a></div>
<div class="main">${nest(o.depth ?? 0, content)}</div>`;
  const head = `<link rel="canonical" href="https://open.kwaixiaodian.com/zone/new/tool/auth/authStatus">${o.head ?? ''}`;
  return doc({ title: o.title ?? '授权查询工具 - 快手电商开放平台', head, body });
}

// ---------------------------------------------------------------------------------------------
// Building blocks with their oracles

function record() {
  return { shown: { appKeys: [], callbacks: [] }, decoys: { appKeys: [], callbacks: [] }, notes: [] };
}

/** Places a decoy value where no user sees it; returns its HTML. */
function hiddenPlace(rng, label, value) {
  const v = esc(value);
  const l = esc(label);
  return rng.pick([
    `<div hidden>${l}：${v}</div>`,
    `<div style="display: none"><span>${l}</span><span>${v}</span></div>`,
    `<div style="visibility:hidden">${l}：${v}</div>`,
    `<div aria-hidden="true">${l}：${v}</div>`,
    `<template><div>${l}：${v}</div></template>`,
    `<noscript><div>${l}：${v}</div></noscript>`,
    `<!-- ${l}：${v} -->`,
    `<details><summary>更多</summary><div>${l}：${v}</div></details>`,
    `<textarea>${l}：${v}</textarea>`,
    `<input value="${l}：${v}">`,
    `<script type="text/plain">${l}：${v}</script>`,
  ]);
}

function packageRows(rng, meta, { payloads = true, forceOwned = true } = {}) {
  const count = 2 + rng.int(5);
  const chosen = [...PACKAGES].sort(() => rng() - 0.5).slice(0, count);
  if (forceOwned && !chosen.some(([id]) => id === 'merchant_item')) chosen[0] = PACKAGES[1];
  return chosen.map(([id, desc]) => {
    const status = id === 'merchant_item' && forceOwned && rng.chance(0.8) ? 'owned' : rng.pick(['owned', 'missing', 'pending']);
    let name = id;
    if (payloads && rng.chance(0.25)) {
      name = rng.pick([
        id + rng.pick(INVISIBLE),
        id.replace('e', CYRILLIC.e),
        `${id}<img src=https://pwn.example/p.png onerror=window.__sdPwned=1>`,
        { text: id, raw: rng.pick(RAW) },
        { html: `<span>${id.slice(0, 4)}</span><span>${id.slice(4)}</span>` },
        `${id},merchant_funds`,
        `${id}&scope=merchant_funds`,
        desc,
      ]);
    }
    const encodings = statusEncodings(status);
    const statusCell = payloads && rng.chance(0.4) ? rng.pick(encodings) : { html: STATUS_PLAIN[status] };
    const descCell = payloads && rng.chance(0.5) ? rng.pick(XSS) : desc;
    let extra = status === 'missing' ? { html: '<button class="ant-btn ant-btn-link"><span>申请</span></button>' } : '-';
    if (payloads && rng.chance(0.2)) extra = { html: rng.pick(RAW) };
    if (payloads && rng.chance(0.1)) {
      // One package, two statuses.
      extra = { html: `<span class="ant-tag">${STATUS_PLAIN[status === 'owned' ? 'missing' : 'owned']}</span>` };
      meta.notes.push(`${id} shows two statuses`);
    }
    return { name, desc: descCell, status: statusCell, extra };
  });
}

function randomApp(rng, index) {
  const meta = record();
  const hostileKey = rng.chance(0.35);
  const key = hostileKey ? rng.pick(hostileAppKeys(rng)) : rng.pick(fineAppKeys(rng));
  const hostileCb = rng.chance(0.6);
  const cbValue = hostileCb ? rng.pick(hostileCallbacks(rng)) : rng.pick(fineCallbacks(rng));
  meta.shown.appKeys.push(key);
  meta.shown.callbacks.push(cbValue);
  meta.notes.push(`appKey ${JSON.stringify(key).slice(0, 60)}`, `callback ${JSON.stringify(cbValue).slice(0, 80)}`);

  let callback = cbValue;
  const shape = rng.int(6);
  if (shape === 1) {
    // Shown cut short; the full form in href.
    const cut = cbValue.slice(0, Math.max(8, Math.floor(cbValue.length * 0.6))) + '…';
    callback = { text: cut, href: cbValue };
    meta.shown.callbacks.push(cut);
    meta.notes.push('callback cut short, full form in href');
  } else if (shape === 2) {
    // Cut short; the title holds an address that does NOT start with the cut text.
    const cut = 'https://a.com/cb…';
    callback = { text: cut, title: 'https://evil.example/cb', href: 'javascript:window.__sdPwned=1' };
    meta.shown.callbacks.push(cut, 'https://evil.example/cb');
    meta.notes.push('cut callback with a foreign title');
  } else if (shape === 3) {
    callback = { text: cbValue, raw: rng.pick(RAW) };
  } else if (shape === 4) {
    callback = { text: `${cbValue} 修改`, raw: ' <a>修改</a>' };
  }

  const name = rng.chance(0.7) ? rng.pick([...XSS, '小店助手\u202e', `小店${CYRILLIC.o}助手\u200b`, '${name}', noise(rng, 12)]) : '小店助手';
  const type = rng.chance(0.4) ? rng.pick(['商家后台应用<img src=https://pwn.example/t.png onerror=window.__sdPwned=1>', '第三方应用（服务市场）', '商家后台应用 第三方应用', { text: '商家后台应用', raw: rng.pick(RAW) }, '{{type}}']) : '商家后台应用';
  const labels = rng.chance(0.3)
    ? {
        key: rng.pick(['ＡｐｐＫｅｙ', 'App Key', '应用Key', 'app_key', 'AppKey：', `${CYRILLIC.a}ppKey`, 'app\u200bKey']),
        callback: rng.pick(['授权回调地址', 'Redirect URI', '回调URL', 'callback', `回调地址\u200b`, '回调 地址']),
      }
    : undefined;
  if (labels) meta.notes.push(`labels ${JSON.stringify(labels)}`);

  const extraFields = [];
  let before = '';
  let after = '';
  if (rng.chance(0.15)) {
    // Conflicting visible values.
    const other = rng.chance(0.5) ? rng.pick(fineAppKeys(rng)) : key;
    extraFields.push(['appKey', other]);
    meta.shown.appKeys.push(other);
    meta.notes.push(other === key ? 'appKey shown twice' : 'two different appKeys');
  }
  if (rng.chance(0.15)) {
    const other = rng.pick(fineCallbacks(rng));
    extraFields.push(['回调地址', other]);
    meta.shown.callbacks.push(other);
    meta.notes.push('two callbacks');
  }
  if (rng.chance(0.3)) {
    const decoyKey = `ks6${rng.digits(11)}`;
    const decoyCb = `https://decoy${rng.digits(3)}.example/hidden`;
    before += hiddenPlace(rng, 'appKey', decoyKey) + hiddenPlace(rng, '回调地址', decoyCb);
    meta.decoys.appKeys.push(decoyKey);
    meta.decoys.callbacks.push(decoyCb);
    meta.notes.push('hidden decoy appKey and callback');
  }
  if (rng.chance(0.2)) {
    after += `<div class="noise">${esc(noise(rng, 200 + rng.int(2000)))}</div>`;
    meta.notes.push('binary-ish noise');
  }
  if (rng.chance(0.2)) {
    before += `<p>${rng.pick(RAW)}</p>`;
  }
  const depth = rng.chance(0.2) ? rng.int(300) : 0;
  const html = appHtml({
    name,
    type,
    key,
    callback,
    labels,
    layout: rng.pick(['ant', 'dl', 'inline', 'cards']),
    pkgLayout: rng.pick(['table', 'cards']),
    packages: packageRows(rng, meta),
    extraFields,
    before,
    after,
    depth,
    title: rng.chance(0.2) ? esc(rng.pick(XSS)) : undefined,
  });
  return { kind: 'app', name: `app-mix-${index}`, html, ...meta };
}

const METHODS = [
  'open.item.get',
  'open.item.get<img src=https://pwn.example/m.png onerror=window.__sdPwned=1>',
  'open.item.get\u200b',
  `${CYRILLIC.o}pen.item.get`,
  'open.item.get&scope=merchant_funds',
  'open.item.get?app_id=ks999',
  'open.item.get open.order.detail',
  '\u202eteg.meti.nepo',
  'open.' + 'a.'.repeat(2000) + 'get',
  'ｏｐｅｎ．ｉｔｅｍ．ｇｅｔ',
  '{{method}}',
  'open.order.detail',
];

function randomApi(rng, index) {
  const meta = record();
  const method = rng.chance(0.6) ? rng.pick(METHODS) : 'open.item.get';
  const pkgs = rng.chance(0.6)
    ? rng.pick([
        ['merchant_item'],
        ['merchant_item', 'merchant_funds'],
        ['merchant_item<img src=https://pwn.example/p.png onerror=window.__sdPwned=1>'],
        [`merchant_item${rng.pick(INVISIBLE)}`],
        [{ text: 'merchant_item', raw: rng.pick(RAW) }],
        ['merchant_item,merchant_funds&app_id=ks999'],
        ['商品信息（授权）'],
        [`m${CYRILLIC.e}rchant_item`],
        [rng.pick(XSS)],
        [noise(rng, 40)],
      ])
    : ['merchant_item'];
  meta.notes.push(`method ${JSON.stringify(method).slice(0, 60)}`, `packages ${JSON.stringify(pkgs).slice(0, 80)}`);
  const html = apiHtml({
    h1: rng.chance(0.4) ? rng.pick(XSS) : '获取商品详情',
    method,
    needsAuth: rng.chance(0.3) ? rng.pick(['需用户授权<script>window.__sdPwned=1</script>', '不需用户授权 需用户授权', { text: '需用户授权', raw: rng.pick(RAW) }]) : '需用户授权',
    description: rng.chance(0.5) ? rng.pick([...XSS, noise(rng, 300)]) : undefined,
    param: rng.chance(0.3) ? rng.pick(XSS) : undefined,
    code: rng.chance(0.3) ? `{"scope": "merchant_funds", "x": "${rng.pick(XSS)}"}` : undefined,
    permLabel: rng.chance(0.3) ? rng.pick(['所属权限包', 'Permission package', '权限包<img src=https://pwn.example/l.png>', `权限${CYRILLIC.p}包`, '权\u200b限包']) : undefined,
    packages: pkgs,
    before: rng.chance(0.3) ? `<p>${rng.pick(RAW)}</p>` : '',
    after: rng.chance(0.3) ? hiddenPlace(rng, '权限包', 'merchant_funds') : '',
    depth: rng.chance(0.2) ? rng.int(300) : 0,
    canonical: rng.chance(0.2) ? rng.pick(['javascript:window.__sdPwned=1', 'https://open.kwaixiaodian.com/zone/new/docs/api?name=open.item.get%22%3E%3Cimg%20src%3Dx%3E&version=1', 'https://evil.example/docs/api?name=open.funds.get']) : undefined,
  });
  return { kind: 'api', name: `api-mix-${index}`, html, ...meta };
}

function hostileLinks(rng) {
  const base = 'https://open.kwaixiaodian.com/oauth/authorize?';
  return [
    `${base}app_id=ks685673047213&redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1&scope=user_info,merchant_item&response_type=code`,
    `${base}app_id=ks685673047213&redirect_uri=javascript:window.__sdPwned=1&scope=user_info&response_type=code`,
    `${base}app_id=ks1&app_id=ks2&redirect_uri=https://a.com/cb?x=1&scope=merchant_funds&response_type=token&evil=1`,
    `${base}app_id=ks685673047213"><img src=https://pwn.example/l.png onerror=window.__sdPwned=1>`,
    `${base}appId=ks685673047213&redirectUri=https://a.com/cb&scope=${'merchant_item,'.repeat(500)}`,
    `${base}app_id=ks685673047213\u202e&redirect_uri=https%3A%2F%2Fa.com&scope=user_info&response_type=code`,
    `https://open.kuaishou.com/oauth2/authorize?app_id={appKey}&redirect_uri={{cb}}&scope=\${s}`,
    `${base}` + 'x'.repeat(5000 + rng.int(100)),
  ];
}

function randomUsers(rng, index) {
  const meta = record();
  const count = 1 + rng.int(6);
  const users = [];
  for (let k = 0; k < count; k++) {
    users.push({
      id: rng.chance(0.4) ? rng.pick(['__proto__', 'constructor', `${rng.digits(10)}\u200b`, `${rng.digits(6)}<img src=https://pwn.example/u.png>`, noise(rng, 10), '1'.repeat(5000), `${rng.digits(4)}\u202e${rng.digits(4)}`, { text: rng.digits(10), raw: rng.pick(RAW) }]) : rng.digits(10),
      name: rng.chance(0.5) ? rng.pick(XSS) : `小店测试号${k}`,
      status: rng.chance(0.3) ? rng.pick(['已建立授权未授权', '已建立授权<script>window.__sdPwned=1</script>', { html: '&#24050;&#24314;&#31435;&#25480;&#26435;' }, '已\u200b建立授权', 'authorized', 'Revoked']) : rng.pick(['已建立授权', '未授权', '已过期']),
      extra: rng.chance(0.3) ? { html: rng.pick(RAW) } : '',
    });
  }
  const links = rng.chance(0.8) ? [rng.pick(hostileLinks(rng)), ...(rng.chance(0.5) ? [rng.pick(hostileLinks(rng))] : [])] : [];
  meta.notes.push(`${count} users, ${links.length} dialog links`);
  const html = usersHtml({
    users,
    links,
    dialogTitle: rng.chance(0.3) ? rng.pick(XSS) : undefined,
    before: rng.chance(0.3) ? `<p>${rng.pick(RAW)}</p>` : '',
    after: rng.chance(0.2) ? `<div>${esc(noise(rng, 500))}</div>` : '',
    depth: rng.chance(0.2) ? rng.int(300) : 0,
  });
  return { kind: 'users', name: `users-mix-${index}`, html, ...meta };
}

function randomToken(rng, index) {
  const meta = record();
  const scopes = rng.chance(0.6)
    ? [
        'user_info',
        rng.pick([
          'merchant_item<img src=https://pwn.example/s.png onerror=window.__sdPwned=1>',
          `merchant_item${rng.pick(INVISIBLE)}`,
          `m${CYRILLIC.e}rchant_item`,
          'merchant_item,merchant_funds',
          { text: 'merchant_order', raw: rng.pick(RAW) },
          rng.pick(XSS),
          noise(rng, 30),
          'merchant_item'.repeat(400),
        ]),
      ]
    : ['user_info', 'merchant_item', 'merchant_order'];
  meta.notes.push(`scopes ${JSON.stringify(scopes).slice(0, 80)}`);
  const html = tokenHtml({
    heading: rng.chance(0.3) ? rng.pick(['授权查询工具<img src=https://pwn.example/h.png>', { text: '授权查询工具', raw: rng.pick(RAW) }, 'Token query tool']) : undefined,
    openId: rng.chance(0.4) ? rng.pick(XSS) : undefined,
    expires: rng.chance(0.3) ? rng.pick(XSS) : undefined,
    scopesLabel: rng.chance(0.3) ? rng.pick(['Scopes', 'scope<svg onload=window.__sdPwned=1>', '权限\u200b包', '已授权权限包']) : undefined,
    scopes,
    token: rng.chance(0.3) ? rng.pick(XSS) : undefined,
    before: rng.chance(0.3) ? `<p>${rng.pick(RAW)}</p>` + hiddenPlace(rng, 'scopes', 'merchant_funds') : '',
    depth: rng.chance(0.2) ? rng.int(300) : 0,
  });
  return { kind: 'token', name: `token-mix-${index}`, html, ...meta };
}

// ---------------------------------------------------------------------------------------------
// The listed special cases

const FIVE_MB = 5 * 1024 * 1024;

/** A plain app page around one changed field; returns the page with its oracles. */
function appCase(name, rng, { key, callback, shownCallbacks, notes = [], heavy = false, ...rest }) {
  const meta = record();
  const k = key ?? `ks${rng.digits(12)}`;
  const cb = callback ?? 'https://example.com/cb?x=1';
  meta.shown.appKeys.push(k);
  if (typeof cb === 'string') meta.shown.callbacks.push(cb);
  meta.shown.callbacks.push(...(shownCallbacks ?? []));
  meta.notes.push(...notes);
  const html = appHtml({
    name: '小店助手',
    type: '商家后台应用',
    key: k,
    callback: cb,
    packages: [
      { name: 'user_info', desc: '用户基本信息', status: { html: '已获取' }, extra: '-' },
      { name: 'merchant_item', desc: '商品', status: { html: '已获取' }, extra: '-' },
      { name: 'merchant_order', desc: '订单', status: { html: '未获取' }, extra: { html: '<button>申请</button>' } },
    ],
    ...rest,
  });
  return { kind: 'app', name, html, heavy, ...meta };
}

function specials() {
  const list = [];
  const add = (fn) => list.push(fn);

  // One app page per hostile appKey, per well-formed appKey, per hostile and fine callback.
  const r0 = rngFor(-1);
  hostileAppKeys(r0).forEach((key, k) => {
    add((rng) => appCase(`app-key-${k}`, rng, { key, notes: [`appKey ${JSON.stringify(key).slice(0, 60)}`] }));
  });
  fineAppKeys(r0).forEach((key, k) => {
    add((rng) => appCase(`app-key-fine-${k}`, rng, { key }));
  });
  hostileCallbacks(r0).forEach((cb, k) => {
    add((rng) => appCase(`app-callback-${k}`, rng, { callback: cb, notes: [`callback ${JSON.stringify(cb).slice(0, 80)}`] }));
  });
  fineCallbacks(r0).forEach((cb, k) => {
    add((rng) => appCase(`app-callback-fine-${k}`, rng, { callback: cb }));
  });

  // Cut-short callbacks and their full forms.
  add((rng) => appCase('app-cut-href', rng, { callback: { text: 'https://a.com/cb…', href: 'https://a.com/cb?x=1&scope=merchant_funds' }, shownCallbacks: ['https://a.com/cb…', 'https://a.com/cb?x=1&scope=merchant_funds'] }));
  add((rng) => appCase('app-cut-title-5000', rng, { callback: { text: 'https://a.com/cb?x=aaaa...', title: 'https://a.com/cb?x=' + 'a'.repeat(5000) }, shownCallbacks: ['https://a.com/cb?x=aaaa...', 'https://a.com/cb?x=' + 'a'.repeat(5000)] }));
  add((rng) => appCase('app-cut-evil-href', rng, { callback: { text: 'https://a.com/cb…', href: 'javascript:window.__sdPwned=1//https://a.com/cb' }, shownCallbacks: ['https://a.com/cb…', 'javascript:window.__sdPwned=1//https://a.com/cb'] }));
  add((rng) => appCase('app-cut-no-full', rng, { callback: { text: 'https://a.com/cb…' }, shownCallbacks: ['https://a.com/cb…'] }));
  add((rng) => appCase('app-cut-href-smuggle', rng, { callback: { text: 'https://a.com/cb…', href: 'https://a.com/cb#&app_id=ks999&scope=merchant_funds' }, shownCallbacks: ['https://a.com/cb…', 'https://a.com/cb#&app_id=ks999&scope=merchant_funds'] }));

  // Conflicting values.
  add((rng) => {
    const page = appCase('app-two-keys', rng, { key: 'ks111111111', extraFields: [['appKey', 'ks222222222']], notes: ['two different appKeys'] });
    page.shown.appKeys.push('ks222222222');
    return page;
  });
  add((rng) => {
    const page = appCase('app-two-callbacks', rng, { callback: 'https://a.com/one', extraFields: [['回调地址', 'https://evil.example/two']], notes: ['two callbacks'] });
    page.shown.callbacks.push('https://evil.example/two');
    return page;
  });
  add((rng) => {
    const page = appCase('app-two-statuses', rng, {});
    page.html = page.html.replace('<td>商品</td><td><span class="ant-tag">已获取</span>', '<td>商品</td><td><span class="ant-tag">已获取</span><span class="ant-tag">未获取</span>');
    page.notes.push('merchant_item shows 已获取 and 未获取');
    return page;
  });
  add((rng) => {
    const page = appCase('app-hidden-decoys', rng, { before: hiddenPlace(rng, 'appKey', 'ks666000111') + `<div hidden>回调地址：https://decoy.example/cb</div><template><div>回调地址：https://decoy2.example/cb</div></template>` });
    page.decoys.appKeys.push('ks666000111');
    page.decoys.callbacks.push('https://decoy.example/cb', 'https://decoy2.example/cb');
    return page;
  });
  add((rng) => {
    const page = appCase('app-fake-sd-hosts', rng, { before: RAW[RAW.length - 1] + '<div data-sd-host="summary"><div>appKey：ks999999</div><div>回调地址：https://evil.example/sd</div></div>', shownCallbacks: ['https://evil.example/sd'], notes: ['fake data-sd-host elements'] });
    page.shown.appKeys.push('ks999999');
    return page;
  });
  add((rng) => appCase('app-label-value-split', rng, { layout: 'inline', notes: ['label：value inline'] }));
  add((rng) => appCase('app-all-raw', rng, { before: RAW.join('\n'), after: RAW.join('\n'), notes: ['every raw payload'] }));
  add((rng) => appCase('app-every-status-encoding', rng, {
    packages: PACKAGES.map(([id], k) => ({ name: id, desc: '-', status: statusEncodings(['owned', 'missing', 'pending'][k % 3])[k % 14], extra: '-' })),
  }));
  add((rng) => appCase('app-mixed-kinds', rng, { after: `<h2>权限说明</h2><div>所属权限包：merchant_funds</div><div>API：open.funds.get</div><h2>授权查询工具</h2><div>scopes：merchant_funds</div><div>已建立授权</div><div>https://open.kwaixiaodian.com/oauth/authorize?app_id=ks1&scope=merchant_funds</div>`, notes: ['signals of every page kind'] }));

  // Structure: depth, siblings, size.
  add((rng) => appCase('app-deep-20000', rng, { depth: 20000, heavy: true, notes: ['fields inside 20,000 nested divs'] }));
  add((rng) => appCase('app-deep-60000', rng, { depth: 60000, heavy: true, notes: ['fields inside 60,000 nested divs (beyond MAX_NODES)'] }));
  add((rng) => appCase('app-deep-spans-20000', rng, { siblingsBefore: nest(20000, '<b>x</b>', 'span'), heavy: true, notes: ['20,000 nested spans before the fields'] }));
  add((rng) => appCase('app-siblings-100000-before', rng, { siblingsBefore: '<i></i>'.repeat(100000), heavy: true, notes: ['100,000 siblings before the fields'] }));
  add((rng) => appCase('app-siblings-100000-after', rng, { siblingsAfter: '<i>x</i>'.repeat(100000), heavy: true, notes: ['100,000 siblings after the fields'] }));
  add((rng) => appCase('app-rows-100000', rng, {
    packages: Array.from({ length: 100000 }, (_, k) => ({ name: PACKAGES[k % PACKAGES.length][0], desc: '', status: { html: ['已获取', '未获取', '申请中'][k % 3] }, extra: '' })),
    heavy: true,
    notes: ['100,000 package rows'],
  }));
  add((rng) => appCase('app-name-5mb', rng, { name: 'x'.repeat(FIVE_MB), heavy: true, notes: ['a 5 MB app name text node'] }));
  add((rng) => {
    const cb = 'https://a.com/cb?x=' + 'a'.repeat(FIVE_MB);
    return appCase('app-callback-5mb', rng, { callback: cb, heavy: true, notes: ['a 5 MB callback text node'] });
  });
  add((rng) => appCase('app-text-5mb-cjk', rng, { after: `<p>${'已获取merchant_funds'.repeat(FIVE_MB / 60)}</p>`, heavy: true, notes: ['a 5 MB text node of status words and package names'] }));
  add((rng) => {
    const full = 'https://a.com/cb?x=' + 'b'.repeat(2 * 1024 * 1024);
    return appCase('app-title-2mb', rng, { callback: { text: 'https://a.com/cb?x=bbb…', title: full }, shownCallbacks: ['https://a.com/cb?x=bbb…', full], heavy: true, notes: ['a 2 MB title holding the full callback'] });
  });
  add((rng) => appCase('app-attrs-huge', rng, {
    before: `<div class="${'c'.repeat(1024 * 1024)}" data-x="${'d'.repeat(2 * 1024 * 1024)}" style="${'color:red;'.repeat(100000)}" aria-label="${'已获取'.repeat(100000)}"></div>`,
    heavy: true,
    notes: ['huge class, data-, style and aria-label attributes'],
  }));
  add((rng) => appCase('app-noise-1mb', rng, { after: `<pre>${esc(noise(rng, 300000))}</pre><div>${esc(noise(rng, 300000))}</div>`, heavy: true, notes: ['1 MB of binary-ish noise'] }));
  add((rng) => appCase('app-oversize-21mb', rng, { after: `<p>${'z'.repeat(21 * 1024 * 1024)}</p>`, heavy: true, notes: ['over the 20 MB limit: exit 2 is the contract'] }));
  add((rng) => appCase('app-unclosed', rng, { after: '<div><table><tr><td><span><a><b><i>'.repeat(2000) + '<!--', notes: ['2,000 unclosed tags and an unclosed comment'] }));
  add((rng) => appCase('app-many-attrs', rng, { before: `<div ${Array.from({ length: 20000 }, (_, k) => `a${k}="${k}"`).join(' ')}>x</div>`, notes: ['20,000 attributes on one element'] }));

  // API pages.
  add((rng) => ({ kind: 'api', name: 'api-deep-20000', html: apiHtml({ depth: 20000 }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'api', name: 'api-siblings-100000', html: apiHtml({ siblings: '<p>open.order.detail</p>'.repeat(100000) }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'api', name: 'api-description-5mb', html: apiHtml({ description: 'open.item.get merchant_funds '.repeat(FIVE_MB / 29) }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'api', name: 'api-sider-100000', html: apiHtml({ sider: '<li role="menuitem">open.funds.get</li>'.repeat(100000) }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'api', name: 'api-all-methods', html: apiHtml({ method: METHODS.join(' '), packages: PACKAGES.map(([id]) => id) }), ...record() }));
  add((rng) => ({ kind: 'api', name: 'api-every-xss', html: apiHtml({ h1: XSS.join(' '), description: XSS.join('\n'), code: XSS.join('\n'), before: RAW.join('\n') }), ...record() }));

  // 授权管理 pages.
  add((rng) => ({ kind: 'users', name: 'users-rows-100000', html: usersHtml({ rowsHtml: Array.from({ length: 100000 }, (_, k) => `<tr><td>${1000000000 + k}</td><td>u</td><td>${k % 2 ? '已建立授权' : '未授权'}</td><td></td><td><a>发起授权</a></td></tr>`).join(''), links: [] }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'users', name: 'users-statuses-20000', html: usersHtml({ rowsHtml: `<tr><td>123456789</td><td>${'<span>已建立授权</span>'.repeat(20000)}</td></tr>` }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'users', name: 'users-deep-20000', html: usersHtml({ users: [{ id: '1938475620', name: 'a', status: '已建立授权' }], links: hostileLinks(rng), depth: 20000 }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'users', name: 'users-link-5mb', html: usersHtml({ users: [{ id: '1938475620', name: 'a', status: '已建立授权' }], links: ['https://open.kwaixiaodian.com/oauth/authorize?app_id=ks1&redirect_uri=' + 'r'.repeat(FIVE_MB)] }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'users', name: 'users-links-10000', html: usersHtml({ users: [{ id: '1938475620', name: 'a', status: '已建立授权' }], links: [Array.from({ length: 10000 }, (_, k) => `https://open.kwaixiaodian.com/oauth/authorize?app_id=ks${k}`).join(' ')] }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'users', name: 'users-every-link', html: usersHtml({ users: [{ id: '__proto__', name: XSS[0], status: '已建立授权' }, { id: 'constructor', name: XSS[1], status: '未授权' }], links: hostileLinks(rng) }), ...record() }));

  // 授权查询工具 pages.
  add((rng) => ({ kind: 'token', name: 'token-chips-100000', html: tokenHtml({ chipsHtml: '<span class="chip">merchant_item</span>'.repeat(100000) }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'token', name: 'token-scopes-5mb', html: tokenHtml({ scopes: ['user_info,merchant_item,'.repeat(FIVE_MB / 24)] }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'token', name: 'token-deep-20000', html: tokenHtml({ depth: 20000 }), heavy: true, ...record() }));
  add((rng) => ({ kind: 'token', name: 'token-every-xss', html: tokenHtml({ scopes: XSS, openId: XSS.join(' '), before: RAW.join('\n') }), ...record() }));
  return list;
}

let SPECIALS;

/** The page at `index`: a listed special case, else a random composition of its kind. */
export function hostilePage(index) {
  SPECIALS ??= specials();
  const rng = rngFor(index);
  let page;
  if (index < SPECIALS.length) {
    page = SPECIALS[index](rng);
  } else {
    const kind = KINDS[index % KINDS.length];
    page = { app: randomApp, api: randomApi, users: randomUsers, token: randomToken }[kind](rng, index);
  }
  page.index = index;
  page.name = `${String(index).padStart(3, '0')}-${page.name}`;
  page.heavy ??= page.html.length > 1024 * 1024;
  return page;
}

/** How many listed special cases come first. */
export function specialCount() {
  SPECIALS ??= specials();
  return SPECIALS.length;
}

/** `count` hostile pages: [{name, kind, html, index, heavy, shown, decoys, notes}]. */
export function hostilePages(count = 240) {
  return Array.from({ length: count }, (_, i) => hostilePage(i));
}
