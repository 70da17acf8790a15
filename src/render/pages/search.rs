//! Search, in each language: the page (`/L/search/`, whose script reads `?q=`) and the files of
//! its index (`/L/search/meta.json`, the shards `s/N.json`, and `doc/N.json` for every few articles), as
//! [`crate::search::index`] describes them.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use super::{Format, Kind, Page, Stage, View};
use crate::model::LangId;
use crate::render::parts::About;
use crate::render::search::SNIPPET_TEXT;
use crate::render::views::PageView;
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

/// Each language, when the site has search.
fn languages(r: &Renderer) -> impl Iterator<Item = LangId> {
    let n = if r.config.search { r.config.languages.len() } else { 0 };
    LangId::all(n)
}

fn per_language(r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
    for lang in languages(r) {
        add(lang, 0, 1);
    }
}

/// The index's table of documents and what the script needs to read a query as the index was
/// made: folding tables, stop words, the number of shards.
pub struct Meta;

#[derive(Serialize)]
struct MetaView<'a> {
    shards: u32,
    /// How many articles there are, each numbered from the oldest, and how many a file of
    /// `doc/N.json` has (article `n` is in file `n / per_file`).
    docs: usize,
    per_file: usize,
    /// Per year, oldest first: the year and how many articles it has.
    years: Vec<(i32, usize)>,
    /// Per article: its cities (indexes into `cities`), `.`-separated; `,` between articles.
    doc_cities: String,
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
    fn format(&self) -> Format {
        Format::Json
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        per_language(r, add);
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::search_file(r.code(page.lang), "meta.json")
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        use chrono::Datelike;
        use std::fmt::Write;
        let code = r.code(page.lang);
        let docs = r.search_docs(page.lang);
        let g = r.lang(page.lang);
        let mut years: Vec<(i32, usize)> = Vec::new();
        let mut doc_cities = String::new();
        for &id in docs.iter().rev() {
            let e = &r.model.entries[id];
            let year = e.date().day().year();
            match years.last_mut() {
                Some((y, n)) if *y == year => *n += 1,
                _ => years.push((year, 1)),
            }
            if !doc_cities.is_empty() {
                doc_cities.push(',');
            }
            for (i, c) in std::iter::once(e.region).chain(e.partners.iter().copied()).enumerate() {
                let sep = if i == 0 { "" } else { "." };
                let _ = write!(doc_cities, "{sep}{}", c.0);
            }
        }
        Ok(Box::new(MetaView {
            shards: index::shard_count(docs.len()),
            docs: docs.len(),
            per_file: index::DOCS_PER_FILE,
            years,
            doc_cities,
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
    fn format(&self) -> Format {
        Format::Json
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in languages(r) {
            // As many as `Index::new` makes, without making the index.
            for shard in 0..index::shard_count(r.search_docs(lang).len()) {
                add(lang, shard as usize, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::search_file(r.code(page.lang), &format!("s/{}.json", page.item))
    }
    fn stage(&self) -> Stage {
        Stage::Last
    }
    fn prepare(&self, r: &Renderer) {
        // Both languages at once: each is made by one thread.
        let langs: Vec<LangId> = languages(r).collect();
        langs.par_iter().for_each(|&lang| {
            r.search_index(lang);
        });
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        Ok(Box::new(ShardView {
            index: r.search_index(page.lang),
            shard: page.item,
        }))
    }
}

/// A shard as its file shows it; in a signature, its digest: everything the file is made from,
/// hashed as the index was made, so that an edit signs 1,024 shards without making them.
struct ShardView<'a> {
    index: &'a index::Index<'a>,
    shard: usize,
}

impl Serialize for ShardView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            self.index.shard(self.shard).serialize(s)
        } else {
            s.serialize_bytes(&self.index.digest(self.shard).to_le_bytes())
        }
    }
}

/// Articles as search results show them (link, title, date and text for the snippet), in files of
/// [`index::DOCS_PER_FILE`] consecutive numbers: fewer files to write, and a query whose results
/// are near in time (most are: news on one subject comes together) fetches fewer.
pub struct Doc;

#[derive(Serialize)]
struct DocView<'a> {
    u: String,
    t: &'a str,
    d: String,
    /// The text, as JSON already ([`json_text`]).
    x: Box<RawValue>,
}

/// `text` as a JSON string, byte for byte as `serde_json` writes it. An article's plain text
/// seldom has anything to escape (its quotes are typographic), which is checked eight bytes at
/// a time; `serde_json` reads its strings that way but writes them a byte at a time, and the
/// articles' text is most of what the index's files hold.
fn json_text(text: &str) -> serde_json::Result<Box<RawValue>> {
    if needs_escape(text) {
        return RawValue::from_string(serde_json::to_string(text)?);
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    quoted.push_str(text);
    quoted.push('"');
    RawValue::from_string(quoted)
}

/// Whether `text` has a control character, `"` or `\\`: what JSON escapes.
fn needs_escape(text: &str) -> bool {
    use crate::render::eight::{below, first, is, HIGH};
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let Some(v) = first(chunk) else {
            return true;
        };
        if (below(v, 0x20) | is(v, b'"') | is(v, b'\\')) & HIGH != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

impl Kind for Doc {
    fn template(&self) -> &'static str {
        "search/doc.json"
    }
    fn format(&self) -> Format {
        Format::Json
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in languages(r) {
            for n in 0..r.search_docs(lang).len().div_ceil(index::DOCS_PER_FILE) {
                add(lang, n, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::search_file(r.code(page.lang), &format!("doc/{}.json", page.item))
    }
    /// First: each file analyses the text it shows, for the index that [`Shard`]'s `prepare`
    /// makes from every article's analysis.
    fn stage(&self) -> Stage {
        Stage::First
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let code = r.code(page.lang);
        let first = page.item * index::DOCS_PER_FILE;
        let last = (first + index::DOCS_PER_FILE).min(r.search_docs(page.lang).len());
        let docs: Vec<DocView> = (first..last)
            .map(|n| {
                let id = r.search_doc(page.lang, n);
                let e = &r.model.entries[id];
                Ok(DocView {
                    u: r.urls.href(&Urls::article(code, e.stem())),
                    t: &e.source().title,
                    d: r.lang(page.lang).long_date(e.date().day()),
                    x: json_text(&crate::markdown::truncate_words_owned(
                        r.search_doc_text(page.lang, id),
                        SNIPPET_TEXT,
                    ))?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Box::new(docs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_written_as_serde_json_writes_it() {
        let mut texts = vec![
            String::new(),
            "Шаңхай".to_string(),
            "«Болашақ» — 2025 жыл…".to_string(),
            "x".repeat(17),
        ];
        // Each character JSON escapes, at each place in an eight-byte chunk and past the last.
        for special in ['"', '\\', '\n', '\t', '\u{1}', '\u{1f}', '\u{8}', '\u{c}', '\r'] {
            for at in 0..18 {
                let mut t: String = "ж".repeat(at / 2) + &"a".repeat(at % 2);
                t.push(special);
                t.push_str("ә text");
                texts.push(t);
            }
        }
        for text in &texts {
            let raw = json_text(text).unwrap();
            assert_eq!(raw.get(), serde_json::to_string(text).unwrap(), "{text:?}");
        }
        // Only these need escaping: the fast path is taken for the rest.
        assert!(!needs_escape("«Болашақ» — /2025/ жыл… \u{7f} \u{2028} é"));
        assert!(needs_escape("0123456789abcdef\""));
    }
}
