//! QR codes of links (the popup and the playground draw them), at error correction level M:
//! module for module what the `qrcode` crate (0.14) makes with `QrCode::new`. It replaces that
//! crate in the wasm, where the crate's generic code and tables were 26 KB; the tests compare
//! the two on thousands of inputs.
//!
//! The steps are ISO/IEC 18004's; where the standard leaves a choice, the crate's is kept: its
//! greedy split of the data into numeric, alphanumeric, byte and Shift-JIS kanji runs (UTF-8
//! text can look like kanji pairs to it), its search for the smallest version, and its mask
//! penalties, summed in wrapping `u16` as the crate's release build sums them.

/// Error correction level M, per version 1–40: (error correction bytes per block, data bytes
/// per block in the first group, blocks in the first group, blocks in the second group). The
/// second group's blocks hold one data byte more.
const BLOCKS: [(u8, u8, u8, u8); 40] = [
    (10, 16, 1, 0),
    (16, 28, 1, 0),
    (26, 44, 1, 0),
    (18, 32, 2, 0),
    (24, 43, 2, 0),
    (16, 27, 4, 0),
    (18, 31, 4, 0),
    (22, 38, 2, 2),
    (22, 36, 3, 2),
    (26, 43, 4, 1),
    (30, 50, 1, 4),
    (22, 36, 6, 2),
    (22, 37, 8, 1),
    (24, 40, 4, 5),
    (24, 41, 5, 5),
    (28, 45, 7, 3),
    (28, 46, 10, 1),
    (26, 43, 9, 4),
    (26, 44, 3, 11),
    (26, 41, 3, 13),
    (26, 42, 17, 0),
    (28, 46, 17, 0),
    (28, 47, 4, 14),
    (28, 45, 6, 14),
    (28, 47, 8, 13),
    (28, 46, 19, 4),
    (28, 45, 22, 3),
    (28, 45, 3, 23),
    (28, 45, 21, 7),
    (28, 47, 19, 10),
    (28, 46, 2, 29),
    (28, 46, 10, 23),
    (28, 46, 14, 21),
    (28, 46, 14, 23),
    (28, 47, 12, 26),
    (28, 47, 6, 34),
    (28, 46, 29, 14),
    (28, 46, 13, 32),
    (28, 47, 40, 7),
    (28, 47, 18, 31),
];

/// Data bits a version (1–40) holds at level M.
fn capacity(version: usize) -> usize {
    let (_, size, count1, count2) = BLOCKS[version - 1];
    let (size, count1, count2) = (usize::from(size), usize::from(count1), usize::from(count2));
    8 * (size * count1 + (size + 1) * count2)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Numeric,
    Alphanumeric,
    Byte,
    Kanji,
}

impl Mode {
    /// Bits of the character count, by version.
    fn count_bits(self, version: usize) -> usize {
        let class = usize::from(version > 9) + usize::from(version > 26);
        let bits = match self {
            Mode::Numeric => [10, 12, 14],
            Mode::Alphanumeric => [9, 11, 13],
            Mode::Byte => [8, 16, 16],
            Mode::Kanji => [8, 10, 12],
        };
        bits[class]
    }

    /// The mode that holds both: numeric < alphanumeric < byte and kanji < byte.
    fn max(self, other: Mode) -> Mode {
        match (self, other) {
            (a, b) if a == b => a,
            (Mode::Numeric, Mode::Alphanumeric) | (Mode::Alphanumeric, Mode::Numeric) => Mode::Alphanumeric,
            _ => Mode::Byte,
        }
    }
}

#[derive(Clone, Copy)]
struct Segment {
    mode: Mode,
    begin: usize,
    end: usize,
}

impl Segment {
    /// Bits the segment takes: mode indicator, character count and data.
    fn bits(self, version: usize) -> usize {
        let len = self.end - self.begin;
        let data = match self.mode {
            Mode::Numeric => (len * 10).div_ceil(3),
            Mode::Alphanumeric => (len * 11).div_ceil(2),
            Mode::Byte => len * 8,
            Mode::Kanji => len / 2 * 13,
        };
        4 + self.mode.count_bits(version) + data
    }
}

