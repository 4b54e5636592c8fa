// Stands in for the console's SPA: renders the API detail 500 ms after load, as it would after
// its data request (/rest/open/platform/doc/api/name/detail). Served from the page's own origin
// because the console's CSP (script-src 'self') allows nothing else.
'use strict';

function el(tag, text, children = []) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  node.append(...children);
  return node;
}

setTimeout(() => {
  const title = el('h1', '获取订单详情 ', [el('span', 'open.order.detail')]);
  const permissions = el('table', null, [el('tbody', null, [el('tr', null, [el('th', '所属权限包'), el('td', '订单API权限')])])]);
  document.getElementById('root').replaceChildren(
    el('div', '文档中心 / API文档 / 订单'),
    title,
    el('span', '需用户授权'),
    el('h2', '描述'),
    el('p', '根据订单ID查询订单详情。'),
    el('h2', '权限说明'),
    permissions,
  );
  document.body.dataset.rendered = String(performance.now());
}, 500);
