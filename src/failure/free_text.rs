//! Free text: recognised words anywhere in a record (an error text, a missing-scope phrase, a
//! known bare code), the message around them without the log's technical words, and the message
//! after an SDK exception marker (`KsMerchantApiException: …`).

use super::fields::is_blank_message;
use super::patterns::{patterns, texts_with, Role, SCOPE_WINDOW, SCOPE_WORD};
use super::records::{specificity, Candidate, FREE_TEXT_SOURCE, MARKER_SOURCE};
use super::search::Lowered;
use super::MESSAGE_CHARS;
use crate::model::FailureKind::{self, *};
use crate::text::clip;

/// How far (characters) a free-text message may extend around the words that matched.
const SEGMENT_REACH: usize = 200;

/// A recognised text in a lower-cased string, with the byte span that matched.
struct Hit {
    kind: FailureKind,
    from: usize,
    to: usize,
}

/// The first occurrence of every recognised text, plus a missing-scope phrase and bare codes.
fn text_hits(lower: &Lowered) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pat in patterns() {
        match pat.role {
            Role::Says(kind) => {
                if let Some(at) = lower.find(pat.text) {
                    let to = at + pat.text.len();
                    // A bracketed code (`[1017] exceed quota limit`) introduces the message after it.
                    let from = if pat.text.starts_with('[') { to } else { at };
                    hits.push(Hit { kind, from, to });
                }
            }
            Role::BareCode(kind) => {
                if let Some(at) = find_number(lower, pat.text) {
                    // The message follows the code: `1800608 暂无站外分销推广权限`.
                    let after = &lower.text[at + pat.text.len()..];
                    let to = lower.text.len() - after.trim_start().len();
                    hits.push(Hit { kind, from: to, to });
                }
            }
            _ => {}
        }
    }
    hits.extend(missing_scope_hit(lower));
    hits
}

/// The kind an error message alone implies (`token中无scope权限` → MissingScope), if it
/// contains a recognised text or code; `None` for anything else.
pub(super) fn classify_message(message: &str) -> Option<FailureKind> {
    text_hits(&Lowered::new(message)).into_iter().map(|hit| hit.kind).max_by_key(|kind| specificity(*kind))
}

/// `scope` with a negation close by: `token中无scope权限`, `insufficient scope`, `invalid_scope`.
fn missing_scope_hit(lower: &Lowered) -> Option<Hit> {
    let text = lower.text.as_str();
    for at in lower.positions(SCOPE_WORD) {
        if at > 0 && text.as_bytes()[at - 1].is_ascii_alphabetic() {
            continue; // `telescope`
        }
        let from = floor_boundary(text, at.saturating_sub(SCOPE_WINDOW));
        let to = floor_boundary(text, (at + SCOPE_WORD.len() + SCOPE_WINDOW).min(text.len()));
        if let Some((neg_from, neg_to)) = negation_in(text, from, to) {
            return Some(Hit { kind: MissingScope, from: neg_from.min(at), to: neg_to.max(at + SCOPE_WORD.len()) });
        }
    }
    None
}

/// The span of the first scope negation inside `lower[from..to]`.
fn negation_in(lower: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let window = &lower[from..to];
    texts_with(|r| matches!(r, Role::ScopeNegation(_))).find_map(|pat| {
        let whole_word = matches!(pat.role, Role::ScopeNegation(true));
        window
            .match_indices(pat.text)
            .map(|(at, _)| (from + at, from + at + pat.text.len()))
            .find(|&(a, b)| !whole_word || is_whole_word(lower, a, b))
    })
}

fn is_whole_word(text: &str, from: usize, to: usize) -> bool {
    let bytes = text.as_bytes();
    let before_ok = from == 0 || !bytes[from - 1].is_ascii_alphanumeric();
    let after_ok = to >= bytes.len() || !bytes[to].is_ascii_alphanumeric();
    before_ok && after_ok
}

/// The first occurrence of `number` not inside a longer number.
pub(super) fn find_number(lower: &Lowered, number: &str) -> Option<usize> {
    let bytes = lower.text.as_bytes();
    lower.positions(number).find(|&at| {
        let end = at + number.len();
        (at == 0 || !bytes[at - 1].is_ascii_digit()) && (end >= bytes.len() || !bytes[end].is_ascii_digit())
    })
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub(super) fn free_text_candidates(record: &str, lower: &Lowered) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = text_hits(lower)
        .into_iter()
        .map(|hit| {
            let (seg_from, message) = segment(record, hit.from, hit.to);
            let code = code_just_before(record, seg_from);
            // A bare code with no words after it (`result=803000`) has no message to show.
            let message = if message.bytes().all(|b| b.is_ascii_digit()) { "" } else { message };
            Candidate { kind: hit.kind, code, message: message.to_string(), at: hit.from, source: FREE_TEXT_SOURCE }
        })
        .collect();
    out.extend(marker_candidate(record, lower));
    out
}

