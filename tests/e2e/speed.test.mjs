// The content script's time slicing, tested for what it does (never for how fast): a sliced
// snapshot is the same as a whole one, lets the page's tasks run between slices, falls back to
// setTimeout without scheduler.yield, stops when cancelled and survives the page changing under
// it; the compact form the content script sends reads the same in the shipped wasm.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { bigAppPage } from '../bench/pages.mjs';
import { CONSOLE, DIST, FIXTURES, ROOT, launch } from './helpers.mjs';

const wasm = await import(path.join(DIST, 'pkg', 'scope_doctor.js'));
await wasm.default({ module_or_path: fs.readFileSync(path.join(DIST, 'pkg', 'scope_doctor_bg.wasm')) });

/** names.js and snapshot.js as a page can evaluate them (the same transform as pack.mjs's). */
const SOURCE = ['names.js', 'snapshot.js']
  .map((file) => fs.readFileSync(path.join(ROOT, 'extension', 'shared', file), 'utf8').replace(/^export\s+/gm, ''))
  .join('\n');
const inPage = (body) => `(async () => { ${SOURCE}\n ${body} })()`;
const BIG = `${CONSOLE}/e2e/speed/calllog`;

let browser;
let tab;
before(async () => {
  browser = await launch();
  browser.site.set(BIG, { body: bigAppPage(20000) });
  tab = await browser.context.newPage();
});
after(() => browser?.close());

/** Both forms, whole and in slices of one clock check each, plus how many slices it took. */
const COMPARE = inPage(`
  let slices = 0;
  const yieldOnce = globalThis.scheduler.yield.bind(globalThis.scheduler);
  globalThis.scheduler.yield = () => { slices += 1; return yieldOnce(); };
  const whole = takeSnapshot(document, location.href, { rules: SNAPSHOT_RULES });
  const sliced = await takeSnapshotInSlices(document, location.href, { rules: SNAPSHOT_RULES, sliceMs: 0, idleFirst: false, previous: whole.snapshot });
  const wholeCompact = takeSnapshot(document, location.href, { rules: SNAPSHOT_RULES, compact: true });
  const slicedCompact = await takeSnapshotInSlices(document, location.href, { rules: SNAPSHOT_RULES, compact: true, sliceMs: 0, previous: wholeCompact.snapshot });
  const same = (a, b) => JSON.stringify(a.snapshot) === JSON.stringify(b.snapshot)
    && a.elements.length === b.elements.length && a.elements.every((e, i) => e === b.elements[i]);
  // A change anywhere is seen by the comparison on the way.
  const title = document.body.getAttribute('title');
  document.body.setAttribute('title', 'changed by the test');
  const changed = takeSnapshot(document, location.href, { rules: SNAPSHOT_RULES, compact: true, previous: wholeCompact.snapshot });
  if (title === null) document.body.removeAttribute('title');
  else document.body.setAttribute('title', title);
  return { nodes: whole.snapshot.nodes.length, same: same(whole, sliced), sameCompact: same(wholeCompact, slicedCompact), slices,
           whole: whole.snapshot, compact: wholeCompact.snapshot, unchanged: sliced.unchanged && slicedCompact.unchanged,
           first: whole.unchanged, changed: changed.unchanged };
`);

test('a sliced snapshot is the whole snapshot, on every fixture and a 20,000-row page', async () => {
  const names = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.html'));
  for (const name of names) {
    const url = `${CONSOLE}/e2e/speed/${name}`;
    browser.site.set(url, { body: fs.readFileSync(path.join(FIXTURES, name), 'utf8') });
    await tab.goto(url);
    const r = await tab.evaluate(COMPARE);
    assert.ok(r.same, `${name}: sliced ≠ whole`);
    assert.ok(r.sameCompact, `${name}: compact sliced ≠ compact whole`);
    assert.ok(r.unchanged && !r.first, `${name}: a second walk of the same page is unchanged, a first one is not`);
    assert.equal(r.changed, false, `${name}: a changed attribute is a change`);
    // The compact form leaves out only what the readers default: it reads exactly the same.
    assert.deepEqual(wasm.readSnapshot(r.compact), wasm.readSnapshot(r.whole), `${name}: compact reads differently`);
  }
  await tab.goto(BIG);
  const big = await tab.evaluate(COMPARE);
  // The call log collapses to its head and last row; nothing after it is lost.
  assert.equal(big.whole.cut, false, 'the 20,000-row page is not cut');
  assert.ok(big.whole.omitted > 19000 && big.nodes < 2000, `the log's rows are left out (${big.whole.omitted} rows, ${big.nodes} nodes)`);
  const bigReading = wasm.readSnapshot(big.whole);
  assert.equal(bigReading.page, 'app-detail');
  assert.ok(bigReading.packages.length >= 3, 'the package list after the log is read');
  assert.ok(big.same && big.sameCompact, 'the big page: sliced ≠ whole');
  assert.ok(big.slices > 100, `one clock check per slice gives many slices (${big.slices})`);
  assert.deepEqual(wasm.readSnapshot(big.compact), wasm.readSnapshot(big.whole));
});

