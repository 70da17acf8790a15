//! The importer: any text gives a draft whose file parses back, never a panic.
#![no_main]
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use twinpress::content::{CitySource, Kind};
use twinpress::import::{import, Registry};

fn city(key: &str, country: &str, ru: &str, kk: &str) -> CitySource {
    CitySource {
        path: format!("content/cities/{key}.toml").into(),
        key: key.into(),
        kind: Kind::City,
        country: country.into(),
        coordinates: None,
        name: BTreeMap::from([("ru".into(), ru.into()), ("kk".into(), kk.into())]),
        description: BTreeMap::new(),
        agreements: Vec::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let cities = vec![
        city("almaty", "KZ", "Алматы", "Алматы"),
        city("almaty-region", "KZ", "Алматинская область", "Алматы облысы"),
        city("shanghai", "CN", "Шанхай", "Шаңхай"),
    ];
    let registry = Registry {
        cities: &cities,
        home_countries: BTreeSet::from(["KZ".to_string()]),
        languages: vec!["kk".into(), "ru".into()],
    };
    let imported = import(text, &registry, None);
    let file = imported.draft.to_text();
    // The file's front matter is well-formed TOML whatever the text held.
    let split = twinpress::content::frontmatter::split(&file).expect("the draft splits");
    split.front.parse::<toml::Table>().expect("the draft's front matter is TOML");
    let _ = twinpress::content::article::parse(Path::new("x.ru.md"), "x", &imported.draft.lang, &file);
});
