//! The native command line's work, apart from argument parsing: loading saved pages safely,
//! reading them, assembling a diagnosis, and printing for people or as contract.md's JSON.

use crate::diagnose::{Finding, Verdict};
use crate::evidence::{Evidence, Report};
use crate::failure::{self, Parsed};
use crate::link_check;
use crate::link_check::LinkCheck;
use crate::model::{Learned, Status, TokenReading};
use crate::read::{self, Reading};
use crate::snapshot::html::from_html;
use crate::snapshot::Snapshot;
use std::io::{BufRead, IsTerminal, Read, Write};
use thiserror::Error;

/// Larger saved pages are refused rather than parsed: a console page is well under 5 MB.
pub const MAX_PAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Deeper markup is refused before parsing: a console page nests a few dozen levels, and the
/// HTML tree builder slows quadratically with depth (20,000 levels take seconds).
pub const MAX_PAGE_DEPTH: usize = 4_000;
/// Larger failure texts are refused: a log to paste is not a whole disk.
pub const MAX_FAILURE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum InputError {
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: nested about {depth} elements deep (more than {MAX_PAGE_DEPTH}): not a console page")]
    TooDeep { path: String, depth: usize },
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

/// Longest piece of a log line given to the parser at once: a longer line (a whole file with no
/// line break) is read in pieces of this size, so memory stays bounded whatever the input.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Bytes at the start of a text checked for NUL (binary data).
const BINARY_PROBE_BYTES: usize = 8192;

/// What a failure log says, read line by line ([`stream_failures`]).
#[derive(Debug, Default)]
pub struct StreamedFailures {
    pub parsed: Parsed,
    /// The first authorization link in the text, for the link doctor.
    pub first_link: Option<String>,
}

/// Reads a failure log (`-` is standard input) a line at a time into the failure parser, in
/// memory bounded by the parser's caps and [`MAX_LINE_BYTES`], whatever the log's size. The
/// same checks as [`load_text`] apply (binary, empty, not UTF-8), but no size limit: nothing of
/// the log is kept but what the parser keeps.
pub fn stream_failures(path: &str) -> Result<StreamedFailures, InputError> {
    let io = |source| InputError::Io { path: path.to_string(), source };
    let mut source: Box<dyn Read> =
        if path == "-" { Box::new(std::io::stdin().lock()) } else { Box::new(std::fs::File::open(path).map_err(io)?) };
    // The binary check looks at the first bytes before anything else, as `load_text` does.
    let mut head = Vec::with_capacity(BINARY_PROBE_BYTES);
    (&mut source).take(BINARY_PROBE_BYTES as u64).read_to_end(&mut head).map_err(io)?;
    if head.contains(&0) {
        return Err(InputError::Binary { path: path.into(), what: Text::Log });
    }
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, std::io::Cursor::new(head).chain(source));
    let mut stream = failure::Stream::new();
    let mut first_link = None;
    let mut only_whitespace = true;
    // `line` holds the bytes of the line being read; `offset` counts the bytes before it.
    let mut line: Vec<u8> = Vec::new();
    let mut offset = 0usize;
    let mut take = |line: &[u8], offset: usize| -> Result<usize, InputError> {
        // A line cut at MAX_LINE_BYTES may end inside a character: that tail goes with the next piece.
        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(e) if e.error_len().is_none() && !line.ends_with(b"\n") && line.len() - e.valid_up_to() < 4 => {
                std::str::from_utf8(&line[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(e) => return Err(InputError::NotUtf8 { path: path.into(), offset: offset + e.valid_up_to(), what: Text::Log }),
        };
        only_whitespace = only_whitespace && text.bytes().all(|b| b.is_ascii_whitespace());
        if first_link.is_none() {
            first_link = link_check::links_in(text).into_iter().next();
        }
        stream.line(text);
        Ok(text.len())
    };
    loop {
        let buffer = reader.fill_buf().map_err(io)?;
        if buffer.is_empty() {
            break;
        }
        let room = MAX_LINE_BYTES - line.len();
        let (count, ends) = match buffer.iter().take(room).position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len().min(room), buffer.len() >= room),
        };
        line.extend_from_slice(&buffer[..count]);
        reader.consume(count);
        if ends {
            let used = take(&line, offset)?;
            offset += used;
            line.drain(..used);
        }
    }
    if !line.is_empty() {
        let used = take(&line, offset)?;
        if used < line.len() {
            // The text ends inside a character.
            return Err(InputError::NotUtf8 { path: path.into(), offset: offset + used, what: Text::Log });
        }
    }
    if only_whitespace {
        return Err(InputError::Empty { path: path.into() });
    }
    Ok(StreamedFailures { parsed: stream.finish(), first_link })
}

