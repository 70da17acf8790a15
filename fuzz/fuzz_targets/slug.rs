//! Transliteration: any text gives a slug of lower-case ASCII letters, digits and single dashes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let slug = twinpress::slug::slugify(text);
    assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
    assert_eq!(twinpress::slug::slugify(&slug), slug, "a slug is its own slug");
});
