//! One language's search index, as the build writes it for the browser:
//!
//! - `meta.json`: how many documents there are (numbered from the oldest), how many each year
//!   has and each one's cities, for the filters, with the cities' names; the folding tables and
//!   stop words; and how many shards the terms are spread over;
//! - `s/N.json`, the shards: every folded word form the site has, with the stems it stands for
//!   (`f`), and each stem's postings (`t`): document numbers (each the gap from the one before)
//!   and BM25 scores ×10, with the title weighted three times and the cities' names twice. A
//!   term goes to the shard [`fold::shard`] names by its first three letters, so a query word,
//!   or a prefix of three letters or more, needs one shard;
//! - `doc/N.json` per article: its link, title, date and text, fetched only for the results
//!   shown.
//!
//! Analysis is the costly part and is kept per document between builds ([`Cache`]), keyed by
//! what it reads; merging the documents' terms into shards is cheap and done every build.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::analyze::{words, Analyzer, Keys, Memo};
use super::fold;

/// Weights of a document's fields.
const TITLE: f32 = 3.0;
const CITIES: f32 = 2.0;
const TEXT: f32 = 1.0;
/// BM25's parameters.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// What one document gives the index.
pub struct DocInput<'a> {
    pub title: &'a str,
    /// The names of its cities in its language.
    pub cities: Vec<&'a str>,
    /// Its summary and body as plain text.
    pub text: &'a str,
}

/// One document, analysed: its strings kept end to end in one buffer (a site's documents are
/// kept between builds, and a few allocations each make and free them fast).
#[derive(Debug, Default)]
pub struct DocTerms {
    strings: String,
    /// Each stem with its weighted count, sorted by stem.
    terms: Vec<(Span, f32)>,
    /// The weighted length.
    len: f32,
    /// Each word form (and Latin form of a name) with its stem, sorted.
    forms: Vec<(Span, Span)>,
}

/// A string of [`DocTerms::strings`]: start and end.
type Span = (u32, u32);

impl DocTerms {
    /// The document's terms; `memo` keeps the words seen (in this and earlier documents).
    pub fn new(a: &Analyzer, doc: &DocInput, memo: &mut Memo) -> DocTerms {
        // First by the memo's `Arc` (the same written word, counted without hashing its text),
        // then by stem and form.
        let mut counted: FxHashMap<*const Keys, (Arc<Keys>, f32)> = FxHashMap::default();
        let mut len = 0.0;
        let fields = [(doc.title, TITLE), (doc.text, TEXT)]
            .into_iter()
            .chain(doc.cities.iter().map(|c| (*c, CITIES)));
        for (text, weight) in fields {
            for word in words(text) {
                let Some(keys) = a.keys(word, memo) else { continue };
                counted.entry(Arc::as_ptr(&keys)).or_insert_with(|| (keys, 0.0)).1 += weight;
                len += weight;
            }
        }
        let mut terms: FxHashMap<&str, f32> = FxHashMap::default();
        let mut forms: FxHashSet<(&str, &str)> = FxHashSet::default();
        for (keys, weight) in counted.values() {
            *terms.entry(&keys.stem).or_default() += weight;
            forms.insert((&keys.form, &keys.stem));
            if let Some(latin) = &keys.latin {
                forms.insert((latin, &keys.stem));
            }
        }
        let mut terms: Vec<(&str, f32)> = terms.into_iter().collect();
        terms.sort_by(|a, b| a.0.cmp(b.0));
        let mut forms: Vec<(&str, &str)> = forms.into_iter().collect();
        forms.sort_unstable();
        let mut strings = String::new();
        let mut spans: FxHashMap<&str, Span> = FxHashMap::default();
        let mut span = |s| {
            *spans.entry(s).or_insert_with(|| {
                let start = strings.len() as u32;
                strings.push_str(s);
                (start, strings.len() as u32)
            })
        };
        let terms = terms.into_iter().map(|(t, w)| (span(t), w)).collect();
        let forms = forms.into_iter().map(|(f, s)| (span(f), span(s))).collect();
        DocTerms {
            strings,
            terms,
            len,
            forms,
        }
    }

