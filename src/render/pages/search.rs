//! Search, in each language: the page (`/L/search/`, whose script reads `?q=`) and the files of
//! its index (`/L/search/meta.json`, the shards `s/N.json`, and `doc/N.json` for every few articles), as
//! [`crate::search::index`] describes them.

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::{Format, Kind, Page, Stage, View};
use crate::model::LangId;
use crate::render::made::Made;
use crate::render::parts::About;
use crate::render::search::{SearchDoc, SNIPPET_TEXT};
use crate::render::views::PageView;
use crate::render::Renderer;
use crate::search::index::{self, push_json};
use crate::search::{analyze::Analyzer, fold};
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
    /// How many documents there are (the pages that are not news, then the articles from the
    /// oldest), and how many a file of `doc/N.json` has (document `n` is in file `n / per_file`).
    docs: usize,
    per_file: usize,
    /// Per run of documents, in their order: the year (0 for pages) and how many it has.
    years: Vec<(i32, usize)>,
    /// How many documents a file of their cities (`c/N.json`, [`CityFile`]) has.
    city_docs: usize,
    /// The split heads (their FNV-1a hashes, of any length): a term under one is placed by one
    /// letter more; and the heavy keys with their own shards.
    split: &'a [u32],
    dir: &'a [(u32, u32)],
    /// Per city: key and name in this language.
    cities: Vec<(&'a str, &'a str)>,
    fold: &'static [(char, char)],
    latin: &'static [(&'static str, &'static str)],
    /// Per first three letters of a Latin form of a common stem: the shards to ask for beside
    /// the form's ([`index::Index::latin_shards`]).
    latin_shards: BTreeMap<String, Vec<u32>>,
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
    /// After the index, which its table of Latin forms reads.
    fn stage(&self) -> Stage {
        Stage::Last
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let code = r.code(page.lang);
        let docs = r.search_docs(page.lang);
        let g = r.lang(page.lang);
        // The pages that are not news first, with no year (0), then the articles from the
        // oldest: the archive's runs of years, oldest first.
        let pages = docs.iter().filter(|d| matches!(d, SearchDoc::Page(_))).count();
        let mut years: Vec<(i32, usize)> = Vec::new();
        if pages > 0 {
            years.push((0, pages));
        }
        years.extend(
            r.model.langs[page.lang]
                .years()
                .into_iter()
                .rev()
                .map(|(year, run)| (year, run.len())),
        );
        Ok(Box::new(MetaView {
            shards: index::shard_count(docs.len()),
            docs: docs.len(),
            per_file: index::DOCS_PER_FILE,
            years,
            city_docs: index::CITY_DOCS,
            split: r.search_index(page.lang).split(),
            dir: r.search_index(page.lang).dir(),
            cities: g.cities.iter().map(|c| (c.key, c.name)).collect(),
            fold: fold::FOLD,
            latin: fold::LATIN_FOLD,
            latin_shards: r.search_index(page.lang).latin_shards().into_iter().collect(),
            stop: Analyzer::new(code, []).stop_words(),
        }))
    }
}

/// The cities of [`index::CITY_DOCS`] consecutive documents (`c/N.json`): a JSON string, per
/// document its cities (indexes into the table's `cities`) `.`-separated, `,` between
/// documents (a page that is not news has none).
pub struct CityFile;

impl Kind for CityFile {
    fn template(&self) -> &'static str {
        "search/cities.json"
    }
    fn format(&self) -> Format {
        Format::Json
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in languages(r) {
            for n in 0..r.search_docs(lang).len().div_ceil(index::CITY_DOCS) {
                add(lang, n, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::search_file(r.code(page.lang), &format!("c/{}.json", page.item))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        use std::fmt::Write;
        let docs = r.search_docs(page.lang);
        let first = page.item * index::CITY_DOCS;
        let last = (first + index::CITY_DOCS).min(docs.len());
        let mut out = String::with_capacity((last - first) * 6);
        for (n, &doc) in docs[first..last].iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            if let SearchDoc::Entry(id) = doc {
                let e = &r.model.entries[id];
                for (i, c) in std::iter::once(e.region).chain(e.partners.iter().copied()).enumerate() {
                    let sep = if i == 0 { "" } else { "." };
                    let _ = write!(out, "{sep}{}", c.0);
                }
            }
        }
        Ok(Box::new(out))
    }
}

/// A shard of the index's terms.
pub struct Shard;

impl Kind for Shard {
    fn template(&self) -> &'static str {
        "search/shard.json"
    }
    /// Written by [`index::Index::shard_json`].
    fn format(&self) -> Format {
        Format::Made
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
            r.search_results(lang);
        });
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        r.search_index(page.lang);
        Ok(Box::new(ShardView {
            r,
            lang: page.lang,
            shard: page.item,
        }))
    }
}

