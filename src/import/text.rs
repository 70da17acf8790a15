//! The text work of the importer: lines, sentences, quotes, attributions, the language and
//! tag suggestions.

use std::sync::OnceLock;

use regex::Regex;

use super::places;

/// Kazakh letters that Russian does not have.
const KAZAKH_LETTERS: &str = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";

/// «» for “” and for pairs of straight quotes, as the portal's typography has them (bodies get
/// this from Markdown; a title is printed as written).
pub(super) fn typographic_quotes(s: &str) -> String {
    let mut open = true;
    s.chars()
        .map(|c| match c {
            '“' | '„' => '«',
            '”' => '»',
            '"' => {
                open = !open;
                if open {
                    '»'
                } else {
                    '«'
                }
            }
            c => c,
        })
        .collect()
}

/// Lowercase letters and digits only: how lines are compared.
pub(super) fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['.', '!', '?', '»', '"', '”', '…', ')', ':', ';'])
}

/// View counters and dated counters: «1815», «06.11.2025   242», «Просмотров: 152»,
/// «Қаралым саны: 1 024», «👁 152».
pub(super) fn is_counter(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?:просмотр(?:ов|ы|ено)?|прочитано|показов|қаралым(?:\s+саны)?|қаралды|оқылды|views?|👁\u{fe0f}?)\s*[:\-–—]?\s*)?[\d\s.:]*\d[\d\s.:]*(?:\s*(?:раз|рет))?$",
        )
        .expect("regex")
    });
    re.is_match(line.trim())
}

/// «Фото: Gov», «Сурет: gov.kz», «Фото: пресс-службы Источник: Пресс-служба …», «Источник:
/// dknews.kz»: (photo credit, source).
pub(super) fn credit_line(line: &str) -> Option<(Option<String>, Option<String>)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:(?:фото|сурет|photo)\s*:\s*(?P<photo>.*?))?\s*(?:(?:источник|дереккөз|source)\s*:\s*(?P<src>.*))?$")
            .expect("regex")
    });
    let c = re.captures(line)?;
    let photo = c
        .name("photo")
        .map(|m| m.as_str().trim().trim_end_matches('.').to_string())
        .filter(|s| !s.is_empty());
    let src = c
        .name("src")
        .map(|m| m.as_str().trim().trim_end_matches('.').to_string())
        .filter(|s| !s.is_empty());
    (photo.is_some() || src.is_some()).then_some((photo, src))
}

/// A closing signature line: «Пресс-служба акима Алматинской области.»
pub(super) fn is_signature(line: &str) -> bool {
    let lower = line.to_lowercase();
    (lower.starts_with("пресс-служба") || lower.ends_with("баспасөз қызметі") || lower.ends_with("баспасөз қызметі."))
        && line.chars().count() < 120
        && line.matches(". ").count() == 0
}

/// The headline a first line gives: itself, or its first sentence when it is a long paragraph.
pub(super) fn headline_of(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() > 160 || (ends_sentence(line) && line.matches(". ").count() > 0) {
        match line.find(". ") {
            Some(i) => line[..i].to_string(),
            None => line.trim_end_matches('.').to_string(),
        }
    } else {
        line.trim_end_matches('.').to_string()
    }
}

/// `line` without its first words that spell `title` (and the punctuation after them).
pub(super) fn strip_prefix_words(line: &str, title: &str) -> String {
    let target = key(title);
    let mut seen = String::new();
    for (i, c) in line.char_indices() {
        if c.is_alphanumeric() {
            seen.extend(c.to_lowercase());
        }
        if seen == target {
            let rest = &line[i + c.len_utf8()..];
            return rest
                .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '«' && c != '"')
                .to_string();
        }
    }
    line.to_string()
}

/// «…, сообщает Zakon.kz.» → («….», Some("Zakon.kz")); «…, деп хабарлайды X-тен.» likewise.
pub(super) fn take_attribution(p: &str) -> (String, Option<String>) {
    static RU: OnceLock<Regex> = OnceLock::new();
    static KK: OnceLock<Regex> = OnceLock::new();
    let ru = RU.get_or_init(|| {
        Regex::new(
            r",\s*(?:передает|передаёт|сообщает|пишет|информирует|сообщают)\s+(?P<src>[^,]+?)\s*(?P<end>[.!?])(?:\s|$)",
        )
        .expect("regex")
    });
    let kk = KK.get_or_init(|| {
        Regex::new(r",\s*деп\s+(?:хабарлайды|жазады|мәлімдеді)\s+(?P<src>[^,]+?)\s*(?P<end>[.!?])(?:\s|$)")
            .expect("regex")
    });
    for (re, kazakh) in [(ru, false), (kk, true)] {
        if let Some(c) = re.captures(p) {
            let whole = c.get(0).expect("match");
            let mut src = c["src"].trim().to_string();
            if kazakh {
                src = kazakh_nominative(&src);
            }
            let end = &c["end"];
            let tail = if whole.as_str().ends_with(char::is_whitespace) {
                " "
            } else {
                ""
            };
            let clean = format!("{}{end}{tail}{}", &p[..whole.start()], &p[whole.end()..]);
            return (clean.trim_end().to_string(), Some(src));
        }
    }
    (p.to_string(), None)
}

