//! The link doctor (contract.md `check-link`): why an authorization link fails (`Invalid url`,
//! a package missing from the merchant's new token), and the corrected first link.
//!
//! Pure and small: it runs in the extension as wasm, so no `url` crate and no regex. Hostile
//! input (huge, odd bytes, `%zz`) never panics, and values are shown whole, never clipped.

use std::collections::HashMap;

use percent_encoding::percent_decode;
use serde::{Deserialize, Serialize};

use crate::link::{FIRST_LINK_BASE, SECOND_LINK_BASE};
use crate::model::App;
use crate::text::{joined, sorted_by};

const PC_HOST: &str = "open.kwaixiaodian.com";
const PC_PATH: &str = "/oauth/authorize";
const MOBILE_HOST: &str = "open.kuaishou.com";
const MOBILE_PATH: &str = "/oauth2/authorize";

/// The verdict on one link, as `scope-doctor check-link --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCheck {
    pub link: String,
    pub ok: bool,
    pub app_key: Option<String>,
    pub problems: Vec<Problem>,
    pub fixed_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: ProblemCode,
    /// English: what is wrong, naming the actual values, and who does what.
    pub detail: String,
    /// The same in Chinese.
    pub zh: String,
}

/// Declared in the contract table's order: `Ord` sorts problems into that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemCode {
    NotAuthorizeUrl,
    AppIdOldForm,
    AppIdMissing,
    AppIdUnknown,
    RedirectUriMissing,
    RedirectUriMismatch,
    UnknownParameter,
    DuplicateParameter,
    ScopeMissing,
    ScopeNotHeld,
    ScopeLacksHeld,
    ResponseTypeWrong,
}

impl ProblemCode {
    /// The contract's code, as serde writes it (for `data-sd-link-problem`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::NotAuthorizeUrl => "not-authorize-url",
            ProblemCode::AppIdOldForm => "app-id-old-form",
            ProblemCode::AppIdMissing => "app-id-missing",
            ProblemCode::AppIdUnknown => "app-id-unknown",
            ProblemCode::RedirectUriMissing => "redirect-uri-missing",
            ProblemCode::RedirectUriMismatch => "redirect-uri-mismatch",
            ProblemCode::UnknownParameter => "unknown-parameter",
            ProblemCode::DuplicateParameter => "duplicate-parameter",
            ProblemCode::ScopeMissing => "scope-missing",
            ProblemCode::ScopeNotHeld => "scope-not-held",
            ProblemCode::ScopeLacksHeld => "scope-lacks-held",
            ProblemCode::ResponseTypeWrong => "response-type-wrong",
        }
    }
}

/// The parameters the platform reads; the old camelCase forms count as the same parameter
/// (flagged once as `app-id-old-form`), so they are neither "missing" nor "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Known {
    AppId,
    RedirectUri,
    Scope,
    ResponseType,
    State,
}

/// One `key=value` pair of the query, decoded.
struct Param<'a> {
    raw_key: &'a str,
    key: Vec<u8>,
    raw_value: &'a str,
    value: Vec<u8>,
}

impl Param<'_> {
    fn known(&self) -> Option<(Known, bool)> {
        // (parameter, written in the old camelCase form)
        match self.key.as_slice() {
            b"app_id" => Some((Known::AppId, false)),
            b"appId" => Some((Known::AppId, true)),
            b"redirect_uri" => Some((Known::RedirectUri, false)),
            b"redirectUri" => Some((Known::RedirectUri, true)),
            b"scope" => Some((Known::Scope, false)),
            b"response_type" => Some((Known::ResponseType, false)),
            b"state" => Some((Known::State, false)),
            _ => None,
        }
    }
    fn shown_key(&self) -> String {
        shown(&self.key, self.raw_key)
    }
    fn shown_value(&self) -> String {
        shown(&self.value, self.raw_value)
    }
}

/// Decodes a query component. `+` becomes a space first, as in form encoding: the platform's
/// server reads the query as form data (like Java's `getParameter`), so a literal plus only
/// survives as `%2B` — which `encodeURIComponent`, and so the console's link, always writes.
fn form_decode(raw: &str) -> Vec<u8> {
    let spaced = raw.replace('+', " ");
    // Invalid escapes (`%zz`, a lone `%`) stay as they are, as servers leave them.
    percent_decode(spaced.as_bytes()).collect()
}

/// A decoded value as text: the decoded form when it is UTF-8, else the link's own bytes —
/// whole either way.
fn shown(decoded: &[u8], raw: &str) -> String {
    match std::str::from_utf8(decoded) {
        Ok(text) => text.to_string(),
        Err(_) => raw.to_string(),
    }
}

/// A link split into its parts (RFC 3986 shape, no normalisation but the host's case).
struct Parts<'a> {
    scheme: &'a str,
    authority: &'a str,
    path: &'a str,
    query: &'a str,
}

