//! The template API as it is: for each template, the variables its pages receive, read from the
//! views the build hands it (so the list cannot drift from the code), each with what it is
//! ([`DESCRIPTIONS`]; a test keeps the two in step), and the components a site may define again.
//! `twinpress templates` prints it; `docs/templates.md` is its Markdown.

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::Value;

use super::components::{definitions, BUILT_IN};
use super::pages::{Format, KINDS};
use super::Renderer;

/// How many pages of a kind are read for its variables (a field missing on one page, an empty
/// list on another, shows on the next).
const SAMPLED: usize = 60;

/// Maps whose keys are the site's own (a city key, a string's name, anything in `[extra]`):
/// listed as `{key}`.
const KEYED: &[&str] = &[
    "ui",
    "languages[].ui",
    "site.cities",
    "site.assets",
    "site.extra",
    "article.extra",
    "page.extra",
    "city.extra",
];

/// One template and what it receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRef {
    pub name: &'static str,
    /// How many pages of the site are rendered with it.
    pub pages: usize,
    /// Each variable's path (`article.partners[].name`) and JSON type(s).
    pub variables: BTreeMap<String, String>,
}

/// Every template of the site's page kinds with the variables of its pages (those with no page
/// in this site have none listed).
pub fn templates(r: &Renderer) -> Result<Vec<TemplateRef>> {
    let pages = r.pages();
    let mut out: Vec<TemplateRef> = Vec::new();
    for (index, kind) in KINDS.iter().enumerate() {
        if !matches!(kind.format(), Format::Template | Format::Png) {
            continue;
        }
        let name = kind.template();
        let of_kind: Vec<_> = pages.iter().filter(|p| usize::from(p.kind) == index).collect();
        let at = match out.iter().position(|t| t.name == name) {
            Some(i) => i,
            None => {
                out.push(TemplateRef {
                    name,
                    pages: 0,
                    variables: BTreeMap::new(),
                });
                out.len() - 1
            }
        };
        out[at].pages += of_kind.len();
        for page in of_kind.into_iter().take(SAMPLED) {
            let json = r.context_json(*page)?;
            paths("", &json, &mut out[at].variables);
        }
    }
    out.sort_by_key(|t| t.name);
    Ok(out)
}

/// Every path below `value` (at `prefix`) with its type, merged into `out`.
fn paths(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    let keyed = KEYED.contains(&prefix);
    if !prefix.is_empty() {
        let kind = match value {
            Value::Null => "none",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "list",
            Value::Object(_) => "map",
        };
        let entry = out.entry(prefix.to_string()).or_default();
        if !entry.split(" or ").any(|k| k == kind) {
            let mut kinds: Vec<&str> = entry.split(" or ").filter(|k| !k.is_empty()).collect();
            kinds.push(kind);
            kinds.sort_unstable();
            *entry = kinds.join(" or ");
        }
    }
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) if keyed => {
            for v in map.values() {
                paths(&join("{key}"), v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                paths(&join(k), v, out);
            }
        }
        Value::Array(items) => {
            for item in items.iter().take(SAMPLED) {
                paths(&format!("{prefix}[]"), item, out);
            }
        }
        _ => {}
    }
}

/// A built-in component: its name, its parameters and the built-in templates that call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentRef {
    pub name: &'static str,
    pub params: &'static str,
    pub called_by: Vec<&'static str>,
}

/// Every built-in component, with the built-in templates that call it.
pub fn components() -> Vec<ComponentRef> {
    let defs = definitions(BUILT_IN);
    defs.iter()
        .map(|d| ComponentRef {
            name: d.name,
            params: d.params,
            called_by: super::templates::DEFAULTS
                .iter()
                .filter(|(_, text)| text.contains(&format!("<{} ", d.name)))
                .map(|(n, _)| *n)
                .collect(),
        })
        .collect()
}

