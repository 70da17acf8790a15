//! Postings and shards: a language's [`Index`] over an [`IndexState`], and the files of its
//! shards (`s/N.json`), each made from its own bucket of postings alone.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use super::super::fold;
use super::analysis::{DocTerms, Words, NONE};
use super::champions::{idf, points};
use super::champions::{Champion, ChampionLists};
use super::json::{push_json, push_packed};
use super::state::{pair_shards, IndexState, Posting};
#[cfg(test)]
use {super::json::Shard, super::TOP, rustc_hash::FxHashMap};

/// A language's index: its documents' postings (oldest document first) in the buckets of their
/// shards, and the (form, stem) pairs each shard has, so that a shard is made from its bucket
/// alone and its digest — a hash of everything its file is made from — is known without
/// making it.
pub struct Index<'c> {
    pub(super) words: &'c RwLock<Words>,
    pub(super) state: Arc<IndexState>,
    /// The fewest documents a stem with [`Champion`]s has, once asked for.
    pub(super) threshold: std::sync::OnceLock<u32>,
    /// Per shard, its stems' [`Champion`]s, once asked for.
    pub(super) champions: std::sync::OnceLock<Vec<Arc<[Champion]>>>,
    /// Shards' champions from an earlier render, by [`Index::champions_key`].
    pub(super) kept: ChampionLists,
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
    /// stems with champions (at most one per [`TOP`](super::TOP) documents), their forms by three letters:
    /// the table stays small.
    pub fn latin_shards(&self) -> Vec<(String, Vec<u32>)> {
        let threshold = self.threshold();
        if threshold == u32::MAX {
            return Vec::new();
        }
        let keys = self.state.keys();
        let w = self.words.read().unwrap_or_else(|e| e.into_inner());
        let mut out: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        // A pair listed in two shards is seen twice: the lists are made unique below.
        for &p in self.state.pairs.iter().flatten() {
            let (form, stem, _) = &w.pair_list[p as usize];
            let [_, Some(of_stem)] = pair_shards(p, &w, keys) else {
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

    /// The split heads' hashes (`meta.json`'s `split`) and the heavy keys' own shards (`dir`):
    /// the script places a typed word as the index did.
    pub fn split(&self) -> &[u32] {
        &self.state.placed.split
    }

    pub fn dir(&self) -> &[(u32, u32)] {
        &self.state.placed.dir
    }

    /// Shard `s` as its file: the JSON `serde_json` writes for `Index::shard` (in the tests), written here
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
