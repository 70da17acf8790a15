//! One language's search index, as the build writes it for the browser:
//!
//! - `meta.json`: how many documents there are (numbered from the oldest), how many each year
//!   has and each one's cities, for the filters, with the cities' names; the folding tables and
//!   stop words; how many shards the terms are spread over; and the shards of the common stems
//!   of Latin forms, by the forms' first three letters ([`Index::latin_shards`]);
//! - `s/N.json`, the shards: every folded word form the site has, with the stems it stands for
//!   (`f`; a form spelled as its only stem is not listed: it is found among the stems; a form
//!   beginning otherwise than its stem is listed in its stem's shard too), and each
//!   stem's postings (`t`, [`packed`] in a string): document numbers (each the gap from the
//!   one before) and BM25 scores ×10, with the title weighted three times and the cities' names twice. A
//!   term goes to the shard [`fold::shard`] names by its first three letters, so a query word,
//!   or a prefix of three letters or more, needs one shard; and each common stem's first
//!   [`TOP`] results ready to show (`w`, its [`Champion`]s: made where the texts are, by
//!   `render::search`), so that a one-word query's first page needs no other file;
//! - `doc/N.json` for every [`DOCS_PER_FILE`] articles, in order: each one's link, title, date
//!   and text, fetched only for the results shown.
//!
//! Analysis is the costly part and is kept per document between builds ([`Cache`]), keyed by
//! what it reads, with the words numbered once ([`Words`]). The index the last render made is
//! kept too: under `serve` an edit takes the changed documents out of it and puts them back in,
//! and each shard's digest (its signature for the rebuild) follows without making the shard.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::analyze::{Analyzer, Memo};
use super::fold;
use super::words::words;

/// How many consecutive documents a file of the index's articles has: results near in time share
/// files, while the first page of results, however spread, stays a small download (ten files
/// of eight press releases' text).
pub const DOCS_PER_FILE: usize = 8;

/// How many results the search page shows first (`PAGE` in `static/search.js`): the most a
/// stem's [`Champion`]s are.
pub const TOP: usize = 10;
/// At most this many [`Champion`]s per document in all (each adds some 700 bytes to the index,
/// an eighth of what an article's file has), and only for stems at least [`TOP_MIN_DF`]
/// documents have: the stems with the most documents first, as they fit.
const TOP_PER_DOC: usize = 1;
const TOP_MIN_DF: u32 = 4;

/// Weights of a document's fields.
const TITLE: u32 = 3;
const CITIES: u32 = 2;
const TEXT: u32 = 1;
/// BM25's parameters, with a fixed document length to weigh lengths against (a press release's
/// weighted words) instead of the site's average, which every edit would move: a document's
/// part of each score is then its own, and only a stem's document frequency is shared.
const K1: f32 = 1.2;
const B: f32 = 0.75;
const REFERENCE_LEN: f32 = 500.0;
/// Added to a stem's part of the score when the title has it, past BM25's saturation: an
/// article with the word in its title comes before one that only says it often.
const TITLE_BONUS: f32 = 1.0;

/// What one document gives the index.
pub struct DocInput<'a> {
    pub title: &'a str,
    /// The names of its cities in its language.
    pub cities: Vec<&'a str>,
    /// Its summary and body as plain text.
    pub text: &'a str,
}

/// Every stem and every (form, stem) pair the site's documents have had, each numbered once:
/// documents are kept as numbers (small, and merged without hashing text). Numbers depend on
/// the order words were first met, so nothing written is ordered by them; they only grow,
/// for as long as a `serve` runs.
#[derive(Default)]
pub struct Words {
    stems: FxHashMap<Box<str>, u32>,
    stem_list: Vec<Box<str>>,
    /// Per stem, its [`fold::head`] (apart: read for every posting of every build).
    stem_heads: Vec<u32>,
    pairs: FxHashMap<(Box<str>, u32), u32>,
    /// Per pair: its form, its stem's number and the form's [`fold::head`].
    pair_list: Vec<(Box<str>, u32, u32)>,
}

impl Words {
    fn stem(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stems.get(stem) {
            return id;
        }
        let id = self.stem_list.len() as u32;
        self.stems.insert(stem.into(), id);
        self.stem_list.push(stem.into());
        self.stem_heads.push(fold::head(stem));
        id
    }

    /// The shard of `count` stem number `stem` goes to (its postings, its champions).
    fn stem_shard(&self, stem: u32, count: u32) -> usize {
        (self.stem_heads[stem as usize] & (count - 1)) as usize
    }

    fn pair(&mut self, form: &str, stem: &str) -> u32 {
        let stem = self.stem(stem);
        let key = (Box::<str>::from(form), stem);
        if let Some(&id) = self.pairs.get(&key) {
            return id;
        }
        let id = self.pair_list.len() as u32;
        self.pair_list.push((key.0.clone(), stem, fold::head(form)));
        self.pairs.insert(key, id);
        id
    }
}

/// What a written word is indexed as: its stem, and its (form, stem) pairs (the second, for a
/// name, its Latin form).
#[derive(Debug, Clone, Copy)]
struct WordIds {
    stem: u32,
    pairs: [u32; 2],
}

const NONE: u32 = u32::MAX;

/// Words already analysed in this thread, as they were written, and the tallies of the document
/// being read, by stem and pair number (dense: every word of every document is counted here).
#[derive(Default)]
pub struct Seen {
    /// Words of up to [`Short`]'s 32 bytes (nearly all), by their bytes ([`Short::hash`]).
    short: ShortTable,
    /// Longer words, by their text.
    long: FxHashMap<Box<str>, Option<WordIds>>,
    memo: Memo,
    /// Per stem: its weighted count in the document, whether its title has it, and where its
    /// text has it first.
    tf: Vec<Tally>,
    /// Per pair: whether the document has it.
    has_pair: Vec<bool>,
}

