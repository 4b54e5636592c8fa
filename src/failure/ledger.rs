//! Tying outcomes to APIs: the bounded set of distinct failures (per API and merchant, at most
//! [`MAX_FAILURES`]; the rest counted), the calls still waiting for their response, and which
//! of several errors of one API is kept.

use std::collections::HashMap;

use super::apis::api_mentions;
use super::fields::record_merchant;
use super::records::{judge_record, Outcome, Verdict};
use super::search::Lowered;
use super::{Parsed, MAX_FAILURES};
use crate::model::Failure;
use crate::model::FailureKind::{self, *};

/// Calls still waiting for their response, kept at most: a log of unanswered calls stays bounded.
const MAX_WAITING: usize = 4096;

/// The last record's error that named no API, while nothing but its own continuation lines (a
/// stack trace's indented frames) has followed: if the next record names an API with the same
/// error, the two are one failure told twice (`KwaiApiError: token中无scope权限`, its stack, then
/// `{ method: 'open.item.get', response: {…} }`), not a second failure of an unknown API.
struct Loose {
    index: usize,
    /// The entry's outcome before this error was counted into it.
    previous: Option<Outcome>,
    kind: FailureKind,
    merchant: Option<String>,
}

struct Entry {
    api: Option<String>,
    merchant: Option<String>,
    outcome: Option<Outcome>,
    succeeded: bool,
    /// Mentions of this API still waiting for their outcome.
    waiting: usize,
    /// Failing records counted into this entry.
    count: u64,
}

/// An entry's identity: the API (lower-cased), the merchant, and — for errors that name no
/// API — the kind, so that `Invalid url` and an unrecognised line stay two findings.
type EntryKey = (Option<String>, Option<String>, Option<FailureKind>);

#[derive(Default)]
pub(super) struct Ledger {
    entries: Vec<Entry>,
    by_key: HashMap<EntryKey, usize>,
    /// Entry indices of mentions waiting for an outcome, most recent last (may hold stale ones).
    waiting: Vec<usize>,
    /// Failing records that did not fit under `MAX_FAILURES`.
    truncated: u64,
    /// Whether any record was a success response.
    any_success: bool,
    loose: Option<Loose>,
}

impl Ledger {
    /// Takes one record: what it names, what became of the call, and whose call it was.
    pub(super) fn read(&mut self, record: &str) {
        let lower = Lowered::new(record);
        let loose = self.loose.take();
        if !lower.may_hold_anything() {
            self.loose = loose.filter(|_| is_continuation(record));
            return;
        }
        let mentions = api_mentions(record);
        let verdict = judge_record(record, &lower);
        let merchant = record_merchant(record, &lower);
        match &verdict {
            Verdict::Silent if mentions.is_empty() && is_continuation(record) => self.loose = loose,
            Verdict::Failed(outcome, _) if !mentions.is_empty() => {
                let told_again = |l: &Loose| l.kind == outcome.kind && l.merchant.as_ref().is_none_or(|m| Some(m) == merchant.as_ref());
                if let Some(loose) = loose.filter(told_again) {
                    self.retract(loose);
                }
            }
            _ => {}
        }
        self.take(&mentions, verdict, merchant);
    }

    /// Takes back an error counted into the entry of errors naming no API.
    fn retract(&mut self, loose: Loose) {
        let entry = &mut self.entries[loose.index];
        entry.count = entry.count.saturating_sub(1);
        entry.outcome = loose.previous;
    }

