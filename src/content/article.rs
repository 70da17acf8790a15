//! One article file in one language: `<stem>.<lang>.md` with TOML front matter.

use std::path::Path;

use jiff::civil::{Date, DateTime, Time};
use serde::Deserialize;
use toml::Spanned;

use super::frontmatter;
use crate::diagnostics::{line_col, toml_problem, Problem};

/// What the front matter may say (see CONTENT.md). Unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Spanned<String>,
    date: Spanned<toml::Value>,
    #[serde(default)]
    updated: Option<Spanned<toml::Value>>,
    region: Spanned<String>,
    partners: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    #[serde(default)]
    source: Option<Spanned<String>>,
    #[serde(default)]
    source_url: Option<Spanned<String>>,
    #[serde(default)]
    photo_credit: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    photos: Vec<Spanned<PhotoMatter>>,
    #[serde(default)]
    review: Option<Spanned<ReviewMatter>>,
    #[serde(default)]
    extra: toml::Table,
}

/// `[review]`: where a draft stands in the desk's review (written by the desk; the build
/// publishes nothing by it — `draft` alone says what is public).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewMatter {
    state: Spanned<String>,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    comment: Option<String>,
}

/// A draft's place in the review: submitted by an author, or returned by an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewState {
    Submitted,
    Returned,
}

/// `[review]` of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub state: ReviewState,
    /// Who submitted or returned it.
    pub by: Option<String>,
    /// When (RFC 3339).
    pub at: Option<String>,
    /// The editor's comment on a return.
    pub comment: Option<String>,
}

/// One `[[photos]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhotoMatter {
    file: Spanned<String>,
    #[serde(default)]
    alt: Option<Spanned<String>>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    credit: Option<String>,
}

/// A photo the front matter names: a file beside the article, with this language's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoRef {
    /// The file name, beside the article's `.md` files.
    pub file: String,
    /// What the photo shows, in the file's language.
    pub alt: String,
    pub caption: Option<String>,
    /// Who took it; else the article's `photo_credit`.
    pub credit: Option<String>,
    /// The line of `file = …`.
    pub line: usize,
}

/// Photo file names an article may name: a plain file beside it, with an image's extension.
pub fn is_photo_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif", ".gif", ".tif", ".tiff", ".bmp",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

impl ArticleSource {
    /// What turning its body into HTML needs to know of the file.
    pub fn body_of(&self) -> super::BodyOf<'_> {
        super::BodyOf {
            path: &self.path,
            lang: &self.lang,
            body_line: self.body_line,
            photos: &self.photos,
        }
    }
}

/// Checks a photo's file name as written: a file beside the article, no folder, nothing hidden.
pub fn check_photo_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the photo's `file` is empty: name the photo file beside the article".into());
    }
    if name.contains('/') || name.contains('\\') || name.starts_with('.') || name.contains('\0') {
        return Err(format!(
            "photo `{name}` must be a file name beside the article, without folders: put the photo next to the .md file"
        ));
    }
    if !is_photo_name(name) {
        return Err(format!(
            "photo `{name}` is not a picture's file name: name a .jpg, .png or .webp file"
        ));
    }
    Ok(())
}

/// An old address of an article, with the line it is written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// A site path without the leading `/`: `ru/news/old-stem/`, or a page `ru/old.html`.
    pub path: String,
    pub line: usize,
}

/// A reference to a city key, with the line it is written on.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRef {
    pub key: String,
    pub line: usize,
}

/// An article's date: a day, optionally with a time (and offset) for ordering and feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleDate {
    /// Local date and time (00:00 when only a day is given).
    pub local: DateTime,
    /// Offset from UTC in minutes, when the front matter gives one.
    pub offset_minutes: Option<i32>,
}

impl ArticleDate {
    pub fn day(&self) -> Date {
        self.local.date()
    }

    /// The date with the offset `zone` had at its local time, unless it gives its own.
    pub fn in_zone(self, zone: &crate::zone::Zone) -> ArticleDate {
        ArticleDate {
            offset_minutes: Some(self.offset_minutes.unwrap_or_else(|| zone.offset_at(self.local))),
            ..self
        }
    }

