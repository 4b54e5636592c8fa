// Vue-like app detail page: content arrives 1 s after load, the package list is re-rendered later.
(function () {
  'use strict';
  var APP = {
    name: '云仓同步',
    appKey: 'ks709876543210987654',
    type: '商家后台应用',
    callback: 'https://api.demo-erp.com/kwai/callback?tenant=42&redirect=https%3A%2F%2Fdemo-erp.com%2F店铺',
    packages: [
      { cn: '用户基本信息', id: 'user_info', desc: '获取用户的昵称、头像', status: '已获取' },
      { cn: '商品信息', id: 'merchant_item', desc: '读取或更新店铺的商品数据', status: '已获取' },
      { cn: '订单API权限', id: 'merchant_order', desc: '读取店铺订单数据', status: '申请中' },
      { cn: '售后', id: 'merchant_refund', desc: '读取或处理售后单', status: '已获取' },
      { cn: '物流', id: 'merchant_logistics', desc: '物流模板与运单', status: '未获取' }
    ]
  };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function pkgList() {
    var list = el('div', 'pkg-list');
    list.id = 'pkg-list';
    APP.packages.forEach(function (p) {
      var card = el('div', 'el-card pkg-card');
      card.id = 'card-' + p.id;
      var body = el('div', 'el-card__body');
      var head = el('div', 'pkg-card__head');
      head.appendChild(el('span', 'pkg-card__title', p.cn));
      head.appendChild(el('span', 'el-tag ' + (p.status === '已获取' ? 'el-tag--success' : 'el-tag--info'), p.status));
      body.appendChild(head);
      body.appendChild(el('div', 'pkg-card__id', p.id));
      body.appendChild(el('div', 'pkg-card__desc', p.desc));
      if (p.status === '未获取') {
        const b = el('button', 'el-button el-button--primary el-button--small', '申请');
        b.type = 'button';
        body.appendChild(b);
      }
      card.appendChild(body);
      list.appendChild(card);
    });
    return list;
  }
  function render() {
    var root = document.getElementById('app');
    root.textContent = '';
    var layout = el('div', 'console-layout');
    var side = el('nav', 'side-nav');
    ['应用管理', '授权管理', '授权查询工具'].forEach(function (t) { side.appendChild(el('a', 'side-nav__item', t)); });
    layout.appendChild(side);
    var main = el('div', 'console-main');
    main.appendChild(el('h2', 'app-title', APP.name));
    var info = el('div', 'el-card');
    info.appendChild(el('div', 'el-card__header', '基本信息'));
    var dl = el('dl', 'info-list');
    [['应用名称', APP.name], ['appKey', APP.appKey], ['应用类型', APP.type], ['回调地址', APP.callback]].forEach(function (kv) {
      dl.appendChild(el('dt', null, kv[0]));
      dl.appendChild(el('dd', null, kv[1]));
    });
    info.appendChild(dl);
    main.appendChild(info);
    var pk = el('div', 'el-card');
    pk.id = 'pkg-section';
    pk.appendChild(el('div', 'el-card__header', '权限包'));
    pk.appendChild(pkgList());
    main.appendChild(pk);
    layout.appendChild(main);
    root.appendChild(layout);
  }
  setTimeout(render, 1000);
  // a second fetch re-renders the package list with the same data (new nodes)
  setTimeout(function () {
    var old = document.getElementById('pkg-list');
    if (old) old.replaceWith(pkgList());
  }, 1800);
})();
