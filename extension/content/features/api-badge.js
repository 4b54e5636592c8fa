// API detail page: beside the API's name, its package(s) with the current app's status, the
// verdict once the API is marked failing and an app is known, the "this API fails" toggle, and
// the link buttons when the merchant must re-authorize.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  function markToggle(badge, page) {
    let failing = badge.failing;
    const toggle = ui.button(SD.t(failing ? 'markFailingPressed' : 'markFailing'), 'mark-failing', (event) => {
      // Only the user marks APIs; a page script clicking into our shadow root does not.
      if (!event.isTrusted) return;
      // Flip locally at once: a second click before the redraw must undo the first, not repeat
      // it. Only aria-pressed (a colour) changes now; the label, whose width would move the
      // buttons under the pointer, changes with the redraw.
      failing = !failing;
      toggle.setAttribute('aria-pressed', String(failing));
      page.mark(badge.api, failing);
    });
    toggle.setAttribute('aria-pressed', String(failing));
    return toggle;
  }

  SD.addFeature('api-badge', {
    pages: ['api-detail'],
    kinds: ['api'],
    // On a line of its own under the title row: the page's 需用户授权 / GET tags beside the name
    // keep their place, and the row grows by the badge's height at most (draw.js placeOnLine).
    placement: 'line',
    draw(badge, page) {
      const { host, box } = ui.createHost(badge, 'inline');
      box.append(...ui.scopeChips(badge.scopes));
      if (badge.verdict) box.append(ui.verdictChip(badge.verdict));
      box.append(markToggle(badge, page), ...ui.linkButtons(badge.links, box, badge.message));
      const explanation = SD.explain(badge.text);
      if (explanation) box.append(ui.el('span', 'explain', explanation));
      return host;
    },
  });
})();
