//! `sitemap.xml` with every language version of each page as `hreflang` alternates, and
//! `robots.txt` that names it.

use anyhow::Result;
use serde::Serialize;

use super::{Class, Kind, Page, View};
use crate::config::Config;
use crate::model::{CityId, EntryId, LangId, Model};
use crate::render::views::SitemapEntry;
use crate::render::Renderer;
use crate::urls::Urls;

pub struct Sitemap;
pub struct Robots;

#[derive(Serialize)]
struct SitemapView {
    entries: Vec<SitemapEntry>,
}

#[derive(Serialize)]
struct RobotsView<'a> {
    sitemap_url: String,
    base_url: &'a str,
}

impl Kind for Sitemap {
    fn template(&self) -> &'static str {
        "sitemap.xml"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn shared(&self) -> bool {
        false
    }
    fn pages(&self, _: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        add(LangId(0), 0, 1);
    }
    fn path(&self, _: &Renderer, _: Page) -> String {
        "sitemap.xml".to_string()
    }
    fn view<'r>(&self, r: &'r Renderer, _: Page, _: &str) -> Result<View<'r>> {
        Ok(Box::new(SitemapView {
            entries: entries(r.config, r.model, r.urls),
        }))
    }
}

impl Kind for Robots {
    fn template(&self) -> &'static str {
        "robots.txt"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn shared(&self) -> bool {
        false
    }
    fn pages(&self, _: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        add(LangId(0), 0, 1);
    }
    fn path(&self, _: &Renderer, _: Page) -> String {
        "robots.txt".to_string()
    }
    fn view<'r>(&self, r: &'r Renderer, _: Page, _: &str) -> Result<View<'r>> {
        Ok(Box::new(RobotsView {
            sitemap_url: r.urls.permalink("sitemap.xml"),
            base_url: r.urls.base_url(),
        }))
    }
}

/// Sitemap entries: each language's home, city list, tag list, articles, cities and tags (first
/// pages), with every language version of each as `hreflang` alternates.
fn entries(config: &Config, model: &Model, urls: &Urls) -> Vec<SitemapEntry> {
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
    for (id, e) in EntryId::each(&model.entries) {
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
    for (city, c) in CityId::each(&model.cities) {
        add(
            codes
                .iter()
                .map(|code| Some(Urls::city(code, &c.source.key, 1)))
                .collect(),
            model.langs.iter().map(|l| newest(&l.city_entries[city])).collect(),
            &mut out,
        );
    }
    for (lang, index) in LangId::each(&model.langs) {
        for t in &index.tags {
            let mut paths = none.clone();
            let mut lastmod = none.clone();
            paths[lang] = Some(Urls::tag(codes[lang], &t.slug, 1));
            lastmod[lang] = newest(&t.entries);
            for (other, counterpart) in LangId::each(&t.counterparts) {
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
