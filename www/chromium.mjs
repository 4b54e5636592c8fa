// How Debian's Chromium is started with the extension loaded, shared by the demo and the
// browser tests (design.md: --disable-extensions-except is required; the background-networking
// flags keep Chromium from flooding the closed network).

export const CHROMIUM = '/usr/bin/chromium';

/** Command-line flags for a Chromium that loads the unpacked extension in `extensionDir`. */
export function extensionArgs(extensionDir) {
  return [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
}
