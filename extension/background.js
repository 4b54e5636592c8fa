// Scope Doctor's service worker (Firefox: event page): the one owner of the state and the only
// code that touches storage. It runs the Rust core (wasm) for the content scripts, the popup
// and the options page; they send messages and draw what comes back.
//
// The wasm cannot run in the content script (the console's CSP would block it, see
// shared/design.md), so every decision is made here.

import init, * as core from './pkg/scope_doctor.js';
import initQr, { qrModules } from './pkg/scope_doctor_qr.js';
import { format, languageOf, loadMessages } from './shared/i18n.js';
import { CONTENT_SCRIPT_MESSAGES } from './shared/names.js';

const api = globalThis.browser ?? globalThis.chrome;

const STATE_KEY = 'state';
/** Backups: the raw record under `state_backup_<ms>`, why and when in BACKUP_INDEX; at most MAX_BACKUPS. */
const BACKUP_PREFIX = 'state_backup_';
const BACKUP_INDEX = 'state_backups';
const MAX_BACKUPS = 5;
const CONSOLE_TABS = 'https://open.kwaixiaodian.com/*';

// ---- wasm and state, both loaded lazily (a service worker may not use top-level await) ----

let wasmLoading = null;

function wasmReady() {
  wasmLoading ??= init({ module_or_path: api.runtime.getURL('pkg/scope_doctor_bg.wasm') }).catch((error) => {
    wasmLoading = null; // let the next message try again
    throw error;
  });
  return wasmLoading;
}

/** The QR encoder is a wasm of its own (crates/qr), instantiated on the first QR code only. */
let qrLoading = null;

function qrReady() {
  qrLoading ??= initQr({ module_or_path: api.runtime.getURL('pkg/scope_doctor_qr_bg.wasm') }).catch((error) => {
    qrLoading = null;
    throw error;
  });
  return qrLoading;
}

/** `{size, modules}`: the QR code of `text`, row-major, 1 = dark (a plain array: replies are JSON). */
async function qrCode(text) {
  await qrReady();
  const modules = Array.from(qrModules(text));
  return { size: Math.round(Math.sqrt(modules.length)), modules };
}

/** The state while this worker lives; reloaded from storage after the worker was stopped. */
let stateLoading = null;

async function readStoredState() {
  await wasmReady();
  const raw = (await api.storage.local.get(STATE_KEY))[STATE_KEY];
  const loaded = core.loadState(raw);
  if (loaded.problem) {
    // The record cannot be used (corrupt, or written by a newer version): keep it verbatim
    // under its own key before a fresh state replaces it, so nothing is lost.
    console.warn(`Scope Doctor: stored state not usable (${loaded.problem}); kept a backup`);
    await keepBackup(raw, loaded.problem);
    await api.storage.local.set({ [STATE_KEY]: loaded.state });
  }
  return loaded.state;
}

/** Keeps `record` as a backup with the reason, then prunes to the newest MAX_BACKUPS. */
async function keepBackup(record, why) {
  const key = `${BACKUP_PREFIX}${Date.now()}`;
  const index = await backupIndex();
  index[key] = { why: String(why).slice(0, 300), size: JSON.stringify(record ?? null).length };
  await api.storage.local.set({ [key]: record ?? null, [BACKUP_INDEX]: index });
  const keys = await backupKeys();
  const stale = keys.slice(0, Math.max(0, keys.length - MAX_BACKUPS));
  if (stale.length) {
    for (const old of stale) delete index[old];
    await api.storage.local.remove(stale);
    await api.storage.local.set({ [BACKUP_INDEX]: index });
  }
}

async function backupIndex() {
  const index = (await api.storage.local.get(BACKUP_INDEX))[BACKUP_INDEX];
  return index && typeof index === 'object' ? index : {};
}

/** Backup keys, oldest first (their names carry the time). */
async function backupKeys() {
  const all = await api.storage.local.get(null);
  return Object.keys(all)
    .filter((k) => k.startsWith(BACKUP_PREFIX) && /^\d+$/.test(k.slice(BACKUP_PREFIX.length)))
    .sort((a, b) => Number(a.slice(BACKUP_PREFIX.length)) - Number(b.slice(BACKUP_PREFIX.length)));
}

