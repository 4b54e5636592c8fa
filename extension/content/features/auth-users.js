// 授权管理 (test / authorized users): how many users are authorized and, when the 发起授权
// dialog is open, its first link checked like `scope-doctor check-link` — each problem, and the
// corrected link one click away.
'use strict';

(() => {
  const SD = globalThis.scopeDoctor;
  const { ui } = SD;

  SD.addFeature('auth-users', {
    pages: ['auth-users'],
    kinds: ['users'],
    placement: 'inline',
    draw(badge) {
      const { host, box } = ui.createHost(badge, 'inline');
      if (badge.ok !== null && badge.ok !== undefined) box.append(ui.okChip(badge.ok));
      box.append(ui.el('span', null, SD.explain(badge.text)));
      box.append(...ui.scopeChips(badge.scopes));
      for (const problem of badge.problems || []) {
        const line = ui.el('span', 'explain problem', SD.language === 'en' ? problem.detail : problem.zh);
        line.setAttribute('data-sd-link-problem', problem.code);
        box.append(line);
      }
      if (badge.fixed_link) box.append(ui.copyButton(SD.t('copyFixedLink'), 'copy-auth-link', badge.fixed_link, box));
      return host;
    },
  });
})();