/// What a byte can be part of, for the split into runs.
#[derive(Clone, Copy)]
enum Class {
    End,
    /// Space `$ % * + - . / :`.
    Symbol,
    Digit,
    Upper,
    /// First byte of a Shift-JIS pair: 0x81–0x9f, 0xe0–0xea, 0xeb (whose pair has a smaller range).
    KanjiHi1,
    KanjiHi2,
    KanjiHi3,
    /// Second byte of a pair: 0x40–0xbf (but letters, KanjiHi1 and 0x7f), 0xc0–0xfc (but KanjiHi2/3).
    KanjiLo1,
    KanjiLo2,
    Other,
}

fn class_of(byte: u8) -> Class {
    match byte {
        0x20 | 0x24 | 0x25 | 0x2a | 0x2b | 0x2d..=0x2f | 0x3a => Class::Symbol,
        0x30..=0x39 => Class::Digit,
        0x41..=0x5a => Class::Upper,
        0x81..=0x9f => Class::KanjiHi1,
        0xe0..=0xea => Class::KanjiHi2,
        0xeb => Class::KanjiHi3,
        0x40 | 0x5b..=0x7e | 0x80 | 0xa0..=0xbf => Class::KanjiLo1,
        0xc0..=0xdf | 0xec..=0xfc => Class::KanjiLo2,
        _ => Class::Other,
    }
}

#[derive(Clone, Copy)]
enum State {
    Init,
    Numeric,
    Alpha,
    Byte,
    KanjiHi12,
    KanjiHi3,
    Kanji,
}

/// What to do on a transition: nothing, or end the run so far in a mode (`KanjiByte`: the run
/// but its last byte as kanji, that byte alone as byte).
#[derive(Clone, Copy)]
enum Act {
    Idle,
    Numeric,
    Alpha,
    Byte,
    Kanji,
    KanjiByte,
}

/// `TRANSITIONS[state][class]`: the next state and what to do (the crate's table).
const TRANSITIONS: [[(State, Act); 10]; 7] = {
    use Act::*;
    use State as S;
    [
        // Init
        [
            (S::Init, Idle),
            (S::Alpha, Idle),
            (S::Numeric, Idle),
            (S::Alpha, Idle),
            (S::KanjiHi12, Idle),
            (S::KanjiHi12, Idle),
            (S::KanjiHi3, Idle),
            (S::Byte, Idle),
            (S::Byte, Idle),
            (S::Byte, Idle),
        ],
        // Numeric
        [
            (S::Init, Numeric),
            (S::Alpha, Numeric),
            (S::Numeric, Idle),
            (S::Alpha, Numeric),
            (S::KanjiHi12, Numeric),
            (S::KanjiHi12, Numeric),
            (S::KanjiHi3, Numeric),
            (S::Byte, Numeric),
            (S::Byte, Numeric),
            (S::Byte, Numeric),
        ],
        // Alpha
        [
            (S::Init, Alpha),
            (S::Alpha, Idle),
            (S::Numeric, Alpha),
            (S::Alpha, Idle),
            (S::KanjiHi12, Alpha),
            (S::KanjiHi12, Alpha),
            (S::KanjiHi3, Alpha),
            (S::Byte, Alpha),
            (S::Byte, Alpha),
            (S::Byte, Alpha),
        ],
        // Byte
        [
            (S::Init, Byte),
            (S::Alpha, Byte),
            (S::Numeric, Byte),
            (S::Alpha, Byte),
            (S::KanjiHi12, Byte),
            (S::KanjiHi12, Byte),
            (S::KanjiHi3, Byte),
            (S::Byte, Idle),
            (S::Byte, Idle),
            (S::Byte, Idle),
        ],
        // KanjiHi12
        [
            (S::Init, KanjiByte),
            (S::Alpha, KanjiByte),
            (S::Numeric, KanjiByte),
            (S::Kanji, Idle),
            (S::Kanji, Idle),
            (S::Kanji, Idle),
            (S::Kanji, Idle),
            (S::Kanji, Idle),
            (S::Kanji, Idle),
            (S::Byte, KanjiByte),
        ],
        // KanjiHi3
        [
            (S::Init, KanjiByte),
            (S::Alpha, KanjiByte),
            (S::Numeric, KanjiByte),
            (S::Kanji, Idle),
            (S::Kanji, Idle),
            (S::KanjiHi12, KanjiByte),
            (S::KanjiHi3, KanjiByte),
            (S::Kanji, Idle),
            (S::Byte, KanjiByte),
            (S::Byte, KanjiByte),
        ],
        // Kanji
        [
            (S::Init, Kanji),
            (S::Alpha, Kanji),
            (S::Numeric, Kanji),
            (S::Alpha, Kanji),
            (S::KanjiHi12, Idle),
            (S::KanjiHi12, Idle),
            (S::KanjiHi3, Idle),
            (S::Byte, Kanji),
            (S::Byte, Kanji),
            (S::Byte, Kanji),
        ],
    ]
};