    /// Seconds since 1970 (UTC) of this moment; a date without an offset counts as UTC (dates
    /// read by the site have their zone's offset: see [`ArticleDate::in_zone`]).
    pub fn timestamp(&self) -> i64 {
        let utc = self
            .local
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_or(0, |z| z.timestamp().as_second());
        utc - i64::from(self.offset_minutes.unwrap_or(0)) * 60
    }

    /// The offset from UTC as its sign, hours and minutes (`+`, 5, 0; UTC when none is known),
    /// as RFC 3339 and RFC 2822 write it.
    pub fn offset_parts(&self) -> (char, u32, u32) {
        let minutes = self.offset_minutes.unwrap_or(0);
        let sign = if minutes < 0 { '-' } else { '+' };
        let m = minutes.unsigned_abs();
        (sign, m / 60, m % 60)
    }

    /// RFC 3339, as `<time datetime>`, sitemaps and structured data want it:
    /// `2025-08-29T00:00:00+05:00` (UTC when no offset is known).
    pub fn rfc3339(&self) -> String {
        // Written field by field: every page and feed item writes dates, and a format string
        // read at each call costs more than the rest of the date.
        let (sign, hours, minutes) = self.offset_parts();
        let l = self.local;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{hours:02}:{minutes:02}",
            l.year(),
            l.month(),
            l.day(),
            l.hour(),
            l.minute(),
            l.second(),
        )
    }
}

/// One parsed article file.
#[derive(Debug, Clone)]
pub struct ArticleSource {
    /// Relative to the site root.
    pub path: std::path::PathBuf,
    pub stem: String,
    pub lang: String,
    pub title: String,
    pub date: ArticleDate,
    pub updated: Option<ArticleDate>,
    pub region: KeyRef,
    pub partners: Vec<KeyRef>,
    pub tags: Vec<String>,
    /// The line each of `tags` is written on.
    pub tag_lines: Vec<usize>,
    pub summary: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub photo_credit: Option<String>,
    pub draft: bool,
    /// Old addresses that lead here: site paths (`ru/news/old-stem/`), each with its line.
    pub aliases: Vec<Alias>,
    /// `[[photos]]`, the lead first.
    pub photos: Vec<PhotoRef>,
    pub extra: toml::Table,
    /// `[review]`: a draft submitted or returned in the desk's review.
    pub review: Option<Review>,
    /// The file's line number of the body's first line.
    pub body_line: usize,
}

/// `2025-08-29-qinghai.ru.md` → (`2025-08-29-qinghai`, `ru`).
pub fn split_file_name(name: &str) -> Option<(&str, &str)> {
    let base = name.strip_suffix(".md")?;
    let (stem, lang) = base.rsplit_once('.')?;
    Some((stem, lang))
}