/// Parts of views that several templates show the same way: a path below one of these
/// prefixes is described as the part (`articles[].title` as `@card.title`). Longest first.
const PARTS: &[(&str, &str)] = &[
    ("countries[].cities[].partners[]", "@city_link"),
    ("countries[].cities[]", "@city_card"),
    ("@article.translations[]", "@language_link"),
    ("@page.translations[]", "@language_link"),
    ("@page.alternates[]", "@alternate"),
    ("@feed_item.image", "@share_image"),
    ("@article.gallery[]", "@picture"),
    ("@page.gallery[]", "@picture"),
    ("@card.partners[]", "@city_link"),
    ("@city.partners[]", "@city_link"),
    ("@city.agreements[]", "@agreement"),
    ("@city_card.partners[]", "@city_link"),
    ("@article.tags[]", "@tag_link"),
    ("@agreement.with", "@city_link"),
    ("@article.lead", "@picture"),
    ("@page.lead", "@picture"),
    ("@page.image", "@share_image"),
    ("@card.region", "@city_link"),
    ("@card.photo", "@picture"),
    ("@feed.items[]", "@feed_item"),
    ("yandex.xml:items[].image", "@share_image"),
    ("yandex.xml:items[]", "@feed_item"),
    ("site.cities.{key}", "@site_city"),
    ("languages[]", "@language"),
    ("articles[]", "@card"),
    ("related[]", "@card"),
    ("paginator", "@paginator"),
    ("article", "@article"),
    ("entries[]", "@sitemap_entry"),
    ("tags[]", "@tag"),
    ("years[]", "@year"),
    ("@year.months[]", "@month"),
    ("city", "@city"),
    ("feed", "@feed"),
    ("site_feed", "@feed_link"),
    ("city_feeds[]", "@feed_link"),
    ("tag_feeds[]", "@feed_link"),
    ("page", "@page"),
    ("tag", "@tag"),
];

/// A part that has the fields of another besides its own (an article's page has its card's).
const ALSO: &[(&str, &str)] = &[
    ("@article", "@card"),
    ("@city", "@city_card"),
    ("@city_card", "@city_link"),
];

/// The description of `path` in `template`, if it has one: the template's own
/// (`redirect.html:title`), else the path's.
pub fn describe(template: &str, path: &str) -> Option<&'static str> {
    entry(template, path).map(|(_, d)| d)
}

fn entry(template: &str, path: &str) -> Option<(&'static str, &'static str)> {
    described_by(&format!("{template}:{path}"), 0).or_else(|| described_by(path, 0))
}

/// The descriptions no `(template, path)` of `paths` is described by: gone from the views.
pub fn unused(paths: &[(String, String)]) -> Vec<&'static str> {
    let used: Vec<&str> = paths.iter().filter_map(|(t, p)| entry(t, p)).map(|(k, _)| k).collect();
    DESCRIPTIONS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !used.contains(k))
        .collect()
}

