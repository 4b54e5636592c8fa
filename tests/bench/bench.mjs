// Speed and size figures, each with a baseline measured in the same run, so the ratios mean
// something on any machine. Run by `./build.sh bench` after a build. Prints; asserts nothing.
//   node tests/bench/bench.mjs                       every figure
//   node tests/bench/bench.mjs --write-readme-table  …and writes them to tests/bench/RESULTS.md
//   --quick        fewer browser loads and a 0.1 GB log instead of 1 GB (a smoke run)
//   --no-browser   skip the Playwright figures;  --log-gb=N  the streamed log's size
//   --dist=DIR     the extension build to measure (default dist/chrome)
//   --only=LIST    only these sections: size, wasm, native, browser (comma-separated)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { nativeFigures } from './native.mjs';
import { figure, heading, kb, machine, ms, note, times, writeTable } from './report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const given = args.find((a) => a.startsWith(`${name}=`));
  return given ? Number(given.slice(name.length + 1)) : fallback;
};
const quick = flag('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
const wanted = (section) => !only || only.has(section);
const started = new Date();
const context = machine();
console.log(`Scope Doctor bench — ${context}`);

const pkg = path.join(root, 'build/pkg');
const cli = path.join(root, 'target/release/scope-doctor');
const fixtures = path.join(root, 'tests/fixtures');
// --dist=DIR measures another build of the extension (say, an older one, for before/after figures).
const distArg = args.find((a) => a.startsWith('--dist='));
const dist = distArg ? path.resolve(distArg.slice('--dist='.length)) : path.join(root, 'dist/chrome');

const wasmBindings = await import(path.join(pkg, 'scope_doctor.js'));
await wasmBindings.default({ module_or_path: readFileSync(path.join(pkg, 'scope_doctor_bg.wasm')) });

/** Median time per call in microseconds, over enough calls to last ~50 ms per sample. */
function time(fn) {
  fn();
  let calls = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < calls; i += 1) fn();
    const elapsed = performance.now() - start;
    if (elapsed > 50) break;
    calls *= 2;
  }
  const samples = [];
  for (let s = 0; s < 5; s += 1) {
    const start = performance.now();
    for (let i = 0; i < calls; i += 1) fn();
    samples.push(((performance.now() - start) * 1000) / calls);
  }
  return samples.sort((a, b) => a - b)[2];
}

if (wanted('size')) sizeFigures();
if (wanted('wasm')) wasmFigures();
if (wanted('native')) nativeFigures({ root, cli, pages: fixturePages(), logGigabytes: option('--log-gb', quick ? 0.1 : 1) });

function fixturePages() {
  return readdirSync(fixtures)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((n) => path.join(fixtures, n));
}

function sizeFigures() {
  heading('Size (shipped files)');
  const wasm = readFileSync(path.join(pkg, 'scope_doctor_bg.wasm'));
  const glue = readFileSync(path.join(pkg, 'scope_doctor.js'));
  const catalogJson = Buffer.concat([readFileSync(path.join(root, 'data/api_scopes.json')), readFileSync(path.join(root, 'data/scopes.json'))]);
  const wasmGzip = gzipSync(wasm).length;
  figure('wasm raw', kb(wasm.length), { target: '≤ 150 KB', met: wasm.length <= 150 * 1024 });
  figure('wasm gzip', kb(wasmGzip), {
    baseline: `the catalog it embeds, as JSON, gzip ${kb(gzipSync(catalogJson).length)}`,
    ratio: times(wasmGzip, gzipSync(catalogJson).length),
    target: '≤ 60 KB',
    met: wasmGzip <= 60 * 1024,
  });
  figure('wasm-bindgen JS glue raw / gzip', `${kb(glue.length)} / ${kb(gzipSync(glue).length)}`);
  // The QR encoder is a wasm of its own, instantiated only when a QR code is drawn.
  const qrPath = path.join(pkg, 'scope_doctor_qr_bg.wasm');
  if (existsSync(qrPath)) {
    const qr = readFileSync(qrPath);
    figure('QR wasm (loaded on the first QR code only) raw / gzip', `${kb(qr.length)} / ${kb(gzipSync(qr).length)}`);
  }
  const extensionJs = (dir) =>
    readdirSync(dir, { recursive: true })
      .filter((f) => f.endsWith('.js') && !f.includes('pkg'))
      .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
  for (const [name, dir, zip] of [
    ['chrome', 'dist/chrome', 'dist/scope-doctor-chrome.zip'],
    ['firefox', 'dist/firefox', 'dist/scope-doctor-firefox.zip'],
  ]) {
    if (existsSync(path.join(root, dir))) figure(`extension JS (${name}, without the wasm glue)`, kb(extensionJs(path.join(root, dir))));
    if (existsSync(path.join(root, zip))) figure(`store zip (${name})`, kb(statSync(path.join(root, zip)).size));
  }
}

