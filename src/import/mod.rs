//! `twinpress import`: raw press-release text, as copied from the akimat's old CMS or a news
//! agency page, into a draft article. The noise goes (repeated headlines, view counters, photo
//! and source lines, «other news» lists, comment forms, CMS footers); the facts become front
//! matter (language, title, date, region, partners, tags, source, photo credit). What cannot be
//! found is left empty with a comment, never guessed.

pub mod dates;
pub mod places;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::content::CitySource;
use crate::editor::ArticleDraft;
use dates::DateSource;

/// What the importer was told about the site.
pub struct Registry<'a> {
    pub cities: &'a [CitySource],
    /// Countries of the home side (where the site's regions are); the rest are partners.
    pub home_countries: BTreeSet<String>,
    /// The site's languages; the first is the default.
    pub languages: Vec<String>,
}

/// A release turned into a draft, with what was found and what was not.
#[derive(Debug, Clone)]
pub struct Imported {
    pub draft: ArticleDraft,
    /// One line per field: "date 2025-08-29 (from the dateline)", "region: not found".
    pub report: Vec<String>,
}

/// One imported file.
#[derive(Debug)]
pub struct ImportedFile {
    pub input: std::path::PathBuf,
    pub imported: Imported,
    /// Where it was written (relative to the site), unless this was a dry run.
    pub written: Option<std::path::PathBuf>,
}

