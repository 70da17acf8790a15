//! The first byte of a text that JSON escapes: the kernel under the search index's JSON writer
//! (`search::index::json`), which writes every folded word, title and link of the index.

use super::Level;
#[cfg(target_arch = "x86_64")]
use super::Set;

/// The first byte from `from` on that JSON escapes (`"`, `\`, a control character), or the
/// length of `bytes`.
#[inline]
pub fn to_escape(level: Level, bytes: &[u8], from: usize) -> usize {
    match level.0 {
        // No AVX2 version: the strings are short (a word, a title).
        #[cfg(target_arch = "x86_64")]
        Set::Sse2 | Set::Avx2 => sse2::to_escape(bytes, from),
        Set::Scalar => scalar(bytes, from),
    }
}

/// A byte at a time: the reference, and what other processors run.
pub fn scalar(bytes: &[u8], from: usize) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map_or(bytes.len(), |k| from + k)
}

/// Sixteen bytes at a time, with the instructions every x86-64 has; the last few by [`scalar`].
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    #[inline(always)]
    pub(super) fn to_escape(bytes: &[u8], mut from: usize) -> usize {
        while let Some(sixteen) = bytes.get(from..from + 16) {
            // SAFETY: SSE2 is part of x86-64; `sixteen` has 16 bytes, and the load has no
            // alignment to keep.
            let found = unsafe {
                let v = _mm_loadu_si128(sixteen.as_ptr().cast());
                let byte = |b: u8| _mm_set1_epi8(b as i8);
                // Below 0x20: the bytes that a maximum with 0x1F leaves as 0x1F.
                let control = _mm_cmpeq_epi8(_mm_max_epu8(v, byte(0x1F)), byte(0x1F));
                let quote = _mm_or_si128(_mm_cmpeq_epi8(v, byte(b'"')), _mm_cmpeq_epi8(v, byte(b'\\')));
                _mm_movemask_epi8(_mm_or_si128(control, quote))
            };
            if found != 0 {
                return from + found.trailing_zeros() as usize;
            }
            from += 16;
        }
        super::scalar(bytes, from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agree(bytes: &[u8], from: usize) {
        let expected = scalar(bytes, from);
        for level in Level::available() {
            assert_eq!(
                to_escape(level, bytes, from),
                expected,
                "{}: {bytes:?} from {from}",
                level.name()
            );
        }
    }

    #[test]
    fn every_byte_at_every_place_is_found_as_byte_by_byte() {
        for b in 0..=255u8 {
            for place in [0, 1, 15, 16, 17, 31, 40] {
                let mut bytes = [b'x'; 41];
                bytes[place] = b;
                for from in [0, 1, 16, 30, 41] {
                    agree(&bytes, from);
                }
            }
        }
    }

    #[test]
    fn random_bytes_are_found_as_byte_by_byte() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..20_000 {
            let len = rng.usize(0..80);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.u8(..) < 8 {
                        b"\"\\\n\x01"[rng.usize(..4)]
                    } else {
                        rng.u8(0x20..)
                    }
                })
                .collect();
            agree(&bytes, rng.usize(0..=len));
        }
    }

    #[test]
    fn the_reference_finds_quotes_backslashes_and_controls() {
        assert_eq!(scalar(b"ab\"c", 0), 2);
        assert_eq!(scalar(b"a\\", 0), 1);
        assert_eq!(scalar(b"a\tb", 0), 1);
        assert_eq!(scalar("ә".as_bytes(), 0), 2);
        assert_eq!(scalar(b"abc", 5), 3);
    }
}
