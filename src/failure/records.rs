//! Records and their outcome. A text is cut into records — a line, or the lines of a JSON object
//! spread over several (pretty-printed responses, PHP `print_r`) — and each record's evidence
//! (message fields, code fields, free text, exception markers) is weighed into one outcome: an
//! error with its kind, code and message, a success, or nothing.

use super::fields::{code_fields, code_kind, is_blank_message, is_failing_code, is_success_code, message_fields, record_code, Field};
use super::free_text::{classify_message, find_number, free_text_candidates};
use super::patterns::{Alone, Role};
use super::search::Lowered;
use super::MESSAGE_CHARS;
use crate::model::FailureKind::{self, *};
use crate::text::clip;

/// A record whose braces stay open longer than this is no JSON object: its lines stand alone.
pub(super) const MAX_RECORD_LINES: usize = 120;
pub(super) const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Calls `visit` with each record: a line, or the lines of a JSON object whose braces open on
/// one line and close on a later one (pretty-printed responses; PHP `print_r` uses parentheses).
pub(super) fn for_each_record<'a>(text: &'a str, mut visit: impl FnMut(&'a str)) {
    let (mut start, mut pos, mut lines, mut depth) = (0, 0, 0, 0);
    for line in text.split_inclusive('\n') {
        pos += line.len();
        lines += 1;
        depth = brace_depth_after(line, depth);
        // Only a line ending in an opener starts a multi-line object; a log line cut short
        // (`{"result":28,"error_msg":"tok`) stays one record.
        if lines == 1 && !ends_open(line) {
            depth = 0;
        }
        if depth > 0 && lines < MAX_RECORD_LINES && pos - start < MAX_RECORD_BYTES {
            continue;
        }
        if depth == 0 {
            visit(&text[start..pos]);
        } else {
            // The braces never closed: no JSON object after all, so each line stands alone.
            text[start..pos].split_inclusive('\n').for_each(&mut visit);
            depth = 0;
        }
        start = pos;
        lines = 0;
    }
    if start < text.len() {
        visit(&text[start..]); // a pasted object cut short is still one response
    }
}

pub(super) fn ends_open(line: &str) -> bool {
    line.trim_end().ends_with(&['{', '(', '[', ','][..])
}

/// Bracket depth (`{}` and `()`) after `line`, ignoring those inside double-quoted strings. JSON
/// strings never span lines, so the string state starts fresh on each line.
pub(super) fn brace_depth_after(line: &str, mut depth: usize) -> usize {
    let (mut in_string, mut escaped) = (false, false);
    for byte in line.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'(' => depth += 1,
            b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

// ---------------------------------------------------------------------------------------------
// One record's outcome.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    pub(super) kind: FailureKind,
    pub(super) code: Option<String>,
    pub(super) message: String,
}

#[derive(Debug)]
pub(super) enum Verdict {
    /// An error, with the byte offset of its evidence (to pick the nearest API in the record).
    Failed(Outcome, usize),
    Succeeded,
    Silent,
}

/// Evidence tiers, most direct first (a key's rank in the table is added within its tier):
/// quoted message fields, code fields, words in free text, unquoted message fields (they run
/// to loose punctuation), exception markers.
const QUOTED_FIELD_SOURCE: usize = 0;

const CODE_SOURCE: usize = 100;

pub(super) const FREE_TEXT_SOURCE: usize = 200;

const UNQUOTED_FIELD_SOURCE: usize = 201;

pub(super) const MARKER_SOURCE: usize = 300;

/// A possible reading of a record's error. Lower `source` = more direct evidence.
pub(super) struct Candidate {
    pub(super) kind: FailureKind,
    pub(super) code: Option<String>,
    pub(super) message: String,
    pub(super) at: usize,
    pub(super) source: usize,
}

