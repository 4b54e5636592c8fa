// The popup: the current app (switchable), the failing APIs with verdicts and explanations, a
// paste box that diagnoses an error log, the QR code of the mobile authorization link, and
// "clear marks". All state goes through the service worker.

import { applyDefaultMessages, applyMessages, button, copyButton, el, explain, say, scopeLabel, send, t, verdictChip } from './page.js';

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
  return finding.scopes.map((id) => scopeLabel(id, id === finding.scope ? finding.scope_name : null)).join(', ');
}

function findingItem(finding) {
  const item = el('li', 'finding');
  item.setAttribute('data-sd-api', finding.api);
  item.setAttribute('data-sd-verdict', finding.verdict);
  item.setAttribute('data-sd-scope', finding.scopes.join(' '));
  const head = el('div', 'finding-head');
  head.append(el('code', 'api', finding.api), verdictChip(finding.verdict));
  if (finding.scopes.length) head.append(el('span', 'scopes', `${t('scopeOf')}${scopesText(finding)}`));
  item.append(head, el('p', 'explain', explain(finding.explain)));
  const actions = el('div', 'actions');
  // The core sets the links exactly when the verdict is reauthorize.
  if (finding.auth_link) {
    actions.append(copyButton(t('copyAuthLink'), 'copy-auth-link', finding.auth_link));
    if (finding.mobile_link) actions.append(copyButton(t('copyMobileLink'), 'copy-mobile-link', finding.mobile_link));
  }
  actions.append(button(t('removeMark'), 'unmark', () => act('mark', { api: finding.api, failing: false })));
  item.append(actions);
  return item;
}

function renderFindings(findings) {
  $('[data-sd-list="findings"]').replaceChildren(...findings.map(findingItem));
  $('[data-sd-slot="no-failing"]').hidden = findings.length > 0;
  $('[data-sd-action="clear-marks"]').hidden = findings.length === 0;
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
  const named = new Set(view.failures.map((f) => f.api).filter(Boolean));
  if (named.size === 0) say(status, t('pasteNoApi'), 'warn');
  else say(status, t('pasteFound', named.size), 'info');
}

function wire() {
  $('[data-sd-input="app"]').addEventListener('change', (event) => act('selectApp', { appKey: event.target.value }));
  $('[data-sd-action="diagnose"]').addEventListener('click', diagnose);
  $('[data-sd-action="clear-marks"]').addEventListener('click', () => act('clearMarks'));
  $('[data-sd-action="open-options"]').addEventListener('click', () => (globalThis.browser ?? globalThis.chrome).runtime.openOptionsPage());
}

wire();
applyDefaultMessages()
  .then(() => act('getState'))
  .catch((error) => say($('[data-sd-slot="error"]'), String(error.message || error), 'error'));
