// The extension's cost in the browser, measured with Playwright and Debian's Chromium on the
// example console pages (www/console) and on a generated 20,000-row app page:
//   - main thread: what the content script adds, from a Chromium trace of each load (every task
//     running the extension's scripts, its yield continuations and its message replies), and the
//     long tasks the page itself sees (PerformanceObserver 'longtask' / 'long-animation-frame'),
//     with and without the extension, in the same run;
//   - the first badge: how long after the content appears it is drawn, with the service worker
//     warm and stopped (cold), p50 and p95 over many loads.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, extensionArgs } from '../../www/chromium.mjs';
import { blockOutside, CONSOLE_CSP, CONSOLE_ORIGIN, loadRoutes, routeConsole } from '../../www/console/router.mjs';
import { bigAppPage } from './pages.mjs';
import { figure, heading, median, ms, note, percentile, times as ratioOf } from './report.mjs';

/** The same flags with and without the extension, but for the two that load it. */
const BASE_ARGS = extensionArgs('-').filter((arg) => !arg.startsWith('--disable-extensions-except') && !arg.startsWith('--load-extension'));
const EXTENSION_URL = 'chrome-extension://';
const BIG_URL = `${CONSOLE_ORIGIN}/zone/new/app/detail?appKey=ks721596384012&calllog=20000`;
const LATE_URL = `${CONSOLE_ORIGIN}/zone/new/docs/late`;
const TYPICAL_SETTLE_MS = 1200;
const BIG_SETTLE_MS = 6000;

/**
 * Runs in the page's own world before its scripts: records long tasks, long animation frames
 * and the moment the first Scope Doctor badge host is added. (An init script is not subject to
 * the page's CSP.)
 */
function recorder() {
  const bench = { longTasks: [], frames: [], badge: null };
  bench.badgeSeen = new Promise((resolve) => {
    bench.onBadge = resolve;
  });
  Object.defineProperty(window, '__sdBench', { value: bench });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const scripts = e.scripts.map((s) => ({ url: s.sourceURL, duration: s.duration }));
        bench.frames.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration, scripts });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
  const watch = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.hasAttribute('data-sd-host')) {
          bench.badge = performance.now();
          bench.onBadge(bench.badge);
          watch.disconnect();
          return;
        }
      }
    }
  });
  watch.observe(document, { childList: true, subtree: true });
}

async function launch(withExtension, dist) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: withExtension ? extensionArgs(dist) : BASE_ARGS,
  });
  await blockOutside(context);
  await routeConsole(context);
  const big = bigAppPage(20000);
  const late = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../e2e/pages');
  const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CONSOLE_CSP, 'Cache-Control': 'no-store' };
  // Registered after routeConsole, so these win for their URLs.
  await context.route(BIG_URL, (route) => route.fulfill({ headers, body: big }));
  await context.route(LATE_URL, (route) => route.fulfill({ headers, body: readFileSync(path.join(late, 'late-api.html')) }));
  await context.route(`${CONSOLE_ORIGIN}/static/late.js`, (route) =>
    route.fulfill({ headers: { ...headers, 'Content-Type': 'application/javascript' }, body: readFileSync(path.join(late, 'static/late.js')) }),
  );
  let worker = null;
  if (withExtension) {
    [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker');
  }
  return {
    context,
    worker,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A copy of the built extension `dist` whose content script is only tests/bench/roundtrip.js
 * (on the shared snapshot and messaging files): the baseline of the content script's cost.
 */
function roundTripBuild(dist) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-roundtrip-'));
  cpSync(dist, dir, { recursive: true });
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const [script] = manifest.content_scripts;
  const kept = script.js.filter((file) => /content\/(names|snapshot|core)\.js$/.test(file));
  script.js = [...kept, 'content/roundtrip.js'];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  cpSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'roundtrip.js'), path.join(dir, 'content/roundtrip.js'));
  return dir;
}

// ---- traces: which main-thread work is the extension's ----

/** Few categories, so tracing itself costs little: tasks (toplevel), scripts and continuations (devtools.timeline). */
const CATEGORIES = ['devtools.timeline', 'toplevel'];

async function startTrace(context, tab) {
  const cdp = await context.newCDPSession(tab);
  const events = [];
  cdp.on('Tracing.dataCollected', (message) => events.push(...message.value));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } });
  return async () => {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach().catch(() => {});
    return events;
  };
}

const urlOf = (event) => event.args?.data?.url ?? '';
const isExtensionCode = (event) => urlOf(event).startsWith(EXTENSION_URL);
/** A task that only runs because of the extension: its scheduler.yield() continuations, its message replies. */
const isExtensionEntry = (event) =>
  event.name === 'RunYieldContinuation' || String(event.args?.chrome_mojo_event_info?.mojo_interface_tag ?? '').startsWith('extensions.mojom');
