//! Incremental rebuilds: after every edit the output equals a full build of the same input,
//! byte for byte, while only the pages that depend on the edit are rendered.

use std::collections::BTreeSet;
use std::path::PathBuf;

use twinpress::serve::rebuild::{Changes, LiveSite};
use twinpress::BuildOptions;

use crate::support::{assert_same_as_full_build, files, Site, LIVE_BASE};

fn options(site: &Site) -> BuildOptions {
    BuildOptions {
        base_url: Some(LIVE_BASE.to_string()),
        ..BuildOptions::new(&site.root)
    }
}

fn articles(paths: &[&str]) -> Changes {
    Changes {
        articles: paths.iter().map(PathBuf::from).collect::<BTreeSet<_>>(),
        ..Changes::default()
    }
}

#[test]
fn every_edit_ends_byte_identical_to_a_full_build() {
    let site = Site::copy("good");
    let out = site.root.parent().unwrap().join("live");
    let mut live = LiveSite::load(&options(&site), &out).unwrap();
    assert_same_as_full_build(&options(&site), live.output(), "initial");
    let total = files(&out).len();

    // 1. A title changes.
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(ru, &site.read(ru).replace("подписали", "утвердили"));
    let r = live.apply(&articles(&[ru])).unwrap();
    assert!(
        !r.full && r.rendered > 0 && r.rendered < total / 2,
        "rendered {} of {total}",
        r.rendered
    );
    assert!(
        r.pages.contains(&"/ru/news/2025-08-29-qinghai/".to_string()),
        "{:?}",
        r.pages
    );
    assert!(
        r.pages.contains(&"/ru/".to_string()),
        "the home page lists it: {:?}",
        r.pages
    );
    assert!(
        !r.pages.iter().any(|p| p.contains("2024-11-12-uk")),
        "an article not showing it is left alone: {:?}",
        r.pages
    );
    assert_eq!(r.navigate.as_deref(), Some("/ru/news/2025-08-29-qinghai/"));
    assert!(
        r.viewed < total / 2 && r.viewed >= r.rendered,
        "a title keeps the model's structure: only pages that read the article are viewed ({} of {total})",
        r.viewed
    );
    assert_same_as_full_build(&options(&site), live.output(), "title");

    // 2. A new article with a new tag, in a new folder.
    let new = "content/news/2026/2026-01-05-new.kk.md";
    site.write(
        new,
        "+++\ntitle = \"Жаңа\"\ndate = 2026-01-05\nregion = \"almaty\"\npartners = [\"shanghai\"]\ntags = [\"жаңа тақырып\"]\n+++\nМәтін.\n",
    );
    let r = live.apply(&articles(&[new])).unwrap();
    assert!(
        r.pages.contains(&"/kk/tags/zhana-taqyryp/".to_string()),
        "{:?}",
        r.pages
    );
    assert_same_as_full_build(&options(&site), live.output(), "new article");

    // 3. A date changes: lists reorder.
    let kk_only = "content/news/2024/2024-03-26-kk-only.kk.md";
    site.write(
        kk_only,
        &site.read(kk_only).replace("2024-03-26T10:30:00+05:00", "2026-03-01"),
    );
    let r = live.apply(&articles(&[kk_only])).unwrap();
    assert_eq!(
        r.viewed,
        live.page_count(),
        "a date moves the entry: every page is viewed"
    );
    assert_same_as_full_build(&options(&site), live.output(), "date");

    // 4. A translation appears: both languages' switchers change.
    let uk_kk = "content/news/2024/2024-11-12-uk.kk.md";
    site.write(uk_kk, "+++\ntitle = \"Алматы мен Ұлыбритания\"\ndate = 2024-11-12\nregion = \"almaty\"\npartners = [\"united-kingdom\"]\ntags = [\"білім\"]\n+++\nМәтін.\n");
    live.apply(&articles(&[uk_kk])).unwrap();
    assert_same_as_full_build(&options(&site), live.output(), "translation");

    // 5. A bad edit fails and changes nothing; the fix rebuilds.
    let before = files(&out);
    site.write(ru, "+++\ntitle = \"x\"\n+++\n");
    let err = live.apply(&articles(&[ru])).unwrap_err();
    assert!(format!("{err:#}").contains("missing field `date`"), "{err:#}");
    assert_eq!(files(&out), before);
    site.write(
        ru,
        &std::fs::read_to_string(crate::support::fixtures().join("good").join(ru)).unwrap(),
    );
    live.apply(&articles(&[ru])).unwrap();
    assert_same_as_full_build(&options(&site), live.output(), "fixed");

    // 6. Articles are deleted: their pages and an emptied tag's pages go.
    std::fs::remove_file(site.path(new)).unwrap();
    std::fs::remove_file(site.path("content/news/2024/2024-11-12-uk.ru.md")).unwrap();
    let r = live
        .apply(&articles(&[new, "content/news/2024/2024-11-12-uk.ru.md"]))
        .unwrap();
    assert!(r.removed >= 3, "{r:?}");
    assert!(!out.join("kk/tags/zhana-taqyryp").exists());
    assert_same_as_full_build(&options(&site), live.output(), "deleted");

    // 7. A template changes: everything is rendered.
    site.write(
        "templates/tags.html",
        "{% extends \"base.html\" %}{% block main %}<p>{{ tags | length }}</p>{% endblock main %}",
    );
    let r = live
        .apply(&Changes {
            templates: true,
            ..Changes::default()
        })
        .unwrap();
    assert!(r.full);
    assert_same_as_full_build(&options(&site), live.output(), "template");
}

