// Hostile pages through the native CLI: ≥ 200 generated pages (tests/hostile/gen.mjs) — payloads
// in every field the readers read, deep nesting, 100,000 siblings, 5 MB text nodes, look-alike /
// invisible / bidi characters, conflicting values, callbacks that try to smuggle parameters into
// the link — each read by `scope-doctor read FILE --json` and diagnosed by
// `scope-doctor diagnose … --api open.item.get --json`, one process per page and command.
//
// Asserted (contract.md `read`, `diagnose`, "The link"):
//   - 0 crashes: exit code 0 or 2 only (never a signal, 101 = panic, 134 = abort);
//   - 0 timeouts (20 s per process);
//   - every auth_link / mobile_link parses (new URL) to exactly app_id, redirect_uri, scope,
//     response_type, each once; app_id /^ks\d+$/ and an appKey the inputs were read to show;
//     redirect_uri byte-equal to that reading's callback; response_type=code; scope = the
//     packages that reading shows as 已获取;
//   - every non-null app_key matches /^ks\d{1,32}$/;
//   - every non-null callback is a whole http(s) URL: `new URL` parses it, no `…`/`...`, no
//     whitespace, no invisible (control, format, filler) character;
//   - values whole or absent: on app pages a non-null app_key / callback is one the page shows
//     (whole, or its first word), never a clipped or cleaned one, and never a hidden decoy.
// Prints a one-line summary and, per failed check, the smallest page that shows it.
//
// SD_HOSTILE_COUNT=N changes the number of pages (default 240); SD_HOSTILE_KEEP=1 keeps the
// written pages (the directory is printed).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { callbackProblem, hostilePages, RUST_WHITESPACE } from '../hostile/gen.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const SD = path.join(ROOT, 'target', 'release', 'scope-doctor');
const FIXTURE_APP = path.join(ROOT, 'tests', 'fixtures', 'app-ant-descriptions.html');
const COUNT = Number(process.env.SD_HOSTILE_COUNT || 240);
const TIMEOUT_MS = 20_000;
const WORKERS = Math.max(1, Math.min(4, os.cpus().length));

const FIRST = 'https://open.kwaixiaodian.com/oauth/authorize';
const SECOND = 'https://open.kuaishou.com/oauth2/authorize';
const LINK_PARAMS = ['app_id', 'redirect_uri', 'response_type', 'scope'];

function run(args) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(SD, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        timedOut,
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8').slice(0, 1000),
      });
    });
  });
}

async function pool(items, worker) {
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < items.length) await worker(items[next++]);
    }),
  );
}

/** What a Rust reader can take from a shown value: the whole text or its first word. */
function readable(values) {
  const out = new Set();
  for (const v of values) {
    out.add(v);
    const word = v.split(RUST_WHITESPACE).filter(Boolean)[0];
    if (word) out.add(word);
  }
  return out;
}

/** The problems of one link against the readings of the inputs that produced it. */
function linkProblems(link, base, readings) {
  let url;
  try {
    url = new URL(link);
  } catch {
    return ['does not parse'];
  }
  const problems = [];
  if (`${url.origin}${url.pathname}` !== base) problems.push(`base ${url.origin}${url.pathname}`);
  if (url.hash) problems.push('has a fragment');
  if (!/^[\x21-\x7e]+$/.test(link)) problems.push('raw character outside printable ASCII');
  const keys = [...url.searchParams.keys()];
  if (JSON.stringify([...keys].sort()) !== JSON.stringify(LINK_PARAMS)) problems.push(`parameters ${JSON.stringify(keys).slice(0, 200)}`);
  const appId = url.searchParams.get('app_id');
  if (!/^ks\d+$/.test(appId ?? '')) problems.push(`app_id ${JSON.stringify(appId).slice(0, 80)}`);
  if (url.searchParams.get('response_type') !== 'code') problems.push('response_type not code');
  const app = readings.filter((r) => r?.page === 'app-detail' && r.app_key === appId).at(-1);
  if (!app) {
    problems.push(`app_id ${appId} is no appKey read from the inputs`);
  } else {
    if (url.searchParams.get('redirect_uri') !== app.callback) problems.push('redirect_uri ≠ the callback read');
    const owned = [...new Set(app.packages.filter((p) => p.status === 'owned').map((p) => p.scope))].sort();
    const scopes = (url.searchParams.get('scope') ?? '').split(',');
    if (!scopes.every((s) => /^[a-z_]+$/.test(s))) problems.push('scope holds more than package ids');
    if (JSON.stringify([...new Set(scopes)].sort()) !== JSON.stringify(owned)) problems.push(`scope ${scopes.join(',')} ≠ owned ${owned.join(',')}`);
  }
  return problems;
}

