//! The template reference (`twinpress templates`) is read from the views the build hands each
//! template, so it cannot drift from the code: every variable it lists is described, no
//! description outlives its variable, and `docs/templates.md` is its Markdown for a site that
//! shows every kind of page (`TWINPRESS_BLESS=1` writes it anew).

use crate::support::Site;
use crate::templates::site_showing_every_component;

/// The `good` site with every template in use: photos, pages, old addresses, related articles,
/// the aggregator feeds.
fn reference_site() -> Site {
    let site = site_showing_every_component();
    let about = site.read("content/pages/about.ru.md").replacen(
        "title = \"О нас\"\n",
        "title = \"О нас\"\nmenu = 1\naliases = [\"/ru/o-nas.html\"]\n[extra]\nphone = \"+7 727 000 00 00\"\n",
        1,
    );
    site.write("content/pages/about.ru.md", &about);
    site.write(
        "content/pages/about.kk.md",
        "+++\ntitle = \"Біз туралы\"\nmenu = 1\n+++\nМәтін.\n",
    );
    // A partner on the map (a line to Almaty), and `[extra]` in an article and a city file.
    let uk = site.read("content/cities/united-kingdom.toml").replacen(
        "country = \"GB\"\n",
        "country = \"GB\"\ncoordinates = [51.5, -0.12]\n",
        1,
    );
    site.write("content/cities/united-kingdom.toml", &uk);
    let almaty = site.read("content/cities/almaty.toml");
    site.write(
        "content/cities/almaty.toml",
        &format!("{almaty}\n[extra]\nakim = \"Аким\"\n"),
    );
    let again = "content/news/2024/2024-12-01-uk-again.ru.md";
    let text = site
        .read(again)
        .replacen("+++\nТекст.", "[extra]\nevent = \"forum\"\n+++\nТекст.", 1);
    site.write(again, &text);
    site.write(
        "site.toml",
        &format!(
            "{}\n[extra]\nphone = \"+7 727 000 00 00\"\n\n[feeds]\nyandex = true\n",
            site.read("site.toml")
        ),
    );
    site
}

#[test]
fn every_variable_is_described_and_the_docs_are_the_commands_markdown() {
    let site = reference_site();
    let text = site.run(&["templates"]).success().stdout();
    assert!(text.contains("templates/page.html (built in; 2 pages)"), "{text}");
    assert!(
        text.contains("  page.content: string — The Markdown body as HTML"),
        "{text}"
    );
    assert!(
        text.contains("  card(a, level, first=false) — built in; called by components.html"),
        "{text}"
    );
    assert!(text.contains("  ui.all_tags = "), "every ui string is listed: {text}");
    let undescribed: Vec<&str> = text.lines().filter(|l| l.contains("(not described yet)")).collect();
    assert!(
        undescribed.is_empty(),
        "describe these in src/render/reference.rs, DESCRIPTIONS:\n{}",
        undescribed.join("\n")
    );
    let unused_templates: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("(no page of this site uses it"))
        .collect();
    assert!(
        unused_templates.is_empty(),
        "the reference site shows every template: {unused_templates:?}"
    );
    // Every description is of a variable some template has.
    let mut paths: Vec<(String, String)> = Vec::new();
    let mut template = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("templates/") {
            template = rest.split(' ').next().unwrap_or_default().to_string();
        } else if line.starts_with("  ") && line.contains(" — ") {
            if let Some(path) = line.trim().split(": ").next() {
                paths.push((template.clone(), path.to_string()));
            }
        }
    }
    let unused = twinpress::render::reference::unused(&paths);
    assert!(
        unused.is_empty(),
        "no variable has these descriptions any more: {unused:?}"
    );

    let markdown = site.run(&["templates", "--markdown"]).success().stdout();
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md");
    if std::env::var_os("TWINPRESS_BLESS").is_some() {
        std::fs::write(&docs, &markdown).unwrap();
    }
    let written = std::fs::read_to_string(&docs).unwrap_or_default();
    assert!(
        written == markdown,
        "docs/templates.md is not what `twinpress templates --markdown` makes of the reference site: \
         run `TWINPRESS_BLESS=1 cargo test --test testsuite reference` and commit it"
    );
}