/// `None` when the text is not a URL at all: no `scheme://`, and not a known host pasted
/// without its scheme (then the rest is still worth checking).
fn split_url(link: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = match link.find("://") {
        Some(at)
            if at > 0
                && link.as_bytes()[0].is_ascii_alphabetic()
                && link[..at].bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) =>
        {
            (&link[..at], &link[at + 3..])
        }
        _ => {
            let lower = link.get(..MOBILE_HOST.len().max(PC_HOST.len()) + 1).unwrap_or(link).to_ascii_lowercase();
            let bare = [PC_HOST, MOBILE_HOST]
                .iter()
                .any(|h| lower.starts_with(h) && matches!(lower.as_bytes().get(h.len()), Some(b'/' | b'?' | b'#' | b':') | None));
            if !bare {
                return None;
            }
            ("", link)
        }
    };
    // The fragment never reaches the server: what follows a raw `#` is not part of the query.
    let rest = rest.split('#').next().unwrap_or("");
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match before_query.find('/') {
        Some(at) => before_query.split_at(at),
        None => (before_query, ""),
    };
    Some(Parts { scheme, authority, path, query })
}

/// True when the parts name the PC or the mobile authorization page. Scheme and host compare
/// case-insensitively (browsers lower-case both); `:443` is https's own port; the path is exact.
fn is_authorize_base(parts: &Parts<'_>) -> bool {
    let authority = parts.authority.to_ascii_lowercase();
    let host = authority.strip_suffix(":443").unwrap_or(&authority);
    parts.scheme.eq_ignore_ascii_case("https")
        && ((host == PC_HOST && parts.path == PC_PATH) || (host == MOBILE_HOST && parts.path == MOBILE_PATH))
}

/// The status of a package as the app detail page names it, for the detail texts.
fn status_words(app: &App, scope: &str) -> (&'static str, &'static str) {
    use crate::model::Status;
    match app.status_of(scope) {
        Some(Status::Owned) => ("已获取", "已获取"),
        Some(Status::Missing) => ("未获取", "未获取"),
        Some(Status::Pending) => ("申请中, under review", "申请中，审核中"),
        None => ("not listed on the app's page", "应用详情中未列出"),
    }
}