/// «…баспасөз қызметінен» → «…баспасөз қызметі»: the source without the ablative ending.
pub(super) fn kazakh_nominative(s: &str) -> String {
    for (ending, base) in [
        ("інен", "і"),
        ("ынан", "ы"),
        ("нен", ""),
        ("нан", ""),
        ("тен", ""),
        ("тан", ""),
        ("ден", ""),
        ("дан", ""),
    ] {
        if let Some(stem) = s.strip_suffix(ending) {
            return format!("{stem}{base}");
        }
    }
    s.to_string()
}

/// A paragraph as Markdown: dash lists as lists, a leading «12.» not read as a list item.
pub(super) fn markdown_paragraph(p: &str) -> String {
    if let Some(item) = p
        .strip_prefix("— ")
        .or_else(|| p.strip_prefix("– "))
        .or_else(|| p.strip_prefix("• "))
    {
        return format!("- {item}");
    }
    static ORDERED: OnceLock<Regex> = OnceLock::new();
    let ordered = ORDERED.get_or_init(|| Regex::new(r"^(\d+)([.)])(\s)").expect("regex"));
    let p = ordered.replace(p, "$1\\$2$3").to_string();
    if p.starts_with(['#', '>', '-', '+', '*']) {
        format!("\\{p}")
    } else {
        p
    }
}

/// Paragraphs separated by blank lines; consecutive list items stay one list.
pub(super) fn join_paragraphs(paragraphs: &[String]) -> String {
    let mut out = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            let both_items = p.starts_with("- ") && paragraphs[i - 1].starts_with("- ");
            out.push_str(if both_items { "\n" } else { "\n\n" });
        }
        out.push_str(p);
    }
    out.push('\n');
    out
}

/// Kazakh or Russian: the letters only Kazakh has decide a text of some length; a short text
/// falls back to common words of each language, then to the site's first language.
pub(super) fn detect_language(text: &str, languages: &[String]) -> (String, &'static str) {
    let has = |code: &str| languages.iter().any(|l| l == code);
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let kazakh = text.chars().filter(|c| KAZAKH_LETTERS.contains(*c)).count();
    if letters >= 200 && has("kk") && has("ru") {
        let share = kazakh as f64 / letters as f64;
        return if share >= 0.01 {
            ("kk".into(), "Kazakh letters")
        } else {
            ("ru".into(), "no Kazakh letters")
        };
    }
    let words = places::words(text);
    let kk_words = [
        "және",
        "мен",
        "бен",
        "пен",
        "деп",
        "бұл",
        "осы",
        "үшін",
        "туралы",
        "бойынша",
        "жылы",
        "қала",
    ];
    let ru_words = [
        "и",
        "в",
        "на",
        "с",
        "по",
        "что",
        "не",
        "для",
        "из",
        "года",
        "город",
        "также",
    ];
    let kk_score = words.iter().filter(|w| kk_words.contains(&w.as_str())).count() + kazakh;
    let ru_score = words.iter().filter(|w| ru_words.contains(&w.as_str())).count();
    if has("kk") && kk_score > ru_score {
        ("kk".into(), "short text: Kazakh words")
    } else if has("ru") && ru_score > kk_score {
        ("ru".into(), "short text: Russian words")
    } else {
        (
            languages.first().cloned().unwrap_or_else(|| "ru".into()),
            "too short to tell: the site's first language",
        )
    }
}

/// Up to four tags whose word stems the text uses most, in the text's language.
pub(super) fn suggest_tags(text: &str, lang: &str) -> Vec<String> {
    let table: &[(&[&str], &str)] = match lang {
        "kk" => &[
            (&["білім", "оқыту", "студент", "мектеп"], "білім"),
            (&["университет"], "университеттер"),
            (&["сауда", "тауар айналым"], "сауда"),
            (&["туризм", "турист"], "туризм"),
            (&["энергетик"], "энергетика"),
            (&["инвестиц"], "инвестиция"),
            (&["мәдени", "мәдениет"], "мәдениет"),
            (&["меморандум"], "меморандум"),
            (&["делегация"], "делегация"),
            (&["әуе рейс", "рейстер"], "әуе қатынасы"),
            (&["денсаулық"], "денсаулық сақтау"),
            (&["ауыл шаруашылығ"], "ауыл шаруашылығы"),
            (&["жол карта"], "жол картасы"),
            (&["конференция"], "конференция"),
            (&["көрме", "жәрмеңке"], "көрме"),
            (&["бауырлас"], "бауырластық"),
        ],
        _ => &[
            (&["образован", "обучен", "студент", "школьн"], "образование"),
            (&["университет"], "университеты"),
            (&["торгов", "товарооборот"], "торговля"),
            (&["туризм", "турист"], "туризм"),
            (&["энергетик"], "энергетика"),
            (&["инвестиц"], "инвестиции"),
            (&["культур"], "культура"),
            (&["меморандум"], "меморандум"),
            (&["делегаци"], "делегация"),
            (&["авиарейс", "авиасообщен"], "авиасообщение"),
            (&["здравоохранен"], "здравоохранение"),
            (&["сельского хозяйств", "сельское хозяйств"], "сельское хозяйство"),
            (&["конференци"], "конференция"),
            (&["выставк", "ярмарк", "экспо"], "выставка"),
            (&["побратим"], "побратимство"),
            (&["язык"], "язык"),
        ],
    };
    let lower = text.to_lowercase();
    let mut scored: Vec<(usize, usize, &str)> = table
        .iter()
        .enumerate()
        .map(|(i, (stems, tag))| (stems.iter().map(|s| lower.matches(s).count()).sum::<usize>(), i, *tag))
        .filter(|(n, _, _)| *n > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(4).map(|(_, _, t)| t.to_string()).collect()
}