/// The findings for `evidence` (which has no `failure_text`) and a log read by
/// [`stream_failures`]: the same report `evidence::findings` gives with the log as its text.
pub fn findings_with_log(mut evidence: Evidence, log: StreamedFailures) -> Report {
    debug_assert!(evidence.failure_text.is_none());
    // The text's failures come after the known ones, as `evidence::findings` takes them.
    evidence.failures.extend(log.parsed.failures);
    let mut report = crate::evidence::findings(&evidence);
    report.unkept_lines = log.parsed.truncated;
    if let Some(link) = &log.first_link {
        let problems: Vec<_> = link_check::check_link(link, &evidence.apps).problems.into_iter().map(|p| p.code).collect();
        for finding in report.findings.iter_mut().filter(|f| f.verdict == Verdict::FixLink) {
            finding.problems = problems.clone();
        }
    }
    report
}

/// Writes `diagnose --json`'s object — `{"findings": [...]}` plus `truncated` and
/// `unkept_lines` when not zero — one finding at a time, without building it in memory first.
pub fn write_findings_json(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(b"{\"findings\":[")?;
    for (i, finding) in report.findings.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, finding)?;
    }
    out.write_all(b"]")?;
    if report.truncated > 0 {
        write!(out, ",\"truncated\":{}", report.truncated)?;
    }
    if report.unkept_lines > 0 {
        write!(out, ",\"unkept_lines\":{}", report.unkept_lines)?;
    }
    out.write_all(b"}\n")?;
    out.flush()
}

/// Loads one saved page as the readers' page model.
pub fn snapshot_page(path: &str, url: &str) -> Result<Snapshot, InputError> {
    snapshot_html(path, &load_text(path, MAX_PAGE_BYTES, Text::Page)?, url)
}

/// The snapshot's rules, built once for all the pages one run reads.
fn snapshot_rules() -> &'static crate::snapshot::Rules {
    static RULES: std::sync::OnceLock<crate::snapshot::Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(crate::read::labels::snapshot_rules)
}

/// The page model of a page's loaded text (`path` names it in errors).
fn snapshot_html(path: &str, html: &str, url: &str) -> Result<Snapshot, InputError> {
    if !looks_like_html(html) {
        return Err(InputError::NotHtml { path: path.into() });
    }
    let depth = crate::snapshot::html::nesting_depth(html);
    if depth > MAX_PAGE_DEPTH {
        return Err(InputError::TooDeep { path: path.into(), depth });
    }
    let snapshot = from_html(html, url, snapshot_rules());
    if snapshot.cut {
        // Never silently: what comes after the cut was not read.
        eprintln!(
            "scope-doctor: {path}: more than {} elements to read after collapsing long runs of rows; the rest of the page was not read",
            crate::snapshot::MAX_NODES
        );
    }
    Ok(snapshot)
}

/// Loads and reads one saved page.
pub fn read_page(path: &str) -> Result<Reading, InputError> {
    Ok(read::read(&snapshot_page(path, "")?))
}