/// Checks an authorization link against the contract's rules and, when given, the app pages.
pub fn check_link(link: &str, apps: &[App]) -> LinkCheck {
    let link = link.trim();
    let mut found = Found::default();
    let parts = split_url(link);
    let params: Vec<Param<'_>> = parts
        .as_ref()
        .map(|p| p.query)
        .unwrap_or("")
        .split('&')
        // `a&&b` or a trailing `&` hold no parameter.
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            Param { raw_key, key: form_decode(raw_key), raw_value, value: form_decode(raw_value) }
        })
        .collect();

    // The first occurrence wins, as on a server; a second one is `duplicate-parameter`.
    let first = |which: Known| params.iter().find(|p| p.known().map(|k| k.0) == Some(which));
    let app_id = first(Known::AppId).map(Param::shown_value).filter(|v| !v.is_empty());
    let app = match &app_id {
        Some(key) => apps.iter().find(|a| &a.app_key == key),
        None if apps.len() == 1 => apps.first(),
        None => None,
    };
    let fixed_link = app.and_then(|a| crate::link::for_app(a).ok()).map(|l| l.first);
    let fix = Fix(fixed_link.is_some());
    // Only the app the link names runs the checks that need an app, not a lone app guessed.
    let named_app = app.filter(|_| app_id.is_some());

    match &parts {
        None => found.add(
            ProblemCode::NotAuthorizeUrl,
            format!("This is not a link: {link:?}. Developer: {}.", fix.en()),
            format!("这不是一个链接：{link:?}。开发者：{}。", fix.zh()),
        ),
        Some(p) if !is_authorize_base(p) => {
            let base = link.split(&['?', '#'][..]).next().unwrap_or("");
            found.add(
                ProblemCode::NotAuthorizeUrl,
                format!("The link goes to {base}, not the authorization page {FIRST_LINK_BASE} (or the mobile {SECOND_LINK_BASE}). Developer: {}.", fix.en()),
                format!("链接指向 {base}，而不是授权页 {FIRST_LINK_BASE}（或移动端 {SECOND_LINK_BASE}）。开发者：{}。", fix.zh()),
            )
        }
        Some(_) => {}
    }
    if parts.is_none() {
        return found.finish(link, app_id, fixed_link);
    }

    let mut old: Vec<String> =
        sorted_by(params.iter().filter(|p| p.known().is_some_and(|k| k.1)).map(Param::shown_key).collect(), |a, b| a < b);
    old.dedup();
    if !old.is_empty() {
        let old = joined(&old, ", ");
        found.add(
            ProblemCode::AppIdOldForm,
            format!("The link uses {old}; the platform reads app_id and redirect_uri. Developer: {}.", fix.en()),
            format!("链接使用了 {old}；平台只认 app_id 和 redirect_uri。开发者：{}。", fix.zh()),
        );
    }

    match (&app_id, named_app) {
        (None, _) => found.add(
            ProblemCode::AppIdMissing,
            format!("The link has no app_id (the app's appKey). Developer: {}.", fix.en_or("add app_id=<appKey>")),
            format!("链接缺少 app_id（应用的 appKey）。开发者：{}。", fix.zh_or("补上 app_id=<appKey>")),
        ),
        (Some(key), None) if !apps.is_empty() => {
            let known: Vec<&str> = apps.iter().map(|a| a.app_key.as_str()).collect();
            let known = joined(&known, ", ");
            found.add(
                ProblemCode::AppIdUnknown,
                format!("app_id is {key}, but the app pages given are for {known}: the platform shows Invalid url for an unknown app_id. Developer: check the appKey on the app detail page (应用详情), or open that app's page."),
                format!("app_id 为 {key}，但提供的应用页面是 {known}：app_id 不对时平台会显示 Invalid url。开发者：请在应用详情核对 appKey，或打开该应用的详情页。"),
            );
        }
        _ => {}
    }

    let redirect = first(Known::RedirectUri).filter(|p| !p.value.is_empty());
    match (redirect, named_app.and_then(|a| a.callback.as_deref())) {
        (None, _) => found.add(
            ProblemCode::RedirectUriMissing,
            format!(
                "The link has no redirect_uri (the app's 回调地址). Developer: {}.",
                fix.en_or("add redirect_uri=<encodeURIComponent(回调地址)>")
            ),
            format!("链接缺少 redirect_uri（应用的回调地址）。开发者：{}。", fix.zh_or("补上 redirect_uri=<encodeURIComponent(回调地址)>")),
        ),
        (Some(p), Some(callback)) if p.value != callback.as_bytes() => {
            let given = p.shown_value();
            let (why, why_zh) = mismatch_hint(&given, callback);
            found.add(
                ProblemCode::RedirectUriMismatch,
                format!("redirect_uri is {given} but the app's 回调地址 is {callback}{why}: the platform shows Invalid url unless they are byte-equal. Developer: {}.", fix.en()),
                format!("redirect_uri 为 {given}，但应用的回调地址是 {callback}{why_zh}：两者必须完全一致，否则平台显示 Invalid url。开发者：{}。", fix.zh()),
            );
        }
        _ => {}
    }

    // Unknown names in first-seen order, each once; counts per parameter for duplicates.
    let mut unknown: Vec<String> = Vec::new();
    let mut unknown_counts: HashMap<&[u8], usize> = HashMap::new();
    for p in params.iter().filter(|p| p.known().is_none()) {
        let count = unknown_counts.entry(&p.key).or_default();
        *count += 1;
        if *count == 1 {
            unknown.push(if p.key.is_empty() { format!("={}", p.raw_value) } else { p.shown_key() });
        }
    }
    if !unknown.is_empty() {
        let names = joined(&unknown, ", ");
        // The usual cause: a 回调地址 with its own query pasted unencoded, so its `&` split it.
        let leaked = redirect.is_some_and(|p| p.raw_value.contains('?'))
            || named_app.and_then(|a| a.callback.as_deref()).is_some_and(|c| c.contains('&'));
        let (why, why_zh) = if leaked {
            (
                " — the 回调地址's own query was pasted unencoded, so its & split it into extra parameters; redirect_uri must be encodeURIComponent(回调地址)",
                "——回调地址自带的查询参数未编码，其中的 & 把它拆成了多余的参数；redirect_uri 必须是 encodeURIComponent(回调地址)",
            )
        } else {
            ("", "")
        };
        found.add(
            ProblemCode::UnknownParameter,
            format!("The link has parameters the platform does not take: {names}{why}. Only app_id, redirect_uri, scope, response_type and state belong. Developer: {}.", fix.en_or("remove them")),
            format!("链接含有平台不接受的参数：{names}{why_zh}。只应有 app_id、redirect_uri、scope、response_type 和 state。开发者：{}。", fix.zh_or("删除这些参数")),
        );
    }

    let mut twice: Vec<String> = Vec::new();
    for k in [Known::AppId, Known::RedirectUri, Known::Scope, Known::ResponseType, Known::State] {
        let n = params.iter().filter(|p| p.known().is_some_and(|(known, _)| known == k)).count();
        if n < 2 {
            continue;
        }
        let name = match k {
            Known::AppId => "app_id",
            Known::RedirectUri => "redirect_uri",
            Known::Scope => "scope",
            Known::ResponseType => "response_type",
            Known::State => "state",
        };
        twice.push(format!("{name} ({n}×)"));
    }
    for p in &params {
        if let Some(n) = unknown_counts.remove(p.key.as_slice()).filter(|n| *n > 1) {
            twice.push(format!("{} ({n}×)", p.shown_key()));
        }
    }
    if !twice.is_empty() {
        let names = joined(&twice, ", ");
        found.add(
            ProblemCode::DuplicateParameter,
            format!(
                "Parameters given more than once: {names}; the platform reads only one of each. Developer: {}.",
                fix.en_or("give each parameter once")
            ),
            format!("参数重复出现：{names}；平台每个参数只读一个。开发者：{}。", fix.zh_or("让每个参数只出现一次")),
        );
    }

    let scope_value = first(Known::Scope).map(|p| String::from_utf8_lossy(&p.value).into_owned());
    let items: Vec<&str> = scope_value.as_deref().unwrap_or("").split(',').filter(|s| !s.is_empty()).collect();
    let owned = named_app.map(App::owned_scopes);
    if items.is_empty() {
        let held = owned.as_ref().filter(|o| !o.is_empty()).map(|o| joined(o, ","));
        let (want, want_zh) = match &held {
            Some(h) => (format!("scope={h} (every package the app holds, 已获取)"), format!("scope={h}（应用已获取的全部权限包）")),
            None => (
                "scope=<every package the app holds (已获取), joined with ,>".to_string(),
                "scope=<应用已获取的全部权限包，用 , 连接>".to_string(),
            ),
        };
        found.add(
            ProblemCode::ScopeMissing,
            format!(
                "The link has no scope, or an empty one: the merchant would grant no package. Developer: {}.",
                fix.en_or(&format!("add {want}"))
            ),
            format!("链接缺少 scope 或 scope 为空：商家授权后不会得到任何权限包。开发者：{}。", fix.zh_or(&format!("补上 {want_zh}"))),
        );
    }
    if let (Some(app), Some(owned)) = (named_app, &owned) {
        let mut not_held: Vec<&str> = Vec::new();
        for item in &items {
            if !owned.iter().any(|o| o == item) && !not_held.contains(item) {
                not_held.push(item);
            }
        }
        if !not_held.is_empty() {
            let en: Vec<String> = not_held.iter().map(|s| format!("{s} ({})", status_words(app, s).0)).collect();
            let zh: Vec<String> = not_held.iter().map(|s| format!("{s}（{}）", status_words(app, s).1)).collect();
            found.add(
                ProblemCode::ScopeNotHeld,
                format!("scope asks for packages the app does not hold: {}. Developer: {}. App owner: a package the app lacks must be applied for (申请) on the app detail page first.", joined(&en, ", "), fix.en_or("remove them")),
                format!("scope 包含应用未获取的权限包：{}。开发者：{}。应用负责人：应用缺少的权限包需先在应用详情页申请。", joined(&zh, "，"), fix.zh_or("删除这些权限包")),
            );
        }
        let lacking: Vec<&str> = owned.iter().map(String::as_str).filter(|o| !items.contains(o)).collect();
        if !items.is_empty() && !lacking.is_empty() {
            let names = joined(&lacking, ", ");
            found.add(
                ProblemCode::ScopeLacksHeld,
                format!(
                    "scope leaves out packages the app holds (已获取): {names}; the merchant's new token would lack them. Developer: {}.",
                    fix.en_or("add them to scope")
                ),
                format!(
                    "scope 漏掉了应用已获取的权限包：{names}；商家的新 token 将缺少这些权限。开发者：{}。",
                    fix.zh_or("把它们加入 scope")
                ),
            );
        }
    }

    match first(Known::ResponseType) {
        Some(p) if p.value == b"code" => {}
        given => {
            let (what, what_zh) = match given {
                Some(p) => (format!("response_type is {:?}", p.shown_value()), format!("response_type 为 {:?}", p.shown_value())),
                None => ("The link has no response_type".to_string(), "链接缺少 response_type".to_string()),
            };
            found.add(
                ProblemCode::ResponseTypeWrong,
                format!("{what}; it must be code. Developer: {}.", fix.en_or("set response_type=code")),
                format!("{what_zh}；必须为 code。开发者：{}。", fix.zh_or("设置 response_type=code")),
            );
        }
    }

    found.finish(link, app_id, fixed_link)
}