test('hostile pages through the CLI: no crash, no timeout, every link exactly the allowed parameters', { timeout: 300_000 }, async (t) => {
  assert.ok(fs.existsSync(SD), `${SD} is missing: cargo build --release --bin scope-doctor`);
  const started = Date.now();
  const pages = hostilePages(COUNT);
  assert.ok(pages.length >= 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-hostile-cli-'));
  for (const page of pages) {
    page.file = path.join(dir, `${page.name}.html`);
    fs.writeFileSync(page.file, page.html);
    page.bytes = Buffer.byteLength(page.html);
    delete page.html; // ~100 MB of strings otherwise
  }
  const fixtureReading = JSON.parse((await run(['read', FIXTURE_APP, '--json'])).stdout);

  /** check name → [{page, detail}] */
  const failures = new Map();
  const fail = (check, page, detail) => {
    if (!failures.has(check)) failures.set(check, []);
    failures.get(check).push({ page, detail });
  };
  const figures = { skipped: 0, processes: 0, crashes: 0, timeouts: 0, refused: [], links: 0, appKeys: 0, callbacks: 0, maxMs: 0, maxPage: '', maxCmd: '', observations: [] };

  const verdict = (page, cmd, r) => {
    figures.processes++;
    if (r.ms > figures.maxMs) Object.assign(figures, { maxMs: r.ms, maxPage: page.name, maxCmd: cmd });
    if (r.timedOut) {
      figures.timeouts++;
      fail('no timeout', page, `${cmd}: killed after ${TIMEOUT_MS} ms`);
      return false;
    }
    if (r.signal || ![0, 2].includes(r.code)) {
      figures.crashes++;
      fail('no crash', page, `${cmd}: exit ${r.code} signal ${r.signal} ${r.stderr.split('\n').find((l) => /panick|overflow|error/i.test(l)) ?? r.stderr.slice(0, 200)}`);
      return false;
    }
    if (r.code === 2) figures.refused.push(`${page.name} (${cmd})`);
    return true;
  };

  await pool(pages, async (page) => {
    // read
    const r = await run(['read', page.file, '--json']);
    let reading = null;
    if (verdict(page, 'read', r) && r.code === 0) {
      try {
        reading = JSON.parse(r.stdout);
      } catch {
        fail('read prints JSON', page, r.stdout.slice(0, 200));
      }
    }
    page.reading = reading;
    if (reading?.app_key != null) {
      figures.appKeys++;
      if (!/^ks\d{1,32}$/.test(reading.app_key)) fail('app_key well formed', page, JSON.stringify(reading.app_key).slice(0, 100));
    }
    if (reading?.callback != null) {
      figures.callbacks++;
      const problem = callbackProblem(reading.callback);
      if (problem) fail('callback a whole http(s) URL', page, `${problem}: ${JSON.stringify(reading.callback).slice(0, 100)}`);
    }
    if (reading?.page === 'app-detail' && page.kind === 'app') {
      const { shown, decoys } = page;
      if (reading.app_key != null && (decoys.appKeys.includes(reading.app_key) || !readable(shown.appKeys).has(reading.app_key))) {
        fail('values whole or absent', page, `app_key ${JSON.stringify(reading.app_key).slice(0, 60)} is not an appKey the page shows`);
      }
      if (reading.callback != null && decoys.callbacks.includes(reading.callback)) fail('values whole or absent', page, `callback ${reading.callback} is a hidden decoy`);
      else if (reading.callback != null && !readable(shown.callbacks).has(reading.callback)) {
        const whole = shown.callbacks.find((c) => c.startsWith(reading.callback));
        fail('values whole or absent', page, `callback (${reading.callback.length} chars) is not one the page shows${whole ? `: a clip of a ${whole.length}-char one` : ''}`);
      }
    }

    // diagnose: an app page alone; any other page beside the fixture app page. Not after a read
    // that crashed or timed out: diagnose parses the page the same way, so it would only repeat
    // the failure (a 20,000-deep page costs seconds, a 60,000-deep one the whole 20 s).
    if (r.timedOut || r.signal || ![0, 2].includes(r.code)) {
      figures.skipped++;
      return;
    }
    const inputs = page.kind === 'app' ? [page.file] : [FIXTURE_APP, page.file];
    const readings = page.kind === 'app' ? [reading] : [fixtureReading, reading];
    const d = await run(['diagnose', ...inputs, '--api', 'open.item.get', '--json']);
    if (!verdict(page, 'diagnose', d)) return;
    let report;
    try {
      report = JSON.parse(d.stdout);
    } catch {
      fail('diagnose prints JSON', page, d.stdout.slice(0, 200));
      return;
    }
    for (const finding of report.findings ?? []) {
      for (const [field, base] of [['auth_link', FIRST], ['mobile_link', SECOND]]) {
        const link = finding[field];
        if (link == null) continue;
        figures.links++;
        const problems = linkProblems(link, base, readings);
        if (problems.length) fail('links carry exactly the allowed parameters', page, `${field}: ${problems.join('; ')}`);
      }
    }
    if (page.kind === 'app' && reading?.page === 'app-detail' && reading.app_key && reading.callback && reading.packages.some((p) => p.scope === 'merchant_item' && p.status === 'owned')) {
      if (!(report.findings ?? []).some((f) => f.auth_link)) figures.observations.push(`${page.name}: app read whole, merchant_item owned, yet no link`);
    }
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const maxPage = pages.find((p) => p.name === figures.maxPage);
  console.log(
    `hostile CLI: ${pages.length} pages (${pages.filter((p) => p.heavy).length} heavy, ${(pages.reduce((s, p) => s + p.bytes, 0) / 1e6).toFixed(0)} MB), ${figures.processes} processes (diagnose skipped after ${figures.skipped} failed reads), ` +
      `${figures.crashes} crashes, ${figures.timeouts} timeouts, ${figures.links} links checked, ${figures.appKeys} app_keys and ${figures.callbacks} callbacks read, ` +
      `${figures.refused.length} refused (exit 2), max ${figures.maxMs.toFixed(0)} ms per process (${figures.maxCmd} ${figures.maxPage}, ${((maxPage?.bytes ?? 0) / 1e6).toFixed(1)} MB), ${seconds} s in all`,
  );
  if (figures.refused.length) console.log(`  refused: ${figures.refused.join(', ')}`);
  for (const o of figures.observations) console.log(`  note: ${o}`);
  for (const [check, list] of failures) {
    const smallest = [...list].sort((a, b) => a.page.bytes - b.page.bytes)[0];
    console.log(`  FAILED ${check}: ${list.length} page(s): ${[...new Set(list.map((f) => f.page.name))].slice(0, 12).join(', ')}${list.length > 12 ? ', …' : ''}`);
    console.log(`    smallest: ${smallest.page.name} (${smallest.page.bytes} bytes; ${smallest.page.notes.join('; ').slice(0, 200)}): ${smallest.detail}`);
  }
  if (process.env.SD_HOSTILE_KEEP) console.log(`  pages kept in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });

  const report = (check) => (failures.get(check) ?? []).map((f) => `${f.page.name}: ${f.detail}`);
  await t.test('0 crashes', () => assert.deepEqual(report('no crash'), []));
  await t.test('0 timeouts', () => assert.deepEqual(report('no timeout'), []));
  await t.test('outputs are JSON', () => assert.deepEqual([...report('read prints JSON'), ...report('diagnose prints JSON')], []));
  await t.test('every link parses to exactly app_id, redirect_uri, scope, response_type', () => {
    assert.ok(figures.links > 0, 'some links were built');
    assert.deepEqual(report('links carry exactly the allowed parameters'), []);
  });
  await t.test('every app_key is ks + 1–32 digits', () => assert.deepEqual(report('app_key well formed'), []));
  await t.test('every callback is a whole http(s) URL', () => assert.deepEqual(report('callback a whole http(s) URL'), []));
  await t.test('values are whole or absent (never clipped, cleaned or hidden)', () => assert.deepEqual(report('values whole or absent'), []));
});
