//! A newsroom's clock: articles dated later than the build's time wait (`SOURCE_DATE_EPOCH` makes
//! the time reproducible; `--future` shows them, marked), and the news sitemap holds the last two
//! days' articles in the `news:` namespace, named in robots.txt.

use crate::support::{files, Site};

/// 2025-08-30 12:00 UTC: a day and a half after the fixture's newest article (2025-08-29, 00:00
/// in Almaty).
const AUG_30_NOON: &str = "1756555200";
/// 2025-09-10 06:00 UTC: after the scheduled article's time.
const SEP_10: &str = "1757484000";

/// The fixture with an article dated 2025-09-10 10:00 in Almaty (05:00 UTC), in Russian.
fn site_with_a_scheduled_article() -> Site {
    let site = Site::copy("good");
    site.write(
        "content/news/2025/2025-09-10-later.ru.md",
        "+++\ntitle = \"Позже\"\ndate = 2025-09-10T10:00:00\nregion = \"almaty\"\npartners = [\"shanghai\"]\ntags = [\"культура\"]\n+++\n\nЕщё не время.\n",
    );
    site
}

fn mentions_later(site: &Site) -> Vec<String> {
    files(&site.root.join("public"))
        .into_iter()
        .filter(|f| {
            f.contains("later")
                || String::from_utf8_lossy(&site.read_bytes(&format!("public/{f}"))).contains("2025-09-10-later")
        })
        .collect()
}

#[test]
fn an_article_dated_later_waits_for_its_time() {
    let site = site_with_a_scheduled_article();
    site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", AUG_30_NOON)])
        .success();
    assert_eq!(
        mentions_later(&site),
        Vec::<String>::new(),
        "no page, list, feed or sitemap has it yet"
    );

    site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", SEP_10)]).success();
    let now = mentions_later(&site);
    for f in [
        "ru/news/2025-09-10-later/index.html",
        "ru/index.html",
        "ru/rss.xml",
        "sitemap.xml",
    ] {
        assert!(now.iter().any(|x| x == f), "{f} has it once its time has come: {now:?}");
    }
    let page = site.read("public/ru/news/2025-09-10-later/index.html");
    assert!(!page.contains("class=\"scheduled\""), "published, not marked");

    site.run_with(&["build", "--future"], &[("SOURCE_DATE_EPOCH", AUG_30_NOON)])
        .success();
    let page = site.read("public/ru/news/2025-09-10-later/index.html");
    assert!(
        page.contains("<p class=\"scheduled\" role=\"note\">Запланировано"),
        "--future shows it, marked"
    );
}

