// Accessibility, measured with axe-core (pinned) in Debian's Chromium: the popup, the options
// page, the playground and a badged console page have no serious or critical violation, in the
// light and the dark colour scheme; badge controls are reached with Tab and act on Enter / Space.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../www/serve.mjs';
import { ROOT, URLS, appReadAndApiMarked, launch, openExtensionPage } from './helpers.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical violations on the page (axe reads open shadow roots too). */
async function violations(page) {
  // Evaluated through the DevTools protocol, so the console's CSP does not apply to axe.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function bothSchemes(page, what) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.waitForTimeout(50);
    assert.deepEqual(await violations(page), [], `${what} (${colorScheme})`);
  }
}

let browser;
before(async () => {
  browser = await launch();
  await appReadAndApiMarked(browser);
});
after(() => browser?.close());

test('popup and options: no serious or critical axe violation, light and dark', async () => {
  const popup = await openExtensionPage(browser, 'popup.html');
  await popup.locator('[data-sd-list="findings"] li').first().waitFor();
  await popup.fill('textarea[data-sd-input="failure-text"]', 'Invalid url https://open.kwaixiaodian.com/oauth/authorize?appId=ks685673047213');
  await popup.click('[data-sd-action="diagnose"]');
  await popup.locator('[data-sd-link-problem]').first().waitFor();
  await bothSchemes(popup, 'popup');
  const options = await openExtensionPage(browser, 'options.html');
  await options.locator('[data-sd-list="apps"] li').first().waitFor();
  await bothSchemes(options, 'options');
});

test('a badged console page: no violation in our badges; Tab reaches the controls, Enter acts', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(URLS.app);
  await tab.locator('[data-sd-host="package"][data-sd-verdict="reauthorize"]').waitFor();
  for (const colorScheme of ['light', 'dark']) {
    await tab.emulateMedia({ colorScheme });
    await tab.evaluate(AXE);
    // Only our badges are ours to fix: the fixture page is someone else's markup.
    const ours = await tab.evaluate(async () => {
      const found = [];
      // One run per badge host (axe checks the open shadow root inside it).
      for (const host of document.querySelectorAll('[data-sd-host]')) {
        const result = await globalThis.axe.run(host, { resultTypes: ['violations'] });
        const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        found.push(...serious.map((v) => `${host.getAttribute('data-sd-host')}: ${v.id}`));
      }
      return found;
    });
    assert.deepEqual(ours, [], `badges (${colorScheme})`);
  }
  // Keyboard: Tab until a badge button has focus; Enter on "why?" opens the explanation.
  let reached = null;
  for (let i = 0; i < 80 && !reached; i += 1) {
    await tab.keyboard.press('Tab');
    reached = await tab.evaluate(() => {
      const host = document.activeElement?.closest?.('[data-sd-host]') ?? (document.activeElement?.shadowRoot ? document.activeElement : null);
      const inner = host?.shadowRoot?.activeElement;
      return inner ? inner.getAttribute('data-sd-action') || inner.localName : null;
    });
  }
  assert.ok(reached, 'Tab reaches a badge control');
  const why = tab.locator('[data-sd-host="package"] details.why summary').first();
  await why.focus();
  await tab.keyboard.press('Enter');
  assert.equal(await tab.locator('[data-sd-host="package"] details.why').first().evaluate((d) => d.open), true, 'Enter opens the explanation');
  assert.ok((await tab.locator('[data-sd-host="package"] details.why .explain').first().textContent()).length > 10);
  await tab.close();
});

test('the playground: no serious or critical axe violation, light and dark', async () => {
  const server = await serve(join(ROOT, 'www'));
  const plain = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  try {
    const page = await plain.newPage();
    await page.goto(server.url);
    await page.locator('body[data-sd-ready]').waitFor({ timeout: 10_000 });
    await page.selectOption('[data-sd-input="example"]', 'multi');
    await page.click('button[data-sd-action="diagnose"]');
    await page.locator('li.finding').first().waitFor();
    await bothSchemes(page, 'playground');
  } finally {
    await plain.close();
    await server.close();
  }
});