    fn str(&self, (start, end): Span) -> &str {
        &self.strings[start as usize..end as usize]
    }

    /// Each stem with its weighted count.
    pub fn terms(&self) -> impl Iterator<Item = (&str, f32)> {
        self.terms.iter().map(|&(t, w)| (self.str(t), w))
    }

    /// Each word form with its stem.
    pub fn forms(&self) -> impl Iterator<Item = (&str, &str)> {
        self.forms.iter().map(|&(f, s)| (self.str(f), self.str(s)))
    }
}

/// Documents analysed in earlier builds, by language and a hash of what their analysis read.
#[derive(Default)]
pub struct Cache {
    docs: Mutex<FxHashMap<(usize, u128), Arc<DocTerms>>>,
}

impl Cache {
    /// The analysis of the document of language `lang` whose inputs hash to `key`, made by
    /// `make` if not kept.
    pub fn get(&self, lang: usize, key: u128, make: impl FnOnce() -> DocTerms) -> Arc<DocTerms> {
        if let Some(found) = self.lock().get(&(lang, key)) {
            return found.clone();
        }
        let made = Arc::new(make());
        self.lock().entry((lang, key)).or_insert(made).clone()
    }

    /// Forgets the documents of language `lang` but those of `keep`.
    pub fn retain(&self, lang: usize, keep: &FxHashSet<u128>) {
        self.lock().retain(|(l, k), _| *l != lang || keep.contains(k));
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<(usize, u128), Arc<DocTerms>>> {
        // A panic while holding the lock leaves the map whole: every insert is one call.
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The key of a document's analysis: what it reads.
pub fn key(lang: &str, doc: &DocInput) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [lang, doc.title, doc.text].into_iter().chain(doc.cities.iter().copied()) {
        h.update(part.as_bytes());
        h.update(&[0xff]);
    }
    h.digest128()
}

/// How many shards a language with `docs` documents spreads its terms over: about one per ten
/// documents, a power of two, at most 1024.
pub fn shard_count(docs: usize) -> u32 {
    (docs / 10).clamp(1, 1024).next_power_of_two() as u32
}

/// One shard as the browser reads it.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Shard {
    /// Folded word form → the stems it stands for.
    pub f: BTreeMap<String, Vec<String>>,
    /// Stem → postings: document gap, score, document gap, score…
    pub t: BTreeMap<String, Vec<u32>>,
}

/// Merges the documents' terms (oldest first) into `shards` shards; `names` adds forms
/// of no document (the cities' Latin keys, as [`fold::latin`] gives them, with their stems).
pub fn shards(docs: &[Arc<DocTerms>], shards: u32, names: &[(String, String)]) -> Vec<Shard> {
    let n = docs.len() as f32;
    let avg = (docs.iter().map(|d| d.len).sum::<f32>() / n.max(1.0)).max(1.0);
    let mut postings: FxHashMap<&str, Vec<(u32, f32)>> = FxHashMap::default();
    let mut forms: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        for (stem, tf) in doc.terms() {
            postings.entry(stem).or_default().push((i as u32, tf));
        }
        for (form, stem) in doc.forms() {
            forms.entry(form).or_default().push(stem);
        }
    }
    for (form, stem) in names {
        if postings.contains_key(stem.as_str()) {
            forms.entry(form).or_default().push(stem);
        }
    }
    let mut out: Vec<Shard> = (0..shards).map(|_| Shard::default()).collect();
    for (stem, list) in postings {
        let df = list.len() as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut flat = Vec::with_capacity(list.len() * 2);
        let mut last = 0;
        for (doc, tf) in list {
            let norm = docs[doc as usize].len / avg;
            let score = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * norm));
            flat.push(doc - last);
            flat.push(((score * 10.0).round() as u32).max(1));
            last = doc;
        }
        out[fold::shard(stem, shards) as usize].t.insert(stem.to_string(), flat);
    }
    for (form, mut stems) in forms {
        stems.sort_unstable();
        stems.dedup();
        out[fold::shard(form, shards) as usize]
            .f
            .insert(form.to_string(), stems.into_iter().map(str::to_string).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(a: &Analyzer, title: &str, cities: &[&str], text: &str) -> Arc<DocTerms> {
        Arc::new(DocTerms::new(
            a,
            &DocInput {
                title,
                cities: cities.to_vec(),
                text,
            },
            &mut Memo::default(),
        ))
    }

    fn find<'s>(shards: &'s [Shard], key: &str, of: impl Fn(&'s Shard) -> Option<&'s T>) -> Option<&'s T>
    where
        T: 's,
    {
        of(&shards[fold::shard(key, shards.len() as u32) as usize])
    }
    type T = Vec<String>;

    #[test]
    fn forms_lead_to_stems_and_stems_to_scored_postings() {
        let kk = Analyzer::new("kk", ["Шаңхай", "Алматы"]);
        let docs = [
            doc(&kk, "Шаңхай делегациясы", &["Алматы", "Шаңхай"], "Делегация Алматыда болды."),
            doc(&kk, "Білім форумы", &["Алматы"], "Форумда Шаңхаймен келісім жасалды."),
            doc(&kk, "Туризм", &["Алматы"], "Туристер көп."),
        ];
        let shards = shards(&docs, 8, &[("shanhai".into(), "шанхай".into())]);
        // A folded form, typed without Kazakh letters, leads to its stem.
        let stems = find(&shards, "шанхаймен", |s| s.f.get("шанхаймен")).unwrap();
        assert_eq!(stems, &["шанхай"]);
        // The city's Latin key and a name's Latin form lead there too.
        assert!(find(&shards, "shanhai", |s| s.f.get("shanhai")).is_some());
        let t = &shards[fold::shard("шанхай", 8) as usize].t["шанхай"];
        // Documents 0 and 1 (gaps 0 and 1); the title and city make document 0 score higher.
        assert_eq!((t[0], t[2]), (0, 1));
        assert!(t[1] > t[3], "{t:?}");
        // Stop words are not indexed.
        assert!(shards.iter().all(|s| !s.t.contains_key("жане")));
    }

    #[test]
    fn the_same_documents_give_the_same_shards() {
        let ru = Analyzer::new("ru", []);
        let make = || {
            let docs = [
                doc(&ru, "Делегация из Шанхая", &["Шанхай"], "Визит делегации."),
                doc(&ru, "Форум", &["Алматы"], "Форум в Алматы."),
            ];
            serde_json::to_string(&shards(&docs, 4, &[])).unwrap()
        };
        assert_eq!(make(), make());
    }

    #[test]
    fn the_cache_keeps_what_it_is_told_to() {
        let cache = Cache::default();
        let ru = Analyzer::new("ru", []);
        let input = DocInput {
            title: "Форум",
            cities: vec!["Алматы"],
            text: "Текст",
        };
        let k = key("ru", &input);
        let first = cache.get(0, k, || DocTerms::new(&ru, &input, &mut Memo::default()));
        let again = cache.get(0, k, || panic!("made twice"));
        assert!(Arc::ptr_eq(&first, &again));
        assert_ne!(k, key("kk", &input));
        cache.get(1, k, || DocTerms::new(&ru, &input, &mut Memo::default()));
        cache.retain(0, &FxHashSet::default());
        assert_eq!(cache.len(), 1, "the other language's are kept");
        cache.retain(1, &FxHashSet::default());
        assert!(cache.is_empty());
    }

    #[test]
    fn shards_grow_with_the_site() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(16), 1);
        assert_eq!(shard_count(100), 16);
        assert_eq!(shard_count(10_000), 1024);
    }
}
