//! Update state and digests: what an index is made of ([`IndexState`]), updated in place when
//! `serve` re-renders after an edit, and each shard's digest, a hash of everything its file is
//! made from, kept as sums of per-posting hashes so that taking a document out undoes putting
//! it in.

use std::sync::Arc;

use super::analysis::{key_of, DocTerms, Keys, Words};
use super::{shard_count, Index};

/// A head of three letters whose terms have more postings than this in all goes by four letters
/// ([`Keys`]): at 50,000 articles the 14 Russian stems beginning «про» were one 199 KB piece
/// (gzipped) that a query for any of them downloaded.
#[cfg(not(test))]
pub(super) const SPLIT_POSTINGS: u64 = 1 << 16;
/// Small in the unit tests, so that a few hundred documents split a head.
#[cfg(test)]
pub(super) const SPLIT_POSTINGS: u64 = 1000;
/// A key whose terms have more postings than this in all has a shard of its own (as far as
/// there are shards), not one it shares with whatever else hashes there.
const HEAVY_POSTINGS: u64 = SPLIT_POSTINGS / 8;

/// (stem, document, the document's part of the score).
pub(super) type Posting = (u32, u32, f32);

/// What an index is made of. The cache keeps it between renders: under `serve`, an edit to
/// some articles takes their old terms out and puts their new ones in, and the rest stays.
pub struct IndexState {
    pub(super) docs: Vec<Arc<DocTerms>>,
    /// The pairs of no document (the cities' Latin keys).
    pub(super) names: Vec<u32>,
    /// Per shard: its postings, by stem number and then document: each stem's together, in
    /// order.
    pub(super) postings: Vec<Vec<Posting>>,
    /// Per shard: the pairs some document (or name) has.
    pub(super) pairs: Vec<Vec<u32>>,
    /// Per pair: how many documents and names have it.
    pub(super) counts: Vec<u32>,
    /// Per stem: how many documents have it.
    pub(super) dfs: Vec<u32>,
    /// How its terms are placed.
    pub(super) placed: Placed,
    /// Per shard: a sum and an exclusive or of a hash per posting and pair, so that taking a
    /// part out undoes putting it in; made the first time a digest is asked for (a render
    /// that signs its pages: `serve`'s), and kept up to date by updates from then on.
    pub(super) sums: std::sync::OnceLock<Vec<(u64, u64)>>,
}

