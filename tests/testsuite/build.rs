//! The good bilingual fixture site: every page of CONTENT.md, translations, cities, tags, dates.

use crate::support::{files, main_of, Site};

#[test]
fn writes_every_contract_page_in_both_languages() {
    let site = Site::copy("good");
    let run = site.build();
    assert!(run.stdout().contains("kk: "), "{}", run.stdout());
    let out = files(&site.path("public"));
    for lang in ["kk", "ru"] {
        for page in [
            "index.html",
            "cities/index.html",
            "cities/almaty/index.html",
            "cities/almaty/rss.xml",
            "cities/sichuan/index.html",
            "tags/index.html",
            "rss.xml",
        ] {
            let p = format!("{lang}/{page}");
            assert!(out.contains(&p), "missing {p} in {out:#?}");
        }
    }
    for p in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "style.css",
        "ru/news/2025-08-29-qinghai/index.html",
        "kk/news/2025-08-29-qinghai/index.html",
        "ru/news/2024-11-12-uk/index.html",
        "kk/news/2024-03-26-kk-only/index.html",
        "ru/tags/obrazovanie/index.html",
        "ru/tags/obrazovanie/rss.xml",
        "ru/tags/selskoe-khozyaystvo/index.html",
        "kk/tags/auyl-sharuashylygy/index.html",
        "kk/tags/madeniet/index.html",
    ] {
        assert!(out.contains(&p.to_string()), "missing {p}");
    }
    // paginate_by = 2: three Kazakh articles make two home pages, two Russian ones one.
    assert!(out.contains(&"kk/page/2/index.html".to_string()));
    assert!(!out.contains(&"ru/page/2/index.html".to_string()));
    assert!(!out.iter().any(|p| p.contains("draft")), "drafts are left out");
    assert!(!out.iter().any(|p| p.contains(".swp") || p.contains("DS_Store")));
}

#[test]
fn drafts_are_built_with_the_flag() {
    let site = Site::copy("good");
    site.run(&["build", "--drafts"]).success();
    assert!(site.path("public/ru/news/2024-01-10-draft/index.html").exists());
}

