//! From text to index terms: words are cut at anything not a letter or digit, lowercased, stop
//! words dropped, and each word's stem found (Russian: Snowball; Kazakh: [`super::kazakh`];
//! other languages: the word itself). Index keys are folded ([`super::fold`]) after stemming, so
//! the browser, which never stems, looks a typed word up among the folded forms the site has.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::words::words;
use super::{fold, kazakh};

/// How a language's words are stemmed.
enum Stemmer {
    Russian(rust_stemmers::Stemmer),
    Kazakh,
    None,
}

/// One language's analysis.
pub struct Analyzer {
    stemmer: Stemmer,
    /// Lowercase words of the city registry's names: never cut.
    names: FxHashSet<String>,
    /// Russian: the Snowball stems of those names (of four letters or more), which a name's
    /// forms keep even where Snowball would cut them differently (Шанхаем, Шанхая).
    name_stems: Vec<String>,
    stop: FxHashSet<&'static str>,
}

const RU_STOP: &[&str] = &[
    "и",
    "в",
    "во",
    "не",
    "что",
    "он",
    "на",
    "я",
    "с",
    "со",
    "как",
    "а",
    "то",
    "все",
    "она",
    "так",
    "его",
    "но",
    "да",
    "ты",
    "к",
    "у",
    "же",
    "вы",
    "за",
    "бы",
    "по",
    "ее",
    "мне",
    "было",
    "вот",
    "от",
    "меня",
    "о",
    "из",
    "ему",
    "ли",
    "если",
    "уже",
    "или",
    "ни",
    "быть",
    "был",
    "до",
    "там",
    "для",
    "мы",
    "их",
    "чем",
    "была",
    "без",
    "под",
    "будет",
    "кто",
    "этот",
    "того",
    "этого",
    "при",
    "об",
    "над",
    "тот",
    "через",
    "эти",
    "про",
    "них",
    "этой",
    "том",
    "также",
    "это",
    "которые",
    "который",
    "которая",
    "которых",
    "между",
    "а",
    "the",
    "of",
    "and",
];

const KK_STOP: &[&str] = &[
    "және",
    "мен",
    "бен",
    "пен",
    "да",
    "де",
    "та",
    "те",
    "бұл",
    "осы",
    "ол",
    "үшін",
    "деп",
    "ал",
    "бірақ",
    "немесе",
    "сол",
    "оның",
    "олар",
    "бойынша",
    "туралы",
    "арасында",
    "арасындағы",
    "еді",
    "болып",
    "the",
    "of",
    "and",
];

impl Analyzer {
    /// The analysis for language `code`; `names` are the names of the site's cities (any case).
    pub fn new<'n>(code: &str, names: impl IntoIterator<Item = &'n str>) -> Analyzer {
        let (stemmer, stop) = match code {
            "ru" => (
                Stemmer::Russian(rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Russian)),
                RU_STOP,
            ),
            "kk" => (Stemmer::Kazakh, KK_STOP),
            _ => (Stemmer::None, &[][..]),
        };
        let names: FxHashSet<String> = names.into_iter().flat_map(words).map(fold::lower).collect();
        let mut name_stems: Vec<String> = match &stemmer {
            Stemmer::Russian(s) => names
                .iter()
                .map(|n| s.stem(n).into_owned())
                .filter(|n| n.chars().count() >= 4)
                .collect(),
            _ => Vec::new(),
        };
        name_stems.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        Analyzer {
            stemmer,
            names,
            name_stems,
            stop: stop.iter().copied().collect(),
        }
    }

    /// The folded stop words, for the script to drop from queries as the index dropped them.
    pub fn stop_words(&self) -> Vec<String> {
        let mut all: Vec<String> = self.stop.iter().map(|w| fold::fold(w)).collect();
        all.sort();
        all.dedup();
        all
    }

    /// The stem of a lowercase word, before folding; `None` for a stop word.
    pub fn stem(&self, lower: &str) -> Option<String> {
        if self.stop.contains(lower) {
            return None;
        }
        if !lower.chars().any(fold::is_cyrillic) {
            return Some(lower.to_string());
        }
        Some(match &self.stemmer {
            Stemmer::Russian(s) => match self.name_stems.iter().find(|n| {
                lower
                    .strip_prefix(n.as_str())
                    .is_some_and(|rest| rest.chars().count() <= 3)
            }) {
                Some(name) => name.clone(),
                None => s.stem(lower).into_owned(),
            },
            Stemmer::Kazakh => kazakh::stem(lower, &|w| self.names.contains(w)),
            Stemmer::None => lower.to_string(),
        })
    }

    /// The index's key for a word and for its stem: both folded; Latin words as [`fold::latin`]
    /// makes them. `None` for a stop word or a word too short to search. A word seen before
    /// comes from `memo`, as the same `Arc`.
    pub fn keys(&self, word: &str, memo: &mut Memo) -> Option<Arc<Keys>> {
        if let Some(keys) = memo.get(word) {
            return keys.clone();
        }
        let keys = self.keys_uncached(word).map(Arc::new);
        memo.insert(word.into(), keys.clone());
        keys
    }

    fn keys_uncached(&self, word: &str) -> Option<Keys> {
        let lower = fold::lower(word);
        if lower.chars().count() < 2 {
            return None;
        }
        if fold::is_latin(&lower) {
            let key = fold::latin(&lower)?;
            return (!self.stop.contains(lower.as_str())).then(|| Keys {
                form: key.clone(),
                stem: key,
                latin: None,
            });
        }
        let stem = self.stem(&lower)?;
        let proper = word.chars().next().is_some_and(char::is_uppercase);
        Some(Keys {
            form: fold::fold(&lower),
            stem: fold::fold(&stem),
            latin: if proper { fold::latin(&lower) } else { None },
        })
    }
}

