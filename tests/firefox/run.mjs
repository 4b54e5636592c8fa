#!/usr/bin/env node
// Scope Doctor in real Firefox: Debian's firefox-esr, headless, driven by selenium-webdriver
// through geckodriver (started here with `-vv --allow-system-access`: without the latter
// moz-extension:// pages cannot be opened nor the chrome context used), with dist/firefox
// installed as a temporary add-on. The bundled example console pages (www/console, routed by
// www/console/router.mjs) are served over HTTPS on 127.0.0.1:443 at the console's own host with
// the console's CSP, under a self-signed certificate made here with openssl; Firefox resolves
// every host to 127.0.0.1 (network.dns.forceResolve), so its own services reach this server
// too and are answered 403. A fixed extensions.webextensions.uuids entry gives a known
// moz-extension:// origin.
//
// The flow is the Chromium suite's core: the app page is read (the app is stored as current);
// the API page shows its badge, the toggle in its shadow root marks the API failing, the verdict
// is "reauthorize"; the popup lists the mark, which is cleared, and a pasted error brings the
// finding back. Then, whether or not the flow passed, the browser must hold no script or CSP
// error from the add-on (console service, every process) and no error report of its own
// (console.error/warn "Scope Doctor: …", which reach stdout through devtools.console.stdout.*).
// Prints timings and one PASS/FAIL line; exit code 0 (pass) or 1 (fail). Cleans up (browser,
// geckodriver, server, temp dir with the certificate and the Firefox profile) on every exit.
//
//   node tests/firefox/run.mjs [--extension DIR] [--keep]
//     --extension DIR  the unpacked add-on to test (default dist/firefox)
//     --keep           keep the temp dir (certificate, geckodriver/Firefox log) for inspection
//   FIREFOX, GECKODRIVER override the browser and driver paths; SD_FIREFOX_DUMP=1 prints every
//   console-service message. Needs root (or CAP_NET_BIND_SERVICE) for port 443.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { By, until } from 'selenium-webdriver';
import http from 'selenium-webdriver/http/index.js';
import firefox from 'selenium-webdriver/firefox.js';
import { CONSOLE_CSP, CONSOLE_ORIGIN, loadRoutes, resolveRoute } from '../../www/console/router.mjs';
import { mimeOf } from '../../www/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CONSOLE_DIR = path.join(ROOT, 'www', 'console');
const CONSOLE_HOST = new URL(CONSOLE_ORIGIN).hostname;

const APP_KEY = 'ks721596384012'; // the app of www/console/app-detail.html
const APP_URL = `${CONSOLE_ORIGIN}/zone/new/app/detail?appKey=${APP_KEY}`;
const API_URL = `${CONSOLE_ORIGIN}/zone/new/docs/api?name=open.item.get&version=1`;
const API = 'open.item.get';
const PASTE = 'method=open.item.get token中无scope权限';
// A fixed internal UUID, so the popup's URL is known before the add-on is installed.
const UUID = '5c0d7c8e-3a4b-4f6e-9d21-7b1e2f3a4c5d';
const WAIT = 15_000; // per wait; everything answers within a second or two
const DEADLINE = 120_000; // the whole run

function parseArgs(argv) {
  const args = { extension: path.join(ROOT, 'dist', 'firefox'), keep: false };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--extension') args.extension = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--keep') args.keep = true;
    else {
      console.error('usage: node tests/firefox/run.mjs [--extension DIR] [--keep]');
      process.exit(1);
    }
  }
  return args;
}

function which(name, fallbacks = []) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...fallbacks]) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {}
  }
  return null;
}

const args = parseArgs(process.argv.slice(2));
const FIREFOX = process.env.FIREFOX ?? which('firefox-esr') ?? which('firefox');
const GECKODRIVER = process.env.GECKODRIVER ?? which('geckodriver', [path.join(os.homedir(), '.cargo', 'bin')]);

// ---- timings and cleanup ---------------------------------------------------------------------

console.log(`\x1b[1m== Firefox run (${path.relative(ROOT, args.extension) || args.extension} as a temporary add-on in headless firefox-esr)\x1b[0m`);
const started = Date.now();
let mark = started;
const timings = [];
function step(name) {
  const now = Date.now();
  timings.push([name, now - mark]);
  console.log(`  ok ${name} (${now - mark} ms)`);
  mark = now;
}

// geckodriver is started here (not by selenium), so its pid is known: a run interrupted while
// Firefox is still starting can stop both, and the profile lands in the temp dir (TMPDIR).
const resources = { server: null, session: null, geckodriver: null, tmp: null };
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms).unref());
const timeout = (promise, ms) => Promise.race([Promise.resolve(promise).catch(() => null), sleep(ms).then(() => null)]);

