// React-like docs SPA: fetches the API detail, renders it, navigates with history.pushState.
(function () {
  'use strict';
  var TREE = [
    { group: '订单API', items: [['订单列表', 'open.order.cursor.list'], ['订单详情', 'open.order.detail']] },
    { group: '商品API', items: [['获取商品详情', 'open.item.get'], ['获取商品列表', 'open.item.list.get']] }
  ];
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function currentName() {
    return new URLSearchParams(location.search).get('name');
  }
  function shell() {
    var root = document.getElementById('root');
    root.textContent = '';
    var layout = el('div', 'doc-layout');
    var nav = el('nav', 'api-tree');
    nav.setAttribute('role', 'navigation');
    TREE.forEach(function (g) {
      nav.appendChild(el('div', 'group', g.group));
      var ul = el('ul');
      g.items.forEach(function (it) {
        var li = el('li');
        var a = el('a', 'api-link', it[0] + ' ' + it[1]);
        a.href = '/zone/new/docs/api?name=' + it[1] + '&version=1';
        a.setAttribute('data-api', it[1]);
        a.addEventListener('click', function (ev) {
          ev.preventDefault();
          history.pushState({ name: it[1] }, '', a.href);
          load(it[1]);
        });
        li.appendChild(a);
        ul.appendChild(li);
      });
      nav.appendChild(ul);
    });
    layout.appendChild(nav);
    var main = el('main', 'doc-main');
    main.id = 'doc-main';
    layout.appendChild(main);
    root.appendChild(layout);
  }
  function renderDetail(d) {
    var main = document.getElementById('doc-main');
    main.textContent = '';
    var header = el('div', 'api-header');
    header.id = 'api-header';
    header.appendChild(el('h1', 'api-title', d.cnName));
    var meta = el('div', 'api-meta');
    var nm = el('span', 'api-name', d.name);
    nm.id = 'api-name';
    meta.appendChild(nm);
    if (d.needUserAuth) meta.appendChild(el('span', 'ant-tag', '需用户授权'));
    header.appendChild(meta);
    main.appendChild(header);
    var s1 = el('section'); s1.appendChild(el('h3', null, '描述')); s1.appendChild(el('p', null, d.desc)); main.appendChild(s1);
    var s2 = el('section'); s2.appendChild(el('h3', null, '请求参数'));
    var t = el('table', 'ant-table'); var tb = el('tbody');
    d.params.forEach(function (p) { var tr = el('tr'); p.forEach(function (c) { tr.appendChild(el('td', null, c)); }); tb.appendChild(tr); });
    t.appendChild(tb); s2.appendChild(t); main.appendChild(s2);
    var s3 = el('section'); s3.appendChild(el('h3', null, '错误码')); s3.appendChild(el('p', null, '参见公共错误码')); main.appendChild(s3);
    var s4 = el('section', 'permission'); s4.id = 'perm';
    s4.appendChild(el('h3', null, '权限说明'));
    s4.appendChild(el('div', 'perm-row', '所属权限包：' + d.permission));
    main.appendChild(s4);
  }
  var seq = 0;
  function load(name) {
    var my = ++seq;
    var main = document.getElementById('doc-main');
    main.textContent = '';
    main.appendChild(el('div', 'spin', '加载中…'));
    fetch('/rest/open/platform/doc/api/name/detail?name=' + encodeURIComponent(name) + '&version=1')
      .then(function (r) { return r.json(); })
      .then(function (j) {
        setTimeout(function () { if (my === seq) renderDetail(j.data); }, 250);
      });
  }
  window.addEventListener('popstate', function () { load(currentName()); });
  shell();
  load(currentName());
})();
