//! Values whole or absent (contract.md `read`): what a well-formed appKey and 回调地址 are. A
//! value that fails these rules is never clipped, guessed or put in a link: readers give `null`,
//! and the store refuses it.

/// Digits after `ks` in an appKey: every appKey in the docs and real links is `ks` + digits
/// (`ks721596384012`); a look-alike `ks12345а` or a hidden `\u{200b}` makes it no appKey at all.
const APP_KEY_DIGITS: std::ops::RangeInclusive<usize> = 1..=32;

pub fn is_app_key(key: &str) -> bool {
    key.strip_prefix("ks").is_some_and(|digits| APP_KEY_DIGITS.contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Marks of text shown cut short, at its end (`https://example.com/cb…`) or in its middle
/// (`https://example.com/…/callback`, a middle ellipsis): no whole address holds one.
const CUT_MARKS: [&str; 3] = ["…", "...", "⋯"];

/// Text shown cut short by the console, at its end or in its middle.
pub fn looks_cut(text: &str) -> bool {
    cut_ends(text).is_some()
}

/// The cut mark starting at byte `at`, if one does, with its length.
fn mark_at(text: &str, at: usize) -> Option<usize> {
    CUT_MARKS.iter().find(|mark| text[at..].starts_with(*mark)).map(|mark| mark.len())
}

/// What a text shown cut short keeps of the whole: the part before its first cut mark and the
/// part after its last (`("https://example.com/", "/callback")`); `None` if it is not cut.
pub fn cut_ends(text: &str) -> Option<(&str, &str)> {
    let mut marks = text.char_indices().filter_map(|(at, _)| Some((at, at + mark_at(text, at)?)));
    let (first, mut last) = marks.next()?;
    for (_, end) in marks {
        last = end;
    }
    Some((&text[..first], text[last..].trim_start_matches('.')))
}

/// Whether `full` is a whole form of a text shown cut short: it begins and ends as the shown
/// text does, and is longer than what the shown text kept.
pub fn completes(shown: &str, full: &str) -> bool {
    cut_ends(shown).is_some_and(|(head, tail)| full.len() > head.len() + tail.len() && full.starts_with(head) && full.ends_with(tail))
}

/// Characters that render as nothing, as blank or reorder text (format and filler characters,
/// variation selectors, tags): a value holding one is not what it shows.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{034f}'
                | '\u{061c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff0}'..='\u{fffb}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

/// A port a browser accepts: 1–5 digits, at most 65535.
fn is_port(port: &str) -> bool {
    (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u32>().is_ok_and(|n| n <= 65_535)
}

/// A host a browser accepts: dot-separated labels (letters, digits, `-`; non-ASCII as an IDN),
/// a dotted IPv4 of four octets, or a bracketed IPv6.
fn is_host(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.contains(':') && v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit())) {
        return labels.len() == 4 && labels.iter().all(|l| l.len() <= 3 && l.parse::<u16>().is_ok_and(|n| n <= 255));
    }
    (1..=253).contains(&host.len())
        && labels
            .iter()
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// `host[:port]`, the port split off after an IPv6's closing bracket.
fn is_authority(authority: &str) -> bool {
    let port_at =
        if authority.starts_with('[') { authority.find(']').map(|end| end + 1) } else { authority.bytes().rposition(|b| b == b':') };
    match port_at.filter(|&at| at < authority.len()) {
        Some(at) if authority[at..].starts_with(':') => is_host(&authority[..at]) && is_port(&authority[at + 1..]),
        Some(_) => false,
        None => is_host(authority),
    }
}

/// A 回调地址 a link can carry: `https://host…` (or `http://`, which the console accepts for
/// development hosts), whole, with a host and port a browser accepts, no space and nothing
/// invisible. `https:evil.example/cb` (no `//`) and a cut-short address are not.
pub fn is_callback(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else { return false };
    let host_end = rest.find(&['/', '?', '#'][..]).unwrap_or(rest.len());
    is_authority(&rest[..host_end]) && !looks_cut(url) && !url.chars().any(|c| c.is_whitespace() || is_invisible(c))
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
    fn a_cut_text_is_completed_only_by_what_begins_and_ends_like_it() {
        let full = "https://open-cb.example.com/api/v3/kwai/oauth/callback?src=console&r=1";
        assert!(completes("https://open-cb.example.com/…/kwai/oauth/callback?src=console&r=1", full));
        assert!(completes("https://open-cb.example.com/api/v3/…", full));
        assert!(completes("https://open-cb.example.com/api/v3/...", full));
        assert!(!completes("https://open-cb.example.com/…/other/callback", full), "another ending");
        assert!(!completes("https://evil.example.com/…/kwai/oauth/callback?src=console&r=1", full), "another beginning");
        assert!(!completes(full, full), "not cut");
        assert_eq!(cut_ends("https://a.com/…/cb..."), Some(("https://a.com/", "")));
    }

    #[test]
    fn callbacks_are_whole_addresses() {
        assert!(is_callback("https://shop.example.com/kwai/callback?from=console&v=2"));
        assert!(is_callback("http://127.0.0.1:8080/kwai/callback"));
        assert!(
            is_callback("https://[::1]:8443/cb") && is_callback("https://127.0.0.1/cb") && is_callback("https://商店.example/回调?a=1")
        );
        for bad in [
            "https:evil.example/cb",
            "https://example.com/cb…",
            "https://example.com/cb...",
            "https://example.com/…/callback",
            "https://example.com/⋯/cb?x=1",
            "ftp://x",
            "https://a b",
            "https://ex\u{202e}ample.com",
            "https:///x",
            "https://a.com/cb\u{206a}",
            "https://a.com/cb\u{61c}",
            "https://a.com/cb\u{e0001}",
            "https://a.com/\u{3164}",
            "https://a.com:99999/cb",
            "https://a.com:8a/cb",
            "https://[::1/cb",
            "https://[x]/cb",
            "https://:443/cb",
            "https://1.2.3.4.5/cb",
            "https://999.1.1.1/cb",
        ] {
            assert!(!is_callback(bad), "{bad:?}");
        }
    }
}