/** The pids of `pid`'s descendants (Firefox and its content processes under geckodriver). */
function descendants(pid) {
  let table;
  try {
    table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  } catch {
    return [];
  }
  const found = [];
  const walk = (parent) => {
    for (const [child, ppid] of table) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

let cleaning = null;
function cleanup() {
  const attempt = async (what, work) => {
    try {
      await work();
    } catch (error) {
      console.log(`  cleanup: ${what}: ${error.message}`);
    }
  };
  cleaning ??= (async () => {
    // A session still being created is awaited, then ended; never more than 10 s each.
    const driver = resources.session;
    if (driver) await attempt('quit', async () => (await timeout(driver.getSession(), 10_000)) && (await timeout(driver.quit(), 10_000)));
    const gecko = resources.geckodriver;
    if (gecko && gecko.exitCode === null && gecko.signalCode === null) {
      await attempt('geckodriver', async () => {
        const left = descendants(gecko.pid);
        const exited = new Promise((ok) => gecko.once('exit', () => ok(true)));
        gecko.kill('SIGTERM'); // geckodriver stops the Firefox it started
        if (!(await timeout(exited, 5_000))) gecko.kill('SIGKILL');
        for (const pid of left) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {}
        }
      });
    }
    if (resources.server) {
      await attempt('server', () => {
        resources.server.closeAllConnections?.();
        return timeout(new Promise((ok) => resources.server.close(() => ok())), 5_000);
      });
    }
    if (resources.tmp && !args.keep) await attempt('temp dir', () => fs.rmSync(resources.tmp, { recursive: true, force: true }));
    else if (resources.tmp) console.log(`kept ${resources.tmp}`);
  })();
  return cleaning;
}

async function finish(ok, detail) {
  await cleanup();
  const total = Date.now() - started;
  console.log(`timings: ${timings.map(([n, ms]) => `${n} ${ms} ms`).join(', ')}; total ${total} ms`);
  console.log(`${ok ? 'PASS' : 'FAIL'} firefox e2e (${path.basename(FIREFOX ?? 'firefox')}, ${total} ms)${detail ? `: ${detail}` : ''}`);
  process.exit(ok ? 0 : 1);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => finish(false, `interrupted by ${signal}`));
const watchdog = setTimeout(() => finish(false, `not done after ${DEADLINE / 1000} s`), DEADLINE);
watchdog.unref();

// ---- the console, over HTTPS -------------------------------------------------------------------

function makeCertificate(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${CONSOLE_HOST}`,
    '-addext', `subjectAltName=DNS:${CONSOLE_HOST}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

/** Serves the console pages at their URLs; answers every other host (Firefox's own) 403. */
async function serveConsole(credentials) {
  const table = await loadRoutes(CONSOLE_DIR);
  const served = [];
  const refused = new Set();
  const server = https.createServer(credentials, async (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (host !== CONSOLE_HOST || (req.method !== 'GET' && req.method !== 'HEAD')) {
      refused.add(host || '(no host)');
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden\n');
      return;
    }
    try {
      const { file, status } = resolveRoute(table, `${CONSOLE_ORIGIN}${req.url}`);
      const body = await fs.promises.readFile(path.join(CONSOLE_DIR, file));
      served.push(`${status} ${req.url} → ${file}`);
      res.writeHead(status, {
        'Content-Type': mimeOf(file),
        'Content-Security-Policy': CONSOLE_CSP,
        'Cache-Control': 'no-store',
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`error: ${error.message}\n`);
    }
  });
  // Firefox drops TLS connections it does not want (its own services): not our concern.
  server.on('tlsClientError', () => {});
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(443, '127.0.0.1', ok);
  });
  return { server, served, refused };
}

// ---- Firefox ------------------------------------------------------------------------------------

function freePort() {
  return new Promise((ok, fail) => {
    const probe = net.createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

async function startFirefox(addonId) {
  const port = await freePort();
  const log = fs.openSync(path.join(resources.tmp, 'geckodriver.log'), 'a');
  // --allow-system-access: without it moz-extension:// pages cannot be opened and the chrome
  // context (for the console service) is refused.
  const geckoArgs = ['-vv', '--allow-system-access', `--port=${port}`, `--websocket-port=${await freePort()}`];
  const gecko = spawn(GECKODRIVER, geckoArgs, { stdio: ['ignore', log, log], env: { ...process.env, TMPDIR: resources.tmp } });
  resources.geckodriver = gecko;
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (gecko.exitCode !== null) throw new Error(`geckodriver exited with ${gecko.exitCode}`);
    return (await fetch(`${url}/status`).catch(() => null))?.ok;
  }, 'geckodriver to listen');

  const options = new firefox.Options()
    .setBinary(FIREFOX)
    .addArguments('-headless')
    .setPreference('network.dns.forceResolve', '127.0.0.1')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [addonId]: UUID }))
    .setPreference('devtools.console.stdout.content', true)
    .setPreference('devtools.console.stdout.chrome', true)
    .setAcceptInsecureCerts(true);
  resources.session = firefox.Driver.createSession(options, new http.Executor(new http.HttpClient(url)));
  return resources.session;
}

