//! The model over small sites written to a temporary folder: tag spelling and pairing across
//! languages as tables, translations, related articles and reference errors.

use std::path::Path;

use super::*;
use crate::config::Config;
use crate::markdown::Body;

/// One article file: stem, language, date (day of 2025-01), partners, tags.
type Art<'a> = (&'a str, &'a str, u32, &'a [&'a str], &'a [&'a str]);

fn write_site(dir: &Path, articles: &[Art]) {
    let w = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    w(
        "site.toml",
        "base_url = \"https://example.org/\"\ndefault_language = \"ru\"\n[languages.kk]\ntitle = \"K\"\n[languages.ru]\ntitle = \"R\"\n",
    );
    for (key, kind, kk, ru) in [
        ("almaty", "city", "Алматы", "Алматы"),
        ("shanghai", "city", "Шанхай", "Шанхай"),
        ("harbin", "city", "Харбин", "Харбин"),
    ] {
        w(
            &format!("content/cities/{key}.toml"),
            &format!("kind = \"{kind}\"\ncountry = \"KZ\"\n[name]\nkk = \"{kk}\"\nru = \"{ru}\"\n"),
        );
    }
    for (stem, lang, day, partners, tags) in articles {
        let list = |items: &[&str]| items.iter().map(|t| format!("{t:?}")).collect::<Vec<_>>().join(", ");
        w(
            &format!("content/news/{stem}.{lang}.md"),
            &format!(
                "+++\ntitle = \"{stem} {lang}\"\ndate = 2025-01-{day:02}\nregion = \"almaty\"\npartners = [{}]\ntags = [{}]\n+++\n\nText.\n",
                list(partners),
                list(tags)
            ),
        );
    }
}

fn model(articles: &[Art]) -> Result<Model, Problems> {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), articles);
    let config = Config::load(dir.path()).unwrap();
    let content = crate::content::load(dir.path(), &config, &|_, _| Ok(Body::default()))?;
    let descriptions = vec![vec![String::new(); 2]; content.cities.len()];
    Model::new(&config, &content, &descriptions, false, Schedule::ALL)
}

// The default language comes first.
const RU: LangId = LangId(0);
const KK: LangId = LangId(1);

/// The name of the tag of `to` paired with the tag named `name` in `from`.
fn counterpart(m: &Model, from: LangId, name: &str, to: LangId) -> Option<String> {
    let tag = m.langs[from]
        .tags
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no tag {name}"));
    tag.counterparts[to].map(|i| m.langs[to].tags[i].name.clone())
}

#[test]
fn tags_pair_across_languages() {
    // (case, articles, ru tag, its expected kk counterpart)
    type Case<'a> = (&'a str, Vec<Art<'a>>, &'a str, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "same places in equally long lists pair",
            vec![
                ("a", "ru", 1, &["shanghai"], &["образование", "культура"]),
                ("a", "kk", 1, &["shanghai"], &["білім", "мәдениет"]),
            ],
            "культура",
            Some("мәдениет"),
        ),
        (
            "the commonest companion wins over one translation",
            vec![
                ("a", "ru", 1, &["shanghai"], &["туризм"]),
                ("a", "kk", 1, &["shanghai"], &["туризм", "саяхат"]),
                ("b", "ru", 2, &["shanghai"], &["туризм"]),
                ("b", "kk", 2, &["shanghai"], &["саяхат"]),
                ("c", "ru", 3, &["shanghai"], &["туризм"]),
                ("c", "kk", 3, &["shanghai"], &["саяхат"]),
            ],
            "туризм",
            Some("саяхат"),
        ),
        (
            "a tag only on untranslated articles has no counterpart",
            vec![
                ("a", "ru", 1, &["shanghai"], &["экономика"]),
                ("b", "kk", 2, &["shanghai"], &["экономика"]),
            ],
            "экономика",
            None,
        ),
        (
            "pairs are mutual: a kk tag that stands more often beside another ru tag is not taken",
            vec![
                ("a", "ru", 1, &["shanghai"], &["наука"]),
                ("a", "kk", 1, &["shanghai"], &["білім"]),
                ("b", "ru", 2, &["shanghai"], &["образование"]),
                ("b", "kk", 2, &["shanghai"], &["білім"]),
                ("c", "ru", 3, &["shanghai"], &["образование"]),
                ("c", "kk", 3, &["shanghai"], &["білім"]),
            ],
            "наука",
            None,
        ),
        (
            "… while the other ru tag gets it",
            vec![
                ("a", "ru", 1, &["shanghai"], &["наука"]),
                ("a", "kk", 1, &["shanghai"], &["білім"]),
                ("b", "ru", 2, &["shanghai"], &["образование"]),
                ("b", "kk", 2, &["shanghai"], &["білім"]),
                ("c", "ru", 3, &["shanghai"], &["образование"]),
                ("c", "kk", 3, &["shanghai"], &["білім"]),
            ],
            "образование",
            Some("білім"),
        ),
    ];
    for (case, articles, ru, kk) in cases {
        let m = model(&articles).unwrap();
        assert_eq!(counterpart(&m, RU, ru, KK).as_deref(), kk, "{case}");
        if let Some(kk) = kk {
            assert_eq!(counterpart(&m, KK, kk, RU).as_deref(), Some(ru), "{case}: both ways");
        }
    }
}

