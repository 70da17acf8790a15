//! Broken input (`tests/sites/invalid/<case>/`, laid over the good site): each build exits 1,
//! prints every line of the case's `expected.txt`, names the file, and leaves the previous output
//! exactly as it was. One test per case, so a failure names its case; a case folder without its
//! test fails `every_case_folder_has_its_test`.

use crate::support::{files, fixtures, Site};

macro_rules! cases {
    ($($test:ident => $case:literal,)*) => {
        const CASES: &[&str] = &[$($case),*];
        $(
            #[test]
            fn $test() {
                broken_site_fails_with_its_message_and_keeps_the_previous_output($case);
            }
        )*
    };
}

cases! {
    agreement_unknown_city => "agreement-unknown-city",
    bad_date => "bad-date",
    city_unknown_field => "city-unknown-field",
    control_character => "control-character",
    duplicate_stem => "duplicate-stem",
    empty_file => "empty-file",
    impossible_date => "impossible-date",
    malformed_toml => "malformed-toml",
    many_errors => "many-errors",
    missing_field => "missing-field",
    missing_template => "missing-template",
    no_content => "no-content",
    no_language_in_name => "no-language-in-name",
    not_utf8 => "not-utf8",
    page_alias_clash => "page-alias-clash",
    page_reserved_slug => "page-reserved-slug",
    page_unknown_field => "page-unknown-field",
    partner_twice => "partner-twice",
    raw_html => "raw-html",
    site_bad_toml => "site-bad-toml",
    site_no_languages => "site-no-languages",
    tags_across_articles => "tags-across-articles",
    tags_one_address => "tags-one-address",
    template_missing_variable => "template-missing-variable",
    template_syntax => "template-syntax",
    template_tera1_index => "template-tera1-index",
    template_tera1_macros => "template-tera1-macros",
    template_unclosed_tag => "template-unclosed-tag",
    template_unknown_field => "template-unknown-field",
    template_unknown_filter => "template-unknown-filter",
    unclosed_front_matter => "unclosed-front-matter",
    unknown_city => "unknown-city",
    unknown_field => "unknown-field",
    unknown_language => "unknown-language",
    wrong_types => "wrong-types",
}

#[test]
fn every_case_folder_has_its_test() {
    let mut folders: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(
        folders, CASES,
        "add a line to `cases!` for each folder in tests/sites/invalid"
    );
}

fn broken_site_fails_with_its_message_and_keeps_the_previous_output(case: &str) {
    let site = Site::copy("good");
    site.build();
    let before = files(&site.path("public"));
    let home = site.read("public/ru/index.html");
    site.overlay(case);
    let run = site.run(&["build"]);
    let stderr = run.stderr();
    let expected = std::fs::read_to_string(fixtures().join("invalid").join(case).join("expected.txt")).unwrap();
    let missing: Vec<&str> = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| {
            !stderr
                .lines()
                .any(|s| s.trim().starts_with(l.trim()) || s.contains(l.trim()))
        })
        .collect();
    assert!(!stderr.contains("panicked"), "{case} panicked:\n{stderr}");
    assert!(missing.is_empty(), "{case}: missing {missing:?}\nstderr:\n{stderr}");
    assert_eq!(run.code(), 1, "{case}: exit code\nstderr:\n{stderr}");
    assert!(
        files(&site.path("public")) == before && site.read("public/ru/index.html") == home,
        "{case}: the previous output changed"
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code(), 1, "{case}: check's exit code");
    assert!(
        !check.stderr().contains("nothing was written"),
        "{case}: check writes nothing, and does not say so: {}",
        check.stderr()
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The cache, and the manifest of the good build's output, are meant to stay.
        .filter(|n| n.contains("twinpress") && n != ".twinpress-cache" && n != ".public.twinpress-files")
        .collect();
    assert!(leftovers.is_empty(), "{case}: left {leftovers:?} behind");
}
