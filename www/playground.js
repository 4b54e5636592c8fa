// The playground: moves the form's values into the wasm `diagnose` and draws what it answers.
// Every decision (which package, which verdict, the link, the explanation) is made in Rust;
// this file only reads inputs, writes text with textContent and paints QR modules on a canvas.
import init, { diagnose } from './pkg/scope_doctor.js';
import initQr, { qrModules } from './pkg/scope_doctor_qr.js';
import { el } from './shared/dom.js';

// ---- UI strings (presentation only; explanations come from Rust in both languages) ----

const STRINGS = {
  navPlayground: { zh: '在线诊断', en: 'Playground' },
  navInstall: { zh: '安装扩展', en: 'Install' },
  navConsole: { zh: '示例控制台页面', en: 'Example console pages' },
  title: { zh: '调用快手电商开放平台 API 报“token中无scope权限”？', en: 'Kuaishou e-commerce API says “token中无scope权限”?' },
  lead: {
    zh: '粘贴报错或日志，填上应用的 appKey、回调地址和权限包列表：Scope Doctor 会说出每个 API 缺哪个权限包、该谁去做什么，需要商家重新授权时直接给出授权链接和二维码。全部在本页的 WebAssembly 中计算，不发送任何数据。',
    en: 'Paste the error or a log and describe the app (appKey, 回调地址, package list): Scope Doctor tells, for each API, which permission package is missing and who must act, and gives the authorization link and QR code when the merchant must re-authorize. Everything runs in WebAssembly in this page; nothing is sent anywhere.',
  },
  inputTitle: { zh: '输入', en: 'Input' },
  exampleLabel: { zh: '示例', en: 'Example' },
  examplePick: { zh: '选择一个示例…', en: 'Pick an example…' },
  failureLabel: { zh: '报错信息或日志（可包含多个 API）', en: 'Error message or log (may name several APIs)' },
  failurePlaceholder: {
    zh: '例如：method=open.item.get {"result":28,"error_msg":"token中无scope权限"}',
    en: 'e.g. method=open.item.get {"result":28,"error_msg":"token中无scope权限"}',
  },
  appLegend: { zh: '应用（控制台 → 应用管理 → 应用详情）', en: 'App (console → 应用管理 → 应用详情)' },
  appNameLabel: { zh: '应用名称', en: 'App name' },
  callbackLabel: { zh: '回调地址', en: 'Callback URL (回调地址)' },
  appTypeLabel: { zh: '应用类型', en: 'App type' },
  typeMerchant: { zh: '商家后台应用', en: 'Merchant back-office app (商家后台应用)' },
  typeServiceMarket: { zh: '第三方应用（服务市场）', en: 'Third-party app (服务市场)' },
  typeUnknown: { zh: '不确定', en: 'Not sure' },
  packagesLabel: { zh: '权限包列表（每行一个，如“商品信息 已获取”）', en: 'Package list, one per line (e.g. “商品信息 已获取”)' },
  diagnose: { zh: '诊断', en: 'Diagnose' },
  resultsTitle: { zh: '诊断结果', en: 'Diagnosis' },
  readTitle: { zh: '从输入中读到的内容', en: 'What was read from the input' },
  readFailures: { zh: '报错', en: 'Errors' },
  readPackages: { zh: '权限包', en: 'Packages' },
  footer: {
    zh: 'Scope Doctor 是开发者工具，与快手无关。示例控制台页面是仿制的，不是真实控制台。',
    en: 'Scope Doctor is a developer tool, not affiliated with Kuaishou. The example console pages are imitations, not the real console.',
  },
  package: { zh: '权限包', en: 'Package' },
  firstLink: { zh: '第一个链接（电脑端，发给商家）', en: 'First link (PC, send it to the merchant)' },
  secondLink: { zh: '第二个链接（手机端）', en: 'Second link (mobile)' },
  merchantMessage: { zh: '发给商家的消息', en: 'Message for the merchant' },
  qrCaption: { zh: '商家用快手APP扫码打开第二个链接', en: 'The merchant scans this with the Kuaishou app to open the second link' },
  copy: { zh: '复制', en: 'Copy' },
  copied: { zh: '已复制', en: 'Copied' },
  copyFailed: { zh: '复制失败，请手动选择链接', en: 'Copy failed: select the link by hand' },
  loading: { zh: '正在加载 WebAssembly…', en: 'Loading WebAssembly…' },
  loadFailed: { zh: 'WebAssembly 加载失败：', en: 'Could not load the WebAssembly: ' },
  noFindings: { zh: '没有找到报错的 API：请粘贴包含 API 名称（如 open.item.get）的日志。', en: 'No failing API found: paste a log that names the API (e.g. open.item.get).' },
  count: { zh: '个 API', en: 'API(s)' },
  noApi: { zh: '（未写明 API）', en: '(no API named)' },
  none: { zh: '（无）', en: '(none)' },
};

