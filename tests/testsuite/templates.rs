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
