//! Letter folding, shared by the index and the browser's script (which gets these tables in the
//! index's `meta.json`, so both sides fold alike): a query typed without Kazakh letters, or with
//! `ё`, finds Kazakh and Russian text, and a query in Latin letters finds Cyrillic names.

/// Kazakh letters (and `ё`) as a Russian keyboard types them.
pub const FOLD: &[(char, char)] = &[
    ('ё', 'е'),
    ('қ', 'к'),
    ('ң', 'н'),
    ('ғ', 'г'),
    ('ү', 'у'),
    ('ұ', 'у'),
    ('ө', 'о'),
    ('ә', 'а'),
    ('і', 'и'),
    ('һ', 'х'),
];

/// Cyrillic letters in Latin ones, as names are written in Latin letters (the Kazakh Latin
/// alphabet and the common Russian romanization, with their differences folded away by
/// [`LATIN_FOLD`]).
pub const TO_LATIN: &[(char, &str)] = &[
    ('а', "a"),
    ('ә', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('ғ', "g"),
    ('д', "d"),
    ('е', "e"),
    ('ё', "e"),
    ('ж', "zh"),
    ('з', "z"),
    ('и', "i"),
    ('й', "i"),
    ('к', "k"),
    ('қ', "k"),
    ('л', "l"),
    ('м', "m"),
    ('н', "n"),
    ('ң', "n"),
    ('о', "o"),
    ('ө', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('у', "u"),
    ('ұ', "u"),
    ('ү', "u"),
    ('ф', "f"),
    ('х', "h"),
    ('һ', "h"),
    ('ц', "ts"),
    ('ч', "ch"),
    ('ш', "sh"),
    ('щ', "sh"),
    ('ъ', ""),
    ('ы', "y"),
    ('і', "i"),
    ('ь', ""),
    ('э', "e"),
    ('ю', "iu"),
    ('я', "ia"),
];

/// Latin spellings that name the same sound, folded to one, in order: applied to the Latin form
/// of indexed words and to Latin queries alike ("Qonaev", "Konaev" and "Қонаев" meet at "konaev").
pub const LATIN_FOLD: &[(&str, &str)] = &[
    ("ä", "a"),
    ("ö", "o"),
    ("ü", "u"),
    ("ū", "u"),
    ("ı", "i"),
    ("ğ", "g"),
    ("ñ", "n"),
    ("ş", "sh"),
    ("ç", "ch"),
    ("é", "e"),
    ("kh", "h"),
    ("q", "k"),
    ("x", "h"),
    ("w", "v"),
    ("j", "zh"),
    ("ye", "e"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("y", "i"),
    ("'", ""),
    ("’", ""),
];

/// Lowercase, with the Kazakh letters and `ё` folded ([`FOLD`]).
pub fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| FOLD.iter().find(|(from, _)| *from == c).map_or(c, |(_, to)| *to))
        .collect()
}

/// Lowercase with `ё` as `е` and nothing else changed: what the stemmers read.
pub fn lower(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// The folded Latin form of a word in either alphabet; `None` when it has a letter of neither.
pub fn latin(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len() + 4);
    for c in word.chars().flat_map(char::to_lowercase) {
        if let Some((_, to)) = TO_LATIN.iter().find(|(from, _)| *from == c) {
            out.push_str(to);
        } else if c.is_ascii_alphanumeric() || "äöüūığñşçé'’".contains(c) {
            out.push(c);
        } else {
            return None;
        }
    }
    Some(latin_fold(&out))
}

/// [`LATIN_FOLD`] applied to lowercase Latin text, doubled letters made single.
pub fn latin_fold(text: &str) -> String {
    let mut s = text.to_string();
    for (from, to) in LATIN_FOLD {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Whether `word` is written in Latin letters (digits aside).
pub fn is_latin(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_alphabetic()) && !word.chars().any(is_cyrillic)
}

pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// The shard a term goes to among `shards`: FNV-1a over the UTF-16 units of its first three
/// letters (the script computes the same), so every word that starts alike is in one shard and
/// a prefix of three letters finds them all.
pub fn shard(term: &str, shards: u32) -> u32 {
    head(term) % shards.max(1)
}

/// The FNV-1a hash behind [`shard`], before it is taken modulo the number of shards.
pub fn head(term: &str) -> u32 {
    head_of(term, 3)
}

/// The FNV-1a hash of the UTF-16 units of `term`'s first `letters` letters: a term whose first
/// three letters begin too many terms' postings goes by four ([`crate::search::index`]).
pub fn head_of(term: &str, letters: usize) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars().take(letters) {
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            h ^= u32::from(*unit);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_letters_fold_to_a_russian_keyboards() {
        assert_eq!(fold("Шаңхай"), "шанхай");
        assert_eq!(fold("Қонаев"), "конаев");
        assert_eq!(fold("Ұлыбритания"), "улыбритания");
        assert_eq!(fold("өңірлер"), "онирлер");
        assert_eq!(fold("Әкім"), "аким");
        assert_eq!(fold("ёлка"), "елка");
        assert_eq!(fold("Һ"), "х");
        assert_eq!(lower("Ёлка Қонаев"), "елка қонаев");
    }

    #[test]
    fn latin_forms_meet_whatever_the_spelling() {
        assert_eq!(latin("Алматы").as_deref(), Some("almati"));
        assert_eq!(latin("Almaty").as_deref(), Some("almati"));
        assert_eq!(latin("Қонаев"), latin("Qonaev"));
        assert_eq!(latin("Конаев"), latin("Konaev"));
        assert_eq!(latin("Хэйхэ"), latin("Heihe"));
        assert_eq!(latin("Якутск"), latin("Yakutsk"));
        assert_eq!(latin("Шаңхай"), latin("Shanhai"));
        assert_eq!(latin("Астана"), latin("Astana"));
        assert_eq!(latin("Харбин"), latin("Harbin"));
        assert_eq!(latin("Жетісу"), latin("Zhetisu"));
        assert_eq!(latin("Тоқаев"), latin("Tokayev"));
        assert_eq!(latin("Григорьев"), latin("Grigoryev"));
        assert_eq!(latin("Шанхай-2"), None);
        assert!(is_latin("Qinghai") && !is_latin("Цинхай") && !is_latin("2025"));
    }

    #[test]
    fn words_that_start_alike_share_a_shard() {
        assert_eq!(shard("шанхай", 64), shard("шанхайда", 64));
        assert_eq!(shard("ал", 64), shard("ал", 64));
        // The script's FNV-1a gives these for the same strings (tests/e2e/search.test.mjs).
        assert_eq!(head("abc"), 0x1a47_e90b);
        assert_eq!(shard("abc", 1024), 0x1a47_e90b % 1024);
        let spread: std::collections::BTreeSet<u32> = ["алм", "шан", "цин", "кон", "бил", "сау", "тур", "дел"]
            .iter()
            .map(|w| shard(w, 64))
            .collect();
        assert!(spread.len() >= 6, "{spread:?}");
    }
}