/** Verdict labels from the extension's own `_locales` (copied to www/locales by www/build.mjs),
 *  so the playground names every verdict exactly as the badges do. */
const VERDICTS = {};

async function loadVerdictLabels() {
  for (const [lang, dir] of [['zh', 'zh_CN'], ['en', 'en']]) {
    const response = await fetch(`locales/${dir}/messages.json`);
    if (!response.ok) throw new Error(`locales/${dir}/messages.json: ${response.status}`);
    for (const [key, entry] of Object.entries(await response.json())) {
      if (!key.startsWith('verdict_')) continue;
      const verdict = key.slice('verdict_'.length).replaceAll('_', '-');
      VERDICTS[verdict] = { ...VERDICTS[verdict], [lang]: entry.message };
    }
  }
}

const STATUSES = { owned: '已获取', missing: '未获取', pending: '申请中' };

// ---- ready examples: each fills every input ----

const SHOP_APP = {
  app_name: '小店订单助手',
  app_key: 'ks721596384012',
  callback: 'https://shop.example.com/kwai/callback?from=console&v=2',
  app_type: 'merchant',
  packages: '用户基本信息 已获取\n商品信息 已获取\n订单API权限 未获取\n售后信息 申请中',
};

const EXAMPLES = [
  {
    id: 'multi',
    label: { zh: '多个 API 报错的日志（商家后台应用）', en: 'A log with several failing APIs (merchant app)' },
    app: SHOP_APP,
    failure: [
      '2024-06-18 10:21:07.331 ERROR [kwai-open] method=open.item.get body={"result":28,"error_msg":"token中无scope权限","request_id":"8f2a61c0"}',
      '2024-06-18 10:21:07.512 ERROR [kwai-open] method=open.order.cursor.list body={"result":28,"error_msg":"token中无scope权限"}',
      '2024-06-18 10:21:08.004 ERROR [kwai-open] method=open.refund.reject body={"result":28,"sub_msg":"token中无scope的权限"}',
      '2024-06-18 10:21:09.870 WARN  [kwai-open] method=open.distribution.cps.distributor.order.cursor.list body={"result":1800608,"error_msg":"暂无站外分销推广权限"}',
    ].join('\n'),
  },
  {
    id: 'reauthorize',
    label: { zh: '商品详情：应用有权限包，商家 token 没有', en: 'Item detail: the app holds the package, the token lacks it' },
    app: SHOP_APP,
    failure: 'POST https://openapi.kwaixiaodian.com/open/item/get\n{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"token中无scope权限","request_id":"c41e9d7b"}',
  },
  {
    id: 'service-market',
    label: { zh: '服务市场应用的订单接口', en: 'Order API of a service-market app' },
    app: {
      app_name: '多店 ERP',
      app_key: 'ks650012873344',
      callback: 'https://erp.example.cn/oauth/kwai',
      app_type: 'service-market',
      packages: 'user_info 已获取\nmerchant_order 已获取\nmerchant_item 已获取',
    },
    failure: 'KsMerchantApiException: method=open.order.cursor.list, error_msg=token中无scope权限',
  },
  {
    id: 'expired',
    label: { zh: 'TOKEN过期（刷新 access_token 即可）', en: 'TOKEN过期 (refresh the access token)' },
    app: SHOP_APP,
    failure: 'method=open.item.list.get {"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期","sub_code":"28","sub_msg":"TOKEN过期"}',
  },
  {
    id: 'add-user',
    label: { zh: '授权页：不属于此应用的授权用户或测试用户', en: 'Authorization page: not an authorized or test user' },
    app: SHOP_APP,
    failure: '商家 userId=9021038847 打开链接后显示：不属于此应用的授权用户或测试用户',
  },
  {
    id: 'invalid-url',
    label: { zh: '授权页：Invalid url（链接手写错了）', en: 'Authorization page: Invalid url (a hand-made link)' },
    app: SHOP_APP,
    failure: 'Invalid url https://open.kwaixiaodian.com/oauth/authorize?appId=ks721596384012&redirect_uri=https://shop.example.com/kwai/callback?from=console&v=2&scope=merchant_item',
  },
];

