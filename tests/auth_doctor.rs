//! Blind contract tests for `scope-doctor diagnose` (v2) and `read`, written from
//! platform.md §2–§3 and contract.md only (no look at src/).
//!
//! Each case is one line: pages (fixtures in tests/fixtures/doctor/), the failure text ("" = no
//! `--failure`), the `--api` names, and the expected findings as compact strings:
//!
//! ```text
//! "API SCOPE VERDICT[/CAUSE] [@MERCHANT|@?] [link|link?]"
//! ```
//! `-` is null. Without `@…` the finding's merchant must be null/absent; `@?` = not checked.
//! Without `link` the `auth_link` must be null; `link` = a string; `link?` = not checked.
//! Without a cause the finding's `cause` must be null/absent. Findings are matched in any order,
//! and their number must be exactly the number of expected strings.
//!
//! Every case also checks the invariants: verdict and cause are from the contract's lists, and
//! `auth_link` is non-null only for `reauthorize`, `add-user` and `fix-link`.

use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Command, Stdio};

// ---------------------------------------------------------------------------------------------
// Pages (tests/fixtures/doctor/*.html)
// ---------------------------------------------------------------------------------------------

/// 商家后台应用 ks739201846512, 回调地址 https://shop.example.com/cb?from=ks&x=1;
/// user_info, merchant_item, merchant_order 已获取; merchant_refund 未获取; merchant_logistics 申请中.
const M: &str = "app-merchant";
/// 第三方应用（服务市场） ks558310294476: user_info, merchant_item 已获取; merchant_order 未获取;
/// merchant_logistics 申请中.
const S: &str = "app-service-market";
/// 商家后台应用 ks610029384751 whose 回调地址 is shown cut short ("…", no href): the app is not
/// known whole, so no link may be built. user_info, merchant_item, merchant_order 已获取.
const C: &str = "app-merchant-cut-callback";
/// API detail open.item.get, 所属权限包 商品信息 (merchant_item).
const A: &str = "api-item-get";
/// API detail for open.refund.negotiate.record.list (not in the catalog), 权限包 merchant_refund.
const U: &str = "api-unlisted-refund";
/// API detail for open.supply.stock.snapshot.query (not in the catalog), no permission section.
const N: &str = "api-unlisted-no-permission-section";
/// 授权查询工具 with a result: the token's scopes are user_info, merchant_order.
const T: &str = "token-user-info-order";
/// 授权查询工具 before any query (暂无数据): no evidence.
const E: &str = "token-no-result";
/// 授权管理 → 测试用户: 2218830451 已建立授权, 2218830452 未授权; no dialog.
const W: &str = "users-test";

// APIs used (catalog, data/api_scopes.json):
//   open.item.get → merchant_item (M: 已获取)      open.order.cursor.list → merchant_order (M: 已获取, S: 未获取)
//   open.refund.reject → merchant_refund (M: 未获取) open.address.seller.list → merchant_logistics (申请中)
//   open.dropshipping.order.list → unknown          open.distribution.cps.link.create → merchant_distribution

const APP_KEY: &str = "ks739201846512";
const CALLBACK: &str = "https://shop.example.com/cb?from=ks&x=1";

// ---------------------------------------------------------------------------------------------
// Error texts
// ---------------------------------------------------------------------------------------------

const GW_EXPIRED: &str = r#"{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期","sub_code":"28","sub_msg":"TOKEN过期"}"#;
const GW_BARE: &str = r#"{"result":28,"code":"803000","msg":"鉴权失败"}"#;
const GW_BARE_FULL: &str = r#"{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"鉴权失败","sub_code":"28","sub_msg":"鉴权失败","request_id":"704352221454586928"}"#;
const LEGACY_REVOKED: &str = r#"{"result":24,"error_msg":"AUTHORIZATION_REVOKED"}"#;
const SDK: &str = "com.kuaishou.merchant.open.api.KsMerchantApiException: ";
const ADD_USER: &str = "不属于此应用的授权用户或测试用户";

const PRETTY_SCOPE_REFUND: &str = r#"2024-06-20 10:00:01.123 ERROR [http-nio-8080-exec-3] c.e.KwaiClient - call failed:
{
  "method" : "open.refund.reject",
  "response" : {
    "result" : 22,
    "error_msg" : "token中无scope权限"
  }
}"#;

const PRETTY_GW_EXPIRED_ITEM: &str = r#"{
  "method": "open.item.get",
  "result": 28,
  "code": "803000",
  "msg": "鉴权失败",
  "error_msg": "TOKEN过期",
  "sub_code": "28",
  "sub_msg": "TOKEN过期",
  "request_id": "704352221454586928"
}"#;

const PRETTY_GW_BARE_ORDER: &str = r#"{
    "method": "open.order.cursor.list",
    "result": 28,
    "code": "803000",
    "msg": "鉴权失败"
}"#;

const PRETTY_REFRESH_DISCARDED: &str = r#"POST https://openapi.kwaixiaodian.com/oauth2/refresh_token
{
  "result": 100200102,
  "error": "access_denied",
  "error_msg": "refreshToken.discarded"
}"#;

/// Node's util.inspect of an SDK error: the message, the stack, then the error's fields naming
/// the API and the merchant.
const NODE_INSPECT: &str = "KwaiApiError: token中无scope权限
    at KwaiClient.request (/srv/app/node_modules/@acme/kwai/dist/client.js:91:15)
    at processTicksAndRejections (node:internal/process/task_queues:95:5) {
  method: 'open.order.cursor.list',
  sellerId: '20240601',
  response: { result: 28, error_msg: 'token中无scope权限' }
}
";
const TWO_SHOPS: &str = "2024-06-20 10:00:01 ERROR method=open.item.get shopId=1001 token中无scope权限\n\
                         2024-06-20 10:00:02 ERROR method=open.item.get shopId=1002 token中无scope权限";
const SAME_SHOP_TWICE: &str = "10:00:01 method=open.item.get shopId=1001 token中无scope权限\n\
                               10:00:05 method=open.item.get shopId=1001 token中无scope权限";
const SHOP_AND_NO_SHOP: &str = "10:00:01 method=open.item.get shopId=1001 token中无scope权限\n\
                                10:00:02 method=open.refund.reject token中无scope权限";
const ONE_SHOP_TWO_APIS: &str = "10:00:01 method=open.item.get seller_id=5 token中无scope权限\n\
                                 10:00:02 /open/refund/reject seller_id=5 token中无scope权限";
const MIXED_LOG: &str = "10:00:01 ERROR method=open.item.get {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\",\"error_msg\":\"token中无scope权限\"}\n\
                         10:00:02 ERROR method=open.refund.reject token中无scope的权限\n\
                         10:00:03 ERROR POST /open/order/cursor/list {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\",\"error_msg\":\"TOKEN过期\"}\n\
                         10:00:04 ERROR method=open.distribution.cps.link.create result=1800608 暂无站外分销推广权限";