function wasmFigures() {
  heading('Speed: reading pages in wasm (Node, per page, median)');
  const names = readdirSync(fixtures)
    .filter((f) => f.endsWith('.html'))
    .sort();
  const snapshots = execFileSync(cli, ['snapshot', ...names.map((n) => path.join(fixtures, n))], { maxBuffer: 1 << 28 })
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const nodes = snapshots.reduce((n, s) => n + s.nodes.length, 0);
  // Baseline: what moving the snapshot from the content script costs anyway (a structured clone).
  const clone = time(() => {
    for (const s of snapshots) structuredClone(s);
  });
  const readAll = time(() => {
    for (const s of snapshots) wasmBindings.readSnapshot(s);
  });
  figure(`read ${snapshots.length} fixture pages (${nodes} nodes)`, `${(readAll / snapshots.length).toFixed(1)} µs/page`, {
    baseline: `a structured clone ${(clone / snapshots.length).toFixed(1)} µs/page`,
    ratio: times(readAll, clone),
  });
  const state = wasmBindings.loadState(undefined).state;
  const observeAll = time(() => {
    for (const s of snapshots) wasmBindings.observePage(state, s);
  });
  figure('observePage (read + learn + badges)', `${(observeAll / snapshots.length).toFixed(1)} µs/page`, { baseline: 'the clone', ratio: times(observeAll, clone) });

  // A large page: the API list padded to ~20,000 nodes.
  const big = structuredClone(snapshots[names.indexOf('api-ant-descriptions.html')]);
  const pad = big.nodes.length;
  for (let i = 0; i < 20000 - pad; i += 1) big.nodes.push({ tag: i % 3 ? 'td' : 'tr', parent: 1, text: i % 7 ? `参数${i}` : `open.item.param${i}.get`, attrs: [], visible: true });
  const bigClone = time(() => structuredClone(big));
  const bigRead = time(() => wasmBindings.readSnapshot(big));
  figure(`read one ${big.nodes.length}-node page`, ms(bigRead / 1000, 2), { baseline: `its structured clone ${ms(bigClone / 1000, 2)}`, ratio: times(bigRead, bigClone) });

  heading('Speed: failure text in wasm');
  const line = (i) => `2024-06-20 10:00:${String(i % 60).padStart(2, '0')} ERROR method=open.item.get${i % 50} {"result":28,"code":"803000","msg":"鉴权失败","sub_msg":"token中无scope权限"}\n`;
  let log = '';
  for (let i = 0; log.length < 5_000_000; i += 1) log += line(i);
  const baselineScan = time(() => log.split('\n').filter((l) => l.includes('scope')).length);
  const parse = time(() => wasmBindings.diagnose({ failure_text: log }));
  figure(`diagnose a ${(log.length / 1e6).toFixed(1)} MB log`, ms(parse / 1000), { baseline: `a JS split+includes scan ${ms(baselineScan / 1000)}`, ratio: times(parse, baselineScan) });
}

if (wanted('browser') && !flag('--no-browser')) {
  if (!existsSync(path.join(dist, 'manifest.json'))) {
    note('dist/chrome is not built: no browser figures (run ./build.sh first)');
  } else {
    const { browserFigures } = await import('./browser.mjs');
    await browserFigures(quick ? { dist, typicalLoads: 1, bigLoads: 1, badgeLoads: 5 } : { dist });
  }
}

if (flag('--write-readme-table')) {
  const file = path.join(root, 'tests/bench/RESULTS.md');
  writeTable(file, { started, context });
  console.log(`\nwrote ${path.relative(root, file)}`);
}