// ---- state and small helpers ----

let language = 'zh';
let lastResult = null;

const $ = (selector) => document.querySelector(selector);
const input = (name) => $(`[data-sd-input="${name}"]`);
const t = (key) => STRINGS[key]?.[language] ?? key;


function setStatus(text) {
  $('[data-sd-status]').textContent = text;
}

// ---- language ----

function applyLanguage() {
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const option of input('example').querySelectorAll('option[data-example]')) {
    option.textContent = EXAMPLES.find((e) => e.id === option.value).label[language];
  }
  // The button names the language it switches to.
  $('[data-sd-action="language"]').textContent = language === 'zh' ? 'English' : '中文';
  if (lastResult) render(lastResult);
}

// ---- examples and input ----

function fillExamples() {
  const select = input('example');
  for (const example of EXAMPLES) {
    const option = el('option', null, example.label[language]);
    option.value = example.id;
    option.dataset.example = '';
    select.append(option);
  }
}

function useExample(id) {
  const example = EXAMPLES.find((e) => e.id === id);
  if (!example) return;
  input('failure-text').value = example.failure;
  input('app-name').value = example.app.app_name;
  input('app-key').value = example.app.app_key;
  input('callback').value = example.app.callback;
  input('app-type').value = example.app.app_type;
  input('packages').value = example.app.packages;
}

/**
 * The wasm `diagnose` input from the form. The app is sent as soon as anything of it is known,
 * so Rust can still tell 申请 from 申请中 when the appKey or 回调地址 is missing. Outer spaces
 * are trimmed: a pasted 回调地址 often carries them, and the link must equal the real one.
 */
function readInput() {
  const value = (name) => input(name).value.trim();
  const app = {
    app_key: value('app-key'),
    app_name: value('app-name') || null,
    callback: value('callback') || null,
    app_type: value('app-type') || null,
    packages: [],
  };
  const packagesText = input('packages').value;
  const anything = app.app_key || app.callback || app.app_name || packagesText.trim();
  return {
    failure_text: input('failure-text').value,
    app: anything ? app : null,
    packages_text: packagesText.trim() ? packagesText : null,
  };
}

function runDiagnose() {
  try {
    lastResult = diagnose(readInput());
  } catch (err) {
    lastResult = null;
    setStatus(String(err?.message ?? err));
    return;
  }
  render(lastResult);
}

// ---- drawing the result ----

function render(result) {
  const list = $('[data-sd-findings]');
  list.replaceChildren(...result.findings.map(renderFinding));
  $('[data-sd-results]').hidden = false;
  setStatus(result.findings.length ? `${result.findings.length} ${t('count')}` : t('noFindings'));
  renderRead(result);
}

function renderFinding(finding) {
  const item = el('li', `finding verdict-${finding.verdict}`);
  // The contract's attributes, the same as on the extension's badges.
  if (finding.api) item.setAttribute('data-sd-api', finding.api);
  item.setAttribute('data-sd-verdict', finding.verdict);
  if (finding.merchant) item.setAttribute('data-sd-merchant', finding.merchant);
  if (finding.scopes.length) item.setAttribute('data-sd-scope', finding.scopes.join(' '));

  const head = el('div', 'finding-head');
  head.append(el('code', 'api', finding.api ?? t('noApi')), el('span', `verdict-chip verdict-${finding.verdict}`, VERDICTS[finding.verdict]?.[language] ?? finding.verdict));
  for (const scope of finding.scopes) {
    const chip = el('span', scope === finding.scope ? 'scope-chip key' : 'scope-chip', scope);
    chip.title = t('package');
    head.append(chip);
  }
  item.append(head, el('p', 'explain', finding.explain[language]));
  for (const code of finding.problems ?? []) {
    const problem = el('code', 'problem', code);
    problem.setAttribute('data-sd-problem', code);
    item.append(problem, ' ');
  }
  if (finding.auth_link) item.append(renderLinks(finding));
  return item;
}

