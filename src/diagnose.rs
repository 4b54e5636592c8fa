//! The decision (platform.md §2, v2): for each failing API — or error that concerns no API —
//! which package is involved, what the app's status for it is, and so who must act, with an
//! explanation in Chinese and English naming who acts, what to click and on which page.

use crate::catalog;
use crate::link;
use crate::link_check::ProblemCode;
use crate::model::{App, AppType, Failure, FailureKind, Learned, Status, User};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Apply,
    Pending,
    Reauthorize,
    RefreshToken,
    CheckToken,
    AddUser,
    FixLink,
    TokenHasScope,
    UnknownScope,
    NotScopeError,
    ServiceMarket,
}

impl Verdict {
    /// Every verdict, in the order of platform.md §2 (for help texts and the README table).
    pub const ALL: [Verdict; 11] = [
        Verdict::Apply,
        Verdict::Pending,
        Verdict::Reauthorize,
        Verdict::TokenHasScope,
        Verdict::UnknownScope,
        Verdict::ServiceMarket,
        Verdict::RefreshToken,
        Verdict::CheckToken,
        Verdict::AddUser,
        Verdict::FixLink,
        Verdict::NotScopeError,
    ];

    /// Whether a finding with this verdict carries the first link (when the app is known).
    pub fn has_link(self) -> bool {
        matches!(self, Verdict::Reauthorize | Verdict::AddUser | Verdict::FixLink)
    }
}

/// Why: for `reauthorize`, what the merchant's grant lacks; for `not-scope-error`, what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    ScopeNotGranted,
    RefreshTokenExpired,
    Revoked,
    Business,
    Quota,
    Unrecognized,
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

/// The merchant named by a failure, as the 授权管理 page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserStanding {
    /// Listed under 测试用户 / 授权用户.
    pub listed: bool,
    /// Shown as 已建立授权.
    pub authorized: bool,
}

/// One failing API (and merchant) and what to do about it. Serialises as contract.md's finding
/// (plus extras for display).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The method name; `None` for authorization-page and refresh-token errors.
    pub api: Option<String>,
    /// The merchant the failing lines name.
    pub merchant: Option<String>,
    /// The package that decides the verdict (the first one the app lacks), if known.
    pub scope: Option<String>,
    /// The package's Chinese name for display (`商品信息`).
    pub scope_name: Option<String>,
    /// Every package the API needs, and their Chinese names in the same order.
    pub scopes: Vec<String>,
    pub scope_names: Vec<String>,
    pub scope_source: Option<ScopeSource>,
    /// The current app's status for `scope` (context, also for `not-scope-error`).
    pub status: Option<Status>,
    pub verdict: Verdict,
    pub cause: Option<Cause>,
    /// The first (PC) link: for `reauthorize`, `add-user` and `fix-link` with the app known.
    pub auth_link: Option<String>,
    /// The second (mobile) link, with the first.
    pub mobile_link: Option<String>,
    /// For `fix-link`: what is wrong with the link the failure text carried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemCode>,
    pub failure: Option<FailureKind>,
    /// The error code found with the message (`803000`).
    pub code: Option<String>,
    /// How many failing lines this finding stands for.
    pub count: u64,
    pub app_key: Option<String>,
    pub needs_page: Option<NeedsPage>,
    /// For a named merchant when an 授权管理 page was read.
    pub user: Option<UserStanding>,
    pub explain: Explanation,
    /// What to send the merchant with the link (crate::message), when there is a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_message: Option<Explanation>,
}

/// What is known when deciding.
#[derive(Debug, Clone, Copy, Default)]
pub struct Knowledge<'a> {
    pub app: Option<&'a App>,
    /// Packages stated by API pages; they override the catalog.
    pub learned: &'a [Learned],
    /// The scopes 授权查询工具 showed for a token of this app.
    pub token_scopes: Option<&'a [String]>,
    /// The users 授权管理 lists.
    pub users: Option<&'a [User]>,
    /// The problems of the authorization link the failure text carried.
    pub link_problems: &'a [ProblemCode],
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

