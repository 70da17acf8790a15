//! Pages that are not news (`content/pages/<slug>.<lang>.md`): each language's page at
//! `/L/<slug>/` through `page.html`, with its translations, its place in the menu, the sitemap,
//! its old addresses and photos; drafts left out; `check` follows their links.

use std::fs;

use twinpress::photos::fixture;

use crate::support::Site;

/// The `good` site with an "About" page in both languages (second in the menu, a photo, an old
/// address), "Contacts" in Russian only (first in the menu) and a draft.
fn site_with_pages() -> Site {
    let site = Site::copy("good");
    fs::create_dir_all(site.path("content/pages")).unwrap();
    fs::write(site.path("content/pages/about-1.jpg"), fixture::jpeg(1200, 800, 1, 7)).unwrap();
    site.write(
        "content/pages/about.ru.md",
        "+++\ntitle = \"О партнёрстве\"\nmenu = 2\naliases = [\"/ru/o-nas.html\"]\n\
         [[photos]]\nfile = \"about-1.jpg\"\nalt = \"Флаги городов-побратимов\"\n+++\n\
         Портал пишет о [городах](/ru/cities/) и их партнёрах.\n",
    );
    site.write(
        "content/pages/about.kk.md",
        "+++\ntitle = \"Серіктестік туралы\"\nmenu = 2\n\
         [[photos]]\nfile = \"about-1.jpg\"\nalt = \"Бауырлас қалалардың тулары\"\n+++\n\
         Портал [қалалар](/kk/cities/) туралы жазады.\n",
    );
    site.write(
        "content/pages/contacts.ru.md",
        "+++\ntitle = \"Контакты\"\nmenu = 1\nsummary = \"Как связаться с пресс-службой.\"\n+++\nПишите нам.\n",
    );
    site.write(
        "content/pages/plans.ru.md",
        "+++\ntitle = \"Планы\"\ndraft = true\n+++\nЧерновик.\n",
    );
    site
}

#[test]
fn each_language_gets_its_pages_with_translations_menu_sitemap_and_old_addresses() {
    let site = site_with_pages();
    site.build();
    let about = site.read("public/ru/about/index.html");
    assert!(about.contains("<h1>О партнёрстве</h1>"), "{about}");
    assert!(
        about.contains("Портал пишет о <a href=\"/ru/cities/\">городах</a>"),
        "{about}"
    );
    assert!(
        about.contains("hreflang=\"kk\" href=\"https://example.org/kk/about/\""),
        "the translation as an alternate: {about}"
    );
    assert!(
        about.contains("alt=\"Флаги городов-побратимов\""),
        "the lead photo: {about}"
    );
    assert!(about.contains("og:image"), "the photo for previews: {about}");
    // The menu on every page of the language, in its order, the current page marked.
    let home = site.read("public/ru/index.html");
    let contacts_at = home
        .find("<a href=\"/ru/contacts/\">Контакты</a>")
        .expect("contacts in the menu");
    let about_at = home
        .find("<a href=\"/ru/about/\">О партнёрстве</a>")
        .expect("about in the menu");
    assert!(contacts_at < about_at, "menu = 1 comes before menu = 2");
    assert!(
        about.contains("<a href=\"/ru/about/\" aria-current=\"page\">О партнёрстве</a>"),
        "{about}"
    );
    let kk_home = site.read("public/kk/index.html");
    assert!(
        kk_home.contains("<a href=\"/kk/about/\">Серіктестік туралы</a>"),
        "{kk_home}"
    );
    assert!(
        !kk_home.contains("contacts"),
        "a page in one language is in that language's menu only"
    );
    // A page in one language: the other's switch says it is not translated.
    let contacts = site.read("public/ru/contacts/index.html");
    assert!(contacts.contains("<meta name=\"description\" content=\"Как связаться с пресс-службой.\">"));
    assert!(
        contacts.contains("rel=\"nofollow\""),
        "the Kazakh link leads to the untranslated notice"
    );
    assert!(!site.path("public/kk/contacts").exists());
    // Drafts are left out of a build.
    assert!(!site.path("public/ru/plans").exists());
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/ru/about/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/ru/contacts/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("plans"), "{sitemap}");
    // The old address leads on.
    let old = site.read("public/ru/o-nas.html");
    assert!(old.contains("https://example.org/ru/about/"), "{old}");
    assert!(site
        .read("public/nginx-redirects.map")
        .contains("\"/ru/o-nas.html\" \"/ru/about/\";"));
    // `check` follows the pages' links, and `--drafts` builds the draft.
    site.run(&["check"]).success();
    site.run(&["build", "--drafts"]).success();
    assert!(site.read("public/ru/plans/index.html").contains("Черновик."));
}

