//! Ready results: each common stem's first [`TOP`] documents ([`Champion`]s), ranked as
//! `static/search.js` ranks a one-word query, so that its shard carries the first page of
//! results and the query fetches no article file.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::analysis::Words;
use super::{key, Index, TOP, TOP_MIN_DF, TOP_PER_DOC};

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
pub(super) struct Ranks {
    /// Per stem: its rarity if it has champions (else none).
    pub(super) idfs: Vec<Option<f32>>,
    /// Per stem: its best (points, document), best first.
    pub(super) best: Vec<Vec<(u32, u32)>>,
    /// Per stem, once its list is full: a part below which a posting scores a point less than
    /// the last of the list, at least (with half a point to spare for rounding), and is passed
    /// over without being scored. Most are.
    pub(super) floor: Vec<f32>,
    /// The stems with a list, in the order they got one.
    pub(super) touched: Vec<u32>,
}

impl Ranks {
    pub(super) fn new(idfs: Vec<Option<f32>>) -> Ranks {
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
    pub(super) fn offer(&mut self, stem: u32, doc: u32, part: f32) {
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
    pub(super) fn clear(&mut self, stems: &[u32]) {
        for &stem in stems {
            self.best[stem as usize].clear();
            self.floor[stem as usize] = 0.0;
        }
    }
}

/// A stem's rarity among `docs` documents, `df` of which have it (BM25's).
pub(super) fn idf(docs: f32, df: usize) -> f32 {
    let df = df as f32;
    (1.0 + (docs - df + 0.5) / (df + 0.5)).ln()
}

/// A posting's score as its shard writes it: tenths of points, at least one.
pub(super) fn points(idf: f32, part: f32) -> u32 {
    rounded(idf * part * 10.0).max(1)
}

/// `x.round() as u32` for a score (not negative), without a call to `roundf`: in `f64`, which
/// holds every `f32` and the sum with one half exactly, truncation after adding one half is
/// rounding half away from zero.
#[inline]
pub(super) fn rounded(x: f32) -> u32 {
    (f64::from(x) + 0.5) as u32
}

impl<'c> Index<'c> {
    /// The fewest documents a stem has [`Champion`]s with: the stems with the most documents,
    /// all of those with as many together, as long as their champions are at most
    /// [`TOP_PER_DOC`](super::TOP_PER_DOC) per document in all (`u32::MAX`: none).
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
    pub(super) fn champions_key(&self, s: usize) -> u128 {
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
    pub(super) fn all_champions(&self) -> &[Arc<[Champion]>] {
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
                let keys = self.state.keys();
                let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); shards];
                for stem in ranks.touched.drain(..) {
                    by_shard[keys.stem(&w, stem)].push(stem);
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
    pub(super) fn champions_of(&self, mut stems: Vec<u32>, ranks: &Ranks, w: &Words) -> Vec<Champion> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_rounded_as_f32_round_does() {
        // Every 128th f32 from 0 to 2^16 and the one after it, each half-way point to 70,000 and
        // its neighbours, and a score near the largest that fits.
        let mut xs: Vec<f32> = (0..(0x4780_0000u32 >> 7))
            .flat_map(|b| [f32::from_bits(b << 7), f32::from_bits(b << 7 | 1)])
            .collect();
        for n in 0..70_000u32 {
            let half = n as f32 + 0.5;
            xs.extend([half, half.next_down(), half.next_up()]);
        }
        xs.push(4.0e9);
        for x in xs {
            assert_eq!(rounded(x), x.round() as u32, "{x:e}");
        }
    }
}
