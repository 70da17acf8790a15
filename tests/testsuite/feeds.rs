//! RSS feeds, read back with a real feed parser (feed-rs) and an XML parser.

use crate::support::Site;

fn parse(site: &Site, rel: &str) -> feed_rs::model::Feed {
    let xml = site.read(rel);
    feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{rel} does not parse: {e}\n{xml}"))
}

#[test]
fn language_feed_parses_with_absolute_links_dates_and_content() {
    let site = Site::copy("good");
    site.build();
    let feed = parse(&site, "public/ru/rss.xml");
    assert_eq!(feed.title.unwrap().content, "Города-побратимы");
    assert_eq!(feed.entries.len(), 2, "feed_limit = 2");
    let first = &feed.entries[0];
    assert_eq!(
        first.title.as_ref().unwrap().content,
        "Алматы и Сычуань подписали \"дорожную карту\""
    );
    assert_eq!(first.links[0].href, "https://example.org/ru/news/2025-08-29-qinghai/");
    // Midnight in Almaty (UTC+5 in 2025) is 19:00 UTC the day before.
    assert_eq!(first.published.unwrap().to_rfc3339(), "2025-08-28T19:00:00+00:00");
    let html = first.summary.as_ref().unwrap().content.clone();
    assert!(
        html.contains("<table>") && html.contains("<h2 id=\"itogi\">"),
        "full HTML, unescaped by the parser: {html}"
    );
    let cats: Vec<_> = first.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(cats, ["образование", "сельское хозяйство"], "the tag's common spelling");
}