/// Names the usual slip behind a mismatch, so the developer sees it at a glance.
fn mismatch_hint(given: &str, callback: &str) -> (&'static str, &'static str) {
    let swap_scheme = |s: &str| s.strip_prefix("http://").map(|rest| format!("https://{rest}"));
    if given.strip_suffix('/') == Some(callback) {
        (" (a trailing / the 回调地址 does not have)", "（多了回调地址没有的结尾 /）")
    } else if callback.strip_suffix('/') == Some(given) {
        (" (the 回调地址's trailing / is missing)", "（少了回调地址结尾的 /）")
    } else if swap_scheme(given).as_deref() == Some(callback) {
        (" (http:// instead of https://)", "（用了 http:// 而不是 https://）")
    } else if swap_scheme(callback).as_deref() == Some(given) {
        (" (https:// instead of http://)", "（用了 https:// 而不是 http://）")
    } else if callback.len() > given.len() && callback.starts_with(given) && callback[given.len()..].starts_with(&['&', '#'][..]) {
        (" (cut at the 回调地址's own & or #, which was not percent-encoded)", "（回调地址中的 & 或 # 未编码，被截断）")
    } else {
        ("", "")
    }
}

/// Who acts and what: the corrected link when Scope Doctor could build it, else the console's.
#[derive(Clone, Copy)]
struct Fix(bool);