/// A stem's tally in the document being read.
#[derive(Default, Clone, Copy)]
struct Tally {
    count: u32,
    title: bool,
    /// One past the byte its text has it first at (0: not in its text).
    first: u32,
}

/// A word of up to 32 bytes as four numbers (zero past its end: a word has no zero byte): a key
/// hashed and compared without following a pointer or calling `memcmp`, for the table every
/// word of every article is looked up in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Short([u64; 4]);

impl Short {
    /// Each number read straight from the word, not from a buffer copied into or filled by
    /// index: a load of eight bytes just written in smaller pieces waits for the writes (a
    /// stall in every lookup).
    #[inline(always)]
    fn of(bytes: &[u8]) -> Option<Short> {
        let n = bytes.len();
        if n > 32 {
            return None;
        }
        let part = |k: usize| -> u64 {
            let start = 8 * k;
            if n >= start + 8 {
                bytes[start..].first_chunk::<8>().map_or(0, |b| u64::from_le_bytes(*b))
            } else if n <= start {
                0
            } else if let Some(last) = bytes.last_chunk::<8>() {
                // The word's last eight bytes, those before this part shifted out.
                u64::from_le_bytes(*last) >> (8 * (start + 8 - n))
            } else if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
                // A word of four to seven bytes: its first four and last four, overlapping.
                u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << (8 * (n - 4))
            } else {
                bytes.iter().rev().fold(0, |v, &b| v << 8 | u64::from(b))
            }
        };
        Some(Short([part(0), part(1), part(2), part(3)]))
    }

    /// The four numbers mixed into one (a multiply, as `FxHasher` mixes, with the high bits,
    /// which the table's tags are taken from, turned down).
    fn hash(&self) -> u64 {
        let [a, b, c, d] = self.0;
        (a ^ b.rotate_left(21) ^ c.rotate_left(42) ^ d.rotate_left(53))
            .wrapping_mul(0xf135_7aea_2e62_a9c5)
            .rotate_left(26)
    }

    /// Whether `self` is `other`, compared as numbers (not as memory: the key being looked up
    /// was just made, and a wide load of it waits for its narrower writes).
    #[inline(always)]
    fn is(&self, other: [u64; 4]) -> bool {
        let [a, b, c, d] = self.0;
        a == other[0] && b == other[1] && c == other[2] && d == other[3]
    }
}

/// The words of up to 32 bytes met, by [`Short`]: open addressing with linear probing, at most
/// half full, each slot its key and value side by side. A lookup (one for every word of every
/// article) reads one slot, most often, where a table with separate control bytes reads two
/// places in memory; a key of all zeros (no word) marks an empty slot.
#[derive(Default)]
struct ShortTable {
    slots: Vec<(Short, Option<WordIds>)>,
    len: usize,
}

impl ShortTable {
    #[inline(always)]
    fn get(&self, key: Short, hash: u64) -> Option<&Option<WordIds>> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = hash as usize & mask;
        loop {
            let (k, ids) = self.slots.get(i)?;
            if k.is(key.0) {
                return Some(ids);
            }
            if k.0[0] == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds a key not in the table.
    fn insert(&mut self, key: Short, hash: u64, ids: Option<WordIds>) {
        if 2 * (self.len + 1) > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            self.slots = vec![(Short([0; 4]), None); (2 * old.len()).max(1024)];
            self.len = 0;
            for (k, ids) in old {
                if k.0[0] != 0 {
                    self.insert(k, k.hash(), ids);
                }
            }
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i].0 .0[0] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, ids);
        self.len += 1;
    }
}

/// One document, analysed.
#[derive(Debug, Default)]
pub struct DocTerms {
    /// Each stem with its part of the score (BM25 without the stem's rarity), by number (its
    /// shard comes from [`Words::stem_heads`]).
    terms: Vec<(u32, f32)>,
    /// Each (form, stem) pair, by number.
    pairs: Vec<u32>,
    /// Per term, the byte of the text (not the title or a city's name) it is first found at
    /// in any of its forms (all of which its shard lists), or [`NONE`]: where a result's
    /// snippet for it is cut.
    firsts: Vec<u32>,
}

impl DocTerms {
    /// The document's terms; `seen` keeps the words met (in this and earlier documents).
    pub fn new(a: &Analyzer, doc: &DocInput, seen: &mut Seen, words_: &RwLock<Words>) -> DocTerms {
        // Each stem and pair once, in the order met; their tallies are in `seen`, by number.
        let mut found = Found {
            stems: Vec::with_capacity(512),
            pairs: Vec::with_capacity(512),
            len: 0,
        };
        found.field::<TITLE, false>(doc.title, a, seen, words_);
        found.field::<TEXT, true>(doc.text, a, seen, words_);
        for city in &doc.cities {
            found.field::<CITIES, false>(city, a, seen, words_);
        }
        let Found { stems, mut pairs, len } = found;
        // Weights are whole numbers, summed exactly.
        let norm = K1 * (1.0 - B + B * len as f32 / REFERENCE_LEN);
        // In the order met: nothing made from a document's terms depends on their order.
        let mut firsts = Vec::with_capacity(stems.len());
        let terms: Vec<(u32, f32)> = stems
            .into_iter()
            .map(|stem| {
                let Tally { count, title, first } = std::mem::take(&mut seen.tf[stem as usize]);
                firsts.push(first.wrapping_sub(1));
                let bonus = if title { TITLE_BONUS } else { 0.0 };
                let tf = count as f32;
                (stem, tf * (K1 + 1.0) / (tf + norm) + bonus)
            })
            .collect();
        for &p in &pairs {
            seen.has_pair[p as usize] = false;
        }
        // Kept for as long as the site is: no room left for the 512 it started with.
        pairs.shrink_to_fit();
        DocTerms { terms, pairs, firsts }
    }

