//! Failure text: logs, JSON responses and SDK exceptions → the failing calls in them.
//!
//! The text is cut into records: a line, or a JSON object spread over several lines. A record
//! may name APIs (`method=open.item.get`, `/open/item/get`) and may carry an outcome: an error
//! (found in `error_msg`/`sub_msg`/`msg` fields, codes, or anywhere in the line) or a success
//! (`"result":1`). An error belongs to the API named in its record, else to the most recently
//! named API still waiting for its outcome (`calling open.item.get` then the response), else to
//! the one entry without an API — unless the next record, past only its indented continuation
//! lines, tells the same error again with its API (a message line, its stack, then the error's
//! fields): that is one failure. Hand-written scanners only: this runs as wasm and must stay small.
//!
//! The parts: `patterns.rs` (every text looked for, with its example), `records.rs` (cutting
//! records, weighing one record's outcome), `fields.rs` (message, code and merchant fields),
//! `free_text.rs` (words anywhere in a record, exception markers), `apis.rs` (API names),
//! `search.rs` (the lower-cased record and its byte-pair filter) and `ledger.rs` (tying
//! outcomes to APIs within [`MAX_FAILURES`]).

mod apis;
mod fields;
mod free_text;
mod ledger;
mod patterns;
mod records;
mod search;

use serde::{Deserialize, Serialize};

use crate::model::Failure;
use crate::text::clip;
use ledger::Ledger;
use records::{brace_depth_after, ends_open, for_each_record, MAX_RECORD_BYTES, MAX_RECORD_LINES};

/// Everything a text says, bounded: at most [`MAX_FAILURES`] distinct failures are kept and
/// the rest counted, so a production log of any size never takes unbounded memory.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Parsed {
    pub failures: Vec<Failure>,
    /// Distinct (API, merchant) failures beyond the bound: counted, not kept.
    pub truncated: u64,
}

/// Distinct failures kept from one text (APIs × merchants).
pub const MAX_FAILURES: usize = 10_000;

/// Longest error message kept for display (characters).
const MESSAGE_CHARS: usize = 200;

/// Every failing call in `text`, one per distinct API and merchant in order of first
/// appearance, plus the errors that name no API (see [`parse_all`]).
pub fn parse(text: &str) -> Vec<Failure> {
    parse_all(text).failures
}

/// Every failing call in `text`, bounded by [`MAX_FAILURES`]. APIs a text names without an
/// error of their own take the one error that names no API; when the text has other outcomes
/// only, they are left out (they may well have succeeded). A text with no recognised outcome at
/// all is an error Scope Doctor does not recognise — for the APIs it names, else for none: only
/// the absence of any text (a mark, `--api`) is the tool's premise, never text it cannot read.
pub fn parse_all(text: &str) -> Parsed {
    let mut ledger = Ledger::default();
    for_each_record(text, |record| ledger.read(record));
    ledger.into_parsed(|| unrecognized_text(text.chars(), text.lines()))
}

/// [`parse_all`] for a text that arrives a line at a time (a log file of any size): memory
/// stays bounded — the ledger by [`MAX_FAILURES`] and the calls waiting for a response, the
/// record being assembled by its line and byte caps — whatever the length of the text.
/// Feeding every piece of `text.split_inclusive('\n')` in order, then [`Stream::finish`],
/// gives exactly `parse_all(text)`.
#[derive(Default)]
pub struct Stream {
    ledger: Ledger,
    /// The record being assembled: the lines of an object whose braces are still open.
    record: String,
    lines: usize,
    depth: usize,
    /// The first non-blank line, clipped: the message of a text nothing in it is recognised.
    first_line: Option<String>,
    /// Letters and digits seen, counted up to two (see [`unrecognized_text`]).
    alphanumerics: usize,
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    /// Takes the next line, with its `\n` (the text's last line may have none). The records are
    /// cut as [`parse_all`] cuts them: a line, or the lines of a multi-line JSON object.
    pub fn line(&mut self, line: &str) {
        if self.alphanumerics < 2 {
            self.alphanumerics += line.chars().filter(|c| c.is_alphanumeric()).take(2 - self.alphanumerics).count();
        }
        if self.first_line.is_none() && !line.trim().is_empty() {
            self.first_line = Some(clip(line.trim(), MESSAGE_CHARS).to_string());
        }
        // The same steps as `for_each_record`, with the record kept instead of sliced.
        self.record.push_str(line);
        self.lines += 1;
        self.depth = brace_depth_after(line, self.depth);
        if self.lines == 1 && !ends_open(line) {
            self.depth = 0;
        }
        if self.depth > 0 && self.lines < MAX_RECORD_LINES && self.record.len() < MAX_RECORD_BYTES {
            return;
        }
        if self.depth == 0 {
            self.ledger.read(&self.record);
        } else {
            self.record.split_inclusive('\n').for_each(|line| self.ledger.read(line));
            self.depth = 0;
        }
        self.record.clear();
        self.lines = 0;
    }