/// The data split into runs, each in the one mode its bytes allow.
fn runs(data: &[u8]) -> Vec<Segment> {
    let mut runs = Vec::new();
    let (mut state, mut begin) = (State::Init, 0);
    let classes = data.iter().map(|&b| class_of(b)).chain([Class::End]);
    for (i, class) in classes.enumerate() {
        let (next, act) = TRANSITIONS[state as usize][class as usize];
        state = next;
        let mode = match act {
            Act::Idle => continue,
            Act::Numeric => Mode::Numeric,
            Act::Alpha => Mode::Alphanumeric,
            Act::Byte => Mode::Byte,
            Act::Kanji => Mode::Kanji,
            Act::KanjiByte if begin == i - 1 => Mode::Byte,
            Act::KanjiByte => {
                runs.push(Segment { mode: Mode::Kanji, begin, end: i - 1 });
                begin = i - 1;
                Mode::Byte
            }
        };
        runs.push(Segment { mode, begin, end: i });
        begin = i;
    }
    runs
}

/// Neighbouring runs merged, left to right, while one run in the wider mode takes no more bits.
fn merged(runs: &[Segment], version: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let Some((&first, rest)) = runs.split_first() else { return out };
    let (mut last, mut last_bits) = (first, first.bits(version));
    for &run in rest {
        let run_bits = run.bits(version);
        let both = Segment { mode: last.mode.max(run.mode), begin: last.begin, end: run.end };
        let both_bits = both.bits(version);
        if last_bits + run_bits >= both_bits {
            (last, last_bits) = (both, both_bits);
        } else {
            out.push(last);
            (last, last_bits) = (run, run_bits);
        }
    }
    out.push(last);
    out
}

/// The smallest version holding `bits` (the crate's binary search, kept as it is).
fn min_version(bits: usize) -> usize {
    let (mut base, mut size) = (0, 39);
    while size > 1 {
        let half = size / 2;
        let mid = base + half;
        if capacity(mid + 1) <= bits {
            base = mid;
        }
        size -= half;
    }
    if capacity(base + 1) < bits {
        base += 1;
    }
    base + 1
}

/// Bits written most significant first.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    fn push(&mut self, count: usize, value: u32) {
        for i in (0..count).rev() {
            if self.len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if let Some(last) = self.bytes.last_mut().filter(|_| value >> i & 1 == 1) {
                *last |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
    }
}

const TOO_LONG: &str = "data too long";