function renderLinks(finding) {
  const box = el('div', 'links');
  const texts = el('div', 'link-list');
  texts.append(
    linkRow(t('firstLink'), finding.auth_link, 'copy-auth-link'),
    linkRow(t('secondLink'), finding.mobile_link, 'copy-mobile-link'),
  );
  if (finding.merchant_message) texts.append(linkRow(t('merchantMessage'), finding.merchant_message[language], 'copy-merchant-message'));
  const qr = el('figure', 'qr');
  const canvas = el('canvas');
  canvas.setAttribute('data-sd-qr', '');
  drawQr(canvas, finding.mobile_link);
  qr.append(canvas, el('figcaption', null, t('qrCaption')));
  box.append(texts, qr);
  return box;
}

function linkRow(label, link, action) {
  const row = el('div', 'link-row');
  const text = el('output', 'link-text', link);
  const button = el('button', 'copy', t('copy'));
  button.type = 'button';
  button.setAttribute('data-sd-action', action);
  button.addEventListener('click', () => copy(link, button, text));
  row.append(el('span', 'link-label', label), text, button);
  return row;
}

async function copy(text, button, shown) {
  try {
    await navigator.clipboard.writeText(text);
    flash(button, t('copied'));
  } catch {
    // No clipboard permission (e.g. an insecure origin): select the text for a manual copy.
    getSelection().selectAllChildren(shown);
    flash(button, t('copyFailed'));
  }
}

function flash(button, text) {
  button.textContent = text;
  clearTimeout(button.flashTimer);
  button.flashTimer = setTimeout(() => { button.textContent = t('copy'); }, 1500);
}

/** Paints the QR modules (row-major, 1 = dark) with the 4-module quiet zone scanners need. */
function drawQr(canvas, text) {
  const modules = qrModules(text);
  const size = Math.round(Math.sqrt(modules.length));
  const quiet = 4;
  const scale = Math.max(2, Math.floor(220 / (size + 2 * quiet)));
  canvas.width = canvas.height = (size + 2 * quiet) * scale;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let i = 0; i < modules.length; i++) {
    if (modules[i]) ctx.fillRect((quiet + (i % size)) * scale, (quiet + Math.floor(i / size)) * scale, scale, scale);
  }
}

function renderRead(result) {
  const failures = result.failures.map((f) =>
    el('li', null, [f.api ?? t('noApi'), f.kind, f.code, f.message].filter(Boolean).join(' · ')),
  );
  const packages = result.packages.map((p) => el('li', null, `${p.scope} · ${STATUSES[p.status] ?? p.status}`));
  $('[data-sd-failures]').replaceChildren(...(failures.length ? failures : [el('li', null, t('none'))]));
  $('[data-sd-packages]').replaceChildren(...(packages.length ? packages : [el('li', null, t('none'))]));
}

// ---- start ----

async function main() {
  const button = $('[data-sd-action="diagnose"]');
  button.disabled = true;
  fillExamples();
  setStatus(t('loading'));
  try {
    await Promise.all([init(), initQr(), loadVerdictLabels()]);
  } catch (err) {
    setStatus(t('loadFailed') + String(err?.message ?? err));
    return;
  }
  setStatus('');
  button.disabled = false;
  button.addEventListener('click', runDiagnose);
  input('example').addEventListener('change', (event) => useExample(event.target.value));
  input('failure-text').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) runDiagnose();
  });
  $('[data-sd-action="language"]').addEventListener('click', () => {
    language = language === 'zh' ? 'en' : 'zh';
    applyLanguage();
  });
  // Tests and the demo wait for this before they click.
  document.body.dataset.sdReady = 'true';
}

main();
