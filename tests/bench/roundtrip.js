// The bench's baseline for the content script's main-thread time: the least any design of this
// extension must do on a console page. One snapshot of the page (shared/snapshot.js, whole, at
// the first idle moment), one message to the service worker and its reply (the same Rust reading
// as the real content script), and one bare badge host with the number of badges in it: no
// observer, no drawing, no placement. tests/bench/browser.mjs loads it instead of the real
// content script, in a copy of the built extension, in the same run as the real one.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  requestIdleCallback(
    async () => {
      const { snapshot } = SD.takeSnapshot(document, location.href, { rules: SD.SNAPSHOT_RULES, compact: true });
      const reply = await SD.send({ type: 'observe', snapshot, visit: 'bench', redraw: false, strings: null });
      const host = document.createElement('span');
      host.setAttribute('data-sd-host', 'bench');
      host.attachShadow({ mode: 'open' }).textContent = String(reply.badges.length);
      document.body.append(host);
    },
    { timeout: 50 },
  );
})();