    /// The byte of the text where stem `stem` is first found, if the document has it there.
    fn first(&self, stem: u32) -> Option<usize> {
        let at = self.terms.iter().position(|t| t.0 == stem)?;
        let first = self.firsts[at];
        (first != NONE).then_some(first as usize)
    }
}

/// What [`DocTerms::new`] has found of a document so far.
struct Found {
    /// Each stem and pair once, in the order met (their tallies are in [`Seen`]).
    stems: Vec<u32>,
    pairs: Vec<u32>,
    /// The document's weighted words.
    len: u32,
}

impl Found {
    /// The words of one field, of weight `W`; `BODY`: the text, where a stem's first place is
    /// kept. A loop made for each field: every word of every article passes here.
    #[inline(always)]
    fn field<const W: u32, const BODY: bool>(
        &mut self,
        text: &str,
        a: &Analyzer,
        seen: &mut Seen,
        words_: &RwLock<Words>,
    ) {
        let bytes = text.as_bytes();
        let mut spans = words(text);
        while let Some((start, end)) = spans.next_span() {
            let found = match Short::of(&bytes[start..end]) {
                Some(s) => seen.short.get(s, s.hash()).copied(),
                None => seen.long.get(&text[start..end]).copied(),
            };
            let ids = match found {
                Some(ids) => ids,
                None => seen.learn(a, &text[start..end], words_),
            };
            let Some(ids) = ids else { continue };
            let tally = &mut seen.tf[ids.stem as usize];
            if tally.count == 0 {
                self.stems.push(ids.stem);
            }
            tally.count += W;
            if W == TITLE {
                tally.title = true;
            }
            if BODY && tally.first == 0 {
                tally.first = start as u32 + 1;
            }
            self.len += W;
            for p in ids.pairs {
                if p != NONE && !std::mem::replace(&mut seen.has_pair[p as usize], true) {
                    self.pairs.push(p);
                }
            }
        }
    }
}

impl Seen {
    /// What `word`, not met before by this thread, is indexed as (none for a stop word): its
    /// stem and pairs, numbered in `words_`, kept by its bytes (if it has up to 32) or its
    /// text; the tallies made room for its numbers.
    #[cold]
    fn learn(&mut self, a: &Analyzer, word: &str, words_: &RwLock<Words>) -> Option<WordIds> {
        let ids = a.keys(word, &mut self.memo).map(|k| {
            let mut w = words_.write().unwrap_or_else(|e| e.into_inner());
            // A form spelled as its stem is found among the stems: no pair.
            let pair = |w: &mut Words, form: &str| if form == k.stem { NONE } else { w.pair(form, &k.stem) };
            WordIds {
                stem: w.stem(&k.stem),
                pairs: [
                    pair(&mut w, &k.form),
                    k.latin.as_deref().map_or(NONE, |l| pair(&mut w, l)),
                ],
            }
        });
        match Short::of(word.as_bytes()) {
            Some(s) => self.short.insert(s, s.hash(), ids),
            None => {
                self.long.insert(word.into(), ids);
            }
        }
        if let Some(ids) = ids {
            if self.tf.len() <= ids.stem as usize {
                self.tf.resize(ids.stem as usize + 1024, Tally::default());
            }
            let most = ids.pairs.iter().filter(|&&p| p != NONE).max().copied().unwrap_or(0);
            if self.has_pair.len() <= most as usize {
                self.has_pair.resize(most as usize + 1024, false);
            }
        }
        ids
    }
}

/// Documents analysed in earlier builds, by language and a hash of what their analysis read,
/// and the words they have.
#[derive(Default)]
pub struct Cache {
    docs: Mutex<FxHashMap<(usize, u128), Arc<DocTerms>>>,
    pub words: RwLock<Words>,
    /// Per language, its index as the last render left it.
    indexes: Mutex<FxHashMap<usize, Arc<IndexState>>>,
    /// Words already analysed, by language: one set per thread at work, lent by [`Cache::seen`].
    seen: Mutex<Vec<(usize, Seen)>>,
    /// Per language, its shards' champions as the last render ranked them, by
    /// `Index::champions_key`.
    champions: Mutex<FxHashMap<usize, ChampionLists>>,
    /// Plain texts made by an analysis ahead of the render, by the key of their analysis,
    /// until the article's search file takes them.
    texts: Mutex<FxHashMap<(usize, u128), Text>>,
    /// How many documents have been analysed.
    made: std::sync::atomic::AtomicUsize,
    /// Champions' results as their shards write them, by language and a hash of what each is
    /// made from: an edit remakes only those of the documents it changed.
    results: Mutex<FxHashMap<(usize, u128), Arc<str>>>,
    /// No render will follow the next (a one-off build): the champions are not kept by the
    /// digests of their shards, which are then never made.
    last_render: bool,
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

    /// Forgets the documents of language `lang` but those of `keep`, and the texts left over.
    pub fn retain(&self, lang: usize, keep: &FxHashSet<u128>) {
        self.lock().retain(|(l, k), _| *l != lang || keep.contains(k));
        lock(&self.texts).retain(|(l, _), _| *l != lang);
    }

    /// Keeps the plain text of the document whose analysis is kept under (`lang`, `key`) for
    /// [`Cache::take_text`].
    pub fn keep_text(&self, lang: usize, key: u128, text: Text) {
        lock(&self.texts).insert((lang, key), text);
    }