/// A hand-made link with the 回调地址's own query pasted unencoded (its `x=1` leaks out,
/// redirect_uri decodes to …?from=ks) and merchant_order (held) left out.
const BAD_LINK_LEAK: &str = "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks739201846512&redirect_uri=https://shop.example.com/cb?from=ks&x=1&scope=user_info,merchant_item&response_type=code";
/// Old parameter names, everything else right.
const BAD_LINK_OLD_FORM: &str = "https://open.kwaixiaodian.com/oauth/authorize?appId=ks739201846512&redirectUri=https%3A%2F%2Fshop.example.com%2Fcb%3Ffrom%3Dks%26x%3D1&scope=user_info,merchant_item,merchant_order&response_type=code";
/// http:// instead of https://, otherwise right.
const BAD_LINK_HTTP: &str = "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks739201846512&redirect_uri=http%3A%2F%2Fshop.example.com%2Fcb%3Ffrom%3Dks%26x%3D1&scope=user_info,merchant_item,merchant_order&response_type=code";
/// An app_id no page has.
const BAD_LINK_UNKNOWN_APP: &str = "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks100000000001&redirect_uri=https%3A%2F%2Fshop.example.com%2Fcb%3Ffrom%3Dks%26x%3D1&scope=user_info,merchant_item,merchant_order&response_type=code";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const VERDICTS: &[&str] = &[
    "apply",
    "pending",
    "reauthorize",
    "refresh-token",
    "check-token",
    "add-user",
    "fix-link",
    "token-has-scope",
    "unknown-scope",
    "not-scope-error",
    "service-market",
];
const LINK_VERDICTS: &[&str] = &["reauthorize", "add-user", "fix-link"];

fn page(name: &str) -> String {
    format!("{}/tests/fixtures/doctor/{name}.html", env!("CARGO_MANIFEST_DIR"))
}

fn args_for(pages: &[&str], failure: &str, apis: &[&str]) -> Vec<String> {
    let mut args = vec!["diagnose".to_string()];
    args.extend(pages.iter().map(|p| page(p)));
    for api in apis {
        args.push("--api".into());
        args.push(api.to_string());
    }
    if !failure.is_empty() {
        args.push("--failure".into());
        args.push(failure.to_string());
    }
    args.push("--json".into());
    args
}

/// Runs `diagnose` and returns the findings, or a description of what went wrong.
fn diagnose(pages: &[&str], failure: &str, apis: &[&str]) -> Result<Vec<Value>, String> {
    let args = args_for(pages, failure, apis);
    let out = Command::new(env!("CARGO_BIN_EXE_scope-doctor"))
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run the binary: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("exit {:?}\nstdout: {stdout}\nstderr: {stderr}", out.status.code()));
    }
    let v: Value = serde_json::from_str(&stdout).map_err(|e| format!("stdout is not one JSON object ({e}): {stdout}"))?;
    v["findings"].as_array().cloned().ok_or_else(|| format!("no `findings` array: {stdout}"))
}

fn opt_str(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()), // a merchant id given as a JSON number
    }
}

/// One expected finding, parsed from "API SCOPE VERDICT[/CAUSE] [@MERCHANT|@?] [link|link?]".
#[derive(Debug)]
struct Want {
    api: Option<String>,
    scope: Option<String>,
    verdict: String,
    cause: Option<String>,
    merchant: Option<Option<String>>, // None = not checked
    link: Option<bool>,               // None = not checked
}

fn want(spec: &str) -> Want {
    let words: Vec<&str> = spec.split_whitespace().collect();
    assert!(words.len() >= 3, "bad spec {spec:?}");
    let null = |w: &str| if w == "-" { None } else { Some(w.to_string()) };
    let (verdict, cause) = match words[2].split_once('/') {
        Some((v, c)) => (v.to_string(), Some(c.to_string())),
        None => (words[2].to_string(), None),
    };
    let mut w = Want { api: null(words[0]), scope: null(words[1]), verdict, cause, merchant: Some(None), link: Some(false) };
    for extra in &words[3..] {
        match *extra {
            "link" => w.link = Some(true),
            "link?" => w.link = None,
            "@?" => w.merchant = None,
            m if m.starts_with('@') => w.merchant = Some(Some(m[1..].to_string())),
            other => panic!("bad spec word {other:?} in {spec:?}"),
        }
    }
    w
}

fn matches(w: &Want, f: &Value) -> bool {
    opt_str(&f["api"]) == w.api
        && opt_str(&f["scope"]) == w.scope
        && f["verdict"].as_str() == Some(w.verdict.as_str())
        && opt_str(&f["cause"]) == w.cause
        && w.merchant.as_ref().is_none_or(|m| opt_str(&f["merchant"]) == *m)
        && w.link.is_none_or(|l| f["auth_link"].is_string() == l)
}

fn compact(f: &Value) -> String {
    let s = |k: &str| opt_str(&f[k]).unwrap_or_else(|| "-".into());
    let mut out = format!("{} {} {}", s("api"), s("scope"), s("verdict"));
    if let Some(c) = opt_str(&f["cause"]) {
        out += &format!("/{c}");
    }
    if let Some(m) = opt_str(&f["merchant"]) {
        out += &format!(" @{m}");
    }
    if f["auth_link"].is_string() {
        out += " link";
    }
    out
}

/// The contract's invariants, for any finding of any run.
fn invariant_errors(findings: &[Value]) -> Vec<String> {
    let mut errors = vec![];
    for f in findings {
        let verdict = f["verdict"].as_str().unwrap_or("");
        if !VERDICTS.contains(&verdict) {
            errors.push(format!("unknown verdict in {f}"));
        }
        if f["auth_link"].is_string() && !LINK_VERDICTS.contains(&verdict) {
            errors.push(format!("auth_link on a `{verdict}` finding: {f}"));
        }
        let cause = opt_str(&f["cause"]);
        let allowed: &[&str] = match verdict {
            "reauthorize" => &["scope-not-granted", "refresh-token-expired", "revoked"],
            "not-scope-error" => &["business", "quota", "unrecognized"],
            _ => &[],
        };
        match &cause {
            Some(c) if !allowed.contains(&c.as_str()) => errors.push(format!("cause {c:?} on `{verdict}`: {f}")),
            None if !allowed.is_empty() => errors.push(format!("`{verdict}` without a cause: {f}")),
            _ => {}
        }
        if f["api"].is_null() && !f["scope"].is_null() {
            errors.push(format!("a finding with no API has a scope: {f}"));
        }
        if verdict == "unknown-scope" && !f["scope"].is_null() {
            errors.push(format!("an unknown-scope finding has a scope: {f}"));
        }
    }
    errors
}

