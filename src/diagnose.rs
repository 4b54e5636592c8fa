//! The decision (platform.md §2): for each failing API, which package it needs, what the app's
//! status for it is, and so who must act — with a short explanation in Chinese and English.

use crate::catalog;
use crate::failure::{Failure, FailureKind};
use crate::link;
use crate::read::{AppType, Status};
use crate::store::{App, Learned};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Reauthorize,
    Apply,
    Pending,
    TokenHasScope,
    UnknownScope,
    NotScopeError,
    ServiceMarket,
}

/// Where an API's package came from: its own page (the authority) or the built-in catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeSource {
    Page,
    Catalog,
}

/// A page the user should open to get a sharper answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedsPage {
    ApiDetail,
    AppDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub zh: String,
    pub en: String,
}

/// One failing API and what to do about it. Serialises as contract.md's finding (plus extras).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub api: String,
    /// The package that decides the verdict (the first one the app lacks), if known.
    pub scope: Option<String>,
    /// The package's Chinese name for display (`商品信息`).
    pub scope_name: Option<String>,
    /// Every package the API needs.
    pub scopes: Vec<String>,
    /// Their Chinese names, in the same order.
    pub scope_names: Vec<String>,
    pub scope_source: Option<ScopeSource>,
    pub verdict: Verdict,
    /// The first (PC) link, present exactly when the verdict is `reauthorize`.
    pub auth_link: Option<String>,
    /// The second (mobile) link, with the first.
    pub mobile_link: Option<String>,
    pub failure: Option<FailureKind>,
    pub app_key: Option<String>,
    pub needs_page: Option<NeedsPage>,
    pub explain: Explanation,
}

/// One API that fails, and how, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failing {
    pub api: String,
    pub kind: FailureKind,
}

/// The failing APIs: those a failure text names, then the `extra` names (`--api`, the
/// playground's list). An error that names no API is about the extra names, or — when nothing
/// else names an API — about the API pages the user has read (`api_pages`).
pub fn failing_apis(failures: &[Failure], extra: &[String], api_pages: &[String]) -> Vec<Failing> {
    let mut failing: Vec<Failing> =
        failures.iter().filter_map(|f| f.api.as_ref().map(|api| Failing { api: api.clone(), kind: f.kind })).collect();
    let unnamed = failures.iter().find(|f| f.api.is_none()).map(|f| f.kind);
    let from_pages: &[String] = if failing.is_empty() && extra.is_empty() && unnamed.is_some() { api_pages } else { &[] };
    for name in extra.iter().chain(from_pages) {
        if !failing.iter().any(|f| &f.api == name) {
            failing.push(Failing { api: name.clone(), kind: unnamed.unwrap_or(FailureKind::Unknown) });
        }
    }
    failing
}

/// What is known when deciding.
#[derive(Debug, Clone, Copy, Default)]
pub struct Knowledge<'a> {
    pub app: Option<&'a App>,
    /// Packages stated by API pages; they override the catalog.
    pub learned: &'a [Learned],
    /// The scopes 授权查询工具 showed for the failing token.
    pub token_scopes: Option<&'a [String]>,
}

/// An API's packages: its page's statement if one was read, else the catalog's.
pub fn scopes_for(api: &str, learned: &[Learned]) -> (Vec<String>, Option<ScopeSource>) {
    if let Some(l) = learned.iter().find(|l| l.api == api).filter(|l| !l.scopes.is_empty()) {
        return (l.scopes.clone(), Some(ScopeSource::Page));
    }
    match catalog::scope_of(api) {
        Some(scope) => (vec![scope.to_string()], Some(ScopeSource::Catalog)),
        None => (vec![], None),
    }
}

/// Decides every failing API.
pub fn diagnose(failing: &[Failing], known: Knowledge) -> Vec<Finding> {
    failing.iter().map(|f| decide(f, known)).collect()
}

