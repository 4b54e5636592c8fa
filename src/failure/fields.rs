//! Fields of a record — `"error_msg":"…"`, `'sub_msg': '…'`, `errorMsg=…`, `[error_msg] => …`,
//! `\"msg\":\"…\"` — for the message, code and merchant keys of the pattern table, and what
//! their values mean: a failing code, a success, no message at all, a merchant id.

use super::patterns::{patterns, texts_with, Role};
use super::search::Lowered;
use crate::model::{FailureKind, MAX_MERCHANT_ID};

/// Longest field value read (bytes); messages are clipped to 200 characters anyway.
const MAX_VALUE_BYTES: usize = 1024;

/// Fields of one key read per record, so hostile input stays linear.
const MAX_FIELDS_PER_KEY: usize = 64;

#[derive(Debug)]
pub(super) struct Field {
    pub(super) key: &'static str,
    pub(super) role: Role,
    /// Position of the key in the table among keys of its kind (0 = most specific).
    pub(super) rank: usize,
    pub(super) value: String,
    pub(super) quoted: bool,
    /// The key was quoted or bracketed (`"result":`, `[result] =>`): a data structure, not prose.
    pub(super) key_quoted: bool,
    pub(super) at: usize,
}

pub(super) fn message_fields(record: &str, lower: &Lowered) -> Vec<Field> {
    fields_of(record, lower, |r| matches!(r, Role::MessageKey(..)))
}

/// Code fields; a code is one word (`错误码：28 错误信息：…` → `28`).
pub(super) fn code_fields(record: &str, lower: &Lowered) -> Vec<Field> {
    let mut codes = fields_of(record, lower, |r| matches!(r, Role::CodeKey(_)));
    for field in &mut codes {
        field.value = field.value.split_whitespace().next().unwrap_or("").to_string();
    }
    codes
}

/// The fields of every key with the given role, in key order (most specific first).
fn fields_of(record: &str, lower: &Lowered, role: fn(Role) -> bool) -> Vec<Field> {
    let mut out = Vec::new();
    for (rank, pat) in texts_with(role).enumerate() {
        let found = lower
            .positions(pat.text)
            .filter_map(|at| field_value_at(record, at, pat.text).map(|(value, quoted)| (at, value, quoted)))
            .take(MAX_FIELDS_PER_KEY);
        for (at, value, quoted) in found {
            let key_quoted = at > 0 && matches!(record.as_bytes()[at - 1], b'"' | b'\'' | b'[');
            out.push(Field { key: pat.text, role: pat.role, rank, value, quoted, key_quoted, at });
        }
    }
    out
}

fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-')
}