/// Imports `files` into the site at `root` as draft articles (or only reports, for a dry run).
pub fn import_files(
    root: &std::path::Path,
    files: &[std::path::PathBuf],
    lang: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<Vec<ImportedFile>> {
    use anyhow::Context as _;
    let config = crate::config::Config::load(root)?;
    if let Some(l) = lang {
        if config.language(l).is_none() {
            anyhow::bail!(
                "--lang {l}: the site's languages are {}",
                config
                    .languages
                    .iter()
                    .map(|l| l.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let cities = crate::content::load_cities(root, &config)?;
    let registry = Registry {
        home_countries: home_countries(root, &config, &cities),
        cities: &cities,
        languages: config.languages.iter().map(|l| l.code.clone()).collect(),
    };
    let mut out = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("Cannot read {}", file.display()))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!(
                "{} is not UTF-8 text: save it as UTF-8 and import it again",
                file.display()
            )
        })?;
        let imported = import(&text, &registry, lang);
        let written = if dry_run {
            None
        } else {
            Some(write_unique(root, &imported.draft)?)
        };
        out.push(ImportedFile {
            input: file.clone(),
            imported,
            written,
        });
    }
    Ok(out)
}

/// Writes the draft, adding `-2`, `-3` … to the stem if the name is taken: an import never
/// overwrites.
fn write_unique(root: &std::path::Path, draft: &ArticleDraft) -> anyhow::Result<std::path::PathBuf> {
    let base = draft.stem();
    for n in 1..100 {
        let mut d = draft.clone();
        if n > 1 {
            d.stem = Some(format!("{base}-{n}"));
        }
        if !root.join(d.path()).exists() {
            return d.write_new(root);
        }
    }
    anyhow::bail!(
        "{} and 98 more names like it exist: remove old imports first",
        draft.path().display()
    )
}

/// The countries of the home side: where the regions of the site's articles are; Kazakhstan
/// for a site with none yet.
fn home_countries(root: &std::path::Path, config: &crate::config::Config, cities: &[CitySource]) -> BTreeSet<String> {
    let mut home = BTreeSet::new();
    if let Ok(content) = crate::content::load(root, config, true, &|_, _| ()) {
        for a in content.articles.values() {
            if let Some(c) = cities.iter().find(|c| c.key == a.source.region.key) {
                home.insert(c.country.clone());
            }
        }
    }
    if home.is_empty() {
        home.insert("KZ".to_string());
    }
    home
}

/// Lines from which on a page is no longer the article.
const END_MARKERS: &[&str] = &[
    "другие новости",
    "последние новости",
    "читайте также",
    "новости по теме",
    "похожие новости",
    "басқа жаңалықтар",
    "соңғы жаңалықтар",
    "тағы оқыңыз",
    "комментарии",
    "добавить комментарий",
    "пікірлер",
];

/// Lines that are the page around the article, never its text.
const NOISE: &[&str] = &[
    "яндекс.метрика",
    "google analytics",
    "liveinternet",
    "создано на платформе",
    "дизайн и разработка",
    "все права защищены",
    "авторские права защищены",
    "барлық құқықтар қорғалған",
    "ваш email не публикуется",
    "обязательные поля отмечены",
    "подписывайтесь на",
    "поделиться",
    "на этом сайте вы найдете",
];

/// Kazakh letters that Russian does not have.
const KAZAKH_LETTERS: &str = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";

/// Imports one release. `lang` forces the language; else it is detected from the text.
pub fn import(text: &str, registry: &Registry, lang: Option<&str>) -> Imported {
    let mut report = Vec::new();
    let text = text
        .trim_start_matches('\u{feff}')
        .replace(['\r'], "")
        .replace('\u{a0}', " ");
    let (mut date, rest) = match dates::prefix(&text) {
        Some((d, rest)) => (Some((d, DateSource::Prefix)), rest.to_string()),
        None => (None, text.clone()),
    };

    // Lines, cut at the first «other news» marker, with page furniture taken out.
    let mut photo_credit = None;
    let mut source = None;
    let mut lines: Vec<String> = Vec::new();
    for raw in rest.lines() {
        let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = line.to_lowercase();
        let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
        if !lines.is_empty()
            && END_MARKERS
                .iter()
                .any(|m| bare == *m || bare.starts_with(&format!("{m} (")))
        {
            break;
        }
        if line.is_empty() {
            lines.push(String::new());
            continue;
        }
        if let Some(d) = dates::dateline(&line) {
            date.get_or_insert((d, DateSource::Dateline));
            continue;
        }
        if is_counter(&line) || NOISE.iter().any(|n| lower.contains(n)) || line.contains('©') {
            continue;
        }
        if let Some((credit, src)) = credit_line(&line) {
            if let Some(c) = credit {
                photo_credit.get_or_insert(c);
            }
            if let Some(s) = src {
                source = Some(s);
            }
            continue;
        }
        if is_signature(&line) {
            source.get_or_insert(line.trim_end_matches('.').to_string());
            continue;
        }
        lines.push(line);
    }

    // The headline: the first line, or the first sentence of a long first paragraph.
    let first = lines.iter().position(|l| !l.is_empty());
    let title = match first {
        Some(i) => headline_of(&lines[i]),
        None => String::new(),
    };
    let title_key = key(&title);
    let title = typographic_quotes(&title);
    let mut paragraphs: Vec<String> = Vec::new();
    for line in lines.into_iter().filter(|l| !l.is_empty()) {
        let k = key(&line);
        if k == title_key {
            continue; // the headline again
        }
        let line = if !title_key.is_empty() && k.starts_with(&title_key) {
            strip_prefix_words(&line, &title)
        } else {
            line
        };
        if !line.is_empty() {
            paragraphs.push(line);
        }
    }
    // A teaser line: the start of the following text, cut off.
    let mut kept = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let next: String = paragraphs[i + 1..]
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let (k, nk) = (key(p), key(&next));
        if !ends_sentence(p) && k.len() > 40 && nk.starts_with(&k) && nk.len() > k.len() {
            continue;
        }
        kept.push(p.clone());
    }
    // After the last sentence: keyword lines, links to other news.
    while kept.last().is_some_and(|p| !ends_sentence(p)) {
        kept.pop();
    }
    // Attributions («…, сообщает Zakon.kz.») name the source and leave the sentence.
    let mut body_paragraphs = Vec::new();
    for p in kept {
        let (clean, found) = take_attribution(&p);
        if let Some(s) = found {
            source.get_or_insert(s);
        }
        body_paragraphs.push(markdown_paragraph(&clean));
    }
    let body = join_paragraphs(&body_paragraphs);

    let all_text = format!("{title}\n{body}");
    let lang = match lang {
        Some(l) => {
            report.push(format!("language {l} (given)"));
            l.to_string()
        }
        None => {
            let (l, how) = detect_language(&all_text, &registry.languages);
            report.push(format!("language {l} ({how})"));
            l
        }
    };
    if date.is_none() {
        date = dates::first_in_text(&all_text).map(|d| (d, DateSource::Text));
    }
    match date {
        Some((d, how)) => report.push(format!(
            "date {d} ({})",
            match how {
                DateSource::Prefix => "from the date prefix",
                DateSource::Dateline => "from the dateline",
                DateSource::Text => "the first date in the text",
            }
        )),
        None => report.push("date: not found — fill in `date`".into()),
    }

    // The source counts too: a press service writes about its own side.
    let place_text = format!("{all_text}\n{}", source.as_deref().unwrap_or(""));
    let mentions = places::find(&place_text, registry.cities);
    let region = mentions
        .iter()
        .find(|m| registry.home_countries.contains(&registry.cities[m.city].country));
    let home_country = region.map(|m| registry.cities[m.city].country.clone());
    let others: Vec<&places::Mention> = mentions
        .iter()
        .filter(|m| Some(&registry.cities[m.city].country) != home_country.as_ref())
        .filter(|m| region.is_some() || !registry.home_countries.contains(&registry.cities[m.city].country))
        .collect();
    let top = others.first().map_or(0, |m| m.count);
    let partners: Vec<String> = others
        .iter()
        .enumerate()
        .filter(|(i, m)| *i == 0 || (m.count >= 2 && m.count * 3 >= top))
        .map(|(_, m)| registry.cities[m.city].key.clone())
        .collect();
    let region_key = region.map(|m| registry.cities[m.city].key.clone());
    report.push(match &region_key {
        Some(r) => format!("region {r}"),
        None => "region: not found — fill in `region`".into(),
    });
    report.push(if partners.is_empty() {
        "partners: not found — fill in `partners`".into()
    } else {
        format!("partners {}", partners.join(", "))
    });
    let tags = suggest_tags(&all_text, &lang);
    report.push(format!(
        "tags {}",
        if tags.is_empty() {
            "(none suggested)".into()
        } else {
            tags.join(", ")
        }
    ));
    report.push(format!("source {}", source.as_deref().unwrap_or("(none)")));
    report.push(format!("photo {}", photo_credit.as_deref().unwrap_or("(none)")));
    if title.is_empty() {
        report.push("title: not found — fill in `title`".into());
    }

    Imported {
        draft: ArticleDraft {
            lang,
            title,
            date: date.map(|(d, _)| d),
            region: region_key,
            partners,
            tags,
            source,
            photo_credit,
            draft: true,
            body,
            ..ArticleDraft::default()
        },
        report,
    }
}