/// Decides one failure, in the order of platform.md §2.
pub fn decide(failure: &Failure, known: Knowledge) -> Finding {
    let (scopes, scope_source) = failure.api.as_deref().map(|api| scopes_for(api, known.learned)).unwrap_or_default();
    let app = known.app;
    let mut finding = Finding {
        api: failure.api.clone(),
        merchant: failure.merchant.clone(),
        scope: scopes.first().cloned(),
        scope_name: None,
        scope_names: scopes.iter().map(|s| catalog::chinese_name(s)).collect(),
        scopes: scopes.clone(),
        scope_source,
        status: None,
        verdict: Verdict::UnknownScope,
        cause: None,
        auth_link: None,
        mobile_link: None,
        problems: vec![],
        failure: Some(failure.kind).filter(|k| *k != FailureKind::Unknown),
        code: failure.code.clone(),
        count: failure.count,
        app_key: app.map(|a| a.app_key.clone()),
        needs_page: None,
        user: None,
        explain: Explanation { zh: String::new(), en: String::new() },
        merchant_message: None,
    };
    let (verdict, cause) = verdict_of(failure.kind, &scopes, &mut finding, known);
    finding.verdict = verdict;
    finding.cause = cause;
    finding.status = app.zip(finding.scope.as_deref()).and_then(|(app, scope)| app.status_of(scope));
    if verdict == Verdict::FixLink {
        finding.problems = known.link_problems.to_vec();
    }
    if verdict.has_link() {
        match app.map(link::for_app) {
            Some(Ok(links)) => {
                finding.auth_link = Some(links.first);
                finding.mobile_link = Some(links.second);
            }
            _ => finding.needs_page = Some(NeedsPage::AppDetail),
        }
    }
    finding.user = finding.merchant.as_deref().zip(known.users).map(|(id, users)| standing(id, users));
    finding.scope_name = finding.scope.as_deref().map(catalog::chinese_name);
    finding.explain = explain(&finding, app);
    finding.merchant_message = crate::message::for_finding(&finding, app);
    if verdict == Verdict::UnknownScope {
        // contract.md: `scope` is null for `unknown-scope` (nothing decided which package is
        // missing); `scopes` still lists the API's packages, and the explanation names them.
        finding.scope = None;
        finding.scope_name = None;
    }
    finding
}

fn standing(id: &str, users: &[User]) -> UserStanding {
    let user = users.iter().find(|u| u.id == id);
    UserStanding { listed: user.is_some(), authorized: user.is_some_and(|u| u.authorized) }
}

/// The verdict and cause; may narrow `finding.scope` to the package the app lacks.
fn verdict_of(kind: FailureKind, scopes: &[String], finding: &mut Finding, known: Knowledge) -> (Verdict, Option<Cause>) {
    use FailureKind as K;
    match kind {
        K::InvalidUrl => return (Verdict::FixLink, None),
        K::NotAppUser => return (Verdict::AddUser, None),
        K::ServiceNotOrdered => return (Verdict::ServiceMarket, None),
        K::RefreshTokenExpired => return (Verdict::Reauthorize, Some(Cause::RefreshTokenExpired)),
        K::RevokedGrant => return (Verdict::Reauthorize, Some(Cause::Revoked)),
        K::ExpiredToken => return (Verdict::RefreshToken, None),
        K::Quota => return (Verdict::NotScopeError, Some(Cause::Quota)),
        K::Business => return (Verdict::NotScopeError, Some(Cause::Business)),
        K::Unrecognized => return (Verdict::NotScopeError, Some(Cause::Unrecognized)),
        K::MissingScope | K::AuthFailed | K::Unknown => {}
    }
    // A missing package, or `鉴权失败` that may be one (FAQ K0004): decided by the evidence.
    let undecided = if kind == K::AuthFailed { Verdict::CheckToken } else { Verdict::UnknownScope };
    if scopes.is_empty() {
        if kind != K::AuthFailed {
            finding.needs_page = Some(NeedsPage::ApiDetail);
        }
        return (undecided, None);
    }
    let token_has_all = known.token_scopes.map(|held| scopes.iter().all(|s| held.contains(s)));
    if token_has_all == Some(true) {
        return (Verdict::TokenHasScope, None);
    }
    let Some(app) = known.app else {
        // Only the app page tells apply from re-authorize, and has the appKey and 回调地址.
        finding.needs_page = Some(NeedsPage::AppDetail);
        return (undecided, None);
    };
    let lacking = |wanted: Option<Status>| scopes.iter().find(|s| app.status_of(s) == wanted);
    if let Some(scope) = lacking(Some(Status::Missing)).or_else(|| lacking(None)) {
        finding.scope = Some(scope.clone());
        return (Verdict::Apply, None);
    }
    if let Some(scope) = lacking(Some(Status::Pending)) {
        finding.scope = Some(scope.clone());
        return (Verdict::Pending, None);
    }
    if app.app_type == Some(AppType::ServiceMarket) {
        return (Verdict::ServiceMarket, None);
    }
    if kind == K::AuthFailed && token_has_all.is_none() {
        return (Verdict::CheckToken, None);
    }
    (Verdict::Reauthorize, Some(Cause::ScopeNotGranted))
}

