//! `scope-doctor`: the same readers and decision as the extension, on saved pages and logs.
//! See contract.md for the `read` and `diagnose` output.

use clap::{Parser, Subcommand};
use scope_doctor::cli::{self, Style, MAX_FAILURE_BYTES};
use scope_doctor::evidence::{self, Evidence};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "scope-doctor",
    version,
    about = "Finds the permission package behind `token中无scope权限` and builds the authorization link.",
    after_help = VERDICTS_HELP
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read saved console pages: one result per file, in order.
    Read {
        #[arg(required = true, value_name = "FILE.html")]
        files: Vec<String>,
        /// One JSON object per file, one per line.
        #[arg(long)]
        json: bool,
        /// Say on standard error where the time went (loading, snapshot, readers): for the bench.
        #[arg(long, hide = true)]
        timings: bool,
    },
    /// Print the page model the readers see (elements, own text, visibility) as JSON, one line
    /// per file: for debugging a reader and for benchmarks.
    Snapshot {
        #[arg(required = true, value_name = "FILE.html")]
        files: Vec<String>,
        /// The page's address, when the file does not say.
        #[arg(long, default_value = "")]
        url: String,
    },
    /// Decide, for each failing API, who must act, and build the authorization link.
    Diagnose {
        /// Pages the user has seen (API detail, app detail, 授权管理, 授权查询工具), any mix.
        #[arg(value_name = "PAGE.html")]
        pages: Vec<String>,
        /// An API that fails (repeatable).
        #[arg(long = "api", value_name = "NAME")]
        apis: Vec<String>,
        /// The error text: a log, a JSON response or a pasted message.
        #[arg(long, value_name = "TEXT", conflicts_with = "failure_file")]
        failure: Option<String>,
        /// Read the error text from a file, or `-` for standard input.
        #[arg(long, value_name = "FILE")]
        failure_file: Option<String>,
        /// One JSON object: {"findings": [...]} plus "truncated" when findings were left out.
        #[arg(long)]
        json: bool,
        /// Also print, for each verdict with a link, the message to send the merchant (Chinese,
        /// then English): the app, the packages to tick, the link and what happens next.
        #[arg(long)]
        message: bool,
    },
    /// Check an authorization link: why it fails (`Invalid url`, a package missing from the new
    /// token) and the corrected first link when an app page of its appKey is given.
    CheckLink {
        /// The link, as copied or as seen in a log.
        link: String,
        /// App detail pages (应用详情) to check the link against.
        #[arg(value_name = "PAGE.html")]
        pages: Vec<String>,
        /// One JSON object: link, ok, app_key, problems [{code, detail}], fixed_link.
        #[arg(long)]
        json: bool,
    },
    /// Print the names shared with the JavaScript (extension/shared/names.js).
    #[command(hide = true)]
    Names,
    /// Decide from an evidence file (the JSON the extension and the playground assemble); for
    /// the native/wasm parity test.
    #[command(hide = true)]
    Evidence { file: String },
}

const VERDICTS_HELP: &str = "\
Verdicts (diagnose):
  apply            the app does not hold the package: the app owner clicks 申请 on the app detail page
  pending          the package is under review (申请中): wait 1-3 working days, then re-authorize
  reauthorize      the merchant opens the first link (cause: scope-not-granted, refresh-token-expired, revoked)
  token-has-scope  授权查询工具 shows the token has the package: wrong token, app or merchant
  unknown-scope    the API's package is not known: open its API detail page (or the app page)
  service-market   a 服务市场 app: the merchant (re-)authorizes or orders the service in 服务市场; no link
  refresh-token    the access token expired: the developer's server refreshes it; no link
  check-token      bare 鉴权失败: paste the token into 授权查询工具 to see why
  add-user         not a test/authorized user: add the merchant's user ID in 授权管理, then send the link
  fix-link         Invalid url: the link's app_id or redirect_uri is wrong; use the corrected link
  not-scope-error  not an authorization problem (cause: quota, business, unrecognized); never a link

check-link checks an authorization link by meaning (exit 0 ok, 1 problems, 2 unusable input).";

