//! The one scrubber: the values of `access_token`, `refresh_token`, `code`, `app_secret` /
//! `appSecret`, `sign` / `signSecret` (any casing, in query strings, JSON and `key: value`
//! text) are removed from any text before it is kept, shown or exported. Tokens and secrets are
//! never stored (Chrome Web Store and Mozilla policies; contract.md).

/// Keys whose values are secrets, folded (lower case, no `_`/`-`). `code` is the OAuth
/// authorization code (`redirect_uri?code=…`).
const SECRET_KEYS: &[&str] = &["accesstoken", "refreshtoken", "code", "appsecret", "sign", "signsecret", "secret", "token"];

/// What a removed value is replaced with.
pub const REDACTED: &str = "***";

/// Keys are runs of ASCII letters, digits, `_` and `-` (see `is_key_char`), so ASCII lower-casing
/// is the whole of it — and keeps Unicode's case tables (≈ 12 KB) out of the wasm.
fn folded(key: &str) -> String {
    key.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect()
}

fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.contains(&folded(key).as_str())
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Where each secret value in `text` lies (byte ranges), after `key=`, `key: `, `"key":"`.
fn secret_values(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_key_char(bytes[i] as char) || (i > 0 && is_key_char(bytes[i - 1] as char)) {
            i += 1;
            continue;
        }
        let key_end = i + text[i..].find(|c: char| !is_key_char(c)).unwrap_or(text.len() - i);
        let key = &text[i..key_end];
        i = key_end;
        if !is_secret_key(key) {
            continue;
        }
        // After the key: an optional closing quote, spaces, then `=`, `:` or `：`, spaces, an optional quote.
        let mut j = key_end;
        if matches!(bytes.get(j), Some(b'"' | b'\'')) {
            j += 1;
        }
        while matches!(bytes.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let sep = text[j..].chars().next();
        if !matches!(sep, Some('=' | ':' | '：')) {
            continue;
        }
        j += sep.map_or(0, char::len_utf8);
        while matches!(bytes.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let quote = match bytes.get(j) {
            Some(q @ (b'"' | b'\'')) => {
                j += 1;
                Some(*q)
            }
            _ => None,
        };
        let end = match quote {
            Some(q) => j + text[j..].find(q as char).unwrap_or(text.len() - j),
            None => {
                j + text[j..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '&' | ',' | ';' | '}' | ')' | ']' | '"' | '\'' | '，'))
                    .unwrap_or(text.len() - j)
            }
        };
        // `code: 28` is an error code, not an authorization code: only non-numeric values count.
        let value = &text[j..end];
        let numeric = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
        if end > j && !(folded(key) == "code" && numeric) && value != REDACTED {
            spans.push((j, end));
        }
        i = end.max(i);
    }
    spans
}

/// `text` with every secret value replaced by `***`.
pub fn scrub(text: &str) -> String {
    let spans = secret_values(text);
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (from, to) in spans {
        out.push_str(&text[at..from]);
        out.push_str(REDACTED);
        at = to;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether `text` carries a secret value (a settings file or page value holding one is refused).
pub fn holds_secret(text: &str) -> bool {
    !secret_values(text).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_secret_values_in_every_shape() {
        assert_eq!(scrub("… access_token=ChFvSECRET&x=1 token中无scope权限"), "… access_token=***&x=1 token中无scope权限");
        assert_eq!(scrub(r#"{"refresh_token":"abc.def","result":28}"#), r#"{"refresh_token":"***","result":28}"#);
        assert_eq!(scrub("appSecret: s3cr3t, AppKey: ks1"), "appSecret: ***, AppKey: ks1");
        assert_eq!(scrub("https://a.com/cb?code=xyz&state=1"), "https://a.com/cb?code=***&state=1");
        assert_eq!(scrub("SIGN=abc signSecret = 'q w'"), "SIGN=*** signSecret = '***'");
        assert_eq!(scrub("ACCESS-TOKEN：值"), "ACCESS-TOKEN：***");
    }

    #[test]
    fn leaves_what_is_no_secret() {
        for text in [
            r#"{"code":"803000","msg":"鉴权失败"}"#,
            "code: 28",
            "token中无scope权限",
            "TOKEN过期",
            "error_code=1017",
            "tokenScopes: user_info",
            "barcode=1",
        ] {
            assert_eq!(scrub(text), text);
            assert!(!holds_secret(text), "{text}");
        }
        assert!(holds_secret("https://a.com/cb?access_token=x"));
    }
}