fn check(name: &str, pages: &[&str], failure: impl AsRef<str>, apis: &[&str], wants: &[&str]) {
    let failure = failure.as_ref();
    let shown = format!("case {name}: pages {pages:?}, --api {apis:?}, --failure {failure:?}\n  want: {wants:?}");
    let findings = match diagnose(pages, failure, apis) {
        Ok(f) => f,
        Err(e) => panic!("{shown}\n  binary failed: {e}"),
    };
    let got: Vec<String> = findings.iter().map(compact).collect();
    let mut problems = invariant_errors(&findings);
    if findings.len() != wants.len() {
        problems.push(format!("{} findings, want {}", findings.len(), wants.len()));
    }
    let mut used = vec![false; findings.len()];
    for spec in wants {
        let w = want(spec);
        match (0..findings.len()).find(|&i| !used[i] && matches(&w, &findings[i])) {
            Some(i) => used[i] = true,
            None => problems.push(format!("no finding matches {spec:?}")),
        }
    }
    assert!(problems.is_empty(), "{shown}\n  got:  {got:?}\n  {}\n  raw: {}", problems.join("\n  "), Value::Array(findings));
}

macro_rules! cases {
    ($($name:ident : [$($page:ident),*] $failure:expr, [$($api:expr),*] => [$($want:expr),* $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name), &[$($page),*], $failure, &[$($api),*], &[$($want),*]);
            }
        )*
    };
}

