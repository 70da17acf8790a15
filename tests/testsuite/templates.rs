//! What a site's own templates may do to a build: no loop, however nested, keeps it busy for
//! ever (`[templates] loop_limit`, counted across a page's includes and components).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::support::{Run, Site};

/// Two nested loops of 100,000: ten billion turns, as a template developer's slip makes them.
pub(crate) const RUNAWAY: &str = r#"{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock %}
{% block main %}
{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}
{% endblock %}
"#;

/// `twinpress ARGS --root ROOT`, killed (and the test failed) if it runs past `limit`.
fn run_within(site: &Site, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_twinpress"))
        .args(args)
        .arg("--root")
        .arg(&site.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("twinpress {args:?} still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Run(child.wait_with_output().unwrap())
}

#[test]
fn a_runaway_loop_stops_the_build_with_the_template_the_loop_and_the_page() {
    let site = Site::copy("good");
    site.write("templates/article.html", RUNAWAY);
    let run = run_within(&site, &["build"], Duration::from_secs(60));
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let err = run.stderr();
    assert!(err.contains("with templates/article.html"), "{err}");
    assert!(err.contains("/news/"), "the page: {err}");
    assert!(
        err.contains("loops went round more than 10000000 times in all (`[templates] loop_limit` in site.toml)"),
        "{err}"
    );
    // The inner loop, by its line and column.
    assert!(err.contains("article.html:4:45"), "{err}");
    assert!(!site.path("public").exists(), "nothing was written");
}

#[test]
fn loops_in_components_count_toward_the_same_limit() {
    let site = Site::copy("good");
    // Each component call goes round 500 times, well under any limit; 500 calls of it, 250,000
    // turns in all, pass a limit of 100,000.
    site.write(
        "templates/article.html",
        r#"{% extends "base.html" %}
{% component spin() %}{% for j in range(end=500) %}{% endfor %}{% endcomponent spin %}
{% block title %}{{ page.title }}{% endblock %}
{% block main %}
{% for i in range(end=500) %}{{ <spin/> }}{% endfor %}
{% endblock %}
"#,
    );
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}\n[templates]\nloop_limit = 100000\n"));
    let run = run_within(&site, &["build"], Duration::from_secs(60));
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("more than 100000 times"), "{}", run.stderr());
    // The same page within the limit builds.
    site.write("site.toml", &format!("{toml}\n[templates]\nloop_limit = 1000000\n"));
    run_within(&site, &["build"], Duration::from_secs(60)).success();
}

#[test]
fn a_loop_limit_too_small_for_any_page_is_refused_on_its_line() {
    let site = Site::copy("good");
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}\n[templates]\nloop_limit = 10\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 1);
    let line = toml.lines().count() + 3;
    assert!(
        run.stderr().contains(&format!(
            "site.toml:{line}: [templates] loop_limit must be at least 1000"
        )),
        "{}",
        run.stderr()
    );
}

