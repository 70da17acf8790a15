//! The search indexes of a render, one per language, made the first time one of its files is
//! viewed: each article's analysis comes from the [`Cache`] the [`crate::Site`] keeps, so a
//! rebuild analyses only the articles an edit changed, and the index the last render left is
//! updated with them in place of being merged again.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::Renderer;
use crate::config::Config;
use crate::content::{Article, CitySource};
use crate::markdown::Body;
use crate::model::reads;
use crate::model::{EntryId, LangId, Version};
use crate::search::analyze::{Analyzer, Memo};
use crate::search::fold;
use crate::search::index::{self, push_json, Cache, Champion, DocInput, DocTerms, Index, Seen, Text};
use crate::urls::Urls;

/// How much of an article's text its search file carries for snippets (all of it is indexed):
/// a long press release whole (the portal's longest has ~4,000 letters), an endless one cut.
pub(super) const SNIPPET_TEXT: usize = 5000;

/// A snippet's length in characters, and how many of them come before its first match, as
/// `static/search.js` cuts one from an article's text (`marked`).
const SNIPPET: usize = 240;
const BEFORE: usize = SNIPPET / 3;

/// Per shard, its [`Champion`]s' results (as [`Index::champions`] lists them) as it writes them.
pub(super) type Results = Vec<Vec<Arc<str>>>;

/// What the search indexes keep between renders: the analyses by key ([`Cache`]) and, under
/// `serve`, each language's documents as the last render numbered them, so that a render after
/// an edit finds the analyses of the documents it did not change by their entries' versions,
/// without making and looking up every document's key again.
#[derive(Default)]
pub struct Kept {
    pub cache: Cache,
    numbered: std::sync::Mutex<rustc_hash::FxHashMap<usize, Numbered>>,
}

impl Kept {
    fn numbered(&self) -> std::sync::MutexGuard<'_, rustc_hash::FxHashMap<usize, Numbered>> {
        self.numbered.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Says that no render will follow the next, which then keeps nothing for one.
    pub fn before_last_render(&mut self) {
        self.cache.before_last_render();
    }
}

/// A language's documents as a render numbered them.
#[derive(Default)]
struct Numbered {
    /// The names of the cities in the language, which every article's analysis reads.
    cities: Vec<String>,
    /// By number: an article's version with its analysis's key and the analysis (a page that
    /// is not news has none: there are few, and each is keyed again).
    docs: Vec<Option<(Version, u128, Arc<DocTerms>)>>,
}

pub(super) struct Searches<'a> {
    kept: &'a Kept,
    cache: &'a Cache,
    /// Per language, its documents by number ([`SearchDoc`]).
    docs: Vec<OnceLock<Vec<SearchDoc>>>,
    langs: Vec<OnceLock<Index<'a>>>,
    /// Per language, its articles sorted: what every shard reads.
    read: Vec<OnceLock<Arc<[EntryId]>>>,
    analyzers: Vec<OnceLock<Analyzer>>,
    /// Per language, by document number: the key of its analysis (a hash of what it reads).
    doc_keys: Vec<OnceLock<Vec<u128>>>,
    /// Per language, per shard, per champion: a hash of what its result is made from.
    result_keys: Vec<OnceLock<Vec<Vec<u128>>>>,
    results: Vec<OnceLock<Results>>,
}

