//! The list of pages a site has (CONTENT.md, "Pages the build writes"), and its sitemap.

use crate::config::Config;
use crate::model::{CityId, EntryId, LangId, Model, Urls};

use super::views::SitemapEntry;

/// One output file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// `/index.html`: the language choice.
    Root,
    NotFound,
    Robots,
    Sitemap,
    Home {
        lang: LangId,
        page: usize,
    },
    Article(EntryId),
    Cities(LangId),
    City {
        lang: LangId,
        city: CityId,
        page: usize,
    },
    CityFeed {
        lang: LangId,
        city: CityId,
    },
    Tags(LangId),
    Tag {
        lang: LangId,
        tag: usize,
        page: usize,
    },
    TagFeed {
        lang: LangId,
        tag: usize,
    },
    Feed(LangId),
}

impl Page {
    /// The page's site path (`ru/news/x/`, `ru/rss.xml`), made by [`Urls`].
    pub fn site_path(&self, config: &Config, model: &Model) -> String {
        let code = |lang: LangId| config.languages[lang].code.as_str();
        match *self {
            Page::Root => String::new(),
            Page::NotFound => "404.html".to_string(),
            Page::Robots => "robots.txt".to_string(),
            Page::Sitemap => "sitemap.xml".to_string(),
            Page::Home { lang, page } => Urls::home(code(lang), page),
            Page::Article(id) => {
                let e = &model.entries[id];
                Urls::article(code(e.lang), &e.source.stem)
            }
            Page::Cities(lang) => Urls::cities(code(lang)),
            Page::City { lang, city, page } => Urls::city(code(lang), &model.cities[city].source.key, page),
            Page::CityFeed { lang, city } => Urls::city_feed(code(lang), &model.cities[city].source.key),
            Page::Tags(lang) => Urls::tags(code(lang)),
            Page::Tag { lang, tag, page } => Urls::tag(code(lang), &model.langs[lang].tags[tag].slug, page),
            Page::TagFeed { lang, tag } => Urls::tag_feed(code(lang), &model.langs[lang].tags[tag].slug),
            Page::Feed(lang) => Urls::feed(code(lang)),
        }
    }

    pub fn is_feed(&self) -> bool {
        matches!(self, Page::Feed(_) | Page::CityFeed { .. } | Page::TagFeed { .. })
    }

    /// The page's language; `None` for the root pages that speak every language.
    pub fn lang(&self, model: &Model) -> Option<LangId> {
        match *self {
            Page::Root | Page::NotFound | Page::Robots | Page::Sitemap => None,
            Page::Article(id) => Some(model.entries[id].lang),
            Page::Home { lang, .. }
            | Page::Cities(lang)
            | Page::City { lang, .. }
            | Page::CityFeed { lang, .. }
            | Page::Tags(lang)
            | Page::Tag { lang, .. }
            | Page::TagFeed { lang, .. }
            | Page::Feed(lang) => Some(lang),
        }
    }
}

/// How many pages a list of `n` items takes at `per` a page (an empty list still has one).
pub fn page_count(n: usize, per: usize) -> usize {
    n.div_ceil(per.max(1)).max(1)
}

/// Every page of the site, in a stable order.
pub fn all_pages(config: &Config, model: &Model) -> Vec<Page> {
    let per = config.paginate_by;
    let mut pages = vec![Page::Root, Page::NotFound, Page::Robots, Page::Sitemap];
    pages.extend((0..model.entries.len()).map(Page::Article));
    for (lang, index) in model.langs.iter().enumerate() {
        pages.extend((1..=page_count(index.entries.len(), per)).map(|page| Page::Home { lang, page }));
        pages.push(Page::Feed(lang));
        pages.push(Page::Cities(lang));
        for (city, entries) in index.city_entries.iter().enumerate() {
            pages.extend((1..=page_count(entries.len(), per)).map(|page| Page::City { lang, city, page }));
            pages.push(Page::CityFeed { lang, city });
        }
        pages.push(Page::Tags(lang));
        for (tag, t) in index.tags.iter().enumerate() {
            pages.extend((1..=page_count(t.entries.len(), per)).map(|page| Page::Tag { lang, tag, page }));
            pages.push(Page::TagFeed { lang, tag });
        }
    }
    pages
}

