//! English words in a text of a language written in Cyrillic (`British Council`, `EXPO-2017`)
//! marked `<span lang="en">…</span>`, so that a screen reader reads them with an English voice
//! and a browser hyphenates and checks their spelling as English (WCAG 3.1.2, the language of
//! parts). A run of words in Latin letters in a Kazakh or Russian text is a name or a term in
//! English, or a Latin transliteration an English voice reads better than a Russian one; editors
//! mark nothing by hand.

use pulldown_cmark::{CowStr, Event};

/// Whether `c` is a letter of the Latin script (with the accents of its European alphabets).
fn latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{c0}'..='\u{24f}').contains(&c) && c != '×' && c != '÷')
}

/// What a word in Latin letters may have inside: digits and the joiners of names and numbers.
fn inside_latin_word(c: char) -> bool {
    latin_letter(c) || c.is_ascii_digit() || matches!(c, '-' | '\'' | '’' | '&' | '.' | '+' | '/' | '_' | '@')
}

/// A word of the text (between white space) as its Latin part: the byte range of the word
/// without the punctuation around it, when that part has a Latin letter and nothing of
/// another script.
fn latin_part(word: &str) -> Option<(usize, usize)> {
    let start = word.find(|c: char| c.is_alphanumeric())?;
    let end = word
        .rfind(|c: char| c.is_alphanumeric())
        .map(|i| i + word[i..].chars().next().map_or(1, char::len_utf8))?;
    let core = &word[start..end];
    (core.chars().any(latin_letter) && core.chars().all(inside_latin_word)).then_some((start, end))
}

/// The byte ranges of `text`'s runs of Latin words (separated by white space alone, or by an
/// `&`), each with two letters or more and not a Roman numeral (`XXI век` stays Russian). A word
/// ending in punctuation ends its run: `Almaty, Shanghai` are two names.
///
/// Only the words with a byte that can begin a Latin letter (an ASCII letter, or the first byte
/// of U+00C0–U+024F in UTF-8) are read as characters: the rest of a Cyrillic text is passed
/// over as bytes.
pub fn runs(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let close = |run: Option<(usize, usize)>, out: &mut Vec<(usize, usize)>| {
        let Some((s, e)) = run else { return };
        let t = &text[s..e];
        let letters = t.chars().filter(|&c| latin_letter(c)).count();
        let roman = t.chars().all(|c| "IVXLCDM".contains(c));
        if letters >= 2 && !roman {
            out.push((s, e));
        }
    };
    let mut run: Option<(usize, usize)> = None;
    // Whether the run's last word ended without punctuation: the next may join it.
    let mut open = false;
    let mut from = 0;
    while let Some(skip) = first_candidate(&bytes[from..]) {
        let at = from + skip;
        // The word around it, between white space.
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i);
        let word = &text[start..end];
        match latin_part(word) {
            Some((s, e)) => {
                let joins = open && s == 0 && run.is_some_and(|(_, re)| matches!(text[re..start].trim(), "" | "&"));
                run = match run {
                    Some((rs, _)) if joins => Some((rs, start + e)),
                    _ => {
                        close(run, &mut out);
                        Some((start + s, start + e))
                    }
                };
                open = e == word.len();
            }
            None => {
                close(run.take(), &mut out);
                open = false;
            }
        }
        from = end;
    }
    close(run, &mut out);
    out
}

/// Whether byte `b` may begin a Latin letter: an ASCII letter, or the first byte of
/// U+00C0–U+024F in UTF-8 (0xC3–0xC9).
fn candidate(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26 || b.wrapping_sub(0xC3) < 7
}

/// The first [`candidate`] byte of `bytes`. Looked for 32 bytes at a time with no early exit
/// inside them, which the compiler makes into vector compares: a Kazakh or Russian text is
/// passed over at that speed. Whole builds at 10,000 articles against the stop's base, in 8
/// alternating pairs (`bench/pairs.sh`): 0.989 processor time with it, 1.036 with a plain
/// `position` (7 of 8 pairs slower).
fn first_candidate(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(32);
    let mut at = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | candidate(b)) {
            return chunk.iter().position(|&b| candidate(b)).map(|i| at + i);
        }
        at += 32;
    }
    chunks.remainder().iter().position(|&b| candidate(b)).map(|i| at + i)
}

/// `text` as events, its Latin runs inside `<span lang="en">`.
pub fn mark<'e>(text: CowStr<'e>, events: &mut Vec<Event<'e>>) {
    let found = runs(&text);
    if found.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    let mut at = 0;
    for (s, e) in found {
        if s > at {
            events.push(Event::Text(CowStr::from(text[at..s].to_string())));
        }
        events.push(Event::InlineHtml(CowStr::Borrowed("<span lang=\"en\">")));
        events.push(Event::Text(CowStr::from(text[s..e].to_string())));
        events.push(Event::InlineHtml(CowStr::Borrowed("</span>")));
        at = e;
    }
    if at < text.len() {
        events.push(Event::Text(CowStr::from(text[at..].to_string())));
    }
}

#[cfg(test)]
mod tests {
    use super::runs;

    fn marked(text: &str) -> Vec<&str> {
        runs(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn runs_of_latin_words_are_found_without_the_punctuation_around_them() {
        assert_eq!(
            marked("при поддержке British Council и «Almaty Management University»."),
            ["British Council", "Almaty Management University"]
        );
        assert_eq!(
            marked("выставка EXPO-2017, сайт gov.kz; (SCO)"),
            ["EXPO-2017", "gov.kz", "SCO"]
        );
        assert_eq!(
            marked("McDonald’s и Procter & Gamble"),
            ["McDonald’s", "Procter & Gamble"]
        );
    }

    #[test]
    fn candidate_bytes_are_the_first_bytes_of_latin_letters() {
        for (text, first) in [
            ("", None),
            ("Шаңхай мен Алматы", None),
            ("Шаңхай мен Алматы мен Шаңхай мен Алматы: Qinghai", Some(74)),
            ("@[`{", None),
            ("é", Some(0)),
            ("z", Some(0)),
        ] {
            assert_eq!(super::first_candidate(text.as_bytes()), first, "{text}");
            assert_eq!(
                first,
                text.bytes()
                    .position(|b| b.is_ascii_alphabetic() || (0xC3..=0xC9).contains(&b)),
                "{text}"
            );
        }
    }

    #[test]
    fn names_apart_by_punctuation_are_runs_of_their_own() {
        assert_eq!(marked("Almaty, Shanghai и Qinghai"), ["Almaty", "Shanghai", "Qinghai"]);
    }

    #[test]
    fn cyrillic_words_single_letters_numbers_and_roman_numerals_stay_as_they_are() {
        assert!(marked("Шаңхай мен Алматы 2025 жылы").is_empty());
        assert!(marked("пункт A и вариант б").is_empty());
        assert!(marked("в XXI веке, глава IV").is_empty());
        // A word mixing scripts is not English.
        assert!(marked("Казахстанa").is_empty());
    }
}
