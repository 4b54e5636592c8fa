// The DOM helpers every UI piece shares: the badges (as a classic content-script copy made by
// pack.mjs), the popup, the options page and the www playground (copied by www/build.mjs).
// Text only ever goes in through textContent: page text must never be parsed as HTML.

/** An element with optional class and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A button carrying its contract action (`data-sd-action`). */
export function button(label, action, onClick) {
  const node = el('button', null, label);
  node.type = 'button';
  node.setAttribute('data-sd-action', action);
  node.addEventListener('click', onClick);
  return node;
}

/**
 * A package as the console names it: `商品信息（merchant_item）` in Chinese (full-width, no
 * spaces), `商品信息 (merchant_item)` in English; an id with no name of its own shown once.
 */
export function scopeLabel(id, name, language) {
  if (!name || name === id) return id;
  return language === 'en' ? `${name} (${id})` : `${name}（${id}）`;
}

/** The `_locales` key of a verdict's label (`reauthorize` → `verdict_reauthorize`). */
export function verdictKey(verdict) {
  return `verdict_${verdict.replace(/-/g, '_')}`;
}

/** `<span class="chip verdict verdict-…">label</span>` */
export function verdictChip(verdict, label) {
  return el('span', `chip verdict verdict-${verdict}`, label);
}
