//! From text to index terms: words are cut at anything not a letter or digit, lowercased, stop
//! words dropped, and each word's stem found (Russian: Snowball; Kazakh: [`super::kazakh`];
//! other languages: the word itself). Index keys are folded ([`super::fold`]) after stemming, so
//! the browser, which never stems, looks a typed word up among the folded forms the site has.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

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

/// The words of `text`: runs of letters and digits (a hyphen splits: сауда-экономикалық).
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The iterator of [`words`]: read by bytes, since every word of every article passes here
/// (ASCII and the Cyrillic block are told by their bytes; other letters are decoded).
pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        let start = loop {
            if i >= bytes.len() {
                self.at = i;
                return None;
            }
            let (word, len) = char_at(self.text, i);
            if word {
                break i;
            }
            i += len;
        };
        i = start;
        while i < bytes.len() {
            let (word, len) = char_at(self.text, i);
            if !word {
                break;
            }
            i += len;
        }
        self.at = i;
        Some(&self.text[start..i])
    }
}

/// [`STEP`] of a byte that begins a character found only by decoding it.
const OTHER: u8 = 0xFF;

/// Per first byte of a character: the character's length if it is a letter or digit (ASCII
/// and most of the Cyrillic block), 0 if it is not (the rest of ASCII), [`OTHER`] if the
/// character must be decoded to tell (the Cyrillic block's D2 row has signs; other scripts).
static STEP: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 0x80 {
        t[b] = if (b as u8).is_ascii_alphanumeric() { 1 } else { 0 };
        b += 1;
    }
    t[0xD0] = 2;
    t[0xD1] = 2;
    t[0xD3] = 2;
    t
};

/// Whether the character at byte `i` of `text` (a character boundary) is a letter or digit,
/// and its length in bytes: by [`STEP`], or for the characters it leaves, by their bytes where
/// that tells, else decoded.
#[inline(always)]
fn char_at(text: &str, i: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    let b = bytes[i];
    match STEP[b as usize] {
        0 => return (false, 1),
        OTHER => {}
        step => return (true, step as usize),
    }
    match b {
        // The Cyrillic block's row D2 (U+0480–U+04BF): letters but for U+0482–U+0489. Valid
        // UTF-8 has the second byte.
        0xD2 => return (!(0x82..=0x89).contains(&bytes[i + 1]), 2),
        // U+0080–U+00BF: signs and punctuation (« » and the no-break space are frequent) but
        // for ª ² ³ µ ¹ º ¼ ½ ¾.
        0xC2 => {
            return (
                matches!(bytes[i + 1], 0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC..=0xBE),
                2,
            )
        }
        // U+2000–U+203F, general punctuation (dashes, quotes, …): no letter or digit.
        0xE2 if bytes[i + 1] == 0x80 => return (false, 3),
        _ => {}
    }
    let c = text[i..].chars().next().unwrap_or(' ');
    (is_word_char(c), c.len_utf8())
}

/// A letter or digit; the scripts of the site's languages without Unicode's slow tables.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        // The Cyrillic block is letters but for its signs and combining marks (U+0482–0489).
        matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}') || c.is_alphanumeric()
    }
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

    #[test]
    fn words_are_cut_at_anything_but_letters_and_digits() {
        let w: Vec<&str> = words("Сауда-экономикалық, «Болашақ» 2025 жыл.").collect();
        assert_eq!(w, ["Сауда", "экономикалық", "Болашақ", "2025", "жыл"]);
    }

    #[test]
    fn a_character_is_told_by_its_bytes_as_by_unicode() {
        for c in (0x20..0x3000).filter_map(char::from_u32) {
            let text = format!("{c}x");
            assert_eq!(char_at(&text, 0), (c.is_alphanumeric(), c.len_utf8()), "{c:?}");
        }
    }

    #[test]
    fn words_by_bytes_are_the_words_by_characters() {
        let by_chars = |t: &str| -> Vec<String> {
            t.split(|c: char| !is_word_char(c))
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect()
        };
        for text in [
            "",
            "   ",
            "Сауда-экономикалық, «Болашақ» 2025 жыл.",
            "Ёлка — ёж; Қонаев, Шаңхаймен! ӘҒҚҢӨҰҮҺІ әғқңөұүһі",
            "тысяча\u{0482}знак҃ҋ ҉x",
            "naïve café 上海 Ελλάδα ١٢٣ x\u{00a0}y\u{2009}z",
            "a1-b2_c3 😀 emoji😀inside",
        ] {
            assert_eq!(
                words(text).map(String::from).collect::<Vec<_>>(),
                by_chars(text),
                "{text}"
            );
        }
    }
}
