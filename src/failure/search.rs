//! Searching a record: the text lower-cased with a filter of the byte pairs it holds, so that
//! the patterns a log line cannot contain are skipped without a search.

use super::patterns::{Role, PATTERNS, SCOPE_WORD};

/// Bits in the byte-pair filter; a record of a few hundred bytes sets a few percent of them.
const PAIR_BITS: usize = 4096;

/// A text lower-cased (ASCII only, so byte offsets match the original) with a filter of the byte
/// pairs it contains: the ~80 patterns a log line cannot contain are skipped without a search.
pub(super) struct Lowered {
    pub(super) text: String,
    pairs: [u64; PAIR_BITS / 64],
}

impl Lowered {
    pub(super) fn new(original: &str) -> Lowered {
        let text = original.to_ascii_lowercase();
        let mut pairs = [0u64; PAIR_BITS / 64];
        for pair in text.as_bytes().windows(2) {
            let bit = pair_bit(pair[0], pair[1]);
            pairs[bit / 64] |= 1 << (bit % 64);
        }
        Lowered { text, pairs }
    }

    /// False only when `needle` cannot occur (one of its byte pairs is absent).
    fn may_contain(&self, needle: &str) -> bool {
        needle.as_bytes().windows(2).all(|pair| {
            let bit = pair_bit(pair[0], pair[1]);
            self.pairs[bit / 64] & (1 << (bit % 64)) != 0
        })
    }

    /// Whether any searched pattern could start in this text (see `SEARCHED_FIRST_PAIRS`).
    pub(super) fn may_hold_anything(&self) -> bool {
        self.pairs.iter().zip(SEARCHED_FIRST_PAIRS.iter()).any(|(mine, searched)| mine & searched != 0)
    }

    pub(super) fn find(&self, needle: &str) -> Option<usize> {
        self.may_contain(needle).then(|| self.text.find(needle)).flatten()
    }

    pub(super) fn positions<'s>(&'s self, needle: &'s str) -> impl Iterator<Item = usize> + 's {
        self.may_contain(needle).then(|| self.text.match_indices(needle).map(|(at, _)| at)).into_iter().flatten()
    }
}

const fn pair_bit(first: u8, second: u8) -> usize {
    (((first as u32) << 8 | second as u32).wrapping_mul(0x9E37_79B1) >> 20) as usize % PAIR_BITS
}

/// The first byte pair of every pattern searched for in a record, and of `open` (API names). A
/// record with none of them (`},`, `ok`, a blank line) cannot name an API or hold an error.
const SEARCHED_FIRST_PAIRS: [u64; PAIR_BITS / 64] = searched_first_pairs();

const fn searched_first_pairs() -> [u64; PAIR_BITS / 64] {
    let mut pairs = [0u64; PAIR_BITS / 64];
    let mut i = 0;
    while i <= PATTERNS.len() {
        let text = if i == PATTERNS.len() { "open".as_bytes() } else { PATTERNS[i].text.as_bytes() };
        let searched = i == PATTERNS.len()
            || matches!(
                PATTERNS[i].role,
                Role::Says(_) | Role::BareCode(_) | Role::MessageKey(..) | Role::CodeKey(_) | Role::ErrorMarker(_)
            );
        if searched && text.len() >= 2 {
            let bit = pair_bit(text[0], text[1]);
            pairs[bit / 64] |= 1 << (bit % 64);
        }
        i += 1;
    }
    let scope = SCOPE_WORD.as_bytes();
    let bit = pair_bit(scope[0], scope[1]);
    pairs[bit / 64] |= 1 << (bit % 64);
    pairs
}
