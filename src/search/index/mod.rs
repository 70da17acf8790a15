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