impl<'a> Searches<'a> {
    pub fn new(kept: &'a Kept, languages: usize) -> Searches<'a> {
        Searches {
            kept,
            cache: &kept.cache,
            docs: (0..languages).map(|_| OnceLock::new()).collect(),
            langs: (0..languages).map(|_| OnceLock::new()).collect(),
            read: (0..languages).map(|_| OnceLock::new()).collect(),
            analyzers: (0..languages).map(|_| OnceLock::new()).collect(),
            doc_keys: (0..languages).map(|_| OnceLock::new()).collect(),
            result_keys: (0..languages).map(|_| OnceLock::new()).collect(),
            results: (0..languages).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// A document of a language's index: a page that is not news, or an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SearchDoc {
    /// A page of `Model::pages`.
    Page(usize),
    Entry(EntryId),
}

/// What the analysis of an article reads, as the article's file and the city registry give it:
/// the same for [`analyse_ahead`], which has no model yet, and for the render.
struct Reads<'a> {
    code: &'a str,
    title: &'a str,
    summary: &'a str,
    body: &'a Body,
    /// The names of its cities in its language.
    cities: Vec<&'a str>,
}

impl Reads<'_> {
    /// The key its analysis is kept under: a hash of all it reads (of the body, its hash).
    fn key(&self) -> u128 {
        index::key(&[
            self.code.as_bytes(),
            self.title.as_bytes(),
            self.summary.as_bytes(),
            &self.body.html_hash.to_le_bytes(),
            self.cities.join("\u{1f}").as_bytes(),
        ])
    }

    /// The summary and body as plain text.
    fn text(&self) -> Text {
        let mut text = String::new();
        let control = self.text_into(&mut text);
        Text { text, control }
    }

    /// [`Reads::text`], appended to `out`; whether it has a control character.
    fn text_into(&self, out: &mut String) -> bool {
        let start = out.len();
        let summary = self.summary.trim_start();
        // A spilled body's read back: should that fail, the build notes it and commits nothing
        // ([`crate::markdown::Spill::check`]).
        out.reserve(summary.len() + 1 + self.body.html.len());
        out.push_str(summary);
        if !summary.is_empty() {
            out.push(' ');
        }
        let control = self.body.text_into(out);
        // The body's plain text has no white space at either end; without one, the space.
        let end = start + out[start..].trim_end().len();
        out.truncate(end);
        control || summary.bytes().any(|b| b < 0x20)
    }

    /// The analysis, from `text` when given.
    fn analyse(&self, a: &Analyzer, text: &str, seen: &mut Seen, cache: &Cache) -> DocTerms {
        let input = DocInput {
            title: self.title,
            cities: self.cities.clone(),
            text,
        };
        DocTerms::new(a, &input, seen, &cache.words)
    }
}

/// The analyser of the words of language `code`, with the registry's city names.
fn analyzer<'c>(code: &str, cities: impl Iterator<Item = &'c CitySource>) -> Analyzer {
    Analyzer::new(code, cities.flat_map(|c| c.name.values().map(String::as_str)))
}

/// Analyses `articles` into `cache` (each body's plain text read back from the spill file)
/// until `stop` is set: work for the cores the model's one-thread stage leaves idle. The render finds each
/// analysis by its key as if it had made it; one not used (a draft left out, an article whose
/// city is unknown) is forgotten by the render.
pub fn analyse_ahead(
    cache: &Cache,
    config: &Config,
    cities: &[Arc<CitySource>],
    articles: &[Article<Body>],
    stop: &AtomicBool,
) {
    if !config.search {
        return;
    }
    let analyzers: Vec<Analyzer> = config
        .languages
        .iter()
        .map(|l| analyzer(&l.code, cities.iter().map(|c| &**c)))
        .collect();
    let city = |key: &str| -> Option<&CitySource> {
        let i = cities.binary_search_by(|c| c.key.as_str().cmp(key)).ok()?;
        Some(&cities[i])
    };
    articles.par_iter().with_max_len(16).for_each(|article| {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let source = &article.source;
        let Some(lang) = config.languages.iter().position(|l| l.code == source.lang) else {
            return;
        };
        let code = config.languages[lang].code.as_str();
        let Some(cities) = std::iter::once(&source.region)
            .chain(&source.partners)
            .map(|r| city(&r.key).map(|c| c.name_in(code)))
            .collect::<Option<Vec<&str>>>()
        else {
            return;
        };
        let reads = Reads {
            code,
            title: &source.title,
            summary: source.summary.as_deref().unwrap_or_default(),
            body: &article.body,
            cities,
        };
        let key = reads.key();
        if cache.has(lang, key) {
            return;
        }
        let text = reads.text();
        let doc = reads.analyse(&analyzers[lang], &text.text, &mut cache.seen(lang).seen, cache);
        cache.get(lang, key, || doc);
    });
}

impl<'a> Renderer<'a> {
    /// The language's documents by number: its pages that are not news (by slug), then its
    /// articles from the oldest, so that a new article adds a number and changes none.
    pub(super) fn search_docs(&self, lang: LangId) -> &[SearchDoc] {
        self.search.docs[lang].get_or_init(|| {
            let pages = self.model.pages.iter().enumerate().filter(|(_, p)| p.lang == lang);
            pages
                .map(|(i, _)| SearchDoc::Page(i))
                .chain(
                    self.model.langs[lang]
                        .entries
                        .iter()
                        .rev()
                        .map(|&id| SearchDoc::Entry(id)),
                )
                .collect()
        })
    }

