//! What is kept between builds: each document's [`DocTerms`] by the hash of what it reads,
//! each language's last [`IndexState`], its shards' champions and their results, so that
//! `serve` re-reads only what an edit changed.

use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::analysis::{DocTerms, Seen, Words};
use super::champions::{Champion, ChampionLists};
use super::state::IndexState;

/// Documents analysed in earlier builds, by language and a hash of what their analysis read,
/// and the words they have.
#[derive(Default)]
pub struct Cache {
    pub(super) docs: Mutex<FxHashMap<(usize, u128), Arc<DocTerms>>>,
    pub words: RwLock<Words>,
    /// Per language, its index as the last render left it.
    pub(super) indexes: Mutex<FxHashMap<usize, Arc<IndexState>>>,
    /// Words already analysed, by language: one set per thread at work, lent by [`Cache::seen`].
    pub(super) seen: Mutex<Vec<(usize, Seen)>>,
    /// Per language, its shards' champions as the last render ranked them, by
    /// `Index::champions_key`.
    pub(super) champions: Mutex<FxHashMap<usize, ChampionLists>>,
    /// How many documents have been analysed.
    pub(super) made: std::sync::atomic::AtomicUsize,
    /// Champions' results as their shards write them, by language and a hash of what each is
    /// made from: an edit remakes only those of the documents it changed.
    pub(super) results: Mutex<FxHashMap<(usize, u128), Arc<str>>>,
    /// No render will follow the next (a one-off build): the champions are not kept by the
    /// digests of their shards, which are then never made.
    pub(super) last_render: bool,
}

impl Cache {
    /// The analysis of the document of language `lang` whose inputs hash to `key`, made by
    /// `make` if not kept.
    pub fn get(&self, lang: usize, key: u128, make: impl FnOnce() -> DocTerms) -> Arc<DocTerms> {
        if let Some(found) = self.lock().get(&(lang, key)) {
            return found.clone();
        }
        let made = Arc::new(make());
        self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.lock().entry((lang, key)).or_insert(made).clone()
    }

    /// How many documents this cache has had analysed (an analysis found in it is not counted).
    pub fn made(&self) -> usize {
        self.made.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The index of language `lang` the last render left, if any (taken: a render updates it).
    pub fn take_index(&self, lang: usize) -> Option<Arc<IndexState>> {
        self.indexes.lock().unwrap_or_else(|e| e.into_inner()).remove(&lang)
    }

    /// Keeps the index of language `lang` for the next render.
    pub fn keep_index(&self, lang: usize, index: Arc<IndexState>) {
        self.indexes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(lang, index);
    }

    /// Whether the analysis of the document of language `lang` whose inputs hash to `key` is kept.
    pub fn has(&self, lang: usize, key: u128) -> bool {
        self.lock().contains_key(&(lang, key))
    }

    /// Forgets the documents of language `lang` but those of `keep`.
    pub fn retain(&self, lang: usize, keep: &FxHashSet<u128>) {
        self.lock().retain(|(l, k), _| *l != lang || keep.contains(k));
    }

    /// Forgets the analyses of language `lang` kept under `keys`.
    pub fn forget(&self, lang: usize, keys: impl Iterator<Item = u128>) {
        let mut docs = self.lock();
        for key in keys {
            docs.remove(&(lang, key));
        }
    }

    /// Whether a render will follow the next, for which it keeps what it can.
    pub fn keeps(&self) -> bool {
        !self.last_render
    }

    /// The champions of language `lang`'s shards the last render kept (taken).
    pub fn take_champions(&self, lang: usize) -> ChampionLists {
        lock(&self.champions).remove(&lang).unwrap_or_default()
    }

    /// Keeps the champions of language `lang`'s shards for the next render, if one will follow.
    pub fn keep_champions(&self, lang: usize, lists: impl Iterator<Item = (u128, Arc<[Champion]>)>) {
        if !self.last_render {
            lock(&self.champions).insert(lang, lists.collect());
        }
    }

    /// Says that no render will follow the next, which then keeps no champions for one.
    pub fn before_last_render(&mut self) {
        self.last_render = true;
    }

    /// The champion's result of language `lang` kept under `key` (a hash of what it is made
    /// from), if any.
    pub fn result(&self, lang: usize, key: u128) -> Option<Arc<str>> {
        lock(&self.results).get(&(lang, key)).cloned()
    }

    /// Keeps the results of language `lang` given, by key, and forgets its others.
    pub fn keep_results(&self, lang: usize, results: impl Iterator<Item = (u128, Arc<str>)>) {
        let mut kept = lock(&self.results);
        kept.retain(|(l, _), _| *l != lang);
        kept.extend(results.map(|(key, json)| ((lang, key), json)));
    }

    /// A set of words of language `lang` already analysed, for one thread's work; given back
    /// when dropped, and kept between builds.
    pub fn seen(&self, lang: usize) -> Lent<'_> {
        let mut pool = lock(&self.seen);
        let seen = match pool.iter().rposition(|(l, _)| *l == lang) {
            Some(i) => pool.swap_remove(i).1,
            None => Seen::default(),
        };
        Lent {
            lang,
            seen,
            pool: &self.seen,
        }
    }

    /// How many analyses are kept (for tests).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<(usize, u128), Arc<DocTerms>>> {
        lock(&self.docs)
    }
}

/// A document's plain text, and whether it has a control character (which JSON escapes).
pub struct Text {
    pub text: String,
    pub control: bool,
}

/// A [`Seen`] lent by [`Cache::seen`], given back when dropped.
pub struct Lent<'c> {
    pub(super) lang: usize,
    pub seen: Seen,
    pub(super) pool: &'c Mutex<Vec<(usize, Seen)>>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        lock(self.pool).push((self.lang, seen));
    }
}

/// A lock of the cache's; a panic while one was held leaves its value whole (every change is
/// one call).
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