/// Parses the text of the article file `path` whose name gave `stem` and `lang`: its front
/// matter, and the Markdown body as a slice of `text`.
pub fn parse<'t>(path: &Path, stem: &str, lang: &str, text: &'t str) -> Result<(ArticleSource, &'t str), Vec<Problem>> {
    let split = frontmatter::split(text).map_err(|e| vec![Problem::at(path, e.line, e.message)])?;
    let fm: FrontMatter =
        toml::from_str(split.front).map_err(|e| vec![toml_problem(path, split.front, split.front_line, &e)])?;
    let line = |span: std::ops::Range<usize>| line_col(split.front, span.start).0 + split.front_line - 1;
    let mut problems = Vec::new();

    let title = fm.title.get_ref().trim().to_string();
    if title.is_empty() {
        problems.push(Problem::at(
            path,
            line(fm.title.span()),
            "the title is empty: write the headline in title = \"…\"",
        ));
    }
    let date = parse_date(&fm.date)
        .map_err(|msg| problems.push(Problem::at(path, line(fm.date.span()), msg)))
        .ok();
    let updated = fm.updated.as_ref().and_then(|u| {
        parse_date(u)
            .map_err(|msg| problems.push(Problem::at(path, line(u.span()), format!("updated: {msg}"))))
            .ok()
    });
    let (region, partners) = route(&fm, &line, path, &mut problems);
    let (tags, tag_lines) = tags(&fm.tags, &line, path, &mut problems).into_iter().unzip();
    unprintable(&fm, &line, path, &mut problems);
    unprintable_lines(split.body, split.body_line, path, &mut problems);
    if let Some(url) = &fm.source_url {
        let at = line(url.span());
        let url = url.get_ref();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            problems.push(Problem::at(
                path,
                at,
                format!("source_url `{url}` must be a full address starting with https:// or http://"),
            ));
        }
    }
    let aliases = fm
        .aliases
        .iter()
        .filter_map(|a| match crate::urls::Urls::alias(a.get_ref()) {
            Ok(path) => Some(Alias {
                path,
                line: line(a.span()),
            }),
            Err(msg) => {
                problems.push(Problem::at(path, line(a.span()), msg));
                None
            }
        })
        .collect();
    let photos = photo_refs(&fm.photos, lang, &line, path, &mut problems);
    let review = fm.review.as_ref().and_then(|r| {
        let at = line(r.span());
        let r = r.get_ref();
        let state = match r.state.get_ref().as_str() {
            "submitted" => ReviewState::Submitted,
            "returned" => ReviewState::Returned,
            other => {
                problems.push(Problem::at(
                    path,
                    line(r.state.span()),
                    format!("[review] state `{other}` is not one the desk writes: `submitted` or `returned` (an approved article is simply not a draft)"),
                ));
                return None;
            }
        };
        if !fm.draft {
            problems.push(Problem::at(
                path,
                at,
                "[review] is for drafts: a published article (no `draft = true`) is past review; remove [review], or set draft = true",
            ));
        }
        Some(Review {
            state,
            by: r.by.clone(),
            at: r.at.clone(),
            comment: r.comment.clone(),
        })
    });
    match date {
        Some(date) if problems.is_empty() => Ok((
            ArticleSource {
                path: path.to_path_buf(),
                stem: stem.to_string(),
                lang: lang.to_string(),
                title,
                date,
                updated,
                region,
                partners,
                tags,
                tag_lines,
                summary: fm
                    .summary
                    .map(|s| s.into_inner().trim().to_string())
                    .filter(|s| !s.is_empty()),
                source: fm.source.map(Spanned::into_inner),
                source_url: fm.source_url.map(Spanned::into_inner),
                photo_credit: fm.photo_credit.map(Spanned::into_inner),
                draft: fm.draft,
                aliases,
                photos,
                extra: fm.extra,
                review,
                body_line: split.body_line,
            },
            split.body,
        )),
        _ => Err(problems),
    }
}

/// `[[photos]]` checked: each names a file beside the article and says what it shows.
pub(super) fn photo_refs(
    photos: &[Spanned<PhotoMatter>],
    lang: &str,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    path: &Path,
    problems: &mut Vec<Problem>,
) -> Vec<PhotoRef> {
    let mut seen = std::collections::HashSet::new();
    photos
        .iter()
        .filter_map(|p| {
            let p = p.get_ref();
            let at = line(p.file.span());
            let file = p.file.get_ref().trim().to_string();
            if let Err(msg) = check_photo_name(&file) {
                problems.push(Problem::at(path, at, msg));
                return None;
            }
            if !seen.insert(file.clone()) {
                problems.push(Problem::at(path, at, format!("photo `{file}` is listed twice: remove one")));
            }
            let alt = p.alt.as_ref().map(|a| a.get_ref().trim().to_string()).unwrap_or_default();
            if alt.is_empty() {
                problems.push(Problem::at(
                    path,
                    p.alt.as_ref().map_or(at, |a| line(a.span())),
                    format!(
                        "photo `{file}` has no alt text: add alt = \"…\" saying in this file's language ({lang}) what the photo shows, for readers who cannot see it"
                    ),
                ));
            }
            let text = |t: &Option<String>| t.as_ref().map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
            Some(PhotoRef {
                file,
                alt,
                caption: text(&p.caption),
                credit: text(&p.credit),
                line: at,
            })
        })
        .collect()
}

