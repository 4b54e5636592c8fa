// The content script's loop: snapshot the page → the service worker reads and decides (Rust) →
// draw the badges it returns. Re-reads only when what a snapshot holds changed; clears every
// badge on navigation; leaves nothing behind when the extension goes away.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;

  /**
   * The snapshot last sent, with its elements (badge anchors index into them) and whether it was
   * read: the worker learns nothing from a redraw, so a redraw's snapshot is not the page as read.
   */
  let current = null;
  /** The hosts drawn for the current reply. */
  let drawn = [];
  /** What the badges drawn now show, and where: a reply that would draw the same is not drawn again. */
  let drawnKey = null;
  let drawnAnchors = [];
  /** Number of the newest request: a reply to an older one is stale and dropped. */
  let sequence = 0;
  let stopWatching = null;
  /** Set once the extension went away: a snapshot being taken stops at its next slice. */
  let stopped = false;
  /** Nodes above which sending the snapshot is worth a task of its own. */
  const LARGE_PAGE = 2000;

  /** The extension was reloaded or removed: this script can no longer reach it. */
  function isOrphaned(error) {
    return !SD.isAlive() || /context invalidated|Receiving end does not exist/i.test(String(error && error.message));
  }

  function shutDown() {
    stopped = true;
    if (stopWatching) stopWatching();
    stopWatching = null;
    SD.ui.removeAll();
    drawn = [];
    drawnKey = null;
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
    const key = JSON.stringify([reply.page, reply.language, reply.badges]);
    const anchors = reply.badges.map((badge) => anchorOf(badge, elements).anchor);
    const same = key === drawnKey && anchors.every((anchor, i) => anchor === drawnAnchors[i]) && drawn.every((host) => host.isConnected);
    if (same) return;
    drawnKey = key;
    drawnAnchors = anchors;
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
   * An opaque id for this visit of this address, renewed when the address changes: the worker
   * lets only a visit's first reading of an app page make that app current.
   */
  const newVisit = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let visit = newVisit();

  /**
   * Sends the page's snapshot unless it is what was read last. `redraw` (the state changed
   * elsewhere) sends it anyway, flagged so the service worker only recomputes the badges.
   */
  async function observe({ snapshot, elements, unchanged }, redraw) {
    const intact = drawn.every((host) => host.isConnected);
    if (!redraw && intact && unchanged) return;
    current = { snapshot, elements, read: !redraw };
    sequence += 1;
    const mine = sequence;
    try {
      // Sending copies the snapshot (tens of ms for 60,000 nodes): a task of its own, not the walk's last slice's.
      if (snapshot.nodes.length > LARGE_PAGE) await SD.yieldToPage();
      const reply = await SD.send({ type: 'observe', snapshot, visit, redraw: Boolean(redraw), strings: SD.stringsHeld() });
      if (mine === sequence) render(reply, elements);
    } catch (error) {
      // Let the next change try again rather than believe this page was read.
      if (current && current.snapshot === snapshot) current.read = false;
      report(error);
    }
  }

  /** A snapshot is being taken; another was asked for meanwhile (and whether with a redraw). */
  let walking = false;
  let again = null;
  /**
   * How long the page must be quiet before it is read again (ms): 30 ms, so late content gets
   * its badge at once, or as long as the last walk took, so a page that is costly to read is
   * not read over and over while it keeps changing.
   */
  let quiet = 30;

  /**
   * Reads the page. The snapshot is taken in slices of a few milliseconds, so even a
   * 60,000-element page never holds the main thread for a long task. One walk at a time: asks
   * made during a walk fold into one more walk after it; a walk begun before the address
   * changed is dropped.
   */
  function requestObserve(redraw) {
    if (walking) {
      again = { redraw: Boolean(redraw) || Boolean(again && again.redraw) };
      return;
    }
    walking = true;
    const startedIn = visit;
    const gone = () => stopped || visit !== startedIn;
    const began = performance.now();
    // Compared on the way with the snapshot last read, so an unchanged page is not sent again.
    const previous = current && current.read ? current.snapshot : null;
    SD.takeSnapshotInSlices(document, location.href, { rules: SD.SNAPSHOT_RULES, compact: true, previous, cancelled: gone })
      .then(
        (taken) => {
          quiet = Math.min(1000, Math.max(30, performance.now() - began));
          if (taken && !gone()) observe(taken, redraw).catch(report);
        },
        report,
      )
      .finally(() => {
        walking = false;
        const next = again;
        again = null;
        if (next && !stopped) requestObserve(next.redraw);
      });
  }

  async function mark(api, failing) {
    if (!current) return;
    const { snapshot, elements } = current;
    sequence += 1;
    const mine = sequence;
    const reply = await SD.send({ type: 'mark', api, failing, snapshot, visit, strings: SD.stringsHeld() });
    if (mine === sequence) render(reply, elements);
  }

  function onUrlChange() {
    // The old page's badges must not linger on the new one, even for the ~100 ms until it is read.
    sequence += 1;
    visit = newVisit();
    current = null;
    SD.ui.removeAll();
    drawn = [];
    drawnKey = null;
  }

  function start() {
    if (!document.documentElement) return;
    stopWatching = SD.watchPage({
      onContentChange: () => requestObserve(false),
      onUrlChange,
      isDamaged: () => drawn.some((host) => !host.isConnected),
      delay: () => quiet,
    });
    // The service worker asks for a redraw when the user changed the state elsewhere (popup, options).
    SD.onMessage((message) => {
      if (message && message.type === 'refresh') requestObserve(true);
    });
    requestObserve(false);
  }

  SD.stop = shutDown;
  start();
})();