    fn take(&mut self, mentions: &[(usize, String)], verdict: Verdict, merchant: Option<String>) {
        match verdict {
            Verdict::Silent => {
                for (_, api) in mentions {
                    if let Some(index) = self.entry_for(Some(api), merchant.clone(), None) {
                        self.entries[index].waiting += 1;
                        self.waiting.push(index);
                    }
                }
                if self.waiting.len() > MAX_WAITING {
                    self.waiting.drain(..MAX_WAITING / 2);
                }
            }
            Verdict::Succeeded if mentions.is_empty() => {
                self.any_success = true;
                if let Some(index) = self.pop_waiting() {
                    self.entries[index].succeeded = true;
                }
            }
            Verdict::Succeeded => {
                self.any_success = true;
                for (_, api) in mentions {
                    if let Some(index) = self.entry_for(Some(api), merchant.clone(), None) {
                        self.consume_own_mention(index);
                        self.entries[index].succeeded = true;
                    }
                }
            }
            // The authorization page's and the refresh token's errors concern no API call.
            Verdict::Failed(outcome, _) if outcome.kind.concerns_no_api() => {
                let kind = outcome.kind;
                let index = self.entry_for(None, merchant, Some(kind));
                self.record_outcome(index, outcome);
            }
            Verdict::Failed(outcome, _) if mentions.is_empty() => {
                let target = match self.pop_waiting() {
                    Some(index) => {
                        let called = &self.entries[index];
                        let api = called.api.clone();
                        let merchant = merchant.or_else(|| called.merchant.clone());
                        self.entry_for(api.as_deref(), merchant, None)
                    }
                    None => {
                        let index = self.entry_for(None, merchant.clone(), Some(outcome.kind));
                        if let Some(index) = index.filter(|_| outcome.kind != Unrecognized) {
                            let previous = self.entries[index].outcome.clone();
                            self.loose = Some(Loose { index, previous, kind: outcome.kind, merchant });
                        }
                        index
                    }
                };
                self.record_outcome(target, outcome);
            }
            Verdict::Failed(outcome, at) => {
                let nearest = mentions.iter().min_by_key(|(pos, _)| pos.abs_diff(at)).map(|(_, api)| api);
                if let Some(api) = nearest {
                    let index = self.entry_for(Some(api), merchant, None);
                    if let Some(index) = index {
                        self.consume_own_mention(index);
                    }
                    self.record_outcome(index, outcome);
                }
            }
        }
    }

    /// The entry of an API (or of an API-less error) and merchant, created on first sight while
    /// there is room. Spellings differing only in case (`returnInfo`, a path's `returninfo`) are
    /// one API, kept as first written.
    fn entry_for(&mut self, api: Option<&str>, merchant: Option<String>, kind: Option<FailureKind>) -> Option<usize> {
        // Errors of API calls that name no API merge into one (the most telling is kept); the
        // authorization page's and the refresh token's stay apart by kind.
        let apart = api.is_none() && kind.is_some_and(FailureKind::concerns_no_api);
        let key = (api.map(str::to_ascii_lowercase), merchant, if apart { kind } else { None });
        if let Some(&index) = self.by_key.get(&key) {
            return Some(index);
        }
        if self.entries.len() >= MAX_FAILURES {
            return None;
        }
        let merchant = key.1.clone();
        self.entries.push(Entry { api: api.map(String::from), merchant, outcome: None, succeeded: false, waiting: 0, count: 0 });
        self.by_key.insert(key, self.entries.len() - 1);
        Some(self.entries.len() - 1)
    }

    /// The most recently named API still waiting for its outcome, taken off the stack.
    fn pop_waiting(&mut self) -> Option<usize> {
        while let Some(index) = self.waiting.pop() {
            if self.entries[index].waiting > 0 {
                self.entries[index].waiting -= 1;
                return Some(index);
            }
        }
        None
    }

    /// A record naming an API with its own outcome answers an earlier `calling …` of that API.
    fn consume_own_mention(&mut self, index: usize) {
        let entry = &mut self.entries[index];
        entry.waiting = entry.waiting.saturating_sub(1);
    }

    fn record_outcome(&mut self, index: Option<usize>, outcome: Outcome) {
        let Some(index) = index else {
            self.truncated += 1;
            return;
        };
        let entry = &mut self.entries[index];
        entry.count += 1;
        let better = match &entry.outcome {
            None => true,
            Some(kept) => {
                merge_rank(outcome.kind) > merge_rank(kept.kind)
                    || (outcome.kind == kept.kind && kept.message.is_empty() && !outcome.message.is_empty())
            }
        };
        if better {
            entry.outcome = Some(outcome);
        }
    }

    /// The failures, once every record is in (see [`parse_all`] for the rules on APIs named
    /// without an error of their own).
    pub(super) fn into_parsed(self, unrecognized: impl FnOnce() -> Option<String>) -> Parsed {
        let has_outcome = self.any_success || self.entries.iter().any(|e| e.outcome.is_some());
        // The one error naming no API that APIs named without an error of their own take.
        let unnamed = self.entries.iter().position(|e| e.api.is_none() && e.outcome.as_ref().is_some_and(|o| !o.kind.concerns_no_api()));
        let mut adopted = false;
        let mut unnamed_at = None;
        let mut failures = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            if Some(index) == unnamed {
                unnamed_at = Some(failures.len());
            }
            let outcome = match &entry.outcome {
                Some(outcome) => outcome.clone(),
                // Succeeded, or an error naming no API that a later record told again with its API.
                None if entry.succeeded || entry.api.is_none() => continue,
                None => match unnamed {
                    Some(index) => {
                        adopted = true;
                        self.entries[index].outcome.clone().unwrap_or_else(|| unreachable!("unnamed has an outcome"))
                    }
                    None if has_outcome => continue,
                    None => Outcome { kind: Unrecognized, code: None, message: String::new() },
                },
            };
            failures.push(Failure {
                api: entry.api.clone(),
                merchant: entry.merchant.clone(),
                kind: outcome.kind,
                code: outcome.code,
                message: outcome.message,
                count: entry.count.max(1),
            });
        }
        if let Some(at) = unnamed_at.filter(|_| adopted) {
            failures.remove(at);
        }
        // Stray punctuation or a lone letter is no text at all; anything more is an error text.
        if let Some(message) = (failures.is_empty() && !has_outcome).then(unrecognized).flatten() {
            failures.push(Failure { api: None, merchant: None, kind: Unrecognized, code: None, message, count: 1 });
        }
        Parsed { failures, truncated: self.truncated }
    }
}

