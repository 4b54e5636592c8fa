// The example 授权查询工具: "queries" a token and shows a fixed result, as the console does
// after its request returns (content that appears late, which the extension must notice).
// The token lacks merchant_item, matching the demo's story: the app holds the package but the
// merchant's old token does not.
'use strict';

const RESULT = {
  appKey: 'ks721596384012',
  openId: 'f8c1b2a3d4e5f60718293a4b5c6d7e8f',
  expires: '2024-06-20 18:30:00',
  scopes: ['user_base', 'user_info'],
};

function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

function showResult(box, token) {
  const title = el('h2', '查询结果');
  if (!token.trim()) {
    box.replaceChildren(title, el('div', '请输入 access_token'));
    return;
  }
  const scopes = el('ul');
  for (const scope of RESULT.scopes) scopes.append(el('li', scope));
  box.replaceChildren(
    title,
    el('p', `appKey：${RESULT.appKey}`),
    el('p', `openId：${RESULT.openId}`),
    el('p', `过期时间：${RESULT.expires}`),
    el('p', '授权权限包：'),
    scopes,
  );
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('token-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // A short delay, like the console's request, so the result arrives after the page settled.
    setTimeout(() => showResult(document.getElementById('token-result'), form.querySelector('textarea').value), 150);
  });
});