    /// The plain text kept under (`lang`, `key`), if any; taken, as one file shows it once.
    pub fn take_text(&self, lang: usize, key: u128) -> Option<Text> {
        lock(&self.texts).remove(&(lang, key))
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

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<(usize, u128), Arc<DocTerms>>> {
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
    lang: usize,
    pub seen: Seen,
    pool: &'c Mutex<Vec<(usize, Seen)>>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        lock(self.pool).push((self.lang, seen));
    }
}

/// A lock of the cache's; a panic while one was held leaves its value whole (every change is
/// one call).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The key of a document's analysis: a hash of what it reads (or of hashes of it).
pub fn key(parts: &[&[u8]]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.digest128()
}

/// How many shards a language with `docs` documents spreads its terms over: about one per ten
/// documents, a power of two, at most 1024.
pub fn shard_count(docs: usize) -> u32 {
    (docs / 10).clamp(1, 1024).next_power_of_two() as u32
}

/// One shard as the browser reads it, as a value: what [`Index::shard_json`] writes, for tests
/// to read and to check the writing against.
#[cfg(test)]
#[derive(Debug, Default, serde::Serialize, PartialEq)]
pub struct Shard {
    /// Folded word form → the stems it stands for.
    pub f: BTreeMap<String, Vec<String>>,
    /// Stem → postings: document gap, score, document gap, score…, written as [`packed`].
    #[serde(serialize_with = "packed_postings")]
    pub t: BTreeMap<String, Vec<u32>>,
    /// Stem → its champions' document numbers, in rank order (the test's stand-in for their
    /// results).
    pub w: BTreeMap<String, Vec<u32>>,
}

/// The alphabet of [`packed`] numbers: JSON needs no escape for any of them.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Numbers as one string, five bits a character from the lowest: the first 32 characters of
/// [`DIGITS`] end a number, the other 32 say more follows. A common stem's postings are a
/// third the size of a JSON array of them, and the browser reads the string without parsing
/// tens of thousands of numbers (`static/search.js` reads it back).
#[cfg(test)]
pub fn packed(numbers: &[u32]) -> String {
    let mut out = String::with_capacity(numbers.len() * 2);
    for &n in numbers {
        push_packed(&mut out, n);
    }
    out
}

/// One number, appended to `out` as [`DIGITS`] say.
fn push_packed(out: &mut String, mut n: u32) {
    while n >= 32 {
        out.push(char::from(DIGITS[32 + (n & 31) as usize]));
        n >>= 5;
    }
    out.push(char::from(DIGITS[n as usize]));
}

/// A stem's rarity among `docs` documents, `df` of which have it (BM25's).
fn idf(docs: f32, df: usize) -> f32 {
    let df = df as f32;
    (1.0 + (docs - df + 0.5) / (df + 0.5)).ln()
}

/// A posting's score as its shard writes it: tenths of points, at least one.
fn points(idf: f32, part: f32) -> u32 {
    rounded(idf * part * 10.0).max(1)
}

/// `x.round() as u32` for a score (not negative), without a call to `roundf`: in `f64`, which
/// holds every `f32` and the sum with one half exactly, truncation after adding one half is
/// rounding half away from zero.
#[inline]
fn rounded(x: f32) -> u32 {
    (f64::from(x) + 0.5) as u32
}

/// `text` as a JSON string, byte for byte as `serde_json` writes it, appended to `out`, for the
/// index's files written by hand. Most of what they hold (folded words, links, titles) has
/// nothing to escape, and is copied whole.
pub fn push_json(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        let i = to_escape(bytes, from);
        // Escapes are ASCII, at character boundaries.
        out.push_str(&text[from..i]);
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        from = i + 1;
    }
    out.push('"');
}

/// The first byte from `from` on that JSON escapes (`"`, `\\`, a control character), or the
/// length of `bytes`: sixteen at a time with SSE2 (every x86-64 has it), then one at a time.
#[inline]
fn to_escape(bytes: &[u8], mut from: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while let Some(sixteen) = bytes.get(from..from + 16) {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64; `sixteen` has 16 bytes, and the load has no
        // alignment to keep.
        let found = unsafe {
            let v = _mm_loadu_si128(sixteen.as_ptr().cast());
            let byte = |b: u8| _mm_set1_epi8(b as i8);
            // Below 0x20: the bytes that a maximum with 0x1F leaves as 0x1F.
            let control = _mm_cmpeq_epi8(_mm_max_epu8(v, byte(0x1F)), byte(0x1F));
            let quote = _mm_or_si128(_mm_cmpeq_epi8(v, byte(b'"')), _mm_cmpeq_epi8(v, byte(b'\\')));
            _mm_movemask_epi8(_mm_or_si128(control, quote))
        };
        if found != 0 {
            return from + found.trailing_zeros() as usize;
        }
        from += 16;
    }
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map_or(bytes.len(), |k| from + k)
}

#[cfg(test)]
fn packed_postings<S: serde::Serializer>(t: &BTreeMap<String, Vec<u32>>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(t.len()))?;
    for (stem, postings) in t {
        map.serialize_entry(stem, &packed(postings))?;
    }
    map.end()
}

/// A language's index: its documents' postings (oldest document first) in the buckets of their
/// shards, and the (form, stem) pairs each shard has, so that a shard is made from its bucket
/// alone and its digest — a hash of everything its file is made from — is known without
/// making it.
pub struct Index<'c> {
    words: &'c RwLock<Words>,
    state: Arc<IndexState>,
    /// The fewest documents a stem with [`Champion`]s has, once asked for.
    threshold: std::sync::OnceLock<u32>,
    /// Per shard, its stems' [`Champion`]s, once asked for.
    champions: std::sync::OnceLock<Vec<Arc<[Champion]>>>,
    /// Shards' champions from an earlier render, by [`Index::champions_key`].
    kept: ChampionLists,
}

/// One of the [`TOP`] documents a common stem ranks first, in the order a query of that stem
/// alone shows them: its shard carries what the result shows (link, title, date, the snippet
/// around `first`), so that the first page of a common word's results fetches no article
/// file. A query that ranks other documents first (several words, a filter) fetches theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Champion {
    pub stem: u32,
    pub doc: u32,
    /// The byte of the document's text where the stem is first found, if its text has it.
    pub first: Option<usize>,
}

