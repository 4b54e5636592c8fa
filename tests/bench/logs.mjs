// Generated failure logs for the bench: a production-like application log of any size, and a
// log naming 100,000 different APIs.
import { closeSync, openSync, writeSync } from 'node:fs';

const APIS = [
  'open.item.get', 'open.item.list.get', 'open.order.cursor.list', 'open.order.detail', 'open.refund.detail',
  'open.logistics.express.template.list', 'open.user.info.get', 'open.funds.center.account.info', 'open.item.sku.list.get',
  'open.distribution.cps.link.create',
];

/** One call of a production log: the call, then its response (one in 16 fails). */
function call(i) {
  const api = APIS[i % APIS.length];
  const shop = 1000 + (i % 5000);
  const second = String(i % 60).padStart(2, '0');
  const at = `2024-06-20 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${second}.${String(i % 1000).padStart(3, '0')}`;
  const thread = `http-nio-8080-exec-${i % 16}`;
  const head = `${at} INFO  [${thread}] c.k.m.open.ApiClient - calling ${api} shopId=${shop} request_id=${(i * 2654435761) >>> 0}\n`;
  if (i % 16 === 7) {
    return `${head}${at} ERROR [${thread}] c.k.m.open.ApiClient - ${api} shopId=${shop} failed: {"result":28,"code":"803000","msg":"鉴权失败","sub_code":"28","sub_msg":"token中无scope权限"}\n`;
  }
  return `${head}${at} INFO  [${thread}] c.k.m.open.ApiClient - response {"result":1,"data":{"id":${i},"title":"商品标题 ${i % 97}","price":${i % 1000}}}\n`;
}

/** Writes a production-like log of about `bytes` bytes to `file`; returns its size. */
export function writeProductionLog(file, bytes) {
  const fd = openSync(file, 'w');
  let written = 0;
  let i = 0;
  try {
    while (written < bytes) {
      const parts = [];
      for (let k = 0; k < 4096; k += 1) parts.push(call(i++));
      written += writeSync(fd, parts.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Writes a log in which each of `count` different APIs fails once; returns its size. */
export function writeManyApisLog(file, count = 100000) {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (let start = 0; start < count; start += 4096) {
      const parts = [];
      for (let i = start; i < Math.min(count, start + 4096); i += 1) {
        parts.push(`2024-06-20 10:00:00 ERROR method=open.bench.api${i}.get shopId=${1000 + (i % 7)} {"result":28,"code":"803000","msg":"鉴权失败","sub_msg":"token中无scope权限"}\n`);
      }
      written += writeSync(fd, parts.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
