//! Text that is not UTF-8, as editors' files bring it: a release saved from Word as "Plain
//! text" on a Russian Windows is Windows-1251, and Notepad's "Unicode" is UTF-16. The build
//! reads only UTF-8 and says which of these a file looks like; the importer, which turns a
//! release into an article, reads them and says so.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1251};

/// What a file that is not UTF-8 looks like, and its text read that way.
#[derive(Debug, PartialEq, Eq)]
pub struct Guess {
    /// The encoding's usual name (`Windows-1251`, `UTF-16`), as an editor's "Save as" lists it.
    pub name: &'static str,
    pub text: String,
}

/// `bytes` (not UTF-8) read as UTF-16 when they begin with its byte-order mark or have zero
/// bytes and read as UTF-16 are text, or as Windows-1251 when that makes them Russian or
/// Kazakh-in-Russian-letters text (most of their letters beyond ASCII are Cyrillic); `None`
/// when they look like neither (a photo, another code page).
pub fn guess(bytes: &[u8]) -> Option<Guess> {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        if encoding == UTF_16LE || encoding == UTF_16BE {
            return utf16(bytes, encoding);
        }
    }
    // Without a byte-order mark: text has zero bytes only as UTF-16 (its spaces, line ends and
    // Latin letters), and read in the right order it is letters, digits and signs of the
    // scripts a press release has.
    if bytes.contains(&0) {
        if !bytes.len().is_multiple_of(2) {
            return None;
        }
        return [UTF_16LE, UTF_16BE]
            .into_iter()
            .filter_map(|encoding| utf16(bytes, encoding))
            .find(|guess| {
                let plausible = guess.text.chars().filter(|&c| {
                    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{24f}' | '\u{400}'..='\u{4ff}' | '\u{2000}'..='\u{206f}' | '№')
                });
                plausible.count() * 20 >= guess.text.chars().count() * 19
            });
    }
    let (text, _) = WINDOWS_1251.decode_without_bom_handling(bytes);
    // Where Windows-1251 has the Serbian, Macedonian, Belarusian and Ukrainian letters,
    // Kazakhstan's own code page (KZ-1048, which `encoding_rs` does not read) has Kazakh's: a
    // Kazakh text in it would come out with Ќ for Қ. Not taken, rather than imported wrong.
    if text.contains([
        'Ђ', 'Ѓ', 'Љ', 'Њ', 'Ќ', 'Ћ', 'Џ', 'ђ', 'ѓ', 'љ', 'њ', 'ќ', 'ћ', 'џ', 'Ў', 'ў', 'Ј', 'ј', 'Ґ', 'ґ', 'Є', 'є',
        'Ї', 'ї', 'Ѕ', 'ѕ',
    ]) {
        return None;
    }
    let is_cyrillic = |c: char| matches!(c, 'А'..='я' | 'Ё' | 'ё' | 'І' | 'і');
    let chars: Vec<char> = text.chars().collect();
    let (mut beyond_ascii, mut cyrillic, mut mixed) = (0, 0, 0);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii() {
            continue;
        }
        beyond_ascii += 1;
        if is_cyrillic(c) {
            cyrillic += 1;
            let latin = |at: Option<&char>| at.is_some_and(char::is_ascii_alphabetic);
            if latin(i.checked_sub(1).and_then(|j| chars.get(j))) || latin(chars.get(i + 1)) {
                mixed += 1;
            }
        }
    }
    // Cyrillic letters are most of what is not ASCII (the rest: quotes, dashes, №), in words of
    // their own: Latin-1's accented letters read as Windows-1251 are Cyrillic letters too, but
    // inside Latin words ("cafй"), and a photo's bytes are rare letters and signs.
    (cyrillic > 0 && cyrillic * 10 >= beyond_ascii * 7 && mixed * 5 <= cyrillic).then(|| Guess {
        name: "Windows-1251",
        text: text.into_owned(),
    })
}

fn utf16(bytes: &[u8], encoding: &'static Encoding) -> Option<Guess> {
    let (text, malformed) = encoding.decode_with_bom_removal(bytes);
    (!malformed).then(|| Guess {
        name: "UTF-16",
        text: text.into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1251_and_utf16_are_read_and_other_bytes_are_not() {
        let russian = "Алматы и Шанхай подписали «меморандум» — № 5, ёлка";
        let (cp1251, _, _) = WINDOWS_1251.encode(russian);
        assert_eq!(
            guess(&cp1251),
            Some(Guess {
                name: "Windows-1251",
                text: russian.to_string()
            })
        );
        let mut le = vec![0xFF, 0xFE];
        le.extend(russian.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            guess(&le).map(|g| (g.name, g.text)),
            Some(("UTF-16", russian.to_string()))
        );
        // No byte-order mark: half the bytes of ASCII-heavy text are zero.
        let be: Vec<u8> = "+++\ntitle = \"Алматы\"\n+++\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(guess(&be).map(|g| g.name), Some("UTF-16"));
        // Kazakh in KZ-1048: its Қ (0x8D) and Ә (0x8A) are Ќ and Љ in Windows-1251.
        assert_eq!(guess(b"\x8d\xe0\xe7\xe0\xf5\xf1\xf2\xe0\xed \x8a\xf1\xe5\xf0"), None);
        // A PNG's bytes and Latin-1's accented letters are neither.
        assert_eq!(guess(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), None);
        assert_eq!(guess(b"caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise"), None);
    }
}