// ---------------------------------------------------------------------------------------------
// §2 row: scope error; package 未获取 → apply
// ---------------------------------------------------------------------------------------------
cases! {
    scope_missing_plain_api_flag:        [M] "token中无scope权限", ["open.refund.reject"] => ["open.refund.reject merchant_refund apply"];
    scope_missing_de_variant_method_kv:  [M] "2024-06-20 10:00:01 ERROR method=open.refund.reject token中无scope的权限", [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_json_method_key:       [M] r#"{"method":"open.refund.reject","result":22,"error_msg":"token中无scope权限"}"#, [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_url_path:              [M] r#"POST https://openapi.kwaixiaodian.com/open/refund/reject?appkey=ks739201846512 -> {"result":22,"error_msg":"token中无scope的权限"}"#, [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_gateway_sub_msg:       [M] r#"method=open.refund.reject {"result":28,"code":"803000","msg":"鉴权失败","error_msg":"token中无scope权限","sub_code":"28","sub_msg":"token中无scope权限"}"#, [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_sdk_exception:         [M] format!("{SDK}token中无scope权限"), ["open.refund.reject"] => ["open.refund.reject merchant_refund apply"];
    scope_missing_sdk_bare_method_name:  [M] format!("{SDK}open.refund.reject 调用失败: token中无scope权限"), [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_upper_case:            [M] "METHOD=open.refund.reject TOKEN中无SCOPE权限", [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_meiyou:                [M] "token中没有scope权限", ["open.refund.reject"] => ["open.refund.reject merchant_refund apply"];
    scope_missing_queshao:               [M] "token缺少scope: merchant_refund", ["open.refund.reject"] => ["open.refund.reject merchant_refund apply"];
    scope_missing_english_missing:       [M] "method=open.refund.reject error: Missing Scope", [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_english_not_granted:   [M] "ERROR open api call failed: scope not granted method=open.refund.reject", [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_english_does_not_have: [M] "method=open.refund.reject: the access token does not have the required scope", [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_in_msg_field:          [M] r#"{"method":"open.refund.reject","result":28,"msg":"token中无scope权限"}"#, [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_pretty_json:           [M] PRETTY_SCOPE_REFUND, [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_request_id_has_1016:   [M] "request_id=7043522214545861016 method=open.refund.reject token中无scope权限", [] => ["open.refund.reject merchant_refund apply"];
    scope_missing_page_extends_catalog:  [M, U] "token中无scope权限", [] => ["open.refund.negotiate.record.list merchant_refund apply"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: scope error; package 申请中 → pending
// ---------------------------------------------------------------------------------------------
cases! {
    scope_pending_api_flag:              [M] "token中无scope权限", ["open.address.seller.list"] => ["open.address.seller.list merchant_logistics pending"];
    scope_pending_json_fragment:         [M] r#""method":"open.address.seller.list","error_msg":"token中无scope权限""#, [] => ["open.address.seller.list merchant_logistics pending"];
    scope_pending_url_path:              [M] "GET /open/address/seller/list 403 token中无scope的权限", [] => ["open.address.seller.list merchant_logistics pending"];
    scope_pending_sdk_exception:         [M] format!("{SDK}Token中无Scope权限"), ["open.address.seller.list"] => ["open.address.seller.list merchant_logistics pending"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: scope error; package 已获取 → reauthorize / scope-not-granted (link when app known)
// ---------------------------------------------------------------------------------------------
cases! {
    scope_owned_api_flag:                [M] "token中无scope权限", ["open.item.get"] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_api_from_page:           [M, A] "token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_api_page_first:          [A, M] "token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_method_kv:               [M] "method=open.item.get token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_legacy_json_and_path:    [M] r#"/open/item/get => {"result":28,"error_msg":"token中无scope权限"}"#, [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_sdk_exception:           [M] format!("{SDK}token中无scope的权限"), ["open.item.get"] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_token_page_empty:        [M, E] "method=open.item.get token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_token_page_lacks_it:     [M, T] "method=open.item.get token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_users_page_changes_nothing: [M, W] "method=open.item.get token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    scope_owned_cut_callback_no_link:    [C] "method=open.item.get token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: scope error; 授权查询工具 shows the token has the package → token-has-scope
// ---------------------------------------------------------------------------------------------
cases! {
    token_has_scope_method_kv:           [M, T] "method=open.order.cursor.list token中无scope权限", [] => ["open.order.cursor.list merchant_order token-has-scope"];
    token_has_scope_token_page_first:    [T, M] "token中无scope权限", ["open.order.cursor.list"] => ["open.order.cursor.list merchant_order token-has-scope"];
    token_has_scope_path:                [M, T] r#"POST /open/order/cursor/list {"result":22,"error_msg":"token中无scope的权限"}"#, [] => ["open.order.cursor.list merchant_order token-has-scope"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: scope error; the API's package unknown → unknown-scope (scope null)
// ---------------------------------------------------------------------------------------------
cases! {
    unknown_scope_catalog_unknown:       [M] "token中无scope权限", ["open.dropshipping.order.list"] => ["open.dropshipping.order.list - unknown-scope"];
    unknown_scope_page_without_section:  [M, N] "token中无scope权限", [] => ["open.supply.stock.snapshot.query - unknown-scope"];
    unknown_scope_not_in_catalog_no_page: [M] "method=open.supply.stock.snapshot.query token中无scope权限", [] => ["open.supply.stock.snapshot.query - unknown-scope"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: third-party (服务市场) app → service-market when 已获取; apply / pending first otherwise
// ---------------------------------------------------------------------------------------------
cases! {
    isv_owned_scope_error:               [S] "token中无scope权限", ["open.item.get"] => ["open.item.get merchant_item service-market"];
    isv_owned_method_kv:                 [S] "method=open.item.get token中无scope权限", [] => ["open.item.get merchant_item service-market"];
    isv_owned_api_page:                  [S, A] "token中无scope权限", [] => ["open.item.get merchant_item service-market"];
    isv_missing_is_apply:                [S] "method=open.order.cursor.list token中无scope权限", [] => ["open.order.cursor.list merchant_order apply"];
    isv_pending_is_pending:              [S] "token中无scope权限", ["open.address.seller.list"] => ["open.address.seller.list merchant_logistics pending"];
    isv_marked_only_owned:               [S] "", ["open.item.get"] => ["open.item.get merchant_item service-market"];
    isv_marked_only_missing:             [S] "", ["open.order.cursor.list"] => ["open.order.cursor.list merchant_order apply"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: access token expired → refresh-token (an API call's error; no link)
// ---------------------------------------------------------------------------------------------
cases! {
    expired_gateway_method_kv:           [M] format!("method=open.item.get {GW_EXPIRED}"), [] => ["open.item.get merchant_item refresh-token"];
    expired_gateway_api_flag:            [M] GW_EXPIRED, ["open.item.get"] => ["open.item.get merchant_item refresh-token"];
    expired_gateway_api_page:            [M, A] GW_EXPIRED, [] => ["open.item.get merchant_item refresh-token"];
    expired_gateway_no_api_no_page:      [] GW_EXPIRED, [] => ["- - refresh-token"];
    expired_gateway_app_page_only:       [M] GW_EXPIRED, [] => ["- - refresh-token"];
    expired_gateway_pretty:              [M] PRETTY_GW_EXPIRED_ITEM, [] => ["open.item.get merchant_item refresh-token"];
    expired_access_token_yiguoqi:        [M] "access_token已过期", ["open.item.get"] => ["open.item.get merchant_item refresh-token"];
    expired_english_token_expired:       [M] r#"{"method":"open.item.get","error":"Token Expired"}"#, [] => ["open.item.get merchant_item refresh-token"];
    expired_english_access_token_sdk:    [M] format!("{SDK}access token expired"), ["open.order.cursor.list"] => ["open.order.cursor.list merchant_order refresh-token"];
    expired_in_sub_msg_only:             [M] r#"method=open.item.get {"result":28,"code":"803000","msg":"鉴权失败","sub_code":"28","sub_msg":"TOKEN过期"}"#, [] => ["open.item.get merchant_item refresh-token"];
    expired_unknown_scope_api:           [M] format!("method=open.dropshipping.order.list {GW_EXPIRED}"), [] => ["open.dropshipping.order.list - refresh-token"];
    expired_lower_case_token_guoqi:      [M] "method=open.item.get token过期", [] => ["open.item.get merchant_item refresh-token"];
    expired_beats_token_page_evidence:   [M, T] format!("method=open.item.get {GW_EXPIRED}"), [] => ["open.item.get merchant_item refresh-token"];
    expired_beats_missing_package:       [M] format!("method=open.refund.reject {GW_EXPIRED}"), [] => ["open.refund.reject merchant_refund refresh-token"];
    expired_on_isv_app:                  [S] format!("method=open.item.get {GW_EXPIRED}"), [] => ["open.item.get merchant_item refresh-token"];
    expired_cut_callback:                [C] format!("method=open.item.get {GW_EXPIRED}"), [] => ["open.item.get merchant_item refresh-token"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: refresh token dead → reauthorize / refresh-token-expired, api null
// ---------------------------------------------------------------------------------------------
cases! {
    refresh_chinese:                     [M] "refresh_token过期", [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_discarded_oauth_json:        [M] r#"{"result":100200102,"error":"access_denied","error_msg":"refreshToken.discarded"}"#, [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_discarded_pretty:            [M] PRETTY_REFRESH_DISCARDED, [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_expired_dotted:              [M] "refreshToken.expired", [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_expired_other_casing:        [M] "ERROR RefreshToken.Expired while refreshing", [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_invalid_english:             [M] "invalid refresh_token", [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_invalid_upper:               [M] "OAuthException: INVALID REFRESH_TOKEN", [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_access_denied_about_refresh: [M] r#"{"result":100200102,"error":"access_denied","error_msg":"refresh_token无效"}"#, [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_sdk_exception:               [M] format!("{SDK}refreshToken.discarded"), [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_english_words:               [M] "Refresh token expired, please authorize again", [] => ["- - reauthorize/refresh-token-expired link"];
    refresh_no_app_no_link:              [] "refreshToken.discarded", [] => ["- - reauthorize/refresh-token-expired"];
    refresh_cut_callback_no_link:        [C] "refresh_token过期", [] => ["- - reauthorize/refresh-token-expired"];
    // Ambiguity (see the report): `--api` names count as failing on their own, so they add their own finding.
    refresh_api_flag_is_separate:        [M] "refreshToken.expired", ["open.item.get"] => ["- - reauthorize/refresh-token-expired link", "open.item.get merchant_item reauthorize/scope-not-granted link"];
    refresh_ignores_api_page:            [M, A] "refresh_token过期", [] => ["- - reauthorize/refresh-token-expired link"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: grant revoked → reauthorize / revoked
// ---------------------------------------------------------------------------------------------
cases! {
    revoked_legacy_api_flag:             [M] LEGACY_REVOKED, ["open.item.get"] => ["open.item.get merchant_item reauthorize/revoked link"];
    revoked_legacy_method_kv:            [M] format!("method=open.item.get {LEGACY_REVOKED}"), [] => ["open.item.get merchant_item reauthorize/revoked link"];
    revoked_lower_case:                  [M] "method=open.order.cursor.list authorization_revoked", [] => ["open.order.cursor.list merchant_order reauthorize/revoked link"];
    revoked_chinese:                     [M] "用户取消了授权", ["open.item.get"] => ["open.item.get merchant_item reauthorize/revoked link"];
    revoked_refresh_form_no_api:         [M] "refreshToken.revokedAuthorization", [] => ["- - reauthorize/revoked link"];
    revoked_no_app_no_link:              [] LEGACY_REVOKED, [] => ["- - reauthorize/revoked"];
    revoked_beats_bare_gateway:          [M] r#"method=open.item.get {"result":28,"code":"803000","msg":"鉴权失败","error_msg":"AUTHORIZATION_REVOKED"}"#, [] => ["open.item.get merchant_item reauthorize/revoked link"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: bare 鉴权失败 → by evidence
// ---------------------------------------------------------------------------------------------
cases! {
    bare_missing_is_apply:               [M] format!("method=open.refund.reject {GW_BARE}"), [] => ["open.refund.reject merchant_refund apply"];
    bare_pending_is_pending:             [M] "鉴权失败", ["open.address.seller.list"] => ["open.address.seller.list merchant_logistics pending"];
    bare_token_lacks_is_reauthorize:     [M, T] format!(r#"{{"method":"open.item.get","msg":"鉴权失败"}}"#), [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    bare_token_has_is_token_has_scope:   [M, T] PRETTY_GW_BARE_ORDER, [] => ["open.order.cursor.list merchant_order token-has-scope"];
    bare_owned_no_evidence_check_token:  [M] format!("method=open.item.get {GW_BARE}"), [] => ["open.item.get merchant_item check-token"];
    bare_full_gateway_check_token:       [M] GW_BARE_FULL, ["open.item.get"] => ["open.item.get merchant_item check-token"];
    bare_empty_token_page_check_token:   [M, E] format!("method=open.item.get {GW_BARE}"), [] => ["open.item.get merchant_item check-token"];
    bare_no_pages_check_token:           [] "鉴权失败", ["open.item.get"] => ["open.item.get merchant_item check-token"];
    bare_sdk_path_check_token:           [M] format!("{SDK}鉴权失败 uri=/open/item/get"), [] => ["open.item.get merchant_item check-token"];
    bare_api_page_check_token:           [M, A] "鉴权失败", [] => ["open.item.get merchant_item check-token"];
    bare_codes_only_check_token:         [M] "method=open.item.get result=28 code=803000", [] => ["open.item.get merchant_item check-token"];
    bare_users_page_no_evidence:         [M, W] format!("method=open.item.get {GW_BARE}"), [] => ["open.item.get merchant_item check-token"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: 不属于此应用的授权用户或测试用户 → add-user, api null
// ---------------------------------------------------------------------------------------------
cases! {
    add_user_plain:                      [M] ADD_USER, [] => ["- - add-user link"];
    add_user_with_users_page:            [M, W] ADD_USER, [] => ["- - add-user link"];
    add_user_json:                       [M] format!(r#"{{"result":100200100,"error":"invalid_request","error_msg":"{ADD_USER}"}}"#), [] => ["- - add-user link"];
    add_user_sentence:                   [M] format!("授权页提示：{ADD_USER}，请联系应用开发者"), [] => ["- - add-user link"];
    add_user_api_flag_is_separate:       [M] ADD_USER, ["open.refund.reject"] => ["- - add-user link", "open.refund.reject merchant_refund apply"];
    add_user_ignores_method_in_text:     [M] format!("method=open.item.get {ADD_USER}"), [] => ["- - add-user link"];
    add_user_no_app_no_link:             [] ADD_USER, [] => ["- - add-user"];
    add_user_users_page_alone_no_link:   [W] ADD_USER, [] => ["- - add-user"];
    add_user_cut_callback_no_link:       [C] ADD_USER, [] => ["- - add-user"];
    add_user_isv_app:                    [S] ADD_USER, [] => ["- - add-user link"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: Invalid url → fix-link, api null
// ---------------------------------------------------------------------------------------------
cases! {
    fix_link_plain:                      [M] "Invalid url", [] => ["- - fix-link link"];
    fix_link_upper:                      [M] "INVALID URL", [] => ["- - fix-link link"];
    fix_link_with_method:                [M] "method=open.item.get Invalid url", [] => ["- - fix-link link"];
    fix_link_api_flag_is_separate:       [M] "invalid URL", ["open.address.seller.list"] => ["- - fix-link link", "open.address.seller.list merchant_logistics pending"];
    fix_link_no_app_no_link:             [] "Invalid url", [] => ["- - fix-link"];
    fix_link_cut_callback_no_link:       [C] "Invalid url", [] => ["- - fix-link"];
    fix_link_with_failing_link:          [M] format!("Invalid url {BAD_LINK_LEAK}"), [] => ["- - fix-link link"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: 服务未订购 / 当前应用不允许此用户授权 / unauthorized_client → service-market
// ---------------------------------------------------------------------------------------------
cases! {
    market_not_ordered:                  [M] "服务未订购", [] => ["- - service-market"];
    market_not_ordered_isv:              [S] "授权失败：服务未订购", [] => ["- - service-market"];
    market_not_ordered_api_flag_separate: [M] "服务未订购", ["open.dropshipping.order.list"] => ["- - service-market", "open.dropshipping.order.list - unknown-scope"];
    market_user_not_allowed:             [M] "当前应用不允许此用户授权", [] => ["- - service-market"];
    market_unauthorized_client_json:     [M] r#"{"result":100200101,"error":"unauthorized_client","error_msg":"unauthorized_client"}"#, [] => ["- - service-market"];
    market_unauthorized_client_upper:    [M] "OAuth error: UNAUTHORIZED_CLIENT", [] => ["- - service-market"];
}

// ---------------------------------------------------------------------------------------------
// §2 rows: quota, business, unrecognised → not-scope-error (never a link)
// ---------------------------------------------------------------------------------------------
cases! {
    quota_exceed_quota_json:             [M] r#"method=open.item.get {"result":1016,"error_msg":"Exceed quota limit"}"#, [] => ["open.item.get merchant_item not-scope-error/quota"];
    quota_exceed_qps:                    [M] "method=open.order.cursor.list Exceed qps limit", [] => ["open.order.cursor.list merchant_order not-scope-error/quota"];
    quota_upper_case:                    [M] "EXCEED QPS LIMIT", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/quota"];
    quota_code_1017:                     [M] r#"{"result":1017,"error_msg":"请求过于频繁"}"#, ["open.item.get"] => ["open.item.get merchant_item not-scope-error/quota"];
    quota_xianliu:                       [M] "触发限流，请稍后重试", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/quota"];
    quota_no_api:                        [M] "Exceed quota limit", [] => ["- - not-scope-error/quota"];
    quota_token_page_irrelevant:         [M, T] "method=open.item.get Exceed qps limit", [] => ["open.item.get merchant_item not-scope-error/quota"];
    business_1800608:                    [M] "1800608 暂无站外分销推广权限", ["open.distribution.cps.link.create"] => ["open.distribution.cps.link.create merchant_distribution not-scope-error/business"];
    business_legacy_json:                [M] r#"method=open.distribution.cps.link.create {"data":null,"result":1800608,"error_msg":"暂无站外分销推广权限"}"#, [] => ["open.distribution.cps.link.create merchant_distribution not-scope-error/business"];
    business_text_only_no_api:           [M] "暂无站外分销推广权限", [] => ["- - not-scope-error/business"];
    unrecognized_api_flag:               [M] "something else went wrong", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/unrecognized"];
    unrecognized_casing_no_api:          [M] "Something Else Went WRONG", [] => ["- - not-scope-error/unrecognized"];
    unrecognized_api_page:               [M, A] "服务器内部错误，请稍后重试", [] => ["open.item.get merchant_item not-scope-error/unrecognized"];
    unrecognized_token_page:             [M, T] "something else went wrong", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/unrecognized"];
    unrecognized_scope_word_no_negation: [M] "granted scope: user_info,merchant_item", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/unrecognized"];
    unrecognized_missing_package_app:    [M] "something else went wrong", ["open.refund.reject"] => ["open.refund.reject merchant_refund not-scope-error/unrecognized"];
    unrecognized_short_chinese:          [M] "调用失败", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/unrecognized"];
    unrecognized_one_word:               [M] "error", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/unrecognized"];
    unrecognized_short_two_apis:         [M] "request ERROR", ["open.item.get", "open.order.cursor.list"] => ["open.item.get merchant_item not-scope-error/unrecognized", "open.order.cursor.list merchant_order not-scope-error/unrecognized"];
    unrecognized_isv_app:                [S] "something else went wrong", ["open.item.get"] => ["open.item.get merchant_item not-scope-error/unrecognized"];
}

// ---------------------------------------------------------------------------------------------
// §2 row: no error text, only marked (--api) → as the scope error
// ---------------------------------------------------------------------------------------------
cases! {
    marked_owned_reauthorize:            [M] "", ["open.item.get"] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    marked_missing_apply:                [M] "", ["open.refund.reject"] => ["open.refund.reject merchant_refund apply"];
    marked_pending:                      [M] "", ["open.address.seller.list"] => ["open.address.seller.list merchant_logistics pending"];
    marked_unknown_scope:                [M] "", ["open.dropshipping.order.list"] => ["open.dropshipping.order.list - unknown-scope"];
    marked_token_has_scope:              [M, T] "", ["open.order.cursor.list"] => ["open.order.cursor.list merchant_order token-has-scope"];
    marked_token_lacks:                  [M, T] "", ["open.item.get"] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    marked_two_apis:                     [M] "", ["open.item.get", "open.refund.reject"] => ["open.item.get merchant_item reauthorize/scope-not-granted link", "open.refund.reject merchant_refund apply"];
    marked_page_overrides_nothing_here:  [M, A] "", ["open.item.get"] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    marked_cut_callback_no_link:         [C] "", ["open.item.get"] => ["open.item.get merchant_item reauthorize/scope-not-granted"];
}

// ---------------------------------------------------------------------------------------------
// Merchants named in failing lines: one finding per API and merchant
// ---------------------------------------------------------------------------------------------
cases! {
    merchant_two_shops:                  [M] TWO_SHOPS, [] => ["open.item.get merchant_item reauthorize/scope-not-granted @1001 link", "open.item.get merchant_item reauthorize/scope-not-granted @1002 link"];
    merchant_same_shop_twice_once:       [M] SAME_SHOP_TWICE, [] => ["open.item.get merchant_item reauthorize/scope-not-granted @1001 link"];
    merchant_open_id_json:               [M] r#"{"method":"open.item.get","open_id":"abc","error_msg":"token中无scope权限"}"#, [] => ["open.item.get merchant_item reauthorize/scope-not-granted @abc link"];
    merchant_open_id_camel_kv:           [M] "method=open.item.get openId=f19a0c3e token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted @f19a0c3e link"];
    merchant_seller_id_colon:            [M] "seller_id: 77 method=open.refund.reject token中无scope权限", [] => ["open.refund.reject merchant_refund apply @77"];
    merchant_seller_id_camel_json_num:   [M] r#"{"method":"open.refund.reject","sellerId":88,"error_msg":"token中无scope权限"}"#, [] => ["open.refund.reject merchant_refund apply @88"];
    merchant_shop_id_snake_colon:        [M] "method=open.address.seller.list shop_id: 3003 token中无scope权限", [] => ["open.address.seller.list merchant_logistics pending @3003"];
    merchant_user_id_kv:                 [M] "method=open.item.get user_id=4004 token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted @4004 link"];
    merchant_user_id_camel_json:         [M] r#"{"method":"open.item.get","userId":"5005","msg":"token中无scope权限"}"#, [] => ["open.item.get merchant_item reauthorize/scope-not-granted @5005 link"];
    merchant_shop_id_json_number_pretty: [M] "{\n  \"method\": \"open.item.get\", \"shop_id\": 1001, \"error_msg\": \"token中无scope权限\"\n}", [] => ["open.item.get merchant_item reauthorize/scope-not-granted @1001 link"];
    merchant_and_no_merchant:            [M] SHOP_AND_NO_SHOP, [] => ["open.item.get merchant_item reauthorize/scope-not-granted @1001 link", "open.refund.reject merchant_refund apply"];
    merchant_one_shop_two_apis:          [M] ONE_SHOP_TWO_APIS, [] => ["open.item.get merchant_item reauthorize/scope-not-granted @5 link", "open.refund.reject merchant_refund apply @5"];
    merchant_token_expired:              [M] format!("method=open.item.get shopId=1001 {GW_EXPIRED}"), [] => ["open.item.get merchant_item refresh-token @1001"];
    merchant_bare_gateway:               [M] format!("method=open.item.get shopId=1001 {GW_BARE}"), [] => ["open.item.get merchant_item check-token @1001"];
    merchant_revoked:                    [M] format!("method=open.order.cursor.list shopId=1001 {LEGACY_REVOKED}"), [] => ["open.order.cursor.list merchant_order reauthorize/revoked @1001 link"];
    text_without_api_concerns_flags_not_pages: [M, A] "token中无scope权限", ["open.refund.reject"] => ["open.refund.reject merchant_refund apply"];
    text_naming_api_ignores_other_api_page:    [M, A] "method=open.refund.reject token中无scope权限", [] => ["open.refund.reject merchant_refund apply"];
    same_api_two_lines_one_finding:      [M] "method=open.item.get token中无scope权限\nmethod=open.item.get token中无scope的权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted link"];
    same_api_text_and_flag_one_finding:  [M] "method=open.refund.reject token中无scope权限", ["open.refund.reject"] => ["open.refund.reject merchant_refund apply"];
    merchant_add_user_not_checked:       [M] format!("{ADD_USER} userId=2218830452"), [] => ["- - add-user @? link"];
}

// ---------------------------------------------------------------------------------------------
// Several APIs and error kinds in one log
// ---------------------------------------------------------------------------------------------
cases! {
    mixed_log:                           [M] MIXED_LOG, [] => [
        "open.item.get merchant_item reauthorize/scope-not-granted link",
        "open.refund.reject merchant_refund apply",
        "open.order.cursor.list merchant_order refresh-token",
        "open.distribution.cps.link.create merchant_distribution not-scope-error/business",
    ];
    mixed_log_with_token_page:           [M, T] MIXED_LOG, [] => [
        "open.item.get merchant_item reauthorize/scope-not-granted link",
        "open.refund.reject merchant_refund apply",
        "open.order.cursor.list merchant_order refresh-token",
        "open.distribution.cps.link.create merchant_distribution not-scope-error/business",
    ];
}

// ---------------------------------------------------------------------------------------------
// Regressions from a blind batch of log shapes
// ---------------------------------------------------------------------------------------------
cases! {
    url_path_after_dotless_host:         [M] r#"ERROR http://kwai-proxy/open/order/cursor/list?shopId=1002 -> {"result":28,"error_msg":"token中无scope权限"}"#, [] => ["open.order.cursor.list merchant_order reauthorize/scope-not-granted @1002 link"];
    url_path_after_localhost:            [M] "ERROR http://localhost/open/item/get?shop_id=9 returned token中无scope权限", [] => ["open.item.get merchant_item reauthorize/scope-not-granted @9 link"];
    error_told_again_with_its_api_node:  [M] NODE_INSPECT, [] => ["open.order.cursor.list merchant_order reauthorize/scope-not-granted @20240601 link"];
    error_told_again_expired_node:       [M] NODE_INSPECT.replace("token中无scope权限", "TOKEN过期"), [] => ["open.order.cursor.list merchant_order refresh-token @20240601"];
    error_told_again_with_its_api_lines: [M] "ERROR token中无scope权限\nERROR method=open.order.cursor.list token中无scope权限", [] => ["open.order.cursor.list merchant_order reauthorize/scope-not-granted link"];
    error_told_again_expired_lines:      [M] "ERROR TOKEN过期\nERROR method=open.order.cursor.list TOKEN过期", [] => ["open.order.cursor.list merchant_order refresh-token"];
}

// ---------------------------------------------------------------------------------------------
// The link itself (§3) on every verdict that carries one
// ---------------------------------------------------------------------------------------------

fn assert_first_link(link: &str, context: &str) {
    let url = url::Url::parse(link).unwrap_or_else(|e| panic!("{context}: auth_link is not a URL ({e}): {link}"));
    assert_eq!(
        (url.scheme(), url.host_str(), url.path()),
        ("https", Some("open.kwaixiaodian.com"), "/oauth/authorize"),
        "{context}: {link}"
    );
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    let unique: BTreeSet<&str> = keys.iter().copied().collect();
    assert_eq!(unique.len(), keys.len(), "{context}: a parameter given twice: {link}");
    assert!(
        keys.iter().all(|k| ["app_id", "redirect_uri", "scope", "response_type", "state"].contains(k)),
        "{context}: unknown parameter (a 回调地址 query leaking?): {link}"
    );
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    assert_eq!(get("app_id"), Some(APP_KEY), "{context}: {link}");
    assert_eq!(get("redirect_uri"), Some(CALLBACK), "{context}: redirect_uri must be exactly the 回调地址: {link}");
    assert_eq!(get("response_type"), Some("code"), "{context}: {link}");
    let scope: Vec<&str> = get("scope").unwrap_or("").split(',').collect();
    assert_eq!(
        scope,
        ["user_info", "merchant_item", "merchant_order"],
        "{context}: all 已获取 packages in console order, nothing else: {link}"
    );
    assert!(
        link.contains("redirect_uri=https%3A%2F%2Fshop.example.com%2Fcb%3Ffrom%3Dks%26x%3D1"),
        "{context}: redirect_uri encoded as encodeURIComponent does: {link}"
    );
}

#[test]
fn every_link_is_the_first_link_with_all_owned_packages() {
    let runs: &[(&[&str], &str, &[&str])] = &[
        (&[M], "method=open.item.get token中无scope权限", &[]),
        (&[M], "", &["open.item.get"]),
        (&[M, T], "method=open.item.get 鉴权失败", &[]),
        (&[M], "refreshToken.discarded", &[]),
        (&[M], LEGACY_REVOKED, &["open.order.cursor.list"]),
        (&[M], ADD_USER, &[]),
        (&[M], "Invalid url", &[]),
        (&[M], &format!("Invalid url {BAD_LINK_LEAK}"), &[]),
        (&[M], TWO_SHOPS, &[]),
    ];
    let mut failures = vec![];
    for (pages, failure, apis) in runs {
        let context = format!("pages {pages:?} --api {apis:?} --failure {failure:?}");
        match diagnose(pages, failure, apis) {
            Err(e) => failures.push(format!("{context}: {e}")),
            Ok(findings) => {
                let links: Vec<&str> = findings.iter().filter_map(|f| f["auth_link"].as_str()).collect();
                if links.is_empty() {
                    failures.push(format!("{context}: no auth_link in {findings:?}"));
                }
                for link in links {
                    if let Err(e) = std::panic::catch_unwind(|| assert_first_link(link, &context)) {
                        failures.push(e.downcast_ref::<String>().cloned().unwrap_or_else(|| format!("{context}: bad link {link}")));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} runs:\n{}", failures.len(), runs.len(), failures.join("\n"));
}

#[test]
fn no_link_unless_the_app_is_known_whole() {
    // Every text that would earn a link with the merchant app, run without an app page, with
    // only the 授权管理 page, and with an app page whose 回调地址 is cut short.
    let texts: &[(&str, &[&str])] = &[
        ("method=open.item.get token中无scope权限", &[]),
        ("", &["open.item.get"]),
        ("refresh_token过期", &[]),
        (LEGACY_REVOKED, &["open.item.get"]),
        (ADD_USER, &[]),
        ("Invalid url", &[]),
        (BAD_LINK_LEAK, &[]),
    ];
    let mut failures = vec![];
    for pages in [&[][..], &[W][..], &[C][..], &[A, T, W][..]] {
        for (text, apis) in texts {
            match diagnose(pages, text, apis) {
                Err(e) => failures.push(format!("{pages:?} {text:?}: {e}")),
                Ok(findings) => {
                    for f in findings.iter().filter(|f| !f["auth_link"].is_null()) {
                        failures.push(format!("{pages:?} {text:?}: link without a whole app page: {}", compact(f)));
                    }
                    failures.extend(invariant_errors(&findings));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// fix-link: `problems` when the text carries the failing link
// ---------------------------------------------------------------------------------------------

/// The problem codes of a finding: accepts `["code", …]` or check-link's `[{"code": …}, …]`.
fn problem_codes(f: &Value) -> Option<BTreeSet<String>> {
    let items = f.get("problems")?.as_array()?;
    Some(items.iter().filter_map(|p| p.as_str().map(String::from).or_else(|| p["code"].as_str().map(String::from))).collect())
}

fn fix_link_finding(pages: &[&str], text: &str) -> Value {
    let findings = diagnose(pages, text, &[]).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let got: Vec<String> = findings.iter().map(compact).collect();
    assert_eq!(findings.len(), 1, "{text:?}: one finding, got {got:?}");
    assert_eq!(findings[0]["verdict"], "fix-link", "{text:?}: got {got:?}");
    assert!(findings[0]["api"].is_null(), "{text:?}: got {got:?}");
    findings[0].clone()
}

#[test]
fn fix_link_lists_the_pasted_links_problems_leaked_query() {
    for text in [
        format!("Invalid url {BAD_LINK_LEAK}"),
        format!("打开授权链接：{BAD_LINK_LEAK}\n页面提示：Invalid url"),
        format!("method=open.item.get Invalid url: {BAD_LINK_LEAK}"),
    ] {
        let f = fix_link_finding(&[M], &text);
        let want: BTreeSet<String> =
            ["unknown-parameter", "redirect-uri-mismatch", "scope-lacks-held"].iter().map(|s| s.to_string()).collect();
        assert_eq!(problem_codes(&f), Some(want), "{text:?}: {f}");
        assert!(f["auth_link"].is_string(), "{text:?}: the corrected link: {f}");
    }
}

#[test]
fn fix_link_lists_the_pasted_links_problems_old_form() {
    let f = fix_link_finding(&[M], &format!("{BAD_LINK_OLD_FORM}\nInvalid url"));
    assert_eq!(problem_codes(&f), Some(BTreeSet::from(["app-id-old-form".to_string()])), "{f}");
}

#[test]
fn fix_link_lists_the_pasted_links_problems_http_callback() {
    let f = fix_link_finding(&[M], &format!("INVALID URL {BAD_LINK_HTTP}"));
    assert_eq!(problem_codes(&f), Some(BTreeSet::from(["redirect-uri-mismatch".to_string()])), "{f}");
    assert!(f["auth_link"].is_string(), "{f}");
}

#[test]
fn fix_link_lists_the_pasted_links_problems_unknown_app() {
    let f = fix_link_finding(&[M], &format!("Invalid url {BAD_LINK_UNKNOWN_APP}"));
    let codes = problem_codes(&f).unwrap_or_default();
    assert!(codes.contains("app-id-unknown"), "{f}");
}

#[test]
fn fix_link_without_a_link_has_no_problems() {
    let f = fix_link_finding(&[M], "Invalid url");
    assert!(problem_codes(&f).is_none_or(|c| c.is_empty()), "no link in the text, so no problems: {f}");
}

// ---------------------------------------------------------------------------------------------
// `read` on the doctor's own pages (so a reader slip is told apart from a decision slip)
// ---------------------------------------------------------------------------------------------

fn read(name: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_scope-doctor"))
        .args(["read", &page(name), "--json"])
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

macro_rules! reads {
    ($($test:ident: $page:ident => { $($key:literal: $value:tt),* $(,)? };)*) => {
        $(
            #[test]
            fn $test() {
                let got = read($page);
                $( assert_eq!(got[$key], serde_json::json!($value), "{}: field {}: {}", $page, $key, got); )*
            }
        )*
    };
}

reads! {
    read_app_merchant: M => {
        "page": "app-detail", "app_key": "ks739201846512", "app_name": "云仓小店助手", "app_type": "merchant",
        "callback": "https://shop.example.com/cb?from=ks&x=1",
        "packages": [{"scope": "user_info", "status": "owned"}, {"scope": "merchant_item", "status": "owned"},
                     {"scope": "merchant_order", "status": "owned"}, {"scope": "merchant_refund", "status": "missing"},
                     {"scope": "merchant_logistics", "status": "pending"}],
    };
    read_app_service_market: S => {
        "page": "app-detail", "app_key": "ks558310294476", "app_type": "service-market",
        "callback": "https://erp.yidan.example.cn/oauth/kwai/callback",
        "packages": [{"scope": "user_info", "status": "owned"}, {"scope": "merchant_item", "status": "owned"},
                     {"scope": "merchant_order", "status": "missing"}, {"scope": "merchant_logistics", "status": "pending"}],
    };
    read_app_cut_callback_is_null: C => { "page": "app-detail", "app_key": "ks610029384751", "callback": null };
    read_api_item_get: A => { "page": "api-detail", "api": "open.item.get", "scopes": ["merchant_item"], "needs_user_auth": true };
    read_api_unlisted_refund: U => { "page": "api-detail", "api": "open.refund.negotiate.record.list", "scopes": ["merchant_refund"] };
    read_api_unlisted_no_section: N => { "page": "api-detail", "api": "open.supply.stock.snapshot.query", "scopes": [] };
    read_token_scopes: T => { "page": "token-info", "scopes": ["user_info", "merchant_order"] };
    read_token_no_result: E => { "page": "token-info", "scopes": [] };
    read_users: W => { "page": "auth-users", "users": [{"id": "2218830451", "authorized": true}, {"id": "2218830452", "authorized": false}], "links": [] };
}

// ---------------------------------------------------------------------------------------------
// Property: text that is not a recognised error never yields reauthorize / add-user / fix-link
// ---------------------------------------------------------------------------------------------

/// Words from no recognised family: no `scope`, `token`, `过期`, `鉴权`, `授权`, `invalid`,
/// `url`, `revoked`, `refresh`, `quota`, `qps`, `limit`, `限流`, `expired`, `not`, `missing`,
/// `denied`, `client`, `订购`; numbers stay below 100000 (no 100200xxx, no 1800608).
#[rustfmt::skip]
const PLAIN_WORDS: &[&str] = &[
    "request", "failed", "retry", "order", "item", "timeout", "null", "error", "internal", "server", "gateway", "ERROR",
    "INFO", "WARN", "call", "response", "body", "Exception", "at", "com.example.shop.Sync.run", "java.lang.RuntimeException:",
    "请求", "处理", "商品", "订单", "店铺", "接口", "返回", "异常", "重试", "参数错误", "同步", "完成", "失败", "数据", "用户",
    "method=open.item.get", "\"method\":\"open.order.cursor.list\"", "/open/item/get", "shopId=1001", "open_id=abc",
    "seller_id: 77", "{", "}", "\"result\":", "\"msg\":", "\"error_msg\":", "2024-06-20", "10:00:01", "->", "=>", "—", "：",
];

fn plain_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => proptest::sample::select(PLAIN_WORDS).prop_map(String::from),
        1 => (0u32..100_000).prop_map(|n| n.to_string()),
        1 => "[a-z]{2,8}".prop_filter("no family word", |w| {
            !["not", "url", "qps", "code", "scope", "token", "limit", "quota", "client", "denied", "missing", "expired", "invalid", "revoked", "refresh"]
                .iter()
                .any(|bad| w.contains(bad))
        }),
        1 => proptest::sample::select(&["店铺同步", "库存", "价格", "发货", "地址", "图片", "类目", "规格"][..]).prop_map(String::from),
    ];
    let sep = proptest::sample::select(&[" ", " ", "\n", ", ", " | ", "\t"][..]);
    (proptest::collection::vec((word, sep), 0..12), proptest::sample::select(&["something", "失败", "error", "异常"][..])).prop_map(
        |(parts, anchor)| {
            let mut text = String::from(anchor); // at least one ordinary word: the text is never empty
            for (w, s) in parts {
                text.push_str(s);
                text.push_str(&w);
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn unrecognised_text_never_yields_a_link_verdict(
        text in plain_text(),
        extra_pages in proptest::sample::subsequence(vec![T, A, W], 0..=3),
        api_flag in any::<bool>(),
    ) {
        let mut pages = vec![M];
        pages.extend(extra_pages);
        // `--api X` with a text about another API leaves X with no error text: X is then "only
        // marked" and may rightly get a scope verdict. So with the flag, the text names X alone.
        let (apis, text): (&[&str], String) =
            if api_flag { (&["open.item.get"], text.replace("open.order.cursor.list", "open.item.get")) } else { (&[], text) };
        let findings = diagnose(&pages, &text, apis).map_err(TestCaseError::fail)?;
        for f in &findings {
            let verdict = f["verdict"].as_str().unwrap_or("");
            prop_assert!(!LINK_VERDICTS.contains(&verdict), "text {:?} pages {:?} --api {:?} gave {}", text, pages, apis, compact(f));
            prop_assert!(f["auth_link"].is_null(), "text {:?} gave a link: {}", text, f);
        }
        let errors = invariant_errors(&findings);
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }
}
