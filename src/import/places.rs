//! Finding the city registry's places in running text, in both languages and their inflected
//! forms («Шанхая», «в Шанхае», «Шаңхайда», «Алматыға», «Алматинской области»): each name word
//! becomes a stem that a text word must start with, the longest name winning.

use crate::content::CitySource;

/// Words that say what kind of place a name is, not which.
const GENERIC: &[&str] = &[
    "область",
    "облысы",
    "провинция",
    "провинциясы",
    "город",
    "қаласы",
    "республика",
    "республикасы",
    "край",
    "округ",
    "ауданы",
    "район",
];

/// A word reduced to what its inflected forms share: lower case, final vowels and soft or short
/// signs dropped, adjective endings dropped («алматинская» → «алматинск»).
pub fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    for ending in ["ская", "ский", "ское", "ские"] {
        if let Some(base) = w.strip_suffix(ending) {
            return format!("{base}ск");
        }
    }
    let trimmed = w.trim_end_matches([
        'а', 'е', 'ё', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'й', 'ь', 'ә', 'ө', 'ұ', 'ү', 'і',
    ]);
    if trimmed.chars().count() >= 3 {
        trimmed.to_string()
    } else {
        w
    }
}

/// The words of a text, lower-cased, split at anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// One way of naming a city: the stems of its words, in order.
struct Pattern {
    city: usize,
    stems: Vec<String>,
}

/// How often each city of `cities` is named in `text`, and where first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub city: usize,
    pub count: usize,
    pub first: usize,
}

/// The cities named in `text`, most named first.
pub fn find(text: &str, cities: &[CitySource]) -> Vec<Mention> {
    let mut patterns: Vec<Pattern> = Vec::new();
    for (i, c) in cities.iter().enumerate() {
        for name in c.name.values() {
            let full: Vec<String> = words(name).iter().map(|w| stem(w)).collect();
            let key: Vec<String> = words(name)
                .iter()
                .filter(|w| !GENERIC.contains(&w.as_str()))
                .map(|w| stem(w))
                .collect();
            patterns.push(Pattern {
                city: i,
                stems: full.clone(),
            });
            if !key.is_empty() && key != full {
                patterns.push(Pattern { city: i, stems: key });
            }
        }
    }
    // A key stem shared with another city's full name belongs to that city («Алматы» is the
    // city; «Алматы облысы» the region only in full).
    let fulls: Vec<(usize, Vec<String>)> = cities
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            c.name
                .values()
                .map(move |n| (i, words(n).iter().map(|w| stem(w)).collect()))
        })
        .collect();
    patterns.retain(|p| {
        !fulls
            .iter()
            .any(|(city, stems)| *city != p.city && *stems == p.stems && p.stems.len() < 2)
    });
    patterns.sort_by(|a, b| {
        b.stems.len().cmp(&a.stems.len()).then_with(|| {
            let len = |p: &Pattern| p.stems.iter().map(|s| s.chars().count()).sum::<usize>();
            len(b).cmp(&len(a))
        })
    });

    let text_words = words(text);
    let mut mentions: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < text_words.len() {
        let hit = patterns.iter().find(|p| {
            p.stems.len() <= text_words.len() - i
                && p.stems.iter().zip(&text_words[i..]).all(|(stem, word)| {
                    word.starts_with(stem.as_str()) && word.chars().count() - stem.chars().count() <= 6
                })
        });
        match hit {
            Some(p) => {
                match mentions.iter_mut().find(|m| m.city == p.city) {
                    Some(m) => m.count += 1,
                    None => mentions.push(Mention {
                        city: p.city,
                        count: 1,
                        first: i,
                    }),
                }
                i += p.stems.len();
            }
            None => i += 1,
        }
    }
    mentions.sort_by(|a, b| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    mentions
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn city(key: &str, country: &str, ru: &str, kk: &str) -> CitySource {
        CitySource {
            path: format!("content/cities/{key}.toml").into(),
            key: key.into(),
            kind: crate::content::Kind::City,
            country: country.into(),
            coordinates: None,
            name: BTreeMap::from([("ru".into(), ru.into()), ("kk".into(), kk.into())]),
            description: BTreeMap::new(),
            agreements: Vec::new(),
            aliases: Vec::new(),
            extra: toml::Table::new(),
        }
    }

    fn registry() -> Vec<CitySource> {
        vec![
            city("almaty", "KZ", "Алматы", "Алматы"),
            city("almaty-region", "KZ", "Алматинская область", "Алматы облысы"),
            city("shanghai", "CN", "Шанхай", "Шаңхай"),
            city("qinghai", "CN", "Провинция Цинхай", "Цинхай провинциясы"),
            city("baku", "AZ", "Баку", "Баку"),
        ]
    }

    fn keys(text: &str) -> Vec<(&'static str, usize)> {
        let reg = registry();
        let names = ["almaty", "almaty-region", "shanghai", "qinghai", "baku"];
        find(text, &reg).into_iter().map(|m| (names[m.city], m.count)).collect()
    }

    #[test]
    fn inflected_forms_in_both_languages() {
        assert_eq!(
            keys("Делегация Шанхая прибыла; в Шанхае прошла встреча"),
            [("shanghai", 2)]
        );
        assert_eq!(
            keys("Шаңхайда кездесу өтті, Алматыға сапар"),
            [("shanghai", 1), ("almaty", 1)]
        );
        assert_eq!(keys("делегации из провинции Цинхай и Цинхая"), [("qinghai", 2)]);
    }

    #[test]
    fn the_region_and_the_city_are_told_apart() {
        assert_eq!(
            keys("аким Алматинской области и город Алматы"),
            [("almaty-region", 1), ("almaty", 1)]
        );
        assert_eq!(
            keys("Алматы облысының әкімі және Алматы қаласы"),
            [("almaty-region", 1), ("almaty", 1)]
        );
    }

    #[test]
    fn short_stems_do_not_match_longer_words() {
        assert_eq!(keys("бакалавриат и бакалейщики"), []);
        assert_eq!(keys("в Баку"), [("baku", 1)]);
    }
}
