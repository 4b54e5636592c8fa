//! The native command line's work, apart from argument parsing: loading saved pages safely,
//! reading them, assembling a diagnosis, and printing for people or as contract.md's JSON.

use crate::diagnose::{self, Finding, Knowledge, Verdict};
use crate::failure;
use crate::read::{self, Reading};
use crate::snapshot::html::from_html;
use crate::snapshot::Snapshot;
use crate::store::{App, Learned};
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
    #[error("{path}: binary data, not an HTML page")]
    Binary { path: String },
    #[error("{path}: not UTF-8 text (byte {offset} is invalid); save the page as UTF-8")]
    NotUtf8 { path: String, offset: usize },
    #[error("{path}: not an HTML page (no tags found)")]
    NotHtml { path: String },
}

/// Reads a text file with the size and encoding checks every input gets. `-` is standard input.
pub fn load_text(path: &str, limit: u64) -> Result<String, InputError> {
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
        return Err(InputError::Binary { path: path.into() });
    }
    String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 { path: path.into(), offset: e.utf8_error().valid_up_to() })
}

/// Loads one saved page as the readers' page model.
pub fn snapshot_page(path: &str, url: &str) -> Result<Snapshot, InputError> {
    let html = load_text(path, MAX_PAGE_BYTES)?;
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

/// What `diagnose` was given, once read.
#[derive(Debug, Default)]
pub struct Evidence {
    pub readings: Vec<Reading>,
    pub failure_text: Option<String>,
    pub apis: Vec<String>,
}

/// Findings from pages, a failure text and `--api` names (contract.md `diagnose`).
pub fn diagnose(evidence: &Evidence) -> Vec<Finding> {
    let mut app: Option<App> = None;
    let mut learned: Vec<Learned> = Vec::new();
    let mut token_scopes: Option<Vec<String>> = None;
    let mut api_pages: Vec<String> = Vec::new();
    for reading in &evidence.readings {
        match reading {
            // The app whose page was read last is the current app.
            Reading::AppDetail(page) => app = Some(App::from(page)),
            Reading::ApiDetail(page) => {
                api_pages.push(page.api.clone());
                if !page.scopes.is_empty() {
                    learned.retain(|l| l.api != page.api);
                    learned.push(Learned { api: page.api.clone(), scopes: page.scopes.clone() });
                }
            }
            Reading::TokenInfo(page) => token_scopes = Some(page.scopes.clone()),
            Reading::AuthUsers(_) | Reading::Unknown => {}
        }
    }
    let failures = evidence.failure_text.as_deref().map(failure::parse).unwrap_or_default();
    let failing = diagnose::failing_apis(&failures, &evidence.apis, &api_pages);
    let known = Knowledge { app: app.as_ref(), learned: &learned, token_scopes: token_scopes.as_deref() };
    diagnose::diagnose(&failing, known)
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
            out += &line("appKey", p.app_key.clone());
            out += &line("name", p.app_name.clone().unwrap_or_default());
            out += &line("回调地址", p.callback.clone().unwrap_or_default());
            out += &line("type", p.app_type.map(|t| format!("{t:?}")).unwrap_or_else(|| "(not shown)".into()));
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

/// Findings for people: each API, its package, the verdict and what to do.
pub fn human_findings(findings: &[Finding], style: &Style) -> String {
    if findings.is_empty() {
        return "No failing API found: pass --api NAME or a --failure text naming one (method=open.item.get).\n".into();
    }
    let mut out = String::new();
    for f in findings {
        let verdict = serde_json::to_value(f.verdict).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let colour = match f.verdict {
            Verdict::Reauthorize => "32",
            Verdict::Apply | Verdict::Pending => "33",
            Verdict::NotScopeError | Verdict::TokenHasScope => "36",
            _ => "31",
        };
        out += &format!("{}  {}  {}\n", style.paint("1", &f.api), f.scope.as_deref().unwrap_or("?"), style.paint(colour, &verdict));
        out += &format!("  {}\n  {}\n", f.explain.zh, f.explain.en);
        if let Some(link) = &f.auth_link {
            out += &format!("  first link:  {link}\n");
        }
        if let Some(link) = &f.mobile_link {
            out += &format!("  second link: {link}\n");
        }
    }
    out
}