/// Exit code for unreadable input (the other inputs are still processed).
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let style = Style::for_stdout();
    match Args::parse().command {
        Command::Read { files, json, timings } => {
            let mut ok = true;
            let mut spent = cli::Timings::default();
            for file in &files {
                match cli::read_page_timed(file, &mut spent) {
                    Ok(reading) if json => {
                        let mut value = serde_json::to_value(reading.without_anchors()).unwrap_or_default();
                        if let Some(map) = value.as_object_mut() {
                            let mut with_file = serde_json::Map::new();
                            with_file.insert("file".into(), file.clone().into());
                            with_file.extend(std::mem::take(map));
                            value = with_file.into();
                        }
                        println!("{value}");
                    }
                    Ok(reading) => print!("{}", cli::human_reading(file, &reading, &style)),
                    Err(e) => {
                        eprintln!("scope-doctor: {e}");
                        ok = false;
                    }
                }
            }
            if timings {
                eprintln!("{spent}");
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(BAD_INPUT)
            }
        }
        Command::Snapshot { files, url } => {
            let mut ok = true;
            for file in &files {
                match cli::snapshot_page(file, &url) {
                    Ok(snapshot) => println!("{}", serde_json::to_string(&snapshot).unwrap_or_default()),
                    Err(e) => {
                        eprintln!("scope-doctor: {e}");
                        ok = false;
                    }
                }
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(BAD_INPUT)
            }
        }
        Command::Diagnose { pages, apis, failure, failure_file, json, message } => {
            let mut ok = true;
            let mut evidence = Evidence::default();
            if failure.as_deref().is_some_and(|t| t.trim().is_empty()) {
                eprintln!("scope-doctor: --failure is empty: give the error text, or leave the flag out");
                return ExitCode::from(BAD_INPUT);
            }
            evidence.failure_text = failure;
            // A log file is read a line at a time: any size, in bounded memory.
            let mut log = None;
            if let Some(path) = failure_file {
                match cli::stream_failures(&path) {
                    Ok(streamed) => log = Some(streamed),
                    Err(e) => {
                        eprintln!("scope-doctor: {e}");
                        ok = false;
                    }
                }
            }
            for name in &apis {
                match scope_doctor::text::method_names(name).into_iter().next() {
                    Some(api) => evidence.apis.push(api),
                    None => {
                        eprintln!("scope-doctor: --api {name:?} is not an API name like open.item.get");
                        ok = false;
                    }
                }
            }
            for page in &pages {
                match cli::read_page(page) {
                    Ok(reading) => {
                        if let Some(note) = cli::unused_page_note(&reading) {
                            eprintln!("scope-doctor: {page}: {note}");
                        }
                        cli::add_reading(&mut evidence, &reading)
                    }
                    Err(e) => {
                        eprintln!("scope-doctor: {e}");
                        ok = false;
                    }
                }
            }
            let report = match log {
                Some(log) => cli::findings_with_log(evidence, log),
                None => evidence::findings(&evidence),
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = if json {
                cli::write_findings_json(&report, &mut out)
            } else {
                let mut text = cli::human_findings(&report, &style);
                if message {
                    text += &cli::merchant_messages(&report);
                }
                out.write_all(text.as_bytes()).and_then(|()| out.flush())
            };
            if let Err(e) = written {
                eprintln!("scope-doctor: cannot write the findings: {e}");
                return ExitCode::FAILURE;
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(BAD_INPUT)
            }
        }
        Command::CheckLink { link, pages, json } => {
            let mut apps = Vec::new();
            for page in &pages {
                match cli::read_page(page) {
                    Ok(scope_doctor::read::Reading::AppDetail(page)) => apps.extend(page.app()),
                    Ok(other) => {
                        eprintln!("scope-doctor: {page}: a {} page, not an app detail page (应用详情)", other.kind());
                        return ExitCode::from(BAD_INPUT);
                    }
                    Err(e) => {
                        eprintln!("scope-doctor: {e}");
                        return ExitCode::from(BAD_INPUT);
                    }
                }
            }
            let check = scope_doctor::link_check::check_link(&link, &apps);
            if json {
                println!("{}", serde_json::to_string(&check).unwrap_or_default());
            } else {
                print!("{}", cli::human_link_check(&check, &style));
            }
            ExitCode::from(if check.ok { 0 } else { 1 })
        }
        Command::Names => {
            print!("{}", scope_doctor::names::js_module());
            ExitCode::SUCCESS
        }
        Command::Evidence { file } => {
            let parsed = cli::load_text(&file, MAX_FAILURE_BYTES, cli::Text::Log)
                .map_err(|e| e.to_string())
                .and_then(|text| serde_json::from_str::<Evidence>(&text).map_err(|e| format!("{file}: not an evidence file: {e}")));
            match parsed {
                Ok(evidence) => {
                    println!("{}", serde_json::to_string(&evidence::findings(&evidence)).unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("scope-doctor: {e}");
                    ExitCode::from(BAD_INPUT)
                }
            }
        }
    }
}
