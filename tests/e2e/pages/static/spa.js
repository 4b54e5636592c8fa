// A tiny client-side router standing in for the console's SPA: nav buttons pushState and swap
// the content; back/forward (popstate) render the address's route; "重新渲染" rebuilds the
// current route's DOM from scratch as a framework re-render would.
'use strict';

const API_PAGES = {
  'open.item.get': { title: '获取商品详情', packageName: '商品信息', tag: '商品' },
  'open.order.detail': { title: '获取订单详情', packageName: '订单API权限', tag: '订单' },
};

function el(tag, text, children = []) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  node.append(...children);
  return node;
}

function apiPage(name, page) {
  return [
    el('div', `文档中心 / API文档 / ${page.tag}`),
    el('h1', `${page.title} `, [el('span', name)]),
    el('span', '需用户授权'),
    el('h2', '描述'),
    el('p', `${page.title}。`),
    el('h2', '权限说明'),
    el('table', null, [el('tbody', null, [el('tr', null, [el('th', '所属权限包'), el('td', page.packageName)])])]),
  ];
}

function homePage() {
  return [el('h1', '控制台首页'), el('p', '欢迎使用快手电商开放平台。')];
}

function render() {
  const name = new URLSearchParams(location.search).get('name');
  const page = location.pathname.endsWith('/docs/api') && API_PAGES[name];
  document.getElementById('root').replaceChildren(...(page ? apiPage(name, page) : homePage()));
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  if (button.hasAttribute('data-rerender')) {
    render();
  } else if (button.dataset.go) {
    history.pushState({}, '', button.dataset.go);
    render();
  }
});
window.addEventListener('popstate', render);
render();
