// Makes www/ a complete static site: copies the wasm bindings (build/pkg, made by
// `./build.sh wasm`) into www/pkg/ and checks that every console route names a real file.
// Run by ./build.sh after the wasm is built; no dependencies.
import { cp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = dirname(fileURLToPath(import.meta.url));
const PKG_SRC = join(WWW, '..', 'build', 'pkg');
const PKG_DST = join(WWW, 'pkg');
const NEEDED = ['scope_doctor.js', 'scope_doctor_bg.wasm', 'scope_doctor_qr.js', 'scope_doctor_qr_bg.wasm'];

function fail(message) {
  console.error(`www/build.mjs: ${message}`);
  process.exit(1);
}

async function copyPkg() {
  const have = await readdir(PKG_SRC).catch(() => []);
  const lacking = NEEDED.filter((f) => !have.includes(f));
  if (lacking.length) fail(`build/pkg lacks ${lacking.join(', ')}: run ./build.sh wasm first`);
  // A clean copy, so a file wasm-bindgen stopped emitting does not linger in the site.
  await rm(PKG_DST, { recursive: true, force: true });
  await cp(PKG_SRC, PKG_DST, { recursive: true });
}

/** A route table that names a missing file would only show up as a 404 in the demo. */
async function checkRoutes() {
  const table = JSON.parse(await readFile(join(WWW, 'console', 'routes.json'), 'utf8'));
  const files = [...table.pages.map((r) => r.file), table.not_found, ...table.assets];
  for (const file of files) {
    const info = await stat(join(WWW, 'console', file)).catch(() => null);
    if (!info?.isFile()) fail(`console/routes.json names ${file}, which is not in www/console/`);
  }
}

/** The extension's UI strings, so the playground labels verdicts exactly as the badges do. */
async function copyLocales() {
  const target = join(WWW, 'locales');
  await rm(target, { recursive: true, force: true });
  await cp(join(WWW, '..', 'extension', '_locales'), target, { recursive: true });
}

/** The DOM helpers the extension's pages use (one module for badges, popup, options, playground). */
async function copyShared() {
  const target = join(WWW, 'shared');
  await rm(target, { recursive: true, force: true });
  await cp(join(WWW, '..', 'extension', 'shared', 'dom.js'), join(target, 'dom.js'));
}

await copyPkg();
await copyLocales();
await copyShared();
await checkRoutes();
console.log(`www: copied build/pkg → www/pkg (${NEEDED.join(', ')}) and extension/_locales → www/locales; console routes ok`);
