//! Dates in press-release text: a `date 2025-08-29` prefix, a dateline such as «Воскресенье,
//! 09 Ноября 2025» or «Сейсенбі, 07 Қазан 2025», or the first full date in the text
//! («12 ноября 2024 года», «2026 жылғы 15 наурызда»).

use std::sync::OnceLock;

use jiff::civil::Date;
use regex::Regex;

/// Month stems, Russian (any case) and Kazakh (with any ending).
const MONTHS: &[(&str, u32)] = &[
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("ма", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
    ("қаңтар", 1),
    ("ақпан", 2),
    ("наурыз", 3),
    ("сәуір", 4),
    ("мамыр", 5),
    ("маусым", 6),
    ("шілде", 7),
    ("тамыз", 8),
    ("қыркүйек", 9),
    ("қазан", 10),
    ("қараша", 11),
    ("желтоқсан", 12),
];

/// The month a word names («ноября», «Ноября», «наурызда»), if any.
pub fn month(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    // «ма…» is May only as «мая»/«май»/«мае»: don't read «марта» or «мамыр» as May.
    if matches!(w.as_str(), "мая" | "май" | "мае") {
        return Some(5);
    }
    MONTHS
        .iter()
        .filter(|(stem, _)| *stem != "ма" && w.starts_with(stem))
        .max_by_key(|(stem, _)| stem.len())
        .map(|(_, m)| *m)
}

const WEEKDAYS: &str = "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі";

fn dateline_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)^\s*(?:{WEEKDAYS}),?\s+(\d{{1,2}})\s+(\p{{L}}+)\s+(\d{{4}})\s*$"
        ))
        .expect("regex")
    })
}

fn prefix_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b\s*").expect("regex"))
}

fn day_month_year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\b(\d{1,2})\s+(\p{L}+)\s+(\d{4})\b").expect("regex"))
}

fn year_day_month_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\b(\d{4})\s+жыл\p{L}*\s+(\d{1,2})\s+(\p{L}+)").expect("regex"))
}

/// Where a date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    Prefix,
    Dateline,
    Text,
}

/// The day `y`-`m`-`d`, if the calendar has it.
pub fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// `date 2025-08-29 …` at the start of the text: the date and the rest of the text.
pub fn prefix(text: &str) -> Option<(Date, &str)> {
    let c = prefix_re().captures(text)?;
    let date = ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    Some((date, &text[c.get(0)?.end()..]))
}

/// A line that is only a dateline: «Воскресенье, 09 Ноября 2025».
pub fn dateline(line: &str) -> Option<Date> {
    let c = dateline_re().captures(line)?;
    ymd(c[3].parse().ok()?, month(&c[2])?, c[1].parse().ok()?)
}

/// The first full date written out in `text`.
pub fn first_in_text(text: &str) -> Option<Date> {
    let a = day_month_year_re().captures_iter(text).find_map(|c| {
        let date = ymd(c[3].parse().ok()?, month(&c[2])?, c[1].parse().ok()?)?;
        Some((c.get(0)?.start(), date))
    });
    let b = year_day_month_re().captures_iter(text).find_map(|c| {
        let date = ymd(c[1].parse().ok()?, month(&c[3])?, c[2].parse().ok()?)?;
        Some((c.get(0)?.start(), date))
    });
    match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        ymd(y, m, day).unwrap()
    }

    #[test]
    fn datelines_in_both_languages() {
        assert_eq!(dateline("Воскресенье, 09 Ноября 2025"), Some(d(2025, 11, 9)));
        assert_eq!(dateline("Сейсенбі, 07 Қазан 2025"), Some(d(2025, 10, 7)));
        assert_eq!(dateline("Воскресенье, 09 Ноября 2025 и ещё"), None);
    }

    #[test]
    fn prefix_and_first_date_in_text() {
        let (date, rest) = prefix(" date 2025-08-29 В Алматинской области").unwrap();
        assert_eq!((date, rest), (d(2025, 8, 29), "В Алматинской области"));
        assert_eq!(
            first_in_text("Сначала 26 марта, потом 12 ноября 2024 года и 6 мая 2021"),
            Some(d(2024, 11, 12))
        );
        assert_eq!(
            first_in_text("2026 жылғы 26 - 28 наурыз аралығында; 2026 жылғы 15 наурызда"),
            Some(d(2026, 3, 15))
        );
        assert_eq!(first_in_text("в 2008 году и 26 марта"), None);
    }

    #[test]
    fn months_by_stem_and_case() {
        assert_eq!(month("мая"), Some(5));
        assert_eq!(month("марта"), Some(3));
        assert_eq!(month("мамырда"), Some(5));
        assert_eq!(month("Қарашада"), Some(11));
        assert_eq!(month("машина"), None);
    }
}