#[test]
fn a_bad_source_date_epoch_is_named() {
    let site = Site::copy("good");
    let run = site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", "yesterday")]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_news_sitemap_holds_the_last_two_days() {
    let site = site_with_a_scheduled_article();
    site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", AUG_30_NOON)])
        .success();
    let xml = site.read("public/news-sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let urls: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
    let locs: Vec<&str> = urls
        .iter()
        .filter_map(|u| u.descendants().find(|n| n.has_tag_name("loc")).and_then(|n| n.text()))
        .collect();
    assert_eq!(
        locs,
        [
            "https://example.org/ru/news/2025-08-29-qinghai/",
            "https://example.org/kk/news/2025-08-29-qinghai/"
        ],
        "the 2025-08-29 article in both languages; nothing older, nothing scheduled"
    );
    let field = |u: &roxmltree::Node, name: &str| {
        u.descendants()
            .find(|n| n.has_tag_name((news, name)))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    let ru = &urls[0];
    assert_eq!(field(ru, "name"), "Города-побратимы");
    assert_eq!(field(ru, "language"), "ru");
    assert_eq!(field(ru, "publication_date"), "2025-08-29T00:00:00+05:00");
    assert_eq!(field(ru, "title"), "Алматы и Сычуань подписали \"дорожную карту\"");
    assert_eq!(field(&urls[1], "language"), "kk");
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://example.org/news-sitemap.xml"));

    site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", SEP_10)]).success();
    let xml = site.read("public/news-sitemap.xml");
    assert!(
        xml.contains("2025-09-10-later") && !xml.contains("2025-08-29-qinghai"),
        "a week later only the newer article: {xml}"
    );
}

#[test]
fn the_archive_lists_years_and_months_and_every_page_links_to_it() {
    let site = Site::copy("good");
    site.build();
    let index = site.read("public/ru/archive/index.html");
    for (href, text) in [
        ("/ru/archive/2025/", "2025"),
        ("/ru/archive/2025/08/", "Август"),
        ("/ru/archive/2024/11/", "Ноябрь"),
    ] {
        assert!(
            index.contains(&format!("<a href=\"{href}\">{text}</a>")),
            "{href} {text}: {index}"
        );
    }
    let month = site.read("public/ru/archive/2025/08/index.html");
    assert!(
        month.contains("<h1>Август 2025\u{202f}г.</h1>"),
        "CLDR's standalone form, capitalized"
    );
    assert!(
        month.contains("href=\"/ru/news/2025-08-29-qinghai/\""),
        "its articles as cards"
    );
    let kk = site.read("public/kk/archive/2025/08/index.html");
    assert!(
        kk.contains("<h1>2025\u{202f}ж. тамыз</h1>"),
        "Kazakh keeps CLDR's lower case"
    );
    assert!(
        kk.contains("hreflang=\"ru\" href=\"https://example.org/ru/archive/2025/08/\""),
        "the same month in the other language"
    );
    let year = site.read("public/kk/archive/2024/index.html");
    assert!(year.contains("href=\"/kk/news/2024-02-01-tourism/\""));
    for page in [
        "public/ru/index.html",
        "public/kk/news/2025-08-29-qinghai/index.html",
        "public/404.html",
    ] {
        assert!(site.read(page).contains("/archive/\""), "{page} links to the archive");
    }
}

#[test]
fn archive_pages_are_paginated_like_other_lists() {
    let site = Site::copy("good");
    site.write(
        "site.toml",
        &site.read("site.toml").replace("paginate_by = ", "paginate_by = 1 #"),
    );
    site.build();
    assert!(site.path("public/ru/archive/2025/08/index.html").exists());
    let year = site.read("public/kk/archive/2024/index.html");
    assert!(year.contains("/kk/archive/2024/page/2/"), "{year}");
    assert!(site.path("public/kk/archive/2024/page/2/index.html").exists());
}

#[test]
fn an_old_address_keeps_leading_to_its_article() {
    let site = Site::copy("good");
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(
        ru,
        &site.read(ru).replacen(
            "\n+++\n",
            "\naliases = [\"/ru/news/old-stem/\", \"/ru/old.html\"]\n+++\n",
            1,
        ),
    );
    site.build();
    let page = site.read("public/ru/news/old-stem/index.html");
    for part in [
        "<meta name=\"robots\" content=\"noindex\">",
        "<link rel=\"canonical\" href=\"https://example.org/ru/news/2025-08-29-qinghai/\">",
        "<meta http-equiv=\"refresh\" content=\"0; url=/ru/news/2025-08-29-qinghai/\">",
        "<a href=\"/ru/news/2025-08-29-qinghai/\">Алматы и Сычуань подписали &quot;дорожную карту&quot;</a>",
    ] {
        assert!(page.contains(part), "{part}: {page}");
    }
    assert!(site.path("public/ru/old.html").is_file());
    assert_eq!(
        site.read("public/nginx-redirects.map"),
        "\"/ru/news/old-stem/\" \"/ru/news/2025-08-29-qinghai/\";\n\"/ru/old.html\" \"/ru/news/2025-08-29-qinghai/\";\n"
    );
    let public = site.path("public");
    site.run(&["check", "--output", public.to_str().unwrap()]).success();
}

#[test]
fn an_alias_that_is_a_page_or_not_an_address_is_named_with_its_line() {
    let site = Site::copy("good");
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    let original = site.read(ru);
    site.write(
        ru,
        &original.replacen("\n+++\n", "\naliases = [\"/ru/cities/\"]\n+++\n", 1),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("2025-08-29-qinghai.ru.md:10: alias `/ru/cities/` is the address of a page of the site"),
        "{}",
        run.stderr()
    );
    site.write(
        ru,
        &original.replacen("\n+++\n", "\naliases = [\"ru/news/x\"]\n+++\n", 1),
    );
    let run = site.run(&["build"]);
    assert!(
        run.stderr()
            .contains("2025-08-29-qinghai.ru.md:10: alias `ru/news/x` must be an address on this site from its root"),
        "{}",
        run.stderr()
    );
    let kk = "content/news/2025/2025-08-29-qinghai.kk.md";
    site.write(ru, &original.replacen("\n+++\n", "\naliases = [\"/old/\"]\n+++\n", 1));
    site.write(
        kk,
        &site.read(kk).replacen("\n+++\n", "\naliases = [\"/old/\"]\n+++\n", 1),
    );
    let run = site.run(&["build"]);
    assert!(
        run.stderr().contains("alias `/old/` is an alias in"),
        "{}",
        run.stderr()
    );
    assert!(!site.path("public").exists(), "nothing half-written");
}

#[test]
fn a_renamed_city_keeps_its_old_pages_leading_to_the_new_ones() {
    let site = Site::copy("good");
    let shanghai = "content/cities/shanghai.toml";
    site.write(shanghai, &format!("aliases = [\"shanhai\"]\n{}", site.read(shanghai)));
    site.build();
    for lang in ["ru", "kk"] {
        let page = site.read(&format!("public/{lang}/cities/shanhai/index.html"));
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url=/{lang}/cities/shanghai/\">"
            )),
            "{page}"
        );
    }
    let map = site.read("public/nginx-redirects.map");
    assert!(
        map.contains("\"/kk/cities/shanhai/\" \"/kk/cities/shanghai/\";"),
        "{map}"
    );

    site.write(shanghai, &site.read(shanghai).replace("\"shanhai\"", "\"almaty\""));
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("shanghai.toml:1: alias `/ru/cities/almaty/` is the address of a page"),
        "{}",
        run.stderr()
    );
}

#[test]
fn new_page_kinds_work_beside_a_sites_own_older_templates() {
    // The bench's templates: a components.html of their own (no `cards`, no `paginator`), made
    // before the archive existed.
    let site = Site::copy("good");
    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/templates");
    crate::support::copy_dir(&bench, &site.path("templates"));
    site.build();
    let month = site.read("public/ru/archive/2025/08/index.html");
    assert!(month.contains("href=\"/ru/news/2025-08-29-qinghai/\""), "{month}");
}

#[test]
fn check_says_which_articles_wait_for_their_time() {
    let site = site_with_a_scheduled_article();
    let run = site
        .run_with(&["check"], &[("SOURCE_DATE_EPOCH", AUG_30_NOON)])
        .success();
    assert!(
        run.stderr().contains(
            "2025-09-10-later.ru.md: is scheduled for 2025-09-10T10:00:00+05:00: the first build at or after that time publishes it"
        ),
        "{}",
        run.stderr()
    );
    let run = site.run_with(&["check"], &[("SOURCE_DATE_EPOCH", SEP_10)]).success();
    assert!(!run.stderr().contains("is scheduled"), "{}", run.stderr());
}
