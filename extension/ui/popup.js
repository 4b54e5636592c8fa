// The popup: the current app (switchable), the failing APIs with verdicts and explanations, a
// paste box that diagnoses an error log, the QR code of the mobile authorization link, and
// "clear marks". All state goes through the service worker.

import { applyDefaultMessages, applyMessages, button, copyButton, currentLanguage, el, explain, say, scopeLabel, send, t, verdictChip } from './page.js';

const $ = (selector) => document.querySelector(selector);

function renderApps(state) {
  const select = $('[data-sd-input="app"]');
  select.replaceChildren(
    ...state.apps.map((app) => {
      const option = el('option', null, app.app_name ? `${app.app_name} (${app.app_key})` : app.app_key);
      option.value = app.app_key;
      option.selected = app.app_key === state.current_app;
      return option;
    }),
  );
  select.hidden = state.apps.length === 0;
  $('[data-sd-slot="no-app"]').hidden = state.apps.length > 0;
}

/** `商品信息 (merchant_item), merchant_scm`: the deciding package by the name the console shows. */
function scopesText(finding) {
  return finding.scopes.map((id) => scopeLabel(id, id === finding.scope ? finding.scope_name : null)).join(currentLanguage() === 'en' ? ', ' : '、');
}

/** Findings of one API, verdict and error, whatever the merchant: one item names them all. */
function groupByMerchant(findings) {
  const groups = new Map();
  for (const f of findings) {
    const key = JSON.stringify([f.api, f.verdict, f.cause, f.failure]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(f);
  }
  return [...groups.values()];
}

/** The merchants a group concerns, each carrying the contract attributes of its finding. */
function merchantsLine(group, truncated) {
  const line = el('p', 'merchants', t('merchantsLabel'));
  for (const f of group.filter((g) => g.merchant)) {
    const chip = el('span', 'chip', f.merchant);
    chip.setAttribute('data-sd-merchant', f.merchant);
    chip.setAttribute('data-sd-verdict', f.verdict);
    if (f.api) chip.setAttribute('data-sd-api', f.api);
    line.append(chip, ' ');
  }
  if (truncated > 0) line.append(el('span', 'muted', t('merchantsMore', truncated)));
  return line;
}

function findingItem(group, { unmark = true, truncated = 0 } = {}) {
  const finding = group[0];
  const item = el('li', 'finding');
  if (finding.api) item.setAttribute('data-sd-api', finding.api);
  item.setAttribute('data-sd-verdict', finding.verdict);
  item.setAttribute('data-sd-scope', finding.scopes.join(' '));
  if (group.length === 1 && finding.merchant) item.setAttribute('data-sd-merchant', finding.merchant);
  const head = el('div', 'finding-head');
  head.append(finding.api ? el('code', 'api', finding.api) : el('span', 'muted', t('noApiFinding')), verdictChip(finding.verdict));
  if (finding.scopes.length) head.append(el('span', 'scopes', `${t('scopeOf')}${scopesText(finding)}`));
  item.append(head);
  if (group.some((f) => f.merchant)) item.append(merchantsLine(group, truncated));
  item.append(el('p', 'explain', explain(finding.explain)));
  for (const code of finding.problems || []) item.append(el('p', 'problem', code));
  const actions = el('div', 'actions');
  // The core sets the links exactly for the verdicts that carry one, with the app known.
  if (finding.auth_link) {
    actions.append(copyButton(t('copyAuthLink'), 'copy-auth-link', finding.auth_link));
    if (finding.mobile_link) actions.append(copyButton(t('copyMobileLink'), 'copy-mobile-link', finding.mobile_link));
    if (finding.merchant_message) actions.append(copyButton(t('copyMerchantMessage'), 'copy-merchant-message', explain(finding.merchant_message)));
  }
  if (unmark && finding.api) actions.append(button(t('removeMark'), 'unmark', () => act('mark', { api: finding.api, failing: false })));
  item.append(actions);
  return item;
}

function renderFindings(findings) {
  $('[data-sd-list="findings"]').replaceChildren(...groupByMerchant(findings).map((group) => findingItem(group)));
  $('[data-sd-slot="no-failing"]').hidden = findings.length > 0;
  $('[data-sd-action="clear-marks"]').hidden = findings.length === 0;
}

/** A pasted link, checked like `scope-doctor check-link`: each problem, and the corrected link. */
function linkCheckItem(check) {
  const box = el('div', `link-check ok-${check.ok}`);
  box.setAttribute('data-sd-link-check', check.ok ? 'ok' : 'problems');
  box.append(el('h3', null, t('linkCheckTitle')), el('code', 'link', check.link));
  if (check.ok) box.append(el('p', 'ok', t('linkOk')));
  for (const problem of check.problems) {
    const line = el('p', 'problem', currentLanguage() === 'en' ? problem.detail : problem.zh);
    line.setAttribute('data-sd-link-problem', problem.code);
    box.append(line);
  }
  if (!check.ok && check.fixed_link) box.append(copyButton(t('copyFixedLink'), 'copy-auth-link', check.fixed_link));
  else if (!check.ok) box.append(el('p', 'muted', t('linkNoApp')));
  return box;
}

/** What the pasted text itself says: its link checks and the errors that concern no API. */
function renderPasted(pasted) {
  const section = $('[data-sd-slot="pasted"]');
  const apiLess = (pasted ? pasted.findings : []).filter((f) => !f.api);
  const links = pasted ? pasted.links : [];
  $('[data-sd-list="link-checks"]').replaceChildren(...links.map(linkCheckItem));
  $('[data-sd-list="pasted"]').replaceChildren(...groupByMerchant(apiLess).map((group) => findingItem(group, { unmark: false })));
  section.hidden = apiLess.length === 0 && links.length === 0;
}

/** The token reading from 授权查询工具: shown, and cleared on request. */
function renderToken(state) {
  const token = state.token_reading;
  const slot = $('[data-sd-slot="token"]');
  slot.textContent = token ? t('tokenReading', token.scopes.join(', '), token.app_key || t('anyApp')) : t('tokenNone');
  $('[data-sd-action="clear-token"]').hidden = !token;
}

/** Draws the QR module matrix (1 = dark) with the standard 4-module quiet zone. */
function drawQr(canvas, qr) {
  const quiet = 4;
  const scale = Math.max(2, Math.floor(180 / (qr.size + quiet * 2)));
  const side = (qr.size + quiet * 2) * scale;
  canvas.width = side;
  canvas.height = side;
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, side, side);
  context.fillStyle = '#000';
  for (let y = 0; y < qr.size; y += 1) {
    for (let x = 0; x < qr.size; x += 1) {
      if (qr.modules[y * qr.size + x]) context.fillRect((x + quiet) * scale, (y + quiet) * scale, scale, scale);
    }
  }
}

