// The example console's 发起授权 dialog: builds the two links the way the console does
// (platform.md §3) so the demo can compare them with the link Scope Doctor copies.
// The app's values mirror app-detail.html (appKey, 回调地址, the 已获取 packages in page order);
// change them together.
'use strict';

const APP = {
  appKey: 'ks721596384012',
  callback: 'https://shop.example.com/kwai/callback?from=console&v=2',
  ownedScopes: ['user_info', 'merchant_item'],
};

function authQuery(app) {
  // Commas between scopes stay unencoded, as in the console's own link.
  return `app_id=${encodeURIComponent(app.appKey)}&redirect_uri=${encodeURIComponent(app.callback)}` +
    `&scope=${app.ownedScopes.map(encodeURIComponent).join(',')}&response_type=code`;
}

function links(app) {
  const query = authQuery(app);
  return {
    first: `https://open.kwaixiaodian.com/oauth/authorize?${query}`,
    second: `https://open.kuaishou.com/oauth2/authorize?${query}`,
  };
}

function openDialog(dialog) {
  const built = links(APP);
  for (const node of dialog.querySelectorAll('[data-link]')) node.textContent = built[node.dataset.link];
  dialog.hidden = false;
}

function copy(dialog, which, button) {
  const text = dialog.querySelector(`[data-link="${which}"]`).textContent;
  navigator.clipboard.writeText(text).then(
    () => flash(button, '已复制'),
    () => flash(button, '复制失败'),
  );
}

function flash(button, text) {
  const before = button.textContent;
  button.textContent = text;
  setTimeout(() => { button.textContent = before; }, 1200);
}

document.addEventListener('DOMContentLoaded', () => {
  const dialog = document.getElementById('auth-dialog');
  for (const button of document.querySelectorAll('[data-open-auth]')) {
    button.addEventListener('click', () => openDialog(dialog));
  }
  for (const button of dialog.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', () => copy(dialog, button.dataset.copy, button));
  }
  dialog.querySelector('[data-close]').addEventListener('click', () => { dialog.hidden = true; });
});
