//! The words of a text, as the index reads them: runs of letters and digits. Every word of
//! every article passes here, so they are found by their bytes: a run of the bytes that are
//! inside a word for certain (ASCII letters and digits, most of the Cyrillic block) sixteen at a
//! time where the processor can (SSE2, which every x86-64 has), one at a time elsewhere; only
//! the bytes that end such a run are looked at one by one.

/// The words of `text`: runs of letters and digits (a hyphen splits: сауда-экономикалық).
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = word_start(self.text, self.at)?;
        let end = word_end(self.text, start);
        self.at = end;
        Some(&self.text[start..end])
    }
}

/// The first character boundary from `at` on where a word begins, if any.
#[inline(always)]
fn word_start(text: &str, mut at: usize) -> Option<usize> {
    loop {
        if at >= text.len() {
            return None;
        }
        let (word, len) = char_at(text, at);
        if word {
            return Some(at);
        }
        at += len;
    }
}

/// Where the word that has a character beginning at `i` ends.
#[inline(always)]
fn word_end(text: &str, mut i: usize) -> usize {
    loop {
        i = plain_run(text.as_bytes(), i);
        if i >= text.len() {
            return text.len();
        }
        // A byte that begins a character (a byte inside one is plain): tell it.
        let (word, len) = char_at(text, i);
        if !word {
            return i;
        }
        i += len;
    }
}

/// The first byte from `i` on that is not [plain](PLAIN), or the text's length.
#[inline(always)]
fn plain_run(bytes: &[u8], i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::plain_run(bytes, i)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        plain_run_by_bytes(bytes, i)
    }
}

/// [`plain_run`] a byte at a time, by [`PLAIN`].
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn plain_run_by_bytes(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        let plain = match b {
            // Row D2 of the Cyrillic block: letters but for U+0482–U+0489.
            0xD2 => !bytes.get(i + 1).is_some_and(|n| (0x82..=0x89).contains(n)),
            _ => PLAIN[usize::from(b)],
        };
        if !plain {
            break;
        }
        i += 1;
    }
    i
}

/// Per byte: whether it is inside a word for certain, wherever it is found within one: an ASCII
/// letter or digit, a byte after the first of a character, or the first of a letter of the
/// Cyrillic block's rows D0, D1 and D3 (row D2, letters but for U+0482–U+0489, is plain when the
/// byte after it says it is a letter). Any other byte begins a character [`char_at`] tells.
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

    /// Which of the sixteen bytes `v` are [plain](super::PLAIN), as the low bits of a mask;
    /// `next` has the byte after each (for row D2).
    #[inline(always)]
    fn plain(v: __m128i, next: __m128i) -> u32 {
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
            _mm_movemask_epi8(all) as u32
        }
    }

    /// Sixteen bytes from `bytes[at..]`, which has at least 16.
    #[inline(always)]
    fn load(bytes: &[u8], at: usize) -> __m128i {
        let chunk = &bytes[at..at + 16];
        // SAFETY: `chunk` has 16 bytes; the load has no alignment to keep.
        unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
    }

    /// [`super::plain_run`]: sixteen bytes at a time, the last few from a copy padded with
    /// zeros (not plain).
    #[inline(always)]
    pub(super) fn plain_run(bytes: &[u8], mut i: usize) -> usize {
        while i + 17 <= bytes.len() {
            let stops = !plain(load(bytes, i), load(bytes, i + 1)) & 0xFFFF;
            if stops != 0 {
                return i + stops.trailing_zeros() as usize;
            }
            i += 16;
        }
        let rest = &bytes[i.min(bytes.len())..];
        let mut padded = [0u8; 32];
        padded[..rest.len()].copy_from_slice(rest);
        let stops = !plain(load(&padded, 0), load(&padded, 1)) & 0xFFFF;
        (i + stops.trailing_zeros() as usize).min(bytes.len())
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
        let len = rng.usize(0..90);
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
        let mut long = 0;
        for _ in 0..20_000 {
            let text = random_text(&mut rng);
            let cut: Vec<&str> = words(&text).collect();
            assert_eq!(cut, by_chars(&text), "{text:?}");
            long += cut.iter().filter(|w| w.len() > 16).count();
        }
        // Some words were longer than the sixteen bytes read at a time.
        assert!(long > 1000, "{long}");
    }

    #[test]
    fn a_run_of_plain_bytes_ends_where_byte_by_byte_it_does() {
        let mut rng = fastrand::Rng::with_seed(4);
        for _ in 0..5_000 {
            let text = random_text(&mut rng);
            for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(
                    plain_run(text.as_bytes(), i),
                    plain_run_by_bytes(text.as_bytes(), i),
                    "{text:?} from {i}"
                );
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_byte_before_every_byte_is_plain_as_the_table_says() {
        for b in 0..=255u8 {
            for next in 0..=255u8 {
                let mut bytes = [b'x'; 34];
                bytes[0] = b;
                bytes[1] = next;
                // Sixteen bytes at a time: the pair at the start, and at the end of a run.
                let at_start = sse2::plain_run(&bytes, 0) > 0;
                let pair_at_end = {
                    let mut run = [b'x'; 34];
                    run[15] = b;
                    run[16] = next;
                    sse2::plain_run(&run, 0) > 15
                };
                let expected = plain_run_by_bytes(&bytes, 0) > 0;
                assert_eq!((at_start, pair_at_end), (expected, expected), "{b:#x} {next:#x}");
            }
        }
    }
}