async function renderQr() {
  const canvas = $('[data-sd-slot="qr"]');
  const copySlot = $('[data-sd-slot="qr-copy"]');
  const reply = await send('qr');
  const none = $('[data-sd-slot="qr-none"]');
  if (!reply.qr) {
    canvas.hidden = true;
    copySlot.replaceChildren();
    none.hidden = false;
    none.textContent = reply.reason ? `${t('qrNone')} (${reply.reason})` : t('qrNone');
    return;
  }
  drawQr(canvas, reply.qr);
  canvas.hidden = false;
  canvas.setAttribute('aria-label', reply.link);
  canvas.setAttribute('data-sd-link', reply.link);
  none.hidden = true;
  copySlot.replaceChildren(copyButton(t('copyMobileLink'), 'copy-mobile-link', reply.link));
}

async function render(view) {
  applyMessages(view.messages, view.language);
  renderApps(view.state);
  renderFindings(view.findings);
  renderToken(view.state);
  if (view.pasted !== undefined) renderPasted(view.pasted);
  await renderQr();
}

/** Runs an action through the service worker and redraws from its reply. */
async function act(type, payload) {
  try {
    const view = await send(type, payload);
    await render(view);
    return view;
  } catch (error) {
    say($('[data-sd-slot="error"]'), `${t('loadFailed')}${error.message}`, 'error');
    return null;
  }
}

async function diagnose() {
  const text = $('[data-sd-input="failure-text"]').value;
  const status = $('[data-sd-slot="paste-status"]');
  if (!text.trim()) {
    say(status, t('pasteEmpty'), 'warn');
    return;
  }
  const view = await act('paste', { text });
  if (!view) return;
  const { findings, links } = view.pasted;
  const unrecognised = findings.every((f) => !f.api && f.cause === 'unrecognized');
  if (links.length === 0 && unrecognised) say(status, t('pasteNoApi'), 'warn');
  else say(status, t('pasteFound', findings.length + links.length), 'info');
}

function wire() {
  $('[data-sd-input="app"]').addEventListener('change', (event) => act('selectApp', { appKey: event.target.value }));
  $('[data-sd-action="diagnose"]').addEventListener('click', diagnose);
  $('[data-sd-action="clear-marks"]').addEventListener('click', () => act('clearMarks'));
  $('[data-sd-action="clear-token"]').addEventListener('click', () => act('clearToken'));
  $('[data-sd-action="open-options"]').addEventListener('click', () => (globalThis.browser ?? globalThis.chrome).runtime.openOptionsPage());
}

wire();
applyDefaultMessages()
  .then(() => act('getState'))
  .catch((error) => say($('[data-sd-slot="error"]'), String(error.message || error), 'error'));