pub(super) fn judge_record(record: &str, lower: &Lowered) -> Verdict {
    let messages = message_fields(record, lower);
    let codes = code_fields(record, lower);
    let failing_code = codes.iter().any(|field| is_failing_code(&field.value));
    let mut candidates = Vec::new();
    candidates.extend(message_candidates(&messages, &codes, failing_code));
    candidates.extend(code_candidates(&codes, &messages));
    candidates.extend(free_text_candidates(record, lower));
    let best = candidates.into_iter().min_by_key(|c| (std::cmp::Reverse(specificity(c.kind)), c.source, c.at));
    match best {
        Some(best) => complete(best, &messages, &codes, lower),
        None if codes.iter().any(|field| is_success_code(&field.value)) => Verdict::Succeeded,
        None => Verdict::Silent,
    }
}

/// Fills a chosen candidate's missing message and code from the record's fields.
fn complete(best: Candidate, messages: &[Field], codes: &[Field], lower: &Lowered) -> Verdict {
    let message = if best.message.is_empty() {
        messages.iter().find(|f| !is_blank_message(&f.value)).map(|f| f.value.clone()).unwrap_or_default()
    } else {
        best.message
    };
    let code = best.code.or_else(|| record_code(codes));
    let kind = if best.kind == AuthFailed && is_about_refresh_token(lower) { RefreshTokenExpired } else { best.kind };
    // Shown to the user, so never with a token in it (`… access_token=… token中无scope权限`).
    let message = crate::secrets::scrub(clip(message.trim(), MESSAGE_CHARS));
    let outcome = Outcome { kind, code, message };
    Verdict::Failed(outcome, best.at)
}

/// `100200102`/`access_denied` from the refresh endpoint: the refresh token is dead
/// (`POST /oauth2/refresh_token {"result":100200102,"error":"access_denied"}`).
fn is_about_refresh_token(lower: &Lowered) -> bool {
    let denied = lower.find("access_denied").is_some() || find_number(lower, "100200102").is_some();
    denied && (lower.find("refresh_token").is_some() || lower.find("refreshtoken").is_some() || lower.find("refresh token").is_some())
}

fn message_candidates(messages: &[Field], codes: &[Field], failing_code: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    for field in messages {
        let Role::MessageKey(code_key, alone) = field.role else { continue };
        let recognised = classify_message(&field.value);
        let counts_alone = match alone {
            Alone::Always => true,
            Alone::IfQuoted => field.quoted,
            Alone::Never => failing_code,
        };
        let kind = match recognised {
            Some(kind) => kind,
            None if counts_alone && !is_blank_message(&field.value) => Unrecognized,
            None => continue,
        };
        let code = codes.iter().find(|c| c.key == code_key && !is_success_code(&c.value)).map(|c| c.value.clone());
        // An unquoted value runs to loose punctuation (`Fatal error:  Uncaught …: msg in /x.php`),
        // so the tighter free-text reading of the same words is preferred.
        let source = if field.quoted { QUOTED_FIELD_SOURCE } else { UNQUOTED_FIELD_SOURCE } + field.rank;
        out.push(Candidate { kind, code, message: field.value.clone(), at: field.at, source });
    }
    out
}

fn code_candidates(codes: &[Field], messages: &[Field]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for field in codes {
        let Role::CodeKey(alone) = field.role else { continue };
        // `"result":28` alone is a response; `result=5 items` in prose is not.
        let stands_alone = alone && field.key_quoted;
        if !is_failing_code(&field.value) || (!stands_alone && messages.is_empty()) {
            continue;
        }
        let kind = code_kind(&field.value).unwrap_or(Unrecognized);
        let message = messages
            .iter()
            .find(|m| matches!(m.role, Role::MessageKey(k, _) if k == field.key) && !is_blank_message(&m.value))
            .map(|m| m.value.clone())
            .unwrap_or_default();
        out.push(Candidate { kind, code: Some(field.value.clone()), message, at: field.at, source: CODE_SOURCE + field.rank });
    }
    out
}