/// The entry of [`DESCRIPTIONS`] that describes `path`: its own, or a part's.
fn described_by(path: &str, depth: usize) -> Option<(&'static str, &'static str)> {
    if let Some(&(k, d)) = DESCRIPTIONS.iter().find(|(p, _)| *p == path) {
        return Some((k, d));
    }
    if depth > 6 {
        return None;
    }
    let below = |prefix: &str| {
        path.strip_prefix(prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
    };
    for (prefix, part) in PARTS {
        if let Some(rest) = below(prefix).filter(|r| !r.is_empty()) {
            return described_by(&format!("{part}{rest}"), depth + 1);
        }
    }
    for (part, also) in ALSO {
        if let Some(rest) = below(part).filter(|r| !r.is_empty()) {
            return described_by(&format!("{also}{rest}"), depth + 1);
        }
    }
    None
}

/// What each variable is, by its path (or a part's: `@card.title`); `{key}` stands for a key
/// of the site's own.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    // Every page template.
    ("lang", "The page's language code: `kk`, `ru`."),
    ("ui", "All of the language's interface strings, by key (see below)."),
    ("ui.{key}", "One interface string."),
    ("site", "The site in the page's language."),
    (
        "site.title",
        "The site's title in this language (`[languages.L] title`).",
    ),
    ("site.description", "Its description (`[languages.L] description`)."),
    ("site.base_url", "The address the site is built for, ending in `/`."),
    (
        "site.root_url",
        "The link to the site's root (`/`, or `/portal/` under a subpath): prefix of static files.",
    ),
    ("site.home_url", "The link to this language's home page."),
    ("site.cities_url", "The link to this language's list of cities."),
    ("site.tags_url", "The link to this language's list of topics."),
    ("site.archive_url", "The link to this language's archive."),
    (
        "site.search_url",
        "The link to this language's search page; none when `search = false`.",
    ),
    ("site.feed_url", "The link to this language's RSS feed."),
    (
        "site.subscribe_url",
        "The link to this language's page on subscribing: every feed, and how to follow one.",
    ),
    ("site.language_name", "This language's own name: «Қазақша», «Русский»."),
    ("site.default_language", "The code of the site's first language."),
    ("site.extra", "`[extra]` of site.toml, as written."),
    ("site.extra.{key}", "A value of site.toml's `[extra]`."),
    ("site.languages", "Every language of the site, in site.toml's order."),
    ("site.languages[]", "A language."),
    ("site.languages[].code", "Its code."),
    ("site.languages[].name", "Its own name."),
    ("site.languages[].url", "The link to its home page."),
    ("site.languages[].current", "Whether it is the page's language."),
    (
        "site.menu",
        "The pages (`content/pages/`) of this language with `menu = N`, in that order.",
    ),
    ("site.menu[]", "A menu entry."),
    ("site.menu[].title", "The page's title."),
    (
        "site.menu[].slug",
        "The page's file name without language: it is at `/L/<slug>/`.",
    ),
    (
        "site.menu[].url",
        "The link to the page; compare with `page.url` to mark the current one.",
    ),
    (
        "site.assets",
        "The files every page links by name, each with its version in its address (`site.assets[\"style.css\"]` is `/style.css?v=3f2a1c9b`): a host caches them for ever.",
    ),
    (
        "site.assets.{key}",
        "A file's link with its version: `style.css`, `search.js`, `favicon.svg`, `map/outlines.svg`.",
    ),
    (
        "site.cities",
        "Every city, region, province and country of the registry, by key: `site.cities[a.region.key].country_name`.",
    ),
    ("site.cities.{key}", "A place."),
    ("@site_city.key", "Its key (`content/cities/<key>.toml`)."),
    ("@site_city.name", "Its name in the page's language."),
    ("@site_city.url", "The link to its page."),
    ("@site_city.kind", "`city`, `region`, `province` or `country`."),
    (
        "@site_city.kind_label",
        "The kind in the page's language (`ui.kind_…`): «область».",
    ),
    ("@site_city.country", "Its country's ISO 3166-1 code: `KZ`, `CN`."),
    ("@site_city.country_name", "Its country's name in the page's language."),
    // What every HTML page says about itself.
    ("page", "What the page says about itself."),
    (
        "@page.kind",
        "The kind of page: `home`, `article`, `page`, `cities`, `city`, `tags`, `tag`, `archive`, `search`.",
    ),
    ("@page.title", "The page's title (without the site's)."),
    (
        "@page.description",
        "Its description, for `<meta name=description>`: a summary, else the language's description.",
    ),
    ("@page.url", "The link to the page."),
    ("@page.permalink", "Its full address (canonical)."),
    (
        "@page.alternates",
        "The page in every language of the site, for the language switch and `hreflang`.",
    ),
    ("@alternate.lang", "The language's code."),
    ("@alternate.name", "The language's own name."),
    (
        "@alternate.url",
        "Where the switch leads: the same page, or the language's notice that it is not translated.",
    ),
    (
        "@alternate.permalink",
        "The full address of the page in that language; none where it is missing.",
    ),
    ("@alternate.available", "Whether the page exists in that language."),
    ("@alternate.current", "Whether it is the page's own language."),
    ("@page.alternates[]", "One language's version."),
    (
        "@page.feed_url",
        "The feed that fits the page (the city's, the tag's, else the language's).",
    ),
    ("@page.feed_title", "That feed's title."),
    (
        "@page.x_default",
        "The language choice page, where `hreflang=\"x-default\"` belongs; else none.",
    ),
    (
        "@page.json_ld",
        "Structured data (schema.org JSON-LD), safe inside `<script>`: on articles and home pages.",
    ),
    (
        "@page.image",
        "The picture for social previews (`og:image`): a lead photo or a drawn card; else none.",
    ),
    ("@share_image.url", "Its full address."),
    ("@share_image.width", "Its width in pixels."),
    ("@share_image.height", "Its height in pixels."),
    ("@share_image.mime", "Its type: `image/jpeg`, `image/png`."),
    ("@share_image.length", "Its size in bytes (0 for a card drawn later)."),
    ("@share_image.alt", "What it shows."),
    // A page that is not news (page.html).
    (
        "@page.slug",
        "The page's file name without language: it is at `/L/<slug>/`.",
    ),
    ("@page.summary", "The front matter's `summary`; none if it gives none."),
    (
        "@page.content",
        "The Markdown body as HTML: write `{{ page.content | safe }}`.",
    ),
    ("@page.menu", "Its `menu` place; none when it is not in the menu."),
    ("@page.photo_credit", "The front matter's `photo_credit`."),
    (
        "@page.lead",
        "The first photo of the front matter; none without photos.",
    ),
    ("@page.gallery", "The other photos of the front matter."),
    ("@page.gallery[]", "A photo."),
    ("@page.translations", "The page in the other languages that have it."),
    ("@page.extra", "The front matter's `[extra]`, as written."),
    ("@page.extra.{key}", "A value of `[extra]`."),
    // Cards: an article on a list.
    ("articles", "The page's articles, newest first, as cards."),
    ("articles[]", "An article on a list."),
    (
        "related",
        "The newest other articles of the same partnership (region and a partner), as cards.",
    ),
    ("related[]", "An article on a list."),
    ("@card.title", "The headline."),
    ("@card.url", "The link to the article."),
    (
        "@card.date",
        "Its date as the language writes it: «12 ноября 2024 г.» (or `{{ a.date_iso | date(format=…) }}`).",
    ),
    (
        "@card.date_iso",
        "Its date and time, RFC 3339 with the site's offset: for `<time datetime>` and the `date` filter.",
    ),
    ("@card.region", "The home side: a link to its city."),
    ("@card.partners", "The partner side: links to its cities."),
    ("@card.partners[]", "A partner."),
    (
        "@card.summary",
        "The summary: the front matter's, else the first paragraph, cut.",
    ),
    ("@card.photo", "The lead photo as a thumbnail; none without photos."),
    (
        "@city_link.key",
        "The city's key: `site.cities[key]` has its country and kind.",
    ),
    ("@city_link.name", "Its name in the page's language."),
    ("@city_link.url", "The link to its page."),
    ("@picture.src", "A JPEG for browsers without `srcset`."),
    (
        "@picture.srcset_webp",
        "The WebP files with their widths, for `<source type=\"image/webp\">`.",
    ),
    (
        "@picture.srcset_jpeg",
        "The JPEG files with their widths, for `<img srcset>`.",
    ),
    (
        "@picture.width",
        "The largest file's width: `<img width>`, so the page does not shift.",
    ),
    ("@picture.height", "The largest file's height."),
    ("@picture.alt", "What the photo shows, in the page's language."),
    ("@picture.caption", "Its caption; none if it has none."),
    (
        "@picture.credit",
        "Who took it (else the article's `photo_credit`); none if unknown.",
    ),
    ("@picture.full", "The largest JPEG, to open the photo whole."),
    // An article's own page.
    (
        "@article.stem",
        "The article's file name without language: it is at `/L/news/<stem>/`.",
    ),
    ("@article.permalink", "Its full address."),
    (
        "@article.updated",
        "When it was last changed, as the language writes it; none unless `updated` is given.",
    ),
    ("@article.updated_iso", "The same, RFC 3339."),
    ("@article.tags", "Its topics."),
    ("@article.tags[]", "A topic."),
    ("@tag_link.name", "The topic as written."),
    ("@tag_link.slug", "Its address's part: `/L/tags/<slug>/`."),
    ("@tag_link.url", "The link to its page."),
    ("@article.source", "Who reported it (`source`); none if not given."),
    ("@article.source_url", "The report's address (`source_url`)."),
    ("@article.photo_credit", "The front matter's `photo_credit`."),
    (
        "@article.content",
        "The Markdown body as HTML: write `{{ article.content | safe }}`.",
    ),
    ("@article.extra", "The front matter's `[extra]`, as written."),
    ("@article.extra.{key}", "A value of `[extra]`."),
    (
        "@article.translations",
        "The article in the other languages that have it.",
    ),
    ("@language_link.lang", "The language's code."),
    ("@language_link.name", "The language's own name."),
    ("@language_link.url", "The link to the article or page in it."),
    (
        "@article.lead",
        "The first photo of the front matter, shown large; none without photos.",
    ),
    ("@article.gallery", "The other photos of the front matter."),
    ("@article.gallery[]", "A photo."),
    (
        "@article.scheduled",
        "Dated after the build's time and shown anyway (`serve`, `--future`).",
    ),
    // Lists.
    ("paginator", "The numbered pages of the list."),
    ("@paginator.current", "This page's number."),
    ("@paginator.total", "How many pages the list has."),
    ("@paginator.prev", "The link to the previous page; none on the first."),
    ("@paginator.next", "The link to the next page; none on the last."),
    (
        "@paginator.pages",
        "The numbers to show: the first, the last, and two either side of this one.",
    ),
    ("@paginator.pages[]", "A number, or a gap."),
    ("@paginator.pages[].number", "The page's number (0 for a gap)."),
    ("@paginator.pages[].url", "Its link (empty for a gap)."),
    ("@paginator.pages[].current", "Whether it is this page."),
    (
        "@paginator.pages[].gap",
        "A `…` between numbers that do not follow each other.",
    ),
    (
        "map",
        "The partnership map (home page): drawn points and lines on the outlines.",
    ),
    ("map.width", "The drawing's width."),
    ("map.height", "Its height."),
    ("map.outlines_url", "The link to the countries' outlines (SVG)."),
    ("map.hit", "The radius of each point's touch target (24 CSS px across on the narrowest map)."),
    ("map.points", "Each place on the map."),
    ("map.points[]", "A place."),
    ("map.points[].key", "Its city key."),
    ("map.points[].name", "Its name."),
    ("map.points[].url", "The link to its page."),
    ("map.points[].x", "Where it is drawn, across."),
    ("map.points[].y", "Where it is drawn, down."),
    (
        "map.points[].at",
        "Where the place really is (across, down) when its point was moved aside from another too near to tap apart; empty otherwise.",
    ),
    ("map.points[].label_x", "Where its name is written, across."),
    ("map.points[].label_y", "Where its name is written, down."),
    ("map.points[].anchor", "How its name is aligned: `start` or `end`."),
    ("map.points[].home", "Whether it is a home side (a region of the site)."),
    ("map.lines", "Each partnership as a line."),
    ("map.lines[]", "A line."),
    ("map.lines[].x1", "Its start, across."),
    ("map.lines[].y1", "Its start, down."),
    ("map.lines[].x2", "Its end, across."),
    ("map.lines[].y2", "Its end, down."),
    (
        "map.partnerships",
        "The same partnerships as text, for readers who do not see the map.",
    ),
    ("map.partnerships[]", "A home side."),
    ("map.partnerships[].name", "Its name."),
    ("map.partnerships[].url", "The link to its page."),
    ("map.partnerships[].partners", "Its partners, each as [name, link]."),
    ("map.partnerships[].partners[]", "A partner: [name, link]."),
    ("map.partnerships[].partners[][]", "Its name, then its link."),
    // Cities.
    ("countries", "Every place, grouped by country."),
    ("countries[]", "A country."),
    ("countries[].code", "Its ISO 3166-1 code."),
    ("countries[].name", "Its name in the page's language."),
    ("countries[].cities", "Its places."),
    ("countries[].cities[]", "A place on the list."),
    ("@city_card.kind", "`city`, `region`, `province` or `country`."),
    ("@city_card.kind_label", "The kind in the page's language."),
    (
        "@city_card.partners",
        "Its partners (both sides of every partnership it has).",
    ),
    ("@city_card.partners[]", "A partner."),
    ("@city_card.count", "How many articles of this language name it."),
    ("@city_card.count_label", "The same, with its noun: «3 новости»."),
    ("city", "The place the page is about."),
    ("@city.country", "Its country's ISO 3166-1 code."),
    ("@city.country_name", "Its country's name in the page's language."),
    ("@city.coordinates", "[latitude, longitude]; none if not given."),
    ("@city.coordinates[]", "Latitude, then longitude."),
    (
        "@city.description",
        "Its description (Markdown of the city file) as HTML: `{{ city.description | safe }}`.",
    ),
    ("@city.feed_url", "The link to its feed."),
    ("@city.agreements", "Its signed agreements, oldest first."),
    ("@city.agreements[]", "An agreement."),
    ("@agreement.date", "When it was signed, as the language writes it."),
    ("@agreement.date_iso", "The same, RFC 3339."),
    ("@agreement.year", "The year."),
    ("@agreement.title", "What was signed, in the page's language."),
    ("@agreement.with", "The other side."),
    ("@city.extra", "The city file's `[extra]`, as written."),
    ("@city.extra.{key}", "A value of `[extra]`."),
    // Topics.
    ("tags", "Every topic of the language with its count, by name."),
    ("tags[]", "A topic."),
    ("tag", "The topic the page is about."),
    ("@tag.name", "The topic as written."),
    ("@tag.slug", "Its address's part: `/L/tags/<slug>/`."),
    ("@tag.url", "The link to its page."),
    ("@tag.feed_url", "The link to its feed."),
    ("@tag.count", "How many articles have it."),
    ("@tag.count_label", "The same, with its noun."),
    // Archive.
    ("heading", "The page's heading: the year or the month."),
    ("years", "Each year with articles, newest first, with its months."),
    ("years[]", "A year."),
    ("@year.year", "The year."),
    ("@year.url", "The link to its page."),
    ("@year.count_label", "How many articles, with the noun."),
    ("@year.months", "Its months with articles."),
    ("@year.months[]", "A month."),
    ("@month.name", "The month's name, standalone: «Ноябрь»."),
    ("@month.url", "The link to its page."),
    ("@month.count", "How many articles."),
    ("@month.count_label", "The same, with the noun."),
    // Feeds.
    ("feed", "The RSS channel."),
    ("@feed.title", "Its title."),
    (
        "@feed.style_url",
        "The stylesheet a browser shows the feed with (the language's `feed.css`), for an `<?xml-stylesheet?>` before `<rss>`.",
    ),
    ("@feed.subscribe_url", "The page on subscribing, absolute."),
    ("@feed.description", "Its description."),
    ("@feed.link", "The full address of the HTML page it belongs to."),
    ("@feed.self_url", "Its own full address."),
    ("@feed.language", "Its language code."),
    (
        "@feed.last_build_date",
        "The newest item's date (RFC 822); none when empty.",
    ),
    ("@feed.items", "The newest articles."),
    ("@feed.items[]", "An article."),
    ("@feed_item.title", "Its headline."),
    ("@feed_item.link", "Its full address."),
    ("@feed_item.pub_date", "Its date (RFC 822)."),
    ("@feed_item.description", "Its body as HTML, links made absolute."),
    ("@feed_item.categories", "Its topics."),
    ("@feed_item.categories[]", "A topic."),
    ("@feed_item.source", "Who reported it."),
    ("@feed_item.image", "The lead photo (or drawn card), as `<enclosure>`."),
    // The site as a whole.
    ("languages", "Every language of the site (the language choice, 404)."),
    ("languages[]", "A language."),
    ("@language.code", "Its code."),
    ("@language.name", "Its own name."),
    ("@language.title", "The site's title in it."),
    ("@language.description", "The site's description in it."),
    ("@language.url", "The link to its home page."),
    ("@language.default", "Whether it is the site's first language."),
    ("@language.ui", "All of its interface strings, by key."),
    ("@language.ui.{key}", "One interface string."),
    ("entries", "Every page in the sitemap."),
    ("entries[]", "A page."),
    ("@sitemap_entry.loc", "Its full address."),
    (
        "@sitemap_entry.lastmod",
        "Its newest article's date; none for pages without.",
    ),
    (
        "@sitemap_entry.alternates",
        "Its language versions as [hreflang, address], when there is more than one.",
    ),
    ("@sitemap_entry.alternates[]", "A version."),
    (
        "@sitemap_entry.alternates[][]",
        "The language's code, then the address.",
    ),
    ("base_url", "The address the site is built for."),
    ("sitemap_url", "The sitemap's full address."),
    ("news_sitemap_url", "The news sitemap's full address."),
    ("index_url", "The link to the search index's first file."),
    (
        "redirects",
        "Every old address and where it leads now, as [from, to] links.",
    ),
    ("redirect.html:title", "The title of the page it leads to."),
    ("redirect.html:url", "The link to that page."),
    ("redirect.html:permalink", "That page's full address."),
    ("redirects[]", "An old address and its new one."),
    ("redirects[][]", "The old link, then the new one."),
    ("yandex.xml:title", "The channel's title (the site's, in the language)."),
    ("yandex.xml:link", "The language's home page, full address."),
    ("yandex.xml:description", "The site's description in the language."),
    ("yandex.xml:language", "The language's code."),
    ("yandex.xml:items", "The newest articles, each with its whole text."),
    ("yandex.xml:items[]", "An article."),
    (
        "@feed_item.full_text",
        "Its whole text without markup, as Yandex's `yandex:full-text` wants it.",
    ),
    (
        "archive_url",
        "The link to the archive's index (a year's or month's page leads back).",
    ),
    ("article", "The article: its card's fields and its own."),
    ("@article.translations[]", "A language that has it."),
    ("@page.translations[]", "A language that has it."),
    // The social card (card.svg, drawn as a 1200×630 PNG).
    ("card", "What a social card shows: an article's, or a list's (home, city, tag)."),
    (
        "card.kind",
        "What the card is for: \"article\", or a list's: \"home\", \"city\", \"tag\".",
    ),
    (
        "card.subtitle",
        "A list's card: the line under its name (a city's kind, country and articles; a tag's articles; the home page's address). Empty on an article's.",
    ),
    ("card.lang", "The article's language."),
    ("card.title", "The headline, broken into lines that fit."),
    ("card.title.lines", "Its lines."),
    ("card.title.lines[]", "A line."),
    ("card.title.size", "The font size the lines fit at."),
    ("card.title.leading", "The distance between the lines' baselines."),
    (
        "card.title_top",
        "The first line's baseline, so the title sits in the middle of its space.",
    ),
    ("card.date", "The date as the language writes it."),
    ("card.region", "The home side's name."),
    ("card.partners", "The partners' names."),
    ("card.partners[]", "A partner's name."),
    ("card.site", "The site's title."),
    ("card.width", "The card's width in pixels (1200)."),
    // The page on subscribing (subscribe.html) and the feeds' stylesheet (feed.css).
    ("site_feed", "The site's feed in this language."),
    ("city_feeds", "The feeds of the cities with articles in this language, by name."),
    ("city_feeds[]", "A city's feed."),
    ("tag_feeds", "The feeds of this language's tags, by name."),
    ("tag_feeds[]", "A tag's feed."),
    ("@feed_link.name", "What it follows: the site's news, a city's or a tag's name."),
    ("@feed_link.page_url", "The page the feed belongs to."),
    ("@feed_link.address", "The feed's address, absolute: to copy into a feed reader."),
    ("@feed_link.count_label", "How many articles it is about (\"5 статей\")."),
    (
        "feed.css:subscribe_url",
        "The page on subscribing, absolute (the stylesheet shows it as text).",
    ),
    (
        "subscribe.html:articles",
        "The latest articles of the site's feed (at most ten).",
    ),
    ("card.height", "Its height (630)."),
];
