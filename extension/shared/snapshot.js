// The page model the Rust readers work on, taken from the live DOM. It mirrors
// src/snapshot/html.rs (the native builder) rule for rule, so a page reads the same in the
// browser as in the CLI: elements in tree order with their parent index, their own text,
// a few meaningful attributes and whether they are rendered.
//
// One walk serves two callers: `takeSnapshot` runs it to the end at once (tests, small
// documents); `takeSnapshotInSlices` runs it a few milliseconds at a time and yields to the page
// in between, so a page of 60,000 elements never sees a long task from us. Both give the same
// nodes, because they are the same steps.
//
// Its rules (the caps, the line breakers, which rows of a long run to keep) are `SNAPSHOT_RULES`
// of shared/names.js, generated from src/snapshot.rs and the readers: every caller passes them
// (`rules`), so no number or word here can drift from the Rust side.
//
// This file is an ES module with no imports (wasm-bindgen tests import it directly); pack.mjs
// strips the `export` keywords to make the content script's classic-script copy.

/** Elements whose content is never page text (same list as html.rs). */
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'head', 'svg', 'iframe', 'object']);
/** Same as KEPT_ATTRIBUTES in snapshot.rs, in the same order. */
const KEPT_ATTRIBUTES = ['href', 'title', 'role', 'aria-label', 'alt', 'type'];
/** Marks the hosts of Scope Doctor's own badges: they are never part of the page. */
const OWN_HOST_ATTRIBUTE = 'data-sd-host';
/** Rust's `split_whitespace` (Unicode White_Space), which differs from JS `\s` on U+0085/U+FEFF. */
const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
/** A sliced walk works this long (ms) before it lets the page run: well under the 50 ms of a long task. */
const SLICE_MS = 6;
/** Elements visited between two looks at the clock. */
const CLOCK_EVERY = 16;

/** What `squash` would change: whitespace but a lone inner space, and what `trim` also cuts (U+FEFF at an end). */
const UNSQUASHED = /[\t\n\v\f\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]| {2}|^[ \ufeff]|[ \ufeff]$/;

/** Collapses whitespace runs to one space and trims, like `text::squash`. */
export function squash(text) {
  // Most text is squashed already: keep it as it is rather than copy it.
  if (!UNSQUASHED.test(text)) return text;
  return text.replace(WHITESPACE, ' ').trim();
}

/** Cuts text to `max` characters (code points) marked with "…", as `Snapshot::sanitized` does. */
function clip(text, max) {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/**
 * The element's direct text children, a space between two, squashed (not its descendants'
 * text); a `<br>` or a block child (`breakers`) between them starts a new line, a `<wbr>` joins
 * them, and lines are joined with `separator` (html.rs's `own_text`).
 */
function ownText(element, breakers, separator) {
  let line = '';
  let hasText = false;
  let lines = null;
  let joined = false;
  for (let child = element.firstChild; child; child = child.nextSibling) {
    const type = child.nodeType;
    if (type === 3) {
      line = hasText ? `${line}${joined ? '' : ' '}${child.data}` : child.data;
      hasText = true;
      joined = false;
    } else if (type === 1) {
      joined = hasText && child.localName === 'wbr';
    }
    if (type === 1 && hasText && breakers.has(child.localName)) {
      const squashed = squash(line);
      if (squashed) {
        if (lines === null) lines = [];
        lines.push(squashed);
      }
      line = '';
      hasText = false;
    }
  }
  const last = hasText ? squash(line) : '';
  if (lines === null) return last;
  if (last) lines.push(last);
  return lines.join(separator);
}

/** The rules as the walk uses them (sets for lookups), made once per rules object. */
const prepared = new WeakMap();
function prepare(rules) {
  if (!rules || typeof rules.maxNodes !== 'number') throw new TypeError('takeSnapshot: pass `rules` (SNAPSHOT_RULES of shared/names.js)');
  let ready = prepared.get(rules);
  if (!ready) {
    ready = { ...rules, lineBreakers: new Set(rules.lineBreakers), rowSignals: [...rules.rowSignals] };
    prepared.set(rules, ready);
  }
  return ready;
}

/** Whether a row's text holds a signal a reader looks for (snapshot.rs `Rules::leaves_out`). */
function hasSignal(text, signals) {
  for (const signal of signals) if (text.includes(signal)) return true;
  return false;
}

/** What `getAttributeNames()` gives for an element without attributes (most table cells). */
const NO_NAMES = [];

/** Read-only or disabled; `names`: the element's attribute names. */
function isReadOnly(element, names) {
  return names.includes('readonly') || names.includes('disabled') || element.readOnly === true || element.disabled === true;
}

/** Kept attributes; `value` only for read-only fields, never what a user typed (a pasted token). */
function keptAttributes(element, tag, readOnly, names) {
  const attrs = [];
  if (names.length > 0) {
    for (const name of KEPT_ATTRIBUTES) {
      if (names.includes(name)) attrs.push([name, element.getAttribute(name)]);
    }
  }
  if (readOnly && tag === 'input') {
    // The live value is what the page shows (an SPA sets the property, not the attribute).
    const value = element.value ?? element.getAttribute('value');
    if (names.includes('value') || value) attrs.push(['value', value]);
  } else if (readOnly && tag === 'textarea' && names.includes('value')) {
    attrs.push(['value', element.getAttribute('value')]);
  }
  // A ticked checkbox or radio button, as shown now (snapshot.rs `CHECKED`).
  if (tag === 'input' && element.checked === true && (element.type === 'checkbox' || element.type === 'radio')) attrs.push(['checked', '']);
  return attrs;
}

/**
 * Whether the element is not rendered. The native builder can only see `hidden`, `aria-hidden`
 * and inline styles; here the computed style also counts (class-based `display: none`).
 */
function isHidden(element, tag, names, view) {
  if (names.length > 0) {
    if (names.includes('hidden') || (names.includes('aria-hidden') && element.getAttribute('aria-hidden') === 'true')) return true;
    if (tag === 'input' && names.includes('type') && element.getAttribute('type').toLowerCase() === 'hidden') return true;
  }
  // A <select> shows only its selected option (html.rs: the selected one, else the first).
  if (tag === 'option' && element.closest('select')) return !element.selected;
  if (!view) {
    // A document without a window (DOMParser) has no layout: judge the inline style as html.rs does.
    const style = (element.getAttribute('style') || '').replace(/\s+/g, '').toLowerCase();
    return style.includes('display:none') || style.includes('visibility:hidden');
  }
  if (typeof element.checkVisibility === 'function') {
    if (element.checkVisibility({ visibilityProperty: true })) return false;
    // `display: contents` has no box of its own, yet its children may well be shown.
    return view.getComputedStyle(element).display !== 'contents';
  }
  const style = view.getComputedStyle(element);
  return style.display === 'none' || style.visibility === 'hidden';
}

/** Whether two nodes of the same form (compact or not) say the same. */
function sameNode(a, b) {
  if (a.tag !== b.tag || a.parent !== b.parent || a.text !== b.text || a.visible !== b.visible) return false;
  const x = a.attrs;
  const y = b.attrs;
  if (x === y) return true;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i += 1) {
    if (x[i][0] !== y[i][0] || x[i][1] !== y[i][1]) return false;
  }
  return true;
}