/// The data codewords of `data` and the version they fit.
fn encode_data(data: &[u8]) -> Result<(usize, Vec<u8>), &'static str> {
    let runs = runs(data);
    // Runs are merged for each class of count lengths in turn; the first that fits wins.
    for class_version in [9, 26, 40] {
        let segments = merged(&runs, class_version);
        let total: usize = segments.iter().map(|s| s.bits(class_version)).sum();
        if total > capacity(class_version) {
            continue;
        }
        let version = min_version(total);
        let mut bits = Bits::default();
        for s in segments {
            let chunk = &data[s.begin..s.end];
            let count = if s.mode == Mode::Kanji { chunk.len() / 2 } else { chunk.len() };
            let count_bits = s.mode.count_bits(version);
            if count >= 1 << count_bits {
                return Err(TOO_LONG);
            }
            bits.push(4, 1 << s.mode as u32);
            bits.push(count_bits, count as u32);
            match s.mode {
                Mode::Numeric => chunk.chunks(3).for_each(|c| {
                    bits.push(c.len() * 3 + 1, c.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')));
                }),
                Mode::Alphanumeric => chunk.chunks(2).for_each(|c| {
                    let digit = |b: u8| match b {
                        b'0'..=b'9' => b - b'0',
                        b'A'..=b'Z' => b - b'A' + 10,
                        _ => 36 + b" $%*+-./:".iter().position(|&s| s == b).unwrap_or(0) as u8,
                    };
                    bits.push(c.len() * 5 + 1, c.iter().fold(0, |n, &b| n * 45 + u32::from(digit(b))));
                }),
                Mode::Byte => chunk.iter().for_each(|&b| bits.push(8, b.into())),
                Mode::Kanji => chunk.chunks(2).for_each(|pair| {
                    let code = u32::from(pair[0]) << 8 | u32::from(pair[1]);
                    let code = code - if code < 0xe040 { 0x8140 } else { 0xc140 };
                    bits.push(13, (code >> 8) * 0xc0 + (code & 0xff));
                }),
            }
        }
        // Terminator (up to four zero bits), zeros to the byte, then the pad bytes.
        let capacity = capacity(version);
        bits.push(4.min(capacity - bits.len), 0);
        let mut pad = [0xec, 0x11].into_iter().cycle();
        while bits.bytes.len() < capacity / 8 {
            bits.bytes.push(pad.next().unwrap_or(0));
        }
        return Ok((version, bits.bytes));
    }
    Err(TOO_LONG)
}

/// GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1: the powers of 2 and their logarithms.
fn galois_tables() -> ([u8; 256], [u8; 256]) {
    let (mut exp, mut log) = ([0u8; 256], [0u8; 256]);
    let mut x: u16 = 1;
    for (i, power) in exp.iter_mut().enumerate().take(255) {
        *power = x as u8;
        log[usize::from(x)] = i as u8;
        x <<= 1;
        if x & 0x100 != 0 {
            x ^= 0x11d;
        }
    }
    exp[255] = exp[0];
    (exp, log)
}

/// The Reed-Solomon error correction bytes of one block.
fn error_correction(block: &[u8], ec_len: usize, exp: &[u8; 256], log: &[u8; 256]) -> Vec<u8> {
    let mul =
        |a: u8, b: u8| if a == 0 || b == 0 { 0 } else { exp[(usize::from(log[usize::from(a)]) + usize::from(log[usize::from(b)])) % 255] };
    // The generator polynomial (x − 2⁰)(x − 2¹)…(x − 2^(ec_len−1)), highest power first.
    let mut generator = vec![1u8];
    for &root in &exp[..ec_len] {
        let mut next = generator.clone();
        next.push(0);
        for (j, &c) in generator.iter().enumerate() {
            next[j + 1] ^= mul(c, root);
        }
        generator = next;
    }
    let mut remainder = vec![0u8; ec_len];
    for &byte in block {
        let factor = byte ^ remainder[0];
        remainder.rotate_left(1);
        remainder[ec_len - 1] = 0;
        for (r, &g) in remainder.iter_mut().zip(&generator[1..]) {
            *r ^= mul(g, factor);
        }
    }
    remainder
}