impl IndexState {
    pub(super) fn new(docs: &[Arc<DocTerms>], names: Vec<u32>, w: &Words) -> IndexState {
        let count = shard_count(docs.len());
        let shards = count as usize;
        // Counted first: which heads are split, and each stem's postings get their place in its
        // shard's bucket, by stem number, and are put there document by document.
        let mut dfs = vec![0u32; w.stem_list.len()];
        for doc in docs {
            for &(stem, _) in &doc.terms {
                dfs[stem as usize] += 1;
            }
        }
        let (split, dir) = placement(&dfs, w, count);
        let (stems, pairs) = term_shards(&split, &dir, count, w);
        let placed = Placed {
            split,
            dir,
            stems,
            pairs,
        };
        let keys = placed.keys(count);
        let shard = |stem: u32| keys.stem(w, stem);
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
            placed: Placed::default(),
            sums: std::sync::OnceLock::new(),
        };
        for (d, doc) in docs.iter().enumerate() {
            for &(stem, score) in &doc.terms {
                let s = shard(stem);
                state.postings[s][at[stem as usize]] = (stem, d as u32, score);
                at[stem as usize] += 1;
            }
            state.count_pairs(&doc.pairs, w, keys);
        }
        state.count_pairs(&names, w, keys);
        state.names = names;
        state.placed = placed;
        state
    }

    /// Every shard's sums, from its postings (with where each document's text has each stem
    /// first) and pairs.
    pub(super) fn make_sums(&self, w: &Words) -> Vec<(u64, u64)> {
        let count = self.postings.len() as u32;
        let keys = self.keys();
        let mut sums = vec![(self.docs.len() as u64, u64::from(count)); count as usize];
        for (d, doc) in self.docs.iter().enumerate() {
            for (&(stem, score), &first) in doc.terms.iter().zip(&doc.firsts) {
                let s = keys.stem(w, stem);
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
    pub(super) fn adjust_sums(&mut self, s: usize, hash: u64, op: fn(&mut (u64, u64), u64)) {
        if let Some(sums) = self.sums.get_mut() {
            op(&mut sums[s], hash);
        }
    }

    /// Takes the documents that are not the same as before out and puts their new terms in;
    /// `false` (and nothing done) when the documents or names are not the same list.
    pub(super) fn update(&mut self, docs: &[Arc<DocTerms>], names: &[u32], w: &Words) -> bool {
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
        // Taken out while the state changes (and put back), not copied for each document.
        let placed = std::mem::take(&mut self.placed);
        let keys = placed.keys(self.postings.len() as u32);
        for d in changed {
            let old = std::mem::replace(&mut self.docs[d], docs[d].clone());
            let shard = |stem: u32| keys.stem(w, stem);
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
            self.uncount_pairs(&old.pairs, w, keys);
            for (&(stem, score), &first) in docs[d].terms.iter().zip(&docs[d].firsts) {
                let s = shard(stem);
                let at = self.postings[s].partition_point(|p| (p.0, p.1) < (stem, d as u32));
                self.postings[s].insert(at, (stem, d as u32, score));
                self.dfs[stem as usize] += 1;
                self.adjust_sums(s, posting_hash(stem, d as u32, score, first), add);
            }
            self.count_pairs(&docs[d].pairs, w, keys);
        }
        self.placed = placed;
        // A head or key that crossed a bound moves its terms to other shards: made anew (what
        // is updated here is then dropped), as a whole build would place them.
        let (split, dir) = placement(&self.dfs, w, self.postings.len() as u32);
        split == self.placed.split && dir == self.placed.dir
    }

    /// How this state's terms are put in shards.
    pub(super) fn keys(&self) -> Keys<'_> {
        self.placed.keys(self.postings.len() as u32)
    }

    /// Counts pairs `pairs` in, each listed in its shards (placed by `keys`) when it is new.
    pub(super) fn count_pairs(&mut self, pairs: &[u32], w: &Words, keys: Keys) {
        for &p in pairs {
            if self.counts.len() <= p as usize {
                self.counts.resize(p as usize + 1, 0);
            }
            self.counts[p as usize] += 1;
            if self.counts[p as usize] == 1 {
                for s in pair_shards(p, w, keys).into_iter().flatten() {
                    self.pairs[s].push(p);
                    self.adjust_sums(s, pair_hash(p), add);
                }
            }
        }
    }

    pub(super) fn uncount_pairs(&mut self, pairs: &[u32], w: &Words, keys: Keys) {
        for &p in pairs {
            self.counts[p as usize] -= 1;
            if self.counts[p as usize] == 0 {
                for s in pair_shards(p, w, keys).into_iter().flatten() {
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
pub(super) fn pair_shards(p: u32, w: &Words, keys: Keys) -> [Option<usize>; 2] {
    let form = keys.form(w, p);
    let of_stem = keys.stem(w, w.pair_list[p as usize].1);
    [Some(form), (of_stem != form).then_some(of_stem)]
}

/// How an index's terms are placed ([`Keys`]): the split heads, sorted (their stems have more
/// than [`SPLIT_POSTINGS`] postings in all); the heavy keys' own shards; and per stem and pair
/// known when the index was made, its shard.
#[derive(Default)]
pub(super) struct Placed {
    pub(super) split: Vec<u32>,
    pub(super) dir: Vec<(u32, u32)>,
    stems: Vec<u32>,
    pairs: Vec<u32>,
}

impl Placed {
    pub(super) fn keys(&self, count: u32) -> Keys<'_> {
        Keys {
            count,
            split: &self.split,
            dir: &self.dir,
            stems: &self.stems,
            pairs: &self.pairs,
        }
    }
}

/// How the terms of documents with stems counted `dfs` are placed among `count` shards: the
/// split heads, sorted — a head of three letters whose stems have more than [`SPLIT_POSTINGS`]
/// postings in all, then among those of its stems that are longer each head of four letters
/// over the bound, and so on — and the heavy keys' own shards: each key (a stem's, after
/// splitting) whose stems have more than [`HEAVY_POSTINGS`] postings gets the first shard from
/// its hash on that no key before it (by key) took. Only crossing a bound moves a term.
pub(super) fn placement(dfs: &[u32], w: &Words, count: u32) -> (Vec<u32>, Vec<(u32, u32)>) {
    type Groups = rustc_hash::FxHashMap<u32, (u64, Vec<u32>)>;
    let mut groups: Groups = Groups::default();
    for (stem, &df) in dfs.iter().enumerate() {
        if df > 0 {
            let g = groups.entry(w.stem_heads[stem]).or_default();
            g.0 += u64::from(df);
            g.1.push(stem as u32);
        }
    }
    let mut split = Vec::new();
    let mut heavy: Vec<(u64, u32)> = Vec::new();
    let mut letters = 3;
    while !groups.is_empty() {
        let mut next = Groups::default();
        for (key, (postings, stems)) in groups {
            if postings <= SPLIT_POSTINGS {
                if postings > HEAVY_POSTINGS {
                    heavy.push((postings, key));
                }
                continue;
            }
            split.push(key);
            for stem in stems {
                let text = &w.stem_list[stem as usize];
                // A stem no longer than its head stays there (its key is the split head's).
                let key = if text.chars().count() > letters {
                    super::super::fold::head_of(text, letters + 1)
                } else {
                    key
                };
                let g = next.entry(key).or_default();
                g.0 += u64::from(dfs[stem as usize]);
                g.1.push(stem);
            }
        }
        // Stems that stayed on a split head: their key is that head's; heavy or not, it is
        // placed as the rest.
        let stayed: Vec<u32> = next.keys().copied().filter(|k| split.contains(k)).collect();
        for key in stayed {
            if let Some((postings, _)) = next.remove(&key) {
                if postings > HEAVY_POSTINGS {
                    heavy.push((postings, key));
                }
            }
        }
        groups = next;
        letters += 1;
    }
    split.sort_unstable();
    split.dedup();
    // In the order of their keys (not of their weights, which every edit moves: the shards of
    // heavy keys change only when one crosses the bound): each takes its hash's shard, or the
    // next one no key before it took.
    heavy.sort_unstable_by_key(|h| h.1);
    let mask = count - 1;
    let mut taken = vec![false; count as usize];
    let mut dir = Vec::new();
    for (_, key) in heavy.into_iter().take(count as usize) {
        let mut s = key & mask;
        while taken[s as usize] {
            s = (s + 1) & mask;
        }
        taken[s as usize] = true;
        dir.push((key, s));
    }
    dir.sort_unstable();
    (split, dir)
}

/// Per stem and per pair of `w`, the shard it goes to.
fn term_shards(split: &[u32], dir: &[(u32, u32)], count: u32, w: &Words) -> (Vec<u32>, Vec<u32>) {
    let keys = Keys {
        count,
        split,
        dir,
        stems: &[],
        pairs: &[],
    };
    let stems = w
        .stem_list
        .iter()
        .zip(&w.stem_heads)
        .map(|(t, &h)| keys.shard_of(key_of(t, h, split)) as u32)
        .collect();
    let pairs = w
        .pair_list
        .iter()
        .map(|(f, _, h)| keys.shard_of(key_of(f, *h, split)) as u32)
        .collect();
    (stems, pairs)
}

/// A posting's part of its shard's digest: with where the document's text has the stem first,
/// which its result's snippet is cut around if it is a champion.
pub(super) fn posting_hash(stem: u32, doc: u32, score: f32, first: u32) -> u64 {
    mix(
        u64::from(stem) << 32 | u64::from(doc),
        u64::from(score.to_bits()) | u64::from(first) << 32,
    )
}

pub(super) fn pair_hash(p: u32) -> u64 {
    mix(u64::from(p), u64::MAX)
}

pub(super) fn add(sum: &mut (u64, u64), h: u64) {
    sum.0 = sum.0.wrapping_add(h);
    sum.1 ^= h.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15);
}

pub(super) fn sub(sum: &mut (u64, u64), h: u64) {
    sum.0 = sum.0.wrapping_sub(h);
    sum.1 ^= h.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15);
}

/// One part of a digest: two numbers, mixed (a multiply-xorshift: cheap, and spread well
/// enough that sums of distinct parts do not meet).
pub(super) fn mix(a: u64, b: u64) -> u64 {
    let mut x = a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b.rotate_left(29);
    x ^= x >> 32;
    x = x.wrapping_mul(0xd6e8_feb8_6659_fd93);
    x ^= x >> 32;
    x = x.wrapping_mul(0xd6e8_feb8_6659_fd93);
    x ^ (x >> 32)
}

impl<'c> Index<'c> {
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
}
