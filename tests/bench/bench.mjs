// Speed and size figures, each with a baseline measured in the same run, so the ratios mean
// something on any machine. Run by `./build.sh bench` after a build. Prints; asserts nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'build/pkg');
const cli = path.join(root, 'target/release/scope-doctor');
const fixtures = path.join(root, 'tests/fixtures');

const wasmBindings = await import(path.join(pkg, 'scope_doctor.js'));
await wasmBindings.default({ module_or_path: readFileSync(path.join(pkg, 'scope_doctor_bg.wasm')) });

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (label, value, ratio) => console.log(`${label.padEnd(46)} ${String(value).padStart(14)}${ratio ? `   ${ratio}` : ''}`);

/** Median time per call in microseconds, over enough calls to last ~200 ms. */
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

console.log('== Size (shipped files)');
const wasm = readFileSync(path.join(pkg, 'scope_doctor_bg.wasm'));
const glue = readFileSync(path.join(pkg, 'scope_doctor.js'));
const catalogJson = Buffer.concat([readFileSync(path.join(root, 'data/api_scopes.json')), readFileSync(path.join(root, 'data/scopes.json'))]);
row('wasm raw / gzip', `${kb(wasm.length)} / ${kb(gzipSync(wasm).length)}`);
row('wasm-bindgen JS glue raw / gzip', `${kb(glue.length)} / ${kb(gzipSync(glue).length)}`);
row('baseline: the catalog data as JSON, gzip', kb(gzipSync(catalogJson).length), `wasm gzip = ${(gzipSync(wasm).length / gzipSync(catalogJson).length).toFixed(2)}× the data it embeds`);
const extensionJs = (dir) => readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js') && !f.includes('pkg')).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
for (const [name, dir, zip] of [['chrome', 'dist/chrome', 'dist/scope-doctor-chrome.zip'], ['firefox', 'dist/firefox', 'dist/scope-doctor-firefox.zip']]) {
  if (existsSync(path.join(root, dir))) row(`extension JS (${name}, without wasm glue)`, kb(extensionJs(path.join(root, dir))));
  if (existsSync(path.join(root, zip))) row(`store zip (${name})`, kb(statSync(path.join(root, zip)).size));
}

console.log('\n== Speed: reading pages in wasm (per page, median)');
const names = readdirSync(fixtures).filter((f) => f.endsWith('.html')).sort();
const snapshots = execFileSync(cli, ['snapshot', ...names.map((n) => path.join(fixtures, n))], { maxBuffer: 1 << 28 }).toString().trim().split('\n').map((l) => JSON.parse(l));
const nodes = snapshots.reduce((n, s) => n + s.nodes.length, 0);
// Baseline: what moving the snapshot from the content script costs anyway (a structured clone).
const clone = time(() => snapshots.forEach((s) => structuredClone(s)));
const readAll = time(() => snapshots.forEach((s) => wasmBindings.readSnapshot(s)));
row(`read ${snapshots.length} fixture pages (${nodes} nodes)`, `${(readAll / snapshots.length).toFixed(1)} µs/page`, `${(readAll / clone).toFixed(2)}× a structured clone of the same snapshots`);
const state = wasmBindings.loadState(undefined).state;
const observeAll = time(() => snapshots.forEach((s) => wasmBindings.observePage(state, s)));
row('observePage (read + learn + badges)', `${(observeAll / snapshots.length).toFixed(1)} µs/page`, `${(observeAll / clone).toFixed(2)}× the clone`);

// A large page: the API list padded to ~20,000 nodes.
const big = structuredClone(snapshots[names.indexOf('api-ant-descriptions.html')]);
const pad = big.nodes.length;
for (let i = 0; i < 20000 - pad; i += 1) big.nodes.push({ tag: i % 3 ? 'td' : 'tr', parent: 1, text: i % 7 ? `参数${i}` : `open.item.param${i}.get`, attrs: [], visible: true });
const bigClone = time(() => structuredClone(big));
const bigRead = time(() => wasmBindings.readSnapshot(big));
row(`read one ${big.nodes.length}-node page`, `${(bigRead / 1000).toFixed(2)} ms`, `${(bigRead / bigClone).toFixed(2)}× its structured clone`);

console.log('\n== Speed: failure text');
const line = (i) => `2024-06-20 10:00:${String(i % 60).padStart(2, '0')} ERROR method=open.item.get${i % 50} {"result":28,"code":"803000","msg":"鉴权失败","sub_msg":"token中无scope权限"}\n`;
let log = '';
for (let i = 0; log.length < 5_000_000; i += 1) log += line(i);
const baselineScan = time(() => log.split('\n').filter((l) => l.includes('scope')).length);
const parse = time(() => wasmBindings.diagnose({ failure_text: log }));
row(`diagnose a ${(log.length / 1e6).toFixed(1)} MB log`, `${(parse / 1000).toFixed(1)} ms`, `${(parse / baselineScan).toFixed(2)}× a JS split+includes scan`);

console.log('\n== Speed: native CLI');
const files = names.map((n) => path.join(fixtures, n));
const wall = (cmd, args) => { const s = performance.now(); execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] }); return performance.now() - s; };
const catMs = Math.min(...[1, 2, 3].map(() => wall('cat', files)));
const readMs = Math.min(...[1, 2, 3].map(() => wall(cli, ['read', ...files, '--json'])));
row(`scope-doctor read ${files.length} pages`, `${readMs.toFixed(1)} ms`, `${(readMs / catMs).toFixed(2)}× cat of the same files`);