#[test]
fn the_commonest_spelling_names_a_tag_and_lower_case_breaks_ties() {
    let m = model(&[
        ("a", "ru", 1, &["shanghai"], &["Шанхай", "ЭКСПО"]),
        ("b", "ru", 2, &["shanghai"], &["шанхай", "Экспо"]),
        ("c", "ru", 3, &["shanghai"], &["Шанхай", "экспо"]),
    ])
    .unwrap();
    let names: Vec<(&str, usize)> = m.langs[RU]
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.entries.len()))
        .collect();
    // In slug order (ekspo, shankhay).
    assert_eq!(names, [("экспо", 3), ("Шанхай", 3)]);
}

#[test]
fn a_tag_without_letters_is_an_error_naming_the_file() {
    let err = model(&[("a", "ru", 1, &["shanghai"], &["!!!"])])
        .unwrap_err()
        .to_string();
    assert!(err.contains("a.ru.md"), "{err}");
    assert!(err.contains("tag `!!!` has no letters or digits"), "{err}");
}

#[test]
fn translations_link_both_ways_and_lists_are_newest_first() {
    let m = model(&[
        ("a", "ru", 1, &["shanghai"], &[]),
        ("a", "kk", 1, &["shanghai"], &[]),
        ("b", "ru", 5, &["harbin"], &[]),
    ])
    .unwrap();
    let stems: Vec<&str> = m.langs[RU]
        .entries
        .iter()
        .map(|&e| m.entries[e].source.stem.as_str())
        .collect();
    assert_eq!(stems, ["b", "a"]);
    let a_ru = m.langs[RU].entries[1];
    let a_kk = m.entries[a_ru].translations[KK].unwrap();
    assert_eq!(m.entries[a_kk].lang, KK);
    assert_eq!(m.entries[a_kk].translations[RU], Some(a_ru));
    assert_eq!(m.entries[m.langs[RU].entries[0]].translations[KK], None);
}

#[test]
fn an_unknown_partner_is_an_error_with_a_suggestion() {
    let err = model(&[("a", "ru", 1, &["shanghay"], &[])]).unwrap_err().to_string();
    assert!(err.contains("a.ru.md"), "{err}");
    assert!(err.contains("shanghay"), "{err}");
    assert!(err.contains("shanghai"), "did you mean: {err}");
}