/// Words already analysed, as they were written.
pub type Memo = FxHashMap<Box<str>, Option<Arc<Keys>>>;

/// What a word is indexed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The word, folded: what a query's word is looked up as.
    pub form: String,
    /// Its stem, folded: what the postings are kept under.
    pub stem: String,
    /// For a name (a capitalized Cyrillic word), its Latin form, which a Latin query finds.
    pub latin: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(a: &Analyzer, word: &str) -> Option<Keys> {
        a.keys(word, &mut Memo::default()).map(|k| (*k).clone())
    }

    fn stem_of(a: &Analyzer, word: &str) -> String {
        keys(a, word).map(|k| k.stem).unwrap_or_default()
    }

    #[test]
    fn russian_forms_share_a_snowball_stem() {
        let ru = Analyzer::new("ru", ["Шанхай", "Провинция Цинхай"]);
        for group in [
            &["сотрудничество", "сотрудничества", "сотрудничеству", "сотрудничестве"][..],
            &["делегация", "делегации", "делегацию", "делегацией"],
            &["Шанхай", "Шанхая", "Шанхаем", "Шанхае"],
            &["меморандум", "меморандума", "меморандумы", "меморандумов"],
            &["ёлка", "елки"],
            &["университет", "университетов", "университетами"],
        ] {
            let stems: std::collections::BTreeSet<String> = group.iter().map(|w| stem_of(&ru, w)).collect();
            assert_eq!(stems.len(), 1, "{group:?} → {stems:?}");
        }
        assert_eq!(keys(&ru, "и"), None);
        assert_eq!(keys(&ru, "для"), None);
    }

    #[test]
    fn kazakh_keys_are_folded_after_stemming() {
        let kk = Analyzer::new("kk", ["Шаңхай", "Қонаев"]);
        let k = keys(&kk, "Шаңхаймен").unwrap();
        assert_eq!(k.form, "шанхаймен");
        assert_eq!(k.stem, "шанхай");
        assert_eq!(k.latin.as_deref(), Some("shanhaimen"));
        assert_eq!(stem_of(&kk, "Қонаевта"), "конаев");
        assert_eq!(stem_of(&kk, "кітабы"), "китап");
        assert_eq!(keys(&kk, "және"), None);
        // Only names (capitalized words) get a Latin form.
        assert_eq!(keys(&kk, "серіктестік").unwrap().latin, None);
    }

    #[test]
    fn latin_words_are_kept_in_their_latin_form() {
        let kk = Analyzer::new("kk", []);
        let k = keys(&kk, "Council").unwrap();
        assert_eq!((k.form.as_str(), k.stem.as_str()), ("council", "council"));
        assert_eq!(keys(&kk, "x"), None);
        assert_eq!(keys(&kk, "5"), None);
        assert_eq!(keys(&kk, "2025").unwrap().stem, "2025");
    }
}