/** The add-on's storage.local, read in an extension page (the current window must be one). */
async function stored(driver) {
  return driver.executeAsyncScript(function (done) {
    browser.storage.local.get(null).then((all) => done(all), (e) => done({ error: String(e) }));
  });
}

async function waitFor(probe, what, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last.message.split('\n')[0]})` : ''}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/**
 * Every script and CSP message of the console service (all processes), as plain objects. In
 * chrome context, so it sees the background page, content scripts and extension pages alike.
 */
async function consoleMessages(driver) {
  await driver.setContext(firefox.Context.CHROME);
  try {
    return await driver.executeScript(function () {
      /* global Services, Ci */
      return Services.console.getMessageArray().map((m) => {
        if (m instanceof Ci.nsIScriptError) {
          return {
            script: true,
            message: m.errorMessage,
            source: m.sourceName,
            line: m.lineNumber,
            category: m.category,
            warning: (m.flags & (Ci.nsIScriptError.warningFlag | Ci.nsIScriptError.infoFlag)) !== 0,
          };
        }
        return { script: false, message: m.message };
      });
    });
  } finally {
    await driver.setContext(firefox.Context.CONTENT);
  }
}

// ---- the run ------------------------------------------------------------------------------------

const EXTENSION_ORIGIN = `moz-extension://${UUID}`;

/** The Chromium suite's core flow, in two tabs: the console, and an extension page. */
async function flow(driver) {
  const consoleTab = await driver.getWindowHandle();
  await driver.switchTo().newWindow('tab');
  const extensionTab = await driver.getWindowHandle();
  await driver.get(`${EXTENSION_ORIGIN}/popup.html`);
  await driver.wait(until.elementLocated(By.css('textarea[data-sd-input="failure-text"]')), WAIT);

  // 1. The app page: the extension reads it and stores the app as current.
  await driver.switchTo().window(consoleTab);
  await driver.get(APP_URL);
  await driver.switchTo().window(extensionTab);
  await waitFor(async () => (await stored(driver)).state?.current_app === APP_KEY, `${APP_KEY} stored as the current app`);
  step('app page read');

  // 2. The API page: the badge, its toggle (in the open shadow root), the verdict. The badge
  //    redraws itself (host and shadow content), so every probe finds it afresh.
  await driver.switchTo().window(consoleTab);
  await driver.get(API_URL);
  const badge = () => driver.findElement(By.css('[data-sd-host="api"]'));
  const toggle = async () => (await (await badge()).getShadowRoot()).findElement(By.css('[data-sd-action="mark-failing"]'));
  await driver.wait(until.elementLocated(By.css('[data-sd-host="api"]')), WAIT);
  const badgeApi = await (await badge()).getAttribute('data-sd-api');
  if (badgeApi !== API) throw new Error(`badge data-sd-api is ${badgeApi}, expected ${API}`);
  const before = await waitFor(async () => (await toggle()).getAttribute('aria-pressed'), 'the mark-failing toggle');
  if (before !== 'false') throw new Error(`the toggle's aria-pressed is ${before} before the click`);
  await (await toggle()).click();
  await waitFor(async () => (await (await toggle()).getAttribute('aria-pressed')) === 'true', 'the toggle pressed');
  await waitFor(async () => (await (await badge()).getAttribute('data-sd-verdict')) === 'reauthorize', 'data-sd-verdict="reauthorize" on the badge');
  await driver.switchTo().window(extensionTab);
  await waitFor(async () => (await stored(driver)).state?.marks?.some((m) => m.api === API), `${API} stored as failing`);
  step('API page: badge, mark, verdict');

  // 3. The popup: the mark shows; cleared, then the pasted error brings the finding back.
  await driver.get(`${EXTENSION_ORIGIN}/popup.html`);
  const finding = By.css(`li[data-sd-api="${API}"][data-sd-verdict="reauthorize"]`);
  await driver.wait(until.elementLocated(finding), WAIT);
  await driver.findElement(By.css('[data-sd-action="clear-marks"]')).click();
  await waitFor(async () => (await driver.findElements(By.css('[data-sd-list="findings"] li'))).length === 0, 'the marks cleared');
  const textarea = await driver.findElement(By.css('textarea[data-sd-input="failure-text"]'));
  await textarea.sendKeys(PASTE);
  const typed = await textarea.getAttribute('value');
  if (typed !== PASTE) throw new Error(`the textarea holds ${JSON.stringify(typed)}`);
  await driver.findElement(By.css('[data-sd-action="diagnose"]')).click();
  await driver.wait(until.elementLocated(finding), WAIT);
  step('popup: pasted error diagnosed');
}