async function listBackups() {
  const [keys, index, all] = await Promise.all([backupKeys(), backupIndex(), api.storage.local.get(null)]);
  return keys.reverse().map((key) => ({
    key,
    at: Number(key.slice(BACKUP_PREFIX.length)),
    size: index[key]?.size ?? JSON.stringify(all[key] ?? null).length,
    why: index[key]?.why ?? '',
  }));
}

function currentState() {
  stateLoading ??= readStoredState().catch((error) => {
    stateLoading = null;
    throw error;
  });
  return stateLoading;
}

/**
 * Saves a new state; only once storage took it does the worker answer with it. A refused save
 * (quota) leaves both the stored and the in-memory state as they were, and says so.
 */
async function saveState(state) {
  try {
    await api.storage.local.set({ [STATE_KEY]: state });
  } catch (error) {
    const messages = await loadMessages(languageOf(await currentState()));
    throw new Error(`${format(messages, 'saveFailed')} (${error instanceof Error ? error.message : String(error)})`);
  }
  stateLoading = Promise.resolve(state);
}

// Messages are handled one at a time: each reads the state, may change it and saves it, and two
// interleaved read-modify-writes would lose one change.
let queue = Promise.resolve();

function serialized(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

// ---- replies ----

/** Display names (商品信息) of every package id the state mentions, keyed by id. */
function packageNames(state) {
  const ids = [...new Set([...state.apps.flatMap((app) => app.packages.map((p) => p.scope)), ...state.learned.flatMap((l) => l.scopes)])];
  const names = core.packageNames(ids);
  return Object.fromEntries(ids.map((id, i) => [id, names[i]]));
}

/** What extension pages need to draw everything: the state, its findings, backups and UI strings. */
async function pageView(state) {
  const language = languageOf(state);
  return {
    state,
    findings: core.findings(state),
    names: packageNames(state),
    backups: await listBackups(),
    language,
    messages: await loadMessages(language),
  };
}

/**
 * What a content script needs to draw a page: its kind, its badges, and the UI strings unless
 * it holds that language's already (`held`: the language it said it holds).
 */
async function badgeView(observed, state, held) {
  const language = languageOf(state);
  const messages = held === language ? undefined : await loadMessages(language);
  return { page: observed.page, badges: observed.badges, language, messages };
}

/** Tells the console tabs (but the one that asked) to redraw after the user changed something. */
async function refreshConsoleTabs(exceptTabId) {
  try {
    const tabs = await api.tabs.query({ url: CONSOLE_TABS });
    await Promise.all(
      tabs.filter((tab) => tab.id !== exceptTabId).map((tab) => api.tabs.sendMessage(tab.id, { type: 'refresh' }).catch(() => {})),
    );
  } catch {
    // No console tab open or no content script there yet: nothing to redraw.
  }
}

// ---- handlers: each returns {reply, state?} where `state` is a changed state to save ----

/** The content script's page-visit id (see content/main.js), or undefined for a fresh reading. */
function visitOf(message) {
  return typeof message.visit === 'string' && message.visit ? message.visit.slice(0, 64) : undefined;
}

/** Only these may come from a content script; the rest are for the extension's own pages. */
const CONTENT_SCRIPT_TYPES = new Set(CONTENT_SCRIPT_MESSAGES);

const handlers = {
  async observe(message, state) {
    const observed = core.observePage(state, message.snapshot, visitOf(message));
    // A redraw (asked for after the user changed something elsewhere) is not a new reading of
    // the page: keeping what it learned would, e.g., make an open app page current again right
    // after the user picked another app in the popup.
    const learned = observed.changed && !message.redraw ? observed.state : null;
    return { reply: await badgeView(observed, observed.state, message.strings), state: learned, quiet: true };
  },

  async mark(message, state) {
    const next = core.setMark(state, String(message.api), Boolean(message.failing));
    // The content script sends its snapshot along so it gets its page's fresh badges back.
    if (message.snapshot) {
      const observed = core.observePage(next, message.snapshot, visitOf(message));
      return { reply: await badgeView(observed, observed.state, message.strings), state: observed.state };
    }
    return { reply: await pageView(next), state: next };
  },

  async paste(message, state) {
    const pasted = core.pasteFailure(state, String(message.text ?? ''));
    const view = await pageView(pasted.state);
    const reply = { ...view, pasted: { findings: pasted.findings, truncated: pasted.truncated, links: pasted.links }, failures: pasted.failures };
    return { reply, state: pasted.state };
  },

  async findings(_message, state) {
    return { reply: { findings: core.findings(state) } };
  },

  async getState(_message, state) {
    return { reply: await pageView(state) };
  },

  async selectApp(message, state) {
    const next = core.selectApp(state, String(message.appKey));
    return { reply: await pageView(next), state: next };
  },

  async forgetApp(message, state) {
    const next = core.forgetApp(state, String(message.appKey));
    return { reply: await pageView(next), state: next };
  },

  async forgetLearned(message, state) {
    const next = core.forgetLearned(state, String(message.api));
    return { reply: await pageView(next), state: next };
  },

  async clearToken(_message, state) {
    const next = core.clearToken(state);
    return { reply: await pageView(next), state: next };
  },

  async clearMarks(_message, state) {
    const next = core.clearMarks(state);
    return { reply: await pageView(next), state: next };
  },

  async setLanguage(message, state) {
    const next = core.setLanguage(state, String(message.language));
    return { reply: await pageView(next), state: next };
  },

  async export(_message, state) {
    return { reply: { file: core.exportSettings(state) } };
  },

  async import(message, state) {
    // importSettings checks the whole file before anything is replaced.
    const imported = core.importSettings(message.file);
    if (imported.refused) throw new Error(languageOf(state) === 'en' ? imported.refused.en : imported.refused.zh);
    // An import never switches the UI language: the user's choice stands.
    const next = core.setLanguage(imported.state, languageOf(state));
    return { reply: await pageView(next), state: next };
  },

  async restoreBackup(message, state) {
    const key = String(message.key);
    if (!key.startsWith(BACKUP_PREFIX)) throw new Error(`${key} is not a backup`);
    const raw = (await api.storage.local.get(key))[key];
    // The same checks as any stored record: a backup that cannot be used changes nothing.
    const loaded = core.loadState(raw);
    if (loaded.problem) throw new Error(loaded.problem);
    await keepBackup(state, 'before restoring a backup');
    return { reply: await pageView(loaded.state), state: loaded.state, force: true };
  },

  async deleteBackup(message, state) {
    const key = String(message.key);
    if (!key.startsWith(BACKUP_PREFIX)) throw new Error(`${key} is not a backup`);
    const index = await backupIndex();
    delete index[key];
    await api.storage.local.remove(key);
    await api.storage.local.set({ [BACKUP_INDEX]: index });
    return { reply: await pageView(state) };
  },

  async qr(message, state) {
    let text = typeof message.text === 'string' ? message.text : null;
    if (text === null) {
      // Default: the current app's mobile (second) link, as the console's 发起授权 dialog shows.
      const app = state.apps.find((a) => a.app_key === state.current_app);
      if (!app) return { reply: { link: null, qr: null, reason: null } };
      try {
        text = core.authLinks(app).second;
      } catch (error) {
        return { reply: { link: null, qr: null, reason: error.message } };
      }
    }
    return { reply: { link: text, qr: await qrCode(text) } };
  },
};

function isExtensionPage(sender) {
  return sender.id === api.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL(''));
}

async function handle(message, sender) {
  const type = message && message.type;
  const handler = Object.hasOwn(handlers, type) ? handlers[type] : null;
  if (!handler) throw new Error(`unknown message type ${JSON.stringify(type)}`);
  if (!isExtensionPage(sender) && !CONTENT_SCRIPT_TYPES.has(type)) throw new Error(`${type} is not allowed from a web page`);
  await wasmReady();
  const result = await serialized(async () => {
    const state = await currentState();
    const outcome = await handler(message, state);
    if (outcome.state && (outcome.force || JSON.stringify(outcome.state) !== JSON.stringify(state))) {
      await saveState(outcome.state);
      outcome.changed = true;
    }
    return outcome;
  });
  // Page observations change only what the page itself shows; user actions change every tab.
  if (result.changed && !result.quiet) refreshConsoleTabs(sender.tab ? sender.tab.id : undefined);
  return result.reply;
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(
    (reply) => sendResponse({ ok: true, ...reply }),
    (error) => sendResponse({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
  return true; // the reply is sent asynchronously
});
