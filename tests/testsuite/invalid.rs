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
    not_utf8_unknown => "not-utf8-unknown",
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

/// The message of an `error: FILE[:LINE]: MESSAGE` line.
fn message_of(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("error: ")?;
    let (at, message) = rest.split_once(": ")?;
    at.starts_with("content/").then_some(message)
}

#[test]
fn every_problem_of_the_content_the_desk_shows_is_in_kazakh_and_russian() {
    use twinpress::desk::catalogue::translate;
    let mut messages: Vec<String> = Vec::new();
    for case in CASES {
        let expected = std::fs::read_to_string(fixtures().join("invalid").join(case).join("expected.txt")).unwrap();
        messages.extend(expected.lines().filter_map(message_of).map(str::to_string));
    }
    // What the photos, the route and the body can say, from builds that meet each (a build
    // stops at the first stage with problems, so one build per stage).
    let article = |front: &str, body: &str| {
        format!("+++\ntitle = \"Плохо\"\ndate = 2025-09-02\nregion = \"almaty\"\n{front}\n+++\n\n{body}\n")
    };
    let photos = [
        ("bad-1.jpg", twinpress::photos::fixture::heic()),
        ("bad-2.jpg", b"GIF89a....".to_vec()),
        ("bad-3.jpg", b"%PDF-1.7".to_vec()),
        ("bad-4.jpg", b"BM......".to_vec()),
        ("bad-5.jpg", b"II*\0....".to_vec()),
        ("bad-6.jpg", b"nothing of a picture".to_vec()),
    ];
    let photo_list: String = photos
        .iter()
        .map(|(f, _)| format!("\n[[photos]]\nfile = \"{f}\"\nalt = \"a\"\n"))
        .collect::<String>()
        + "\n[[photos]]\nfile = \"missing.jpg\"\nalt = \"b\"\n";
    for files in [
        vec![(
            "2025-09-02-bad.ru.md".to_string(),
            article(
                "updated = \"вчера\"\npartners = [\"shanghai\"]\nsource_url = \"example.kz\"\n\n[[photos]]\nfile = \"x/y.jpg\"\nalt = \"d\"\n\n[[photos]]\nfile = \"z.txt\"\nalt = \"e\"\n\n[[photos]]\nfile = \"n.jpg\"",
                "Текст <b>жирный</b> и [ссылка](javascript:void(0)).",
            )
            .into_bytes(),
        )],
        vec![(
            "2025-09-02-bad.ru.md".to_string(),
            article("partners = [\"almaty\", \"atlantis\"]", "Текст.").into_bytes(),
        )],
        std::iter::once((
            "2025-09-02-bad.ru.md".to_string(),
            article(&format!("partners = [\"shanghai\"]\n{photo_list}"), "Текст.").into_bytes(),
        ))
        .chain(photos.iter().map(|(f, b)| (f.to_string(), b.clone())))
        .collect(),
    ] {
        let site = Site::copy("good");
        for (name, bytes) in files {
            std::fs::write(site.path(&format!("content/news/2025/{name}")), bytes).unwrap();
        }
        let run = site.run(&["build"]);
        messages.extend(run.stderr().lines().filter_map(message_of).map(str::to_string));
    }
    messages.sort();
    messages.dedup();
    assert!(messages.len() >= 45, "{messages:#?}");
    let untranslated: Vec<&String> = messages
        .iter()
        .filter(|m| {
            ["kk", "ru"]
                .iter()
                .any(|ui| translate(m, ui).is_none_or(|t| t.contains("{t") || t == **m))
        })
        .collect();
    assert!(untranslated.is_empty(), "no Kazakh or Russian for: {untranslated:#?}");
}
