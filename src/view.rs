//! What the extension shows on a page, decided here so JavaScript only draws: the badges for a
//! page reading given what the store knows, each anchored to a snapshot index.

use crate::catalog;
use crate::diagnose::{self, Explanation, Failing, Finding, Knowledge, Verdict};
use crate::failure::FailureKind;
use crate::link::{self, AuthLinks};
use crate::read::{Reading, Status};
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
        }
    }
}

fn text(zh: impl Into<String>, en: impl Into<String>) -> Explanation {
    Explanation { zh: zh.into(), en: en.into() }
}

/// The failing APIs the store knows, with how they failed.
pub fn failing(state: &State) -> Vec<Failing> {
    state.marks.iter().map(|m| Failing { api: m.api.clone(), kind: m.kind }).collect()
}

pub fn knowledge(state: &State) -> Knowledge<'_> {
    Knowledge { app: state.current(), learned: &state.learned, token_scopes: state.token_scopes.as_deref() }
}

/// Every failing API's finding, for the popup and the summary panel.
pub fn findings(state: &State) -> Vec<Finding> {
    diagnose::diagnose(&failing(state), knowledge(state))
}

fn scope_infos(scopes: &[String], state: &State) -> Vec<ScopeInfo> {
    scopes
        .iter()
        .map(|id| ScopeInfo { id: id.clone(), name: catalog::chinese_name(id), status: state.current().and_then(|app| app.status_of(id)) })
        .collect()
}

fn finding_badge(kind: BadgeKind, anchor: Option<usize>, finding: &Finding, state: &State) -> Badge {
    let mut badge = Badge::new(kind, anchor);
    badge.api = Some(finding.api.clone());
    badge.scopes = scope_infos(&finding.scopes, state);
    badge.failing = true;
    badge.verdict = state.current().map(|_| finding.verdict);
    if let (Some(first), Some(second)) = (&finding.auth_link, &finding.mobile_link) {
        badge.links = Some(AuthLinks { first: first.clone(), second: second.clone() });
    }
    badge.text = finding.explain.clone();
    badge
}

/// The badges for a page, given the store *after* it learned from that page.
pub fn badges(reading: &Reading, state: &State) -> Vec<Badge> {
    let findings = findings(state);
    match reading {
        Reading::ApiDetail(page) => {
            let finding = findings.iter().find(|f| f.api == page.api);
            let badge = match finding {
                Some(f) => finding_badge(BadgeKind::Api, page.anchor, f, state),
                // Not marked: once an app is known, say what would be done if it failed
                // (contract: the verdict shows once an app is known).
                None if state.current().is_some() => {
                    let if_failing = diagnose::decide(&Failing { api: page.api.clone(), kind: FailureKind::Unknown }, knowledge(state));
                    let mut badge = finding_badge(BadgeKind::Api, page.anchor, &if_failing, state);
                    badge.failing = false;
                    badge.text = text(format!("如果此 API 报错：{}", if_failing.explain.zh), format!("If this API fails: {}", if_failing.explain.en));
                    badge
                }
                None => {
                    let (scopes, _) = diagnose::scopes_for(&page.api, &state.learned);
                    let mut badge = Badge::new(BadgeKind::Api, page.anchor);
                    badge.api = Some(page.api.clone());
                    badge.scopes = scope_infos(&scopes, state);
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
            if !findings.is_empty() {
                let mut summary = Badge::new(BadgeKind::Summary, page.anchor);
                summary.text = text(format!("{} 个报错的 API", findings.len()), format!("{} failing API(s)", findings.len()));
                summary.findings = findings.clone();
                out.push(summary);
            }
            for finding in &findings {
                let row = finding.scope.as_ref().and_then(|s| page.packages.iter().find(|p| &p.scope == s));
                if let Some(row) = row {
                    out.push(finding_badge(BadgeKind::Package, row.anchor, finding, state));
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
                let granted = link::scopes_of_link(first);
                let needed: Vec<String> = findings.iter().flat_map(|f| f.scopes.clone()).collect();
                let absent: Vec<&String> = needed.iter().filter(|s| !granted.contains(s)).collect();
                users.ok = Some(absent.is_empty());
                users.scopes = scope_infos(&granted, state);
                let absent_list = absent.iter().map(|s| diagnose::scope_label(s)).collect::<Vec<_>>().join(", ");
                let needed_list = needed.iter().map(|s| diagnose::scope_label(s)).collect::<Vec<_>>().join(", ");
                users.text = if absent.is_empty() {
                    text(
                        format!("第一个链接包含报错 API 需要的全部权限包（{needed_list}）。"),
                        format!("The first link carries every package the failing APIs need ({needed_list})."),
                    )
                } else {
                    text(
                        format!("第一个链接缺少 {absent_list}：先在应用详情页申请并获取，再发起授权。"),
                        format!(
                            "The first link lacks {absent_list}: get it on the app detail page first, then start the authorization again."
                        ),
                    )
                };
            }
            vec![users]
        }
        Reading::TokenInfo(page) => {
            let mut badge = Badge::new(BadgeKind::Token, page.anchor);
            badge.scopes = scope_infos(&page.scopes, state);
            let has: Vec<&Finding> = findings.iter().filter(|f| f.verdict == Verdict::TokenHasScope).collect();
            badge.ok = Some(has.is_empty());
            badge.findings = findings.clone();
            badge.text = if findings.is_empty() {
                text(format!("这个 token 有 {} 个权限包。", page.scopes.len()), format!("This token has {} package(s).", page.scopes.len()))
            } else if has.is_empty() {
                text(
                    "这个 token 缺少报错 API 需要的权限包：需要商家重新授权。",
                    "This token lacks the packages the failing APIs need: the merchant must re-authorize.",
                )
            } else {
                let apis = has.iter().map(|f| f.api.as_str()).collect::<Vec<_>>().join(", ");
                text(
                    format!("这个 token 已有 {apis} 需要的权限包：问题不在权限包，检查 token、应用或用户。"),
                    format!("This token already has the packages {apis} need: the problem is not a package; check the token, app or user."),
                )
            };
            vec![badge]
        }
        Reading::Unknown => vec![],
    }
}