/// The tags, trimmed, empty ones dropped; each must make an address (`/L/tags/<slug>/`) of its
/// own: a tag without letters or digits, or two tags of one article that make one address
/// (`C#` and `C++`: both `c`), would be lost from the page without a word.
fn tags(
    tags: &[Spanned<String>],
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    path: &Path,
    problems: &mut Vec<Problem>,
) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::with_capacity(tags.len());
    let mut slugs: Vec<(String, &str)> = Vec::with_capacity(tags.len());
    for t in tags {
        let name = t.get_ref().trim();
        if name.is_empty() {
            continue;
        }
        let slug = crate::slug::slugify(name);
        if slug.is_empty() {
            problems.push(Problem::at(
                path,
                line(t.span()),
                format!("tag `{name}` has no letters or digits to make an address from: reword it"),
            ));
            continue;
        }
        match slugs.iter().find(|(s, _)| *s == slug) {
            Some((_, other)) if *other == name => {
                problems.push(Problem::at(
                    path,
                    line(t.span()),
                    format!("tag `{name}` is listed twice: remove one"),
                ));
            }
            Some((_, other)) => problems.push(Problem::at(
                path,
                line(t.span()),
                format!(
                    "tags `{other}` and `{name}` make one address (/tags/{slug}/), so one would disappear: \
                     reword one of them so that it makes an address of its own, or keep one"
                ),
            )),
            None => {
                slugs.push((slug, name));
                out.push((name.to_string(), line(t.span())));
            }
        }
    }
    out
}

