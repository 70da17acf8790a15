//! The words of a text, as the index reads them: runs of letters and digits. Every word of
//! every article passes here, so they are found by their bytes, sixty-four at a time: a mask of
//! the bytes inside a word for certain (ASCII letters and digits, most of the Cyrillic block)
//! made sixteen bytes at a time where the processor can (SSE2, which every x86-64 has), one at
//! a time elsewhere; only the first bytes of the other characters (« », dashes, other scripts)
//! are told one by one. A word is then a run of set bits, found by counting zeros.

/// The words of `text`: runs of letters and digits (a hyphen splits: сауда-экономикалық).
pub fn words(text: &str) -> Words<'_> {
    let mut w = Words {
        text,
        base: 0,
        mask: 0,
        carry: 0,
        wide: wide(),
    };
    if !text.is_empty() {
        w.mask = w.chunk();
    }
    w
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    /// Where the chunk of 64 bytes `mask` is of begins.
    base: usize,
    /// Per byte of the chunk not yet passed: whether it is in a word.
    mask: u64,
    /// Bytes of the next chunk after the first of a character that is not a letter or digit.
    carry: u64,
    /// Whether the processor has AVX2: chunks are read 32 bytes at a time.
    wide: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    // Inlined into the loops over every word of an article (a call saves and restores the
    // registers they keep).
    #[inline(always)]
    fn next(&mut self) -> Option<&'a str> {
        let (start, end) = self.next_span()?;
        Some(&self.text[start..end])
    }
}

impl Words<'_> {
    /// The next word's first byte and the byte after its last: what [`Iterator::next`] slices,
    /// for the index's loop over every word, which reads a word's bytes and needs no `&str`
    /// (whose slicing checks both ends for a character's first byte) but for a word not met
    /// before.
    #[inline(always)]
    pub fn next_span(&mut self) -> Option<(usize, usize)> {
        while self.mask == 0 {
            if !self.advance() {
                return None;
            }
        }
        let first = self.mask.trailing_zeros();
        let start = self.base + first as usize;
        // The run of set bits from `first`: it ends in this chunk if a bit after it is clear.
        let after = !self.mask >> first;
        let end = if after != 0 {
            let e = first + after.trailing_zeros();
            self.mask &= u64::MAX << e;
            self.base + e as usize
        } else {
            loop {
                if !self.advance() {
                    break self.text.len();
                }
                if self.mask != u64::MAX {
                    let e = (!self.mask).trailing_zeros();
                    self.mask &= u64::MAX << e;
                    break self.base + e as usize;
                }
            }
        };
        Some((start, end))
    }

    /// Moves to the next chunk; false at the end of the text.
    #[inline(always)]
    fn advance(&mut self) -> bool {
        self.base += 64;
        if self.base >= self.text.len() {
            self.mask = 0;
            return false;
        }
        self.mask = self.chunk();
        true
    }

    /// The chunk at `base`: its [plain](PLAIN) bytes, with each other character's first byte
    /// told by [`char_at`] (and its other bytes, plain, cleared with it if it is no letter).
    #[inline(always)]
    fn chunk(&mut self) -> u64 {
        let (mut mask, mut told) = chunk(self.text.as_bytes(), self.base, self.wide);
        mask &= !std::mem::take(&mut self.carry);
        while told != 0 {
            let at = told.trailing_zeros();
            told &= told - 1;
            let (word, len) = char_at(self.text, self.base + at as usize);
            if word {
                mask |= 1 << at;
            } else {
                // Its bytes after the first; those past the chunk, in the next.
                let end = at + len as u32;
                let bits = if end >= 64 {
                    u64::MAX << at
                } else {
                    (1 << end) - (1 << at)
                };
                mask &= !bits;
                if end > 64 {
                    self.carry = (1 << (end - 64)) - 1;
                }
            }
        }
        mask
    }
}

