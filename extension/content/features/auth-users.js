// 授权管理 (test / authorized users): how many users are authorized and, when the 发起授权
// dialog is open, whether its first link carries every package the failing APIs need.
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
      return host;
    },
  });
})();