#[test]
fn feeds_have_a_self_link_and_rfc822_dates_with_offsets() {
    let site = Site::copy("good");
    site.build();
    let xml = site.read("public/kk/cities/almaty-region/rss.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let self_link = doc
        .descendants()
        .find(|n| n.tag_name().name() == "link" && n.attribute("rel") == Some("self"))
        .expect("atom:link rel=self");
    assert_eq!(
        self_link.attribute("href"),
        Some("https://example.org/kk/cities/almaty-region/rss.xml")
    );
    let date = doc
        .descendants()
        .find(|n| n.has_tag_name("pubDate"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(
        date, "Tue, 26 Mar 2024 10:30:00 +0500",
        "a date-time keeps its own offset"
    );
    let xml = site.read("public/kk/cities/shanghai/rss.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let dates: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("pubDate"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        dates.contains(&"Thu, 1 Feb 2024 00:00:00 +0600"),
        "a date alone is midnight in Almaty, which was UTC+6 until March 2024: {dates:?}"
    );
    parse(&site, "public/kk/cities/almaty-region/rss.xml");
}

#[test]
fn the_site_time_zone_gives_dates_their_offset() {
    let site = Site::copy("good");
    site.write(
        "site.toml",
        &format!("timezone = \"Europe/London\"\n{}", site.read("site.toml")),
    );
    site.build();
    let page = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    assert!(page.contains("<time datetime=\"2025-08-29T00:00:00+01:00\">"), "{page}");
    let feed = parse(&site, "public/ru/rss.xml");
    assert_eq!(
        feed.entries[0].published.unwrap().to_rfc3339(),
        "2025-08-28T23:00:00+00:00"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2025-08-29T00:00:00+01:00</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn city_and_tag_feeds_hold_their_own_articles() {
    let site = Site::copy("good");
    site.build();
    let feed = parse(&site, "public/ru/cities/united-kingdom/rss.xml");
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(
        feed.entries[0].links[0].href,
        "https://example.org/ru/news/2024-11-12-uk/"
    );
    let feed = parse(&site, "public/kk/tags/bilim/rss.xml");
    assert_eq!(feed.entries.len(), 2);
    let empty = parse(&site, "public/ru/cities/almaty-region/rss.xml");
    assert!(
        empty.entries.is_empty(),
        "a city with no Russian articles has an empty, valid feed"
    );
}

#[test]
fn aggregator_feeds_carry_the_full_text_when_switched_on() {
    let site = Site::copy("good");
    site.build();
    assert!(!site.path("public/ru/yandex.xml").exists(), "off unless site.toml asks");

    site.write(
        "site.toml",
        &format!("{}\n[feeds]\nyandex = true\n", site.read("site.toml")),
    );
    site.build();
    let xml = site.read("public/ru/yandex.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let yandex = "http://news.yandex.ru";
    let items: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("item")).collect();
    assert_eq!(items.len(), 2, "feed_limit = 2");
    for item in &items {
        let guid = item.children().find(|n| n.has_tag_name("guid")).and_then(|n| n.text());
        assert!(
            guid.is_some_and(|g| g.starts_with("https://example.org/ru/news/")),
            "{guid:?}"
        );
        let genre = item.children().find(|n| n.has_tag_name((yandex, "genre")));
        assert_eq!(genre.and_then(|n| n.text()), Some("message"));
    }
    let full = items[0]
        .children()
        .find(|n| n.has_tag_name((yandex, "full-text")))
        .and_then(|n| n.text())
        .unwrap();
    assert!(full.starts_with("Первый абзац со «словами» и ссылкой."), "{full}");
    assert!(full.contains("Показатель Значение"), "table cells apart: {full}");
    assert!(!full.contains('<'), "plain text: {full}");
    assert!(full.contains("\n\n"), "paragraphs kept apart");
    parse(&site, "public/ru/yandex.xml");
    let public = site.path("public");
    site.run(&["check", "--output", public.to_str().unwrap()]).success();
}

#[test]
fn feeds_stay_within_google_news_limits() {
    let site = Site::copy("good");
    site.write(
        "site.toml",
        &site.read("site.toml").replace("feed_limit = 2", "feed_limit = 10"),
    );
    let paragraph = "Длинный абзац о сотрудничестве городов-побратимов. ".repeat(40) + "\n\n";
    // Five articles of ~600 kB (150 paragraphs of ~4 kB), and one of ~1.2 MB, the newest.
    for (day, paragraphs) in [(1, 150), (2, 150), (3, 150), (4, 150), (5, 150), (6, 300)] {
        site.write(
            &format!("content/news/2026/2026-03-0{day}-long.ru.md"),
            &format!(
                "+++\ntitle = \"Длинная {day}\"\ndate = 2026-03-0{day}\nregion = \"almaty\"\npartners = [\"shanghai\"]\nsummary = \"Кратко {day}.\"\n+++\n\n{}",
                paragraph.repeat(paragraphs)
            ),
        );
    }
    site.build();
    let xml = site.read("public/ru/rss.xml");
    assert!(xml.len() <= 2_000_000, "the feed is {} bytes", xml.len());
    let feed = parse(&site, "public/ru/rss.xml");
    assert!(
        feed.entries.len() >= 2 && feed.entries.len() < 6,
        "the oldest give way: {} items",
        feed.entries.len()
    );
    let newest = &feed.entries[0];
    assert_eq!(newest.title.as_ref().unwrap().content, "Длинная 6");
    let description = &newest.summary.as_ref().unwrap().content;
    assert!(
        description == "Кратко 6.",
        "an article over 1 MB goes as its summary, not {} bytes",
        description.len()
    );
    assert!(
        site.read("public/ru/news/2026-03-06-long/index.html").len() > 1_000_000,
        "the page keeps it whole"
    );
}

#[test]
fn a_feed_names_its_languages_stylesheet_and_the_menu_leads_to_a_page_with_every_feed() {
    let site = Site::copy("good");
    site.build();
    for lang in ["ru", "kk"] {
        let xml = site.read(&format!("public/{lang}/rss.xml"));
        // Before the root element, as the XML stylesheet PI must be; still a feed to a parser.
        let (prolog, _) = xml.split_once("<rss").unwrap();
        assert!(
            prolog.contains(&format!(
                "<?xml-stylesheet href=\"/{lang}/feed.css\" type=\"text/css\"?>"
            )),
            "{prolog}"
        );
        parse(&site, &format!("public/{lang}/rss.xml"));
        let city = site.read(&format!("public/{lang}/cities/almaty/rss.xml"));
        assert!(city.contains(&format!("href=\"/{lang}/feed.css\"")), "city feeds too");
        let css = site.read(&format!("public/{lang}/feed.css"));
        assert!(css.contains(&format!("https://example.org/{lang}/subscribe/")), "{css}");
    }
    assert!(site.read("public/ru/feed.css").contains("content: \"Это RSS-лента"));
    assert!(site.read("public/kk/feed.css").contains("content: \"Бұл — жаңалық"));
    // The menu: the page on subscribing, not the XML.
    let home = site.read("public/ru/index.html");
    let nav = home
        .split("class=\"wrap main-nav\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    assert!(nav.contains("<a href=\"/ru/subscribe/\">Подписка</a>"), "{nav}");
    assert!(!nav.contains("rss.xml"), "{nav}");
    // Every feed of a city or tag with articles, each address a feed of the site.
    let page = site.read("public/ru/subscribe/index.html");
    assert!(
        page.contains("value=\"https://example.org/ru/rss.xml\""),
        "the site's feed to copy"
    );
    let addresses: Vec<&str> = page
        .split("class=\"feed-address\" href=\"https://example.org/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(
        addresses.contains(&"ru/cities/almaty/rss.xml") && addresses.contains(&"ru/tags/obrazovanie/rss.xml"),
        "{addresses:?}"
    );
    for a in &addresses {
        parse(&site, &format!("public/{a}"));
    }
    assert!(
        !addresses.contains(&"ru/cities/almaty-region/rss.xml"),
        "the region has no Russian article: {addresses:?}"
    );
}