/// Time spent per step of reading pages (`read --timings`, for the bench).
#[derive(Debug, Default)]
pub struct Timings {
    /// Loading and checking the file.
    pub load: std::time::Duration,
    /// Parsing the HTML and building the snapshot.
    pub snapshot: std::time::Duration,
    /// The readers.
    pub read: std::time::Duration,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        write!(f, "load {:.1} ms, parse + snapshot {:.1} ms, readers {:.1} ms", ms(self.load), ms(self.snapshot), ms(self.read))
    }
}

/// [`read_page`], adding the time of each step to `spent`.
pub fn read_page_timed(path: &str, spent: &mut Timings) -> Result<Reading, InputError> {
    let started = std::time::Instant::now();
    let html = load_text(path, MAX_PAGE_BYTES, Text::Page)?;
    let loaded = std::time::Instant::now();
    spent.load += loaded - started;
    let snapshot = snapshot_html(path, &html, "")?;
    let snapped = std::time::Instant::now();
    spent.snapshot += snapped - loaded;
    let reading = read::read(&snapshot);
    spent.read += snapped.elapsed();
    Ok(reading)
}

fn looks_like_html(text: &str) -> bool {
    let head = crate::text::clip(text, 65_536);
    head.match_indices('<').any(|(at, _)| head[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '!'))
}

/// Why a page read adds nothing to the evidence when the user would expect it to: an app page
/// whose appKey is not shown whole is not used (whole or absent), which would otherwise look
/// like no app page at all.
pub fn unused_page_note(reading: &Reading) -> Option<&'static str> {
    matches!(reading, Reading::AppDetail(page) if page.app_key.is_none()).then_some(
        "its appKey is not shown whole (missing, or with a look-alike or hidden character), so this app page is not used: no package status and no link come from it",
    )
}