/// `商品信息（merchant_item）`: how a package is named in Chinese sentences.
pub fn scope_label_zh(scope: &str) -> String {
    let name = catalog::chinese_name(scope);
    if name == scope {
        scope.to_string()
    } else {
        format!("{name}（{scope}）")
    }
}

/// `商品信息 (merchant_item)`: the same in English sentences.
pub fn scope_label(scope: &str) -> String {
    let name = catalog::chinese_name(scope);
    if name == scope {
        scope.to_string()
    } else {
        format!("{name} ({scope})")
    }
}

fn status_words(status: Option<Status>) -> (&'static str, &'static str) {
    match status {
        Some(Status::Owned) => ("已获取", "held (已获取)"),
        Some(Status::Missing) => ("未获取", "not held (未获取)"),
        Some(Status::Pending) => ("申请中", "under review (申请中)"),
        None => ("未列出", "not listed"),
    }
}

/// What the business errors the parser recognises mean, by the code they come with
/// (data/error_codes.json): who acts and what, so that none is mistaken for a missing package.
const BUSINESS_ERRORS: &[(&str, &str, &str)] = &[
    // FAQ K1005: the token does hold merchant_distribution, the merchant lacks the service.
    ("1800608",
     "商家未开通站外分销推广（快赚客）：商家开通后再调用即可。这不是缺少权限包，不需要链接。",
     "The merchant has not opened off-site distribution (快赚客): call again once the merchant opens it. No package is missing; no link."),
    // FAQ K1006.
    ("21",
     "订单不属于这个 token 的商家（商家若是达人，要用好物联盟的 API）。在授权查询工具中查看 token 属于哪个商家。不是缺少权限包，不需要链接。",
     "The order belongs to another merchant than the token's (a 达人 must use the 好物联盟 APIs). Check in 授权查询工具 whose token it is. No package is missing; no link."),
    // FAQ K0005.
    ("26",
     "主账号不存在：用错了 token 类型（需用户授权的 API 要用商家授权换来的 access_token，不能用 client_credentials 的 token），或授权的子账号已被删除，此时商家需重新授权。不是缺少权限包。",
     "主账号不存在: the wrong kind of token (an API marked 需用户授权 needs the access token of the merchant's authorization, not a client_credentials token), or the authorizing sub-account was deleted, in which case the merchant must authorize again. No package is missing."),
    // FAQ K1004.
    ("27",
     "签名校验失败：开发者检查 signSecret、参数是否按名称排序、是否先签名再编码。不是授权问题，不需要链接。",
     "The signature check failed: the developer checks the signSecret, that parameters are sorted by name, and that signing happens before encoding. Not an authorization problem; no link."),
    // 返回码说明: refund codes.
    ("300011",
     "退款单不存在：检查退款单号。不是授权问题，不需要链接。",
     "The refund order does not exist: check its id. Not an authorization problem; no link."),
    ("300012",
     "退款单属于其他商家，不能用这个 token 操作。在授权查询工具中查看 token 属于哪个商家。不是缺少权限包，不需要链接。",
     "The refund order belongs to another merchant than the token's. Check in 授权查询工具 whose token it is. No package is missing; no link."),
];