/// Shards' champions by [`Index`]'s `champions_key`: what a render keeps for the next.
pub type ChampionLists = FxHashMap<u128, Arc<[Champion]>>;

/// Stems' best postings so far, by stem number, as postings are offered to them.
struct Ranks {
    /// Per stem: its rarity if it has champions (else none).
    idfs: Vec<Option<f32>>,
    /// Per stem: its best (points, document), best first.
    best: Vec<Vec<(u32, u32)>>,
    /// Per stem, once its list is full: a part below which a posting scores a point less than
    /// the last of the list, at least (with half a point to spare for rounding), and is passed
    /// over without being scored. Most are.
    floor: Vec<f32>,
    /// The stems with a list, in the order they got one.
    touched: Vec<u32>,
}

impl Ranks {
    fn new(idfs: Vec<Option<f32>>) -> Ranks {
        Ranks {
            best: vec![Vec::new(); idfs.len()],
            floor: vec![0.0; idfs.len()],
            idfs,
            touched: Vec::new(),
        }
    }

    /// Document `doc`'s posting of `stem` with its part of the score. Of equal points the later
    /// (newer) document ranks first, and documents come newest first: a posting that only ties
    /// with the last of a full list (a common word's many) is passed over, not put in and
    /// taken out again.
    #[inline]
    fn offer(&mut self, stem: u32, doc: u32, part: f32) {
        let Some(idf) = self.idfs[stem as usize] else { return };
        if part < self.floor[stem as usize] {
            return;
        }
        let posting = (points(idf, part), doc);
        let list = &mut self.best[stem as usize];
        if list.len() == TOP && list[TOP - 1] >= posting {
            return;
        }
        if list.is_empty() {
            self.touched.push(stem);
        }
        let at = list.partition_point(|b| *b > posting);
        list.insert(at, posting);
        list.truncate(TOP);
        if list.len() == TOP {
            self.floor[stem as usize] = (list[TOP - 1].0 as f32 - 1.0) / (idf * 10.0);
        }
    }

    /// Forgets the lists of `stems`.
    fn clear(&mut self, stems: &[u32]) {
        for &stem in stems {
            self.best[stem as usize].clear();
            self.floor[stem as usize] = 0.0;
        }
    }
}

/// (stem, document, the document's part of the score).
type Posting = (u32, u32, f32);

/// What an index is made of. The cache keeps it between renders: under `serve`, an edit to
/// some articles takes their old terms out and puts their new ones in, and the rest stays.
pub struct IndexState {
    docs: Vec<Arc<DocTerms>>,
    /// The pairs of no document (the cities' Latin keys).
    names: Vec<u32>,
    /// Per shard: its postings, by stem number and then document: each stem's together, in
    /// order.
    postings: Vec<Vec<Posting>>,
    /// Per shard: the pairs some document (or name) has.
    pairs: Vec<Vec<u32>>,
    /// Per pair: how many documents and names have it.
    counts: Vec<u32>,
    /// Per stem: how many documents have it.
    dfs: Vec<u32>,
    /// Per shard: a sum and an exclusive or of a hash per posting and pair, so that taking a
    /// part out undoes putting it in; made the first time a digest is asked for (a render
    /// that signs its pages: `serve`'s), and kept up to date by updates from then on.
    sums: std::sync::OnceLock<Vec<(u64, u64)>>,
}