/// How exactly a kind pins the cause inside one response: `鉴权失败` is the umbrella under which
/// `TOKEN过期` or `token中无scope权限` say more; the authorization page's own errors are the
/// most specific of all (`method=open.item.get Invalid url` is about the link, not the call).
pub(super) fn specificity(kind: FailureKind) -> u8 {
    match kind {
        NotAppUser | InvalidUrl | ServiceNotOrdered => 9,
        MissingScope => 8,
        RefreshTokenExpired => 7,
        RevokedGrant => 6,
        ExpiredToken => 5,
        Quota => 4,
        AuthFailed => 3,
        Business => 2,
        Unrecognized => 1,
        Unknown => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::parse;
    use crate::failure::test_support::{failure, one};

    #[test]
    fn both_wordings_of_the_target_error() {
        for message in ["token中无scope权限", "token中无scope的权限"] {
            let text = format!(r#"method=open.item.get {{"result":28,"error_msg":"{message}"}}"#);
            assert_eq!(one(&text), failure(Some("open.item.get"), MissingScope, Some("28"), message));
        }
    }

    #[test]
    fn gateway_scope_error_beats_its_auth_class() {
        let text = r#"{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"token中无scope权限","sub_code":"28","sub_msg":"token中无scope权限","request_id":"704352221454586928"}"#;
        assert_eq!(one(text), failure(None, MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn gateway_expired_token_beats_its_auth_class() {
        let text = r#"{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期","sub_code":"28","sub_msg":"TOKEN过期","request_id":"704352221454586928"}"#;
        assert_eq!(one(text), failure(None, ExpiredToken, Some("28"), "TOKEN过期"));
    }

    #[test]
    fn auth_failed_alone() {
        let text = r#"open.order.detail -> {"code":"803000","msg":"鉴权失败","request_id":"1"}"#;
        assert_eq!(one(text), failure(Some("open.order.detail"), AuthFailed, Some("803000"), "鉴权失败"));
    }

    #[test]
    fn legacy_revoked_grant() {
        let text = r#"{"result":24,"error_msg":"AUTHORIZATION_REVOKED"}"#;
        assert_eq!(one(text), failure(None, RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }

    #[test]
    fn oauth_refresh_revoked() {
        let text = r#"POST /oauth2/refresh_token {"result": 100200102, "error": "access_denied", "error_msg": "refreshToken.revokedAuthorization"}"#;
        assert_eq!(one(text), failure(None, RevokedGrant, Some("100200102"), "refreshToken.revokedAuthorization"));
    }

    #[test]
    fn oauth_invalid_scope() {
        let text = r#"{"result":100200106,"error":"invalid_scope","error_msg":"权限 scope 错误，或者用户取消了授权等"}"#;
        let found = one(text);
        assert_eq!(found.kind, MissingScope);
        assert_eq!(found.code.as_deref(), Some("100200106"));
    }

    #[test]
    fn quota_by_text_and_by_code() {
        let text = "method=open.order.cursor.list [1017] exceed quota limit,[apiId:12;primaryUserId:34]";
        assert_eq!(one(text), failure(Some("open.order.cursor.list"), Quota, Some("1017"), "exceed quota limit"));
        let text =
            r#"{"method":"open.item.list.get","result":1016,"error_msg":"Exceed qps limit, KEY [apiId:1;appkey:ks1], MAX_QPS [300.0]"}"#;
        let found = one(text);
        assert_eq!((found.kind, found.code.as_deref()), (Quota, Some("1016")));
        assert!(found.message.starts_with("Exceed qps limit"));
    }

    #[test]
    fn false_friend_1800608_is_business() {
        let text = r#"{"data": null, "result": 1800608, "error_msg": "暂无站外分销推广权限"}"#;
        assert_eq!(one(text), failure(None, Business, Some("1800608"), "暂无站外分销推广权限"));
        let text = "open.distribution.cps.promotion.effect.detail 1800608 暂无站外分销推广权限";
        let found = one(text);
        assert_eq!((found.kind, found.code.as_deref(), found.message.as_str()), (Business, Some("1800608"), "暂无站外分销推广权限"));
    }

    #[test]
    fn other_business_errors() {
        let text = r#"{"result": 21, "error_msg": "order operation reject", "requestId": "***"}"#;
        assert_eq!(one(text), failure(None, Business, Some("21"), "order operation reject"));
        let text = r#"{"result": 26, "data": null, "error_msg": "主账号不存在"}"#;
        assert_eq!(one(text), failure(None, Business, Some("26"), "主账号不存在"));
        let text = r#"/open/refund/detail {"result":300011,"error_msg":"REFUND ORDER NOT FOUND 退款单不存在"}"#;
        assert_eq!(one(text), failure(Some("open.refund.detail"), Business, Some("300011"), "REFUND ORDER NOT FOUND 退款单不存在"));
        let text = "KsMerchantApiException: 商品不存在 (method=open.item.get)";
        assert_eq!(one(text), failure(Some("open.item.get"), Unrecognized, None, "商品不存在"));
    }

    #[test]
    fn named_api_without_error_is_unrecognised() {
        assert_eq!(one("调用 open.item.get 报错了，怎么办？"), failure(Some("open.item.get"), Unrecognized, None, ""));
    }

    #[test]
    fn success_responses_are_no_errors() {
        assert_eq!(parse(r#"{"result":1,"data":{"itemId":1}}"#), vec![]);
        assert_eq!(parse(r#"{"code":0,"msg":"success"}"#), vec![]);
        assert_eq!(parse("method=open.item.get {\"result\": 1, \"msg\": \"成功\", \"data\": {}}"), vec![]);
        assert_eq!(parse("calling open.item.get\n{\"result\":1,\"data\":{}}\n"), vec![]);
        let oauth = r#"{"result": 1, "access_token": "x", "refresh_token": "y", "open_id": "z", "expires_in": 172800, "scopes": ["user_info", "merchant_item"]}"#;
        assert_eq!(parse(oauth), vec![]);
    }

    #[test]
    fn message_is_clipped_to_200_characters() {
        let long = "商".repeat(500);
        let text = format!(r#"open.item.get {{"result":28,"error_msg":"token中无scope权限{long}"}}"#);
        let found = one(&text);
        assert_eq!(found.kind, MissingScope);
        assert_eq!(found.message.chars().count(), 200);
    }

    #[test]
    fn pretty_printed_response_after_the_call() {
        let text = "2024-05-01 10:00:00.123 INFO  [http-nio-8080-exec-1] KsClient - calling open.item.get\n{\n  \"result\": 28,\n  \"code\": \"803000\",\n  \"msg\": \"鉴权失败\",\n  \"error_msg\": \"token中无scope权限\",\n  \"sub_code\": \"28\",\n  \"sub_msg\": \"token中无scope权限\",\n  \"request_id\": \"704352221454586928\"\n}\n";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn pretty_printed_response_naming_its_method() {
        let text = "{\r\n    \"method\": \"open.order.cursor.list\",\r\n    \"response\": {\r\n        \"result\": 24,\r\n        \"error_msg\": \"AUTHORIZATION_REVOKED\"\r\n    }\r\n}";
        assert_eq!(one(text), failure(Some("open.order.cursor.list"), RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }

    #[test]
    fn unclosed_brace_does_not_swallow_the_log() {
        let mut text = String::from("Map{ oops\n");
        for i in 0..200 {
            text.push_str(&format!("calling open.api{i}.get\n"));
        }
        text.push_str("{\"result\":28,\"error_msg\":\"token中无scope权限\"}\n");
        // The error answers the last call; the calls with no answer are not called failing.
        assert_eq!(parse(&text), vec![failure(Some("open.api199.get"), MissingScope, Some("28"), "token中无scope权限")]);
    }

    #[test]
    fn prose_numbers_and_cut_lines_are_handled() {
        assert_eq!(one("open.item.list.get result=20 items"), failure(Some("open.item.list.get"), Unrecognized, None, ""));
        assert_eq!(one(r#"{"result":24}"#), failure(None, RevokedGrant, Some("24"), ""));
        let text = "request_id=1 method=open.funds.center.account.info result=803000";
        assert_eq!(one(text), failure(Some("open.funds.center.account.info"), AuthFailed, Some("803000"), ""));
        let text = "calling open.item.get {\"result\":28,\"error_msg\":\"tok\ncalling open.order.detail\n{\"result\":24,\"error_msg\":\"AUTHORIZATION_REVOKED\"}\n}\n";
        let found = parse(text);
        assert_eq!(found[0].api.as_deref(), Some("open.item.get"));
        assert_eq!(found[1], failure(Some("open.order.detail"), RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }
}