/// Of the 64 bytes of `bytes` from `base` (those past its end taken as zeros): which are
/// [plain](PLAIN), and which begin a character that must be told by [`char_at`] (any byte from
/// 0xC0 not plain), as bits; with AVX2 when `wide` ([`wide`] says the processor has it).
#[inline(always)]
fn chunk(bytes: &[u8], base: usize, wide: bool) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        if wide {
            // SAFETY: `wide` comes from `wide()`: the processor has AVX2.
            unsafe { avx2::chunk(bytes, base) }
        } else {
            sse2::chunk(bytes, base)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = wide;
        chunk_by_bytes(bytes, base)
    }
}

/// Whether [`chunk`] may use AVX2 (the processor says so; std asks it once).
fn wide() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// [`chunk`] a byte at a time, by [`PLAIN`].
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn chunk_by_bytes(bytes: &[u8], base: usize) -> (u64, u64) {
    let (mut plain, mut told) = (0, 0);
    for k in 0..64 {
        let Some(&b) = bytes.get(base + k) else { break };
        let is_plain = match b {
            // Row D2 of the Cyrillic block: letters but for U+0482–U+0489.
            0xD2 => !bytes.get(base + k + 1).is_some_and(|n| (0x82..=0x89).contains(n)),
            _ => PLAIN[usize::from(b)],
        };
        if is_plain {
            plain |= 1 << k;
        } else if b >= 0xC0 {
            told |= 1 << k;
        }
    }
    (plain, told)
}

/// Per byte: whether it is inside a word for certain, wherever it is found within one: an ASCII
/// letter or digit, a byte after the first of a character, or the first of a letter of the
/// Cyrillic block's rows D0, D1 and D3 (row D2, letters but for U+0482–U+0489, is plain when the
/// byte after it says it is a letter). Any other byte from 0xC0 begins a character [`char_at`]
/// tells; the rest of ASCII is no letter.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let u = b as u8;
        t[b] = u.is_ascii_alphanumeric() || (u >= 0x80 && u < 0xC0) || u == 0xD0 || u == 0xD1 || u == 0xD3;
        b += 1;
    }
    t
};

/// The bytes of `bytes` from `at` in `N`, zeros past its end: what the SIMD readers of a text
/// (here, where a zero is neither plain nor told, and `render::parts`' tag stripper) read at
/// its end.
#[cfg(target_arch = "x86_64")]
pub(crate) fn padded<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let rest = &bytes[at.min(bytes.len())..];
    let mut padded = [0u8; N];
    padded[..rest.len()].copy_from_slice(rest);
    padded
}

/// The words' bytes sixteen at a time, with the instructions every x86-64 has.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    /// Whether each byte of `v` is in `lo..lo + n` (`n` at most 128), as 0xFF or 0.
    #[inline(always)]
    fn in_range(v: __m128i, lo: u8, n: u8) -> __m128i {
        // Moved so that the range begins at -128, where a signed comparison has it.
        // SAFETY: SSE2 is part of x86-64.
        unsafe {
            let moved = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
            _mm_cmplt_epi8(moved, _mm_set1_epi8(0x80u8.wrapping_add(n) as i8))
        }
    }

    /// Which of the sixteen bytes `v` are [plain](super::PLAIN), and which are to be told (from
    /// 0xC0, not plain), as the low bits of two masks; `next` has the byte after each (for row
    /// D2).
    #[inline(always)]
    fn sixteen(v: __m128i, next: __m128i) -> (u64, u64) {
        // SAFETY: SSE2 is part of x86-64.
        unsafe {
            let letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
            let digit = in_range(v, b'0', 10);
            let inside = in_range(v, 0x80, 0x40);
            let d0_d1 = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)), _mm_set1_epi8(0xD1u8 as i8));
            let d3 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xD3u8 as i8));
            let d2 = _mm_andnot_si128(in_range(next, 0x82, 8), _mm_cmpeq_epi8(v, _mm_set1_epi8(0xD2u8 as i8)));
            let all = _mm_or_si128(
                _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(inside, d0_d1)),
                _mm_or_si128(d3, d2),
            );
            let plain = _mm_movemask_epi8(all) as u32;
            // From 0x80, less the bytes after a character's first (plain): from 0xC0.
            let high = _mm_movemask_epi8(v) as u32;
            (u64::from(plain), u64::from(high & !plain))
        }
    }

    /// Sixteen bytes from `bytes[at..]`, which has at least 16.
    #[inline(always)]
    fn load(bytes: &[u8], at: usize) -> __m128i {
        let chunk = &bytes[at..at + 16];
        // SAFETY: `chunk` has 16 bytes; the load has no alignment to keep.
        unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
    }

    /// [`super::chunk`]: sixteen bytes at a time, from a copy padded with zeros (not plain, not
    /// told) at the end of the text.
    #[inline(always)]
    pub(super) fn chunk(bytes: &[u8], base: usize) -> (u64, u64) {
        let of = |bytes: &[u8], at: usize| {
            let (mut plain, mut told) = (0, 0);
            for k in 0..4 {
                let (p, t) = sixteen(load(bytes, at + 16 * k), load(bytes, at + 16 * k + 1));
                plain |= p << (16 * k);
                told |= t << (16 * k);
            }
            (plain, told)
        };
        if base + 65 <= bytes.len() {
            of(bytes, base)
        } else {
            of(&super::padded::<96>(bytes, base), 0)
        }
    }
}

