//! The native command line's work, apart from argument parsing: loading saved pages safely,
//! reading them, assembling a diagnosis, and printing for people or as contract.md's JSON.

use crate::diagnose::{Finding, Verdict};
use crate::evidence::{Evidence, Report};
use crate::link_check::LinkCheck;
use crate::read::{self, Reading};
use crate::snapshot::html::from_html;
use crate::snapshot::Snapshot;
use crate::store::{App, Learned, TokenReading};
use std::io::{IsTerminal, Read};
use thiserror::Error;

/// Larger saved pages are refused rather than parsed: a console page is well under 5 MB.
pub const MAX_PAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Larger failure texts are refused: a log to paste is not a whole disk.
pub const MAX_FAILURE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum InputError {
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: empty file")]
    Empty { path: String },
    #[error("{path}: binary data, not {what}")]
    Binary { path: String, what: Text },
    #[error("{path}: not UTF-8 text (byte {offset} is invalid); save it as UTF-8 ({what})")]
    NotUtf8 { path: String, offset: usize, what: Text },
    #[error("{path}: not an HTML page (no tags found)")]
    NotHtml { path: String },
}

/// What a text input is meant to be, for messages that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Page,
    Log,
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Text::Page => "an HTML page",
            Text::Log => "a text log",
        })
    }
}

/// Reads a text file with the size and encoding checks every input gets. `-` is standard input.
pub fn load_text(path: &str, limit: u64, what: Text) -> Result<String, InputError> {
    let io = |source| InputError::Io { path: path.to_string(), source };
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin().take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    } else {
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > limit {
            return Err(InputError::TooLarge { path: path.into(), size, limit });
        }
        std::fs::File::open(path).map_err(io)?.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    }
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { path: path.into(), size: bytes.len() as u64, limit });
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(InputError::Binary { path: path.into(), what });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty { path: path.into() });
    }
    String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 { path: path.into(), offset: e.utf8_error().valid_up_to(), what })
}

/// Loads one saved page as the readers' page model.
pub fn snapshot_page(path: &str, url: &str) -> Result<Snapshot, InputError> {
    let html = load_text(path, MAX_PAGE_BYTES, Text::Page)?;
    if !looks_like_html(&html) {
        return Err(InputError::NotHtml { path: path.into() });
    }
    Ok(from_html(&html, url))
}

/// Loads and reads one saved page.
pub fn read_page(path: &str) -> Result<Reading, InputError> {
    Ok(read::read(&snapshot_page(path, "")?))
}

fn looks_like_html(text: &str) -> bool {
    let head = crate::text::clip(text, 65_536);
    head.match_indices('<').any(|(at, _)| head[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '!'))
}

/// Adds what a saved page shows to the evidence, as the extension's store would: the app read
/// last is current, an API page states its packages, a token page's result and the users of
/// 授权管理 are kept.
pub fn add_reading(evidence: &mut Evidence, reading: &Reading) {
    match reading {
        Reading::AppDetail(page) => {
            if let Some(app) = App::from_page(page) {
                evidence.apps.retain(|a| a.app_key != app.app_key);
                evidence.apps.push(app);
                evidence.current_app = None;
            }
        }
        Reading::ApiDetail(page) => {
            evidence.api_pages.push(page.api.clone());
            if !page.scopes.is_empty() {
                evidence.learned.retain(|l| l.api != page.api);
                evidence.learned.push(Learned { api: page.api.clone(), scopes: page.scopes.clone() });
            }
        }
        Reading::TokenInfo(page) if !page.scopes.is_empty() => {
            evidence.token = Some(TokenReading { app_key: None, scopes: page.scopes.clone() });
        }
        Reading::AuthUsers(page) if !page.users.is_empty() => evidence.users = Some(page.users.clone()),
        _ => {}
    }
}

/// ANSI colours only when printing to a terminal.
pub struct Style {
    on: bool,
}

impl Style {
    pub fn for_stdout() -> Style {
        Style { on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() }
    }
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// A reading for people: `file — kind` and its fields, one per line.
pub fn human_reading(file: &str, reading: &Reading, style: &Style) -> String {
    let mut out = format!("{} — {}\n", style.paint("1", file), reading.kind());
    let line = |k: &str, v: String| format!("  {k}: {v}\n");
    match reading {
        Reading::ApiDetail(p) => {
            out += &line("api", p.api.clone());
            out += &line("packages", if p.scopes.is_empty() { "(none named)".into() } else { p.scopes.join(", ") });
            out += &line("需用户授权", p.needs_user_auth.to_string());
        }
        Reading::AppDetail(p) => {
            out += &line("appKey", p.app_key.clone().unwrap_or_else(|| "(not shown whole: no link can be built)".into()));
            out += &line("name", p.app_name.clone().unwrap_or_default());
            out += &line("回调地址", p.callback.clone().unwrap_or_else(|| "(not shown whole: no link can be built)".into()));
            out += &line("type", p.app_type.map(|t| serde_name(&t)).unwrap_or_else(|| "(not shown)".into()));
            for pkg in &p.packages {
                out +=
                    &format!("  - {} {}\n", pkg.scope, style.paint(status_colour(pkg.status), &format!("{:?}", pkg.status).to_lowercase()));
            }
        }
        Reading::AuthUsers(p) => {
            for u in &p.users {
                out += &format!(
                    "  - user {} {}\n",
                    u.id,
                    if u.authorized { style.paint("32", "authorized") } else { style.paint("33", "not authorized") }
                );
            }
            for l in &p.links {
                out += &line("link", l.clone());
            }
        }
        Reading::TokenInfo(p) if p.scopes.is_empty() => out += "  (no query result on the page)\n",
        Reading::TokenInfo(p) => out += &line("token scopes", p.scopes.join(", ")),
        Reading::Unknown => out += "  (not a console page Scope Doctor reads)\n",
    }
    out
}

fn status_colour(status: read::Status) -> &'static str {
    match status {
        read::Status::Owned => "32",
        read::Status::Missing => "31",
        read::Status::Pending => "33",
    }
}

