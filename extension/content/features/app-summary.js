// App detail page: a panel listing every failing API with its verdict and explanation, so the
// whole answer is in one place even when a package has no row on the page.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  function findingItem(finding, box, page) {
    const item = ui.el('li');
    item.setAttribute('data-sd-api', finding.api);
    item.setAttribute('data-sd-verdict', finding.verdict);
    if (finding.scopes.length) item.setAttribute('data-sd-scope', finding.scopes.join(' '));
    item.append(ui.el('span', 'api', finding.api), ui.verdictChip(finding.verdict));
    for (const scope of finding.scopes) item.append(ui.el('span', 'chip scope', scope));
    if (finding.auth_link && finding.mobile_link) {
      item.append(...ui.linkButtons({ first: finding.auth_link, second: finding.mobile_link }, box));
    }
    item.append(
      ui.button(SD.t('removeMark'), 'unmark', (event) => {
        if (event.isTrusted) page.mark(finding.api, false);
      }),
    );
    item.append(ui.el('span', 'explain', SD.explain(finding.explain)));
    return item;
  }

  SD.addFeature('app-summary', {
    pages: ['app-detail'],
    kinds: ['summary'],
    placement: 'block',
    draw(badge, page) {
      const { host, box } = ui.createHost(badge, 'block');
      box.append(ui.el('span', 'chip', SD.explain(badge.text)));
      const list = ui.el('ul');
      for (const finding of badge.findings) list.append(findingItem(finding, box, page));
      box.append(list);
      return host;
    },
  });
})();