/// A message after an exception marker (`KsMerchantApiException: 商品不存在`): an error Scope
/// Doctor does not recognise unless its words say more (those are found by `text_hits`).
fn marker_candidate(record: &str, lower: &Lowered) -> Option<Candidate> {
    texts_with(|r| matches!(r, Role::ErrorMarker(_))).find_map(|pat| {
        let after_word = matches!(pat.role, Role::ErrorMarker(true));
        let at = lower.positions(pat.text).find(|&at| !after_word || (at > 0 && lower.text.as_bytes()[at - 1].is_ascii_alphabetic()))?;
        let start = at + pat.text.len();
        let message = message_until_end(&record[start..]);
        if message.is_empty() || is_blank_message(message) {
            return None;
        }
        let code = code_just_before(record, start + (record[start..].len() - record[start..].trim_start().len()));
        Some(Candidate { kind: Unrecognized, code, message: message.to_string(), at, source: MARKER_SOURCE })
    })
}

/// Text up to the end of the line or a `MessageEnd` pattern, trimmed and clipped.
fn message_until_end(rest: &str) -> &str {
    let line_end = rest.find(&['\n', '\r'][..]).unwrap_or(rest.len());
    let line = &rest[..line_end];
    let end = texts_with(|r| matches!(r, Role::MessageEnd)).filter_map(|pat| line.find(pat.text)).min().unwrap_or(line.len());
    clip(line[..end].trim(), MESSAGE_CHARS)
}

fn is_segment_end(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | ':'
            | '：'
            | '|'
            | '['
            | ']'
            | '('
            | ')'
            | '{'
            | '}'
            | '<'
            | '>'
            | ','
            | '，'
            | ';'
            | '；'
            | '='
            | '\t'
            | '\n'
            | '\r'
            | '（'
            | '）'
            | '【'
            | '】'
    )
}

/// The message around a matched span: out to the nearest punctuation on both sides
/// (`KsMerchantApiException: token中无scope权限 (method=…)` → `token中无scope权限`).
fn segment(record: &str, from: usize, to: usize) -> (usize, &str) {
    let start =
        record[..from].char_indices().rev().take(SEGMENT_REACH).take_while(|(_, c)| !is_segment_end(*c)).last().map_or(from, |(i, _)| i);
    let tail = &record[to..];
    let mut end = to
        + tail
            .char_indices()
            .take(SEGMENT_REACH)
            .find(|(_, c)| is_segment_end(*c))
            .map_or_else(|| tail.char_indices().nth(SEGMENT_REACH).map_or(tail.len(), |(i, _)| i), |(i, _)| i);
    if let Some(cut) = texts_with(|r| matches!(r, Role::MessageEnd)).filter_map(|pat| record[to..end].find(pat.text)).min() {
        end = to + cut;
    }
    let start = skip_leading_technical_words(record, start, from);
    let end = cut_trailing_technical_words(record, to, end);
    (start, record[start..end].trim())
}

/// Words that belong to the log around a message, not to it: method names, class names,
/// URLs, key=value pairs, bare numbers and log levels (`ERROR open.item.get TOKEN过期`).
fn is_technical_word(word: &str) -> bool {
    let machine_like = word.contains(&['.', '/', '\\', '_', '=', '@'][..]) && word.is_ascii();
    let number = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
    let level = texts_with(|r| matches!(r, Role::LogLevel)).any(|pat| pat.text == word);
    machine_like || number || level
}

/// Moves `start` past whole technical words that end before the matched words at `from`.
fn skip_leading_technical_words(record: &str, mut start: usize, from: usize) -> usize {
    loop {
        let before = &record[start..from];
        let trimmed = before.trim_start();
        let Some(word_len) = trimmed.find(char::is_whitespace) else { return start };
        if !is_technical_word(&trimmed[..word_len]) {
            return start;
        }
        start += before.len() - trimmed.len() + word_len;
    }
}