    /// Everything the text said, as [`parse_all`] would have answered.
    pub fn finish(mut self) -> Parsed {
        if !self.record.is_empty() {
            self.ledger.read(&self.record); // an object cut short is still one response
        }
        let (alphanumerics, first_line) = (self.alphanumerics, self.first_line.take());
        self.ledger.into_parsed(|| (alphanumerics >= 2).then(|| crate::secrets::scrub(first_line.as_deref().unwrap_or(""))))
    }
}

/// The message of a text in which nothing was recognised: its first non-blank line (clipped,
/// scrubbed), when it holds at least two letters or digits — stray punctuation or a lone letter
/// is no text at all.
fn unrecognized_text<'a>(chars: impl Iterator<Item = char>, lines: impl Iterator<Item = &'a str>) -> Option<String> {
    chars.filter(|c| c.is_alphanumeric()).nth(1)?;
    let first_line = lines.map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    Some(crate::secrets::scrub(clip(first_line, MESSAGE_CHARS)))
}

/// Helpers of the unit tests in this folder.
#[cfg(test)]
mod test_support {
    use super::parse;
    use crate::model::{Failure, FailureKind};

    pub(super) fn one(text: &str) -> Failure {
        let found = parse(text);
        assert_eq!(found.len(), 1, "expected one failure in {text:?}, got {found:#?}");
        found.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    /// Node's util.inspect of an SDK error: the message line, the stack, then the error's fields.
    pub(super) const NODE_INSPECT: &str = "\
KwaiApiError: token中无scope权限
    at KwaiClient.request (/srv/app/node_modules/@acme/kwai/dist/client.js:91:15)
    at processTicksAndRejections (node:internal/process/task_queues:95:5) {
  method: 'open.order.cursor.list',
  sellerId: '20240601',
  response: { result: 28, error_msg: 'token中无scope权限' }
}
";

    pub(super) fn failure(api: Option<&str>, kind: FailureKind, code: Option<&str>, message: &str) -> Failure {
        Failure { api: api.map(String::from), merchant: None, kind, code: code.map(String::from), message: message.into(), count: 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FailureKind::*;
    use test_support::failure;

    #[test]
    fn empty_and_noise() {
        assert_eq!(parse(""), vec![]);
        assert_eq!(parse("\n\n   \n"), vec![]);
        // Words Scope Doctor does not know make an error text it does not recognise.
        let unknown = |message: &str| vec![failure(None, Unrecognized, None, message)];
        assert_eq!(parse("hello world, nothing to see; 你好"), unknown("hello world, nothing to see; 你好"));
        assert_eq!(parse("ERROR:root:connection reset"), unknown("ERROR:root:connection reset"));
        assert_eq!(parse("{{{{"), vec![]);
        assert_eq!(parse("}}}} \"\\u"), vec![]);
    }

    #[test]
    fn big_log_is_fast() {
        let block = "2024-05-01 10:00:00 INFO [exec-1] calling open.item.get itemId=12345 with some padding text\n\
                     2024-05-01 10:00:00 INFO {\"result\":1,\"data\":{\"title\":\"商品标题\",\"price\":100}}\n";
        let mut text = block.repeat(5_000_000 / block.len());
        text.push_str("{\"result\":28,\"error_msg\":\"token中无scope权限\"}\n");
        let started = std::time::Instant::now();
        let found = parse(&text);
        let took = started.elapsed();
        assert_eq!(found, vec![failure(None, MissingScope, Some("28"), "token中无scope权限")]);
        // Debug builds are ~10x slower than release; this bounds accidental quadratic work.
        assert!(took.as_secs_f64() < 20.0, "took {took:?}");
    }
}

/// The streaming entry point answers exactly as `parse_all` on the same text.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod stream_tests {
    use super::*;
    use proptest::prelude::*;

    fn streamed(text: &str) -> Parsed {
        let mut stream = Stream::new();
        text.split_inclusive('\n').for_each(|line| stream.line(line));
        stream.finish()
    }

    #[test]
    fn streams_what_parse_all_finds() {
        let texts = [
            "",
            "  \n\n",
            "x",
            "ok",
            "hello world\n",
            "2024-05-01 10:00:00 ERROR method=open.item.get shopId=1001 token中无scope权限\n",
            "calling open.item.get\ncalling open.order.cursor.list\n{\"result\":28,\"error_msg\":\"token中无scope权限\"}\n{\"result\":1}\n",
            "{\n  \"method\": \"open.item.get\",\n  \"result\": 28,\n  \"error_msg\": \"TOKEN过期\"\n}\n",
            "{\n  \"method\": \"open.item.get\",\n  \"result\": 28,\n  \"error_msg\": \"token中无scope权限\"",
            "Array\n(\n    [result] => 28\n    [error_msg] => 鉴权失败\n)\n",
            "open.item.get\nUncaught KsMerchantApiException: token中无scope权限\n  at com.kuaishou.merchant.open.api.Client\n",
            "\r\n  first line here \r\nsecond\r\n",
            "{\"result\":1016,\"error_msg\":\"Exceed qps limit\"} method=open.item.list.get\n{\"result\":1}",
            test_support::NODE_INSPECT,
            "ERROR token中无scope权限\n  at x\n\nERROR method=open.order.cursor.list token中无scope权限\n",
        ];
        for text in texts {
            assert_eq!(streamed(text), parse_all(text), "{text:?}");
        }
        // An object whose braces never close within the record caps: its lines stand alone.
        let open = format!("{{\n{}", "\"method\":\"open.item.get\",\"error_msg\":\"token中无scope权限\",\n".repeat(150));
        assert_eq!(streamed(&open), parse_all(&open));
        let wide = format!("{{\n\"msg\":\"{}\",\nmethod=open.item.get 鉴权失败\n", "x".repeat(70_000));
        assert_eq!(streamed(&wide), parse_all(&wide));
    }

    #[test]
    fn a_stream_of_many_apis_stays_bounded() {
        let mut stream = Stream::new();
        for i in 0..(MAX_FAILURES + 500) {
            stream.line(&format!("method=open.item.get{i} token中无scope权限\n"));
        }
        let parsed = stream.finish();
        assert_eq!(parsed.failures.len(), MAX_FAILURES);
        assert_eq!(parsed.truncated, 500);
    }

    fn log_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("{".to_string()),
            Just("{\n".to_string()),
            Just("}".to_string()),
            Just("(\n".to_string()),
            Just(")".to_string()),
            Just(",\n".to_string()),
            Just("\"".to_string()),
            Just("\"error_msg\":\"".to_string()),
            Just("\"result\":28,".to_string()),
            Just("\"result\":1".to_string()),
            Just("shopId=1001 ".to_string()),
            Just("\"open_id\":\"f0a1\",".to_string()),
            Just("token中无scope权限".to_string()),
            Just("鉴权失败".to_string()),
            Just("TOKEN过期".to_string()),
            Just("Invalid url ".to_string()),
            Just("https://open.kwaixiaodian.com/oauth/authorize?app_id=ks1&scope=a ".to_string()),
            Just("calling ".to_string()),
            Just("method=open.item.get ".to_string()),
            Just("open.order.cursor.list".to_string()),
            Just("ERROR ".to_string()),
            "[a-z0-9_.:=, ]{0,12}",
            "\\PC{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn stream_equals_parse_all(pieces in prop::collection::vec(log_piece(), 0..60)) {
            let text = pieces.concat();
            prop_assert_eq!(streamed(&text), parse_all(&text));
        }

        #[test]
        fn stream_equals_parse_all_on_any_text(text in "\\PC*(\n\\PC*){0,8}") {
            prop_assert_eq!(streamed(&text), parse_all(&text));
        }
    }
}