    /// The document numbered `n` by the language's index.
    pub(super) fn search_doc(&self, lang: LangId, n: usize) -> SearchDoc {
        self.search_docs(lang)[n]
    }

    /// What the analysis of document `doc` reads.
    fn search_reads(&self, doc: SearchDoc) -> Reads<'a> {
        let id = match doc {
            SearchDoc::Entry(id) => id,
            SearchDoc::Page(i) => {
                let p = &self.model.pages[i];
                return Reads {
                    code: self.code(p.lang),
                    title: &p.source.title,
                    summary: p.source.summary.as_deref().unwrap_or_default(),
                    body: &p.body,
                    cities: Vec::new(),
                };
            }
        };
        let e = &self.model.entries[id];
        let g = self.lang(e.lang);
        Reads {
            code: self.code(e.lang),
            title: &e.source().title,
            summary: e.source().summary.as_deref().unwrap_or_default(),
            body: e.body(),
            cities: std::iter::once(e.region)
                .chain(e.partners.iter().copied())
                .map(|c| g.cities[c].name)
                .collect(),
        }
    }

    /// The language's index. Any shard may hold any article's words, so each has read them all.
    pub(super) fn search_index(&self, lang: LangId) -> &Index<'a> {
        reads::record_set(self.search.read[lang].get_or_init(|| {
            let mut ids = self.model.langs[lang].entries.to_vec();
            ids.sort_unstable();
            ids.into()
        }));
        self.search.langs[lang].get_or_init(|| self.make_index(lang))
    }

    /// The analyser of `lang`'s words, made once.
    fn analyzer(&self, lang: LangId) -> &Analyzer {
        self.search.analyzers[lang]
            .get_or_init(|| analyzer(self.code(lang), self.model.cities.iter().map(|c| &*c.source)))
    }

    /// The analysis of article `id` of `lang` with its key, made only if the cache has not seen
    /// its title, summary, body and cities (by the body's hash, made when it was rendered)
    /// before; from `text` when given (the article's search file has it), or else from its
    /// plain text made here.
    fn search_terms(
        &self,
        lang: LangId,
        reads: &Reads,
        key: u128,
        text: Option<&str>,
        seen: &mut Seen,
    ) -> Arc<DocTerms> {
        self.search.cache.get(lang.0, key, || {
            let text = text.map_or_else(|| Cow::Owned(reads.text().text), Cow::Borrowed);
            reads.analyse(self.analyzer(lang), &text, seen, self.search.cache)
        })
    }

    /// Article `id`'s plain text for its search file, appended to `out`, and analysed there if
    /// the index has not been ([`analyse_ahead`] may have analysed it: the body's plain text
    /// was made once, when it was rendered); whether it has a control character.
    pub(super) fn search_doc_text(&self, lang: LangId, doc: SearchDoc, out: &mut String) -> bool {
        let reads = self.search_reads(doc);
        let key = reads.key();
        let start = out.len();
        let control = reads.text_into(out);
        if self.search.langs[lang].get().is_none() {
            let text = &out[start..];
            self.search_terms(lang, &reads, key, Some(text), &mut self.search.cache.seen(lang.0).seen);
        }
        control
    }

    /// Article `id`'s link, title and date as its search results show them, as JSON members
    /// (`"u":…,"t":…,"d":…`) appended to `out`.
    pub(super) fn push_search_result(&self, lang: LangId, doc: SearchDoc, out: &mut String) {
        let (url, title, date) = match doc {
            SearchDoc::Entry(id) => {
                let e = &self.model.entries[id];
                (
                    Urls::article(self.code(lang), e.stem()),
                    e.source().title.as_str(),
                    self.lang(lang).long_date(e.date().day()),
                )
            }
            // A page has no date: its result shows none.
            SearchDoc::Page(i) => {
                let p = &self.model.pages[i].source;
                (Urls::page(self.code(lang), &p.slug), p.title.as_str(), String::new())
            }
        };
        out.push_str("\"u\":");
        push_json(out, &self.urls.href(&url));
        out.push_str(",\"t\":");
        push_json(out, title);
        out.push_str(",\"d\":");
        push_json(out, &date);
    }

    /// Per shard, per champion of the index: a hash of all its result is made from (the
    /// analysis key of the document, which covers its title and text; its number, link and
    /// date; where its snippet is cut), without making it.
    fn search_result_keys(&self, lang: LangId) -> &[Vec<u128>] {
        self.search.result_keys[lang].get_or_init(|| {
            let index = self.search_index(lang);
            self.search.cache.keep_champions(lang.0, index.champion_lists());
            let doc_keys = self.search.doc_keys[lang].get().expect("made with the index");
            (0..index.shard_count() as usize)
                .into_par_iter()
                .map(|s| {
                    let champions = index.champions(s);
                    champions
                        .iter()
                        .map(|c| {
                            let (name, day) = match self.search_doc(lang, c.doc as usize) {
                                SearchDoc::Entry(id) => {
                                    let e = &self.model.entries[id];
                                    (e.stem(), day_number(e.date().day()))
                                }
                                SearchDoc::Page(i) => (self.model.pages[i].source.slug.as_str(), i32::MIN),
                            };
                            index::key(&[
                                &doc_keys[c.doc as usize].to_le_bytes(),
                                &c.doc.to_le_bytes(),
                                &c.first.map_or(u64::MAX, |f| f as u64).to_le_bytes(),
                                name.as_bytes(),
                                &day.to_le_bytes(),
                            ])
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// The results of the index's [`Champion`]s, per shard, for the shards to carry: those the
    /// cache kept from an earlier render (under `serve`) as they were, the others made from
    /// their articles' texts (as much of each as its snippets need), each text once.
    pub(super) fn search_results(&self, lang: LangId) -> &Results {
        self.search.results[lang].get_or_init(|| {
            let index = self.search_index(lang);
            let keys = self.search_result_keys(lang);
            let cache = self.search.cache;
            let results: Vec<Vec<Option<Arc<str>>>> = keys
                .iter()
                .map(|shard| shard.iter().map(|&k| cache.result(lang.0, k)).collect())
                .collect();
            // The others, by document.
            let mut missing: Vec<(Champion, u128)> = Vec::new();
            for (s, shard) in results.iter().enumerate() {
                for (i, result) in shard.iter().enumerate() {
                    if result.is_none() {
                        missing.push((index.champions(s)[i], keys[s][i]));
                    }
                }
            }
            missing.sort_unstable_by_key(|(c, _)| (c.doc, c.stem));
            let docs: Vec<&[(Champion, u128)]> = missing.chunk_by(|a, b| a.0.doc == b.0.doc).collect();
            let made: rustc_hash::FxHashMap<u128, Arc<str>> = docs
                .into_par_iter()
                .with_max_len(16)
                .flat_map_iter(|same| self.champion_results(lang, same))
                .collect();
            let results: Results = results
                .into_iter()
                .zip(keys)
                .map(|(shard, keys)| {
                    let filled = shard.into_iter().zip(keys);
                    filled
                        .map(|(r, key)| {
                            r.or_else(|| made.get(key).cloned())
                                .expect("every champion's result made")
                        })
                        .collect()
                })
                .collect();
            let kept = keys.iter().flatten().zip(results.iter().flatten());
            cache.keep_results(lang.0, kept.map(|(&k, r)| (k, r.clone())));
            results
        })
    }

    /// The results of one document's champions (`same`, all of one document, with their keys).
    fn champion_results(&self, lang: LangId, same: &[(Champion, u128)]) -> Vec<(u128, Arc<str>)> {
        let doc = same[0].0.doc;
        let found = self.search_doc(lang, doc as usize);
        let reads = self.search_reads(found);
        let text = reads.text().text;
        let mut head = String::with_capacity(256);
        head.push_str("{\"n\":");
        head.push_str(&doc.to_string());
        head.push(',');
        self.push_search_result(lang, found, &mut head);
        head.push_str(",\"x\":");
        same.iter()
            .map(|(c, key)| {
                let (window, before, after) = snippet(&text, c.first, true);
                let mut json = String::with_capacity(head.len() + window.len() + 16);
                json.push_str(&head);
                push_json(&mut json, window);
                json.push_str(",\"c\":");
                json.push(char::from(b'0' + u8::from(before) + 2 * u8::from(after)));
                if let Some(first) = c.first {
                    json.push_str(",\"p\":");
                    json.push_str(&first.to_string());
                }
                json.push('}');
                (*key, Arc::from(json))
            })
            .collect()
    }

    /// Shard `s`'s signature under `serve`: its digest (every posting and form in it), and
    /// what its champions' results are made from.
    pub(super) fn search_shard_digest(&self, lang: LangId, s: usize) -> u128 {
        let index = self.search_index(lang);
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&index.digest(s).to_le_bytes());
        h.update(&index.threshold().to_le_bytes());
        for key in &self.search_result_keys(lang)[s] {
            h.update(&key.to_le_bytes());
        }
        h.digest128()
    }

    /// The index of `lang`'s articles, from each one's analysis: under `serve`, that of an
    /// article whose version is the one the last render numbered the same is taken as it was.
    fn make_index(&self, lang: LangId) -> Index<'a> {
        let a = self.analyzer(lang);
        let docs = self.search_docs(lang);
        let cities: Vec<String> = self.lang(lang).cities.iter().map(|c| c.name.to_string()).collect();
        let last = self
            .search
            .kept
            .numbered()
            .remove(&lang.0)
            .filter(|last| last.cities == cities);
        // Per document: its key, its analysis, and whether it was the last render's.
        let made: Vec<(u128, Arc<DocTerms>, bool)> = docs
            .par_iter()
            .enumerate()
            .with_min_len(256)
            .map_init(
                || self.search.cache.seen(lang.0),
                |seen, (n, &doc)| {
                    if let (SearchDoc::Entry(id), Some(last)) = (doc, &last) {
                        if let Some(Some((version, key, terms))) = last.docs.get(n) {
                            if self.model.entries[id].has_version(version) {
                                return (*key, terms.clone(), true);
                            }
                        }
                    }
                    let reads = self.search_reads(doc);
                    let key = reads.key();
                    (key, self.search_terms(lang, &reads, key, None, &mut seen.seen), false)
                },
            )
            .collect();
        match &last {
            // Only the analyses of documents changed or gone can be forgotten.
            Some(last) => {
                let fresh: FxHashSet<u128> = made.iter().filter(|m| !m.2).map(|m| m.0).collect();
                let gone = last.docs.iter().enumerate().filter_map(|(n, known)| {
                    let (_, key, _) = known.as_ref()?;
                    let kept = made.get(n).is_some_and(|m| m.2);
                    (!kept && !fresh.contains(key)).then_some(*key)
                });
                self.search.cache.forget(lang.0, gone);
            }
            None => {
                let keep: FxHashSet<u128> = made.iter().map(|m| m.0).collect();
                self.search.cache.retain(lang.0, &keep);
            }
        }
        if self.search.cache.keeps() {
            let mut next = last.map(|last| last.docs).unwrap_or_default();
            next.truncate(docs.len());
            next.resize_with(docs.len(), || None);
            for (n, (&doc, (key, terms, was))) in docs.iter().zip(&made).enumerate() {
                if !was {
                    next[n] = match doc {
                        SearchDoc::Entry(id) => Some((self.model.entries[id].version(), *key, terms.clone())),
                        SearchDoc::Page(_) => None,
                    };
                }
            }
            self.search
                .kept
                .numbered()
                .insert(lang.0, Numbered { cities, docs: next });
        }
        let (keys, docs): (Vec<u128>, Vec<Arc<DocTerms>>) = made.into_iter().map(|(k, d, _)| (k, d)).unzip();
        let _ = self.search.doc_keys[lang].set(keys);
        // The last render's index, updated in place once that render is gone (under `serve`,
        // an edit's render finds the one before it dropped), and kept for the next.
        let previous = self.search.cache.take_index(lang.0);
        let kept = self.search.cache.take_champions(lang.0);
        let index = Index::new(
            &docs,
            &self.latin_names(lang, a),
            &self.search.cache.words,
            previous,
            kept,
        );
        self.search.cache.keep_index(lang.0, index.state());
        index
    }

    /// The cities' keys as Latin words ("qinghai", "united", "kingdom"), each with the stem of
    /// the word of the city's name in `lang` it is closest to: a reader typing a place in Latin
    /// letters finds it whatever the language calls it.
    fn latin_names(&self, lang: LangId, a: &Analyzer) -> Vec<(String, String)> {
        let g = self.lang(lang);
        let mut memo = Memo::default();
        let mut out = Vec::new();
        for link in &g.cities {
            let words: Vec<(String, String)> = crate::search::words::words(link.name)
                .filter_map(|w| Some((fold::latin(w)?, a.keys(w, &mut memo)?.stem.clone())))
                .collect();
            for part in link.key.split('-').filter(|p| p.len() >= 2) {
                let part = fold::latin_fold(part);
                let best = words
                    .iter()
                    .max_by(|x, y| strsim::jaro_winkler(&x.0, &part).total_cmp(&strsim::jaro_winkler(&y.0, &part)));
                if let Some((_, stem)) = best {
                    out.push((part, stem.clone()));
                }
            }
        }
        out
    }
}

/// The part of `text` a snippet shows around byte `first` (a word's start; from the start
/// when none), cut as `static/search.js`'s `marked` cuts one (in characters, where it counts
/// UTF-16 units: the same for the letters of both languages): from the start of a word about
/// [`BEFORE`] characters earlier, [`SNIPPET`] characters cut back to a space; and whether text
/// is left out before it and after it. `whole`: `text` is all of the text, not its beginning.
pub(super) fn snippet(text: &str, first: Option<usize>, whole: bool) -> (&str, bool, bool) {
    if whole && nth_char(text, SNIPPET).is_none() {
        return (text, false, false);
    }
    let first = first.filter(|&f| text.is_char_boundary(f)).unwrap_or(0);
    // The start of the BEFOREth character before the match (a character starts at a byte that
    // does not continue one).
    let from = text.as_bytes()[..first]
        .iter()
        .rposition({
            let mut left = BEFORE;
            move |&b| {
                (b as i8) >= -0x40 && {
                    left -= 1;
                    left == 0
                }
            }
        })
        .unwrap_or(0);
    let from = if from == 0 {
        0
    } else {
        text[from..].find(' ').map_or(0, |k| from + k + 1)
    };
    let mut to = nth_char(&text[from..], SNIPPET).map_or(text.len(), |k| from + k);
    if to < text.len() {
        let space = if text[to..].starts_with(' ') {
            Some(to)
        } else {
            text[..to].rfind(' ')
        };
        if let Some(space) = space.filter(|&sp| sp > from) {
            to = space;
        }
    }
    (&text[from..to], from > 0, to < text.len() || !whole)
}

/// The byte `text`'s character `n` (from 0) starts at, if it has that many.
fn nth_char(text: &str, n: usize) -> Option<usize> {
    let mut left = n;
    text.bytes().position(|b| {
        (b as i8) >= -0x40 && {
            let here = left == 0;
            left = left.wrapping_sub(1);
            here
        }
    })
}

/// A day as one number (20250829), for keys.
fn day_number(day: jiff::civil::Date) -> i32 {
    i32::from(day.year()) * 10_000 + i32::from(day.month()) * 100 + i32::from(day.day())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::Mutex;

    use super::*;
    use crate::options::{BuildOptions, Stages};
    use crate::render::Sink;
    use crate::Site;

    #[derive(Default)]
    struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Sink for Memory {
        fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
            self.0.lock().unwrap().insert(path.to_string(), bytes.to_vec());
            Ok(())
        }
    }

    fn render(site: &Site) -> BTreeMap<String, Vec<u8>> {
        let out = Memory::default();
        site.render(&out).unwrap();
        out.0.into_inner().unwrap()
    }

    #[test]
    fn a_snippet_is_cut_around_its_match_as_the_script_cuts_one() {
        // Short: all of it, whatever the match.
        assert_eq!(
            snippet("Делегация Шанхая", Some(0), true),
            ("Делегация Шанхая", false, false)
        );
        let words: Vec<String> = (0..200).map(|i| format!("сөз{i}")).collect();
        let text = words.join(" ");
        // No match: from the start, cut back to a space.
        let (cut, before, after) = snippet(&text, None, true);
        assert!(text.starts_with(cut) && !before && after);
        assert!(
            cut.chars().count() <= SNIPPET && text[cut.len()..].starts_with(' '),
            "{cut}"
        );
        // A match far in: from the start of a word about BEFORE characters earlier.
        let at = text.find("сөз100 ").unwrap();
        let (cut, before, after) = snippet(&text, Some(at), true);
        assert!(before && after);
        let from = text.find(cut).unwrap();
        let chars_before = text[from..at].chars().count();
        assert!(chars_before <= BEFORE && chars_before + 8 > BEFORE, "{chars_before}");
        assert!(text[..from].ends_with(' ') && cut.starts_with("сөз"), "{cut}");
        assert!(cut.contains("сөз100 ") && cut.chars().count() <= SNIPPET);
        // Near the end: up to it, nothing left out after.
        let at = text.find("сөз198").unwrap();
        let (cut, before, after) = snippet(&text, Some(at), true);
        assert!(before && !after && text.ends_with(cut), "{cut}");
        // Of a beginning of the text: more follows, whatever is left in it.
        let (_, _, after) = snippet(&text[..text.find("сөз199").unwrap()], Some(at), false);
        assert!(after);
        // What the script counts (UTF-16 units) is what this counts for Cyrillic text.
        assert!(text.chars().all(|c| c.len_utf16() == 1));
        // Counted by bytes as by characters, in texts of one to four bytes a character.
        let reference = |text: &str, first: usize| -> (usize, usize) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let at = chars.iter().position(|c| c.0 == first).unwrap();
            let from = if at >= BEFORE { chars[at - BEFORE].0 } else { 0 };
            let from = if from == 0 {
                0
            } else {
                text[from..].find(' ').map_or(0, |k| from + k + 1)
            };
            let k = chars.iter().position(|c| c.0 == from).unwrap_or(chars.len());
            (from, chars.get(k + SNIPPET).map_or(text.len(), |c| c.0))
        };
        for piece in ["ab ", "сөз ", "€€ ", "😀x "] {
            let text = piece.repeat(150);
            for first in text.char_indices().map(|c| c.0).step_by(7) {
                let (cut, _, _) = snippet(&text, Some(first), true);
                let from = cut.as_ptr() as usize - text.as_ptr() as usize;
                let (want_from, want_to) = reference(&text, first);
                assert_eq!(from, want_from, "{piece} {first}");
                assert!(
                    from + cut.len() <= want_to && want_to - (from + cut.len()) < 3 * piece.len(),
                    "{piece} {first}"
                );
            }
        }
    }

    #[test]
    fn articles_analysed_ahead_are_found_by_the_render_and_change_no_file() {
        // A copy: a render draws social cards into the site's cache.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/good");
        let root = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&fixture) {
            let entry = entry.unwrap();
            let to = root.path().join(entry.path().strip_prefix(&fixture).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let opts = BuildOptions {
            now: Some(1_767_225_600),
            ..BuildOptions::new(root.path())
        };
        let mut site = Site::load(&opts, &mut Stages::new()).unwrap();
        assert!(site.config.search);

        site.search = Kept::default();
        let alone = render(&site);
        let docs: usize = site.model.langs.iter().map(|l| l.entries.len()).sum();
        assert_eq!(site.search.cache.made(), docs);
        assert!(alone.keys().any(|p| p.contains("/search/doc/")));

        site.search = Kept::default();
        let articles: Vec<_> = site.content.articles.values().cloned().collect();
        analyse_ahead(
            &site.search.cache,
            &site.config,
            &site.content.cities,
            &articles,
            &AtomicBool::new(false),
        );
        assert_eq!(site.search.cache.made(), articles.len());
        let ahead = render(&site);
        // Every analysis made ahead was found under the key the render looked for.
        assert_eq!(site.search.cache.made(), articles.len());
        assert_eq!(alone.len(), ahead.len());
        for (path, bytes) in &alone {
            assert!(ahead.get(path) == Some(bytes), "{path} differs");
        }

        // Told to stop, it analyses nothing.
        site.search = Kept::default();
        analyse_ahead(
            &site.search.cache,
            &site.config,
            &site.content.cities,
            &articles,
            &AtomicBool::new(true),
        );
        assert_eq!(site.search.cache.made(), 0);
    }
}