/// Decides one failing API, in the order of platform.md §2.
pub fn decide(failing: &Failing, known: Knowledge) -> Finding {
    let (scopes, scope_source) = scopes_for(&failing.api, known.learned);
    let mut finding = Finding {
        api: failing.api.clone(),
        scope: scopes.first().cloned(),
        scope_name: None,
        scope_names: scopes.iter().map(|s| catalog::chinese_name(s)).collect(),
        scopes: scopes.clone(),
        scope_source,
        verdict: Verdict::UnknownScope,
        auth_link: None,
        mobile_link: None,
        failure: Some(failing.kind).filter(|k| *k != FailureKind::Unknown),
        app_key: known.app.map(|a| a.app_key.clone()),
        needs_page: None,
        explain: Explanation { zh: String::new(), en: String::new() },
    };
    let app = known.app;

    if !failing.kind.may_be_scope() {
        finding.verdict = Verdict::NotScopeError;
    } else if scopes.is_empty() {
        finding.needs_page = Some(NeedsPage::ApiDetail);
    } else if known.token_scopes.is_some_and(|held| scopes.iter().all(|s| held.contains(s))) {
        finding.verdict = Verdict::TokenHasScope;
    } else if let Some(app) = app {
        if app.app_type == Some(AppType::ServiceMarket) {
            finding.verdict = Verdict::ServiceMarket;
        } else {
            let lacking = |wanted: Option<Status>| scopes.iter().find(|s| app.status_of(s) == wanted);
            if let Some(scope) = lacking(Some(Status::Missing)).or_else(|| lacking(None)) {
                finding.scope = Some(scope.clone());
                finding.verdict = Verdict::Apply;
            } else if let Some(scope) = lacking(Some(Status::Pending)) {
                finding.scope = Some(scope.clone());
                finding.verdict = Verdict::Pending;
            } else {
                match link::for_app(app) {
                    Ok(links) => {
                        finding.verdict = Verdict::Reauthorize;
                        finding.auth_link = Some(links.first);
                        finding.mobile_link = Some(links.second);
                    }
                    Err(_) => finding.needs_page = Some(NeedsPage::AppDetail),
                }
            }
        }
    } else {
        // The package is known but not whether the app holds it: only the app page can tell
        // apply from re-authorize, and only it has the appKey and 回调地址 the link needs.
        finding.needs_page = Some(NeedsPage::AppDetail);
    }
    finding.scope_name = finding.scope.as_deref().map(catalog::chinese_name);
    finding.explain = explain(&finding, app);
    finding
}

/// `商品信息 (merchant_item)`: how a package is named in explanations.
pub fn scope_label(scope: &str) -> String {
    format!("{} ({scope})", catalog::chinese_name(scope))
}

/// Who must do what, where — one or two sentences per language.
fn explain(f: &Finding, app: Option<&App>) -> Explanation {
    let pkg = f.scope.as_deref().map(scope_label).unwrap_or_default();
    let app_name = app.and_then(|a| a.app_name.clone()).or_else(|| app.map(|a| a.app_key.clone())).unwrap_or_default();
    let (zh, en) = match (f.verdict, f.needs_page) {
        (Verdict::NotScopeError, _) => not_scope_error(f.failure),
        (Verdict::UnknownScope, Some(NeedsPage::AppDetail)) => (
            format!("{} 需要权限包 {pkg}。打开应用详情页（控制台 → 应用中心 → 应用管理 → 应用详情），即可判断是申请权限包还是让商家重新授权。", f.api),
            format!("{} needs the package {pkg}. Open the app detail page (控制台 → 应用中心 → 应用管理 → 应用详情) to tell whether to apply for it or have the merchant re-authorize.", f.api),
        ),
        (Verdict::UnknownScope, _) => (
            format!("不知道 {} 属于哪个权限包。打开该 API 的文档页，页面底部的权限说明会写明。", f.api),
            format!("The package of {} is not known. Open its API detail page: the permission section at the bottom names it.", f.api),
        ),
        (Verdict::TokenHasScope, _) => (
            format!("这个 token 已包含 {pkg}：不是缺少权限包。请检查是否用错了 token、应用或授权用户。"),
            format!("This token already has {pkg}: the package is not missing. Check for the wrong token, the wrong app or the wrong user."),
        ),
        (Verdict::ServiceMarket, _) => (
            format!("{app_name} 是服务市场（第三方）应用：请商家在服务市场 → 本店授权服务 → 使用服务 中重新授权，以获得 {pkg}。"),
            format!("{app_name} is a service-market (third-party) app: the merchant re-authorizes in 服务市场 → 本店授权服务 → 使用服务 to grant {pkg}."),
        ),
        (Verdict::Apply, _) => (
            format!("应用 {app_name} 还没有获取 {pkg}。应用负责人：在应用详情页点击「申请」（审核 1–3 个工作日），通过后再让商家重新授权。"),
            format!("The app {app_name} does not hold {pkg}. The app owner clicks 申请 on the app detail page (review takes 1–3 working days); then the merchant re-authorizes."),
        ),
        (Verdict::Pending, _) => (
            format!("{pkg} 正在申请中：等待审核（1–3 个工作日），通过后让商家用新链接重新授权。"),
            format!("{pkg} is under review (申请中): wait 1–3 working days, then have the merchant re-authorize with a fresh link."),
        ),
        (Verdict::Reauthorize, _) => (
            format!("应用已获取 {pkg}，但商家的 token 里没有：把授权链接发给商家，商家打开后勾选权限并点击授权。链接包含应用已获取的全部权限包。"),
            format!("The app holds {pkg} but the merchant's token lacks it: send the merchant the authorization link to open and approve. The link carries every package the app holds."),
        ),
    };
    Explanation { zh, en }
}