/// Cuts the text after the matched words at the first whitespace before a technical word.
fn cut_trailing_technical_words(record: &str, to: usize, end: usize) -> usize {
    let after = &record[to..end];
    let mut offset = 0;
    for word in after.split_inclusive(char::is_whitespace) {
        let starts_after_space = offset > 0 && after[..offset].ends_with(char::is_whitespace);
        if starts_after_space && is_technical_word(word.trim_end()) {
            return to + offset;
        }
        offset += word.len();
    }
    end
}

/// A code written just before a message: in brackets (`ApiError: [28] token中无scope权限`), or
/// a known code on its own (`1800608 暂无站外分销推广权限`).
fn code_just_before(record: &str, at: usize) -> Option<String> {
    let bytes = &record.as_bytes()[..at];
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b' ' | b':') {
        end -= 1;
    }
    let bracketed = end > 0 && matches!(bytes[end - 1], b']' | b')');
    let digits_end = if bracketed { end - 1 } else { end };
    let mut start = digits_end;
    while start > 0 && bytes[start - 1].is_ascii_digit() {
        start -= 1;
    }
    let digits = &record[start..digits_end];
    let opened = start > 0 && matches!(bytes[start - 1], b'[' | b'(');
    let alone = start == 0 || bytes[start - 1].is_ascii_whitespace();
    let known = patterns().any(|pat| matches!(pat.role, Role::Code(_) | Role::BareCode(_)) && pat.text == digits);
    let fits = (2..=9).contains(&digits.len());
    (fits && ((bracketed && opened) || (!bracketed && alone && known))).then(|| digits.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::test_support::{failure, one};

    #[test]
    fn classifies_single_messages() {
        assert_eq!(classify_message("token中无scope权限"), Some(MissingScope));
        assert_eq!(classify_message("token中无scope的权限"), Some(MissingScope));
        assert_eq!(classify_message("insufficient scope"), Some(MissingScope));
        assert_eq!(classify_message("invalid_scope"), Some(MissingScope));
        assert_eq!(classify_message("The access token does not have the required scope"), Some(MissingScope));
        assert_eq!(classify_message("100200106"), Some(MissingScope));
        assert_eq!(classify_message("TOKEN过期"), Some(ExpiredToken));
        assert_eq!(classify_message("access_token已过期"), Some(ExpiredToken));
        assert_eq!(classify_message("Access token expired"), Some(ExpiredToken));
        assert_eq!(classify_message("AUTHORIZATION_REVOKED"), Some(RevokedGrant));
        assert_eq!(classify_message("refreshToken.revokedAuthorization"), Some(RevokedGrant));
        assert_eq!(classify_message("商家授权已解除"), Some(RevokedGrant));
        assert_eq!(classify_message("Exceed qps limit, KEY [apiId:1;appkey:ks1], MAX_QPS [300.0]"), Some(Quota));
        assert_eq!(classify_message("鉴权失败"), Some(AuthFailed));
        assert_eq!(classify_message("暂无站外分销推广权限"), Some(Business));
        assert_eq!(classify_message("商品不存在"), None);
        assert_eq!(classify_message("scope=merchant_item,merchant_order"), None);
        assert_eq!(classify_message("telescope not found"), None);
        assert_eq!(classify_message(""), None);
    }

    #[test]
    fn sdk_exception_with_method_is_missing_scope() {
        let text = "com.kuaishou.merchant.open.api.KsMerchantApiException: token中无scope权限 (method=open.item.get)";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, None, "token中无scope权限"));
    }

    #[test]
    fn python_exception_and_dict_repr() {
        let text = "Traceback (most recent call last):\n  File \"app.py\", line 10, in <module>\n    client.execute('open.item.get', params)\nkwaixiaodian.errors.KwaixiaodianApiError: [28] token中无scope权限\n";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
        let text = "open.logistics.express.template.list {'result': 24, 'error_msg': 'AUTHORIZATION_REVOKED', 'data': None}";
        assert_eq!(one(text), failure(Some("open.logistics.express.template.list"), RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }

    #[test]
    fn english_and_chinese_mix() {
        let text = "[WARN] 调用接口 open.item.get 失败: insufficient scope, 请重新授权";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, None, "insufficient scope"));
        let text = "调用open.order.cursor.list返回：access_token已过期，请刷新";
        let found = one(text);
        assert_eq!((found.kind, found.message.as_str()), (ExpiredToken, "access_token已过期"));
    }
}