/**
 * The walk in tree order, as a resumable object: `run(budget)` visits up to `budget` more
 * elements. Iterative, so a hostile page nested 50,000 deep cannot overflow the stack, and a
 * cursor rather than a list of pending elements, so a table body of 20,000 rows costs no more
 * at once than any other element: the path from the root holds the ancestors of the next
 * element to visit. Between slices the page may change; the walk still ends (at the latest
 * after `maxNodes` elements) and still gives every node a parent that came before it.
 * A long run of rows (more than `longRun` children) keeps its first `runHead` rows, its last,
 * and every row whose text holds a signal; the others are counted in `omitted`.
 * `compact`: leave out the fields a reader defaults anyway (`parent: null`, `text: ''`,
 * `attrs: []`, `visible: true`), which makes the message to the service worker ~40% smaller.
 * `previous`: a snapshot of the same form to compare with on the way (`same()`).
 */
function startWalk(root, url, compact, previous, rules) {
  const { maxNodes, maxText, longRun, runHead, lineBreakers, lineSeparator, rowSignals } = prepare(rules);
  const start = root && root.nodeType === 9 ? root.documentElement : root;
  const document = start ? start.ownerDocument || start : null;
  const view = document ? document.defaultView : null;
  const nodes = [];
  const elements = [];
  /** The ancestors of `next` that were kept: their elements, node indices and visibility. */
  const pathElements = [];
  const pathIndices = [];
  const pathVisible = [];
  /** For each element on the path, its long run of children (or null): first tag, last position, next position. */
  const pathRuns = [];
  let omitted = 0;
  let next = start || null;
  const before = previous ? previous.nodes : null;
  let same = Boolean(before);

  /** Adds `element` as a node; returns its index, or -1 when it and its subtree are left out. */
  function visit(element, parent, parentVisible) {
    const tag = element.localName ? element.localName.toLowerCase() : '';
    if (!tag || SKIPPED_TAGS.has(tag)) return -1;
    const names = element.hasAttributes() ? element.getAttributeNames() : NO_NAMES;
    if (names.length > 0 && names.includes(OWN_HOST_ATTRIBUTE)) return -1;
    const field = tag === 'input' || tag === 'textarea';
    const readOnly = field && isReadOnly(element, names);
    let text = tag === 'textarea' && !readOnly ? '' : ownText(element, lineBreakers, lineSeparator);
    if (text) text = clip(text, maxText);
    const attrs = names.length > 0 || field ? keptAttributes(element, tag, readOnly, names) : [];
    // An element inside a hidden one is hidden too (Rust inherits it again): skip the style query.
    const visible = parentVisible && !isHidden(element, tag, names, view);
    const index = nodes.length;
    let node;
    if (compact) {
      node = { tag };
      if (parent !== null) node.parent = parent;
      if (text) node.text = text;
      if (attrs.length) node.attrs = attrs;
      if (!visible) node.visible = false;
    } else {
      node = { tag, parent, text, attrs, visible };
    }
    nodes.push(node);
    elements.push(element);
    if (same) same = index < before.length && sameNode(node, before[index]);
    return index;
  }

  /** Whether `element`, the next child of the path's last element, is a signal-less row of a long run. */
  function leftOut(element, depth) {
    const run = depth ? pathRuns[depth - 1] : null;
    if (run === null) return false;
    const position = run.next;
    run.next += 1;
    return position >= runHead && position < run.last && element.localName === run.first && !hasSignal(element.textContent, rowSignals);
  }

  return {
    nodes,
    elements,
    get omitted() {
      return omitted;
    },
    get cut() {
      return next !== null && nodes.length >= maxNodes;
    },
    get done() {
      return next === null || nodes.length >= maxNodes;
    },
    run(budget) {
      for (let n = 0; n < budget && next !== null && nodes.length < maxNodes; n += 1) {
        const element = next;
        const depth = pathIndices.length;
        const skipped = leftOut(element, depth);
        if (skipped) omitted += 1;
        const index = skipped ? -1 : visit(element, depth ? pathIndices[depth - 1] : null, depth ? pathVisible[depth - 1] : true);
        const child = index >= 0 ? element.firstElementChild : null;
        if (child) {
          pathElements.push(element);
          pathIndices.push(index);
          pathVisible.push(compact ? nodes[index].visible !== false : nodes[index].visible);
          const count = element.childElementCount;
          pathRuns.push(count > longRun ? { first: child.localName, last: count - 1, next: 0 } : null);
          next = child;
          continue;
        }
        // No way down: the next sibling, else the next sibling of the nearest ancestor that has one.
        next = null;
        let here = element;
        while (here !== start) {
          const sibling = here.nextElementSibling;
          if (sibling) {
            next = sibling;
            break;
          }
          if (pathElements.length === 0) break;
          here = pathElements.pop();
          pathIndices.pop();
          pathVisible.pop();
          pathRuns.pop();
        }
      }
    },
    /** Whether this walk found exactly the nodes of `previous` (nothing new to read). */
    same() {
      return same && nodes.length === before.length;
    },
  };
}

