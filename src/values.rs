//! Values whole or absent (contract.md `read`): what a well-formed appKey and 回调地址 are. A
//! value that fails these rules is never clipped, guessed or put in a link: readers give `null`,
//! and the store refuses it.

/// Digits after `ks` in an appKey: every appKey in the docs and real links is `ks` + digits
/// (`ks721596384012`); a look-alike `ks12345а` or a hidden `\u{200b}` makes it no appKey at all.
const APP_KEY_DIGITS: std::ops::RangeInclusive<usize> = 1..=32;

pub fn is_app_key(key: &str) -> bool {
    key.strip_prefix("ks").is_some_and(|digits| APP_KEY_DIGITS.contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Text shown cut short by the console (`https://example.com/cb…`, `…/cb...`).
pub fn looks_cut(text: &str) -> bool {
    text.ends_with('…') || text.ends_with("...") || text.ends_with('⋯')
}

/// Characters that render as nothing or reorder text: a value holding one is not what it shows.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{00ad}')
}

/// A 回调地址 a link can carry: `https://host…` (or `http://`, which the console accepts for
/// development hosts), whole, with no space and nothing invisible. `https:evil.example/cb`
/// (no `//`) and a cut-short address are not.
pub fn is_callback(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else { return false };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        && !looks_cut(url)
        && !url.chars().any(|c| c.is_whitespace() || is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_keys_are_ks_and_digits_only() {
        assert!(is_app_key("ks721596384012"));
        for bad in ["", "ks", "ks12345\u{430}", "ks12345\u{200b}", "kS12345", "ks12 345", &format!("ks{}", "1".repeat(70))] {
            assert!(!is_app_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn callbacks_are_whole_addresses() {
        assert!(is_callback("https://shop.example.com/kwai/callback?from=console&v=2"));
        assert!(is_callback("http://127.0.0.1:8080/kwai/callback"));
        for bad in [
            "https:evil.example/cb",
            "https://example.com/cb…",
            "https://example.com/cb...",
            "ftp://x",
            "https://a b",
            "https://ex\u{202e}ample.com",
            "https:///x",
        ] {
            assert!(!is_callback(bad), "{bad:?}");
        }
    }
}
