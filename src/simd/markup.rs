//! Which bytes of an HTML text may end a run of plain text, 64 at a time: the kernel under
//! `markdown::plain_text::strip_tags`, which reads every article's HTML for descriptions, feeds
//! and the search index. AVX2, 32 bytes at a time: 9.8 % of a 10,000-article build's wall time
//! against the scalar reference (20 of 20 pairs); an SSE2 version saved 0.8 % (8 of 12 pairs)
//! and went, so a processor without AVX2 runs the reference.

use super::Level;
#[cfg(target_arch = "x86_64")]
use super::{padded, Set};

/// Of the 64 bytes of `bytes` from `at`: which are below 0x20, `<`, `&`, C2 or E1–E3
/// (`special`), and which are spaces, as bits, low bit first; past the end of `bytes`, zeros
/// (special).
#[inline(always)]
pub fn classify(level: Level, bytes: &[u8], at: usize) -> (u64, u64) {
    match level.0 {
        #[cfg(target_arch = "x86_64")]
        Set::Avx2 => {
            // SAFETY: a `Level` of AVX2 is made only where the processor has it.
            let ([s0, s1], [p0, p1]) = unsafe { avx2::special(bytes, at) };
            (u64::from(s0) | u64::from(s1) << 32, u64::from(p0) | u64::from(p1) << 32)
        }
        // SSE2 saved under 2 % over the scalar reference (bench/README.md, "SIMD kernels").
        _ => scalar(bytes, at),
    }
}

/// Of the 64 bytes from `at`: which are below 0x20, `<`, `&`, C2 or E1–E3 (`special`), and
/// which are spaces, as bits; past the end of `bytes`, zeros (special).
/// The reference, and what other processors run.
pub fn scalar(bytes: &[u8], at: usize) -> (u64, u64) {
    let (mut special, mut spaces) = (0, 0);
    for k in 0..64 {
        let b = bytes.get(at + k).copied().unwrap_or(0);
        if b < 0x20 || matches!(b, b'<' | b'&' | 0xC2 | 0xE1..=0xE3) {
            special |= 1 << k;
        } else if b == b' ' {
            spaces |= 1 << k;
        }
    }
    (special, spaces)
}

/// The text's bytes 32 at a time, where the processor has AVX2.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::padded;
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_max_epu8,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };

    /// [`super::scalar`], from a copy padded with zeros at the end of the text, as
    /// halves of 32 bits: joined here, the two masks were taken apart bit by bit (LLVM makes
    /// one mask of 64 comparisons, which AVX2 has no register for).
    #[target_feature(enable = "avx2")]
    pub(super) fn special(bytes: &[u8], at: usize) -> ([u32; 2], [u32; 2]) {
        if at + 64 <= bytes.len() {
            of(&bytes[at..at + 64])
        } else {
            of(&padded::<64>(bytes, at))
        }
    }

    #[target_feature(enable = "avx2")]
    fn of(chunk: &[u8]) -> ([u32; 2], [u32; 2]) {
        let (s0, p0) = thirty_two(&chunk[..32]);
        let (s1, p1) = thirty_two(&chunk[32..64]);
        ([s0, s1], [p0, p1])
    }

    /// Of 32 bytes, which are special and which are spaces.
    #[target_feature(enable = "avx2")]
    fn thirty_two(part: &[u8]) -> (u32, u32) {
        let part = &part[..32];
        // SAFETY: `part` has 32 bytes, and the load has no alignment to keep.
        let v = unsafe { _mm256_loadu_si256(part.as_ptr().cast::<__m256i>()) };
        // Below 0x20: the bytes that a maximum with 0x1F leaves as 0x1F.
        let low = _mm256_set1_epi8(0x1F);
        let control = _mm256_cmpeq_epi8(_mm256_max_epu8(v, low), low);
        // E1–E3: moved to -128..-126, below -125 signed.
        let moved = _mm256_add_epi8(v, _mm256_set1_epi8(0x80u8.wrapping_sub(0xE1) as i8));
        let e1_e3 = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x83u8 as i8), moved);
        let s = _mm256_or_si256(
            _mm256_or_si256(control, e1_e3),
            _mm256_or_si256(
                _mm256_or_si256(
                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'<' as i8)),
                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'&' as i8)),
                ),
                _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0xC2u8 as i8)),
            ),
        );
        let spaces = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b' ' as i8));
        (_mm256_movemask_epi8(s) as u32, _mm256_movemask_epi8(spaces) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every level this processor has against the reference, at `at` of `bytes`.
    fn agree(bytes: &[u8], at: usize, what: &dyn Fn() -> String) {
        let expected = scalar(bytes, at);
        for level in Level::available() {
            assert_eq!(classify(level, bytes, at), expected, "{}: {}", level.name(), what());
        }
    }

    #[test]
    fn every_byte_at_every_place_is_classified_as_byte_by_byte() {
        for b in 0..=255u8 {
            for place in [0, 15, 16, 31, 32, 63, 64, 99] {
                let mut bytes = [b'x'; 100];
                bytes[place] = b;
                // From the start, and from a place whose 64 bytes run past the end.
                for at in [0, 1, 40, 70, 100] {
                    agree(&bytes, at, &|| format!("{b:#x} at {place} from {at}"));
                }
            }
        }
    }

    #[test]
    fn random_bytes_are_classified_as_byte_by_byte() {
        let mut rng = fastrand::Rng::with_seed(11);
        let alphabet: Vec<u8> = "<p>&amp; \t\n\u{a0}\u{2009}\u{3000}ә«»x".bytes().collect();
        for _ in 0..20_000 {
            let len = rng.usize(0..200);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.bool() {
                        alphabet[rng.usize(..alphabet.len())]
                    } else {
                        rng.u8(..)
                    }
                })
                .collect();
            for at in (0..len.max(1)).step_by(rng.usize(1..70)) {
                agree(&bytes, at, &|| format!("{bytes:?} from {at}"));
            }
        }
    }

    #[test]
    fn the_reference_marks_stops_and_spaces() {
        // "<a b" then zeros past the end: special, -, space, -, then all special.
        let (special, spaces) = scalar(b"<a b", 0);
        assert_eq!(special, !0b1110u64);
        assert_eq!(spaces, 0b0100);
    }
}
