//! `sitemap.xml` with every language version of each page as `hreflang` alternates, and
//! `robots.txt` that names it.

use anyhow::Result;
use serde::Serialize;

use super::{SiteFile, View};
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
    news_sitemap_url: String,
    base_url: &'a str,
}

impl SiteFile for Sitemap {
    fn template(&self) -> &'static str {
        "sitemap.xml"
    }
    fn path(&self) -> String {
        "sitemap.xml".to_string()
    }
    fn view<'r>(&self, r: &'r Renderer) -> Result<View<'r>> {
        Ok(Box::new(SitemapView {
            entries: entries(r.config, r.model, r.urls),
        }))
    }
}

impl SiteFile for Robots {
    fn template(&self) -> &'static str {
        "robots.txt"
    }
    fn path(&self) -> String {
        "robots.txt".to_string()
    }
    fn view<'r>(&self, r: &'r Renderer) -> Result<View<'r>> {
        Ok(Box::new(RobotsView {
            sitemap_url: r.urls.permalink("sitemap.xml"),
            news_sitemap_url: r.urls.permalink(&Urls::news_sitemap()),
            base_url: r.urls.base_url(),
        }))
    }
}

/// Sitemap entries: each language's home, city list, tag list, articles, pages, cities and tags
/// (first pages), with every language version of each as `hreflang` alternates.
fn entries(config: &Config, model: &Model, urls: &Urls) -> Vec<SitemapEntry> {
    let mut list = List {
        codes: config.languages.iter().map(|l| l.code.as_str()).collect(),
        model,
        urls,
        out: Vec::new(),
    };
    let codes = list.codes.clone();
    let none = vec![None; codes.len()];
    list.add(
        codes.iter().map(|c| Some(Urls::home(c, 1))).collect(),
        model.langs.iter().map(|l| list.newest(&l.entries)).collect(),
    );
    list.add(codes.iter().map(|c| Some(Urls::cities(c))).collect(), none.clone());
    list.add(codes.iter().map(|c| Some(Urls::tags(c))).collect(), none);
    list.articles();
    // The pages that are not news, each with its translations.
    for (i, p) in model.pages.iter().enumerate() {
        if p.translations.iter().flatten().next() == Some(&i) {
            let paths = p
                .translations
                .iter()
                .zip(&codes)
                .map(|(t, code)| t.map(|t| Urls::page(code, &model.pages[t].source.slug)))
                .collect();
            list.add(paths, vec![None; codes.len()]);
        }
    }
    for (city, c) in CityId::each(&model.cities) {
        list.add(
            codes
                .iter()
                .map(|code| Some(Urls::city(code, &c.source.key, 1)))
                .collect(),
            model.langs.iter().map(|l| list.newest(&l.city_entries[city])).collect(),
        );
    }
    list.tags();
    list.out
}

/// The sitemap's entries as they are listed.
struct List<'a> {
    codes: Vec<&'a str>,
    model: &'a Model,
    urls: &'a Urls,
    out: Vec<SitemapEntry>,
}

impl List<'_> {
    /// `(hreflang, URL)` of each language version, where there is more than one.
    fn alternates(&self, paths: &[Option<String>]) -> Vec<(String, String)> {
        let found: Vec<(String, String)> = LangId::each(paths)
            .filter_map(|(l, p)| p.as_ref().map(|p| (self.codes[l].to_string(), self.urls.permalink(p))))
            .collect();
        if found.len() > 1 {
            found
        } else {
            Vec::new()
        }
    }

    /// One page in each language it has (`paths`, per language), each with its alternates.
    fn add(&mut self, paths: Vec<Option<String>>, lastmod: Vec<Option<String>>) {
        let alternates = self.alternates(&paths);
        for (p, lastmod) in paths.iter().zip(lastmod) {
            if let Some(p) = p {
                self.out.push(SitemapEntry {
                    loc: self.urls.permalink(p),
                    lastmod,
                    alternates: alternates.clone(),
                });
            }
        }
    }

    /// The day of the newest of `entries`.
    fn newest(&self, entries: &[EntryId]) -> Option<String> {
        entries.first().map(|&id| self.model.entries[id].date().rfc3339())
    }

    /// Each article once, from its first language version, with all its versions.
    fn articles(&mut self) {
        let model = self.model;
        for (id, e) in EntryId::each(&model.entries) {
            if e.translations.iter().flatten().next() != Some(&id) {
                continue;
            }
            let paths = LangId::each(&e.translations)
                .map(|(l, t)| t.map(|t| Urls::article(self.codes[l], model.entries[t].stem())))
                .collect();
            let lastmod = e
                .translations
                .iter()
                .map(|t| {
                    t.map(|t| {
                        let e = &model.entries[t];
                        e.updated().unwrap_or(e.date()).rfc3339()
                    })
                })
                .collect();
            self.add(paths, lastmod);
        }
    }

    /// Each language's tags, listed from their own language with their counterparts as
    /// alternates (a counterpart lists itself).
    fn tags(&mut self) {
        let model = self.model;
        let none = vec![None; self.codes.len()];
        for (lang, index) in LangId::each(&model.langs) {
            for t in &index.tags {
                let mut paths = none.clone();
                paths[lang] = Some(Urls::tag(self.codes[lang], &t.slug, 1));
                for (other, counterpart) in LangId::each(&t.counterparts) {
                    if let Some(o) = *counterpart {
                        paths[other] = Some(Urls::tag(self.codes[other], &model.langs[other].tags[o].slug, 1));
                    }
                }
                let alternates = self.alternates(&paths);
                self.out.push(SitemapEntry {
                    loc: self.urls.permalink(paths[lang].as_deref().unwrap_or_default()),
                    lastmod: self.newest(&t.entries),
                    alternates,
                });
            }
        }
    }
}
