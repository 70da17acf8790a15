//! Tags: free words in each article's language, grouped by their Latin slug, and paired across
//! languages by the translations they appear on (so the switcher on «образование» leads to
//! «білім»).

use std::collections::{BTreeMap, HashMap};

use super::{Entry, EntryId, LangIndex};
use crate::diagnostics::{Problem, Problems};
use crate::slug::slugify;

/// One tag of one language.
#[derive(Debug)]
pub struct Tag {
    pub slug: String,
    /// The spelling used most often (ties: lower case, then alphabetical order).
    pub name: String,
    /// Entries with this tag, newest first.
    pub entries: Vec<EntryId>,
    /// The tag that translates it, per language (index into that language's tags).
    pub counterparts: Vec<Option<usize>>,
}

pub(super) fn index(entries: &mut [Entry], langs: &mut [LangIndex], problems: &mut Problems) {
    let n_langs = langs.len();
    for index in langs.iter_mut() {
        // slug → (spelling → count, entries)
        let mut groups: BTreeMap<String, (BTreeMap<&str, usize>, Vec<EntryId>)> = BTreeMap::new();
        for &id in &index.entries {
            let e = &entries[id];
            for name in &e.source.tags {
                let slug = slugify(name);
                if slug.is_empty() {
                    problems.push(Problem::in_file(
                        &e.source.path,
                        format!("tag `{name}` has no letters or digits to make an address from: reword it"),
                    ));
                    continue;
                }
                let group = groups.entry(slug).or_default();
                *group.0.entry(name.as_str()).or_default() += 1;
                if group.1.last() != Some(&id) {
                    group.1.push(id);
                }
            }
        }
        let position: HashMap<String, usize> = groups.keys().enumerate().map(|(i, s)| (s.clone(), i)).collect();
        index.tags = groups
            .into_iter()
            .map(|(slug, (spellings, ids))| {
                // The commonest spelling; on a tie the lower-case one, then the first alphabetically.
                let lower = |s: &str| s.chars().all(|c| !c.is_uppercase());
                let name = spellings
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(lower(a.0).cmp(&lower(b.0))).then(b.0.cmp(a.0)))
                    .map(|(s, _)| s.to_string())
                    .unwrap_or_default();
                Tag {
                    slug,
                    name,
                    entries: ids,
                    counterparts: vec![None; n_langs],
                }
            })
            .collect();
        for &id in &index.entries {
            let mut tags: Vec<usize> = Vec::new();
            for name in &entries[id].source.tags {
                if let Some(&t) = position.get(&slugify(name)) {
                    if !tags.contains(&t) {
                        tags.push(t);
                    }
                }
            }
            entries[id].tags = tags;
        }
    }
    pair_across_languages(entries, langs);
}

/// For each tag, the other language's tag it most often stands beside on translations; tags in
/// the same position of two equally long tag lists count double. Only mutual choices are kept,
/// so a tag and its counterpart always point at each other.
fn pair_across_languages(entries: &[Entry], langs: &mut [LangIndex]) {
    let n_langs = langs.len();
    // best[a][b][tag of a] = the tag of b it pairs with best
    let mut best: Vec<Vec<Vec<Option<usize>>>> = vec![vec![Vec::new(); n_langs]; n_langs];
    for a in 0..n_langs {
        for b in (0..n_langs).filter(|&b| b != a) {
            let mut weights: HashMap<(usize, usize), u32> = HashMap::new();
            for &id in &langs[a].entries {
                let e = &entries[id];
                let Some(other) = e.translations[b] else {
                    continue;
                };
                let f = &entries[other];
                if e.tags.len() == f.tags.len() {
                    for (&x, &y) in e.tags.iter().zip(&f.tags) {
                        *weights.entry((x, y)).or_default() += 2;
                    }
                }
                for &x in &e.tags {
                    for &y in &f.tags {
                        *weights.entry((x, y)).or_default() += 1;
                    }
                }
            }
            let mut choice: Vec<Option<(u32, usize)>> = vec![None; langs[a].tags.len()];
            for ((x, y), w) in weights {
                if choice[x].is_none_or(|(bw, by)| w > bw || (w == bw && y < by)) {
                    choice[x] = Some((w, y));
                }
            }
            best[a][b] = choice.into_iter().map(|c| c.map(|(_, y)| y)).collect();
        }
    }
    for a in 0..n_langs {
        for b in (0..n_langs).filter(|&b| b != a) {
            for (x, tag) in langs[a].tags.iter_mut().enumerate() {
                tag.counterparts[b] = best[a][b][x].filter(|&y| best[b][a][y] == Some(x));
            }
        }
    }
}
