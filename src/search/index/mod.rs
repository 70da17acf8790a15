//! One language's search index, as the build writes it for the browser.
//!
//! ## Layout
//!
//! - `meta.json`: how many documents there are (numbered from the oldest) and how many each
//!   year has, for the year filter, with the cities' names; the folding tables and stop words;
//!   how many shards the terms are spread over; and the shards of the common stems of Latin
//!   forms, by the forms' first three letters ([`Index::latin_shards`]);
//! - `c/N.json` for every [`CITY_DOCS`] documents: each one's cities, for the city filter and
//!   the filters' counts, fetched once a query's filters are drawn or a city is chosen (they
//!   were in `meta.json`, which every query loads: at 50,000 articles it was 102 KB with them
//!   and 1.7 KB without);
//! - `s/N.json`, the shards: every folded word form the site has, with the stems it stands for
//!   (`f`; a form spelled as its only stem is not listed: it is found among the stems; a form
//!   beginning otherwise than its stem is listed in its stem's shard too), and each stem's
//!   postings (`t`, packed in a string: `json::packed`): document numbers (each the gap from the one
//!   before) and BM25 scores ×10, with the title weighted three times and the cities' names
//!   twice. A term goes to the shard `fold::shard` names by its first three letters, so a
//!   query word, or a prefix of three letters or more, needs one shard; and each common stem's
//!   first [`TOP`] results ready to show (`w`, its [`Champion`]s: made where the texts are, by
//!   `render::search`), so that a one-word query's first page needs no other file;
//! - `doc/N.json` for every [`DOCS_PER_FILE`] articles, in order: each one's link, title, date
//!   and text, fetched only for the results shown.
//!
//! ## Budget: what a query downloads
//!
//! A search page loads `meta.json` once; each query word then fetches one shard, and a first
//! page of results that is not ready in it fetches at most ten article files. At 10,000
//! articles of the benchmark corpus (`bench/compare.sh`), gzipped as a server sends them:
//! `meta.json` 2.2 KB (ru) and 1.7 KB (kk); a shard 44 bytes at the median of 1,024 and 54 KB at
//! most (the commonest stems' postings with their ready results); an article file 5.8 KB (ru)
//! and 2.3 KB (kk); the script 9 KB. A common word's first page is one shard; the worst first
//! query (a new page, a rare word) is about 2 + 54 + 10 × 6 KB; the filters then fetch the
//! files of the results' cities (`c/N.json`, 8.7 KB each). `TOP_PER_DOC` caps the ready
//! results at one per article in all, so the shards grow with the site, not with its words.
//! At 200,000 articles no shard passes 90 KB: a common beginning is split by more letters
//! and a heavy key has a shard of its own (`state::placement`, `docs/scale.md`).
//!
//! ## Parts
//!
//! - `analysis`: a document's words, folded, stemmed and numbered
//!   ([`Words`]), counted per field into its [`DocTerms`];
//! - `cache`: what is kept between builds ([`Cache`]): each document's terms by the hash of what
//!   it reads, the last [`IndexState`], the champions and their results;
//! - `shards`: the [`Index`] over its state, and each shard's file;
//! - `champions`: the ready results, ranked as `static/search.js` ranks a one-word query;
//! - `state`: the postings per shard, updated in place under `serve` (an edit takes the changed
//!   documents out and puts them back in), and each shard's digest, a sum of per-posting hashes,
//!   so that a shard's signature for the rebuild follows without making the shard;
//! - `json`: the files written by hand, byte for byte as `serde_json` would write them.

mod analysis;
mod cache;
mod champions;
mod json;
mod shards;
mod state;

pub use analysis::{DocInput, DocTerms, Seen, Words};
pub use cache::{Cache, Lent, Text};
pub use champions::{Champion, ChampionLists};
pub use json::push_json;
#[cfg(test)]
pub use json::{packed, Shard};
pub use shards::Index;
pub use state::IndexState;

/// How many consecutive documents a file of the index's articles has: results near in time share
/// files, while the first page of results, however spread, stays a small download (ten files
/// of eight press releases' text).
pub const DOCS_PER_FILE: usize = 8;

/// How many consecutive documents a file of the documents' cities (`c/N.json`, for the search
/// page's city filter and its counts) has: the table every query loads (`meta.json`) does not
/// grow with the archive, and only a query whose filters are drawn or set fetches these.
pub const CITY_DOCS: usize = 4096;

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

#[cfg(test)]
mod tests;