impl Fix {
    fn en(self) -> &'static str {
        if self.0 {
            "use the corrected link"
        } else {
            "copy the first link from 授权管理 → 发起授权 (复制第一个链接), or open the app detail page so Scope Doctor can build it"
        }
    }
    fn zh(self) -> &'static str {
        if self.0 {
            "请使用修正后的链接"
        } else {
            "请在 授权管理 → 发起授权 中点击“复制第一个链接”，或打开应用详情页以便 Scope Doctor 生成正确链接"
        }
    }
    /// A specific repair when no corrected link exists.
    fn en_or(self, repair: &str) -> String {
        if self.0 {
            self.en().to_string()
        } else {
            format!("{repair}, or {}", self.en())
        }
    }
    fn zh_or(self, repair: &str) -> String {
        if self.0 {
            self.zh().to_string()
        } else {
            format!("{repair}，或{}", self.zh())
        }
    }
}

#[derive(Default)]
struct Found(Vec<Problem>);

impl Found {
    fn add(&mut self, code: ProblemCode, detail: String, zh: String) {
        if !self.0.iter().any(|p| p.code == code) {
            self.0.push(Problem { code, detail, zh });
        }
    }
    fn finish(self, link: &str, app_key: Option<String>, fixed_link: Option<String>) -> LinkCheck {
        let problems = sorted_by(self.0, |a, b| a.code < b.code);
        LinkCheck { link: link.to_string(), ok: problems.is_empty(), app_key, problems, fixed_link }
    }
}

