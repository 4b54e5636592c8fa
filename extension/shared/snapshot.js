// The page model the Rust readers work on, taken from the live DOM. It mirrors
// src/snapshot/html.rs (the native builder) rule for rule, so a page reads the same in the
// browser as in the CLI: elements in tree order with their parent index, their own text,
// a few meaningful attributes and whether they are rendered.
//
// This file is an ES module with no imports (wasm-bindgen tests import it directly); pack.mjs
// strips the `export` keywords to make the content script's classic-script copy.

/** Elements whose content is never page text (same list as html.rs). */
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'head', 'svg', 'iframe', 'object']);
/** Same as KEPT_ATTRIBUTES in snapshot.rs, in the same order. */
const KEPT_ATTRIBUTES = ['href', 'title', 'role', 'aria-label', 'alt', 'type'];
/** Same caps as snapshot.rs: a huge page is cut, not choked on. */
const MAX_NODES = 60000;
const MAX_TEXT = 4000;
/** Marks the hosts of Scope Doctor's own badges: they are never part of the page. */
const OWN_HOST_ATTRIBUTE = 'data-sd-host';
/** Rust's `split_whitespace` (Unicode White_Space), which differs from JS `\s` on U+0085/U+FEFF. */
const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/** Collapses whitespace runs to one space and trims, like `text::squash`. */
export function squash(text) {
  return text.replace(WHITESPACE, ' ').trim();
}

/** Cuts text to MAX_TEXT characters (code points), as `Snapshot::sanitized` would. */
function clip(text) {
  if (text.length <= MAX_TEXT) return text;
  return Array.from(text).slice(0, MAX_TEXT).join('');
}

/** The element's direct text children joined with a space (not its descendants' text). */
function ownText(element) {
  const parts = [];
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3) parts.push(child.data);
  }
  return parts.join(' ');
}

function isReadOnly(element) {
  return element.hasAttribute('readonly') || element.hasAttribute('disabled') || element.readOnly === true || element.disabled === true;
}

/** Kept attributes; `value` only for read-only fields, never what a user typed (a pasted token). */
function keptAttributes(element, tag, readOnly) {
  const attrs = [];
  for (const name of KEPT_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value !== null) attrs.push([name, value]);
  }
  if (readOnly && tag === 'input') {
    // The live value is what the page shows (an SPA sets the property, not the attribute).
    const value = element.value ?? element.getAttribute('value');
    if (element.hasAttribute('value') || value) attrs.push(['value', value]);
  } else if (readOnly && tag === 'textarea' && element.hasAttribute('value')) {
    attrs.push(['value', element.getAttribute('value')]);
  }
  return attrs;
}

/**
 * Whether the element is not rendered. The native builder can only see `hidden`, `aria-hidden`
 * and inline styles; here the computed style also counts (class-based `display: none`).
 */
function isHidden(element, tag) {
  if (element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true') return true;
  if (tag === 'input' && (element.getAttribute('type') || '').toLowerCase() === 'hidden') return true;
  // A <select> shows only its selected option (html.rs: the selected one, else the first).
  if (tag === 'option' && element.closest('select')) return !element.selected;
  const view = element.ownerDocument.defaultView;
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

/**
 * Takes the snapshot of `root` (an element or a document) for the page at `url`.
 * Returns `{snapshot: {url, nodes}, elements}` where `elements[i]` is the DOM element of
 * `nodes[i]`, so a badge anchored to node i can be drawn beside `elements[i]`.
 */
export function takeSnapshot(root, url) {
  const start = root && root.nodeType === 9 ? root.documentElement : root;
  const nodes = [];
  const elements = [];
  if (!start) return { snapshot: { url: String(url || ''), nodes }, elements };
  // Iterative walk in tree order: a hostile page nested 50,000 deep must not overflow the stack.
  const stack = [[start, null, true]];
  while (stack.length > 0 && nodes.length < MAX_NODES) {
    const [element, parent, parentVisible] = stack.pop();
    const tag = element.localName ? element.localName.toLowerCase() : '';
    if (!tag || SKIPPED_TAGS.has(tag) || element.hasAttribute(OWN_HOST_ATTRIBUTE)) continue;
    const readOnly = isReadOnly(element);
    let text = squash(tag === 'textarea' ? (readOnly ? ownText(element) : '') : ownText(element));
    text = clip(text);
    // An element inside a hidden one is hidden too (Rust inherits it again): skip the style query.
    const visible = parentVisible && !isHidden(element, tag);
    const index = nodes.length;
    nodes.push({ tag, parent, text, attrs: keptAttributes(element, tag, readOnly), visible });
    elements.push(element);
    const children = element.children;
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push([children[i], index, visible]);
  }
  return { snapshot: { url: String(url || ''), nodes }, elements };
}