#[test]
fn a_font_change_redraws_the_social_cards() {
    let site = Site::copy("good");
    let out = site.root.parent().unwrap().join("live");
    let mut live = LiveSite::load(&options(&site), &out).unwrap();
    let card = out.join("ru/news/2024-11-12-uk/card.png");
    let before = std::fs::read(&card).unwrap();
    // The site's own fonts: the serif only, so the card's sans lines are drawn otherwise.
    let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/fonts");
    let mut changes = Changes::default();
    for f in std::fs::read_dir(fonts).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        if name.starts_with("noto-serif") {
            std::fs::create_dir_all(site.path("static/fonts")).unwrap();
            std::fs::copy(f.path(), site.path(&format!("static/fonts/{name}"))).unwrap();
            changes
                .static_files
                .insert(PathBuf::from(format!("static/fonts/{name}")));
        }
    }
    live.apply(&changes).unwrap();
    assert_ne!(std::fs::read(&card).unwrap(), before, "the card was drawn again");
    assert_same_as_full_build(&options(&site), live.output(), "fonts");
}

#[test]
fn a_stylesheet_change_is_css_only() {
    let site = Site::copy("good");
    let out = site.root.parent().unwrap().join("live");
    // As `serve` builds: assets linked without their version, so no page changes.
    let preview = BuildOptions {
        versioned_assets: false,
        ..options(&site)
    };
    let mut live = LiveSite::load(&preview, &out).unwrap();
    site.write("static/style.css", "body { color: red }");
    let changes = Changes {
        static_files: [PathBuf::from("static/style.css")].into_iter().collect(),
        ..Changes::default()
    };
    let r = live.apply(&changes).unwrap();
    assert!(r.css_only && r.rendered == 0 && r.written == 1, "{r:?}");
    assert_eq!(
        std::fs::read_to_string(out.join("style.css")).unwrap(),
        "body { color: red }"
    );
    assert_same_as_full_build(&preview, live.output(), "css");
}

#[test]
fn lost_events_read_everything_again() {
    let site = Site::copy("good");
    let out = site.root.parent().unwrap().join("live");
    let mut live = LiveSite::load(&options(&site), &out).unwrap();
    // Edits whose events the system lost: a city, an article and a stylesheet.
    let city = "content/cities/shanghai.toml";
    assert!(site.read(city).contains("Шанхай"));
    site.write(city, &site.read(city).replacen("Шанхай", "Шанхай (lost)", 1));
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(ru, &site.read(ru).replace("подписали", "утвердили"));
    site.write("static/lost.css", "body { margin: 0 }");
    let r = live
        .apply(&Changes {
            lost: true,
            ..Changes::default()
        })
        .unwrap();
    assert!(r.full, "everything is read and rendered again");
    assert!(std::fs::read_to_string(out.join("ru/index.html"))
        .unwrap()
        .contains("Шанхай (lost)"));
    assert!(out.join("lost.css").is_file());
    assert_same_as_full_build(&options(&site), live.output(), "lost events");
}