/** Work of the page itself in a task: its scripts, parsing, rendering a frame. */
const isPageWork = (event) =>
  (urlOf(event) !== '' && !isExtensionCode(event)) ||
  event.name === 'ParseHTML' ||
  /BeginMainFrame|CheckLoadEventSoon/.test(String(event.args?.src_func ?? ''));

/**
 * The extension's main-thread work in one load's trace, per task of the page's main thread (a
 * task with the microtask checkpoint after it): the whole task when only the extension works in
 * it (script injection, its timer, idle and yield continuations with the promises they resolve,
 * its message replies), else the time inside the extension's own callbacks (an observer
 * callback in the page's task). Returns, in ms: `total` (wall clock) and `totalCpu` (thread
 * time), its thread time by kind (`inject`: running
 * the content scripts, `reply`: taking the service worker's answer and drawing, `walk`: the
 * snapshot's slices and sending, `page`: its callbacks inside the page's tasks), `longest` (its
 * most in one task, wall clock) and `longestCpu` (the same task's thread time: on a busy
 * machine a task also waits for a CPU), and `longTasks` / `longTasksCpu`: tasks of 50 ms or
 * more that were mostly its; `pageOwn` and `pageLongest`: the rest of the thread's work, for comparison.
 */
export function extensionWork(events) {
  const injected = events.find((e) => e.name === 'EvaluateScript' && isExtensionCode(e));
  if (!injected) return null;
  const { pid, tid } = injected;
  const thread = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Top-level tasks only (a nested run loop's tasks lie inside another), each with the
  // microtask checkpoint that follows it (where promise continuations such as a yield's run).
  const tasks = [];
  for (const e of thread) {
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'BlinkScheduler_PerformMicrotaskCheckpoint') continue;
    const last = tasks[tasks.length - 1];
    const lastEnd = last ? last.ts + last.dur : -Infinity;
    if (e.ts < lastEnd) continue;
    if (last && e.name === 'BlinkScheduler_PerformMicrotaskCheckpoint' && e.ts - lastEnd < 50) {
      last.dur = e.ts + e.dur - last.ts;
      last.cpu += e.tdur ?? e.dur;
    } else {
      tasks.push({ ts: e.ts, dur: e.dur, cpu: e.tdur ?? e.dur });
    }
  }
  const work = { total: 0, totalCpu: 0, inject: 0, reply: 0, walk: 0, page: 0, longest: 0, longestCpu: 0, longTasks: 0, longTasksCpu: 0, pageOwn: 0, pageLongest: 0 };
  let i = 0;
  for (const task of tasks) {
    const end = task.ts + task.dur;
    while (i < thread.length && thread[i].ts < task.ts) i += 1;
    let entry = false;
    let reply = false;
    let inject = false;
    let page = false;
    let inside = 0;
    let coveredUntil = -1;
    for (let j = i; j < thread.length && thread[j].ts <= end; j += 1) {
      const event = thread[j];
      if (isExtensionEntry(event)) entry = true;
      if (String(event.args?.chrome_mojo_event_info?.mojo_interface_tag ?? '').startsWith('extensions.mojom')) reply = true;
      if (event.name === 'EvaluateScript' && isExtensionCode(event)) inject = true;
      if (isPageWork(event)) page = true;
      if (isExtensionCode(event) && event.ts >= coveredUntil) {
        inside += event.dur;
        coveredUntil = event.ts + event.dur;
      }
    }
    const mine = (entry || inside > 0) && !page;
    const share = (mine ? task.dur : Math.min(inside, task.dur)) / 1000;
    work.pageOwn += task.dur / 1000 - share;
    if (!mine) work.pageLongest = Math.max(work.pageLongest, task.dur / 1000);
    if (share <= 0) continue;
    const cpu = mine ? task.cpu / 1000 : share * (task.cpu / task.dur);
    work.total += share;
    work.totalCpu += cpu;
    work[!mine ? 'page' : inject ? 'inject' : reply ? 'reply' : 'walk'] += cpu;
    if (share > work.longest) {
      work.longest = share;
      work.longestCpu = cpu;
    }
    // A long task is the extension's when most of it is the extension's work.
    if (task.dur >= 50000 && share * 1000 >= task.dur / 2) work.longTasks += 1;
    if (cpu >= 50 && share * 1000 >= task.dur / 2) work.longTasksCpu += 1;
  }
  return work;
}

/** Total blocking time (ms) the page's own long-task observer saw: the part of each task over 50 ms. */
const blocking = (bench) => bench.longTasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);

