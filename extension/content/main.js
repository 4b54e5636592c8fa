// The content script's loop: snapshot the page → the service worker reads and decides (Rust) →
// draw the badges it returns. Re-reads only when what a snapshot holds changed; clears every
// badge on navigation; leaves nothing behind when the extension goes away.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;

  /** The snapshot last sent, with its elements (badge anchors index into them). */
  let current = null;
  /** The hosts drawn for the current reply. */
  let drawn = [];
  /** Number of the newest request: a reply to an older one is stale and dropped. */
  let sequence = 0;
  let stopWatching = null;

  /** FNV-1a over what the readers see: cheap to keep and compare, unlike the snapshot itself. */
  function signatureOf(snapshot) {
    let hash = 0x811c9dc5;
    const add = (text) => {
      for (let i = 0; i < text.length; i += 1) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
      }
      hash ^= 0x1f; // field separator
    };
    add(snapshot.url);
    for (const node of snapshot.nodes) {
      add(`${node.tag}\u0000${node.parent}\u0000${node.visible ? 1 : 0}\u0000${node.text}`);
      for (const [name, value] of node.attrs) add(`${name}=${value}`);
    }
    return `${snapshot.nodes.length}:${hash >>> 0}`;
  }

  /** The extension was reloaded or removed: this script can no longer reach it. */
  function isOrphaned(error) {
    return !SD.isAlive() || /context invalidated|Receiving end does not exist/i.test(String(error && error.message));
  }

  function shutDown() {
    if (stopWatching) stopWatching();
    stopWatching = null;
    SD.ui.removeAll();
    drawn = [];
  }

  function report(error) {
    if (isOrphaned(error)) {
      shutDown();
      return;
    }
    console.warn(`Scope Doctor: ${error && error.message ? error.message : error}`);
  }

  // ---- focus survives a redraw (a keyboard user toggling "this API fails" stays on it) ----

  function focusedControl() {
    const host = document.activeElement;
    if (!host || !host.shadowRoot || !drawn.includes(host)) return null;
    const control = host.shadowRoot.activeElement;
    if (!control || !control.hasAttribute('data-sd-action')) return null;
    return { kind: host.getAttribute('data-sd-host'), api: host.getAttribute('data-sd-api'), action: control.getAttribute('data-sd-action') };
  }

  function restoreFocus(wanted) {
    if (!wanted) return;
    const host = drawn.find((h) => h.getAttribute('data-sd-host') === wanted.kind && h.getAttribute('data-sd-api') === wanted.api);
    const control = host && host.shadowRoot.querySelector(`[data-sd-action="${wanted.action}"]`);
    if (control) control.focus();
  }

  // ---- drawing ----

  const pageActions = {
    mark(api, failing) {
      mark(api, failing).catch(report);
    },
  };

  function anchorOf(badge, elements) {
    if (badge.anchor === null || badge.anchor === undefined) return { anchor: null, usable: true };
    const anchor = elements[badge.anchor];
    // Gone since the snapshot: the mutation that removed it has already queued a fresh read.
    return { anchor, usable: Boolean(anchor && anchor.isConnected) };
  }

  function render(reply, elements) {
    SD.setMessages(reply.messages, reply.language);
    const focus = focusedControl();
    SD.ui.removeAll();
    drawn = [];
    for (const badge of reply.badges) {
      const feature = SD.featureFor(reply.page, badge.kind);
      const { anchor, usable } = anchorOf(badge, elements);
      if (!feature || !usable) continue;
      const host = feature.draw(badge, pageActions);
      SD.ui.place(host, anchor, feature.placement);
      drawn.push(host);
    }
    restoreFocus(focus);
  }

  // ---- talking to the service worker ----

  /**
   * Reads the page if it changed since the last read. `redraw` (the state changed elsewhere)
   * sends it anyway, flagged so the service worker only recomputes the badges.
   */
  /**
   * An opaque id for this visit of this address, renewed when the address changes: the worker
   * lets only a visit's first reading of an app page make that app current.
   */
  const newVisit = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let visit = newVisit();

  async function observe(redraw) {
    const { snapshot, elements } = SD.takeSnapshot(document, location.href);
    const signature = signatureOf(snapshot);
    const intact = drawn.every((host) => host.isConnected);
    if (!redraw && intact && current && current.signature === signature) return;
    current = { signature, snapshot, elements };
    const mine = (sequence += 1);
    try {
      const reply = await SD.send({ type: 'observe', snapshot, visit, redraw: Boolean(redraw) });
      if (mine === sequence) render(reply, elements);
    } catch (error) {
      // Let the next change try again rather than believe this page was read.
      if (current && current.signature === signature) current.signature = null;
      report(error);
    }
  }

  async function mark(api, failing) {
    if (!current) return;
    const { snapshot, elements } = current;
    const mine = (sequence += 1);
    const reply = await SD.send({ type: 'mark', api, failing, snapshot, visit });
    if (mine === sequence) render(reply, elements);
  }

  function onUrlChange() {
    // The old page's badges must not linger on the new one, even for the ~100 ms until it is read.
    sequence += 1;
    visit = newVisit();
    current = null;
    SD.ui.removeAll();
    drawn = [];
  }

  function start() {
    if (!document.documentElement) return;
    stopWatching = SD.watchPage({
      onContentChange: () => observe(false).catch(report),
      onUrlChange,
      isDamaged: () => drawn.some((host) => !host.isConnected),
    });
    // The service worker asks for a redraw when the user changed the state elsewhere (popup, options).
    SD.onMessage((message) => {
      if (message && message.type === 'refresh') observe(true).catch(report);
    });
    observe(false).catch(report);
  }

  SD.stop = shutDown;
  start();
})();
