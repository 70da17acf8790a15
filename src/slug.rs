//! Readable Latin slugs for URLs and heading ids, transliterated from Russian and Kazakh
//! (ё→e, й→y, х→kh, ц→ts, щ→shch, ю→yu, я→ya, ъ/ь dropped; ә→a, ғ→g, қ→q, ң→n, ө→o, ұ→u, ү→u,
//! һ→h, і→i). Other scripts go through `deunicode`. The `slug` crate is not used: it drops ә
//! and splits words at қ.

/// The transliteration of one lower-case Cyrillic letter, if it is one we know.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        // Kazakh letters
        'ә' => "a",
        'ғ' => "g",
        'қ' => "q",
        'ң' => "n",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' => "h",
        'і' => "i",
        _ => return None,
    })
}

/// Whether `c` is an emoji or a piece of one (pictographs, dingbats, flags' regional letters,
/// skin tones, the joiner and variation selectors, keycaps, tag letters): nothing an address
/// or a card's title should spell out (`deunicode` makes 🎉 "tada" and 🇰🇿 "kz").
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF   // pictographs, emoticons, transport, flags' regional indicators, …
        | 0x2600..=0x27BF   // miscellaneous symbols, dingbats
        | 0x2B00..=0x2BFF   // arrows and stars used as emoji (⭐, ⬆)
        | 0x2300..=0x23FF   // ⌚, ⏰ …
        | 0x200D | 0x20E3   // zero-width joiner, keycap
        | 0xFE00..=0xFE0F   // variation selectors
        | 0xE0020..=0xE007F // tag letters (subdivision flags)
    )
}

/// `"Сельское хозяйство"` → `"selskoe-khozyaystvo"`, `"Денсаулық сақтау"` → `"densaulyq-saqtau"`.
/// Lower-case ASCII letters and digits joined by single `-`; empty when the text has neither.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |piece: &str, out: &mut String| {
        for b in piece.chars() {
            if b.is_ascii_alphanumeric() {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push(b.to_ascii_lowercase());
            } else if b == '\'' {
                // apostrophes join: "Xi'an" → "xian"
            } else {
                pending_dash = true;
            }
        }
    };
    for c in text.chars() {
        if is_emoji(c) {
            push("-", &mut out);
            continue;
        }
        for lower in c.to_lowercase() {
            if lower.is_ascii() {
                push(lower.encode_utf8(&mut [0; 4]), &mut out);
            } else if let Some(latin) = cyrillic(lower) {
                push(latin, &mut out);
            } else {
                push(deunicode::deunicode_char(lower).unwrap_or("-"), &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_left_out_of_addresses() {
        assert_eq!(slugify("🎉 Праздник в Алматы 🇰🇿"), "prazdnik-v-almaty");
        assert_eq!(slugify("Шаңхай👍🏽және"), "shankhay-zhane");
        assert_eq!(slugify("⭐️❤️‍🔥"), "");
    }

    #[test]
    fn russian_follows_the_table() {
        assert_eq!(slugify("Сельское хозяйство"), "selskoe-khozyaystvo");
        assert_eq!(slugify("молодёжь"), "molodezh");
        assert_eq!(slugify("Щука, Юла и Цапля"), "shchuka-yula-i-tsaplya");
        assert_eq!(slugify("объём"), "obem");
    }

    #[test]
    fn kazakh_letters_are_kept_as_latin() {
        assert_eq!(slugify("денсаулық сақтау"), "densaulyq-saqtau");
        assert_eq!(slugify("әуе қатынасы"), "aue-qatynasy");
        assert_eq!(slugify("Өнеркәсіп"), "onerkasip");
        assert_eq!(slugify("ұлттық үй һәм ғылым, ң"), "ulttyq-uy-ham-gylym-n");
        assert_eq!(slugify("ІТ"), "it");
    }

    #[test]
    fn punctuation_collapses_and_trims() {
        assert_eq!(slugify("  «Один пояс – один путь»!  "), "odin-poyas-odin-put");
        assert_eq!(slugify("COVID-19"), "covid-19");
        assert_eq!(slugify("Xi'an"), "xian");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("上海"), "shang-hai");
        assert_eq!(slugify("Café"), "cafe");
    }
}