#[test]
fn a_page_that_links_nowhere_fails_check_with_its_file() {
    let site = site_with_pages();
    site.write(
        "content/pages/contacts.ru.md",
        "+++\ntitle = \"Контакты\"\n+++\nСм. [архив](/ru/nowhere/).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("content/pages/contacts.ru.md"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("/ru/nowhere/"), "{}", run.stderr());
}

#[test]
fn a_site_may_give_pages_a_template_of_its_own() {
    let site = site_with_pages();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<section class=\"own\">{{ page.title }}|{{ page.slug }}|{{ page.content | safe }}</section>{% endblock main %}",
    );
    site.build();
    let about = site.read("public/kk/about/index.html");
    assert!(
        about.contains("<section class=\"own\">Серіктестік туралы|about|<p>"),
        "{about}"
    );
}

#[test]
fn pages_are_in_the_search_index_before_the_articles_with_no_date_and_no_cities() {
    let site = site_with_pages();
    site.write(
        "content/pages/about.ru.md",
        &site.read("content/pages/about.ru.md").replace(
            "и их партнёрах.",
            "и их партнёрах. Побратимство началось с меморандума.",
        ),
    );
    site.build();
    let meta: serde_json::Value = serde_json::from_str(&site.read("public/ru/search/meta.json")).unwrap();
    // Two Russian pages (about, contacts; the draft is left out), then the articles by year.
    assert_eq!(meta["years"][0], serde_json::json!([0, 2]), "{meta}");
    assert_eq!(meta["city_docs"], 4096, "{meta}");
    assert!(
        meta.get("doc_cities").is_none(),
        "the table every query loads has no per-article part"
    );
    let cities: serde_json::Value = serde_json::from_str(&site.read("public/ru/search/c/0.json")).unwrap();
    let cities: Vec<&str> = cities.as_str().unwrap().split(',').collect();
    assert_eq!(&cities[..2], ["", ""], "pages have no cities: {cities:?}");
    assert_eq!(cities.len(), meta["docs"].as_u64().unwrap() as usize);
    assert!(
        cities[2..].iter().all(|c| !c.is_empty()),
        "every article has its region: {cities:?}"
    );
    let docs: serde_json::Value = serde_json::from_str(&site.read("public/ru/search/doc/0.json")).unwrap();
    assert_eq!(docs[0]["u"], "/ru/about/");
    assert_eq!(docs[0]["t"], "О партнёрстве");
    assert_eq!(docs[0]["d"], "", "a page has no date");
    assert!(docs[0]["x"].as_str().unwrap().contains("меморандума"), "{docs}");
    assert_eq!(docs[1]["u"], "/ru/contacts/");
    assert!(docs[2]["u"].as_str().unwrap().starts_with("/ru/news/"), "{docs}");
    // The page's words are in the index like an article's.
    let shards = meta["shards"].as_u64().unwrap() as u32;
    let form = "меморандума";
    let shard: serde_json::Value = serde_json::from_str(&site.read(&format!(
        "public/ru/search/s/{}.json",
        twinpress::search::fold::shard(form, shards)
    )))
    .unwrap();
    assert!(
        shard["f"].get(form).is_some() || shard["t"].get(form).is_some(),
        "{shard}"
    );
}