/// Every authorization link (PC or mobile base) found in free text (a log line, a pasted message), whole, in order; a link ends at whitespace, a quote, `<`, `>` or a closing bracket/paren that is not part of it.
pub fn links_in(text: &str) -> Vec<String> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` index `text`.
    let lower = text.to_ascii_lowercase();
    let bases = ["open.kwaixiaodian.com/oauth/authorize", "open.kuaishou.com/oauth2/authorize"];
    let mut links = Vec::new();
    let mut from = 0;
    // Each base's next occurrence, searched again only once passed: linear in the text.
    let mut ahead = bases.map(|b| lower.find(b));
    while from < lower.len() {
        for (slot, base) in ahead.iter_mut().zip(bases) {
            if slot.is_some_and(|at| at < from) {
                *slot = lower[from..].find(base).map(|i| from + i);
            }
        }
        let Some((at, base)) = ahead.iter().zip(bases).filter_map(|(at, b)| at.map(|at| (at, b))).min() else {
            break;
        };
        let next = at + base.len();
        let start = ["https://", "http://"].iter().find(|s| lower[..at].ends_with(*s)).map(|s| at - s.len());
        // `/oauth/authorizeX` is another path, not this page.
        let whole_path = !lower.as_bytes().get(next).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        match start {
            Some(start) if whole_path => {
                let end = link_end(text, start);
                links.push(text[start..end].to_string());
                from = end;
            }
            _ => from = next,
        }
    }
    links
}

/// Where the link starting at `start` ends.
fn link_end(text: &str, start: usize) -> usize {
    // A link opened by `'` ends at the next `'`; elsewhere `'` may be part of it
    // (`encodeURIComponent` leaves `'` alone, so a 回调地址 may carry one).
    let quoted = text[..start].ends_with('\'');
    let hard_end = text[start..]
        .char_indices()
        .find(|&(_, c)| match c {
            '\'' => quoted,
            '"' | '`' | '<' | '>' => true,
            // Quotes, brackets and sentence marks of CJK text: the console percent-encodes
            // every non-ASCII character, so these never belong to a link.
            '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '（' | '）' | '【' | '】' | '《' | '》' | '，' | '。' | '；' | '！'
            | '？' | '、' => true,
            c => c.is_whitespace(),
        })
        .map_or(text.len(), |(i, _)| start + i);
    let link = &text[start..hard_end];
    let bytes = link.as_bytes();
    // A closing bracket the link did not open ends it — unless the query goes on after it
    // (an `&` or `=` comes before any other `://`): `encodeURIComponent` leaves `(` and `)`
    // alone, so a 回调地址 may hold a lone `)`. The next positions are cached: linear time.
    let mut next_query: Option<usize> = None;
    let mut next_url: Option<usize> = None;
    let mut open: Vec<u8> = Vec::new();
    let mut end = link.len();
    for (i, &b) in bytes.iter().enumerate() {
        let opener = match b {
            b'(' | b'[' | b'{' => {
                open.push(b);
                continue;
            }
            b')' => b'(',
            b']' => b'[',
            b'}' => b'{',
            _ => continue,
        };
        if open.last() == Some(&opener) {
            open.pop();
            continue;
        }
        if next_query.is_none_or(|at| at < i) {
            next_query = Some(bytes[i..].iter().position(|c| matches!(c, b'&' | b'=')).map_or(usize::MAX, |at| i + at));
        }
        if next_url.is_none_or(|at| at < i) {
            next_url = Some(link[i..].find("://").map_or(usize::MAX, |at| i + at));
        }
        let goes_on = next_query.is_some_and(|q| q != usize::MAX && next_url.is_some_and(|u| q < u));
        if !goes_on {
            end = i;
            break;
        }
    }
    // Sentence punctuation right after a link ("…&response_type=code.") is the sentence's:
    // no parameter the link carries ends in these.
    let trimmed = link[..end].trim_end_matches(&['.', ',', ';', ':', '!', '?'][..]);
    start + trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Package, Status};

    const CB: &str = "https://a.com/cb";

    fn app(key: &str, callback: Option<&str>, packages: &[(&str, Status)]) -> App {
        App {
            app_key: key.into(),
            app_name: Some("Shop tool".into()),
            callback: callback.map(String::from),
            app_type: None,
            packages: packages.iter().map(|(s, st)| Package { scope: (*s).into(), status: *st, anchor: None, name: None }).collect(),
        }
    }

    fn shop() -> App {
        app(
            "ks100",
            Some(CB),
            &[
                ("user_info", Status::Owned),
                ("merchant_item", Status::Owned),
                ("merchant_order", Status::Missing),
                ("merchant_refund", Status::Pending),
            ],
        )
    }

    fn good() -> String {
        crate::link::for_app(&shop()).unwrap().first
    }

    fn codes(check: &LinkCheck) -> Vec<&'static str> {
        check.problems.iter().map(|p| p.code.as_str()).collect()
    }

    fn only(link: &str, apps: &[App]) -> Vec<&'static str> {
        codes(&check_link(link, apps))
    }

    #[test]
    fn the_console_link_is_ok_and_is_its_own_fix() {
        let check = check_link(&good(), &[shop()]);
        assert!(check.ok, "{check:?}");
        assert_eq!(check.app_key.as_deref(), Some("ks100"));
        assert_eq!(check.fixed_link, Some(good()));
        let mobile = crate::link::for_app(&shop()).unwrap().second;
        assert!(check_link(&mobile, &[shop()]).ok);
        // Host case and an explicit :443 are the same page.
        assert!(check_link(&good().replace("open.kwaixiaodian.com", "Open.KwaiXiaoDian.com:443"), &[shop()]).ok);
        // Without app pages only what the link itself shows is checked.
        let alone = check_link(&good(), &[]);
        assert!(alone.ok);
        assert_eq!(alone.fixed_link, None);
    }

    #[test]
    fn not_authorize_url() {
        let check = check_link("hello world", &[]);
        assert_eq!(codes(&check), ["not-authorize-url"]);
        assert_eq!(check.app_key, None);
        for base in [
            "http://open.kwaixiaodian.com/oauth/authorize",
            "https://open.kwaixiaodian.com/oauth2/authorize",
            "https://open.kuaishou.com/oauth/authorize",
            "https://evil.com/oauth/authorize",
            "https://open.kwaixiaodian.com@evil.com/oauth/authorize",
            "https://open.kwaixiaodian.com/oauth/authorize/",
        ] {
            let link = good().replacen(FIRST_LINK_BASE, base, 1);
            assert_eq!(only(&link, &[shop()]), ["not-authorize-url"], "{link}");
        }
        let check = check_link(&good().replacen("https://", "http://", 1), &[shop()]);
        assert!(check.problems[0].detail.contains("http://open.kwaixiaodian.com/oauth/authorize"));
        assert_eq!(check.fixed_link, Some(good()));
        // Pasted without its scheme: still a link to check.
        assert_eq!(only(good().trim_start_matches("https://"), &[shop()]), ["not-authorize-url"]);
    }

    #[test]
    fn app_id_old_form() {
        let link = good().replace("app_id=", "appId=").replace("redirect_uri=", "redirectUri=");
        let check = check_link(&link, &[shop()]);
        assert_eq!(codes(&check), ["app-id-old-form"]);
        assert_eq!(check.app_key.as_deref(), Some("ks100"));
        assert!(check.problems[0].detail.contains("appId, redirectUri"));
    }

    #[test]
    fn app_id_missing_and_unknown() {
        let link = good().replace("app_id=ks100&", "");
        let check = check_link(&link, &[shop()]);
        assert_eq!(codes(&check), ["app-id-missing"]);
        // No app id, one app given: that app gives the fix.
        assert_eq!(check.fixed_link, Some(good()));
        assert_eq!(check_link(&link, &[shop(), app("ks2", Some(CB), &[])]).fixed_link, None);
        assert_eq!(only(&good().replace("app_id=ks100", "app_id="), &[]), ["app-id-missing"]);

        let other = app("ks999", Some(CB), &[("user_info", Status::Owned)]);
        let check = check_link(&good(), &[other]);
        assert_eq!(codes(&check), ["app-id-unknown"]);
        assert_eq!(check.app_key.as_deref(), Some("ks100"));
        assert_eq!(check.fixed_link, None);
        assert!(check.problems[0].detail.contains("ks100") && check.problems[0].detail.contains("ks999"));
    }

    #[test]
    fn redirect_uri_missing_and_mismatch() {
        let link = good().replace("redirect_uri=https%3A%2F%2Fa.com%2Fcb&", "");
        assert_eq!(only(&link, &[shop()]), ["redirect-uri-missing"]);
        let slash = good().replace("%2Fcb", "%2Fcb%2F");
        let check = check_link(&slash, &[shop()]);
        assert_eq!(codes(&check), ["redirect-uri-mismatch"]);
        let detail = &check.problems[0].detail;
        assert!(detail.contains("redirect_uri is https://a.com/cb/ but the app's 回调地址 is https://a.com/cb"), "{detail}");
        assert!(detail.contains("use the corrected link"));
        assert!(check.problems[0].zh.contains("回调地址"));
        // Unencoded is the same value once decoded.
        assert!(check_link(&good().replace("https%3A%2F%2Fa.com%2Fcb", CB), &[shop()]).ok);
        // No app page: nothing to compare with.
        assert!(check_link(&slash, &[]).ok);
    }

    #[test]
    fn plus_is_a_space_and_odd_escapes_stay() {
        let spaced = app("ks100", Some("https://a.com/c b"), &[("user_info", Status::Owned)]);
        let link =
            "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks100&redirect_uri=https://a.com/c+b&scope=user_info&response_type=code";
        assert!(check_link(link, std::slice::from_ref(&spaced)).ok);
        let bad = link.replace("c+b", "c%zzb");
        let check = check_link(&bad, &[spaced]);
        assert_eq!(codes(&check), ["redirect-uri-mismatch"]);
        assert!(check.problems[0].detail.contains("https://a.com/c%zzb"));
    }

    #[test]
    fn unknown_parameter_from_an_unencoded_callback() {
        let cb = "https://a.com/cb?a=1&b=2";
        let with_query = app("ks100", Some(cb), &[("user_info", Status::Owned)]);
        let link = format!("{FIRST_LINK_BASE}?app_id=ks100&redirect_uri={cb}&scope=user_info&response_type=code");
        let check = check_link(&link, &[with_query]);
        assert_eq!(codes(&check), ["redirect-uri-mismatch", "unknown-parameter"]);
        assert!(check.problems[1].detail.contains(": b —"), "{}", check.problems[1].detail);
        assert!(check.problems[0].detail.contains("cut at"));
    }

    #[test]
    fn duplicate_parameter() {
        let link = format!("{}&scope=user_info,merchant_item", good());
        let check = check_link(&link, &[shop()]);
        assert_eq!(codes(&check), ["duplicate-parameter"]);
        assert!(check.problems[0].detail.contains("scope (2×)"));
        assert_eq!(only(&format!("{}&x=1&x=2", good()), &[]), ["unknown-parameter", "duplicate-parameter"]);
        assert_eq!(only(&format!("{}&appId=ks100", good()), &[shop()]), ["app-id-old-form", "duplicate-parameter"]);
    }

    #[test]
    fn scope_missing_not_held_and_lacks_held() {
        assert_eq!(only(&good().replace("scope=user_info,merchant_item&", ""), &[shop()]), ["scope-missing"]);
        let empty = good().replace("scope=user_info,merchant_item", "scope=,");
        let check = check_link(&empty, &[]);
        assert_eq!(codes(&check), ["scope-missing"]);
        assert!(check.problems[0].detail.contains("复制第一个链接"));

        let extra = good().replace("merchant_item", "merchant_item,merchant_order,merchant_refund,merchant_cs");
        let check = check_link(&extra, &[shop()]);
        assert_eq!(codes(&check), ["scope-not-held"]);
        let detail = &check.problems[0].detail;
        assert!(
            detail.contains("merchant_order (未获取")
                && detail.contains("merchant_refund (申请中")
                && detail.contains("merchant_cs (not listed"),
            "{detail}"
        );

        let lacking = good().replace("user_info,merchant_item", "user_info");
        let check = check_link(&lacking, &[shop()]);
        assert_eq!(codes(&check), ["scope-lacks-held"]);
        assert!(check.problems[0].detail.contains("merchant_item"));
        // Order does not matter; the set does.
        assert!(check_link(&good().replace("user_info,merchant_item", "merchant_item,,user_info"), &[shop()]).ok);
    }

    #[test]
    fn response_type_wrong() {
        assert_eq!(only(&good().replace("&response_type=code", ""), &[]), ["response-type-wrong"]);
        assert_eq!(only(&good().replace("response_type=code", "response_type=token"), &[]), ["response-type-wrong"]);
    }

    #[test]
    fn problems_come_once_each_in_table_order() {
        let link = "http://open.kwaixiaodian.com/oauth/authorize?appId=ks100&redirectUri=https://a.com/x&scope=merchant_order&response_type=token&x=1&x=2";
        let check = check_link(link, &[shop()]);
        assert_eq!(
            codes(&check),
            [
                "not-authorize-url",
                "app-id-old-form",
                "redirect-uri-mismatch",
                "unknown-parameter",
                "duplicate-parameter",
                "scope-not-held",
                "scope-lacks-held",
                "response-type-wrong"
            ]
        );
        assert!(!check.ok);
        assert_eq!(check.fixed_link, Some(good()));
        let json = serde_json::to_value(&check).unwrap();
        assert_eq!(json["problems"][0]["code"], "not-authorize-url");
        assert_eq!(json["app_key"], "ks100");
        let back: LinkCheck = serde_json::from_value(json).unwrap();
        assert_eq!(back, check);
    }

    #[test]
    fn every_detail_says_what_to_do() {
        let link = "http://open.kwaixiaodian.com/oauth/authorize?appId=ks100&redirectUri=https://a.com/x&scope=merchant_order&response_type=token&x=1&x=2";
        for apps in [vec![shop()], vec![]] {
            for p in check_link(link, &apps).problems {
                assert!(p.detail.contains("Developer: "), "{p:?}");
                assert!(p.zh.contains("开发者："), "{p:?}");
            }
        }
    }

    #[test]
    fn codes_serialize_as_the_contract_writes_them() {
        for code in [ProblemCode::NotAuthorizeUrl, ProblemCode::AppIdOldForm, ProblemCode::ScopeLacksHeld, ProblemCode::ResponseTypeWrong] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    #[test]
    fn finds_links_in_text() {
        let g = good();
        let text = format!("url='{g}' and (see {g}) and “{g}”。<a href=\"{g}\">x</a> {g}.\nhttps://open.kuaishou.com/oauth2/authorize?app_id=ks1 HTTPS://OPEN.KWAIXIAODIAN.COM/oauth/authorizeX nope");
        let found = links_in(&text);
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(found[..5].iter().all(|l| *l == g), "{found:#?}");
        assert_eq!(found[5], "https://open.kuaishou.com/oauth2/authorize?app_id=ks1");
        // A paren the link opened is part of it; `'` inside an unquoted link too.
        let odd = "go https://open.kwaixiaodian.com/oauth/authorize?redirect_uri=https%3A%2F%2Fa.com%2F(x)'y&scope=a) now";
        assert_eq!(links_in(odd), ["https://open.kwaixiaodian.com/oauth/authorize?redirect_uri=https%3A%2F%2Fa.com%2F(x)'y&scope=a"]);
        // A lone `)` inside a 回调地址 (encodeURIComponent keeps it) while the query goes on.
        let lone = "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks1&redirect_uri=https%3A%2F%2Fa%2F)&scope=a";
        assert_eq!(links_in(&format!("({lone})")), [lone]);
        // Markdown: a link as the text of another.
        assert_eq!(links_in(&format!("[{lone}]({lone})")), [lone, lone]);
        assert!(links_in("no links here: open.kwaixiaodian.com/oauth/authorize").is_empty());
        assert_eq!(
            links_in("http://open.kwaixiaodian.com/oauth/authorize?app_id=1"),
            ["http://open.kwaixiaodian.com/oauth/authorize?app_id=1"]
        );
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for text in [
            "",
            "%",
            "https://",
            "://x",
            "https://open.kwaixiaodian.com",
            "open.kuaishou.com",
            "https://open.kwaixiaodian.com/oauth/authorize?%zz=%&=&&+=+&app_id=%E4%B8&scope=%FF,",
            "é://ü?ü=ü",
            "https://ÖPEN.kwaixiaodian.com/oauth/authorize?",
        ] {
            let _ = check_link(text, &[shop()]);
            let _ = links_in(text);
        }
        let huge = format!("{}{}", good(), "&x=1".repeat(100_000));
        let check = check_link(&huge, &[shop()]);
        assert_eq!(codes(&check), ["unknown-parameter", "duplicate-parameter"]);
        assert_eq!(links_in(&huge.repeat(3)).len(), 1);
        // Quadratic traps stay linear: many closers, many scheme-less bases.
        let closers = format!("{}?a=1{}&b", FIRST_LINK_BASE, ")".repeat(200_000));
        assert_eq!(links_in(&closers), [closers.as_str()]);
        assert!(links_in(&"open.kuaishou.com/oauth2/authorize ".repeat(50_000)).is_empty());
    }
}