#[test]
fn switcher_leads_to_the_translation_or_to_a_notice() {
    let site = Site::copy("good");
    site.build();
    let ru = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    assert!(
        ru.contains(r#"<a href="/kk/news/2025-08-29-qinghai/" hreflang="kk" lang="kk">"#),
        "{ru}"
    );
    assert!(
        ru.contains(r#"<link rel="alternate" hreflang="kk" href="https://example.org/kk/news/2025-08-29-qinghai/">"#)
    );
    assert!(ru.contains(r#"<html lang="ru">"#));
    let only_ru = site.read("public/ru/news/2024-11-12-uk/index.html");
    assert!(
        only_ru.contains(r#"<a class="missing" href="/kk/#no-translation" hreflang="kk" lang="kk" rel="nofollow">"#),
        "{only_ru}"
    );
    assert!(
        !only_ru.contains(r#"hreflang="kk" href="#),
        "no hreflang to a page that does not exist"
    );
    let kk_home = site.read("public/kk/index.html");
    assert!(
        kk_home.contains(r#"id="no-translation""#),
        "the target of the notice link is on the home page"
    );
    // Tags follow their counterparts; cities always exist in both languages.
    let tag = site.read("public/ru/tags/obrazovanie/index.html");
    assert!(tag.contains(r#"href="/kk/tags/bilim/" hreflang="kk""#), "{tag}");
    let city = site.read("public/kk/cities/almaty/index.html");
    assert!(city.contains(r#"href="/ru/cities/almaty/" hreflang="ru""#));
}

#[test]
fn dates_and_counts_follow_each_language() {
    let site = Site::copy("good");
    site.build();
    let ru = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    // A date alone is midnight in the site's time zone (Asia/Almaty: UTC+5 since March 2024).
    assert!(ru.contains("<time datetime=\"2025-08-29T00:00:00+05:00\">29 августа 2025\u{202f}г.</time>"));
    let kk = site.read("public/kk/news/2025-08-29-qinghai/index.html");
    assert!(
        kk.contains("<time datetime=\"2025-08-29T00:00:00+05:00\">2025\u{202f}ж. 29 тамыз</time>"),
        "{kk}"
    );
    let tags = site.read("public/kk/tags/index.html");
    assert!(
        tags.contains("білім</a> <span class=\"count\">2 мақала</span>"),
        "{tags}"
    );
    let tags = site.read("public/ru/tags/index.html");
    assert!(
        tags.contains("образование</a> <span class=\"count\">2 статьи</span>"),
        "{tags}"
    );
    assert!(
        tags.contains("сельское хозяйство</a> <span class=\"count\">1 статья</span>"),
        "{tags}"
    );
}

#[test]
fn markdown_gets_language_quotes_tables_footnotes_and_ids() {
    let site = Site::copy("good");
    site.build();
    let html = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    let main = main_of(&html);
    assert!(main.contains("со «словами»"), "{main}");
    assert!(main.contains(r#"<h2 id="itogi">Итоги</h2>"#));
    assert!(main.contains("<table>"));
    assert!(main.contains("<del>зачёркнутое</del>"));
    // The footnote at the end, with links both ways.
    assert!(
        main.contains(r##"<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" role="doc-noteref">1</a></sup>"##),
        "{main}"
    );
    assert!(
        main.contains(r##"<li id="fn-1">"##) && main.contains(r##"<a href="#fnref-1" class="footnote-back""##),
        "{main}"
    );
    assert!(main.contains(r#"<a href="/ru/cities/almaty/">ссылкой</a>"#));
    // Front matter quotes are escaped, not markup.
    assert!(
        html.contains("<h1>Алматы и Сычуань подписали &quot;дорожную карту&quot;</h1>"),
        "{html}"
    );
}

#[test]
fn cities_are_grouped_by_country_with_derived_partners_and_agreements() {
    let site = Site::copy("good");
    site.build();
    let list = site.read("public/ru/cities/index.html");
    let main = main_of(&list);
    let heading = |country: &str| {
        main.find(&format!("<h2>{country}</h2>"))
            .unwrap_or_else(|| panic!("{country} is a heading: {main}"))
    };
    let (gb, kz, cn) = (heading("Великобритания"), heading("Казахстан"), heading("Китай"));
    assert!(
        gb < kz && kz < cn,
        "countries in Russian alphabetical order (В, Ка, Ки)"
    );
    let city = site.read("public/ru/cities/almaty/index.html");
    let main = main_of(&city);
    // Partners come from articles (Shanghai, UK) and agreements (Sichuan).
    for name in ["Провинция Сычуань", "Шанхай", "Великобритания"] {
        assert!(main.contains(name), "{name} missing in {main}");
    }
    assert!(
        main.contains("<time datetime=\"2021-05-06\">6 мая 2021\u{202f}г.</time> — Меморандум о сотрудничестве"),
        "{main}"
    );
    assert!(main.contains("Город <strong>яблок</strong>."));
    // An agreement written in Sichuan's file shows on Almaty Region's page too, by year.
    let region = site.read("public/ru/cities/almaty-region/index.html");
    assert!(
        region.contains(r#"<time datetime="2017">2017</time> — Соглашение о побратимстве"#),
        "{region}"
    );
}

#[test]
fn lists_are_newest_first_and_paginated() {
    let site = Site::copy("good");
    site.build();
    let home = site.read("public/kk/index.html");
    let a = home.find("/kk/news/2025-08-29-qinghai/").unwrap();
    let b = home.find("/kk/news/2024-03-26-kk-only/").unwrap();
    assert!(a < b);
    assert!(home.contains(r#"<a href="/kk/page/2/" rel="next">"#), "{home}");
    let page2 = site.read("public/kk/page/2/index.html");
    assert!(page2.contains(r#"<a href="/kk/" rel="prev">"#));
}

#[test]
fn sitemap_has_hreflang_alternates_and_robots_points_to_it() {
    let site = Site::copy("good");
    site.build();
    let xml = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the sitemap is well-formed XML");
    let urls: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
    assert!(urls.len() >= 20, "{}", urls.len());
    let article = urls
        .iter()
        .find(|u| {
            u.descendants()
                .any(|n| n.has_tag_name("loc") && n.text() == Some("https://example.org/ru/news/2025-08-29-qinghai/"))
        })
        .expect("the article is in the sitemap");
    let langs: Vec<_> = article.descendants().filter_map(|n| n.attribute("hreflang")).collect();
    assert_eq!(langs, ["ru", "kk"], "the default language first");
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn root_pages_speak_both_languages() {
    let site = Site::copy("good");
    site.build();
    let index = site.read("public/index.html");
    assert!(index.contains(r#"<a href="/ru/" hreflang="ru">Русский</a>"#), "{index}");
    assert!(index.contains(r#"<a href="/kk/" hreflang="kk">Қазақша</a>"#));
    let not_found = site.read("public/404.html");
    assert!(not_found.contains("Страница не найдена") && not_found.contains("Бет табылмады"));
    assert!(not_found.contains(r#"<section class="not-found" lang="kk">"#));
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = Site::copy("good");
    site.run(&["build", "--base-url", "https://example.org/portal"])
        .success();
    let html = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    assert!(
        html.contains(r#"href="/portal/style.css?v="#),
        "linked with its version"
    );
    assert!(html.contains(r#"<a href="/portal/ru/cities/almaty/">ссылкой</a>"#));
    assert!(html.contains(r#"<link rel="canonical" href="https://example.org/portal/ru/news/2025-08-29-qinghai/">"#));
    assert!(!html.contains(r#"href="/ru/"#), "no link escapes the subpath");
}

#[test]
fn article_page_main_snapshot() {
    let site = Site::copy("good");
    site.build();
    let html = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    insta::assert_snapshot!(main_of(&html));
}

#[test]
fn city_page_main_snapshot() {
    let site = Site::copy("good");
    site.build();
    let html = site.read("public/kk/cities/almaty/index.html");
    insta::assert_snapshot!(main_of(&html));
}
