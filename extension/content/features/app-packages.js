// App detail page: beside each package row, one badge per failing API that needs the package,
// with its verdict (apply / pending / reauthorize …) and, for reauthorize, the link buttons.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  SD.addFeature('app-packages', {
    pages: ['app-detail'],
    kinds: ['package'],
    placement: 'inline',
    draw(badge) {
      const { host, box } = ui.createHost(badge, 'inline');
      // The row already shows the package; the badge says which failing API needs it and why.
      box.append(ui.el('span', 'api', badge.api));
      if (badge.verdict) box.append(ui.verdictChip(badge.verdict));
      // apply: the fix is the page's own 申请 button in this very row.
      if (badge.verdict === 'apply') box.append(ui.el('span', 'hint', SD.t('applyInThisRow')));
      box.append(...ui.linkButtons(badge.links, box, badge.message));
      // A table row has little room: the explanation folds behind "why?" (a real control, so
      // keyboard and screen readers reach it — not a hover-only tooltip).
      const why = ui.el('details', 'why');
      why.append(ui.el('summary', null, SD.t('why')), ui.el('span', 'explain', SD.explain(badge.text)));
      box.append(why);
      return host;
    },
  });
})();
