// App detail page: a panel listing every failing API with its verdict and explanation, so the
// whole answer is in one place even when a package has no row on the page.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  /** The finding's packages, the deciding one by its Chinese name as the console shows it. */
  function scopeChips(finding) {
    return finding.scopes.map((id) => ui.el('span', 'chip scope', ui.scopeLabel(id, id === finding.scope ? finding.scope_name : null)));
  }

  function findingItem(finding, box, page) {
    const item = ui.el('li');
    // Not data-sd-api/-verdict: on the app page those mark the badges beside the package rows
    // (contract.md), and a second element per API would make them ambiguous.
    item.setAttribute('data-sd-finding', finding.api);
    item.setAttribute('data-sd-finding-verdict', finding.verdict);
    if (finding.merchant) item.setAttribute('data-sd-merchant', finding.merchant);
    item.append(ui.el('span', 'api', finding.api), ui.verdictChip(finding.verdict), ...scopeChips(finding));
    if (finding.auth_link && finding.mobile_link) {
      item.append(...ui.linkButtons({ first: finding.auth_link, second: finding.mobile_link }, box, finding.merchant_message));
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
