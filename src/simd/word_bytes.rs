//! Which bytes of a text are inside a word for certain, 64 at a time: the kernel under
//! `search::words`, which every word of every article passes through. SSE2, sixteen bytes at
//! a time: 4.8 % of a 10,000-article build's wall time against the scalar reference (11 of
//! 12 pairs); an AVX2 version saved nothing over it (4 of 12 pairs) and went.

use super::Level;
#[cfg(target_arch = "x86_64")]
use super::{padded, Set};

/// Of the 64 bytes of `bytes` from `base` (those past its end taken as zeros): which are
/// [plain](PLAIN), and which begin a character the caller must tell by decoding it (any byte
/// from 0xC0 not plain), as bits, low bit first.
#[inline(always)]
pub fn classify(level: Level, bytes: &[u8], base: usize) -> (u64, u64) {
    match level.0 {
        // AVX2 measured no faster here than SSE2 (bench/README.md, "SIMD kernels").
        #[cfg(target_arch = "x86_64")]
        Set::Sse2 | Set::Avx2 => sse2::chunk(bytes, base),
        Set::Scalar => scalar(bytes, base),
    }
}

/// [`classify`] a byte at a time, by [`PLAIN`]: the reference, and what other processors run.
pub fn scalar(bytes: &[u8], base: usize) -> (u64, u64) {
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
/// byte after it says it is a letter). Any other byte from 0xC0 begins a character the
/// caller tells; the rest of ASCII is no letter.
pub static PLAIN: [bool; 256] = {
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
    use super::padded;
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

    /// [`super::classify`]: sixteen bytes at a time, from a copy padded with zeros (not plain, not
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
            of(&padded::<96>(bytes, base), 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every level this processor has against the reference, at `base` of `bytes`.
    fn agree(bytes: &[u8], base: usize, what: &dyn Fn() -> String) {
        let expected = scalar(bytes, base);
        for level in Level::available() {
            assert_eq!(classify(level, bytes, base), expected, "{}: {}", level.name(), what());
        }
    }

    #[test]
    fn every_byte_before_every_byte_is_classified_as_the_table_says() {
        for b in 0..=255u8 {
            for next in 0..=255u8 {
                // The pair at the start, across two sixteens and across two chunks, and last.
                for at in [0, 15, 31, 63, 126] {
                    let mut bytes = [b'x'; 128];
                    bytes[at] = b;
                    bytes[at + 1] = next;
                    for base in [0, 64, 100] {
                        agree(&bytes, base, &|| format!("{b:#x} {next:#x} at {at}, chunk {base}"));
                    }
                }
            }
        }
    }

    #[test]
    fn random_bytes_are_classified_as_byte_by_byte() {
        let mut rng = fastrand::Rng::with_seed(7);
        let alphabet: Vec<u8> = "aZ09 -«»ёҚңҒ\u{0483}\u{2014}上😀\t".bytes().collect();
        for _ in 0..20_000 {
            let len = rng.usize(0..200);
            // Bytes of text and bytes of anything, so that both valid and broken UTF-8 pass.
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.bool() {
                        alphabet[rng.usize(..alphabet.len())]
                    } else {
                        rng.u8(..)
                    }
                })
                .collect();
            for base in (0..len.max(1)).step_by(rng.usize(1..70)) {
                agree(&bytes, base, &|| format!("{bytes:?} from {base}"));
            }
        }
    }

    #[test]
    fn the_table_holds_ascii_letters_digits_and_continuation_bytes() {
        assert!(PLAIN[usize::from(b'q')] && PLAIN[usize::from(b'7')] && PLAIN[0x80] && PLAIN[0xD0]);
        assert!(!PLAIN[usize::from(b'-')] && !PLAIN[0xD2] && !PLAIN[0xE2] && !PLAIN[0]);
        assert_eq!(scalar("ж-".as_bytes(), 0), (0b011, 0));
    }
}
