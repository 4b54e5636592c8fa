// Every page kind but the app's (whose summary panel says it, app-summary.js): a note about the
// page as a whole, drawn at the top of its content. The one such note today: the page was too
// big to read whole, so what the badges say comes from its beginning only.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  SD.addFeature('page-note', {
    pages: ['api-detail', 'auth-users', 'token-info', 'unknown'],
    kinds: ['summary'],
    placement: 'block',
    draw(badge) {
      const { host, box } = ui.createHost(badge, 'block');
      if (badge.ok !== null && badge.ok !== undefined) box.append(ui.okChip(badge.ok));
      box.append(ui.el('span', null, SD.explain(badge.text)));
      return host;
    },
  });
})();
