//! What the extension shows on a page, decided here so JavaScript only draws: the badges for a
//! page reading given what the store knows, each anchored to a snapshot index. [`json`] is how
//! all of it reaches JavaScript.

pub mod json;

use crate::catalog;
use crate::diagnose::{self, Explanation, Finding, Knowledge, Verdict};
use crate::evidence::{self, Report};
use crate::link::AuthLinks;
use crate::link_check::{self, Problem};
use crate::model::{Failure, FailureKind, Status};
use crate::read::Reading;
use crate::store::State;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadgeKind {
    /// Beside the API's name on its detail page; carries the mark-failing toggle.
    Api,
    /// Beside a package row on the app page, one per failing API needing that package.
    Package,
    /// A panel at the top of the app page (and the popup's list) summarising every failing API.
    Summary,
    /// On 授权管理: who is authorized, and whether the open dialog's link carries what is needed.
    Users,
    /// On 授权查询工具: the token's scopes against the failing APIs.
    Token,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeInfo {
    pub id: String,
    pub name: String,
    /// The current app's status for it; `None` when no app is known or the app does not list it.
    pub status: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badge {
    pub kind: BadgeKind,
    /// Snapshot index of the element to draw beside; `None` = top of the page.
    pub anchor: Option<usize>,
    pub api: Option<String>,
    pub scopes: Vec<ScopeInfo>,
    /// Set once an app is known and the API is failing.
    pub verdict: Option<Verdict>,
    /// Whether the API is marked as failing (the toggle's state).
    pub failing: bool,
    /// Present exactly when the verdict is `reauthorize`.
    pub links: Option<AuthLinks>,
    pub text: Explanation,
    /// For checks (dialog link, token): whether all is well.
    pub ok: Option<bool>,
    /// The summary's findings.
    pub findings: Vec<Finding>,
    /// For the dialog's link: what is wrong with it (contract.md `check-link`).
    pub problems: Vec<Problem>,
    /// For the dialog's link: the correct first link, when the app is known.
    pub fixed_link: Option<String>,
    /// What to send the merchant with the link (crate::message), with the links.
    pub message: Option<Explanation>,
}

impl Badge {
    fn new(kind: BadgeKind, anchor: Option<usize>) -> Badge {
        Badge {
            kind,
            anchor,
            api: None,
            scopes: vec![],
            verdict: None,
            failing: false,
            links: None,
            text: text("", ""),
            ok: None,
            findings: vec![],
            problems: vec![],
            fixed_link: None,
            message: None,
        }
    }
}

fn text(zh: impl Into<String>, en: impl Into<String>) -> Explanation {
    Explanation { zh: zh.into(), en: en.into() }
}

/// Every failing API's finding, for the popup and the summary panel: the one evidence path.
pub fn report(state: &State) -> Report {
    evidence::findings(&state.evidence())
}

pub fn findings(state: &State) -> Vec<Finding> {
    report(state).findings
}

/// What an API's page would get if it failed with no error text (the tool's premise).
fn if_failing(api: &str, state: &State) -> Finding {
    let evidence = state.evidence();
    let known = Knowledge {
        app: state.current(),
        learned: &state.learned,
        token_scopes: evidence.token_scopes(),
        users: state.users.as_deref(),
        link_problems: &[],
    };
    let premise =
        Failure { api: Some(api.to_string()), merchant: None, kind: FailureKind::Unknown, code: None, message: String::new(), count: 1 };
    diagnose::decide(&premise, known)
}

/// A package's name as the developer sees it: as the page at hand shows it, else as the
/// current app's page showed it, else the catalog's.
fn package_name(id: &str, state: &State, shown: &[(String, String)]) -> String {
    let on_page = shown.iter().find(|(s, _)| s == id).map(|(_, n)| n.clone());
    let on_app_page = || state.current().and_then(|a| a.packages.iter().find(|p| p.scope == id)).and_then(|p| p.name.clone());
    on_page.or_else(on_app_page).unwrap_or_else(|| catalog::chinese_name(id))
}

/// Each package with its name as the developer sees it, and the current app's status for it.
fn scope_infos(scopes: &[String], state: &State, shown: &[(String, String)]) -> Vec<ScopeInfo> {
    let app = state.current();
    scopes
        .iter()
        .map(|id| ScopeInfo { id: id.clone(), name: package_name(id, state, shown), status: app.and_then(|a| a.status_of(id)) })
        .collect()
}

/// A finding as a badge lists it: its packages named as the developer sees them.
fn as_seen(finding: &Finding, state: &State, shown: &[(String, String)]) -> Finding {
    let mut finding = finding.clone();
    finding.scope_name = finding.scope.as_deref().map(|id| package_name(id, state, shown));
    finding.scope_names = finding.scopes.iter().map(|id| package_name(id, state, shown)).collect();
    finding
}

/// The names a page shows for packages it names by name.
fn shown_names(reading: &Reading) -> Vec<(String, String)> {
    match reading {
        Reading::ApiDetail(page) => page.names.clone(),
        Reading::AppDetail(page) => page.packages.iter().filter_map(|p| Some((p.scope.clone(), p.name.clone()?))).collect(),
        _ => Vec::new(),
    }
}

fn finding_badge(kind: BadgeKind, anchor: Option<usize>, finding: &Finding, state: &State, shown: &[(String, String)]) -> Badge {
    let mut badge = Badge::new(kind, anchor);
    badge.api = finding.api.clone();
    badge.scopes = scope_infos(&finding.scopes, state, shown);
    badge.failing = true;
    badge.verdict = state.current().map(|_| finding.verdict);
    if let (Some(first), Some(second)) = (&finding.auth_link, &finding.mobile_link) {
        badge.links = Some(AuthLinks { first: first.clone(), second: second.clone() });
    }
    badge.text = finding.explain.clone();
    badge.message = finding.merchant_message.clone();
    badge
}

/// Said on an app page whose app cannot be kept (a value breaking the store's rules): the
/// page's values are shown, nothing of it is stored, and every other page works on.
pub fn refusal_badge(reading: &Reading, reason: &crate::store::StoreError) -> Badge {
    let anchor = match reading {
        Reading::AppDetail(page) => page.anchor,
        _ => None,
    };
    let mut badge = Badge::new(BadgeKind::Summary, anchor);
    badge.ok = Some(false);
    badge.text = text(
        format!("这个应用不能保存，也不会生成链接：{}", reason.zh()),
        format!("This app cannot be kept, and no link is built: {reason}"),
    );
    badge
}

/// Said on a page too big to read whole (more than `MAX_NODES` elements after collapsing long
/// runs of rows): what the badges say comes from its beginning only.
pub fn cut_note() -> Badge {
    let mut badge = Badge::new(BadgeKind::Summary, None);
    badge.ok = Some(false);
    badge.text = text(
        format!("页面太大：只读了前 {} 个元素，后面的内容（可能包括权限包列表）没有读取。", crate::snapshot::MAX_NODES),
        format!(
            "The page is too big: only its first {} elements were read; what follows (perhaps the package list) was not.",
            crate::snapshot::MAX_NODES
        ),
    );
    badge
}

/// Said on an app page whose 回调地址 could not be read whole: the app is kept, no link built.
fn callback_note(anchor: Option<usize>) -> Badge {
    let mut badge = Badge::new(BadgeKind::Summary, anchor);
    badge.ok = Some(false);
    badge.text = text(
        "页面上没有读到完整的回调地址（没有显示、被截断、不是完整的 http(s) 地址或含有隐藏字符），所以不生成授权链接：请确认应用详情页的回调地址。",
        "No whole 回调地址 was read on the page (not shown, cut short, not a whole http(s) address, or with hidden characters), so no link is built: check the 回调地址 on the app detail page.",
    );
    badge
}

/// The badges for a page, given the store *after* it learned from that page.
pub fn badges(reading: &Reading, state: &State) -> Vec<Badge> {
    let findings = findings(state);
    let shown = shown_names(reading);
    match reading {
        Reading::ApiDetail(page) => {
            let finding = findings.iter().find(|f| f.api.as_deref() == Some(page.api.as_str()));
            let badge = match finding {
                Some(f) => finding_badge(BadgeKind::Api, page.anchor, f, state, &shown),
                // Not marked: once an app is known, say what would be done if it failed
                // (contract: the verdict shows once an app is known).
                None if state.current().is_some() => {
                    let if_failing = if_failing(&page.api, state);
                    let mut badge = finding_badge(BadgeKind::Api, page.anchor, &if_failing, state, &shown);
                    badge.failing = false;
                    badge.text = text(
                        format!("如果此 API 报错：{}", if_failing.explain.zh),
                        format!("If this API fails: {}", if_failing.explain.en),
                    );
                    badge
                }
                None => {
                    let (scopes, _) = diagnose::scopes_for(&page.api, &state.learned);
                    let mut badge = Badge::new(BadgeKind::Api, page.anchor);
                    badge.api = Some(page.api.clone());
                    badge.scopes = scope_infos(&scopes, state, &shown);
                    badge.text = if scopes.is_empty() {
                        text("未找到此 API 的权限包。", "No package found for this API.")
                    } else {
                        text(
                            "如果调用此 API 报 token中无scope权限，点「这个 API 报错了」；打开应用详情页后还会给出授权链接。",
                            "If calling this API fails with token中无scope权限, click \u{201c}this API fails\u{201d}; open the app detail page to get the link too.",
                        )
                    };
                    badge
                }
            };
            vec![badge]
        }
        Reading::AppDetail(page) => {
            let mut out = Vec::new();
            // Badges with another app's verdicts and link must never sit on this app's page (a
            // page whose app could not be kept, or another app chosen in the popup).
            let current = state.current().map(|a| a.app_key.as_str());
            if page.app_key.is_none() || page.app_key.as_deref() != current {
                return out;
            }
            if page.callback.is_none() {
                out.push(callback_note(page.anchor));
            }
            if !findings.is_empty() {
                let mut summary = Badge::new(BadgeKind::Summary, page.anchor);
                summary.text = text(format!("{} 个报错的 API", findings.len()), format!("{} failing API(s)", findings.len()));
                summary.findings = findings.iter().map(|f| as_seen(f, state, &shown)).collect();
                out.push(summary);
            }
            for finding in &findings {
                let row = finding.scope.as_ref().and_then(|s| page.packages.iter().find(|p| &p.scope == s));
                if let Some(row) = row {
                    out.push(finding_badge(BadgeKind::Package, row.anchor, finding, state, &shown));
                }
            }
            out
        }
        Reading::AuthUsers(page) => {
            let authorized = page.users.iter().filter(|u| u.authorized).count();
            let mut users = Badge::new(BadgeKind::Users, page.anchor);
            users.text = text(
                format!("{authorized}/{} 个用户已建立授权", page.users.len()),
                format!("{authorized} of {} user(s) authorized", page.users.len()),
            );
            if let Some(first) = page.links.first() {
                // The same link doctor as `scope-doctor check-link` and the popup.
                let check = link_check::check_link(first, &state.apps);
                let granted = crate::link::scopes_of_link(first);
                // A right link still cannot fix a failing API whose package the app lacks.
                let mut absent: Vec<String> = findings.iter().flat_map(|f| f.scopes.clone()).filter(|s| !granted.contains(s)).collect();
                absent.dedup();
                users.ok = Some(check.ok && absent.is_empty());
                users.scopes = scope_infos(&granted, state, &shown);
                let absent_zh = crate::text::joined(&absent.iter().map(|s| diagnose::scope_label_zh(s)).collect::<Vec<_>>(), "、");
                let absent_en = crate::text::joined(&absent.iter().map(|s| diagnose::scope_label(s)).collect::<Vec<_>>(), ", ");
                users.text = match (check.ok, absent.is_empty()) {
                    (true, true) => text("第一个链接正确：app_id、redirect_uri 和权限包都与应用一致。", "The first link is right: app_id, redirect_uri and packages match the app."),
                    (true, false) => text(
                        format!("第一个链接与应用一致，但缺少报错 API 需要的{absent_zh}：先在应用详情页申请并获取，再发起授权。"),
                        format!("The first link matches the app but lacks {absent_en}, which the failing APIs need: get it on the app detail page first, then start the authorization again."),
                    ),
                    (false, _) => text(
                        format!("第一个链接有 {} 个问题，发给商家前请更正：", check.problems.len()),
                        format!("The first link has {} problem(s); fix it before sending it to the merchant:", check.problems.len()),
                    ),
                };
                users.fixed_link = check.fixed_link.filter(|_| !check.ok);
                users.problems = check.problems;
            }
            vec![users]
        }
        Reading::TokenInfo(page) => {
            let mut badge = Badge::new(BadgeKind::Token, page.anchor);
            if page.scopes.is_empty() {
                // No query result on the page yet (暂无数据): nothing to judge.
                badge.text = text(
                    "查询 token 后，这里会对照报错的 API 检查它的权限包。",
                    "Query a token: its packages are then checked against the failing APIs.",
                );
                return vec![badge];
            }
            badge.scopes = scope_infos(&page.scopes, state, &shown);
            let current = state.current().map(|a| a.app_key.as_str());
            if let Some(other) = page.app_key.as_deref().filter(|key| current.is_some_and(|c| c != *key)) {
                // Another app's token says nothing about the current app's failures.
                badge.ok = Some(false);
                badge.text = text(
                    format!("这个 token 属于应用 {other}，不是当前应用 {}：它的权限包不用于当前应用的诊断。", current.unwrap_or_default()),
                    format!(
                        "This token belongs to app {other}, not the current app {}: its packages are not used for the current app.",
                        current.unwrap_or_default()
                    ),
                );
                return vec![badge];
            }
            let has: Vec<&Finding> = findings.iter().filter(|f| f.verdict == Verdict::TokenHasScope).collect();
            let lacks: Vec<&Finding> = findings.iter().filter(|f| f.verdict == Verdict::Reauthorize).collect();
            // Well = the token explains the failures (it lacks their packages), not a wrong token.
            badge.ok = Some(has.is_empty());
            badge.findings = findings.iter().map(|f| as_seen(f, state, &shown)).collect();
            let names = |found: &[&Finding]| crate::text::joined(&found.iter().filter_map(|f| f.api.as_deref()).collect::<Vec<_>>(), ", ");
            badge.text = if findings.is_empty() {
                text(format!("这个 token 有 {} 个权限包。", page.scopes.len()), format!("This token has {} package(s).", page.scopes.len()))
            } else if !lacks.is_empty() {
                text(
                    format!("这个 token 缺少 {} 需要的权限包：商家需要重新授权。", names(&lacks)),
                    format!("This token lacks the packages {} need: the merchant must re-authorize.", names(&lacks)),
                )
            } else if !has.is_empty() {
                text(
                    format!("这个 token 已有 {} 需要的权限包：问题不在权限包，检查 token、应用或商家。", names(&has)),
                    format!(
                        "This token already has the packages {} need: the problem is not a package; check the token, app or merchant.",
                        names(&has)
                    ),
                )
            } else {
                text(
                    "这个 token 的权限包已读取；报错的 API 见下方结论。",
                    "This token's packages are read; see the failing APIs' verdicts below.",
                )
            };
            vec![badge]
        }
        Reading::Unknown => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppType, Package};
    use crate::read::{ApiPage, AppPage, AuthUsersPage, TokenPage};

    fn app_page() -> Reading {
        let pkg = |scope: &str, status, anchor| Package { scope: scope.into(), status, anchor: Some(anchor), name: None };
        Reading::AppDetail(AppPage {
            app_key: Some("ks900".into()),
            app_name: Some("助手".into()),
            callback: Some("https://cb.example/k".into()),
            app_type: Some(AppType::Merchant),
            packages: vec![
                pkg("user_info", Status::Owned, 10),
                pkg("merchant_item", Status::Owned, 20),
                pkg("merchant_order", Status::Missing, 30),
            ],
            anchor: Some(1),
        })
    }

    fn api_page(api: &str) -> Reading {
        Reading::ApiDetail(ApiPage { api: api.into(), scopes: vec![], needs_user_auth: true, anchor: Some(5), names: vec![] })
    }

    #[test]
    fn api_badge_shows_the_verdict_once_an_app_is_known() {
        let mut state = State::default();
        let before = badges(&api_page("open.item.get"), &state);
        assert_eq!((before[0].verdict, before[0].failing, before[0].scopes[0].id.as_str()), (None, false, "merchant_item"));
        state.learn(&app_page());
        let known = badges(&api_page("open.item.get"), &state);
        assert_eq!((known[0].verdict, known[0].failing), (Some(Verdict::Reauthorize), false));
        assert!(known[0].links.is_some() && known[0].text.zh.starts_with("如果此 API 报错"));
        assert_eq!(known[0].scopes[0].status, Some(Status::Owned));
        state.set_mark("open.item.get", true);
        assert!(badges(&api_page("open.item.get"), &state)[0].failing);
    }

    #[test]
    fn packages_are_named_as_the_pages_name_them() {
        let mut state = State::default();
        let api = |names: Vec<(String, String)>| {
            Reading::ApiDetail(ApiPage { api: "open.order.cursor.list".into(), scopes: vec![], needs_user_auth: true, anchor: None, names })
        };
        // No page names it: the catalog's name.
        assert_eq!(badges(&api(vec![]), &state)[0].scopes[0].name, "订单信息");
        // The API page's own wording wins on that page.
        let on_page = badges(&api(vec![("merchant_order".into(), "订单API权限".into())]), &state);
        assert_eq!(on_page[0].scopes[0].name, "订单API权限");
        // Elsewhere, the wording of the current app's page.
        let Reading::AppDetail(mut app) = app_page() else { unreachable!() };
        app.packages[2].name = Some("订单API和订单消息权限".into());
        state.learn(&Reading::AppDetail(app));
        assert_eq!(badges(&api(vec![]), &state)[0].scopes[0].name, "订单API和订单消息权限");
        // The app page's summary lists its failing APIs with the page's wording too.
        state.set_mark("open.order.cursor.list", true);
        let Reading::AppDetail(mut app) = app_page() else { unreachable!() };
        app.packages[2].name = Some("订单API和订单消息权限".into());
        let summary = &badges(&Reading::AppDetail(app), &state)[0];
        assert_eq!(summary.findings[0].scope_name.as_deref(), Some("订单API和订单消息权限"));
    }

    #[test]
    fn app_page_gets_a_summary_and_one_badge_per_failing_api_beside_its_row() {
        let mut state = State::default();
        let page = app_page();
        state.learn(&page);
        for api in ["open.item.get", "open.item.list.get", "open.order.cursor.list"] {
            state.set_mark(api, true);
        }
        let drawn = badges(&page, &state);
        assert_eq!(drawn[0].kind, BadgeKind::Summary);
        assert_eq!(drawn[0].findings.len(), 3);
        let rows: Vec<(Option<&str>, Option<usize>, Option<Verdict>)> =
            drawn[1..].iter().map(|b| (b.api.as_deref(), b.anchor, b.verdict)).collect();
        assert_eq!(
            rows,
            [
                (Some("open.item.get"), Some(20), Some(Verdict::Reauthorize)),
                (Some("open.item.list.get"), Some(20), Some(Verdict::Reauthorize)),
                (Some("open.order.cursor.list"), Some(30), Some(Verdict::Apply)),
            ]
        );
        assert!(drawn[3].links.is_none(), "no link for a package the app does not hold");
    }

    #[test]
    fn dialog_link_and_token_checks() {
        let mut state = State::default();
        state.learn(&app_page());
        state.set_mark("open.order.cursor.list", true);
        let link =
            "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks900&redirect_uri=x&scope=user_info,merchant_item&response_type=code";
        let users = Reading::AuthUsers(AuthUsersPage { users: vec![], links: vec![link.into()], anchor: Some(3) });
        let check = &badges(&users, &state)[0];
        assert_eq!(check.ok, Some(false));
        let codes: Vec<&str> = check.problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["redirect-uri-mismatch"]);
        let fixed = check.fixed_link.as_deref().unwrap_or_default();
        assert!(fixed.contains("redirect_uri=https%3A%2F%2Fcb.example%2Fk"), "{fixed}");

        // An empty tool page (暂无数据) draws no verdict and forgets nothing.
        let empty = Reading::TokenInfo(TokenPage { scopes: vec![], anchor: None, app_key: None });
        let before = state.clone();
        assert!(!state.learn(&empty));
        assert_eq!(state, before);
        let idle = &badges(&empty, &state)[0];
        assert_eq!((idle.ok, idle.findings.len()), (None, 0));

        let token = Reading::TokenInfo(TokenPage { scopes: vec!["merchant_order".into()], anchor: Some(2), app_key: None });
        state.learn(&token);
        let check = &badges(&token, &state)[0];
        assert_eq!((check.ok, check.findings[0].verdict), (Some(false), Verdict::TokenHasScope));
        // The reading counts for the app current when it was read, not for another one.
        let mut other = state.clone();
        other.apps[0].app_key = "ks901".into();
        other.current_app = Some("ks901".into());
        assert_eq!(findings(&other)[0].verdict, Verdict::Apply);
        // A result naming another app's token says so, and is used for no verdict here.
        let foreign =
            Reading::TokenInfo(TokenPage { scopes: vec!["merchant_order".into()], anchor: Some(2), app_key: Some("ks777".into()) });
        let mut fresh = state.clone();
        fresh.learn(&foreign);
        let note = &badges(&foreign, &fresh)[0];
        assert_eq!((note.ok, note.findings.len()), (Some(false), 0));
        assert!(note.text.zh.contains("ks777") && note.text.en.contains("not the current app"), "{:?}", note.text);
        assert_ne!(findings(&fresh)[0].verdict, Verdict::TokenHasScope, "another app's token decides nothing");
    }

    #[test]
    fn another_apps_page_never_gets_the_current_apps_verdicts_or_link() {
        let mut state = State::default();
        state.learn(&app_page());
        state.set_mark("open.item.get", true);
        let mut other = app_page();
        if let Reading::AppDetail(page) = &mut other {
            page.app_key = Some("ks901".into());
        }
        assert_eq!(badges(&other, &state), vec![]);
        let mut unreadable = app_page();
        if let Reading::AppDetail(page) = &mut unreadable {
            page.app_key = None;
        }
        assert_eq!(badges(&unreadable, &state), vec![]);
        assert!(!badges(&app_page(), &state).is_empty());
    }
}
