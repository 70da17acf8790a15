//! Structured data (JSON-LD) as search engines read it: parsed out of the built pages and held to
//! the fields Google's documentation for `Article`/`NewsArticle` and for the site's name asks
//! for; a hostile title stays inside its script.

use serde_json::Value;

use crate::support::Site;

/// The JSON-LD blocks of `html`, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            let end = rest.find("</script>").expect("the script ends");
            serde_json::from_str(&rest[..end]).unwrap_or_else(|e| panic!("valid JSON: {e}: {}", &rest[..end]))
        })
        .collect()
}

/// An ISO 8601 date-time with an offset, as Google wants `datePublished` and `dateModified`.
fn is_datetime_with_offset(v: &Value) -> bool {
    v.as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()).is_some()
}

#[test]
fn article_pages_carry_a_news_article_with_what_google_asks_for() {
    let site = Site::copy("good");
    site.build();
    let ru = json_ld(&site.read("public/ru/news/2025-08-29-qinghai/index.html"));
    assert_eq!(ru.len(), 1, "one block");
    let a = &ru[0];
    assert_eq!(a["@context"], "https://schema.org");
    assert_eq!(a["@type"], "NewsArticle");
    assert_eq!(a["headline"], "Алматы и Сычуань подписали \"дорожную карту\"");
    assert_eq!(a["inLanguage"], "ru");
    assert_eq!(a["datePublished"], "2025-08-29T00:00:00+05:00");
    assert!(is_datetime_with_offset(&a["dateModified"]), "{}", a["dateModified"]);
    let url = "https://example.org/ru/news/2025-08-29-qinghai/";
    assert_eq!(a["mainEntityOfPage"]["@id"], url);
    assert_eq!(a["url"], url);
    for who in ["author", "publisher"] {
        assert_eq!(a[who]["@type"], "Organization", "{who}");
        assert!(
            a[who]["name"].as_str().is_some_and(|n| !n.is_empty()),
            "{who} has a name"
        );
        assert_eq!(a[who]["url"], "https://example.org/", "{who}");
    }
    assert_eq!(a["publisher"]["logo"]["url"], "https://example.org/favicon.svg");
    assert!(
        a["description"].as_str().is_some_and(|d| d.starts_with("Первый абзац")),
        "{}",
        a["description"]
    );
    // The places: the region, then the partners, from the registry, with coordinates where known.
    let places = a["spatialCoverage"].as_array().unwrap();
    let names: Vec<&str> = places.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Алматы", "Провинция Сычуань", "Шанхай"]);
    assert_eq!(places[0]["geo"]["@type"], "GeoCoordinates");
    assert_eq!(places[0]["geo"]["latitude"], 43.24);
    assert_eq!(places[0]["geo"]["longitude"], 76.89);
    assert_eq!(places[1].get("geo"), None, "no coordinates, no geo");

    // The default language's version (ru here) is the original; the other its translation.
    let kk = &json_ld(&site.read("public/kk/news/2025-08-29-qinghai/index.html"))[0];
    assert_eq!(kk["inLanguage"], "kk");
    assert_eq!(kk["translationOfWork"]["@id"], url);
    let kk_url = "https://example.org/kk/news/2025-08-29-qinghai/";
    assert_eq!(a["workTranslation"][0]["@id"], kk_url);
    assert_eq!(a["workTranslation"][0]["inLanguage"], "kk");
    assert_eq!(a.get("translationOfWork"), None);
}

#[test]
fn home_pages_name_the_site_and_its_publisher() {
    let site = Site::copy("good");
    site.build();
    let home = &json_ld(&site.read("public/ru/index.html"))[0];
    let graph = home["@graph"].as_array().unwrap();
    let website = graph.iter().find(|n| n["@type"] == "WebSite").expect("WebSite");
    let org = graph
        .iter()
        .find(|n| n["@type"] == "Organization")
        .expect("Organization");
    assert_eq!(website["url"], "https://example.org/ru/");
    assert_eq!(website["inLanguage"], "ru");
    assert_eq!(website["publisher"]["@id"], org["@id"]);
    assert_eq!(website["name"], org["name"]);
    assert!(org["logo"]["url"].as_str().is_some_and(|u| u.starts_with("https://")));
    assert!(
        json_ld(&site.read("public/ru/cities/index.html")).is_empty(),
        "lists other than the home page carry none"
    );
}

#[test]
fn a_hostile_title_stays_inside_its_script() {
    let site = Site::copy("good");
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    let hostile = r#"</script><script>alert(1)</script> <!-- & \u2028"#;
    site.write(
        ru,
        &site.read(ru).replace(
            "Алматы и Сычуань подписали \\\"дорожную карту\\\"",
            &hostile.replace('\\', "\\\\"),
        ),
    );
    site.build();
    let html = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    assert!(!html.contains("<script>alert(1)"), "no script of the title's own");
    let a = &json_ld(&html)[0];
    assert_eq!(a["headline"], hostile);
}
