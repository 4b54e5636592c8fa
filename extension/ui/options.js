// The options page: language, known apps, marked APIs, learned packages, and the settings file
// (export / import). Every change goes through the service worker; an import is checked
// completely by the Rust core before anything is replaced.

import { applyDefaultMessages, applyMessages, button, currentLanguage, el, say, send, t } from './page.js';

const $ = (selector) => document.querySelector(selector);

function listOrEmpty(listSelector, emptySelector, items) {
  $(listSelector).replaceChildren(...items);
  $(emptySelector).hidden = items.length > 0;
}

/** `商品信息 (merchant_item)`, or the id alone when no name is known. */
function packageLabel(id, names) {
  return names?.[id] && names[id] !== id ? `${names[id]} (${id})` : id;
}

function appItem(app, state, names) {
  const item = el('li');
  item.setAttribute('data-sd-app', app.app_key);
  const name = app.app_name ? `${app.app_name} (${app.app_key})` : app.app_key;
  item.append(el('span', 'name', name));
  if (app.app_key === state.current_app) item.append(el('span', 'muted', t('currentMarker')));
  if (app.callback) item.append(el('code', 'detail', app.callback));
  item.append(el('span', 'detail', app.packages.map((p) => `${packageLabel(p.scope, names)} · ${t(`status_${p.status}`)}`).join(', ')));
  item.append(button(t('forget'), 'forget-app', () => act('forgetApp', { appKey: app.app_key })));
  return item;
}

function markItem(mark) {
  const item = el('li');
  item.setAttribute('data-sd-api', mark.api);
  item.append(el('code', 'api', mark.api));
  // Parsed facts only: the pasted text itself is never kept (it may hold a token).
  const facts = [mark.merchant, mark.kind !== 'unknown' ? mark.kind : null, mark.code].filter(Boolean).join(' · ');
  if (facts) item.append(el('span', 'detail', facts));
  item.append(button(t('unmark'), 'unmark', () => act('mark', { api: mark.api, failing: false })));
  return item;
}

function learnedItem(learned, names) {
  const item = el('li');
  item.setAttribute('data-sd-api', learned.api);
  item.append(el('code', 'api', learned.api), el('span', 'detail', `→ ${learned.scopes.map((id) => packageLabel(id, names)).join(', ')}`));
  item.append(button(t('forget'), 'forget-learned', () => act('forgetLearned', { api: learned.api })));
  return item;
}

/** A kept backup: when, how big, why — restore it or delete it. */
function backupItem(backup) {
  const item = el('li');
  item.setAttribute('data-sd-backup', backup.key);
  const when = new Date(backup.at).toLocaleString(currentLanguage() === 'en' ? 'en' : 'zh-CN');
  item.append(el('span', 'detail', t('backupLine', when, String(backup.size), backup.why || '-')));
  item.append(button(t('restoreBackup'), 'restore-backup', () => act('restoreBackup', { key: backup.key })));
  item.append(button(t('deleteBackup'), 'delete-backup', () => act('deleteBackup', { key: backup.key })));
  return item;
}

function render(view) {
  applyMessages(view.messages, view.language);
  const { state } = view;
  listOrEmpty('[data-sd-list="backups"]', '[data-sd-slot="no-backups"]', (view.backups || []).map(backupItem));
  const evicted = state.evicted || { apps: 0, marks: 0, learned: 0 };
  const evictedSlot = $('[data-sd-slot="evicted"]');
  evictedSlot.hidden = !(evicted.apps || evicted.marks || evicted.learned);
  evictedSlot.textContent = t('evictedNote', String(evicted.apps), String(evicted.marks), String(evicted.learned));
  $('[data-sd-input="language"]').value = view.language;
  listOrEmpty('[data-sd-list="apps"]', '[data-sd-slot="no-apps"]', state.apps.map((app) => appItem(app, state, view.names)));
  listOrEmpty('[data-sd-list="marks"]', '[data-sd-slot="no-marks"]', state.marks.map(markItem));
  listOrEmpty('[data-sd-list="learned"]', '[data-sd-slot="no-learned"]', state.learned.map((learned) => learnedItem(learned, view.names)));
}

async function act(type, payload) {
  try {
    const view = await send(type, payload);
    render(view);
    return view;
  } catch (error) {
    say($('[data-sd-slot="error"]'), `${t('loadFailed')}${error.message}`, 'error');
    return null;
  }
}

async function exportSettings() {
  const { file } = await send('export');
  const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = el('a');
  link.href = url;
  link.download = 'scope-doctor-settings.json';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function importSettings(input) {
  const status = $('[data-sd-slot="import-status"]');
  const file = input.files && input.files[0];
  input.value = ''; // picking the same file again must fire `change` again
  if (!file) return;
  let parsed;
  try {
    parsed = JSON.parse(await file.text());
  } catch (error) {
    say(status, `${t('importBad')} ${t('importNotJson')} (${error.message})`, 'error');
    return;
  }
  try {
    render(await send('import', { file: parsed }));
    say(status, t('importDone'), 'info');
  } catch (error) {
    // The service worker refused the file: the stored settings are untouched.
    say(status, `${t('importBad')} ${error.message}`, 'error');
  }
}

function wire() {
  $('[data-sd-input="language"]').addEventListener('change', (event) => act('setLanguage', { language: event.target.value }));
  $('[data-sd-action="export"]').addEventListener('click', () => exportSettings().catch((e) => say($('[data-sd-slot="error"]'), e.message, 'error')));
  $('[data-sd-input="import-file"]').addEventListener('change', (event) => importSettings(event.target));
  // The state may have changed in another page (a console tab, the popup) meanwhile.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') act('getState');
  });
}

wire();
applyDefaultMessages()
  .then(() => act('getState'))
  .catch((error) => say($('[data-sd-slot="error"]'), String(error.message || error), 'error'));