/// The codewords in placement order: the blocks' data bytes interleaved, then their error
/// correction bytes interleaved.
fn codewords(version: usize, data: &[u8]) -> Vec<u8> {
    let (ec_len, size, count1, count2) = BLOCKS[version - 1];
    let (ec_len, size) = (usize::from(ec_len), usize::from(size));
    let (exp, log) = galois_tables();
    let mut blocks: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    for i in 0..usize::from(count1 + count2) {
        let len = size + usize::from(i >= usize::from(count1));
        blocks.push(&data[at..at + len]);
        at += len;
    }
    let ec: Vec<Vec<u8>> = blocks.iter().map(|b| error_correction(b, ec_len, &exp, &log)).collect();
    let mut out = Vec::with_capacity(at + ec_len * blocks.len());
    for i in 0..=size {
        out.extend(blocks.iter().filter_map(|b| b.get(i)));
    }
    for i in 0..ec_len {
        out.extend(ec.iter().map(|e| e[i]));
    }
    out
}

/// A module of the symbol while it is drawn.
const EMPTY: u8 = 0;
const LIGHT: u8 = 1;
const DARK: u8 = 2;
/// Data modules, which the mask inverts.
const DATA_LIGHT: u8 = 3;
const DATA_DARK: u8 = 4;

struct Canvas {
    width: i32,
    modules: Vec<u8>,
}

impl Canvas {
    /// Negative coordinates count from the far edge.
    fn index(&self, x: i32, y: i32) -> usize {
        let wrap = |v: i32| if v < 0 { v + self.width } else { v };
        (wrap(y) * self.width + wrap(x)) as usize
    }

    fn get(&self, x: i32, y: i32) -> u8 {
        self.modules[self.index(x, y)]
    }

    fn put(&mut self, x: i32, y: i32, dark: bool) {
        let i = self.index(x, y);
        self.modules[i] = if dark { DARK } else { LIGHT };
    }

    /// A finder pattern with its light separator, centred at (x, y).
    fn finder(&mut self, x: i32, y: i32) {
        let (left, right): (i32, i32) = if x >= 0 { (-3, 4) } else { (-4, 3) };
        let (top, bottom): (i32, i32) = if y >= 0 { (-3, 4) } else { (-4, 3) };
        for j in top..=bottom {
            for i in left..=right {
                let ring = i32::max(i.abs(), j.abs());
                self.put(x + i, y + j, ring != 2 && ring != 4);
            }
        }
    }

    fn alignment(&mut self, x: i32, y: i32) {
        if self.get(x, y) != EMPTY {
            return;
        }
        for j in -2i32..=2 {
            for i in -2i32..=2 {
                self.put(x + i, y + j, i32::max(i.abs(), j.abs()) != 1);
            }
        }
    }

    /// `bits` bits of `number`, most significant first, at `coords`.
    fn number(&mut self, number: u32, bits: u32, coords: impl Iterator<Item = (i32, i32)>) {
        for (k, (x, y)) in coords.enumerate() {
            self.put(x, y, number >> (bits - 1 - k as u32) & 1 == 1);
        }
    }

    /// The format information at both places, and the dark module.
    fn format(&mut self, info: u32) {
        let main = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8), (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)];
        self.number(info, 15, main.into_iter());
        self.number(info, 15, (1..=7).map(|k| (8, -k)).chain((1..=8).rev().map(|k| (-k, 8))));
        self.put(8, -8, true);
    }
}