impl<'c> Index<'c> {
    /// `names` are forms of no document (the cities' Latin keys, as [`fold::latin`] gives
    /// them) with their stems. `previous`, an index of the same language from an earlier render,
    /// is updated when no one else holds it and only some documents changed; otherwise the
    /// index is made anew.
    pub fn new(
        docs: &[Arc<DocTerms>],
        names: &[(String, String)],
        words: &'c RwLock<Words>,
        previous: Option<Arc<IndexState>>,
        kept: ChampionLists,
    ) -> Index<'c> {
        let names: Vec<u32> = {
            let mut w = words.write().unwrap_or_else(|e| e.into_inner());
            names.iter().map(|(f, s)| w.pair(f, s)).collect()
        };
        let w = words.read().unwrap_or_else(|e| e.into_inner());
        let updated = previous.and_then(|mut state| {
            let done = Arc::get_mut(&mut state).is_some_and(|st| st.update(docs, &names, &w));
            done.then_some(state)
        });
        let state = updated.unwrap_or_else(|| Arc::new(IndexState::new(docs, names, &w)));
        drop(w);
        Index {
            words,
            state,
            threshold: std::sync::OnceLock::new(),
            champions: std::sync::OnceLock::new(),
            kept,
        }
    }

    /// For a name typed in Latin letters, whose form's shard lists its stems and whose stem's
    /// shard has its postings (`darhan` → `дарха`): per first three letters of such a form,
    /// the shards of its stems that have [`Champion`]s and are kept in another shard than the
    /// form, in order. The browser asks for them beside the form's shard, not after it: the
    /// first page of a common name typed in Latin letters takes one round trip, not two. Only
    /// stems with champions (at most one per [`TOP`] documents), their forms by three letters:
    /// the table stays small.
    pub fn latin_shards(&self) -> Vec<(String, Vec<u32>)> {
        let threshold = self.threshold();
        if threshold == u32::MAX {
            return Vec::new();
        }
        let count = self.shard_count();
        let w = self.words.read().unwrap_or_else(|e| e.into_inner());
        let mut out: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        // A pair listed in two shards is seen twice: the lists are made unique below.
        for &p in self.state.pairs.iter().flatten() {
            let (form, stem, _) = &w.pair_list[p as usize];
            let [_, Some(of_stem)] = pair_shards(p, &w, count) else {
                continue;
            };
            if self.state.dfs[*stem as usize] >= threshold && fold::is_latin(form) {
                out.entry(form.chars().take(3).collect())
                    .or_default()
                    .push(of_stem as u32);
            }
        }
        out.into_iter()
            .map(|(head, mut shards)| {
                shards.sort_unstable();
                shards.dedup();
                (head, shards)
            })
            .collect()
    }

    /// The fewest documents a stem has [`Champion`]s with: the stems with the most documents,
    /// all of those with as many together, as long as their champions are at most
    /// [`TOP_PER_DOC`] per document in all (`u32::MAX`: none).
    pub fn threshold(&self) -> u32 {
        *self.threshold.get_or_init(|| {
            let mut dfs: Vec<u32> = self.state.dfs.iter().copied().filter(|&df| df >= TOP_MIN_DF).collect();
            dfs.sort_unstable_by(|a, b| b.cmp(a));
            let budget = TOP_PER_DOC * self.state.docs.len();
            let mut total = 0;
            let mut threshold = u32::MAX;
            for same in dfs.chunk_by(|a, b| a == b) {
                total += same.len() * TOP.min(same[0] as usize);
                if total > budget {
                    break;
                }
                threshold = same[0];
            }
            threshold
        })
    }

    /// Shard `s`'s [`Champion`]s: per stem (by its text), its first [`TOP`] documents by score,
    /// the newer first of equal scores, as `static/search.js` ranks a one-word query.
    pub fn champions(&self, s: usize) -> &[Champion] {
        &self.all_champions()[s]
    }

    /// What shard `s`'s champions are a function of: its digest (its postings, with where
    /// each document's text has each stem first, and the number of documents) and the threshold.
    fn champions_key(&self, s: usize) -> u128 {
        key(&[&self.digest(s).to_le_bytes(), &self.threshold().to_le_bytes()])
    }

    /// Every shard's champions with their keys, for a later render to find ([`Index::new`]'s
    /// `kept`).
    pub fn champion_lists(&self) -> impl Iterator<Item = (u128, Arc<[Champion]>)> + '_ {
        let all = self.all_champions();
        (0..all.len()).map(move |s| (self.champions_key(s), all[s].clone()))
    }

    /// Every shard's [`Champion`]s: those of a shard whose key an earlier render kept, as they
    /// were; the others ranked from the shards' postings, or (when most are to be ranked, as in
    /// a build) from one pass over the documents' terms, by stem number.
    fn all_champions(&self) -> &[Arc<[Champion]>] {
        self.champions.get_or_init(|| {
            let shards = self.state.postings.len();
            let threshold = self.threshold();
            if threshold == u32::MAX {
                return vec![Arc::from([]); shards];
            }
            // Nothing kept (a one-off build): no shard's key, a digest, is made.
            let mut out: Vec<Option<Arc<[Champion]>>> = if self.kept.is_empty() {
                vec![None; shards]
            } else {
                (0..shards)
                    .map(|s| self.kept.get(&self.champions_key(s)).cloned())
                    .collect()
            };
            let missing: Vec<usize> = (0..shards).filter(|&s| out[s].is_none()).collect();
            let n = self.state.docs.len() as f32;
            let idfs: Vec<Option<f32>> = self
                .state
                .dfs
                .iter()
                .map(|&df| (df >= threshold).then(|| idf(n, df as usize)))
                .collect();
            let mut ranks = Ranks::new(idfs);
            let w = self.words.read().unwrap_or_else(|e| e.into_inner());
            if missing.len() * 8 > shards {
                for (d, doc) in self.state.docs.iter().enumerate().rev() {
                    for &(stem, part) in &doc.terms {
                        ranks.offer(stem, d as u32, part);
                    }
                }
                let count = shards as u32;
                let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); shards];
                for stem in ranks.touched.drain(..) {
                    by_shard[w.stem_shard(stem, count)].push(stem);
                }
                for (s, stems) in by_shard.into_iter().enumerate() {
                    if out[s].is_none() {
                        out[s] = Some(self.champions_of(stems, &ranks, &w).into());
                    }
                }
            } else {
                for s in missing {
                    for &(stem, doc, part) in self.state.postings[s].iter().rev() {
                        ranks.offer(stem, doc, part);
                    }
                    let stems = std::mem::take(&mut ranks.touched);
                    out[s] = Some(self.champions_of(stems.clone(), &ranks, &w).into());
                    ranks.clear(&stems);
                }
            }
            out.into_iter().map(|c| c.expect("every shard ranked")).collect()
        })
    }

    /// The champions of `stems` (of one shard) as `ranks` has them: stems by their text.
    fn champions_of(&self, mut stems: Vec<u32>, ranks: &Ranks, w: &Words) -> Vec<Champion> {
        stems.sort_unstable_by(|a, b| w.stem_list[*a as usize].cmp(&w.stem_list[*b as usize]));
        let mut out = Vec::with_capacity(stems.len() * TOP);
        for stem in stems {
            for &(_, doc) in &ranks.best[stem as usize] {
                let first = self.state.docs[doc as usize].first(stem);
                out.push(Champion { stem, doc, first });
            }
        }
        out
    }

    /// What the cache keeps for the next render to update.
    pub fn state(&self) -> Arc<IndexState> {
        self.state.clone()
    }

    pub fn shard_count(&self) -> u32 {
        self.state.postings.len() as u32
    }

    /// What shard `s` is made from, hashed: equal digests, equal files (within one process:
    /// words are numbered as they were met).
    pub fn digest(&self, s: usize) -> u128 {
        let (a, b) = self.state.sums.get_or_init(|| {
            let w = self.words.read().unwrap_or_else(|e| e.into_inner());
            self.state.make_sums(&w)
        })[s];
        u128::from(a) << 64 | u128::from(b)
    }

    /// Shard `s` as its file: the JSON `serde_json` writes for [`Index::shard`], written here
    /// with no map, list or string made for each stem and form on the way.
    /// `results` are its [`Index::champions`]' results, in their order, as JSON objects (made
    /// where the texts are).
    pub fn shard_json<R: AsRef<str>>(&self, s: usize, results: &[R]) -> String {
        let w = self.words.read().unwrap_or_else(|e| e.into_inner());
        let n = self.state.docs.len() as f32;
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("{\"f\":{");
        let mut forms: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for &p in &self.state.pairs[s] {
            let (form, stem, _) = &w.pair_list[p as usize];
            forms.entry(form).or_default().push(&w.stem_list[*stem as usize]);
        }
        for (i, (form, mut stems)) in forms.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json(&mut out, form);
            out.push_str(":[");
            stems.sort_unstable();
            for (k, stem) in stems.into_iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                push_json(&mut out, stem);
            }
            out.push(']');
        }
        out.push_str("},\"t\":{");
        // The bucket has each stem's postings together, in order of document.
        let mut stems: Vec<(&str, &[Posting])> = self.state.postings[s]
            .chunk_by(|a, b| a.0 == b.0)
            .map(|list| (&*w.stem_list[list[0].0 as usize], list))
            .collect();
        stems.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (i, (stem, list)) in stems.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json(&mut out, stem);
            out.push_str(":\"");
            let idf = idf(n, list.len());
            let mut last = 0;
            for &(_, doc, part) in list {
                push_packed(&mut out, doc - last);
                push_packed(&mut out, points(idf, part));
                last = doc;
            }
            out.push('"');
        }
        out.push_str("},\"w\":{");
        let mut last = NONE;
        for (c, json) in self.champions(s).iter().zip(results) {
            let json = json.as_ref();
            if c.stem != last {
                if last != NONE {
                    out.push_str("],");
                }
                push_json(&mut out, &w.stem_list[c.stem as usize]);
                out.push_str(":[");
                last = c.stem;
            } else {
                out.push(',');
            }
            out.push_str(json);
        }
        if last != NONE {
            out.push(']');
        }
        out.push_str("}}");
        out
    }

    /// The text of stem number `stem`.
    #[cfg(test)]
    pub fn stem_text(&self, stem: u32) -> String {
        let w = self.words.read().unwrap_or_else(|e| e.into_inner());
        w.stem_list[stem as usize].to_string()
    }

    /// Shard `s`: its forms with their stems, its stems with their postings, and the first
    /// [`TOP`] documents of each stem with at least [`Index::threshold`] documents.
    #[cfg(test)]
    pub fn shard(&self, s: usize) -> Shard {
        let w = self.words.read().unwrap_or_else(|e| e.into_inner());
        let n = self.state.docs.len() as f32;
        // The bucket lists each stem's documents in order: its postings come out in order.
        let mut by_stem: FxHashMap<u32, Vec<(u32, f32)>> = FxHashMap::default();
        for &(stem, doc, part) in &self.state.postings[s] {
            by_stem.entry(stem).or_default().push((doc, part));
        }
        let mut out = Shard::default();
        for (stem, list) in by_stem {
            let idf = idf(n, list.len());
            let mut flat = Vec::with_capacity(list.len() * 2);
            let mut ranked = Vec::with_capacity(list.len());
            let mut last = 0;
            for &(doc, part) in &list {
                flat.push(doc - last);
                flat.push(points(idf, part));
                ranked.push((points(idf, part), doc));
                last = doc;
            }
            out.t.insert(w.stem_list[stem as usize].to_string(), flat);
            if list.len() as u32 >= self.threshold() {
                ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
                let top = ranked.iter().take(TOP).map(|r| r.1).collect();
                out.w.insert(w.stem_list[stem as usize].to_string(), top);
            }
        }
        for &p in &self.state.pairs[s] {
            let (form, stem, _) = &w.pair_list[p as usize];
            out.f
                .entry(form.to_string())
                .or_default()
                .push(w.stem_list[*stem as usize].to_string());
        }
        for stems in out.f.values_mut() {
            stems.sort_unstable();
        }
        out
    }
}