fn not_scope_error(kind: Option<FailureKind>) -> (String, String) {
    let (zh, en) = match kind {
        Some(FailureKind::ExpiredToken) => (
            "token 已过期：用 refresh_token 刷新 access_token；refresh_token 也过期时让商家重新授权。",
            "The token expired: refresh the access_token with the refresh_token; if that expired too, the merchant re-authorizes.",
        ),
        Some(FailureKind::RevokedGrant) => (
            "商家取消了授权（或测试用户 10 天授权到期）：在授权管理中重新发起授权。",
            "The merchant revoked the authorization (or a test user's 10 days ran out): start a new authorization in 授权管理.",
        ),
        Some(FailureKind::Quota) => (
            "调用超过了频率或每日额度限制：稍后重试，或检查调用量。",
            "The call hit a QPS or daily quota limit: retry later or reduce calls.",
        ),
        Some(FailureKind::Business) => (
            "这是业务错误，不是缺少权限包（例如 1800608 表示商家未开通该服务）。",
            "This is a business error, not a missing package (e.g. 1800608 means the merchant has not opened the service).",
        ),
        _ => ("这个错误不是缺少权限包。", "This error is not a missing package."),
    };
    (zh.to_string(), en.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Package;

    fn app(statuses: &[(&str, Status)], app_type: Option<AppType>) -> App {
        App {
            app_key: "ks100".into(),
            app_name: Some("助手".into()),
            callback: Some("https://cb.example/x".into()),
            app_type,
            packages: statuses.iter().map(|(s, st)| Package { scope: s.to_string(), status: *st, anchor: None }).collect(),
        }
    }

    fn failing(api: &str, kind: FailureKind) -> Failing {
        Failing { api: api.into(), kind }
    }

    #[test]
    fn every_verdict() {
        let owned = app(
            &[
                ("user_info", Status::Owned),
                ("merchant_item", Status::Owned),
                ("merchant_order", Status::Missing),
                ("merchant_refund", Status::Pending),
            ],
            Some(AppType::Merchant),
        );
        let known = Knowledge { app: Some(&owned), ..Default::default() };
        let scope = FailureKind::MissingScope;
        let f = decide(&failing("open.item.get", scope), known);
        assert_eq!(f.verdict, Verdict::Reauthorize);
        assert_eq!(link::scopes_of_link(f.auth_link.as_deref().unwrap()), vec!["user_info", "merchant_item"]);
        assert_eq!(decide(&failing("open.order.cursor.list", scope), known).verdict, Verdict::Apply);
        assert_eq!(decide(&failing("open.refund.reject", scope), known).verdict, Verdict::Pending);
        assert_eq!(
            decide(&failing("open.logistics.express.template.list", scope), known).verdict,
            Verdict::Apply,
            "not listed at all = not held"
        );
        assert_eq!(decide(&failing("open.item.get", FailureKind::Business), known).verdict, Verdict::NotScopeError);
        assert_eq!(decide(&failing("open.no.such.api", scope), known).verdict, Verdict::UnknownScope);
        let token = vec!["merchant_item".to_string()];
        assert_eq!(
            decide(&failing("open.item.get", scope), Knowledge { token_scopes: Some(&token), ..known }).verdict,
            Verdict::TokenHasScope
        );
        let isv = app(&[("merchant_item", Status::Owned)], Some(AppType::ServiceMarket));
        assert_eq!(decide(&failing("open.item.get", scope), Knowledge { app: Some(&isv), ..known }).verdict, Verdict::ServiceMarket);
        let f = decide(&failing("open.item.get", scope), Knowledge::default());
        assert_eq!((f.verdict, f.needs_page, f.auth_link), (Verdict::UnknownScope, Some(NeedsPage::AppDetail), None));
    }

    #[test]
    fn a_page_overrides_the_catalog() {
        let owned = app(&[("merchant_item", Status::Missing), ("merchant_video", Status::Owned)], None);
        let learned = vec![Learned { api: "open.item.get".into(), scopes: vec!["merchant_video".into()] }];
        let f = decide(
            &failing("open.item.get", FailureKind::MissingScope),
            Knowledge { app: Some(&owned), learned: &learned, token_scopes: None },
        );
        assert_eq!(
            (f.verdict, f.scope.as_deref(), f.scope_source),
            (Verdict::Reauthorize, Some("merchant_video"), Some(ScopeSource::Page))
        );
    }
}