/// A serde enum's name as JSON writes it (`reauthorize`, `scope-not-granted`).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// At most this many merchants are named per group; the rest are counted ("and N more").
const MERCHANTS_NAMED: usize = 10;

/// Findings for people: per API and verdict, the merchants concerned, what to do and the link.
pub fn human_findings(report: &Report, style: &Style) -> String {
    if report.findings.is_empty() {
        return "No failing API found: pass --api NAME or a --failure text naming one (method=open.item.get).\n".into();
    }
    let mut out = String::new();
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    for f in &report.findings {
        match groups
            .iter_mut()
            .find(|g| g[0].api == f.api && g[0].verdict == f.verdict && g[0].cause == f.cause && g[0].failure == f.failure)
        {
            Some(group) => group.push(f),
            None => groups.push(vec![f]),
        }
    }
    for group in groups {
        let f = group[0];
        let colour = match f.verdict {
            Verdict::Reauthorize | Verdict::AddUser | Verdict::FixLink => "32",
            Verdict::Apply | Verdict::Pending | Verdict::RefreshToken | Verdict::CheckToken => "33",
            Verdict::NotScopeError | Verdict::TokenHasScope => "36",
            _ => "31",
        };
        let verdict = match f.cause {
            Some(cause) => format!("{} ({})", serde_name(&f.verdict), serde_name(&cause)),
            None => serde_name(&f.verdict),
        };
        let api = f.api.as_deref().unwrap_or("(no API named)");
        out += &format!("{}  {}  {}\n", style.paint("1", api), f.scope.as_deref().unwrap_or("-"), style.paint(colour, &verdict));
        let merchants: Vec<&str> = group.iter().filter_map(|f| f.merchant.as_deref()).collect();
        if !merchants.is_empty() {
            let lines: u64 = group.iter().map(|f| f.count).sum();
            let named = merchants.iter().take(MERCHANTS_NAMED).copied().collect::<Vec<_>>().join(", ");
            let more = merchants.len().saturating_sub(MERCHANTS_NAMED);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            let act = if f.verdict.has_link() { " must open this link" } else { "" };
            out += &format!("  merchants {named}{more}{act} ({lines} failing line(s))\n");
        }
        out += &format!("  {}\n  {}\n", f.explain.zh, f.explain.en);
        for code in &f.problems {
            out += &format!("  link problem: {}\n", code.as_str());
        }
        if let Some(link) = &f.auth_link {
            out += &format!("  first link:  {link}\n");
        }
        if let Some(link) = &f.mobile_link {
            out += &format!("  second link: {link}\n");
        }
    }
    if report.truncated > 0 {
        out += &format!(
            "… and {} more not listed (per API at most {} merchants are shown)\n",
            report.truncated,
            crate::evidence::MAX_MERCHANTS_PER_GROUP
        );
    }
    if report.unkept_lines > 0 {
        out += &format!(
            "… and {} failing line(s) beyond the first {} distinct failures, counted but not kept\n",
            report.unkept_lines,
            crate::failure::MAX_FAILURES
        );
    }
    out
}

/// The messages for the merchants, one per distinct message (findings of one API share it).
pub fn merchant_messages(report: &Report) -> String {
    let mut out = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for message in report.findings.iter().filter_map(|f| f.merchant_message.as_ref()) {
        if seen.contains(&message.zh.as_str()) {
            continue;
        }
        seen.push(&message.zh);
        out += &format!("\n--- message for the merchant ---\n{}\n\n{}\n", message.zh, message.en);
    }
    out
}

/// The link doctor's answer for people: each problem in both languages, then the right link.
pub fn human_link_check(check: &LinkCheck, style: &Style) -> String {
    let mut out = if check.ok {
        format!("{}  the link is right\n", style.paint("32", "ok"))
    } else {
        format!("{}  {} problem(s)\n", style.paint("31", "not ok"), check.problems.len())
    };
    for problem in &check.problems {
        out += &format!("  {}\n    {}\n    {}\n", style.paint("1", problem.code.as_str()), problem.zh, problem.detail);
    }
    match &check.fixed_link {
        Some(link) if !check.ok => out += &format!("  corrected first link: {link}\n"),
        None if !check.ok => out += "  give the app detail page (应用详情) of this appKey to get the corrected link\n",
        _ => {}
    }
    out
}