/// The words' bytes 32 at a time, where the processor has AVX2: each byte's class looked up
/// by its two halves (a table of sixteen for each, the classes a byte is in being those both
/// give), in place of a comparison per range.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_and_si256, _mm256_andnot_si256, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8,
        _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8, _mm256_setr_epi8, _mm256_setzero_si256,
        _mm256_shuffle_epi8, _mm256_srli_epi16,
    };

    /// Per high half of a byte, the classes of [plain](super::PLAIN) bytes it may be in: digits
    /// (1), A–O and a–o (2), P–Z and p–z (4), bytes after a character's first (8), the Cyrillic
    /// block's rows D0, D1 and D3 (16).
    const HIGH: [i8; 16] = [0, 0, 0, 1, 2, 4, 2, 4, 8, 8, 8, 8, 0, 16, 0, 0];

    /// Per low half of a byte, the classes it may be in.
    const LOW: [i8; 16] = {
        let mut t = [0i8; 16];
        let mut l = 0;
        while l < 16 {
            let mut c = 8;
            if l <= 9 {
                c |= 1;
            }
            if l >= 1 {
                c |= 2;
            }
            if l <= 0xA {
                c |= 4;
            }
            if l == 0 || l == 1 || l == 3 {
                c |= 16;
            }
            t[l] = c;
            l += 1;
        }
        t
    };

    /// A table of sixteen in both lanes (a shuffle looks up within its lane).
    #[target_feature(enable = "avx2")]
    fn table(t: [i8; 16]) -> __m256i {
        _mm256_setr_epi8(
            t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15], t[0],
            t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15],
        )
    }

    /// 32 bytes from `bytes[at..]`, which has at least 32.
    #[target_feature(enable = "avx2")]
    fn load(bytes: &[u8], at: usize) -> __m256i {
        let chunk = &bytes[at..at + 32];
        // SAFETY: `chunk` has 32 bytes; the load has no alignment to keep.
        unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) }
    }

    /// Which of the 32 bytes `v` are plain, and which are to be told, as two masks; `next`
    /// has the byte after each (for row D2).
    #[target_feature(enable = "avx2")]
    fn thirty_two(v: __m256i, next: __m256i) -> (u64, u64) {
        let nibble = _mm256_set1_epi8(0x0F);
        let high = _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble);
        let low = _mm256_and_si256(v, nibble);
        let class = _mm256_and_si256(
            _mm256_shuffle_epi8(table(HIGH), high),
            _mm256_shuffle_epi8(table(LOW), low),
        );
        let not_plain = _mm256_cmpeq_epi8(class, _mm256_setzero_si256());
        // Row D2: a letter unless the byte after it is 0x82–0x89 (moved to -128..-120).
        let moved = _mm256_add_epi8(next, _mm256_set1_epi8(0x80u8.wrapping_sub(0x82) as i8));
        let sign = _mm256_cmpgt_epi8(_mm256_set1_epi8((0x80u8 + 8) as i8), moved);
        let d2 = _mm256_andnot_si256(sign, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0xD2u8 as i8)));
        let plain = !(_mm256_movemask_epi8(not_plain) as u32) | _mm256_movemask_epi8(d2) as u32;
        let high = _mm256_movemask_epi8(v) as u32;
        (u64::from(plain), u64::from(high & !plain))
    }

    /// [`super::chunk`]: 32 bytes at a time, from a copy padded with zeros at the end of the
    /// text.
    #[target_feature(enable = "avx2")]
    pub(super) fn chunk(bytes: &[u8], base: usize) -> (u64, u64) {
        let of = |bytes: &[u8], at: usize| {
            let (p0, t0) = thirty_two(load(bytes, at), load(bytes, at + 1));
            let (p1, t1) = thirty_two(load(bytes, at + 32), load(bytes, at + 33));
            (p0 | p1 << 32, t0 | t1 << 32)
        };
        if base + 65 <= bytes.len() {
            of(bytes, base)
        } else {
            of(&super::padded::<96>(bytes, base), 0)
        }
    }
}