/// A line that carries on the record before it: blank, or indented (a stack trace's frames).
fn is_continuation(record: &str) -> bool {
    record.trim().is_empty() || record.starts_with([' ', '\t'])
}

/// Which of several errors of one API to keep: the one most likely to be a missing package.
fn merge_rank(kind: FailureKind) -> u8 {
    match kind {
        MissingScope => 9,
        AuthFailed => 8,
        RevokedGrant => 7,
        RefreshTokenExpired => 6,
        ExpiredToken => 5,
        NotAppUser | InvalidUrl | ServiceNotOrdered => 4,
        Quota => 3,
        Business => 2,
        Unrecognized => 1,
        Unknown => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::parse;
    use crate::failure::test_support::{failure, one, NODE_INSPECT};

    #[test]
    fn multi_api_log() {
        let text = "\
2024-05-01 10:00:00 INFO  calling open.item.get itemId=1
2024-05-01 10:00:00 ERROR {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\",\"sub_code\":\"28\",\"sub_msg\":\"token中无scope权限\"}
2024-05-01 10:00:01 INFO  calling open.order.cursor.list
2024-05-01 10:00:01 INFO  {\"result\":1,\"data\":{\"orderList\":[]}}
2024-05-01 10:00:02 INFO  calling open.refund.list
2024-05-01 10:00:02 ERROR {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\",\"sub_code\":\"28\",\"sub_msg\":\"TOKEN过期\"}
2024-05-01 10:00:03 INFO  POST https://openapi.kwaixiaodian.com/open/distribution/cps/promotion/effect/detail
2024-05-01 10:00:03 ERROR {\"data\": null, \"result\": 1800608, \"error_msg\": \"暂无站外分销推广权限\"}
2024-05-01 10:00:04 WARN  method=open.logistics.express.template.list [1016] Exceed qps limit, KEY [apiId:9;appkey:ks1]
2024-05-01 10:00:05 INFO  calling open.seller.order.pcursor.list
2024-05-01 10:00:05 INFO  calling open.item.get itemId=2
2024-05-01 10:00:05 ERROR {\"result\":24,\"error_msg\":\"AUTHORIZATION_REVOKED\"}
";
        let found = parse(text);
        let summary: Vec<(Option<&str>, FailureKind, Option<&str>)> =
            found.iter().map(|f| (f.api.as_deref(), f.kind, f.code.as_deref())).collect();
        assert_eq!(
            summary,
            vec![
                (Some("open.item.get"), MissingScope, Some("28")),
                (Some("open.refund.list"), ExpiredToken, Some("28")),
                (Some("open.distribution.cps.promotion.effect.detail"), Business, Some("1800608")),
                (Some("open.logistics.express.template.list"), Quota, Some("1016")),
            ]
        );
        assert_eq!(found[3].message, "Exceed qps limit");
    }

    #[test]
    fn most_relevant_error_of_one_api_is_kept() {
        let text = "\
open.item.get {\"result\":1016,\"error_msg\":\"Exceed qps limit\"}
open.item.get {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\"}
open.item.get {\"result\":28,\"error_msg\":\"TOKEN过期\"}
open.item.get {\"result\":28,\"error_msg\":\"token中无scope权限\"}
open.item.get {\"result\":24,\"error_msg\":\"AUTHORIZATION_REVOKED\"}
";
        assert_eq!(one(text), Failure { count: 5, ..failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限") });
    }

    #[test]
    fn only_one_entry_without_api_keeping_the_most_relevant() {
        let text = "\
{\"result\":28,\"error_msg\":\"TOKEN过期\"}
{\"result\":28,\"sub_msg\":\"token中无scope权限\"}
{\"result\":1800608,\"error_msg\":\"暂无站外分销推广权限\"}
";
        assert_eq!(one(text), Failure { count: 3, ..failure(None, MissingScope, Some("28"), "token中无scope权限") });
    }

    #[test]
    fn interleaved_calls_resolve_latest_first() {
        let text = "\
calling open.item.get
calling open.order.detail
{\"result\":1,\"data\":{}}
{\"result\":28,\"error_msg\":\"token中无scope权限\"}
";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn repeated_call_gets_its_second_response() {
        let text = "\
calling open.item.get
{\"result\":1016,\"error_msg\":\"Exceed qps limit\"}
calling open.item.get
{\"result\":28,\"error_msg\":\"token中无scope权限\"}
";
        assert_eq!(one(text).kind, MissingScope);
    }

    #[test]
    fn error_tied_to_the_nearest_api_of_its_line() {
        let text = "open.item.list ok; open.item.get failed: token中无scope权限";
        // open.item.list has no error of its own while the line has one: it is not called failing.
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, None, "token中无scope权限"));
    }

    #[test]
    fn an_error_told_again_with_its_api_is_one_failure() {
        let merchant = Some("20240601".to_string());
        let scope = failure(Some("open.order.cursor.list"), MissingScope, Some("28"), "token中无scope权限");
        assert_eq!(parse(NODE_INSPECT), vec![Failure { merchant: merchant.clone(), ..scope.clone() }]);
        let expired = NODE_INSPECT.replace("token中无scope权限", "TOKEN过期");
        let found = parse(&expired);
        assert_eq!(found, vec![Failure { merchant, ..failure(Some("open.order.cursor.list"), ExpiredToken, Some("28"), "TOKEN过期") }]);
        let text = "ERROR token中无scope权限\nERROR method=open.order.cursor.list token中无scope权限\n";
        assert_eq!(one(text), failure(Some("open.order.cursor.list"), MissingScope, None, "token中无scope权限"));
        let text = "ERROR TOKEN过期\nERROR method=open.order.cursor.list TOKEN过期\n";
        assert_eq!(one(text), failure(Some("open.order.cursor.list"), ExpiredToken, None, "TOKEN过期"));
        // Several errors naming no API: only the one right before the named record is the same.
        let text = "ERROR TOKEN过期\nERROR token中无scope权限\nERROR method=open.order.cursor.list token中无scope权限\n";
        let found = parse(text);
        assert_eq!(
            found.iter().map(|f| (f.api.as_deref(), f.kind, f.count)).collect::<Vec<_>>(),
            vec![(None, ExpiredToken, 1), (Some("open.order.cursor.list"), MissingScope, 1),]
        );
    }

    #[test]
    fn an_error_naming_no_api_stays_apart_from_other_records() {
        let kinds = |text: &str| parse(text).iter().map(|f| (f.api.clone(), f.kind)).collect::<Vec<_>>();
        let item = || Some("open.item.get".to_string());
        // Another log entry between them, another error, another merchant, or a success.
        assert_eq!(
            kinds("ERROR token中无scope权限\nINFO heartbeat\nERROR method=open.item.get token中无scope权限\n"),
            vec![(None, MissingScope), (item(), MissingScope)]
        );
        assert_eq!(
            kinds("ERROR TOKEN过期\nERROR method=open.item.get token中无scope权限\n"),
            vec![(None, ExpiredToken), (item(), MissingScope)]
        );
        assert_eq!(
            kinds("ERROR shopId=1 token中无scope权限\nERROR method=open.item.get shopId=2 token中无scope权限\n"),
            vec![(None, MissingScope), (item(), MissingScope)]
        );
        assert_eq!(
            kinds("{\"result\":28,\"error_msg\":\"token中无scope权限\"}\nmethod=open.item.get {\"result\":1}\n"),
            vec![(None, MissingScope)]
        );
        // Told in the other order, the named error came first: the later one is a second failure.
        assert_eq!(
            kinds("ERROR method=open.item.get token中无scope权限\nERROR token中无scope权限\n"),
            vec![(item(), MissingScope), (None, MissingScope)]
        );
    }

    #[test]
    fn request_and_response_on_two_lines_naming_the_api_twice() {
        let text = "\
>> open.item.get {\"itemId\":1}
<< open.item.get {\"result\":28,\"error_msg\":\"token中无scope权限\"}
{\"result\":28,\"error_msg\":\"TOKEN过期\"}
";
        // The second response has no waiting call left, so it stands alone.
        let found = parse(text);
        assert_eq!(found[0], failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
        assert_eq!(found[1], failure(None, ExpiredToken, Some("28"), "TOKEN过期"));
    }
}