impl IndexState {
    fn new(docs: &[Arc<DocTerms>], names: Vec<u32>, w: &Words) -> IndexState {
        let count = shard_count(docs.len());
        let shards = count as usize;
        let shard = |stem: u32| w.stem_shard(stem, count);
        // Counted first: each stem's postings get their place in its shard's bucket, by stem
        // number, and are put there document by document.
        let mut dfs = vec![0u32; w.stem_list.len()];
        for doc in docs {
            for &(stem, _) in &doc.terms {
                dfs[stem as usize] += 1;
            }
        }
        let mut sizes = vec![0usize; shards];
        let mut at: Vec<usize> = (0..dfs.len() as u32)
            .map(|stem| {
                let size = &mut sizes[shard(stem)];
                *size += dfs[stem as usize] as usize;
                *size - dfs[stem as usize] as usize
            })
            .collect();
        let mut state = IndexState {
            docs: docs.to_vec(),
            names: Vec::new(),
            postings: sizes.into_iter().map(|n| vec![(0, 0, 0.0); n]).collect(),
            pairs: vec![Vec::new(); shards],
            counts: vec![0; w.pair_list.len()],
            dfs,
            sums: std::sync::OnceLock::new(),
        };
        for (d, doc) in docs.iter().enumerate() {
            for &(stem, score) in &doc.terms {
                let s = shard(stem);
                state.postings[s][at[stem as usize]] = (stem, d as u32, score);
                at[stem as usize] += 1;
            }
            state.count_pairs(&doc.pairs, w);
        }
        state.count_pairs(&names, w);
        state.names = names;
        state
    }

