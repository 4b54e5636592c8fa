// Copying a link, shared by the content script (badges) and the extension pages (popup,
// summary). An ES module with no imports: pack.mjs also makes the content script's classic copy.
// Callers check `event.isTrusted` first and call this first thing in the click handler, while
// the click's user activation is fresh.

/** The old way, for when the async clipboard API is refused: a hidden field and `copy`. */
function legacyCopy(text, container) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.setProperty('position', 'fixed');
  area.style.setProperty('opacity', '0');
  container.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/** Puts `text` on the clipboard; `container` (a shadow root, or body) holds the fallback field. Resolves to whether it worked. */
export async function copyText(text, container) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return legacyCopy(text, container);
  }
}
