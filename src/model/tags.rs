//! Tags: free words in each article's language, grouped by their Latin slug, and paired across
//! languages by the translations they appear on (so the switcher on «образование» leads to
//! «білім»).

use rustc_hash::FxHashMap;

use super::{Entry, EntryId, LangId, LangIndex, TagId};
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
    /// The tag that translates it, per language.
    pub counterparts: Vec<Option<TagId>>,
}

pub(super) fn index(entries: &mut [Entry], langs: &mut [LangIndex], problems: &mut Problems) {
    let n_langs = langs.len();
    for index in langs.iter_mut() {
        // A site has few distinct spellings and many uses of each: number the spellings, then
        // work with numbers.
        let mut spelling_of: FxHashMap<&str, usize> = FxHashMap::default();
        let mut spellings: Vec<&str> = Vec::new();
        let entry_spellings: Vec<Vec<usize>> = index
            .entries
            .iter()
            .map(|&id| {
                entries[id]
                    .source
                    .tags
                    .iter()
                    .map(|name| {
                        *spelling_of.entry(name.as_str()).or_insert_with(|| {
                            spellings.push(name.as_str());
                            spellings.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let slugs: Vec<String> = spellings.iter().map(|s| slugify(s)).collect();
        distinct_spellings(&spellings, &slugs, &entry_spellings, &index.entries, entries, problems);
        let mut sorted: Vec<&str> = slugs.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let tag_of: Vec<Option<usize>> = slugs.iter().map(|s| sorted.binary_search(&s.as_str()).ok()).collect();

        let mut uses = vec![0usize; spellings.len()];
        let mut tag_entries: Vec<Vec<EntryId>> = vec![Vec::new(); sorted.len()];
        let mut entry_tags: Vec<Vec<TagId>> = Vec::with_capacity(index.entries.len());
        for (&id, names) in index.entries.iter().zip(&entry_spellings) {
            let mut tags: Vec<TagId> = Vec::new();
            for &s in names {
                uses[s] += 1;
                match tag_of[s] {
                    Some(t) if !tags.contains(&TagId(t)) => {
                        tags.push(TagId(t));
                        tag_entries[t].push(id);
                    }
                    Some(_) => {}
                    None => problems.push(Problem::in_file(
                        &entries[id].source.path,
                        format!(
                            "tag `{}` has no letters or digits to make an address from: reword it",
                            spellings[s]
                        ),
                    )),
                }
            }
            entry_tags.push(tags);
        }
        let names = names(&tag_of, &uses, &spellings, sorted.len());
        index.tags = sorted
            .iter()
            .zip(tag_entries)
            .zip(names)
            .map(|((slug, ids), name)| Tag {
                slug: slug.to_string(),
                name: name.map(|s| spellings[s].to_string()).unwrap_or_default(),
                entries: ids,
                counterparts: vec![None; n_langs],
            })
            .collect();
        for (&id, tags) in index.entries.iter().zip(entry_tags) {
            entries[id].tags = tags;
        }
    }
    pair_across_languages(entries, langs);
}

/// Spellings that make one address must be one word written alike but for case, `ё` and the
/// separators between words (`Образование`, `образование`; `сельское-хозяйство`): those are one
/// tag. Others (`C#` and `C++`, both `c`) would lose one of them from its articles without a
/// word: an error at the later spelling's article and line, naming the first.
fn distinct_spellings(
    spellings: &[&str],
    slugs: &[String],
    entry_spellings: &[Vec<usize>],
    ids: &[EntryId],
    entries: &[Entry],
    problems: &mut Problems,
) {
    let key = |s: &str| -> String {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            let c = if c == 'ё' { 'е' } else { c };
            if c.is_alphanumeric() || "#+&@%$*§".contains(c) {
                out.push(c);
            } else if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        out.trim().to_string()
    };
    // Per slug: the first spelling seen (its key, and where).
    let mut first: FxHashMap<&str, (String, usize)> = FxHashMap::default();
    for (&id, names) in ids.iter().zip(entry_spellings) {
        for (n, &s) in names.iter().enumerate() {
            if slugs[s].is_empty() {
                continue;
            }
            let k = key(spellings[s]);
            match first.get(slugs[s].as_str()) {
                None => {
                    first.insert(slugs[s].as_str(), (k, s));
                }
                Some((other, o)) if *other != k => {
                    let source = &entries[id].source;
                    let line = source.tag_lines.get(n).copied();
                    problems.push(Problem::new(
                        &source.path,
                        line,
                        format!(
                            "tag `{}` makes the same address (tags/{}/) as the tag `{}` of other articles, \
                             so one would disappear from its articles: reword one of them so that each has an address of its own",
                            spellings[s], slugs[s], spellings[*o]
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
}

/// Each tag's name: its commonest spelling; on a tie the lower-case one, then the first
/// alphabetically. `tag_of[s]` is spelling `s`'s tag, `uses[s]` how often it is written.
fn names(tag_of: &[Option<usize>], uses: &[usize], spellings: &[&str], n_tags: usize) -> Vec<Option<usize>> {
    let lower = |s: &str| s.chars().all(|c| !c.is_uppercase());
    let mut names: Vec<Option<usize>> = vec![None; n_tags];
    for (s, tag) in tag_of.iter().enumerate() {
        let Some(t) = *tag else { continue };
        let better = match names[t] {
            None => true,
            Some(b) => {
                (uses[s], lower(spellings[s]), std::cmp::Reverse(spellings[s]))
                    > (uses[b], lower(spellings[b]), std::cmp::Reverse(spellings[b]))
            }
        };
        if better {
            names[t] = Some(s);
        }
    }
    names
}

/// For each tag, the other language's tag it most often stands beside on translations; tags in
/// the same position of two equally long tag lists count double. Only mutual choices are kept,
/// so a tag and its counterpart always point at each other.
fn pair_across_languages(entries: &[Entry], langs: &mut [LangIndex]) {
    let n_langs = langs.len();
    // best[a][b][tag of a] = the tag of b it pairs with best
    let mut best: Vec<Vec<Vec<Option<TagId>>>> = vec![vec![Vec::new(); n_langs]; n_langs];
    for a in LangId::all(n_langs) {
        for b in LangId::all(n_langs).filter(|&b| b != a) {
            let mut weights: FxHashMap<(TagId, TagId), u32> = FxHashMap::default();
            for &id in &langs[a].entries {
                let e = &entries[id];
                let Some(other) = e.translations[b] else { continue };
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
            let mut choice: Vec<Option<(u32, TagId)>> = vec![None; langs[a].tags.len()];
            for ((x, y), w) in weights {
                if choice[x].is_none_or(|(bw, by)| w > bw || (w == bw && y < by)) {
                    choice[x] = Some((w, y));
                }
            }
            best[a][b] = choice.into_iter().map(|c| c.map(|(_, y)| y)).collect();
        }
    }
    for a in LangId::all(n_langs) {
        for b in LangId::all(n_langs).filter(|&b| b != a) {
            for (x, tag) in TagId::all(langs[a].tags.len()).zip(langs[a].tags.iter_mut()) {
                tag.counterparts[b] = best[a][b][x].filter(|&y| best[b][a][y] == Some(x));
            }
        }
    }
}
