//! Kazakh suffix stripping. Kazakh is agglutinative: a noun takes derivational, plural,
//! possessive and case endings in that order (серіктес-тік-тер-іміз-де), each in a back-vowel
//! and a front-vowel form that follows the last vowel of the stem (vowel harmony: жыл-дар,
//! мемлекет-тер), and a stem ending in п, к or қ voices it before a vowel (кітап → кітабы). No
//! Snowball stemmer exists for Kazakh, so this one is written from the grammar:
//!
//! - strip the longest ending of `ENDINGS` whose vowels agree with the stem's last vowel
//!   (Russian loans ending in и, у, я take either), while at least two letters with a vowel
//!   remain, until none applies or the rest is a name the site knows (a city: "Алматы" keeps
//!   its last letter, "Алматыда" → "Алматы");
//! - after an ending that starts with a vowel, a final б, г, ғ is the voiced п, к, қ: unvoice it.
//!
//! It conflates more than a dictionary would (білім and біл-): a search that finds a related
//! word is better than one that finds nothing; what matters is that every form of a word goes to
//! the same stem, which the tests check on words from the portal's articles.

/// Endings, in every harmony and assimilation variant. Whether the ending's vowels are back or
/// front is read from the ending itself; `INVARIANT` ones attach to either.
const ENDINGS: &[&str] = &[
    // plural
    "лар",
    "лер",
    "дар",
    "дер",
    "тар",
    "тер",
    // plural + possessive of the third person
    "лары",
    "лері",
    "дары",
    "дері",
    "тары",
    "тері",
    // possessive
    "ым",
    "ім",
    "м",
    "ың",
    "ің",
    "ң",
    "ыңыз",
    "іңіз",
    "ңыз",
    "ңіз",
    "ы",
    "і",
    "сы",
    "сі",
    "ымыз",
    "іміз",
    "мыз",
    "міз",
    // possessive + accusative
    "ын",
    "ін",
    "сын",
    "сін",
    // genitive
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    // dative
    "ға",
    "ге",
    "қа",
    "ке",
    "на",
    "не",
    // accusative (and the past tense of verbs)
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
    // locative
    "да",
    "де",
    "та",
    "те",
    "нда",
    "нде",
    // ablative
    "дан",
    "ден",
    "тан",
    "тен",
    "нан",
    "нен",
    // instrumental
    "мен",
    "бен",
    "пен",
    "менен",
    // relative: "-dağı" (in), "-ğy" (of a time or place)
    "дағы",
    "дегі",
    "тағы",
    "тегі",
    "ндағы",
    "ндегі",
    "ғы",
    "гі",
    "қы",
    "кі",
    // derivational: -lyq (-ness, -ship), -shy (-er), -syz (-less); not -ly (with), which
    // would take жыл-ы to жы
    "лық",
    "лік",
    "дық",
    "дік",
    "тық",
    "тік",
    "шы",
    "ші",
    "сыз",
    "сіз",
    // verbs: participles, gerund, present and past
    "ған",
    "ген",
    "қан",
    "кен",
    "атын",
    "етін",
    "йтын",
    "йтін",
    "у",
    "ып",
    "іп",
    "ады",
    "еді",
    "йды",
    "йді",
];

/// Endings that follow only a consonant: after a vowel, ғы is the possessive ы of a stem whose
/// қ was voiced (тұрағы is тұрақ-ы, жылғы is жыл-ғы).
const AFTER_CONSONANT: &[&str] = &["ғы", "гі", "қы", "кі"];

/// Endings that do not follow vowel harmony.
const INVARIANT: &[&str] = &["мен", "бен", "пен", "менен"];

const BACK: &str = "аоұы";
const FRONT: &str = "әөүіе";
const VOWELS: &str = "аоұыәөүіеиуэюяё";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Harmony {
    Back,
    Front,
    Either,
}

fn harmony(text: &str) -> Harmony {
    match text.chars().rev().find(|c| VOWELS.contains(*c)) {
        Some(c) if BACK.contains(c) => Harmony::Back,
        Some(c) if FRONT.contains(c) => Harmony::Front,
        _ => Harmony::Either,
    }
}

/// The stem of a lowercase Kazakh word (`ё` already `е`); `keep` says which words are names the
/// site knows, never cut.
pub fn stem(word: &str, keep: &dyn Fn(&str) -> bool) -> String {
    let mut w = word.to_string();
    for _ in 0..8 {
        if keep(&w) {
            break;
        }
        let Some(ending) = best_ending(&w, keep) else { break };
        w.truncate(w.len() - ending.len());
        if ending.starts_with(|c| VOWELS.contains(c)) {
            unvoice(&mut w);
        }
    }
    w
}

