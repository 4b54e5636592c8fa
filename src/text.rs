//! Text normalisation shared by every reader: the console may show the same words in
//! full-width or half-width forms, with stray spaces, brackets and trailing colons.
//!
//! (Across the crate, sets of characters to split or search at are written as slices,
//! `text.split(&['?', '#'][..])`: std's searcher is in the wasm once for `&[char]`, where each
//! array length, `[char; 2]`, `[char; 7]`, … was another copy.)

/// Percent-decoded text, bytes that are not UTF-8 replaced by U+FFFD (what
/// `decode_utf8_lossy` gives, through the one lossy UTF-8 decoder the wasm already has).
pub fn percent_decoded(text: &str) -> String {
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(text).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Full-width ASCII forms (`ＡＢＣ１２３：（）`) become half-width; the ideographic space
/// becomes a plain space. Everything else is kept.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        '【' | '〔' => '[',
        '】' | '〕' => ']',
        '、' => ',',
        '。' => '.',
        _ => c,
    }
}

/// The comparable form of a label or name: half-width, lower-case, without whitespace.
/// `" 所属 权限包："` → `"所属权限包:"`.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{FEFF}'))
        // ASCII case only: the console's Latin text is ASCII once half-width (keeps Unicode case tables out of the wasm).
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `fold` without bracketed asides and trailing punctuation: `"商品信息（授权）："` → `"商品信息"`.
pub fn fold_core(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' | '[' | '<' | '{' => depth += 1,
            ')' | ']' | '>' | '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim_end_matches(&[':', '*', '.', ',', ';', '|', '-', '/'][..]).to_string()
}

/// Collapses runs of whitespace to one space and trims.
pub fn squash(text: &str) -> String {
    joined(&text.split_whitespace().collect::<Vec<_>>(), " ")
}

/// What follows the last `delimiter` (an ASCII byte) in `text`, or all of it when there is
/// none: `text.rsplit(delimiter).next()`, without std's backward char searcher (~0.6 KB of wasm).
pub fn after_last(text: &str, delimiter: u8) -> &str {
    text.bytes().rposition(|b| b == delimiter).map_or(text, |at| &text[at + 1..])
}

/// `parts.join(sep)`, written out: std's `join` is ~1 KB of wasm for each element type.
pub fn joined<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part.as_ref());
    }
    out
}

/// Splits `"label：value"` (full- or half-width colon) into the label and the rest.
pub fn split_label(text: &str) -> Option<(&str, &str)> {
    let at = text.find(&[':', '：'][..])?;
    let colon_len = text[at..].chars().next().map_or(1, char::len_utf8);
    Some((text[..at].trim(), text[at + colon_len..].trim()))
}

/// True for characters that may appear in an identifier such as `open.item.get` or `merchant_item`.
pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The `open.*` method names in a text, in order, without duplicates:
/// `"method=open.item.get&v=1"` → `["open.item.get"]`; a URL path `/open/item/get` too.
pub fn method_names(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(pos) = text[i..].find("open") {
        let start = i + pos;
        i = start + 4;
        let before_ok = start == 0 || !is_ident_char(bytes[start - 1] as char);
        let sep = bytes.get(start + 4).copied();
        if !before_ok || !matches!(sep, Some(b'.') | Some(b'/')) {
            continue;
        }
        // A path form must start with '/' ("/open/item/get"), so "open/foo" inside a word is skipped.
        if sep == Some(b'/') && (start == 0 || bytes[start - 1] != b'/') {
            continue;
        }
        let sep = sep.unwrap_or(b'.') as char;
        let mut parts: Vec<&str> = vec!["open"];
        let mut j = start + 4;
        while j < bytes.len() && bytes[j] as char == sep {
            let seg_start = j + 1;
            let seg_end = text[seg_start..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(text.len(), |e| seg_start + e);
            if seg_end == seg_start {
                break;
            }
            parts.push(&text[seg_start..seg_end]);
            j = seg_end;
        }
        if parts.len() >= 3 && parts[1..].iter().all(|p| p.starts_with(|c: char| c.is_ascii_alphabetic())) {
            let name = joined(&parts, ".").to_ascii_lowercase();
            if !found.contains(&name) {
                found.push(name);
            }
            i = j;
        }
    }
    found
}

/// Cuts a text to at most `max` characters on a character boundary.
pub fn clip(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The order that sorts `len` items stably by `less` (equal items keep their order): a
/// bottom-up merge sort on indices. One copy serves every sort in the crate: std's stable sort
/// (and `BTreeMap`, which sorts) costs 2–4 KB of wasm for each element type it is used with.
pub fn stable_order(len: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged = vec![0; len];
    let mut width = 1;
    while width < len {
        for start in (0..len).step_by(2 * width) {
            let (mid, end) = ((start + width).min(len), (start + 2 * width).min(len));
            let (mut left, mut right) = (start, mid);
            for slot in &mut merged[start..end] {
                // The right run goes first only when strictly less: that keeps the sort stable.
                if right < end && (left == mid || less(order[right], order[left])) {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// `items` sorted stably by `less`, as `sort_by` would (see [`stable_order`]).
pub fn sorted_by<T>(items: Vec<T>, less: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let order = stable_order(items.len(), &|a, b| less(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_last_is_rsplit_next() {
        for text in ["", "/", "a/", "/a", "a/b/c", "中/文/字", "no delimiter", "//", "a.b.c", "x.中"] {
            for delimiter in [b'/', b'.'] {
                assert_eq!(after_last(text, delimiter), text.rsplit(char::from(delimiter)).next().unwrap_or(""), "{text:?}");
            }
        }
    }

    #[test]
    fn folds_full_width_and_spaces() {
        assert_eq!(fold(" 所属 权限包："), "所属权限包:");
        assert_eq!(fold("ＡｐｐＫｅｙ"), "appkey");
        assert_eq!(fold_core("商品信息（授权）："), "商品信息");
        assert_eq!(fold_core("【商品】信息"), "信息");
    }

    #[test]
    fn splits_labels() {
        assert_eq!(split_label("回调地址：https://a.b/c"), Some(("回调地址", "https://a.b/c")));
        assert_eq!(split_label("appKey: ks123"), Some(("appKey", "ks123")));
        assert_eq!(split_label("no label"), None);
    }

    #[test]
    fn finds_method_names_in_many_forms() {
        assert_eq!(method_names("method=open.item.get&x=1"), vec!["open.item.get"]);
        assert_eq!(method_names(r#"{"method":"open.order.cursor.list"}"#), vec!["open.order.cursor.list"]);
        assert_eq!(method_names("POST https://openapi.kwaixiaodian.com/open/item/get?appkey=1"), vec!["open.item.get"]);
        assert_eq!(method_names("reopen.item.get opened.x.y open.item"), Vec::<String>::new());
        assert_eq!(method_names("open.item.get then open.item.get and open.refund.list"), vec!["open.item.get", "open.refund.list"]);
    }

    #[test]
    fn sorts_stably_like_std() {
        let mut seed = 7u64;
        for len in 0..200 {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|x| x.0);
            assert_eq!(sorted_by(items, |a, b| a.0 < b.0), expected);
        }
    }
}
