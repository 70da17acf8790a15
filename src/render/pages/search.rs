//! Search, in each language: the page (`/L/search/`, whose script reads `?q=`) and the files of
//! its index (`/L/search/meta.json`, the shards `s/N.json`, and `doc/STEM.json` per article), as
//! [`crate::search::index`] describes them.

use anyhow::Result;
use serde::Serialize;

use super::{Class, Kind, Page, View};
use crate::model::{EntryId, LangId};
use crate::render::parts::About;
use crate::render::views::PageView;
use crate::render::search::SNIPPET_TEXT;
use crate::render::Renderer;
use crate::search::{analyze::Analyzer, fold, index};
use crate::urls::Urls;

/// The search page.
pub struct Search;

#[derive(Serialize)]
struct SearchView<'a> {
    page: PageView<'a>,
    /// Where the index's files are (`/ru/search/`).
    index_url: String,
}

impl Kind for Search {
    fn template(&self) -> &'static str {
        "search.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        per_language(r, add);
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::search(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let g = r.lang(page.lang);
        let about = About {
            lang: page.lang,
            kind: "search",
            path,
            title: g.ui("search").to_string(),
            description: String::new(),
            feed: Urls::feed(g.code()),
        };
        Ok(Box::new(SearchView {
            page: r.page_view(about, |l| Some(Urls::search(r.code(l)))),
            index_url: r.urls.href(&Urls::search_file(g.code(), "")),
        }))
    }
}

fn per_language(r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
    for lang in LangId::all(r.config.languages.len()) {
        add(lang, 0, 1);
    }
}

/// The index's table of documents and what the script needs to read a query as the index was
/// made: folding tables, stop words, the number of shards.
pub struct Meta;

#[derive(Serialize)]
struct MetaView<'a> {
    shards: u32,
    /// Where the articles are: an article's link is this and its stem and `/`.
    news: String,
    /// Per article, newest first: stem, date (YYYYMMDD), its cities (indexes into `cities`).
    docs: Vec<(&'a str, u32, Vec<usize>)>,
    /// Per city: key and name in this language.
    cities: Vec<(&'a str, &'a str)>,
    fold: &'static [(char, char)],
    latin: &'static [(&'static str, &'static str)],
    stop: Vec<String>,
}

impl Kind for Meta {
    fn template(&self) -> &'static str {
        "search/meta.json"
    }
    fn class(&self) -> Class {
        Class::Index
    }
    fn shared(&self) -> bool {
        false
    }
    fn json(&self) -> bool {
        true
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        per_language(r, add);
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::search_file(r.code(page.lang), "meta.json")
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let code = r.code(page.lang);
        let docs = r.search_docs(page.lang);
        let g = r.lang(page.lang);
        Ok(Box::new(MetaView {
            shards: index::shard_count(docs.len()),
            news: r.urls.href(&Urls::article(code, "")).trim_end_matches('/').to_string() + "/",
            docs: docs
                .iter()
                .map(|&id| {
                    let e = &r.model.entries[id];
                    let day = e.date().day();
                    use chrono::Datelike;
                    let date = day.year() as u32 * 10_000 + day.month() * 100 + day.day();
                    let cities = std::iter::once(e.region).chain(e.partners.iter().copied()).map(|c| c.0).collect();
                    (e.stem(), date, cities)
                })
                .collect(),
            cities: g.cities.iter().map(|c| (c.key, c.name)).collect(),
            fold: fold::FOLD,
            latin: fold::LATIN_FOLD,
            stop: Analyzer::new(code, []).stop_words(),
        }))
    }
}

/// A shard of the index's terms.
pub struct Shard;

impl Kind for Shard {
    fn template(&self) -> &'static str {
        "search/shard.json"
    }
    fn class(&self) -> Class {
        Class::Index
    }
    fn shared(&self) -> bool {
        false
    }
    fn json(&self) -> bool {
        true
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            for shard in 0..index::shard_count(r.search_docs(lang).len()) {
                add(lang, shard as usize, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::search_file(r.code(page.lang), &format!("s/{}.json", page.item))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        Ok(Box::new(&r.search_shards(page.lang)[page.item]))
    }
}

/// An article as search results show it: title, date and text for the snippet.
pub struct Doc;

#[derive(Serialize)]
struct DocView<'a> {
    t: &'a str,
    d: String,
    x: String,
}

impl Kind for Doc {
    fn template(&self) -> &'static str {
        "search/doc.json"
    }
    fn class(&self) -> Class {
        Class::Index
    }
    fn shared(&self) -> bool {
        false
    }
    fn json(&self) -> bool {
        true
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            for &id in r.search_docs(lang) {
                add(lang, id.0, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let e = &r.model.entries[EntryId(page.item)];
        Urls::search_file(r.code(page.lang), &format!("doc/{}.json", e.stem()))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let e = &r.model.entries[EntryId(page.item)];
        Ok(Box::new(DocView {
            t: &e.source().title,
            d: r.lang(page.lang).long_date(e.date().day()),
            x: crate::markdown::truncate_words(&r.search_text(EntryId(page.item)), SNIPPET_TEXT),
        }))
    }
}