/// The longest ending that `w` can lose.
fn best_ending(w: &str, keep: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    ENDINGS
        .iter()
        .filter(|e| w.ends_with(**e))
        .filter(|e| {
            let rest = &w[..w.len() - e.len()];
            let after_vowel = rest.ends_with(|c| VOWELS.contains(c));
            rest.chars().count() >= 2
                && rest.chars().any(|c| VOWELS.contains(c))
                // A name takes the endings its sound asks for (Қонаев-та), whatever its letters.
                && (agrees(rest, e) || keep(rest))
                && !(after_vowel && AFTER_CONSONANT.contains(*e))
        })
        .max_by_key(|e| e.len())
        .copied()
}

fn agrees(rest: &str, ending: &str) -> bool {
    if INVARIANT.contains(&ending) {
        return true;
    }
    match (harmony(rest), harmony(ending)) {
        (Harmony::Either, _) | (_, Harmony::Either) => true,
        (a, b) => a == b,
    }
}

/// кітаб → кітап, тұрағ → тұрақ, жүрег → жүрек.
fn unvoice(w: &mut String) {
    let to = match w.chars().last() {
        Some('б') => 'п',
        Some('ғ') => 'қ',
        Some('г') => 'к',
        _ => return,
    };
    w.pop();
    w.push(to);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(word: &str) -> String {
        let names = [
            "алматы",
            "астана",
            "шаңхай",
            "ұлыбритания",
            "қонаев",
            "цинхай",
            "сычуань",
        ];
        stem(word, &|w| names.contains(&w))
    }

    /// Every form of a word (all from the portal's articles) goes to one stem.
    #[test]
    fn the_forms_of_a_word_share_a_stem() {
        let groups: &[&[&str]] = &[
            &[
                "серіктес",
                "серіктестік",
                "серіктестікті",
                "серіктестіктің",
                "серіктестер",
            ],
            &["мемлекет", "мемлекеттер", "мемлекеттеріміз", "мемлекеттердің"],
            &["университет", "университеттер", "университеттерінде", "университетте"],
            &["формат", "форматтар", "форматтарын"],
            &["жыл", "жылы", "жылдар", "жылдары", "жылғы", "жылдан", "жылдың"],
            &["провинция", "провинциясы", "провинциясымен", "провинцияның"],
            &["қазақстан", "қазақстанда", "қазақстанның", "қазақстандық"],
            &["делегация", "делегациясы", "делегацияны", "делегациямен"],
            &["кездесу", "кездесуде", "кездесуге"],
            &["байланыс", "байланыстар", "байланыстарды"],
            &["ынтымақтастық", "ынтымақтастықты", "ынтымақтастықтың"],
        ];
        for group in groups {
            let stems: std::collections::BTreeSet<String> = group.iter().map(|w| s(w)).collect();
            assert_eq!(stems.len(), 1, "{group:?} → {stems:?}");
        }
    }

    #[test]
    fn endings_follow_vowel_harmony() {
        // Back vowels take back endings and front vowels front ones.
        assert_eq!(s("жылдар"), "жыл");
        assert_eq!(s("мемлекеттер"), "мемлекет");
        // A front ending on a back stem is part of the word, not an ending.
        assert_eq!(best_ending("қала", &|_| false), None);
        assert!(!agrees("жыл", "дер"));
        assert!(agrees("жыл", "мен"));
        assert!(agrees("провинция", "сы") && agrees("провинция", "сі"));
    }

    #[test]
    fn voiced_stems_are_unvoiced() {
        assert_eq!(s("кітабы"), "кітап");
        assert_eq!(s("кітабымызда"), "кітап");
        assert_eq!(s("кітап"), "кітап");
        assert_eq!(s("тұрағы"), "тұрақ");
        assert_eq!(s("жүрегі"), "жүрек");
    }

    #[test]
    fn names_the_site_knows_keep_their_letters() {
        assert_eq!(s("алматыда"), "алматы");
        assert_eq!(s("алматының"), "алматы");
        assert_eq!(s("алматылық"), "алматы");
        assert_eq!(s("шаңхаймен"), "шаңхай");
        assert_eq!(s("ұлыбританиямен"), "ұлыбритания");
        assert_eq!(s("астанаға"), "астана");
        assert_eq!(s("цинхайдағы"), "цинхай");
    }

    #[test]
    fn a_stem_keeps_two_letters_and_a_vowel() {
        assert_eq!(s("ел"), "ел");
        assert_eq!(s("елі"), "ел");
        assert_eq!(s("мен"), "мен");
        assert_eq!(s("ды"), "ды");
    }
}
