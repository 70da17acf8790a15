//! The search index as the build writes it: an edit under `serve` reaches the index with the
//! usual incremental rebuild (and only the shards it changes are written), a hostile title is
//! only data, and a site can go without search.

use std::collections::BTreeSet;
use std::path::PathBuf;

use twinpress::search::fold;
use twinpress::serve::rebuild::{Changes, LiveSite};
use twinpress::BuildOptions;

use crate::support::{assert_same_as_full_build, Site, LIVE_BASE};

fn options(site: &Site) -> BuildOptions {
    BuildOptions {
        base_url: Some(LIVE_BASE.to_string()),
        ..BuildOptions::new(&site.root)
    }
}

/// The stems the language's index lists for the folded form `form`.
fn stems_of(out: &std::path::Path, lang: &str, form: &str) -> Vec<String> {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(lang).join("search/meta.json")).unwrap()).unwrap();
    let shards = meta["shards"].as_u64().unwrap() as u32;
    let path = out.join(format!("{lang}/search/s/{}.json", fold::shard(form, shards)));
    let shard: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut stems: Vec<String> = shard["f"][form]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    if shard["t"].get(form).is_some() {
        stems.push(form.to_string());
    }
    stems
}

#[test]
fn an_edit_reaches_the_index_with_the_incremental_rebuild() {
    let site = Site::copy("good");
    let out = site.root.parent().unwrap().join("live");
    let mut live = LiveSite::load(&options(&site), &out).unwrap();
    assert!(stems_of(&out, "kk", "зайсанбектин").is_empty());

    let kk = "content/news/2025/2025-08-29-qinghai.kk.md";
    site.write(kk, &format!("{}\nЗайсанбектің сапары туралы.\n", site.read(kk)));
    let changes = Changes {
        articles: [PathBuf::from(kk)].into_iter().collect::<BTreeSet<_>>(),
        ..Changes::default()
    };
    let r = live.apply(&changes).unwrap();
    assert!(!r.full);
    // Typed without Kazakh letters, the new word leads to its stem.
    assert_eq!(stems_of(&out, "kk", "зайсанбектин"), ["зайсанбек"]);
    // The article's own search file carries the new text; the Russian index is left alone.
    let docs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("kk/search/doc/0.json")).unwrap()).unwrap();
    let docs = docs.as_array().unwrap();
    assert!(
        docs.iter().any(|d| d["x"].as_str().unwrap().contains("Зайсанбектің")),
        "the articles' file has the new text"
    );
    assert_same_as_full_build(&options(&site), live.output(), "after the edit");
}

#[test]
fn each_language_stems_its_own_words() {
    // A word both languages' articles have, which their analysers cut differently.
    let word = "делегациями";
    let stem = |code| {
        let a = twinpress::search::analyze::Analyzer::new(code, []);
        a.keys(word, &mut Default::default()).unwrap().stem.clone()
    };
    let (kk, ru) = (stem("kk"), stem("ru"));
    assert_ne!(kk, ru, "the test needs a word the languages stem apart");
    let site = Site::copy("good");
    for file in [
        "content/news/2025/2025-08-29-qinghai.kk.md",
        "content/news/2025/2025-08-29-qinghai.ru.md",
    ] {
        site.write(file, &format!("{}\n{word}\n", site.read(file)));
    }
    site.build();
    let out = site.path("public");
    assert_eq!(stems_of(&out, "kk", word), [kk]);
    assert_eq!(stems_of(&out, "ru", word), [ru]);
}

#[test]
fn a_hostile_title_is_data_in_the_index() {
    let site = Site::copy("good");
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    let text = site.read(ru);
    let title_line = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
    site.write(
        ru,
        &text.replacen(&title_line, "title = '<img src=x onerror=alert(1)>\"</script>'", 1),
    );
    site.build();
    let docs = site.path("public/ru/search/doc");
    let found: Vec<String> = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|d| d.contains("onerror"))
        .collect();
    assert_eq!(found.len(), 1);
    let docs: serde_json::Value = serde_json::from_str(&found[0]).unwrap();
    // Kept as the text it is, for the script to show as text (never as markup).
    let titles: Vec<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["t"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"<img src=x onerror=alert(1)>\"</script>"),
        "{titles:?}"
    );
}

#[test]
fn a_site_can_go_without_search() {
    let site = Site::copy("good");
    site.write(
        "site.toml",
        &format!("{}\n[search]\nenabled = false\n", site.read("site.toml")),
    );
    let run = site.build();
    assert!(run.stdout().contains(" 0 search index files"), "{}", run.stdout());
    assert!(!site.path("public/ru/search").exists());
    let home = std::fs::read_to_string(site.path("public/ru/index.html")).unwrap();
    assert!(!home.contains("site-search"), "no search field in the header");

    site.write(
        "site.toml",
        &format!("{}\n[search]\nenabeld = false\n", Site::copy("good").read("site.toml")),
    );
    let run = site.run(&["build"]);
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("unknown field `enabeld`"), "{}", run.stderr());
}

#[test]
fn an_articles_text_in_the_index_is_json_whatever_it_holds() {
    let site = Site::copy("good");
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    let text = site.read(ru);
    // (A control character such as U+0001 is refused where the article is read: see
    // tests/sites/invalid/control-character.)
    site.write(ru, &format!("{text}\nКод `\"a\\b\"`, знак и\tтаб.\n"));
    site.build();
    let docs = site.path("public/ru/search/doc");
    let texts: Vec<String> = std::fs::read_dir(&docs)
        .unwrap()
        .flat_map(|e| {
            let file = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let docs: serde_json::Value = serde_json::from_str(&file).unwrap();
            docs.as_array()
                .unwrap()
                .iter()
                .map(|d| d["x"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let found: Vec<&String> = texts.iter().filter(|x| x.contains("Код")).collect();
    assert_eq!(found.len(), 1, "{texts:?}");
    // (A tag ends a word: the code's end is a space before the comma.)
    // (The footnote's text follows: notes are gathered at the end.)
    assert!(
        found[0].contains("Код \"a\\b\" , знак и таб. Примечание."),
        "{:?}",
        found[0]
    );
    // The rest of the files need no escaping and are written unescaped: the same JSON.
    assert!(
        texts.iter().any(|x| x.contains("Первый абзац со «словами»")),
        "{texts:?}"
    );
}
