// Serves the example console pages at the real console URLs inside a Playwright browser
// context, with the console's strict script CSP, and aborts every other outside request.
// Used by www/demo.mjs and the browser tests; routes.json says which file answers which URL.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mimeOf } from '../serve.mjs';

export const CONSOLE_ORIGIN = 'https://open.kwaixiaodian.com';
const CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));

// The CSP the contract promises the extension works under: no inline scripts and no
// 'wasm-unsafe-eval', so wasm compiled in a content script would fail here as on the real site.
export const CONSOLE_CSP = "script-src 'self'; object-src 'none'";

export async function loadRoutes(dir = CONSOLE_DIR) {
  return JSON.parse(await readFile(join(dir, 'routes.json'), 'utf8'));
}

/** The file answering a console URL, and its status: a page, an asset, or not_found (404). */
export function resolveRoute(table, url) {
  const { pathname, searchParams } = new URL(url);
  const page = table.pages.find(
    (r) => r.path === pathname && Object.entries(r.query ?? {}).every(([k, v]) => searchParams.get(k) === v),
  );
  if (page) return { file: page.file, status: 200 };
  const asset = table.assets.find((name) => pathname.endsWith(`/${name}`));
  if (asset) return { file: asset, status: 200 };
  return { file: table.not_found, status: 404 };
}

/** Answers https://open.kwaixiaodian.com/** from www/console/. */
export async function routeConsole(context, dir = CONSOLE_DIR) {
  const table = await loadRoutes(dir);
  await context.route(`${CONSOLE_ORIGIN}/**`, async (route) => {
    const { file, status } = resolveRoute(table, route.request().url());
    await route.fulfill({
      status,
      headers: { 'Content-Type': mimeOf(file), 'Content-Security-Policy': CONSOLE_CSP, 'Cache-Control': 'no-store' },
      body: await readFile(join(dir, file)),
    });
  });
}

/**
 * Aborts every http(s)/ws(s) request that is neither the console (routed above) nor localhost,
 * so a run never reaches the network. A predicate, not a catch-all glob, so the extension's own
 * chrome-extension:// files are never intercepted at all.
 */
export async function blockOutside(context, onBlocked = () => {}) {
  const outside = (url) =>
    /^(https?|wss?):$/.test(url.protocol) &&
    url.origin !== CONSOLE_ORIGIN &&
    !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  await context.route(outside, (route) => {
    onBlocked(route.request().url());
    return route.abort('blockedbyclient');
  });
}
