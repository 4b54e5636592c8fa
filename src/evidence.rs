//! The one path from evidence to findings. The CLI (pages read from files), the service worker
//! (the stored state) and the playground (what was typed) each gather an [`Evidence`] and call
//! [`findings`]; nothing else decides which APIs fail or which error concerns them.

use crate::diagnose::{self, Finding, Knowledge};
use crate::failure;
use crate::link_check;
use crate::model::{App, Failure, FailureKind, Learned, TokenReading, User};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Findings shown per API and error kind at most; further merchants are counted in
/// [`Report::truncated`] ("and N more"), so a log naming 5,000 shops stays readable and small.
pub const MAX_MERCHANTS_PER_GROUP: usize = 20;

/// Everything known when deciding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evidence {
    /// Apps read from their detail pages.
    pub apps: Vec<App>,
    /// The current app's appKey; `None` = the app read last.
    pub current_app: Option<String>,
    /// Packages stated by API pages (they override the catalog).
    pub learned: Vec<Learned>,
    /// API pages the user has seen: an error naming no API is about them.
    pub api_pages: Vec<String>,
    /// A pasted log, JSON response or message.
    pub failure_text: Option<String>,
    /// Failures already known (the extension's marks).
    pub failures: Vec<Failure>,
    /// APIs said to fail with no error text of their own (`--api`, the playground's list).
    pub apis: Vec<String>,
    /// What 授权查询工具 showed for a token.
    pub token: Option<TokenReading>,
    /// The users 授权管理 lists.
    pub users: Option<Vec<User>>,
}

/// The findings, at most [`MAX_MERCHANTS_PER_GROUP`] per API and error, and how many were left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Findings (API × merchant) decided but left out of the list.
    pub truncated: u64,
    /// Failing lines beyond the parser's bound ([`failure::MAX_FAILURES`] distinct failures):
    /// counted, never kept.
    pub unkept_lines: u64,
}

impl Evidence {
    /// The current app: the one named, else the one read last.
    pub fn app(&self) -> Option<&App> {
        match &self.current_app {
            Some(key) => self.apps.iter().find(|a| &a.app_key == key),
            None => self.apps.last(),
        }
    }

    /// The token's scopes, when the reading is about the current app (or names no app).
    pub fn token_scopes(&self) -> Option<&[String]> {
        let token = self.token.as_ref()?;
        let app_key = self.app().map(|a| a.app_key.as_str());
        (token.app_key.is_none() || token.app_key.as_deref() == app_key).then_some(token.scopes.as_slice())
    }
}

/// Decides everything the evidence shows (contract.md `diagnose`).
pub fn findings(evidence: &Evidence) -> Report {
    let parsed = evidence.failure_text.as_deref().map(failure::parse_all).unwrap_or_default();
    findings_parsed(evidence, parsed)
}

/// [`findings`] with `evidence.failure_text` already parsed (`failure::parse_all`), for callers
/// that also show the text's failures: a long log is parsed once, not twice.
pub fn findings_parsed(evidence: &Evidence, parsed: failure::Parsed) -> Report {
    let failing = failing(evidence, parsed.failures);
    let text_links = evidence.failure_text.as_deref().map(link_check::links_in).unwrap_or_default();
    let link_problems: Vec<link_check::ProblemCode> = text_links
        .first()
        .map(|link| link_check::check_link(link, &evidence.apps).problems.into_iter().map(|p| p.code).collect())
        .unwrap_or_default();
    let known = Knowledge {
        app: evidence.app(),
        learned: &evidence.learned,
        token_scopes: evidence.token_scopes(),
        users: evidence.users.as_deref(),
        link_problems: &link_problems,
    };
    let mut report = Report { findings: vec![], truncated: 0, unkept_lines: parsed.truncated };
    // Merchants do not change a verdict: decide once per API and error, then per merchant.
    let mut groups: Vec<Vec<&Failure>> = Vec::new();
    let mut group_of: HashMap<(Option<&str>, FailureKind), usize> = HashMap::new();
    for failure in &failing {
        let index = *group_of.entry((failure.api.as_deref(), failure.kind)).or_insert_with(|| {
            groups.push(vec![]);
            groups.len() - 1
        });
        groups[index].push(failure);
    }
    for members in groups {
        report.truncated += members.len().saturating_sub(MAX_MERCHANTS_PER_GROUP) as u64;
        report.findings.extend(members.into_iter().take(MAX_MERCHANTS_PER_GROUP).map(|f| diagnose::decide(f, known)));
    }
    report
}

/// The failing items: the known failures, the text's, then the named APIs. An error that names
/// no API (and is about an API call) concerns the named APIs, else the API pages seen, else
/// stands alone with no API.
fn failing(evidence: &Evidence, parsed: Vec<Failure>) -> Vec<Failure> {
    let mut out: Vec<Failure> = Vec::new();
    let mut unnamed: Vec<Failure> = Vec::new();
    for failure in evidence.failures.iter().cloned().chain(parsed) {
        if failure.api.is_none() && !failure.kind.concerns_no_api() {
            unnamed.push(failure);
        } else {
            push_merged(&mut out, failure);
        }
    }
    let named: Vec<&String> = evidence.apis.iter().filter(|api| !out.iter().any(|f| f.api.as_ref() == Some(*api))).collect();
    let targets: Vec<&String> = match (named.is_empty(), unnamed.is_empty()) {
        (false, _) => named.clone(),
        (true, false) if out.iter().all(|f| f.api.is_none()) => evidence.api_pages.iter().collect(),
        _ => vec![],
    };
    if unnamed.is_empty() {
        for api in named {
            push_merged(
                &mut out,
                Failure {
                    api: Some(api.clone()),
                    merchant: None,
                    kind: FailureKind::Unknown,
                    code: None,
                    message: String::new(),
                    count: 1,
                },
            );
        }
    } else if targets.is_empty() {
        out.extend(unnamed);
    } else {
        for api in targets {
            for failure in &unnamed {
                push_merged(&mut out, Failure { api: Some(api.clone()), ..failure.clone() });
            }
        }
    }
    out
}

/// Adds a failure; one of the same API and merchant already there keeps the more telling error.
fn push_merged(out: &mut Vec<Failure>, failure: Failure) {
    let same = |f: &&mut Failure| f.api == failure.api && f.merchant == failure.merchant && (f.api.is_some() || f.kind == failure.kind);
    match out.iter_mut().find(|f| same(f)) {
        Some(kept) if kept.kind == FailureKind::Unknown => *kept = failure,
        Some(_) => {}
        None => out.push(failure),
    }
}
