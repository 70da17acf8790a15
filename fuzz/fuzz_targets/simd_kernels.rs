//! Every SIMD kernel of `twinpress::simd`, at every level this processor has, against its scalar
//! reference, from every place of what libFuzzer makes: the bytes as they come (broken UTF-8
//! included) and their ends, where the kernels read padded copies.
//!
//!     fuzz/run.sh 60          (with the other targets; or, alone, from fuzz/:)
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run simd_kernels -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;
use twinpress::simd::{markup, word_bytes, Level};

fuzz_target!(|bytes: &[u8]| {
    // Every place of the first 2 KB: longer inputs add nothing a kernel reads differently.
    let bytes = &bytes[..bytes.len().min(2048)];
    for at in 0..=bytes.len() {
        let words = word_bytes::scalar(bytes, at);
        let marks = markup::scalar(bytes, at);
        for level in Level::available() {
            assert_eq!(word_bytes::classify(level, bytes, at), words, "word_bytes, {} from {at}", level.name());
            assert_eq!(markup::classify(level, bytes, at), marks, "markup, {} from {at}", level.name());
        }
    }
});