/// A shard as its file's bytes ([`Format::Made`]), made when the file is written; in a
/// signature, its digest: everything the file is made from, hashed as the index was made (and
/// what its champions' results are made from), so that an edit signs 1,024 shards without
/// making them.
struct ShardView<'r, 'a> {
    r: &'r Renderer<'a>,
    lang: LangId,
    shard: usize,
}

impl Serialize for ShardView<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            let results = &self.r.search_results(self.lang)[self.shard];
            let json = self.r.search_index(self.lang).shard_json(self.shard, results);
            s.serialize_bytes(json.as_bytes())
        } else {
            s.serialize_bytes(&self.r.search_shard_digest(self.lang, self.shard).to_le_bytes())
        }
    }
}

/// Articles as search results show them (link, title, date and text for the snippet), in files of
/// [`index::DOCS_PER_FILE`] consecutive numbers: fewer files to write, and a query whose results
/// are near in time (most are: news on one subject comes together) fetches fewer.
///
/// Each file is a JSON array of `{"u": link, "t": title, "d": date, "x": text}`, written here
/// by hand ([`Format::Made`]): an article's text, most of the index's bytes, goes into the file
/// as its tags are stripped, and is analysed there, with no copy for JSON.
pub struct Doc;

impl Kind for Doc {
    fn template(&self) -> &'static str {
        "search/doc.json"
    }
    fn format(&self) -> Format {
        Format::Made
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
        let first = page.item * index::DOCS_PER_FILE;
        let last = (first + index::DOCS_PER_FILE).min(r.search_docs(page.lang).len());
        let mut out = String::with_capacity(32 * 1024);
        out.push('[');
        for n in first..last {
            let doc = r.search_doc(page.lang, n);
            out.push_str(if n == first { "{" } else { ",{" });
            r.push_search_result(page.lang, doc, &mut out);
            out.push_str(",\"x\":\"");
            let start = out.len();
            let control = r.search_doc_text(page.lang, doc, &mut out);
            // Cut for the snippet (all of it was analysed).
            let cut = crate::markdown::cut_words(&out[start..], SNIPPET_TEXT).map(str::len);
            if let Some(len) = cut {
                out.truncate(start + len);
                out.push('…');
            }
            // JSON escapes a control character, `"` or `\\`; the first are told as the text is
            // made, the others found much faster than a check of every byte for all three.
            if control || memchr::memchr2(b'"', b'\\', &out.as_bytes()[start..]).is_some() {
                let text = out.split_off(start);
                out.pop();
                push_json(&mut out, &text);
                out.push('}');
            } else {
                out.push_str("\"}");
            }
        }
        out.push(']');
        Ok(Box::new(Made::new(out.into_bytes())))
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
        texts.push("«Болашақ» — /2025/ жыл… \u{7f} \u{2028} é".to_string());
        texts.push("0123456789abcdef\"".to_string());
        for text in &texts {
            let mut out = "[".to_string();
            push_json(&mut out, text);
            assert_eq!(out[1..], serde_json::to_string(text).unwrap(), "{text:?}");
        }
        // Only these need escaping: the rest is copied as it is.
        let mut out = String::new();
        push_json(&mut out, "«Болашақ» — /2025/ жыл… \u{7f} \u{2028} é");
        assert_eq!(out, "\"«Болашақ» — /2025/ жыл… \u{7f} \u{2028} é\"");
        out.clear();
        push_json(&mut out, "0123456789abcdef\"");
        assert_eq!(out, "\"0123456789abcdef\\\"\"");
    }
}
