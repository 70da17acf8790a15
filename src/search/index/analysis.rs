//! Analysis: a document's words read once, folded and stemmed ([`Analyzer`]), numbered
//! ([`Words`]) and counted per field into its [`DocTerms`], the part of the index a document
//! gives and the [`Cache`](super::Cache) keeps between builds.

use std::sync::RwLock;

use rustc_hash::FxHashMap;

use super::super::analyze::{Analyzer, Memo};
use super::super::fold;
use super::super::words::words;
use super::{B, CITIES, K1, REFERENCE_LEN, TEXT, TITLE, TITLE_BONUS};

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
    pub(super) stems: FxHashMap<Box<str>, u32>,
    pub(super) stem_list: Vec<Box<str>>,
    /// Per stem, its [`fold::head`] (apart: read for every posting of every build), and its
    /// head of four letters, for a stem whose first three are split ([`Keys`]).
    pub(super) stem_heads: Vec<u32>,
    pub(super) stem_heads4: Vec<u32>,
    /// Per pair, its form's head of four letters.
    pub(super) pair_heads4: Vec<u32>,
    pub(super) pairs: FxHashMap<(Box<str>, u32), u32>,
    /// Per pair: its form, its stem's number and the form's [`fold::head`].
    pub(super) pair_list: Vec<(Box<str>, u32, u32)>,
}

impl Words {
    pub(super) fn stem(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stems.get(stem) {
            return id;
        }
        let id = self.stem_list.len() as u32;
        self.stems.insert(stem.into(), id);
        self.stem_list.push(stem.into());
        self.stem_heads.push(fold::head(stem));
        self.stem_heads4.push(fold::head_of(stem, 4));
        id
    }

    pub(super) fn pair(&mut self, form: &str, stem: &str) -> u32 {
        let stem = self.stem(stem);
        let key = (Box::<str>::from(form), stem);
        if let Some(&id) = self.pairs.get(&key) {
            return id;
        }
        let id = self.pair_list.len() as u32;
        self.pair_list.push((key.0.clone(), stem, fold::head(form)));
        self.pair_heads4.push(fold::head_of(form, 4));
        self.pairs.insert(key, id);
        id
    }
}

/// Which shard a term goes to. Its key: the hash of its first three letters ([`fold::head`]);
/// while that head is split (its terms' postings together passed `SPLIT_POSTINGS`) and the
/// term is longer, the hash of one letter more ([`key_of`]). A heavy key (its terms' postings
/// many) has a shard of its own in `dir`; any other goes by its key modulo the number of
/// shards.
#[derive(Clone, Copy)]
pub(super) struct Keys<'a> {
    pub count: u32,
    /// The split heads' hashes, of any length, sorted.
    pub split: &'a [u32],
    /// The heavy keys with their shards, sorted by key.
    pub dir: &'a [(u32, u32)],
    /// Per stem and per pair (its form), its shard, as far as they were made: made once for an
    /// index, for the stems and pairs there were (later ones are placed as they come).
    pub stems: &'a [u32],
    pub pairs: &'a [u32],
}

impl Keys<'_> {
    /// The shard stem number `stem` goes to (its postings, its champions).
    pub fn stem(&self, w: &Words, stem: u32) -> usize {
        match self.stems.get(stem as usize) {
            Some(&s) => s as usize,
            None => self.shard_of(key_of(
                &w.stem_list[stem as usize],
                w.stem_heads[stem as usize],
                self.split,
            )),
        }
    }

    /// The shard pair number `p`'s form goes to.
    pub fn form(&self, w: &Words, p: u32) -> usize {
        match self.pairs.get(p as usize) {
            Some(&s) => s as usize,
            None => {
                let (form, _, head) = &w.pair_list[p as usize];
                self.shard_of(key_of(form, *head, self.split))
            }
        }
    }

    /// The shard of a term whose key is `key`.
    pub fn shard_of(&self, key: u32) -> usize {
        match self.dir.binary_search_by_key(&key, |e| e.0) {
            Ok(i) => self.dir[i].1 as usize,
            Err(_) => (key & (self.count - 1)) as usize,
        }
    }
}

/// The key of `term`, whose [`fold::head`] is `head`: the hash of its first three letters, or of
/// one more while that head is `split` and the term is longer (as `static/search.js` finds it).
pub(super) fn key_of(term: &str, head: u32, split: &[u32]) -> u32 {
    if split.binary_search(&head).is_err() {
        return head;
    }
    let len = term.chars().count();
    let (mut key, mut letters) = (head, 3);
    while letters < len && split.binary_search(&key).is_ok() {
        letters += 1;
        key = fold::head_of(term, letters);
    }
    key
}

/// What a written word is indexed as: its stem, and its (form, stem) pairs (the second, for a
/// name, its Latin form).
#[derive(Debug, Clone, Copy)]
pub(super) struct WordIds {
    pub(super) stem: u32,
    pub(super) pairs: [u32; 2],
}

pub(super) const NONE: u32 = u32::MAX;

/// Words already analysed in this thread, as they were written, and the tallies of the document
/// being read, by stem and pair number (dense: every word of every document is counted here).
#[derive(Default)]
pub struct Seen {
    /// Words of up to [`Short`]'s 32 bytes (nearly all), by their bytes ([`Short::hash`]).
    pub(super) short: ShortTable,
    /// Longer words, by their text.
    pub(super) long: FxHashMap<Box<str>, Option<WordIds>>,
    pub(super) memo: Memo,
    /// Per stem: its weighted count in the document, whether its title has it, and where its
    /// text has it first.
    pub(super) tf: Vec<Tally>,
    /// Per pair: whether the document has it.
    pub(super) has_pair: Vec<bool>,
}

