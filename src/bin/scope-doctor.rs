//! `scope-doctor`: the same readers and decision as the extension, on saved pages and logs.
//! See contract.md for the `read` and `diagnose` output.

use clap::{Parser, Subcommand};
use scope_doctor::cli::{self, Evidence, Style, MAX_FAILURE_BYTES};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "scope-doctor",
    version,
    about = "Finds the permission package behind `token中无scope权限` and builds the authorization link."
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
        #[arg(long)]
        json: bool,
    },
}

/// Exit code for unreadable input (the other inputs are still processed).
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let style = Style::for_stdout();
    match Args::parse().command {
        Command::Read { files, json } => {
            let mut ok = true;
            for file in &files {
                match cli::read_page(file) {
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
        Command::Diagnose { pages, apis, failure, failure_file, json } => {
            let mut ok = true;
            let mut evidence = Evidence { failure_text: failure, ..Default::default() };
            if let Some(path) = failure_file {
                match cli::load_text(&path, MAX_FAILURE_BYTES) {
                    Ok(text) => evidence.failure_text = Some(text),
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
                    Ok(reading) => evidence.readings.push(reading),
                    Err(e) => {
                        eprintln!("scope-doctor: {e}");
                        ok = false;
                    }
                }
            }
            let findings = cli::diagnose(&evidence);
            if json {
                println!("{}", serde_json::json!({ "findings": findings }));
            } else {
                print!("{}", cli::human_findings(&findings, &style));
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(BAD_INPUT)
            }
        }
    }
}