/// Where the alignment patterns' centres go on each axis (version ≥ 2).
fn alignment_positions(version: usize) -> Vec<i32> {
    let version = version as i32;
    let count = version / 7 + 2;
    let last = version * 4 + 10;
    let step = if version == 32 { 26 } else { (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2 };
    let mut positions: Vec<i32> = (0..count - 1).map(|k| last - k * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// The version information of versions ≥ 7: the version and its BCH(18, 6) check bits.
fn version_info(version: usize) -> u32 {
    let mut rest = (version as u32) << 12;
    for bit in (12..18).rev() {
        if rest >> bit & 1 == 1 {
            rest ^= 0x1f25 << (bit - 12);
        }
    }
    (version as u32) << 12 | rest
}

/// Whether mask `mask` inverts the module at (x, y).
fn masked(mask: usize, x: i32, y: i32) -> bool {
    match mask {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (y / 2 + x / 3) % 2 == 0,
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
        _ => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
    }
}

/// The penalty of a masked symbol (`dark` row-major): runs of five or more, 2×2 blocks,
/// finder-like patterns, and the dark/light balance.
fn penalty(dark: &[bool], width: i32) -> u16 {
    let at = |x: i32, y: i32| dark[(y * width + x) as usize];
    let mut total: u16 = 0;
    for horizontal in [true, false] {
        let line = |i: i32, k: i32| if horizontal { at(k, i) } else { at(i, k) };
        for i in 0..width {
            let mut run = 1u16;
            for k in 1..=width {
                if k < width && line(i, k) == line(i, k - 1) {
                    run += 1;
                } else {
                    if run >= 5 {
                        total = total.wrapping_add(run - 2);
                    }
                    run = 1;
                }
            }
        }
    }
    for x in 0..width - 1 {
        for y in 0..width - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                total = total.wrapping_add(3);
            }
        }
    }
    for horizontal in [true, false] {
        let line = |i: i32, k: i32| if horizontal { at(k, i) } else { at(i, k) };
        let mut score: u16 = 0;
        for i in 0..width {
            for j in 0..width - 6 {
                if (0..7).any(|k| line(i, j + k) != [true, false, true, true, true, false, true][k as usize]) {
                    continue;
                }
                let dark_in = |from: i32, to: i32| (from..to).any(|k| 0 <= k && k < width && line(i, k));
                if !dark_in(j - 4, j) || !dark_in(j + 7, j + 11) {
                    score = score.wrapping_add(40);
                }
            }
        }
        total = total.wrapping_add(score.wrapping_sub(360));
    }
    let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len();
    total.wrapping_add(ratio.abs_diff(100) as u16)
}

/// The QR code of `data` at level M: its width in modules and the modules row-major (1 = dark),
/// or why there is none (`data too long`).
pub fn encode(data: &[u8]) -> Result<(usize, Vec<u8>), &'static str> {
    let (version, data) = encode_data(data)?;
    let codewords = codewords(version, &data);
    let width = version as i32 * 4 + 17;
    let mut canvas = Canvas { width, modules: vec![EMPTY; (width * width) as usize] };

    // Function patterns, in the crate's order (later ones overwrite earlier ones).
    canvas.finder(3, 3);
    canvas.finder(-4, 3);
    canvas.finder(3, -4);
    if version >= 2 {
        let positions = if version < 7 { vec![width - 7] } else { alignment_positions(version) };
        for &x in &positions {
            for &y in &positions {
                canvas.alignment(x, y);
            }
        }
    }
    canvas.format(0); // reserved now, written with the mask below
    for k in 8..=width - 9 {
        canvas.put(k, 6, k % 2 == 0);
        canvas.put(6, k, k % 2 == 0);
    }
    if version >= 7 {
        let info = version_info(version);
        canvas.number(info, 18, (0..18).map(|k| (5 - k / 3, -9 - k % 3)));
        canvas.number(info, 18, (0..18).map(|k| (-9 - k % 3, 5 - k / 3)));
    }

    // Data, bit by bit, up and down two-module columns from the bottom right, skipping the
    // vertical timing pattern and every module already drawn.
    let mut bits = codewords.iter().flat_map(|&b| (0..8).rev().map(move |i| b >> i & 1 == 1));
    let (mut x, mut y) = (width - 1, width - 1);
    loop {
        let column = if x <= 6 { x + 1 } else { x };
        if column <= 0 {
            break;
        }
        let i = canvas.index(x, y);
        if canvas.modules[i] == EMPTY {
            match bits.next() {
                Some(dark) => canvas.modules[i] = if dark { DATA_DARK } else { DATA_LIGHT },
                None => break,
            }
        }
        match (width - column) % 4 {
            2 if y > 0 => (x, y) = (x + 1, y - 1),
            0 if y < width - 1 => (x, y) = (x + 1, y + 1),
            0 | 2 if x == 7 => x -= 2,
            _ => x -= 1,
        }
    }

    // The mask with the least penalty (the first of equals), with level M's format information
    // for that mask.
    const FORMATS: [u32; 8] = [0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0];
    let mut best: Option<(u16, Vec<u8>)> = None;
    for (mask, format) in FORMATS.into_iter().enumerate() {
        let mut masked_canvas = Canvas { width, modules: canvas.modules.clone() };
        for y in 0..width {
            for x in 0..width {
                let i = masked_canvas.index(x, y);
                let m = &mut masked_canvas.modules[i];
                let invert = masked(mask, x, y);
                *m = match *m {
                    EMPTY | DATA_LIGHT => [LIGHT, DARK][usize::from(invert)],
                    DATA_DARK => [DARK, LIGHT][usize::from(invert)],
                    fixed => fixed,
                };
            }
        }
        masked_canvas.format(format);
        let dark: Vec<bool> = masked_canvas.modules.iter().map(|&m| m == DARK).collect();
        let score = penalty(&dark, width);
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, dark.iter().map(|&d| u8::from(d)).collect()));
        }
    }
    Ok((width as usize, best.map(|(_, modules)| modules).unwrap_or_default()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The `qrcode` crate's answer, as `encode` gives it.
    fn reference(data: &[u8]) -> Result<(usize, Vec<u8>), String> {
        let code = qrcode::QrCode::new(data).map_err(|e| e.to_string())?;
        Ok((code.width(), code.to_colors().into_iter().map(|c| u8::from(c == qrcode::Color::Dark)).collect()))
    }

    fn check(data: &[u8]) {
        assert_eq!(encode(data).map_err(str::to_string), reference(data), "{:?}", String::from_utf8_lossy(data));
    }

    #[test]
    fn version_tables_are_the_standard_s() {
        assert_eq!(version_info(7), 0x07c94);
        assert_eq!(version_info(40), 0x28c69);
        assert_eq!(alignment_positions(7), [6, 22, 38]);
        assert_eq!(alignment_positions(32), [6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_positions(40), [6, 30, 58, 86, 114, 142, 170]);
        assert_eq!((capacity(1), capacity(40)), (128, 18672));
    }

    #[test]
    fn makes_what_the_qrcode_crate_makes() {
        let link = "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks721596384012&redirect_uri=https%3A%2F%2Fshop.example.com%2Fkwai%2Fcallback%3Ffrom%3Dconsole%26v%3D2&scope=user_info,merchant_item&response_type=code";
        for text in ["", "a", "0", "01234567", "HELLO WORLD", "AC-42", link, "中文链接", "あ、AｱÅ", "123A", "https://x/?a=1&b=%E4%B8%AD"]
        {
            check(text.as_bytes());
        }
        check(b"\x82\xa0\x81\x41\x41\xb1\x81\xf0");
        // Every length class and version boundary, in several alphabets (numeric, alphanumeric,
        // bytes, UTF-8 Chinese, Shift-JIS-like pairs, and mixes), up to and past the largest code.
        let mut seed = 1u64;
        let mut random = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let alphabets: [&[u8]; 6] = [
            b"0123456789",
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
            b"abc%3A/?=&_-.0123",
            "中文链接权限".as_bytes(),
            b"\x81\x40\x9f\xfc\xe0\x40\xeb\xbf\xea\xfc",
            b"aA0 \x81\x40\xe4\xb8\xad%",
        ];
        // (Few long ones: the reference is slow in debug builds.)
        let mut lengths: Vec<usize> = (0..100).collect();
        lengths.extend((100..2400).step_by(97));
        lengths.extend([2330, 2331, 3390, 3391, 7089]);
        for len in lengths {
            for alphabet in alphabets {
                let data: Vec<u8> = (0..len).map(|_| alphabet[random() % alphabet.len()]).collect();
                check(&data);
            }
        }
    }
}