/// Adds what a saved page shows to the evidence, as the extension's store would: the app read
/// last is current, an API page states its packages, a token page's result and the users of
/// 授权管理 are kept.
pub fn add_reading(evidence: &mut Evidence, reading: &Reading) {
    match reading {
        Reading::AppDetail(page) => {
            if let Some(app) = page.app() {
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
            evidence.token = Some(TokenReading { app_key: page.app_key.clone(), scopes: page.scopes.clone() });
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

fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Owned => "32",
        Status::Missing => "31",
        Status::Pending => "33",
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
    // Indexed, so a report of 10,000 APIs groups in linear time.
    let mut group_of = std::collections::HashMap::new();
    for f in &report.findings {
        let index = *group_of.entry((f.api.as_deref(), f.verdict, f.cause, f.failure)).or_insert_with(|| {
            groups.push(vec![]);
            groups.len() - 1
        });
        groups[index].push(f);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        format!("{}/tests/fixtures/{name}.html", env!("CARGO_MANIFEST_DIR"))
    }

    fn log_file(name: &str, text: &[u8]) -> String {
        let dir = std::env::temp_dir().join(format!("sd-cli-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path.to_string_lossy().into_owned()
    }

    const LOGS: &[&str] = &[
        "2024-06-20 10:00:01 INFO call method=open.item.get\n2024-06-20 10:00:01 ERROR {\"result\":28,\"error_msg\":\"token中无scope权限\"}\n\
         2024-06-20 10:00:02 ERROR POST /open/order/cursor/list -> token中无scope的权限\n\
         2024-06-20 10:00:03 ERROR open.distribution.cps.link.create result=1800608 暂无站外分销推广权限\n",
        "method=open.item.get shopId=1001 token中无scope权限\nmethod=open.item.get shopId=1002 token中无scope权限\nmethod=open.order.cursor.list shopId=1001 TOKEN过期",
        "Invalid url https://open.kwaixiaodian.com/oauth/authorize?appId=ks1&redirect_uri=https://a.example/cb&scope=merchant_item\n",
        "see 'https://open.kwaixiaodian.com/oauth/authorize?app_id=ks685673047213&scope=user_info' then\n{\n  \"error\": \"invalid_request\",\n  \"error_description\": \"Invalid url\"\n}\n",
        "{\n  \"method\": \"open.item.get\",\n  \"result\": 28,\n  \"error_msg\": \"鉴权失败\"\n}\n不属于此应用的授权用户或测试用户 seller_id: 77\n",
        "just some words\n",
        "{\"result\":1,\"data\":{}}\r\n",
        "refresh_token过期\r\nAUTHORIZATION_REVOKED open.item.get",
    ];

    #[test]
    fn a_streamed_log_gives_the_report_of_the_whole_text() {
        let app = read_page(&fixture("app-ant-descriptions")).unwrap_or_else(|e| panic!("{e}"));
        let api = read_page(&fixture("api-catalog-differs")).unwrap_or_else(|e| panic!("{e}"));
        let mut many = String::new();
        for i in 0..12_000 {
            many += &format!("2024-06-20 ERROR method=open.item.get{} shopId={} token中无scope权限\n", i % 3, i);
        }
        for (i, text) in LOGS.iter().copied().chain([many.as_str()]).enumerate() {
            for pages in [vec![], vec![&app], vec![&app, &api]] {
                let mut evidence = Evidence::default();
                pages.iter().for_each(|page| add_reading(&mut evidence, page));
                let log = stream_failures(&log_file(&format!("log{i}.txt"), text.as_bytes())).unwrap_or_else(|e| panic!("{e}"));
                let streamed = findings_with_log(evidence.clone(), log);
                evidence.failure_text = Some(text.to_string());
                assert_eq!(streamed, crate::evidence::findings(&evidence), "log {i} with {} page(s)", pages.len());
            }
        }
    }

    #[test]
    fn the_json_is_written_as_serde_json_would() {
        let app = read_page(&fixture("app-ant-descriptions")).unwrap_or_else(|e| panic!("{e}"));
        let mut evidence = Evidence::default();
        add_reading(&mut evidence, &app);
        evidence.failure_text = Some(LOGS[1].to_string());
        let mut report = crate::evidence::findings(&evidence);
        for (truncated, unkept_lines) in [(0, 0), (3, 0), (0, 7), (2, 5)] {
            (report.truncated, report.unkept_lines) = (truncated, unkept_lines);
            let mut expected = serde_json::json!({ "findings": report.findings });
            if truncated > 0 {
                expected["truncated"] = truncated.into();
            }
            if unkept_lines > 0 {
                expected["unkept_lines"] = unkept_lines.into();
            }
            let mut written = Vec::new();
            write_findings_json(&report, &mut written).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(String::from_utf8_lossy(&written), format!("{expected}\n"));
        }
    }

    #[test]
    fn a_log_is_checked_as_a_loaded_text_is() {
        let message = |bytes: &[u8]| stream_failures(&log_file("bad.log", bytes)).map(|_| ()).map_err(|e| e.to_string());
        assert!(message(b"a\x00b").is_err_and(|e| e.contains("binary data")));
        assert!(message(b" \n\t\r\n").is_err_and(|e| e.contains("empty file")));
        assert!(message(b"").is_err_and(|e| e.contains("empty file")));
        assert!(message(b"ok line\ncaf\xe9\n").is_err_and(|e| e.contains("byte 11 is invalid")));
        assert!(message("ends inside 鉴".as_bytes().split_last().map(|(_, rest)| rest).unwrap_or_default())
            .is_err_and(|e| e.contains("byte 12 is invalid")));
        assert!(stream_failures("/no/such/log").is_err_and(|e| e.to_string().contains("cannot read")));
        // A line longer than MAX_LINE_BYTES is read in pieces, cut between characters.
        let long = format!("method=open.item.get {} token中无scope权限\n", "鉴".repeat(MAX_LINE_BYTES / 2));
        let log = stream_failures(&log_file("long.log", long.as_bytes())).unwrap_or_else(|e| panic!("{e}"));
        assert!(!log.parsed.failures.is_empty());
    }
}