function finish(walk, url, previous) {
  const address = String(url || '');
  const snapshot = { url: address, nodes: walk.nodes, omitted: walk.omitted, cut: walk.cut };
  const unchanged = Boolean(previous) && previous.url === address && previous.omitted === snapshot.omitted && walk.same();
  return { snapshot, elements: walk.elements, unchanged };
}

/**
 * Takes the snapshot of `root` (an element or a document) for the page at `url`.
 * Returns `{snapshot: {url, nodes, omitted, cut}, elements, unchanged}` where `elements[i]` is the DOM element
 * of `nodes[i]`, so a badge anchored to node i can be drawn beside `elements[i]`, and
 * `unchanged` says whether the snapshot is exactly `previous` (one taken before, of the same form).
 */
export function takeSnapshot(root, url, { rules, compact = false, previous = null } = {}) {
  const walk = startWalk(root, url, compact, previous, rules);
  while (!walk.done) walk.run(rules.maxNodes);
  return finish(walk, url, previous);
}

/** Lets the page run: `scheduler.yield()` where the browser has it, else a new task. */
export function yieldToPage() {
  const scheduler = globalThis.scheduler;
  if (scheduler && typeof scheduler.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves when the page is next idle (or after `limit` ms, as a busy page may never be). By
 * then the page's own pending style, layout and garbage collection after a load or a render
 * are done in its own time, not forced by our first visibility check or allocations.
 */
function whenIdle(limit = 50) {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: limit });
    else setTimeout(resolve, 0);
  });
}

/**
 * `takeSnapshot`, a slice of at most `sliceMs` at a time with the page running in between,
 * begun when the page is idle. Resolves with the same result, or with null when
 * `cancelled()` turns true between slices (the page moved on: the snapshot would describe a
 * page that is gone).
 */
export async function takeSnapshotInSlices(
  root,
  url,
  { rules, compact = false, previous = null, sliceMs = SLICE_MS, cancelled = () => false, idleFirst = true } = {},
) {
  prepare(rules);
  if (idleFirst) await whenIdle();
  if (cancelled()) return null;
  const walk = startWalk(root, url, compact, previous, rules);
  for (;;) {
    const end = performance.now() + sliceMs;
    do {
      walk.run(CLOCK_EVERY);
    } while (!walk.done && performance.now() < end);
    if (walk.done) return finish(walk, url, previous);
    await yieldToPage();
    if (cancelled()) return null;
  }
}
