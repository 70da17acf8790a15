//! Inputs the fuzzers found (and hand-made edge cases), replayed through the properties the fuzz
//! targets check (`fuzz/fuzz_targets/`): no panic, lines inside the file, drafts that parse back,
//! slugs of lower-case ASCII. A crash found by `fuzz/run.sh` goes into
//! `tests/fuzz-regressions/<target>/` and is replayed here for ever.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use twinpress::content::{article, frontmatter, CitySource, Kind};

fn inputs(target: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| String::from_utf8(std::fs::read(&p).unwrap()).ok().map(|t| (p, t)))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "{} has inputs", dir.display());
    out
}

#[test]
fn front_matter_inputs() {
    for (path, text) in inputs("frontmatter") {
        let lines = text.lines().count().max(1) + 1;
        let _ = frontmatter::split(&text);
        if let Err(problems) = article::parse(Path::new("x.ru.md"), "x", "ru", &text) {
            assert!(!problems.is_empty(), "{}", path.display());
            for p in problems {
                assert!(
                    p.line.is_none_or(|l| l >= 1 && l <= lines),
                    "{}: line {:?}",
                    path.display(),
                    p.line
                );
            }
        }
    }
}

#[test]
fn import_inputs() {
    let cities = vec![CitySource {
        path: "content/cities/almaty.toml".into(),
        key: "almaty".into(),
        kind: Kind::City,
        country: "KZ".into(),
        coordinates: None,
        name: BTreeMap::from([("ru".into(), "Алматы".into()), ("kk".into(), "Алматы".into())]),
        description: BTreeMap::new(),
        agreements: Vec::new(),
        aliases: Vec::new(),
        extra: Default::default(),
    }];
    let registry = twinpress::import::Registry {
        cities: &cities,
        home_countries: BTreeSet::from(["KZ".to_string()]),
        languages: vec!["kk".into(), "ru".into()],
    };
    for (path, text) in inputs("import") {
        let file = twinpress::import::import(&text, &registry, None).draft.to_text();
        let split = frontmatter::split(&file).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        split
            .front
            .parse::<toml::Table>()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn slug_inputs() {
    for (path, text) in inputs("slug") {
        let slug = twinpress::slug::slugify(&text);
        assert!(
            slug.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}: {slug}",
            path.display()
        );
        assert!(
            !slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"),
            "{}: {slug}",
            path.display()
        );
        assert_eq!(twinpress::slug::slugify(&slug), slug, "{}", path.display());
    }
}
