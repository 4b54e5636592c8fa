// 授权查询工具: the queried token's packages against the failing APIs — if the token already
// has them, the problem is not a missing package.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  SD.addFeature('token-check', {
    pages: ['token-info'],
    kinds: ['token'],
    placement: 'inline',
    draw(badge) {
      const { host, box } = ui.createHost(badge, 'inline');
      if (badge.ok !== null && badge.ok !== undefined) box.append(ui.okChip(badge.ok));
      box.append(ui.el('span', null, SD.explain(badge.text)));
      box.append(...ui.scopeChips(badge.scopes));
      for (const finding of badge.findings) {
        const chip = ui.verdictChip(finding.verdict);
        chip.textContent = `${finding.api}: ${chip.textContent}`;
        box.append(chip);
      }
      return host;
    },
  });
})();
