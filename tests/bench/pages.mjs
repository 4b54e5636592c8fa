// Generated pages for the bench: the example app detail page (www/console/app-detail.html)
// with a long 调用日志 (call log) table before its 权限包 section, as a busy app's console shows.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const APP_PAGE = path.join(root, 'www/console/app-detail.html');

const APIS = ['open.item.get', 'open.order.cursor.list', 'open.item.list.get', 'open.refund.detail', 'open.user.info.get'];
const STATUS = ['成功', '成功', '成功', '失败'];

/** One call-log row: time, API, result, duration (≈ 105 bytes, 5 elements). */
function row(i) {
  const s = i % 86400;
  const time = `2024-06-20 ${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return `<tr><td>${time}</td><td>${APIS[i % APIS.length]}</td><td>${STATUS[i % STATUS.length]}</td><td>${(i * 37) % 900 + 12}ms</td></tr>\n`;
}

/** The app detail page with a `rows`-row 调用日志 table before 权限包. */
export function bigAppPage(rows = 20000) {
  const html = readFileSync(APP_PAGE, 'utf8');
  const marker = '<section class="c-card">\n      <h2>权限包</h2>';
  if (!html.includes(marker)) throw new Error('app-detail.html changed: no 权限包 section to put the call log before');
  const parts = [];
  for (let i = 0; i < rows; i += 1) parts.push(row(i));
  const log = `<section class="c-card">
      <h2>调用日志</h2>
      <table class="c-table">
        <thead><tr><th>时间</th><th>API</th><th>结果</th><th>耗时</th></tr></thead>
        <tbody>
${parts.join('')}        </tbody>
      </table>
    </section>

    `;
  return html.replace(marker, log + marker);
}
