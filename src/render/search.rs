//! The search indexes of a render, one per language, made the first time one of its files is
//! viewed: each article's analysis comes from the [`Cache`] the [`crate::Site`] keeps, so a
//! rebuild analyses only the articles an edit changed, and the index the last render left is
//! updated with them in place of being merged again.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::{parts, Renderer};
use crate::model::reads;
use crate::model::{EntryId, LangId};
use crate::search::analyze::{Analyzer, Memo};
use crate::search::fold;
use crate::search::index::{self, Cache, DocInput, DocTerms, Index, Seen};

/// How much of an article's text its search file carries for snippets (all of it is indexed):
/// a long press release whole (the portal's longest has ~4,000 letters), an endless one cut.
pub(super) const SNIPPET_TEXT: usize = 5000;

pub(super) struct Searches<'a> {
    cache: &'a Cache,
    langs: Vec<OnceLock<Index<'a>>>,
    /// Per language, its articles sorted: what every shard reads.
    read: Vec<OnceLock<Arc<[EntryId]>>>,
    analyzers: Vec<OnceLock<Analyzer>>,
    /// Per language, words already analysed: one set per thread at work, handed back when it
    /// is done.
    seen: Vec<Mutex<Vec<Seen>>>,
}

impl<'a> Searches<'a> {
    pub fn new(cache: &'a Cache, languages: usize) -> Searches<'a> {
        Searches {
            cache,
            langs: (0..languages).map(|_| OnceLock::new()).collect(),
            read: (0..languages).map(|_| OnceLock::new()).collect(),
            analyzers: (0..languages).map(|_| OnceLock::new()).collect(),
            seen: (0..languages).map(|_| Mutex::default()).collect(),
        }
    }

    /// A set of words of `lang` already analysed, for one thread's work.
    fn seen(&self, lang: LangId) -> Lent<'_> {
        let pool = &self.seen[lang.0];
        let seen = pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Lent {
            seen: seen.unwrap_or_default(),
            pool,
        }
    }
}

/// A [`Seen`] lent by [`Searches::seen`], given back when dropped.
struct Lent<'s> {
    seen: Seen,
    pool: &'s Mutex<Vec<Seen>>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(seen);
    }
}

impl<'a> Renderer<'a> {
    /// The language's articles, newest first; the index numbers them from the oldest, so that
    /// a new article adds a number and changes none.
    pub(super) fn search_docs(&self, lang: LangId) -> &'a [EntryId] {
        &self.model.langs[lang].entries
    }

    /// The article numbered `n` by the language's index.
    pub(super) fn search_doc(&self, lang: LangId, n: usize) -> EntryId {
        let docs = self.search_docs(lang);
        docs[docs.len() - 1 - n]
    }

    /// The summary and body of an article as plain text.
    pub(super) fn search_text(&self, id: EntryId) -> String {
        let e = &self.model.entries[id];
        let summary = e.source().summary.as_deref().unwrap_or_default().trim_start();
        // Plain text from `strip_tags` has no white space at either end.
        let body = parts::strip_tags(&e.body().html);
        if summary.is_empty() {
            return body;
        }
        let mut text = String::with_capacity(summary.len() + 1 + body.len());
        text.push_str(summary);
        text.push(' ');
        text.push_str(&body);
        text.truncate(text.trim_end().len());
        text
    }

    /// The names of the article's cities in its language.
    fn search_cities(&self, id: EntryId) -> Vec<&str> {
        let e = &self.model.entries[id];
        let g = self.lang(e.lang);
        std::iter::once(e.region)
            .chain(e.partners.iter().copied())
            .map(|c| g.cities[c].name)
            .collect()
    }

    /// The language's index. Any shard may hold any article's words, so each has read them all.
    pub(super) fn search_index(&self, lang: LangId) -> &Index<'a> {
        reads::record_set(self.search.read[lang].get_or_init(|| {
            let mut ids = self.search_docs(lang).to_vec();
            ids.sort_unstable();
            ids.into()
        }));
        self.search.langs[lang].get_or_init(|| self.make_index(lang))
    }

    /// The analyser of `lang`'s words, made once.
    fn analyzer(&self, lang: LangId) -> &Analyzer {
        self.search.analyzers[lang].get_or_init(|| {
            let names = self
                .model
                .cities
                .iter()
                .flat_map(|c| c.source.name.values().map(String::as_str));
            Analyzer::new(self.code(lang), names)
        })
    }

    /// The analysis of article `id` of `lang` with its key, made only if the cache has not seen
    /// its title, summary, body and cities (by the body's hash, made when it was rendered)
    /// before; from `text` when given (the article's search file has it), or else from its
    /// plain text made here.
    pub(super) fn search_terms(
        &self,
        lang: LangId,
        id: EntryId,
        text: Option<&str>,
        seen: &mut Seen,
    ) -> (u128, Arc<DocTerms>) {
        let e = &self.model.entries[id];
        let cities = self.search_cities(id);
        let key = index::key(&[
            self.code(lang).as_bytes(),
            e.source().title.as_bytes(),
            e.source().summary.as_deref().unwrap_or_default().as_bytes(),
            &e.body().html_hash.to_le_bytes(),
            cities.join("\u{1f}").as_bytes(),
        ]);
        let doc = self.search.cache.get(lang.0, key, || {
            let text = text.map_or_else(|| Cow::Owned(self.search_text(id)), Cow::Borrowed);
            let input = DocInput {
                title: &e.source().title,
                cities,
                text: &text,
            };
            DocTerms::new(self.analyzer(lang), &input, seen, &self.search.cache.words)
        });
        (key, doc)
    }

    /// Article `id`'s plain text for its search file, analysed on the way if the index has not
    /// been (each article's text is made once in a build).
    pub(super) fn search_doc_text(&self, lang: LangId, id: EntryId) -> String {
        let text = self.search_text(id);
        if self.search.langs[lang].get().is_none() {
            self.search_terms(lang, id, Some(&text), &mut self.search.seen(lang).seen);
        }
        text
    }

    /// The index of `lang`'s articles, from each one's analysis.
    fn make_index(&self, lang: LangId) -> Index<'a> {
        let a = self.analyzer(lang);
        let made: Vec<(u128, Arc<DocTerms>)> = self
            .search_docs(lang)
            .par_iter()
            .rev()
            .with_min_len(256)
            .map_init(
                || self.search.seen(lang),
                |seen, &id| self.search_terms(lang, id, None, &mut seen.seen),
            )
            .collect();
        let keep: FxHashSet<u128> = made.iter().map(|(k, _)| *k).collect();
        self.search.cache.retain(lang.0, &keep);
        let docs: Vec<Arc<DocTerms>> = made.into_iter().map(|(_, d)| d).collect();
        // The last render's index, updated in place once that render is gone (under `serve`,
        // an edit's render finds the one before it dropped), and kept for the next.
        let previous = self.search.cache.take_index(lang.0);
        let index = Index::new(&docs, &self.latin_names(lang, a), &self.search.cache.words, previous);
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
            let words: Vec<(String, String)> = crate::search::analyze::words(link.name)
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