test('the page gets the main thread between slices, with scheduler.yield and without it', async () => {
  await tab.goto(BIG);
  for (const withYield of [true, false]) {
    const r = await tab.evaluate(
      inPage(`
        const post = globalThis.scheduler.postTask.bind(globalThis.scheduler);
        if (!${withYield}) globalThis.scheduler.yield = undefined;
        // Urgent page work (as input is) arrives while the walk goes on: 20 tasks, one after another.
        let ticks = 0;
        const tick = () => { ticks += 1; if (ticks < 20) post(tick, { priority: 'user-blocking' }); };
        const walk = takeSnapshotInSlices(document, location.href, { rules: SNAPSHOT_RULES, sliceMs: 1, idleFirst: false });
        post(tick, { priority: 'user-blocking' });
        const taken = await walk;
        return { ticks, nodes: taken.snapshot.nodes.length };
      `),
    );
    assert.ok(r.nodes > 100 && r.nodes < 2000, `the collapsed page (${r.nodes} nodes)`);
    assert.equal(r.ticks, 20, `the page's own tasks ran before the walk ended (scheduler.yield ${withYield ? 'present' : 'absent'})`);
  }
});

test('a cancelled walk gives nothing; a page changing under a walk still gives a well-formed snapshot', async () => {
  await tab.goto(BIG);
  const r = await tab.evaluate(
    inPage(`
      let checks = 0;
      const cancelled = await takeSnapshotInSlices(document, location.href, { rules: SNAPSHOT_RULES, sliceMs: 1, idleFirst: false, cancelled: () => ++checks > 3 });
      // Remove, move and add rows while the walk goes on.
      const rows = () => document.querySelectorAll('tbody tr');
      const churn = setInterval(() => {
        const all = rows();
        all[Math.floor(all.length / 2)]?.remove();
        all[10]?.parentElement.prepend(all[all.length - 1]);
        const row = document.createElement('tr');
        row.innerHTML = '<td>new</td>';
        all[0]?.parentElement.append(row);
      }, 0);
      const taken = await takeSnapshotInSlices(document, location.href, { rules: SNAPSHOT_RULES, sliceMs: 1, idleFirst: false });
      clearInterval(churn);
      const nodes = taken.snapshot.nodes;
      return { cancelled, count: nodes.length, parentsFirst: nodes.every((n, i) => n.parent === null ? i === 0 : n.parent < i), elements: taken.elements.length };
    `),
  );
  assert.equal(r.cancelled, null);
  assert.ok(r.count > 100 && r.count <= 60000, `${r.count} nodes`);
  assert.ok(r.parentsFirst, 'every parent comes before its children');
  assert.equal(r.elements, r.count);
});

test('the extension badges a 20,000-row page it reads slice by slice, and keeps one badge while the page keeps changing', async () => {
  const url = `${CONSOLE}/zone/new/docs/api?name=open.item.get&version=1&speed=1`;
  // The API page with the 20,000-row call log appended: a big page whose badge must still come.
  const api = fs.readFileSync(path.join(ROOT, 'www', 'console', 'api-item-get.html'), 'utf8');
  const rows = Array.from({ length: 20000 }, (_, i) => `<tr><td>${i}</td><td>open.item.get</td><td>成功</td></tr>`).join('');
  browser.site.set(url, { body: api.replace('</main>', `<table><tbody>${rows}</tbody></table></main>`) });
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.locator('[data-sd-host="api"]').first().waitFor({ timeout: 15000 });
  // Changes keep coming: each is read again, and the badge stays one.
  for (let i = 0; i < 5; i += 1) {
    await page.evaluate((n) => {
      document.querySelector('tbody').firstElementChild.firstElementChild.textContent = `changed ${n}`;
    }, i);
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('[data-sd-host="api"]').count(), 1);
  await page.close();
});

test('a page too big to read whole says so on any page kind, not only on the app page', async () => {
  const url = `${CONSOLE}/zone/new/docs/api?name=open.item.get&version=1&cut=1`;
  // 30 × 30 lists of 80 items: no element has children enough to count as a long run of rows,
  // so ~73,000 elements stay, over the snapshot's cap (SNAPSHOT_RULES.maxNodes).
  const api = fs.readFileSync(path.join(ROOT, 'www', 'console', 'api-item-get.html'), 'utf8');
  const lists = `<div>${`<ul>${'<li>参数</li>'.repeat(80)}</ul>`.repeat(30)}</div>`.repeat(30);
  browser.site.set(url, { body: api.replace('</main>', `<section>${lists}</section></main>`) });
  const page = await browser.context.newPage();
  await page.goto(url);
  const note = page.locator('[data-sd-host="summary"]');
  await note.waitFor({ timeout: 20000 });
  assert.equal(await note.getAttribute('data-sd-ok'), 'false');
  const text = await note.evaluate((host) => host.shadowRoot.textContent);
  assert.match(text, /页面太大/, text);
  // The API's own badge still comes: its name is at the top, read before the cut.
  assert.equal(await page.locator('[data-sd-host="api"][data-sd-api="open.item.get"]').count(), 1);
  await page.close();
});
