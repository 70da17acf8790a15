//! The words of a text, as the index reads them: runs of letters and digits. Every word of
//! every article passes here, so they are found by their bytes, sixty-four at a time: a mask of
//! the bytes inside a word for certain (ASCII letters and digits, most of the Cyrillic block)
//! made sixteen bytes at a time where the processor can (SSE2, which every x86-64 has), one at
//! a time elsewhere; only the first bytes of the other characters (« », dashes, other scripts)
//! are told one by one. A word is then a run of set bits, found by counting zeros.

use crate::simd::{word_bytes, Level, Levels};

/// The words of `text`: runs of letters and digits (a hyphen splits: сауда-экономикалық).
pub fn words(text: &str) -> Words<'_> {
    let mut w = Words {
        text,
        base: 0,
        mask: 0,
        carry: 0,
        level: Levels::get().word_bytes,
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
    /// The instructions [`word_bytes::classify`] reads chunks with.
    level: Level,
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

    /// The chunk at `base`: its [plain](word_bytes::PLAIN) bytes, with each other character's first byte
    /// told by [`char_at`] (and its other bytes, plain, cleared with it if it is no letter).
    #[inline(always)]
    fn chunk(&mut self) -> u64 {
        let (mut mask, mut told) = word_bytes::classify(self.level, self.text.as_bytes(), self.base);
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
}