/**
 * What the add-on logged as an error: script and CSP errors whose source is a moz-extension://
 * URL, from the console service (every process); and the add-on's own error reports
 * (console.error or console.warn starting "Scope Doctor: ", as content/main.js and background.js
 * write them), which reach only Firefox's stdout (devtools.console.stdout.*), so the log.
 */
async function addonErrors(driver, logFile) {
  const messages = await consoleMessages(driver);
  const fromAddon = (m) => m.script && [m.source, m.message].some((s) => (s ?? '').includes('moz-extension://'));
  const describe = (m) => `[${m.category || 'script'}] ${m.message} (${m.source}${m.line ? `:${m.line}` : ''})`;
  if (process.env.SD_FIREFOX_DUMP) for (const m of messages) console.log(`  console: ${m.script ? describe(m) : m.message}`);
  for (const m of messages.filter((m) => fromAddon(m) && m.warning)) console.log(`  add-on warning (not a failure): ${describe(m)}`);
  const errors = messages.filter((m) => fromAddon(m) && !m.warning).map(describe);
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
  // Only the add-on's own prefix: Firefox's services print console.error lines of their own.
  const reports = log.filter((l) => /^console\.(error|warn): "?Scope Doctor/.test(l));
  step(`console checked (${messages.length} messages)`);
  return [...errors, ...reports];
}

async function run() {
  if (!FIREFOX) throw new Error('firefox-esr not found (apt-get install -y firefox-esr, or ./build.sh deps)');
  if (!GECKODRIVER) throw new Error('geckodriver not found (cargo install geckodriver --version 0.37.1, or ./build.sh deps)');
  const manifestFile = path.join(args.extension, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${args.extension} has no manifest.json: run ./build.sh first`);
  const addonId = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).browser_specific_settings?.gecko?.id;
  if (!addonId) throw new Error(`${manifestFile} has no browser_specific_settings.gecko.id`);

  resources.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-firefox-'));
  const logFile = path.join(resources.tmp, 'geckodriver.log');
  let site;
  try {
    site = await serveConsole(makeCertificate(resources.tmp));
  } catch (error) {
    if (error.code === 'EACCES') throw new Error('cannot listen on 127.0.0.1:443 (needs root or CAP_NET_BIND_SERVICE)');
    if (error.code === 'EADDRINUSE') throw new Error('127.0.0.1:443 is already in use');
    throw error;
  }
  resources.server = site.server;
  step('https server');

  const driver = await startFirefox(addonId);
  step(`firefox ${(await driver.getCapabilities()).get('browserVersion')} started`);
  const installed = await driver.installAddon(args.extension, true);
  if (installed !== addonId) throw new Error(`installed ${installed}, expected ${addonId}`);
  step('add-on installed');

  // The console is checked whether or not the flow passed: its errors often say why it failed.
  const failure = await flow(driver).then(() => null, (error) => error);
  if (failure) step('flow failed');
  const errors = await addonErrors(driver, logFile).catch((error) => [`could not read the console: ${error.message}`]);
  if (errors.length) console.log(`  the add-on logged ${errors.length} error(s):\n${errors.map((e) => `    ${e}`).join('\n')}`);
  console.log(`  console pages served: ${site.served.length}; other hosts answered 403: ${[...site.refused].join(', ') || 'none'}`);
  if (failure) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
    const related = log.filter((l) => /^(JavaScript error|console\.(error|warn))|Content-Security-Policy/.test(l)).slice(-20);
    if (related.length) console.log(`  from the Firefox log (--keep keeps ${logFile}):\n${related.map((l) => `    ${l}`).join('\n')}`);
    throw failure;
  }
  if (errors.length) throw new Error(`the add-on logged ${errors.length} error(s): ${errors[0]}`);
}

run().then(
  () => finish(true),
  (error) => {
    console.log(`  error: ${error.message}`);
    return finish(false, error.message.split('\n')[0]);
  },
);