/// «» for “” and for pairs of straight quotes, as the portal's typography has them (bodies get
/// this from Markdown; a title is printed as written).
fn typographic_quotes(s: &str) -> String {
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
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['.', '!', '?', '»', '"', '”', '…', ')', ':', ';'])
}

/// View counters and dated counters: «1815», «06.11.2025   242».
fn is_counter(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ' ' || c == ':')
        && line.chars().any(|c| c.is_ascii_digit())
}

/// «Фото: Gov», «Сурет: gov.kz», «Фото: пресс-службы Источник: Пресс-служба …», «Источник:
/// dknews.kz»: (photo credit, source).
fn credit_line(line: &str) -> Option<(Option<String>, Option<String>)> {
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
fn is_signature(line: &str) -> bool {
    let lower = line.to_lowercase();
    (lower.starts_with("пресс-служба") || lower.ends_with("баспасөз қызметі") || lower.ends_with("баспасөз қызметі."))
        && line.chars().count() < 120
        && line.matches(". ").count() == 0
}

/// The headline a first line gives: itself, or its first sentence when it is a long paragraph.
fn headline_of(line: &str) -> String {
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
fn strip_prefix_words(line: &str, title: &str) -> String {
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
fn take_attribution(p: &str) -> (String, Option<String>) {
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
fn kazakh_nominative(s: &str) -> String {
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
fn markdown_paragraph(p: &str) -> String {
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
fn join_paragraphs(paragraphs: &[String]) -> String {
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
fn detect_language(text: &str, languages: &[String]) -> (String, &'static str) {
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
fn suggest_tags(text: &str, lang: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests;