/// [`STEP`] of a byte that begins a character found only by decoding it.
const OTHER: u8 = 0xFF;

/// Per first byte of a character: the character's length if it is a letter or digit (ASCII
/// and most of the Cyrillic block), 0 if it is not (the rest of ASCII), [`OTHER`] if the
/// character must be decoded to tell (the Cyrillic block's D2 row has signs; other scripts).
static STEP: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 0x80 {
        t[b] = if (b as u8).is_ascii_alphanumeric() { 1 } else { 0 };
        b += 1;
    }
    t[0xD0] = 2;
    t[0xD1] = 2;
    t[0xD3] = 2;
    t
};

/// Whether the character at byte `i` of `text` (a character boundary) is a letter or digit,
/// and its length in bytes: by [`STEP`], or for the characters it leaves, by their bytes where
/// that tells, else decoded.
#[inline(always)]
fn char_at(text: &str, i: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    let b = bytes[i];
    match STEP[b as usize] {
        0 => return (false, 1),
        OTHER => {}
        step => return (true, step as usize),
    }
    match b {
        // The Cyrillic block's row D2 (U+0480–U+04BF): letters but for U+0482–U+0489. Valid
        // UTF-8 has the second byte.
        0xD2 => return (!(0x82..=0x89).contains(&bytes[i + 1]), 2),
        // U+0080–U+00BF: signs and punctuation (« » and the no-break space are frequent) but
        // for ª ² ³ µ ¹ º ¼ ½ ¾.
        0xC2 => {
            return (
                matches!(bytes[i + 1], 0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC..=0xBE),
                2,
            )
        }
        // U+2000–U+203F, general punctuation (dashes, quotes, …): no letter or digit.
        0xE2 if bytes[i + 1] == 0x80 => return (false, 3),
        _ => {}
    }
    let c = text[i..].chars().next().unwrap_or(' ');
    (is_word_char(c), c.len_utf8())
}