/// Sitemap entries: each language's home, city list, tag list, articles, cities and tags (first
/// pages), with every language version of each as `hreflang` alternates.
pub fn sitemap(config: &Config, model: &Model, urls: &Urls) -> Vec<SitemapEntry> {
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    // `(hreflang, URL)` of each language version, where there is more than one.
    let alternates_of = |paths: &[Option<String>]| -> Vec<(String, String)> {
        let found: Vec<(String, String)> = paths
            .iter()
            .enumerate()
            .filter_map(|(l, p)| p.as_ref().map(|p| (codes[l].to_string(), urls.permalink(p))))
            .collect();
        if found.len() > 1 {
            found
        } else {
            Vec::new()
        }
    };
    let mut out = Vec::new();
    let add = |paths: Vec<Option<String>>, lastmod: Vec<Option<String>>, out: &mut Vec<SitemapEntry>| {
        let alternates = alternates_of(&paths);
        for (p, lastmod) in paths.iter().zip(lastmod) {
            if let Some(p) = p {
                out.push(SitemapEntry {
                    loc: urls.permalink(p),
                    lastmod,
                    alternates: alternates.clone(),
                });
            }
        }
    };
    let none = vec![None; codes.len()];
    let newest = |entries: &[EntryId]| entries.first().map(|&id| model.entries[id].date().day().to_string());
    add(
        codes.iter().map(|c| Some(Urls::home(c, 1))).collect(),
        model.langs.iter().map(|l| newest(&l.entries)).collect(),
        &mut out,
    );
    add(
        codes.iter().map(|c| Some(Urls::cities(c))).collect(),
        none.clone(),
        &mut out,
    );
    add(
        codes.iter().map(|c| Some(Urls::tags(c))).collect(),
        none.clone(),
        &mut out,
    );
    for (id, e) in model.entries.iter().enumerate() {
        // Each article once, from its first language version.
        if e.translations.iter().flatten().next() != Some(&id) {
            continue;
        }
        let paths = e
            .translations
            .iter()
            .enumerate()
            .map(|(l, t)| t.map(|t| Urls::article(codes[l], &model.entries[t].source.stem)))
            .collect();
        let lastmod = e
            .translations
            .iter()
            .map(|t| {
                t.map(|t| {
                    let s = &model.entries[t].source;
                    s.updated.unwrap_or(s.date).day().to_string()
                })
            })
            .collect();
        add(paths, lastmod, &mut out);
    }
    for (city, c) in model.cities.iter().enumerate() {
        add(
            codes
                .iter()
                .map(|code| Some(Urls::city(code, &c.source.key, 1)))
                .collect(),
            model.langs.iter().map(|l| newest(&l.city_entries[city])).collect(),
            &mut out,
        );
    }
    for (lang, index) in model.langs.iter().enumerate() {
        for t in &index.tags {
            let mut paths = none.clone();
            let mut lastmod = none.clone();
            paths[lang] = Some(Urls::tag(codes[lang], &t.slug, 1));
            lastmod[lang] = newest(&t.entries);
            for (other, counterpart) in t.counterparts.iter().enumerate() {
                if let Some(o) = *counterpart {
                    paths[other] = Some(Urls::tag(codes[other], &model.langs[other].tags[o].slug, 1));
                }
            }
            // Each language's tag is listed from its own language; its counterpart lists itself.
            let alternates = alternates_of(&paths);
            out.push(SitemapEntry {
                loc: urls.permalink(paths[lang].as_deref().unwrap_or_default()),
                lastmod: lastmod[lang].take(),
                alternates,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_still_have_a_page() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
    }
}

/// A page's identity that stays the same across rebuilds (its kind, language, and the stem, city
/// key or tag slug and page number it is for): what incremental rebuilds key pages by, without
/// making each page's path.
pub fn identity(config: &Config, model: &Model, page: &Page) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    std::mem::discriminant(page).hash(&mut h);
    let code = |lang: LangId| config.languages[lang].code.as_str();
    match *page {
        Page::Root | Page::NotFound | Page::Robots | Page::Sitemap => {}
        Page::Home { lang, page } => (code(lang), page).hash(&mut h),
        Page::Article(id) => {
            let e = &model.entries[id];
            (code(e.lang), &e.source.stem).hash(&mut h)
        }
        Page::Cities(lang) | Page::Tags(lang) | Page::Feed(lang) => code(lang).hash(&mut h),
        Page::City { lang, city, page } => (code(lang), &model.cities[city].source.key, page).hash(&mut h),
        Page::CityFeed { lang, city } => (code(lang), &model.cities[city].source.key).hash(&mut h),
        Page::Tag { lang, tag, page } => (code(lang), &model.langs[lang].tags[tag].slug, page).hash(&mut h),
        Page::TagFeed { lang, tag } => (code(lang), &model.langs[lang].tags[tag].slug).hash(&mut h),
    }
    h.finish()
}

/// What a page depends on, for incremental rebuilds: `hash` covers everything its view holds
/// except the cards and bodies of the entries in `shows`. A page is re-rendered when its hash
/// changed or one of the entries it shows changed; otherwise its output is the same as before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub hash: u64,
    pub shows: Vec<EntryId>,
}

/// The signature of `page` in `model`.
pub fn signature(config: &Config, model: &Model, page: &Page) -> Signature {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    let mut shows = Vec::new();
    let per = config.paginate_by;
    let key = |id: EntryId| (model.entries[id].source.stem.as_str(), model.entries[id].lang);
    // Entries on page `page` of `list`, hashed by identity and order; remembered as shown.
    let mut list_page = |h: &mut rustc_hash::FxHasher, list: &[EntryId], page: usize, n: usize| {
        let shown: Vec<EntryId> = list.iter().copied().skip((page.max(1) - 1) * n).take(n).collect();
        (list.len(), page_count(list.len(), n)).hash(h);
        for &id in &shown {
            key(id).hash(h);
        }
        shows.extend(shown);
    };
    std::mem::discriminant(page).hash(&mut h);
    match *page {
        Page::Root | Page::NotFound | Page::Robots => {}
        Page::Sitemap => {
            for e in &model.entries {
                (&e.source.stem, e.lang, e.source.date, e.source.updated).hash(&mut h);
                e.translations
                    .iter()
                    .map(Option::is_some)
                    .collect::<Vec<_>>()
                    .hash(&mut h);
            }
            for index in &model.langs {
                for t in &index.tags {
                    (
                        &t.slug,
                        &t.counterparts,
                        t.entries.first().map(|&id| model.entries[id].source.date),
                    )
                        .hash(&mut h);
                }
                for list in &index.city_entries {
                    list.first().map(|&id| model.entries[id].source.date).hash(&mut h);
                }
            }
        }
        Page::Home { lang, page } => {
            (lang, page).hash(&mut h);
            list_page(&mut h, &model.langs[lang].entries, page, per);
        }
        Page::Article(id) => {
            let e = &model.entries[id];
            key(id).hash(&mut h);
            e.translations
                .iter()
                .map(Option::is_some)
                .collect::<Vec<_>>()
                .hash(&mut h);
            let tags = &model.langs[e.lang].tags;
            for &t in &e.tags {
                (&tags[t].slug, &tags[t].name).hash(&mut h);
            }
            let related = model.related(id, RELATED);
            for &r in &related {
                key(r).hash(&mut h);
            }
            shows.push(id);
            shows.extend(related);
        }
        Page::Cities(lang) => {
            lang.hash(&mut h);
            for (city, c) in model.cities.iter().enumerate() {
                (model.langs[lang].city_entries[city].len(), &c.partners).hash(&mut h);
            }
        }
        Page::City { lang, city, page } => {
            (lang, city, page, &model.cities[city].partners).hash(&mut h);
            list_page(&mut h, &model.langs[lang].city_entries[city], page, per);
        }
        Page::Tags(lang) => {
            lang.hash(&mut h);
            for t in &model.langs[lang].tags {
                (&t.slug, &t.name, t.entries.len()).hash(&mut h);
            }
        }
        Page::Tag { lang, tag, page } => {
            let t = &model.langs[lang].tags[tag];
            (lang, page, &t.slug, &t.name).hash(&mut h);
            for (other, c) in t.counterparts.iter().enumerate() {
                c.map(|o| &model.langs[other].tags[o].slug).hash(&mut h);
            }
            list_page(&mut h, &t.entries, page, per);
        }
        Page::Feed(lang) => {
            lang.hash(&mut h);
            list_page(&mut h, &model.langs[lang].entries, 1, config.feed_limit);
        }
        Page::CityFeed { lang, city } => {
            (lang, city).hash(&mut h);
            list_page(&mut h, &model.langs[lang].city_entries[city], 1, config.feed_limit);
        }
        Page::TagFeed { lang, tag } => {
            let t = &model.langs[lang].tags[tag];
            (lang, &t.slug, &t.name).hash(&mut h);
            list_page(&mut h, &t.entries, 1, config.feed_limit);
        }
    }
    if page.is_feed() {
        // Feed items carry their tags' names, and a tag's spelling can change with other articles.
        for &id in &shows {
            let e = &model.entries[id];
            for &t in &e.tags {
                model.langs[e.lang].tags[t].name.hash(&mut h);
            }
        }
    }
    Signature {
        hash: h.finish(),
        shows,
    }
}

/// How many related articles an article page shows ("more on this partnership").
pub const RELATED: usize = 4;

#[cfg(test)]
mod planner_tests {
    use std::collections::HashMap;
    use std::path::Path;

    use super::*;
    use crate::{load, BuildOptions, Stages};

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    /// A copy of the good fixture site.
    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy(
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sites/good")),
            dir.path(),
        );
        dir
    }

    /// Every page's signature, and the stems it shows, by site path.
    fn plan(root: &Path) -> HashMap<String, (u64, Vec<String>)> {
        let site = load(&BuildOptions::new(root), &mut Stages::new()).unwrap();
        all_pages(&site.config, &site.model)
            .iter()
            .map(|p| {
                let s = signature(&site.config, &site.model, p);
                let shows = s
                    .shows
                    .iter()
                    .map(|&id| site.model.entries[id].source.stem.clone())
                    .collect();
                (p.site_path(&site.config, &site.model), (s.hash, shows))
            })
            .collect()
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn a_text_edit_keeps_signatures_and_the_pages_showing_it_are_found() {
        let dir = fixture();
        let before = plan(dir.path());
        edit(
            dir.path(),
            "content/news/2025/2025-08-29-qinghai.ru.md",
            "Первый абзац",
            "Другой абзац",
        );
        let after = plan(dir.path());
        assert_eq!(
            before, after,
            "only the article's own card and body changed: nothing else in any view"
        );
        let showing: Vec<&str> = after
            .iter()
            .filter(|(_, (_, shows))| shows.iter().any(|s| s == "2025-08-29-qinghai"))
            .map(|(path, _)| path.as_str())
            .collect();
        for page in [
            "ru/news/2025-08-29-qinghai/",
            "ru/",
            "ru/rss.xml",
            "ru/cities/almaty/",
            "ru/tags/obrazovanie/",
        ] {
            assert!(showing.contains(&page), "{page} shows the article: {showing:?}");
        }
        assert!(
            !showing.contains(&"ru/news/2024-11-12-uk/"),
            "an article that does not list it"
        );
    }

    #[test]
    fn a_date_that_reorders_lists_changes_their_signatures_only() {
        let dir = fixture();
        let before = plan(dir.path());
        edit(
            dir.path(),
            "content/news/2024/2024-02-01-tourism.kk.md",
            "date = 2024-02-01",
            "date = 2026-01-01",
        );
        let after = plan(dir.path());
        let changed: Vec<&str> = after
            .iter()
            .filter(|(p, (h, _))| before.get(*p).map(|b| b.0) != Some(*h))
            .map(|(p, _)| p.as_str())
            .collect();
        for page in ["kk/", "kk/page/2/", "kk/rss.xml", "kk/cities/shanghai/", "sitemap.xml"] {
            assert!(changed.contains(&page), "{page} reorders: {changed:?}");
        }
        for page in ["ru/", "ru/news/2025-08-29-qinghai/", "kk/tags/bilim/", "ru/cities/"] {
            assert!(!changed.contains(&page), "{page} does not list it: {changed:?}");
        }
    }
}