async function load(browser, url, { settle, trace = false }) {
  const tab = await browser.context.newPage();
  await tab.addInitScript(recorder);
  const stop = trace ? await startTrace(browser.context, tab) : null;
  await tab.goto(url, { waitUntil: 'load' });
  await tab.waitForTimeout(settle);
  const bench = await tab.evaluate(() => {
    const { longTasks, frames, badge } = window.__sdBench;
    return { longTasks, frames, badge };
  });
  const events = stop ? await stop() : null;
  await tab.close();
  return { bench, work: events ? extensionWork(events) : null };
}

// ---- first badge ----

/** Waits until no Scope Doctor service worker runs (CDP `ServiceWorker.stopAllWorkers`). */
async function stopWorkers(cdp) {
  const running = new Map();
  const listener = ({ versions }) => {
    for (const v of versions) running.set(v.versionId, v.runningStatus);
  };
  cdp.on('ServiceWorker.workerVersionUpdated', listener);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  const deadline = Date.now() + 5000;
  while ([...running.values()].some((status) => status !== 'stopped') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  cdp.off('ServiceWorker.workerVersionUpdated', listener);
  await cdp.send('ServiceWorker.disable');
}

/**
 * Loads `url` `loads` times and returns the times (ms) from the content appearing to the first
 * badge: `content` says when it appeared (a page-side expression). `cold`: the service worker
 * is stopped before each load, or, with `stopAfter`, that many ms after the document loaded
 * (a late-rendering page: after its loading shell was read, before its content comes).
 */
async function firstBadges(browser, url, { loads, cold, content, stopAfter = null }) {
  const tab = await browser.context.newPage();
  await tab.addInitScript(recorder);
  const cdp = await browser.context.newCDPSession(tab);
  const times = [];
  for (let n = 0; n < loads; n += 1) {
    if (cold && stopAfter === null) await stopWorkers(cdp);
    await tab.goto(url, { waitUntil: 'domcontentloaded' });
    if (cold && stopAfter !== null) {
      await tab.waitForTimeout(stopAfter);
      await stopWorkers(cdp);
    }
    const badge = await tab.evaluate(() => Promise.race([window.__sdBench.badgeSeen, new Promise((r) => setTimeout(() => r(null), 5000))]));
    const appeared = await tab.evaluate(content);
    if (badge !== null && appeared !== null) times.push(badge - appeared);
  }
  await cdp.detach().catch(() => {});
  await tab.close();
  return times;
}

/** The static page's content is all there once the parser is done. */
const PARSED = () => performance.getEntriesByType('navigation')[0].domInteractive;
/** The late page's script stamps when it rendered the content (tests/e2e/pages/static/late.js). */
const RENDERED = () =>
  new Promise((resolve) => {
    const read = () => (document.body.dataset.rendered ? resolve(Number(document.body.dataset.rendered)) : setTimeout(read, 20));
    read();
  });

// ---- the figures ----

export async function browserFigures({ dist, typicalLoads = 5, bigLoads = 3, badgeLoads = 20 }) {
  const routes = await loadRoutes();
  const typical = routes.pages.map((p) => ({
    name: p.file.replace(/\.html$/, ''),
    url: `${CONSOLE_ORIGIN}${p.path}${p.query ? `?${new URLSearchParams(p.query)}` : ''}`,
  }));
  const withExtension = await launch(true, dist);
  const without = await launch(false, dist);
  const roundTripDist = roundTripBuild(dist);
  const roundTrip = await launch(true, roundTripDist);
  try {
    heading('Browser: main thread (Chromium trace; long tasks as the page sees them)');
    note(`${typicalLoads} traced loads per page with the extension, ${typicalLoads} untraced with and ${typicalLoads} without; medians.`);
    note('CPU: the renderer main thread\'s own time; wall clock also counts waiting for a CPU, which a busy machine inflates.');
    const runs = async (browser, url, settle, trace, count) => {
      const out = [];
      for (let n = 0; n < count; n += 1) out.push(await load(browser, url, { settle, trace }));
      return out;
    };
    // Warm up: the first load of a profile pays for caches and the worker's first start.
    await runs(withExtension, typical[0].url, 300, false, 1);
    await runs(without, typical[0].url, 300, false, 1);
    await runs(roundTrip, typical[0].url, 300, false, 1);
    const typicalTotals = [];
    for (const { name, url } of [...typical, { name: 'app-detail + 20,000-row call log', url: BIG_URL, big: true }]) {
      const big = url === BIG_URL;
      const settle = big ? BIG_SETTLE_MS : TYPICAL_SETTLE_MS;
      const count = big ? bigLoads : typicalLoads;
      const traced = await runs(withExtension, url, settle, true, count);
      const plain = await runs(withExtension, url, settle, false, count);
      const baseline = await runs(without, url, settle, false, count);
      const floor = big ? [] : await runs(roundTrip, url, settle, true, count);
      const floorCpu = big ? null : median(floor.map((r) => r.work?.totalCpu).filter((v) => v !== undefined));
      const work = traced.map((r) => r.work).filter(Boolean);
      const total = median(work.map((w) => w.total));
      const totalCpu = median(work.map((w) => w.totalCpu));
      const part = (kind) => median(work.map((w) => w[kind])).toFixed(1);
      const worst = work.reduce((a, b) => (b.longest > a.longest ? b : a), work[0]);
      const longTasks = Math.max(...work.map((w) => w.longTasks));
      const longTasksCpu = Math.max(...work.map((w) => w.longTasksCpu));
      const tbtWith = median(plain.map((r) => blocking(r.bench)));
      const tbtWithout = median(baseline.map((r) => blocking(r.bench)));
      const extFrames = Math.max(...plain.map((r) => r.bench.frames.filter((f) => f.scripts.some((s) => s.url.startsWith(EXTENSION_URL))).length));
      if (!big) typicalTotals.push(totalCpu);
      const parts = `inject ${part('inject')} + walk/send ${part('walk')} + reply/draw ${part('reply')} + in page tasks ${part('page')} ms`;
      const pageOwn = `the page's own ${ms(median(work.map((w) => w.pageOwn)))} wall`;
      figure(`${name}: the extension's main-thread time, CPU (wall)`, `${ms(totalCpu)} (${ms(total)})`, {
        baseline: big ? pageOwn : `a bare round trip (tests/bench/roundtrip.js) ${ms(floorCpu)} CPU; ${pageOwn}`,
        ratio: big ? `CPU: ${parts}` : `${ratioOf(totalCpu, floorCpu)} the round trip; CPU: ${parts}`,
        target: big ? undefined : '≤ 5 ms CPU',
        met: big ? undefined : totalCpu <= 5,
      });
      figure(`${name}: the extension's longest task`, `${ms(worst.longest)} (CPU ${ms(worst.longestCpu)})`, {
        baseline: `the page's longest ${ms(Math.max(...work.map((w) => w.pageLongest)))}`,
        target: big ? 'none ≥ 50 ms CPU' : undefined,
        met: big ? longTasksCpu === 0 : undefined,
      });
      figure(`${name}: blocking time the page sees (TBT)`, ms(tbtWith), {
        baseline: `without the extension ${ms(tbtWithout)}`,
        ratio: `${tbtWith >= tbtWithout ? '+' : '−'}${ms(Math.abs(tbtWith - tbtWithout))}`,
      });
      if (big || longTasks || extFrames) {
        note(`${name}: long tasks mostly the extension's: ${longTasks} by wall clock, ${longTasksCpu} by CPU time; long animation frames naming an extension script: ${extFrames}`);
      }
    }

    heading('Browser: first badge after the content appears (p50 / p95)');
    const staticUrl = typical.find((p) => p.name === 'api-item-get')?.url ?? typical[0].url;
    note('from the content being there (static: the parser done; late: the page script stamping it) to the first badge host in the DOM;');
    note('cold: the service worker stopped (CDP ServiceWorker.stopAllWorkers) before the load, or for the late page after its shell was read.');
    for (const [label, url, content, stopAfter] of [
      ['static API page (content parsed)', staticUrl, PARSED, null],
      ['late-rendered API page (content inserted 500 ms after load)', LATE_URL, RENDERED, 250],
    ]) {
      await firstBadges(withExtension, url, { loads: 2, cold: false, content });
      let warm = null;
      for (const cold of [false, true]) {
        const times = await firstBadges(withExtension, url, { loads: badgeLoads, cold, content, stopAfter });
        const p50 = percentile(times, 50);
        const p95 = percentile(times, 95);
        const limit = cold ? 300 : 100;
        figure(`${label}, ${cold ? 'cold' : 'warm'} worker, p50 / p95 of ${times.length} loads`, `${ms(p50, 0)} / ${ms(p95, 0)}`, {
          baseline: cold ? `warm p50 ${ms(warm, 0)}` : '',
          ratio: cold ? ratioOf(p50, warm) : '',
          target: `≤ ${limit} ms`,
          met: p95 <= limit,
        });
        if (!cold) warm = p50;
      }
    }
    return { typicalTotals };
  } finally {
    await withExtension.close();
    await without.close();
    await roundTrip.close();
    rmSync(roundTripDist, { recursive: true, force: true });
  }
}
