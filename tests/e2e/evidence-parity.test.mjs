// One evidence → findings path: the same evidence given to the native CLI (`scope-doctor
// evidence FILE`) and to the optimised wasm the extension ships (`diagnoseEvidence`) must give
// identical findings, for every verdict, merchants, token readings, users and pasted links.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.mjs';

const CLI = path.join(ROOT, 'target', 'release', 'scope-doctor');
const PKG = path.join(ROOT, 'dist', 'chrome', 'pkg');

const merchantApp = {
  app_key: 'ks721596384012',
  app_name: '小店订单助手',
  callback: 'https://shop.example.com/kwai/callback?from=console&v=2',
  app_type: 'merchant',
  packages: [
    { scope: 'user_info', status: 'owned' },
    { scope: 'merchant_item', status: 'owned' },
    { scope: 'merchant_order', status: 'missing' },
    { scope: 'merchant_refund', status: 'pending' },
  ],
};
const marketApp = { ...merchantApp, app_key: 'ks100200300', app_type: 'service-market' };
const goodLink =
  'https://open.kwaixiaodian.com/oauth/authorize?app_id=ks721596384012&redirect_uri=https%3A%2F%2Fshop.example.com%2Fkwai%2Fcallback%3Ffrom%3Dconsole%26v%3D2&scope=user_info,merchant_item&response_type=code';

const CASES = {
  'scope error per merchant': {
    apps: [merchantApp],
    failure_text: 'method=open.item.get shopId=1001 token中无scope权限\nmethod=open.item.get shopId=1002 token中无scope权限\n',
  },
  'apply, pending and unknown scope': { apps: [merchantApp], apis: ['open.order.cursor.list', 'open.refund.reject', 'open.no.such.api'] },
  'bare 鉴权失败 with a token reading': {
    apps: [merchantApp],
    token: { app_key: 'ks721596384012', scopes: ['user_info'] },
    failure_text: '{"result":28,"code":"803000","msg":"鉴权失败"} method=open.item.get',
  },
  'bare 鉴权失败 alone': { apps: [merchantApp], failure_text: 'open.item.get {"code":"803000","msg":"鉴权失败"}' },
  'a token that has the package': {
    apps: [merchantApp],
    failure_text: 'open.item.list.get token中无scope权限',
    token: { app_key: null, scopes: ['merchant_item'] },
  },
  'a token reading of another app is ignored': {
    apps: [merchantApp],
    token: { app_key: 'ks999', scopes: ['merchant_item'] },
    apis: ['open.item.get'],
  },
  'expired and refresh tokens': {
    apps: [merchantApp],
    failure_text: '{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期"}\nPOST /oauth2/refresh_token refreshToken.discarded\n',
    api_pages: ['open.item.get'],
  },
  'authorization page errors with users and a bad link': {
    apps: [merchantApp],
    users: [{ id: '1001', authorized: true }],
    failure_text: `userId=2002 不属于此应用的授权用户或测试用户\nInvalid url ${goodLink.replace('https%3A', 'http%3A')}&x=1\n服务未订购`,
  },
  'service market app': { apps: [merchantApp, marketApp], current_app: 'ks100200300', apis: ['open.item.get', 'open.order.cursor.list'] },
  'unrecognised and business errors': {
    apps: [merchantApp],
    failure_text: 'open.item.get something else went wrong\nopen.distribution.cps.link.create 1800608 暂无站外分销推广权限\n[1017] exceed quota limit method=open.order.cursor.list',
  },
  'marks with no app': { failures: [{ api: 'open.item.get', merchant: null, kind: 'unknown', code: null, message: '', count: 1 }] },
  'many merchants are cut': {
    apps: [merchantApp],
    failure_text: Array.from({ length: 60 }, (_, i) => `method=open.item.get seller_id=${5000 + i} token中无scope权限`).join('\n'),
  },
};

test('native and wasm give identical findings for the same evidence', async () => {
  const glue = await import(path.join(PKG, 'scope_doctor.js'));
  glue.initSync({ module: fs.readFileSync(path.join(PKG, 'scope_doctor_bg.wasm')) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-parity-'));
  const verdicts = new Set();
  try {
    for (const [name, evidence] of Object.entries(CASES)) {
      const file = path.join(dir, 'evidence.json');
      fs.writeFileSync(file, JSON.stringify(evidence));
      const native = JSON.parse(execFileSync(CLI, ['evidence', file], { encoding: 'utf8' }));
      const wasm = glue.diagnoseEvidence(evidence);
      assert.deepEqual(wasm, native, name);
      assert.ok(native.findings.length > 0, `${name}: no findings`);
      for (const f of native.findings) verdicts.add(f.verdict);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The cases cover every verdict of contract.md, so the parity holds for each.
  const all = ['apply', 'pending', 'reauthorize', 'refresh-token', 'check-token', 'add-user', 'fix-link', 'token-has-scope', 'unknown-scope', 'not-scope-error', 'service-market'];
  assert.deepEqual([...verdicts].sort(), all.sort());
});
