//! Every SIMD kernel of twinpress, and with them every `unsafe` block but `main`'s one call to
//! `mallopt`. A kernel answers one question about 64 bytes of a text at once, as bits; the code
//! that asks (`search::words`, `markdown::plain_text`) is safe code that never sees an intrinsic.
//! Two kernels are left, each at the one level that measured to pay: [`word_bytes`] in SSE2
//! (every x86-64 has it) and [`markup`] in AVX2 (a processor without it runs the reference).
//!
//! Each kernel has:
//! - a scalar reference, a byte at a time, which is also what runs where the kernel cannot;
//! - tests beside it comparing every level with the reference on every byte value at every
//!   place in a chunk and on random bytes, and a fuzz target (`fuzz/`) doing the same on what
//!   libFuzzer makes.
//!
//! A kernel stays here only while an alternating benchmark of whole builds shows it saves at
//! least 2 % of the 10,000-article build's wall or processor time (`bench/pairs.sh`, with
//! `TWINPRESS_SIMD` below to run the same binary without it); the figures are in
//! `bench/README.md`.
//!
//! Which level runs is decided once per process by [`Levels::get`]: the best the processor has
//! (std asks the processor once and keeps the answer), lowered per kernel by the environment
//! variable `TWINPRESS_SIMD` — `words=scalar,markup=scalar`, for benchmarks and for tests of
//! the plain paths; names it does not know are ignored.

pub mod markup;
pub mod word_bytes;

use std::sync::OnceLock;

/// A set of instructions a kernel may use. Made only by asking the processor, so that a kernel
/// given `Avx2` may rely on it: a `Level` is the proof its instructions exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Level(Set);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Set {
    Scalar,
    #[cfg(target_arch = "x86_64")]
    Sse2,
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Level {
    /// A byte at a time: every processor.
    pub const SCALAR: Level = Level(Set::Scalar);

    /// Every level this processor has, lowest first.
    pub fn available() -> Vec<Level> {
        let mut all = vec![Level::SCALAR];
        #[cfg(target_arch = "x86_64")]
        {
            all.push(Level(Set::Sse2));
            if std::arch::is_x86_feature_detected!("avx2") {
                all.push(Level(Set::Avx2));
            }
        }
        all
    }

    /// The highest level this processor has.
    pub fn best() -> Level {
        Level::available().pop().unwrap_or(Level::SCALAR)
    }

    /// Its name, as `TWINPRESS_SIMD` spells it.
    pub fn name(self) -> &'static str {
        match self.0 {
            Set::Scalar => "scalar",
            #[cfg(target_arch = "x86_64")]
            Set::Sse2 => "sse2",
            #[cfg(target_arch = "x86_64")]
            Set::Avx2 => "avx2",
        }
    }
}

/// The level each kernel runs at in this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Levels {
    pub word_bytes: Level,
    pub markup: Level,
}

impl Levels {
    /// This process's levels: the processor's best, lowered by `TWINPRESS_SIMD`; worked out on
    /// the first call.
    pub fn get() -> Levels {
        static LEVELS: OnceLock<Levels> = OnceLock::new();
        *LEVELS.get_or_init(|| Levels::from_spec(std::env::var("TWINPRESS_SIMD").ok().as_deref(), Level::best()))
    }

    /// The levels `spec` (`kernel=level,…`) leaves of `best`: a kernel may be lowered, never
    /// raised above what the processor has.
    fn from_spec(spec: Option<&str>, best: Level) -> Levels {
        let mut levels = Levels {
            word_bytes: best,
            markup: best,
        };
        for part in spec.unwrap_or_default().split(',') {
            let Some((kernel, level)) = part.split_once('=') else {
                continue;
            };
            let Some(level) = Level::available().into_iter().find(|l| l.name() == level.trim()) else {
                continue;
            };
            let slot = match kernel.trim() {
                "words" | "word_bytes" => &mut levels.word_bytes,
                "markup" => &mut levels.markup,
                _ => continue,
            };
            *slot = level.min(best);
        }
        levels
    }
}

/// The bytes of `bytes` from `at` in `N`, zeros past its end: what a kernel reads at the end of
/// a text, where fewer than its width are left.
pub(crate) fn padded<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let rest = &bytes[at.min(bytes.len())..];
    let rest = &rest[..rest.len().min(N)];
    let mut padded = [0u8; N];
    padded[..rest.len()].copy_from_slice(rest);
    padded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_lowers_a_kernel_and_never_raises_one() {
        let best = Level::best();
        let levels = Levels::from_spec(Some("words=scalar, nonsense=sse2,markup"), best);
        assert_eq!(levels.word_bytes, Level::SCALAR);
        assert_eq!(levels.markup, best);
        assert_eq!(Levels::from_spec(None, Level::SCALAR).markup, Level::SCALAR);
        // A level the processor lacks is not granted.
        let capped = Levels::from_spec(Some("markup=avx2"), Level::SCALAR);
        assert_eq!(capped.markup, Level::SCALAR);
    }

    #[test]
    fn padding_copies_what_is_left_and_zeros_the_rest() {
        assert_eq!(padded::<4>(b"abcdef", 4), *b"ef\0\0");
        assert_eq!(padded::<4>(b"abcdef", 9), [0; 4]);
        assert_eq!(padded::<2>(b"abcdef", 1), *b"bc");
    }
}