/// Whether `c` is a character HTML and XML 1.0 cannot carry: a C0 control other than tab, line
/// feed and carriage return (Word's manual line break is U+000B), DEL, a C1 control, or one of
/// the noncharacters U+FFFE and U+FFFF.
pub fn is_unprintable(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// The problem for `text` (the value of `what`) holding an unprintable character, if it does.
pub fn unprintable_in(what: &str, text: &str) -> Option<String> {
    let c = text.chars().find(|&c| is_unprintable(c))?;
    Some(format!(
        "{what} holds the invisible control character U+{:04X}{}, which a web page or feed cannot carry: \
         delete it (retype the text around it; it often comes with text pasted from Word or a PDF)",
        c as u32,
        if c == '\u{b}' {
            " (Word's manual line break)"
        } else {
            ""
        }
    ))
}

/// Every text of the front matter checked for unprintable characters, once, where it is read.
fn unprintable(
    fm: &FrontMatter,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    path: &Path,
    problems: &mut Vec<Problem>,
) {
    let mut check = |what: &str, text: &str, at: Option<usize>| {
        if let Some(msg) = unprintable_in(what, text) {
            problems.push(Problem::new(path, at, msg));
        }
    };
    check("the title", fm.title.get_ref(), Some(line(fm.title.span())));
    for t in &fm.tags {
        check("a tag", t.get_ref(), Some(line(t.span())));
    }
    for (what, text) in [
        ("summary", &fm.summary),
        ("source", &fm.source),
        ("source_url", &fm.source_url),
        ("photo_credit", &fm.photo_credit),
    ] {
        if let Some(text) = text {
            check(what, text.get_ref(), Some(line(text.span())));
        }
    }
    for (key, value) in &fm.extra {
        each_string(key, value, &mut |text| check("a value in [extra]", text, None));
    }
    unprintable_photos(&fm.photos, line, path, problems);
}

/// The words of `[[photos]]` checked for unprintable characters.
pub(super) fn unprintable_photos(
    photos: &[Spanned<PhotoMatter>],
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    path: &Path,
    problems: &mut Vec<Problem>,
) {
    let mut check = |what: &str, text: &str, at: Option<usize>| {
        if let Some(msg) = unprintable_in(what, text) {
            problems.push(Problem::new(path, at, msg));
        }
    };
    for p in photos {
        let at = Some(line(p.get_ref().file.span()));
        if let Some(alt) = &p.get_ref().alt {
            check("a photo's alt", alt.get_ref(), Some(line(alt.span())));
        }
        for (what, text) in [
            ("a photo's caption", &p.get_ref().caption),
            ("a photo's credit", &p.get_ref().credit),
        ] {
            if let Some(text) = text {
                check(what, text, at);
            }
        }
    }
}

/// `key` and every string and key inside `value`, given to `f`.
pub(super) fn each_string(key: &str, value: &toml::Value, f: &mut dyn FnMut(&str)) {
    f(key);
    match value {
        toml::Value::String(s) => f(s),
        toml::Value::Array(a) => a.iter().for_each(|v| each_string("", v, f)),
        toml::Value::Table(t) => t.iter().for_each(|(k, v)| each_string(k, v, f)),
        _ => {}
    }
}

/// The body's lines checked for unprintable characters: the first such line is named.
pub(super) fn unprintable_lines(body: &str, first_line: usize, path: &Path, problems: &mut Vec<Problem>) {
    if let Some((n, msg)) = body
        .lines()
        .enumerate()
        .find_map(|(n, l)| unprintable_in("the text", l).map(|msg| (n, msg)))
    {
        problems.push(Problem::at(path, first_line + n, msg));
    }
}

/// The region and partners as keys with their lines; a partner list must not be empty nor name
/// the region, nor one partner twice.
fn route(
    fm: &FrontMatter,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    path: &Path,
    problems: &mut Vec<Problem>,
) -> (KeyRef, Vec<KeyRef>) {
    let region = KeyRef {
        key: fm.region.get_ref().clone(),
        line: line(fm.region.span()),
    };
    let partners: Vec<KeyRef> = fm
        .partners
        .get_ref()
        .iter()
        .map(|p| KeyRef {
            key: p.get_ref().clone(),
            line: line(p.span()),
        })
        .collect();
    if partners.is_empty() {
        problems.push(Problem::at(
            path,
            line(fm.partners.span()),
            "partners is empty: name at least one partner city key, e.g. partners = [\"shanghai\"]",
        ));
    }
    for (n, p) in partners.iter().enumerate() {
        if partners[..n].iter().any(|q| q.key == p.key) {
            problems.push(Problem::at(
                path,
                p.line,
                format!("partner `{}` is listed twice: remove one", p.key),
            ));
        }
        if p.key == region.key {
            problems.push(Problem::at(
                path,
                p.line,
                format!(
                    "`{}` is the region and a partner at once: a partner is the other side",
                    p.key
                ),
            ));
        }
    }
    (region, partners)
}

const DATE_HELP: &str = "write it as date = 2025-08-29 (or 2025-08-29T10:30:00+05:00)";

/// A TOML date or date-time, or a string holding one (editors often quote dates).
pub fn parse_date(value: &Spanned<toml::Value>) -> Result<ArticleDate, String> {
    let datetime = match value.get_ref() {
        toml::Value::Datetime(dt) => *dt,
        toml::Value::String(s) if s.trim().is_empty() => return Err(format!("the date is empty: {DATE_HELP}")),
        toml::Value::String(s) => s
            .trim()
            .parse::<toml::value::Datetime>()
            .map_err(|_| format!("`{s}` is not a date: {DATE_HELP}"))?,
        other => return Err(format!("the date is a {}, not a date: {DATE_HELP}", other.type_str())),
    };
    let d = datetime
        .date
        .ok_or_else(|| format!("`{datetime}` has a time but no day: {DATE_HELP}"))?;
    let day = Date::new(d.year as i16, d.month as i8, d.day as i8)
        .map_err(|_| format!("`{datetime}` is not a day of the calendar: {DATE_HELP}"))?;
    let time = match datetime.time {
        Some(t) => Time::new(
            t.hour as i8,
            t.minute as i8,
            t.second.unwrap_or(0) as i8,
            t.nanosecond.unwrap_or(0) as i32,
        )
        .map_err(|_| format!("`{datetime}` has an impossible time: {DATE_HELP}"))?,
        None => Time::midnight(),
    };
    let offset_minutes = datetime.offset.map(|o| match o {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => minutes as i32,
    });
    Ok(ArticleDate {
        local: day.to_datetime(time),
        offset_minutes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(front: &str) -> Result<ArticleSource, Vec<Problem>> {
        let text = format!("+++\n{front}+++\nBody\n");
        parse(Path::new("news/a.ru.md"), "a", "ru", &text).map(|(a, body)| {
            assert_eq!(body, "Body\n");
            a
        })
    }

    const OK: &str = "title = \"T\"\ndate = 2025-08-29\nregion = \"almaty\"\npartners = [\"shanghai\"]\n";

    #[test]
    fn parses_required_and_optional_fields() {
        let a = article(&format!(
            "{OK}tags = [\"білім\", \" \"]\ndraft = true\n[extra]\nx = 1\n"
        ))
        .unwrap();
        assert_eq!(a.title, "T");
        assert_eq!(a.date.day(), jiff::civil::date(2025, 8, 29));
        assert_eq!(
            a.region,
            KeyRef {
                key: "almaty".into(),
                line: 4
            }
        );
        assert_eq!(a.partners[0].line, 5);
        assert_eq!(a.tags, ["білім"]);
        assert!(a.draft);
        assert_eq!(a.extra["x"].as_integer(), Some(1));
        assert_eq!(a.body_line, 11);
    }

    #[test]
    fn dates_may_be_quoted_or_carry_times() {
        let a = article(&OK.replace("2025-08-29", "\"2025-08-29\"")).unwrap();
        assert_eq!(a.date.day().to_string(), "2025-08-29");
        let a = article(&OK.replace("2025-08-29", "2025-08-29T10:30:00+05:00")).unwrap();
        assert_eq!(a.date.local.to_string(), "2025-08-29T10:30:00");
        assert_eq!(a.date.offset_minutes, Some(300));
    }

    #[test]
    fn bad_dates_name_the_line() {
        let e = article(&OK.replace("2025-08-29", "\"2025-02-30\"")).unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("`2025-02-30` is not a date"), "{}", e[0].message);
        let e = article(&OK.replace("2025-08-29", "20250829")).unwrap_err();
        assert!(e[0].message.contains("the date is a integer"), "{}", e[0].message);
        let e = article(&OK.replace("2025-08-29", "2025-13-01")).unwrap_err();
        assert_eq!(e[0].line, Some(3), "{:?}", e[0]);
    }

    #[test]
    fn unknown_and_missing_fields_are_errors() {
        let e = article(&format!("{OK}titel = \"x\"\n")).unwrap_err();
        assert_eq!(e[0].line, Some(6));
        assert!(
            e[0].message.starts_with("unknown field `titel`; did you mean `title`?"),
            "{}",
            e[0].message
        );
        let e = article("title = \"T\"\ndate = 2025-08-29\nregion = \"almaty\"\n").unwrap_err();
        assert_eq!(e[0].message, "missing field `partners`: add `partners = …`");
    }

    #[test]
    fn empty_title_partners_and_self_partnership_are_errors() {
        let e = article("title = \" \"\ndate = 2025-08-29\nregion = \"a\"\npartners = [\"a\"]\n").unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].message.starts_with("the title is empty"));
        assert!(e[1].message.contains("the region and a partner at once"));
        let e = article("title = \"T\"\ndate = 2025-08-29\nregion = \"a\"\npartners = []\n").unwrap_err();
        assert!(e[0].message.starts_with("partners is empty"));
    }

    #[test]
    fn file_names_give_stem_and_language() {
        assert_eq!(split_file_name("2025-08-29-x.ru.md"), Some(("2025-08-29-x", "ru")));
        assert_eq!(split_file_name("x.md"), None);
        assert_eq!(split_file_name("x.ru.txt"), None);
    }
}
