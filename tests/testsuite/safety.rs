//! Hostile front matter: every value is escaped wherever it appears, so no page, feed or
//! sitemap breaks; raw HTML in a Markdown body is kept where the site allows it
//! (`[markdown] raw_html = true`: its editors are all trusted; off, it is an error, see
//! `invalid::raw_html`).

use crate::support::Site;

const TITLE: &str = r#"<script>alert("x")</script> & ]]> "quoted" 'single' </title>"#;

fn hostile() -> Site {
    let site = Site::copy("good");
    site.write(
        "site.toml",
        &format!("{}\n[markdown]\nraw_html = true\n", site.read("site.toml")),
    );
    let title = TITLE.replace('\\', "\\\\").replace('"', "\\\"");
    site.write(
        "content/news/2025/2025-09-01-hostile.ru.md",
        &format!(
            "+++\ntitle = \"{title}\"\ndate = 2025-09-01\nregion = \"almaty\"\npartners = [\"shanghai\"]\n\
             tags = [\"<b>тег</b> & ]]>\"]\nsummary = \"</p><script>bad()</script>\"\nsource = \"A & B <i>\"\n\
             source_url = \"https://example.kz/?a=1&b=\\\"2\\\"\"\nphoto_credit = \"<img src=x onerror=y>\"\n+++\n\
             Текст с <span class=\"raw\">сырым HTML</span> и ]]> внутри.\n"
        ),
    );
    site
}

#[test]
fn values_are_escaped_in_html_and_attributes() {
    let site = hostile();
    site.build();
    let page = site.read("public/ru/news/2025-09-01-hostile/index.html");
    assert!(!page.contains("<script>alert"), "the title is never markup");
    assert!(page.contains("<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt; &quot;quoted&quot; &#39;single&#39; &lt;/title&gt;</h1>"));
    assert!(page.contains("<title>&lt;script&gt;alert"), "{page}");
    assert!(page.contains(r#"<meta property="og:title" content="&lt;script&gt;alert(&quot;x&quot;)"#));
    assert!(page.contains(r#"<meta name="description" content="&lt;/p&gt;&lt;script&gt;bad()&lt;/script&gt;">"#));
    assert!(
        page.contains(r#"href="https://example.kz/?a=1&amp;b=&quot;2&quot;""#),
        "attribute values stay inside their quotes"
    );
    assert!(page.contains("A &amp; B &lt;i&gt;") && !page.contains("<img src=x onerror=y>"));
    assert!(
        page.contains(r#"<span class="raw">сырым <span lang="en">HTML</span></span>"#),
        "raw HTML in the body is kept"
    );
    let home = site.read("public/ru/index.html");
    assert!(!home.contains("<script>alert") && !home.contains("<script>bad"));
    let tags = site.read("public/ru/tags/index.html");
    assert!(tags.contains("&lt;b&gt;тег&lt;/b&gt; &amp; ]]&gt;"), "{tags}");
}

#[test]
fn feeds_and_sitemap_stay_well_formed() {
    let site = hostile();
    site.build();
    for feed in [
        "public/ru/rss.xml",
        "public/ru/cities/almaty/rss.xml",
        "public/ru/tags/b-teg-b/rss.xml",
    ] {
        let xml = site.read(feed);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let parsed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
        let item = parsed
            .entries
            .iter()
            .find(|e| e.links[0].href.contains("hostile"))
            .expect("the item");
        assert_eq!(
            item.title.as_ref().unwrap().content,
            TITLE,
            "{feed}: the title survives exactly"
        );
        assert!(
            item.summary.as_ref().unwrap().content.contains("]]&gt; внутри"),
            "{feed}: the body HTML, unescaped once by the parser"
        );
    }
    roxmltree::Document::parse(&site.read("public/sitemap.xml")).unwrap();
    let check = site.run(&["check", "--output", site.path("public").to_str().unwrap()]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
}