/// A letter or digit; the scripts of the site's languages without Unicode's slow tables.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        // The Cyrillic block is letters but for its signs and combining marks (U+0482–0489).
        matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}') || c.is_alphanumeric()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cut_at_anything_but_letters_and_digits() {
        let w: Vec<&str> = words("Сауда-экономикалық, «Болашақ» 2025 жыл.").collect();
        assert_eq!(w, ["Сауда", "экономикалық", "Болашақ", "2025", "жыл"]);
    }

    #[test]
    fn a_character_is_told_by_its_bytes_as_by_unicode() {
        for c in (0x20..0x3000).filter_map(char::from_u32) {
            let text = format!("{c}x");
            assert_eq!(char_at(&text, 0), (c.is_alphanumeric(), c.len_utf8()), "{c:?}");
        }
    }

    /// The words of `t` cut character by character: what [`words`] must give.
    fn by_chars(t: &str) -> Vec<&str> {
        t.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).collect()
    }

    #[test]
    fn words_by_bytes_are_the_words_by_characters() {
        for text in [
            "",
            "   ",
            "Сауда-экономикалық, «Болашақ» 2025 жыл.",
            "Ёлка — ёж; Қонаев, Шаңхаймен! ӘҒҚҢӨҰҮҺІ әғқңөұүһі",
            "тысяча\u{0482}знак҃ҋ ҉x",
            "naïve café 上海 Ελλάδα ١٢٣ x\u{00a0}y\u{2009}z",
            "a1-b2_c3 😀 emoji😀inside",
        ] {
            assert_eq!(words(text).collect::<Vec<_>>(), by_chars(text), "{text}");
        }
    }

    /// The characters the random texts are made of: letters and digits of every kind the
    /// scanner tells apart (ASCII, each row of the Cyrillic block, other scripts) and what ends
    /// a word (ASCII signs, the Cyrillic block's signs, « », the no-break space, dashes, a zero
    /// byte, an emoji).
    const ALPHABET: &[char] = &[
        'a', 'Z', '0', '9', ' ', ',', '-', '\n', '\0', '@', '[', '`', '{', 'а', 'я', 'Ё', 'ё', 'ѐ', 'Ѡ', 'ѿ', 'қ', 'ң',
        'ғ', 'ү', 'ұ', 'һ', 'Ҋ', '\u{0480}', '\u{0481}', '\u{0482}', '\u{0483}', '\u{0489}', 'ә', 'ө', 'і', 'Ӏ', 'ӿ',
        '«', '»', '\u{a0}', 'ª', '²', '—', '–', '№', 'é', 'ß', '上', 'Ω', '١', '😀',
    ];

    fn random_text(rng: &mut fastrand::Rng) -> String {
        let len = rng.usize(0..200);
        (0..len)
            .map(|_| {
                // Mostly Cyrillic letters, in runs like words, as articles have them.
                if rng.u8(0..3) == 0 {
                    ALPHABET[rng.usize(..ALPHABET.len())]
                } else {
                    ALPHABET[rng.usize(13..38)]
                }
            })
            .collect()
    }

    #[test]
    fn random_texts_are_cut_as_by_characters() {
        let mut rng = fastrand::Rng::with_seed(14);
        let (mut long, mut across) = (0, 0);
        for _ in 0..20_000 {
            let text = random_text(&mut rng);
            let cut: Vec<&str> = words(&text).collect();
            assert_eq!(cut, by_chars(&text), "{text:?}");
            long += cut.iter().filter(|w| w.len() > 16).count();
            across += cut
                .iter()
                .filter(|w| {
                    let start = w.as_ptr() as usize - text.as_ptr() as usize;
                    start / 64 != (start + w.len() - 1) / 64
                })
                .count();
        }
        // Some words were longer than the sixteen bytes read at a time, some ran from one
        // chunk of 64 into the next.
        assert!(long > 1000, "{long}");
        assert!(across > 1000, "{across}");
    }

    #[test]
    fn a_chunk_is_masked_as_byte_by_byte() {
        let mut rng = fastrand::Rng::with_seed(4);
        for _ in 0..5_000 {
            let text = random_text(&mut rng);
            for base in (0..text.len()).step_by(64) {
                for wide in [false, wide()] {
                    assert_eq!(
                        chunk(text.as_bytes(), base, wide),
                        chunk_by_bytes(text.as_bytes(), base),
                        "{text:?} from {base}, AVX2 {wide}"
                    );
                }
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_byte_before_every_byte_is_masked_as_the_table_says() {
        for b in 0..=255u8 {
            for next in 0..=255u8 {
                // The pair at the start, across two sixteens and across two chunks, and last.
                for at in [0, 15, 63, 126] {
                    let mut bytes = [b'x'; 128];
                    bytes[at] = b;
                    bytes[at + 1] = next;
                    for base in [0, 64] {
                        let expected = chunk_by_bytes(&bytes, base);
                        assert_eq!(
                            sse2::chunk(&bytes, base),
                            expected,
                            "{b:#x} {next:#x} at {at}, chunk {base}"
                        );
                        if wide() {
                            // SAFETY: the processor has AVX2.
                            let got = unsafe { avx2::chunk(&bytes, base) };
                            assert_eq!(got, expected, "AVX2: {b:#x} {next:#x} at {at}, chunk {base}");
                        }
                    }
                }
            }
        }
    }
}