/// A stem's tally in the document being read.
#[derive(Default, Clone, Copy)]
pub(super) struct Tally {
    pub(super) count: u32,
    pub(super) title: bool,
    /// One past the byte its text has it first at (0: not in its text).
    pub(super) first: u32,
}

/// A word of up to 32 bytes as four numbers (zero past its end: a word has no zero byte): a key
/// hashed and compared without following a pointer or calling `memcmp`, for the table every
/// word of every article is looked up in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Short([u64; 4]);

impl Short {
    /// Each number read straight from the word, not from a buffer copied into or filled by
    /// index: a load of eight bytes just written in smaller pieces waits for the writes (a
    /// stall in every lookup).
    #[inline(always)]
    pub(super) fn of(bytes: &[u8]) -> Option<Short> {
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
    pub(super) fn hash(&self) -> u64 {
        let [a, b, c, d] = self.0;
        (a ^ b.rotate_left(21) ^ c.rotate_left(42) ^ d.rotate_left(53))
            .wrapping_mul(0xf135_7aea_2e62_a9c5)
            .rotate_left(26)
    }

    /// Whether `self` is `other`, compared as numbers (not as memory: the key being looked up
    /// was just made, and a wide load of it waits for its narrower writes).
    #[inline(always)]
    pub(super) fn is(&self, other: [u64; 4]) -> bool {
        let [a, b, c, d] = self.0;
        a == other[0] && b == other[1] && c == other[2] && d == other[3]
    }
}

/// The words of up to 32 bytes met, by [`Short`]: open addressing with linear probing, at most
/// half full, each slot its key and value side by side. A lookup (one for every word of every
/// article) reads one slot, most often, where a table with separate control bytes reads two
/// places in memory; a key of all zeros (no word) marks an empty slot.
#[derive(Default)]
pub(super) struct ShortTable {
    pub(super) slots: Vec<(Short, Option<WordIds>)>,
    pub(super) len: usize,
}

impl ShortTable {
    #[inline(always)]
    pub(super) fn get(&self, key: Short, hash: u64) -> Option<&Option<WordIds>> {
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
    pub(super) fn insert(&mut self, key: Short, hash: u64, ids: Option<WordIds>) {
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
    /// shard comes from [`Keys::stem`]).
    pub(super) terms: Vec<(u32, f32)>,
    /// Each (form, stem) pair, by number.
    pub(super) pairs: Vec<u32>,
    /// Per term, the byte of the text (not the title or a city's name) it is first found at
    /// in any of its forms (all of which its shard lists), or [`NONE`]: where a result's
    /// snippet for it is cut.
    pub(super) firsts: Vec<u32>,
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
    pub(super) fn first(&self, stem: u32) -> Option<usize> {
        let at = self.terms.iter().position(|t| t.0 == stem)?;
        let first = self.firsts[at];
        (first != NONE).then_some(first as usize)
    }
}

/// What [`DocTerms::new`] has found of a document so far.
pub(super) struct Found {
    /// Each stem and pair once, in the order met (their tallies are in [`Seen`]).
    pub(super) stems: Vec<u32>,
    pub(super) pairs: Vec<u32>,
    /// The document's weighted words.
    pub(super) len: u32,
}

impl Found {
    /// The words of one field, of weight `W`; `BODY`: the text, where a stem's first place is
    /// kept. A loop made for each field: every word of every article passes here.
    #[inline(always)]
    pub(super) fn field<const W: u32, const BODY: bool>(
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
    pub(super) fn learn(&mut self, a: &Analyzer, word: &str, words_: &RwLock<Words>) -> Option<WordIds> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_word_is_its_bytes_zero_padded_and_a_long_one_is_not_short() {
        let text = "Шаңхай1 Алматы облысы — a b";
        let mut checked = 0;
        for start in text.char_indices().map(|(i, _)| i) {
            for end in (start..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                let word = &text[start..end];
                let mut padded = [0u8; 64];
                padded[..word.len()].copy_from_slice(word.as_bytes());
                let part = |k: usize| u64::from_le_bytes(padded[k * 8..k * 8 + 8].try_into().unwrap());
                let expected = (word.len() <= 32).then(|| Short([part(0), part(1), part(2), part(3)]));
                assert!(Short::of(word.as_bytes()) == expected, "{word:?}");
                checked += 1;
            }
        }
        assert!(checked > 300);
    }

    #[test]
    fn the_table_of_words_finds_each_word_put_in_it_and_no_other() {
        let mut table = ShortTable::default();
        let word = |n: u32| format!("сөз{n}x");
        let key = |w: &str| Short::of(w.as_bytes()).unwrap();
        // Past several growths; every value distinct.
        for n in 0..5000 {
            let w = word(n);
            assert!(table.get(key(&w), key(&w).hash()).is_none(), "{w}");
            let ids = (n % 7 != 0).then_some(WordIds {
                stem: n,
                pairs: [n, NONE],
            });
            table.insert(key(&w), key(&w).hash(), ids);
        }
        for n in 0..5000 {
            let w = word(n);
            let got = table.get(key(&w), key(&w).hash()).copied();
            assert_eq!(
                got.map(|ids| ids.map(|i| i.stem)),
                Some((n % 7 != 0).then_some(n)),
                "{w}"
            );
        }
        for absent in ["сөз", "сөз5000x", "x", &"ж".repeat(16)] {
            assert!(table.get(key(absent), key(absent).hash()).is_none(), "{absent}");
        }
    }
}