#[test]
fn related_articles_share_the_region_and_a_partner_newest_first() {
    let m = model(&[
        ("a", "ru", 1, &["shanghai"], &[]),
        ("b", "ru", 2, &["harbin"], &[]),
        ("c", "ru", 3, &["shanghai", "harbin"], &[]),
        ("d", "ru", 4, &["shanghai"], &[]),
        ("e", "kk", 5, &["shanghai"], &[]),
        ("f", "ru", 6, &["shanghai"], &[]),
        ("g", "ru", 7, &["shanghai"], &[]),
        ("h", "ru", 8, &["shanghai"], &[]),
    ])
    .unwrap();
    let id = |stem: &str| {
        m.langs[RU]
            .entries
            .iter()
            .copied()
            .find(|&e| m.entries[e].source.stem == stem)
            .unwrap()
    };
    let stems = |ids: Vec<EntryId>| {
        ids.into_iter()
            .map(|e| m.entries[e].source.stem.clone())
            .collect::<Vec<_>>()
    };
    // The same language only, not itself, newest first, at most `max`.
    assert_eq!(stems(m.related(id("a"), 4)), ["h", "g", "f", "d"]);
    assert_eq!(stems(m.related(id("h"), 2)), ["g", "f"]);
    // b (Harbin) relates only to c, which shares Harbin.
    assert_eq!(stems(m.related(id("b"), 4)), ["c"]);
    // c shares Shanghai with some and Harbin with b: one list, no repeats.
    assert_eq!(stems(m.related(id("c"), 10)), ["h", "g", "f", "d", "b", "a"]);
}

/// A file's new version with `change` applied to the old one's front matter.
fn edited(old: &Arc<ArticleSource>, change: impl FnOnce(&mut ArticleSource)) -> Arc<ArticleSource> {
    let mut new = (**old).clone();
    change(&mut new);
    Arc::new(new)
}

#[test]
fn contents_go_straight_into_the_model_and_structure_does_not() {
    let mut m = model(&[
        ("a", "ru", 1, &["shanghai"], &["образование"]),
        ("b", "ru", 2, &["harbin"], &["культура"]),
    ])
    .unwrap();
    let a = m.entries.iter().position(|e| e.stem() == "a").unwrap();
    let old = Arc::clone(&m.entries[a].source);
    let body = Arc::new(Body::default());
    // (what changes, whether the model can take it without being made anew)
    type Change = Box<dyn Fn(&mut ArticleSource)>;
    let cases: Vec<(&str, Change, bool)> = vec![
        ("title", Box::new(|s| s.title = "Новый".into()), true),
        ("summary", Box::new(|s| s.summary = Some("Кратко".into())), true),
        ("source", Box::new(|s| s.source = Some("gov.kz".into())), true),
        (
            "date",
            Box::new(|s| s.date.local = s.date.local.saturating_add(jiff::Span::new().days(3))),
            false,
        ),
        ("updated", Box::new(|s| s.updated = Some(s.date)), false),
        ("tags", Box::new(|s| s.tags.push("туризм".into())), false),
        ("partners", Box::new(|s| s.partners.clear()), false),
        ("draft", Box::new(|s| s.draft = true), false),
        ("stem", Box::new(|s| s.stem = "c".into()), false),
    ];
    for (what, change, takes) in cases {
        let new = edited(&old, change);
        let mut copy = model(&[
            ("a", "ru", 1, &["shanghai"], &["образование"]),
            ("b", "ru", 2, &["harbin"], &["культура"]),
        ])
        .unwrap();
        let old_here = Arc::clone(&copy.entries[a].source);
        let edit = (old_here, Arc::clone(&new), Arc::clone(&body));
        let got = copy.update_contents(&[edit]);
        assert_eq!(got.is_some(), takes, "{what}");
        if takes {
            assert_eq!(got, Some(vec![EntryId(a)]), "{what}");
            assert_eq!(copy.entries[a].source.title, new.title, "{what}");
        }
    }
    // A file the model has no entry for (a draft left out, say) is no content edit either.
    let stranger = edited(&old, |s| s.title = "x".into());
    assert_eq!(m.update_contents(&[(Arc::clone(&stranger), stranger, body)]), None);
}