/// The value of the field whose key starts at `at`, if `key` really is a whole key there
/// (`msg` inside `error_msg` is not), with whether it was quoted.
fn field_value_at(record: &str, at: usize, key: &str) -> Option<(String, bool)> {
    let bytes = record.as_bytes();
    let mut before = at;
    if before > 0 && matches!(bytes[before - 1], b'"' | b'\'' | b'[') {
        before -= 1;
        if before > 0 && bytes[before - 1] == b'\\' {
            before -= 1;
        }
    }
    if before > 0 && is_key_byte(bytes[before - 1]) {
        return None;
    }
    let mut i = at + key.len();
    if bytes.get(i) == Some(&b'\\') {
        i += 1;
    }
    if matches!(bytes.get(i), Some(b'"' | b'\'' | b']')) {
        i += 1;
    }
    i = skip_spaces(bytes, i);
    i = after_separator(record, i)?;
    i = skip_spaces(bytes, i);
    read_value(&record[i..])
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Past `:`, `=`, `=>` or the full-width `：`.
fn after_separator(record: &str, i: usize) -> Option<usize> {
    let rest = record.get(i..)?;
    if rest.starts_with("=>") {
        Some(i + 2)
    } else if rest.starts_with(':') || rest.starts_with('=') {
        Some(i + 1)
    } else if rest.starts_with('：') {
        Some(i + '：'.len_utf8())
    } else {
        None
    }
}

/// A field value at the start of `rest`: quoted, quoted inside a string (`\"…\"`) or bare.
/// Objects and arrays are no value here; their own fields are scanned separately.
fn read_value(rest: &str) -> Option<(String, bool)> {
    match rest.as_bytes().first()? {
        b'"' => Some((read_quoted(&rest[1..], b'"', false), true)),
        b'\'' => Some((read_quoted(&rest[1..], b'\'', false), true)),
        b'\\' if rest[1..].starts_with('"') => Some((read_quoted(&rest[2..], b'"', true), true)),
        b'{' | b'[' => None,
        _ => Some((read_bare(rest).to_string(), false)),
    }
}

/// A quoted string up to its closing quote (`\"` when `nested`), decoding the usual escapes.
fn read_quoted(text: &str, quote: u8, nested: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() && i < MAX_VALUE_BYTES {
        match bytes[i] {
            b'\n' | b'\r' => break,
            b'\\' if nested && bytes.get(i + 1) == Some(&b'"') => break,
            b'\\' => {
                let Some(escaped) = text[i + 1..].chars().next() else { break };
                i += 1 + escaped.len_utf8();
                match escaped {
                    'n' | 'r' | 't' => out.push(' '),
                    'u' => {
                        let (c, used) = unicode_escape(&text[i..]);
                        out.push(c);
                        i += used;
                    }
                    other => out.push(other),
                }
            }
            byte if byte == quote && !nested => break,
            _ => {
                let Some(c) = text[i..].chars().next() else { break };
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// The character of a `\uXXXX` escape (after the `\u`) and the bytes used, pairing surrogates;
/// U+FFFD for anything malformed.
fn unicode_escape(rest: &str) -> (char, usize) {
    let Some(high) = hex4(rest) else { return ('\u{FFFD}', 0) };
    if (0xD800..0xDC00).contains(&high) {
        let low = rest.get(4..6).filter(|s| *s == "\\u").and_then(|_| hex4(rest.get(6..)?));
        if let Some(low) = low.filter(|low| (0xDC00..0xE000).contains(low)) {
            let joined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return (char::from_u32(joined).unwrap_or('\u{FFFD}'), 10);
        }
    }
    (char::from_u32(high).unwrap_or('\u{FFFD}'), 4)
}

fn hex4(text: &str) -> Option<u32> {
    let digits = text.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// An unquoted value: up to punctuation that ends fields in logs and `toString()` output, or a
/// space before the next `key=` (`errorMsg=TOKEN过期 method=open.item.get`).
fn read_bare(rest: &str) -> &str {
    for (i, c) in rest.char_indices() {
        let ends = matches!(c, ',' | ';' | '&' | '}' | ']' | '(' | ')' | '"' | '\n' | '\r' | '\t' | '，' | '；');
        if ends || i >= MAX_VALUE_BYTES || (c == ' ' && starts_next_field(&rest[i + 1..])) {
            return rest[..i].trim();
        }
    }
    rest.trim()
}

/// Whether `rest` starts with `key=`, `key:` or `键：` (ASCII or Chinese key).
fn starts_next_field(rest: &str) -> bool {
    let key_len: usize = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum();
    key_len > 0 && matches!(rest[key_len..].chars().next(), Some('=' | ':' | '：'))
}

// ---------------------------------------------------------------------------------------------
// What the values mean: codes, blank messages, merchant ids.
// ---------------------------------------------------------------------------------------------

/// The merchant a record names (`shopId=1001`, `"open_id":"f0a1…"`): one word of id
/// characters, else none (`"user_id":null` names nobody).
pub(super) fn record_merchant(record: &str, lower: &Lowered) -> Option<String> {
    fields_of(record, lower, |r| matches!(r, Role::MerchantKey)).into_iter().find_map(|field| {
        let id = field.value.split_whitespace().next().unwrap_or("");
        let well_formed = (1..=MAX_MERCHANT_ID).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'=' | b'+' | b'/'))
            && !is_blank_message(id);
        well_formed.then(|| id.to_string())
    })
}

/// The code to report when none stands next to the message: the most specific failing one.
pub(super) fn record_code(codes: &[Field]) -> Option<String> {
    codes.iter().find(|f| !is_success_code(&f.value)).map(|f| f.value.clone())
}

pub(super) fn code_kind(code: &str) -> Option<FailureKind> {
    patterns().find_map(|pat| match pat.role {
        Role::Code(kind) if pat.text == code => Some(kind),
        _ => None,
    })
}

pub(super) fn is_success_code(value: &str) -> bool {
    texts_with(|r| matches!(r, Role::SuccessCode)).any(|pat| pat.text == value)
}

/// A numeric code that is not a success: `28`, `803000`, `1800608`.
pub(super) fn is_failing_code(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) && !is_success_code(value)
}

pub(super) fn is_blank_message(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    texts_with(|r| matches!(r, Role::NotAMessage)).any(|pat| pat.text == lower)
}

#[cfg(test)]
mod tests {
    use crate::failure::parse;
    use crate::failure::test_support::{failure, one};
    use crate::model::FailureKind::*;

    #[test]
    fn java_to_string_and_key_value_logs() {
        let text = "KsMerchantApiResponse(result=28, errorMsg=token中无scope的权限, subCode=28) method=open.order.detail";
        assert_eq!(one(text), failure(Some("open.order.detail"), MissingScope, Some("28"), "token中无scope的权限"));
        let text = "level=error method=open.item.sku.stock.update result=1017 errorMsg=exceed quota limit";
        let found = one(text);
        assert_eq!((found.kind, found.code.as_deref()), (Quota, Some("1017")));
    }

    #[test]
    fn escaped_and_unicode_escaped_json() {
        let text = r#"{"method":"open.item.get","body":"{\"result\":28,\"error_msg\":\"token中无scope权限\"}"}"#;
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
        let text = r#"open.item.get {"result":28,"error_msg":"token\u4e2d\u65e0scope\u6743\u9650 \ud83d\ude00"}"#;
        assert_eq!(one(text).message, "token中无scope权限 😀");
        assert_eq!(one(text).kind, MissingScope);
        let text = r#"open.item.get {"result":99,"error_msg":"bad \ud83d \uZZZZ \u12"}"#;
        assert_eq!(one(text), failure(Some("open.item.get"), Unrecognized, Some("99"), "bad \u{FFFD} \u{FFFD}ZZZZ \u{FFFD}12"));
    }

    #[test]
    fn full_width_colon_keys() {
        let text = "接口：open.item.get 错误码：28 错误信息：token中无scope权限";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn php_exception_and_print_r() {
        let text = "PHP Fatal error:  Uncaught Kwaishop\\Exception\\AuthorizationException: token中无scope权限 in /var/www/app/ItemService.php:42\nStack trace:\n#0 /var/www/app/ItemService.php(42): Kwaishop\\Client->request('open.item.get', Array)";
        let found = parse(text);
        // The error comes before the API it is about: the API named without an error takes it.
        assert_eq!(found, vec![failure(Some("open.item.get"), MissingScope, None, "token中无scope权限")]);
        let text = "open.item.get Array\n(\n    [result] => 28\n    [error_msg] => TOKEN过期\n)\n";
        let found = one(text);
        assert_eq!((found.kind, found.message.as_str()), (ExpiredToken, "TOKEN过期"));
    }
}