#[test]
fn extra_tables_reach_the_templates() {
    let site = Site::copy("good");
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}\n[extra]\nphone = \"+7 727 000 00 00\"\n"));
    let city = "content/cities/almaty-region.toml";
    site.write(
        city,
        &format!("{}\n[extra]\nakim = \"Аким области\"\n", site.read(city)),
    );
    site.write(
        "templates/city.html",
        r#"{% extends "base.html" %}
{% block title %}{{ city.name }}{% endblock title %}
{% block main %}
<p id="phone">{{ site.extra.phone }}</p>
<p id="akim">{{ city.extra.akim or "" }}</p>
{% endblock main %}
"#,
    );
    site.build();
    let page = site.read("public/ru/cities/almaty-region/index.html");
    assert!(page.contains(r#"<p id="phone">+7 727 000 00 00</p>"#), "{page}");
    assert!(page.contains(r#"<p id="akim">Аким области</p>"#), "{page}");
    // A city without `[extra]` has an empty one.
    let other = site.read("public/ru/cities/almaty/index.html");
    assert!(other.contains(r#"<p id="akim"></p>"#), "{other}");
}

/// Each built-in component and the pages that show it, in the `good` site with photos on an
/// article and a page, and a second article of one partnership (so its articles show related ones).
const SHOWN_ON: &[(&str, &[&str])] = &[
    (
        "city_links",
        &[
            "ru/index.html",
            "ru/news/2024-11-12-uk/index.html",
            "ru/cities/almaty/index.html",
            "ru/tags/obrazovanie/index.html",
            "ru/archive/2025/08/index.html",
        ],
    ),
    (
        "card",
        &[
            "ru/index.html",
            "ru/cities/almaty/index.html",
            "ru/tags/obrazovanie/index.html",
            "ru/archive/2025/08/index.html",
            "ru/news/2024-11-12-uk/index.html",
        ],
    ),
    (
        "cards",
        &[
            "ru/index.html",
            "ru/cities/almaty/index.html",
            "ru/tags/obrazovanie/index.html",
            "ru/archive/2025/08/index.html",
            "ru/news/2024-11-12-uk/index.html",
        ],
    ),
    (
        "paginator",
        &[
            "ru/index.html",
            "ru/cities/almaty/index.html",
            "ru/tags/obrazovanie/index.html",
            "ru/archive/2025/08/index.html",
        ],
    ),
    (
        "lead_photo",
        &["ru/news/2025-08-29-qinghai/index.html", "ru/about/index.html"],
    ),
    (
        "gallery",
        &["ru/news/2025-08-29-qinghai/index.html", "ru/about/index.html"],
    ),
];

/// The `good` site with what makes every built-in component show.
pub(crate) fn site_showing_every_component() -> Site {
    use twinpress::photos::fixture;
    let site = Site::copy("good");
    let news = site.path("content/news/2025");
    std::fs::write(news.join("q-1.jpg"), fixture::jpeg(1200, 800, 1, 1)).unwrap();
    std::fs::write(news.join("q-2.jpg"), fixture::jpeg(1200, 800, 1, 2)).unwrap();
    let qinghai = "content/news/2025/2025-08-29-qinghai.ru.md";
    let text = site.read(qinghai).replacen(
        "photo_credit = \"gov.kz\"\n",
        "photo_credit = \"gov.kz\"\n[[photos]]\nfile = \"q-1.jpg\"\nalt = \"Первое\"\n[[photos]]\nfile = \"q-2.jpg\"\nalt = \"Второе\"\n",
        1,
    );
    site.write(qinghai, &text);
    site.write(
        "content/news/2024/2024-12-01-uk-again.ru.md",
        "+++\ntitle = \"Снова Великобритания\"\ndate = 2024-12-01\nregion = \"almaty\"\npartners = [\"united-kingdom\"]\n+++\nТекст.\n",
    );
    std::fs::create_dir_all(site.path("content/pages")).unwrap();
    std::fs::write(site.path("content/pages/a-1.jpg"), fixture::jpeg(1200, 800, 1, 3)).unwrap();
    std::fs::write(site.path("content/pages/a-2.jpg"), fixture::jpeg(1200, 800, 1, 4)).unwrap();
    site.write(
        "content/pages/about.ru.md",
        "+++\ntitle = \"О нас\"\n[[photos]]\nfile = \"a-1.jpg\"\nalt = \"Один\"\n[[photos]]\nfile = \"a-2.jpg\"\nalt = \"Два\"\n+++\nТекст.\n",
    );
    site
}

#[test]
fn every_built_in_component_is_overridden_by_its_name_on_every_page_that_shows_it() {
    use twinpress::render::components::{definitions, BUILT_IN};
    let built_in = definitions(BUILT_IN);
    let names: Vec<&str> = built_in.iter().map(|d| d.name).collect();
    let listed: Vec<&str> = SHOWN_ON.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, listed, "every built-in component has its pages listed here");
    let site = site_showing_every_component();
    site.build();
    for (_, pages) in SHOWN_ON {
        for page in *pages {
            assert!(
                !site.read(&format!("public/{page}")).contains("data-own="),
                "{page} before any override"
            );
        }
    }
    for d in &built_in {
        // The site's own components.html defines this one component only, as a marker.
        site.write(
            "templates/components.html",
            &format!(
                "{{% component {}({}) %}}<i data-own=\"{}\"></i>{{% endcomponent {} %}}",
                d.name, d.params, d.name, d.name
            ),
        );
        site.build();
        let (_, pages) = SHOWN_ON.iter().find(|(n, _)| *n == d.name).unwrap();
        for page in *pages {
            let html = site.read(&format!("public/{page}"));
            assert!(
                html.contains(&format!("<i data-own=\"{}\"></i>", d.name)),
                "{}: the site's own definition is not on {page}",
                d.name
            );
        }
    }
}

#[test]
fn a_custom_card_reaches_the_partners_country_and_writes_dates_in_the_pages_language() {
    let site = Site::copy("good");
    site.write(
        "templates/components.html",
        r#"{% component card(a, level, first=false, @site) %}<li class="own-card">{{ a.date_iso | date(format="d.MM.y") }} · {% for p in a.partners %}{{ site.cities[p.key].name }} ({{ site.cities[p.key].country_name }}, {{ site.cities[p.key].kind_label }}){% endfor %}</li>{% endcomponent card %}"#,
    );
    site.build();
    let home = site.read("public/ru/index.html");
    assert!(
        home.contains(r#"<li class="own-card">12.11.2024 · Великобритания (Великобритания, страна)</li>"#),
        "{home}"
    );
    let kk = site.read("public/kk/index.html");
    assert!(kk.contains("<li class=\"own-card\">"), "{kk}");
}