const APP_PAGE_ZH: &str = "应用详情页（控制台 → 应用中心 → 应用管理 → 应用详情）";
const APP_PAGE_EN: &str = "the app detail page (控制台 → 应用中心 → 应用管理 → 应用详情)";
const LINK_ZH: &str =
    "把第一个授权链接（授权管理 → 发起授权 →「复制第一个链接」，或这里的复制按钮）发给商家，商家打开后勾选权限包并点击「授权」";
const LINK_EN: &str = "send the merchant the first authorization link (授权管理 → 发起授权 → 复制第一个链接, or the copy button here); they open it, tick the packages and click 授权";
const NO_LINK_ZH: &str = "打开应用详情页后这里会给出链接。";
const NO_LINK_EN: &str = "Open the app detail page to get the link here.";

/// Who must do what, where — a few sentences per language.
fn explain(f: &Finding, app: Option<&App>) -> Explanation {
    let pkg_zh = f.scope.as_deref().map(scope_label_zh).unwrap_or_default();
    let pkg_en = f.scope.as_deref().map(scope_label).unwrap_or_default();
    let api = f.api.as_deref().unwrap_or("");
    let app_name = app.map(|a| a.app_name.clone().unwrap_or_else(|| a.app_key.clone())).unwrap_or_default();
    let with_link = |zh: String, en: String| {
        if f.auth_link.is_some() {
            (zh, en)
        } else {
            (format!("{zh}{NO_LINK_ZH}"), format!("{en} {NO_LINK_EN}"))
        }
    };
    let (mut zh, mut en) = match (f.verdict, f.cause) {
        (Verdict::Apply, _) => (
            format!("应用「{app_name}」还没有获取{pkg_zh}。应用负责人：在{APP_PAGE_ZH}的权限包列表中点击「申请」（审核 1–3 个工作日）；通过后商家还需重新授权。"),
            format!("The app {app_name} does not hold {pkg_en}. The app owner clicks 申请 in the package list on {APP_PAGE_EN} (review takes 1–3 working days); after approval the merchant must still re-authorize."),
        ),
        (Verdict::Pending, _) => (
            format!("{pkg_zh}正在申请中：等待审核（1–3 个工作日），通过后在授权管理 → 发起授权，把第一个链接发给商家重新授权。"),
            format!("{pkg_en} is under review (申请中): wait 1–3 working days, then start 授权管理 → 发起授权 and send the merchant the first link."),
        ),
        (Verdict::Reauthorize, Some(Cause::RefreshTokenExpired)) => with_link(
            format!("refresh_token 已失效（约 180 天过期；刷新后旧的 5 分钟内作废，务必保存最新的）。商家需重新授权：{LINK_ZH}。"),
            format!("The refresh token is dead (it lives ~180 days, and an old one dies 5 minutes after a refresh: always keep the newest). The merchant must authorize again: {LINK_EN}."),
        ),
        (Verdict::Reauthorize, Some(Cause::Revoked)) => with_link(
            format!("商家取消了授权（测试用户的授权 10 天后也会自动取消）。商家需重新授权：{LINK_ZH}。"),
            format!("The merchant's authorization was revoked (a test user's also lapses after 10 days). The merchant must authorize again: {LINK_EN}."),
        ),
        (Verdict::Reauthorize, _) => with_link(
            format!("应用已获取{pkg_zh}，但商家的 token 里没有（后来获取的权限包不会加进旧 token）。{LINK_ZH}。链接包含应用已获取的全部权限包。"),
            format!("The app holds {pkg_en} but the merchant's token lacks it (packages added later never reach old tokens): {LINK_EN}. The link carries every package the app holds."),
        ),
        (Verdict::RefreshToken, _) => (
            "access_token 已过期（有效期 48 小时）。开发者：在服务端用 refresh_token 调用 /oauth2/refresh_token 换取新的 access_token。商家无需操作，不需要授权链接。".to_string(),
            "The access token expired (it lives 48 hours). Developer: have your server call /oauth2/refresh_token with the refresh token for a new access token. Nothing for the merchant to do; no link needed.".to_string(),
        ),
        (Verdict::CheckToken, _) => {
            let what_zh = if pkg_zh.is_empty() { "所需的权限包".to_string() } else { pkg_zh.clone() };
            let what_en = if pkg_en.is_empty() { "the package needed".to_string() } else { pkg_en.clone() };
            (
                format!("「鉴权失败」可能是 token 过期、缺少权限包或授权被取消。开发者：把这个 access_token 粘贴到授权查询工具（控制台 → 工具 → 授权查询）点「查询」，看它是否过期、是否包含{what_zh}；Scope Doctor 读到结果后会给出结论。"),
                format!("鉴权失败 may be an expired token, a missing package or a revoked grant. Developer: paste the access token into 授权查询工具 (控制台 → 工具 → 授权查询) and click 查询 to see whether it expired and whether it has {what_en}; Scope Doctor decides once it reads the result."),
            )
        }
        (Verdict::AddUser, _) => with_link(
            format!("商家账号不是此应用的测试用户或授权用户。应用负责人：在授权管理中添加商家的用户 ID（应用上线前加到「测试用户」，最多 5 个；上线后加到「授权用户」），然后{LINK_ZH}。"),
            format!("The merchant's account is neither a test user nor an authorized user of this app. The app owner adds the merchant's user ID in 授权管理 (under 测试用户 before the app is online, at most 5; under 授权用户 after), then {LINK_EN}."),
        ),
        (Verdict::FixLink, _) => with_link(
            "授权页显示 Invalid url：链接的 app_id 不存在，或 redirect_uri 与应用详情页的回调地址不完全一致（http/https、末尾的 /、未编码的参数都算不一致）。把更正后的第一个链接发给商家。".to_string(),
            "The authorization page says Invalid url: the link's app_id is unknown, or its redirect_uri is not exactly the app's 回调地址 (http vs https, a trailing /, an unencoded query all differ). Send the merchant the corrected first link.".to_string(),
        ),
        (Verdict::TokenHasScope, _) => (
            format!("授权查询工具显示这个 token 已包含{pkg_zh}：不是缺少权限包。请检查是否用错了 token、应用或商家（每个商家、每个应用的 token 都不同）。"),
            format!("授权查询工具 shows this token already has {pkg_en}: no package is missing. Check for the wrong token, the wrong app or the wrong merchant (tokens are per merchant and per app)."),
        ),
        // Nothing names the failing call: no page can tell its package until the user says which.
        (Verdict::UnknownScope, _) if f.api.is_none() => (
            "这段错误没有写明是哪个 API 调用失败，所以无法判断缺少哪个权限包。请连同调用的方法名（如 open.item.get）一起粘贴错误，或打开该 API 的文档页（API 详情）。".to_string(),
            "The error does not say which API call failed, so the missing package cannot be told. Paste the error together with the method called (e.g. open.item.get), or open that API's detail page.".to_string(),
        ),
        (Verdict::UnknownScope, _) if f.needs_page == Some(NeedsPage::AppDetail) => (
            format!("{api} 需要权限包{pkg_zh}。打开{APP_PAGE_ZH}，即可判断是申请权限包还是让商家重新授权。"),
            format!("{api} needs the package {pkg_en}. Open {APP_PAGE_EN} to tell whether to apply for it or have the merchant re-authorize."),
        ),
        (Verdict::UnknownScope, _) => (
            format!("不知道 {api} 属于哪个权限包。打开该 API 的文档页（API 详情），页面底部的权限说明会写明。"),
            format!("The package of {api} is not known. Open its API detail page: the permission section at the bottom names it."),
        ),
        (Verdict::ServiceMarket, _) if f.failure == Some(FailureKind::ServiceNotOrdered) => (
            "商家还没有订购此服务（或应用不允许此用户授权）。商家：先在服务市场订购服务，再在服务市场 → 本店授权服务 → 使用服务 中授权。没有授权链接。".to_string(),
            "The merchant has not ordered the service (or the app does not allow this user). The merchant orders it in 服务市场 first, then authorizes in 服务市场 → 本店授权服务 → 使用服务. No link applies.".to_string(),
        ),
        (Verdict::ServiceMarket, _) => (
            format!("「{app_name}」是服务市场（第三方）应用，已获取{pkg_zh}。商家：在服务市场 → 本店授权服务 → 使用服务 中重新授权。没有授权链接。"),
            format!("{app_name} is a service-market (third-party) app holding {pkg_en}. The merchant re-authorizes in 服务市场 → 本店授权服务 → 使用服务. No link applies."),
        ),
        (Verdict::NotScopeError, Some(Cause::Quota)) => (
            "调用超过了频率（QPS）或每日额度限制：稍后重试或降低调用频率（测试用户每天 2,000 次）。不是授权问题，不需要链接。".to_string(),
            "The call hit a QPS or daily quota limit: retry later or call less often (test users get 2,000 calls a day). Not an authorization problem; no link.".to_string(),
        ),
        (Verdict::NotScopeError, Some(Cause::Business)) => match BUSINESS_ERRORS.iter().find(|(code, ..)| f.code.as_deref() == Some(*code)) {
            Some((_, zh, en)) => (zh.to_string(), en.to_string()),
            None => (
                "这是业务错误，不是授权问题（例如 1800608 表示商家未开通该服务）：按错误信息处理商家或服务的状态，不需要链接。".to_string(),
                "This is a business error, not an authorization problem (e.g. 1800608 means the merchant has not opened the service): act on the message; no link.".to_string(),
            ),
        },
        (Verdict::NotScopeError, _) => (
            "Scope Doctor 不认识这个错误，无法判断原因，所以不给出授权链接。".to_string(),
            "Scope Doctor does not know this error, so it cannot say who must act and gives no link.".to_string(),
        ),
    };
    if f.verdict == Verdict::NotScopeError && f.cause == Some(Cause::Unrecognized) && f.scope.is_some() {
        let (status_zh, status_en) = status_words(f.status);
        let app_zh = if app.is_some() { format!("，应用对它的状态是「{status_zh}」") } else { String::new() };
        let app_en = if app.is_some() { format!("; the app's status for it: {status_en}") } else { String::new() };
        zh += &format!("供参考：{api} 属于{pkg_zh}{app_zh}。");
        en += &format!(" For context: {api} belongs to {pkg_en}{app_en}.");
    }
    if let (Some(id), Some(user)) = (f.merchant.as_deref(), f.user) {
        let (more_zh, more_en) = match (user.listed, user.authorized) {
            (true, true) => (
                format!("用户 {id} 在授权管理中，已建立授权（测试用户的授权 10 天后自动取消）。"),
                format!("User {id} is listed in 授权管理 and authorized (a test user's authorization lapses after 10 days)."),
            ),
            (true, false) => (
                format!("用户 {id} 在授权管理中，但还没有建立授权：发起授权并把第一个链接发给他。"),
                format!("User {id} is listed in 授权管理 but not authorized: start 发起授权 and send them the first link."),
            ),
            (false, _) => (
                format!("用户 {id} 不在授权管理的测试用户/授权用户中：先添加。"),
                format!("User {id} is not among 授权管理's test or authorized users: add them first."),
            ),
        };
        zh += &more_zh;
        en = format!("{en} {more_en}");
    }
    Explanation { zh, en }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Package;

    fn app(statuses: &[(&str, Status)], app_type: Option<AppType>) -> App {
        App {
            app_key: "ks100".into(),
            app_name: Some("助手".into()),
            callback: Some("https://cb.example/x".into()),
            app_type,
            packages: statuses.iter().map(|(s, st)| Package { scope: s.to_string(), status: *st, anchor: None, name: None }).collect(),
        }
    }

    fn failing(api: &str, kind: FailureKind) -> Failure {
        Failure { api: Some(api.into()), merchant: None, kind, code: None, message: String::new(), count: 1 }
    }

    fn api_less(kind: FailureKind) -> Failure {
        Failure { api: None, ..failing("x", kind) }
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
        assert_eq!((f.verdict, f.cause), (Verdict::Reauthorize, Some(Cause::ScopeNotGranted)));
        assert_eq!(link::scopes_of_link(f.auth_link.as_deref().unwrap()), vec!["user_info", "merchant_item"]);
        assert_eq!(decide(&failing("open.order.cursor.list", scope), known).verdict, Verdict::Apply);
        assert_eq!(decide(&failing("open.refund.reject", scope), known).verdict, Verdict::Pending);
        assert_eq!(
            decide(&failing("open.logistics.express.template.list", scope), known).verdict,
            Verdict::Apply,
            "not listed at all = not held"
        );
        let business = decide(&failing("open.item.get", FailureKind::Business), known);
        assert_eq!((business.verdict, business.cause, business.auth_link), (Verdict::NotScopeError, Some(Cause::Business), None));
        assert_eq!(decide(&failing("open.no.such.api", scope), known).verdict, Verdict::UnknownScope);
        let token = vec!["merchant_item".to_string()];
        assert_eq!(
            decide(&failing("open.item.get", scope), Knowledge { token_scopes: Some(&token), ..known }).verdict,
            Verdict::TokenHasScope
        );
        let f = decide(&failing("open.item.get", scope), Knowledge::default());
        assert_eq!((f.verdict, f.needs_page, f.auth_link), (Verdict::UnknownScope, Some(NeedsPage::AppDetail), None));
        assert_eq!(decide(&failing("open.item.get", FailureKind::ExpiredToken), known).verdict, Verdict::RefreshToken);
        let refresh = decide(&api_less(FailureKind::RefreshTokenExpired), known);
        assert_eq!((refresh.verdict, refresh.cause, refresh.api), (Verdict::Reauthorize, Some(Cause::RefreshTokenExpired), None));
        assert!(refresh.auth_link.is_some());
        assert_eq!(decide(&api_less(FailureKind::NotAppUser), known).verdict, Verdict::AddUser);
        assert_eq!(decide(&api_less(FailureKind::InvalidUrl), known).verdict, Verdict::FixLink);
        assert_eq!(decide(&api_less(FailureKind::ServiceNotOrdered), known).verdict, Verdict::ServiceMarket);
        let quota = decide(&failing("open.item.get", FailureKind::Quota), known);
        assert_eq!((quota.verdict, quota.cause), (Verdict::NotScopeError, Some(Cause::Quota)));
    }

    #[test]
    fn business_errors_say_what_they_mean() {
        let cases = [
            (r#"{"result":27,"error_msg":"验签失败"}"#, "signSecret"),
            (r#"{"result":26,"error_msg":"主账号不存在"}"#, "client_credentials"),
            (r#"{"result":21,"error_msg":"order operation reject"}"#, "好物联盟"),
            (r#"{"data":null,"result":1800608,"error_msg":"暂无站外分销推广权限"}"#, "快赚客"),
            (r#"{"result":300012,"error_msg":"REFUND ORDER OPERATION REJECT"}"#, "another merchant"),
            (r#"{"result":300011,"error_msg":"退款单不存在"}"#, "does not exist"),
        ];
        for (text, says) in cases {
            let failures = crate::failure::parse(text);
            let f = decide(&failures[0], Knowledge::default());
            assert_eq!((f.verdict, f.cause, f.auth_link.as_deref()), (Verdict::NotScopeError, Some(Cause::Business), None), "{text}");
            assert!(f.explain.en.contains(says), "{text} → {}", f.explain.en);
        }
        // A business error without a code the table knows keeps the general wording.
        let f = decide(&failing("open.item.get", FailureKind::Business), Knowledge::default());
        assert!(f.explain.en.starts_with("This is a business error"), "{}", f.explain.en);
    }

    #[test]
    fn service_market_apps_apply_first() {
        let isv = app(&[("merchant_item", Status::Owned), ("merchant_order", Status::Missing)], Some(AppType::ServiceMarket));
        let known = Knowledge { app: Some(&isv), ..Default::default() };
        let held = decide(&failing("open.item.get", FailureKind::MissingScope), known);
        assert_eq!((held.verdict, held.auth_link), (Verdict::ServiceMarket, None));
        assert_eq!(decide(&failing("open.order.cursor.list", FailureKind::MissingScope), known).verdict, Verdict::Apply);
    }

    #[test]
    fn bare_auth_failure_is_decided_by_evidence() {
        let owned = app(&[("merchant_item", Status::Owned), ("merchant_order", Status::Missing)], None);
        let known = Knowledge { app: Some(&owned), ..Default::default() };
        let auth = FailureKind::AuthFailed;
        assert_eq!(decide(&failing("open.item.get", auth), known).verdict, Verdict::CheckToken);
        assert_eq!(decide(&failing("open.order.cursor.list", auth), known).verdict, Verdict::Apply);
        let lacks = vec!["user_info".to_string()];
        let f = decide(&failing("open.item.get", auth), Knowledge { token_scopes: Some(&lacks), ..known });
        assert_eq!((f.verdict, f.cause), (Verdict::Reauthorize, Some(Cause::ScopeNotGranted)));
        let has = vec!["merchant_item".to_string()];
        assert_eq!(
            decide(&failing("open.item.get", auth), Knowledge { token_scopes: Some(&has), ..known }).verdict,
            Verdict::TokenHasScope
        );
        let f = decide(&api_less(auth), known);
        assert_eq!((f.verdict, f.auth_link), (Verdict::CheckToken, None));
    }

    #[test]
    fn unrecognised_errors_say_so_with_context_and_no_link() {
        let owned = app(&[("merchant_item", Status::Owned)], None);
        let f = decide(&failing("open.item.get", FailureKind::Unrecognized), Knowledge { app: Some(&owned), ..Default::default() });
        assert_eq!(
            (f.verdict, f.cause, f.auth_link, f.status),
            (Verdict::NotScopeError, Some(Cause::Unrecognized), None, Some(Status::Owned))
        );
        assert!(f.explain.en.starts_with("Scope Doctor does not know this error"), "{}", f.explain.en);
        assert!(f.explain.zh.contains("商品信息（merchant_item）") && f.explain.zh.contains("已获取"), "{}", f.explain.zh);
    }

    #[test]
    fn a_named_user_is_looked_up_in_the_users_page() {
        let owned = app(&[("merchant_item", Status::Owned)], None);
        let users = vec![User { id: "1001".into(), authorized: true, anchor: None }];
        let known = Knowledge { app: Some(&owned), users: Some(&users), ..Default::default() };
        let mut f = api_less(FailureKind::NotAppUser);
        f.merchant = Some("2002".into());
        let found = decide(&f, known);
        assert_eq!(found.user, Some(UserStanding { listed: false, authorized: false }));
        assert!(found.explain.zh.contains("用户 2002 不在授权管理"), "{}", found.explain.zh);
        f.merchant = Some("1001".into());
        assert_eq!(decide(&f, known).user, Some(UserStanding { listed: true, authorized: true }));
    }

    #[test]
    fn a_page_overrides_the_catalog() {
        let owned = app(&[("merchant_item", Status::Missing), ("merchant_video", Status::Owned)], None);
        let learned = vec![Learned { api: "open.item.get".into(), scopes: vec!["merchant_video".into()] }];
        let f = decide(
            &failing("open.item.get", FailureKind::MissingScope),
            Knowledge { app: Some(&owned), learned: &learned, ..Default::default() },
        );
        assert_eq!(
            (f.verdict, f.scope.as_deref(), f.scope_source),
            (Verdict::Reauthorize, Some("merchant_video"), Some(ScopeSource::Page))
        );
    }
}