    /// Every shard's sums, from its postings (with where each document's text has each stem
    /// first) and pairs.
    fn make_sums(&self, w: &Words) -> Vec<(u64, u64)> {
        let count = self.postings.len() as u32;
        let mut sums = vec![(self.docs.len() as u64, u64::from(count)); count as usize];
        for (d, doc) in self.docs.iter().enumerate() {
            for (&(stem, score), &first) in doc.terms.iter().zip(&doc.firsts) {
                let s = w.stem_shard(stem, count);
                add(&mut sums[s], posting_hash(stem, d as u32, score, first));
            }
        }
        for (s, pairs) in self.pairs.iter().enumerate() {
            for &p in pairs {
                add(&mut sums[s], pair_hash(p));
            }
        }
        sums
    }

    /// Puts a posting's or pair's `hash` into shard `s`'s sums with `op` ([`add`] or [`sub`]),
    /// if they have been made.
    fn adjust_sums(&mut self, s: usize, hash: u64, op: fn(&mut (u64, u64), u64)) {
        if let Some(sums) = self.sums.get_mut() {
            op(&mut sums[s], hash);
        }
    }

    /// Takes the documents that are not the same as before out and puts their new terms in;
    /// `false` (and nothing done) when the documents or names are not the same list.
    fn update(&mut self, docs: &[Arc<DocTerms>], names: &[u32], w: &Words) -> bool {
        if docs.len() != self.docs.len() || names != self.names {
            return false;
        }
        let changed: Vec<usize> = (0..docs.len())
            .filter(|&i| !Arc::ptr_eq(&docs[i], &self.docs[i]))
            .collect();
        // Past a few, making it anew is as quick and simpler.
        if changed.len() > 64.max(docs.len() / 16) {
            return false;
        }
        let count = self.postings.len() as u32;
        for d in changed {
            let old = std::mem::replace(&mut self.docs[d], docs[d].clone());
            let shard = |stem: u32| w.stem_shard(stem, count);
            let mut shards: Vec<usize> = old.terms.iter().map(|t| shard(t.0)).collect();
            shards.sort_unstable();
            shards.dedup();
            for s in shards {
                self.postings[s].retain(|p| p.1 != d as u32);
            }
            for (&(stem, score), &first) in old.terms.iter().zip(&old.firsts) {
                self.adjust_sums(shard(stem), posting_hash(stem, d as u32, score, first), sub);
                self.dfs[stem as usize] -= 1;
            }
            self.dfs.resize(w.stem_list.len(), 0);
            self.uncount_pairs(&old.pairs, w);
            for (&(stem, score), &first) in docs[d].terms.iter().zip(&docs[d].firsts) {
                let s = shard(stem);
                let at = self.postings[s].partition_point(|p| (p.0, p.1) < (stem, d as u32));
                self.postings[s].insert(at, (stem, d as u32, score));
                self.dfs[stem as usize] += 1;
                self.adjust_sums(s, posting_hash(stem, d as u32, score, first), add);
            }
            self.count_pairs(&docs[d].pairs, w);
        }
        true
    }

    fn count_pairs(&mut self, pairs: &[u32], w: &Words) {
        let count = self.postings.len() as u32;
        for &p in pairs {
            if self.counts.len() <= p as usize {
                self.counts.resize(p as usize + 1, 0);
            }
            self.counts[p as usize] += 1;
            if self.counts[p as usize] == 1 {
                for s in pair_shards(p, w, count).into_iter().flatten() {
                    self.pairs[s].push(p);
                    self.adjust_sums(s, pair_hash(p), add);
                }
            }
        }
    }

    fn uncount_pairs(&mut self, pairs: &[u32], w: &Words) {
        let count = self.postings.len() as u32;
        for &p in pairs {
            self.counts[p as usize] -= 1;
            if self.counts[p as usize] == 0 {
                for s in pair_shards(p, w, count).into_iter().flatten() {
                    if let Some(at) = self.pairs[s].iter().position(|&q| q == p) {
                        self.pairs[s].swap_remove(at);
                    }
                    self.adjust_sums(s, pair_hash(p), sub);
                }
            }
        }
    }
}

/// The shards of `count` that list pair `p`: its form's, where a query of the form finds its
/// stems; and its stem's, if another (a form beginning otherwise than its stem: аким → ак, a
/// Latin name), so that the browser, which has a stem's shard for every query of it, knows
/// every form of the stem to mark in a snippet, as the index knows where the text has any
/// of them first.
fn pair_shards(p: u32, w: &Words, count: u32) -> [Option<usize>; 2] {
    let (_, stem, head) = &w.pair_list[p as usize];
    let form = (head & (count - 1)) as usize;
    let of_stem = w.stem_shard(*stem, count);
    [Some(form), (of_stem != form).then_some(of_stem)]
}

/// A posting's part of its shard's digest: with where the document's text has the stem first,
/// which its result's snippet is cut around if it is a champion.
fn posting_hash(stem: u32, doc: u32, score: f32, first: u32) -> u64 {
    mix(
        u64::from(stem) << 32 | u64::from(doc),
        u64::from(score.to_bits()) | u64::from(first) << 32,
    )
}

fn pair_hash(p: u32) -> u64 {
    mix(u64::from(p), u64::MAX)
}

fn add(sum: &mut (u64, u64), h: u64) {
    sum.0 = sum.0.wrapping_add(h);
    sum.1 ^= h.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15);
}

fn sub(sum: &mut (u64, u64), h: u64) {
    sum.0 = sum.0.wrapping_sub(h);
    sum.1 ^= h.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15);
}

/// One part of a digest: two numbers, mixed (a multiply-xorshift: cheap, and spread well
/// enough that sums of distinct parts do not meet).
fn mix(a: u64, b: u64) -> u64 {
    let mut x = a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b.rotate_left(29);
    x ^= x >> 32;
    x = x.wrapping_mul(0xd6e8_feb8_6659_fd93);
    x ^= x >> 32;
    x = x.wrapping_mul(0xd6e8_feb8_6659_fd93);
    x ^ (x >> 32)
}

#[cfg(test)]
mod tests;
