//! Front matter splitting and article parsing: any bytes give an article or problems with
//! lines inside the file, never a panic.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.lines().count().max(1) + 1;
    if let Ok(split) = twinpress::content::frontmatter::split(text) {
        assert!(split.front_line <= split.body_line);
    }
    match twinpress::content::article::parse(Path::new("x.ru.md"), "x", "ru", text) {
        Ok((article, body)) => {
            assert!(!article.title.is_empty());
            assert!(text.ends_with(body));
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert!(p.line.is_none_or(|l| l >= 1 && l <= lines), "line {:?} of {lines}", p.line);
            }
        }
    }
});
