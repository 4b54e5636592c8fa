// 授权查询工具: the queried token's packages against the failing APIs — if the token already
// has them, the problem is not a missing package; if it lacks them and the app holds them, the
// merchant re-authorizes, so the link is offered here too.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  function findingChip(finding) {
    const chip = ui.verdictChip(finding.verdict);
    chip.textContent = `${finding.api}: ${chip.textContent}`;
    return chip;
  }

  /** Every reauthorize finding has the same link (the current app's), so one set of buttons. */
  function withLink(findings) {
    return findings.find((f) => f.auth_link && f.mobile_link) ?? null;
  }

  SD.addFeature('token-check', {
    pages: ['token-info'],
    kinds: ['token'],
    placement: 'inline',
    draw(badge) {
      // No 正常/有问题 chip here (data-sd-ok still says it): "OK" beside "this token lacks the
      // packages" would read as a contradiction; the sentence is the status.
      const { host, box } = ui.createHost(badge, 'inline');
      box.append(ui.el('span', null, SD.explain(badge.text)));
      box.append(...ui.scopeChips(badge.scopes));
      const linked = withLink(badge.findings);
      const links = linked && { first: linked.auth_link, second: linked.mobile_link };
      box.append(...badge.findings.map(findingChip), ...ui.linkButtons(links, box, linked?.merchant_message));
      return host;
    },
  });
})();
