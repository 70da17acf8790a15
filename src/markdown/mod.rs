//! Markdown → HTML with pulldown-cmark: tables, footnotes, strikethrough, smart punctuation with
//! the language's quotes («…» for Kazakh and Russian), heading ids as Latin slugs, root-relative
//! links made to work under the base path; plus a plain-text summary from the first paragraph.

mod body;
mod footnotes;
mod latin;
pub mod plain_text;
use std::collections::HashSet;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{BodyOf, CitySource};
use crate::i18n;
use crate::photos::Photo;
use crate::slug::slugify;
use crate::urls::Urls;

pub use body::{Body, Html, Spill};

/// How article bodies and city descriptions are rendered for a site: the language's quotes and
/// links made to work under the base URL.
pub struct SiteMarkdown<'a> {
    urls: &'a Urls,
    /// `[markdown] raw_html`: HTML written in a body goes into its page.
    raw_html: bool,
}

impl<'a> SiteMarkdown<'a> {
    pub fn new(urls: &'a Urls, raw_html: bool) -> Self {
        SiteMarkdown { urls, raw_html }
    }

    /// One article's body; `photo` makes a photo beside the article (`![alt](file.jpg)`) into
    /// the site's files, or says what is wrong with it.
    pub fn article(
        &self,
        source: &BodyOf,
        markdown: &str,
        photo: &PhotoLookup,
    ) -> Result<Rendered, Vec<crate::diagnostics::Problem>> {
        let rendered = render_with(markdown, source.lang, self.urls, Some(photo));
        let unsafe_parts = unsafe_parts(&rendered, self.raw_html);
        if rendered.photo_problems.is_empty() && unsafe_parts.is_empty() {
            return Ok(rendered);
        }
        Err(rendered
            .photo_problems
            .iter()
            .chain(&unsafe_parts)
            .map(|(line, msg)| crate::diagnostics::Problem::at(source.path, source.body_line + line - 1, msg.clone()))
            .collect())
    }

    /// Every city's description, per language of `config` (empty where there is none).
    pub fn city_descriptions(&self, config: &Config, cities: &[std::sync::Arc<CitySource>]) -> Vec<Vec<String>> {
        cities
            .par_iter()
            .map(|c| {
                config
                    .languages
                    .iter()
                    .map(|lang| {
                        c.description
                            .get(&lang.code)
                            .map_or(String::new(), |d| render(d, &lang.code, self.urls).html)
                    })
                    .collect()
            })
            .collect()
    }
}

/// Makes the photo named in a body (a file name beside the article) into the site's files.
pub type PhotoLookup<'a> = dyn Fn(&str) -> Result<Arc<Photo>, String> + Sync + 'a;

/// An article body rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// XXH3-128 of `html`, made once: what page signatures count the body as.
    pub html_hash: u128,
    /// Plain text of the first paragraph, cut at a word near `SUMMARY_CHARS`.
    pub summary: String,
    /// Links and images that point into the site (not `https://…`, `mailto:`, `#…`), for
    /// `check` to follow.
    pub links: Vec<Link>,
    /// The article's photos: the front matter's (in its order), then those the body shows.
    pub photos: Vec<Arc<Photo>>,
    /// Photos in the body that could not be made: (line in the Markdown, what is wrong).
    photo_problems: Vec<(usize, String)>,
    /// HTML written in the body (not a comment): (line, its first characters).
    raw_html: Vec<(usize, String)>,
    /// Links and images whose address runs code (`javascript:`…): (line, the address).
    scripted: Vec<(usize, String)>,
}

/// What in a rendered body could run code in a reader's browser (or in the desk's preview): a
/// `javascript:` link always, HTML written in it unless `raw_html` allows it. Each is
/// (line in the Markdown, what to do).
fn unsafe_parts(r: &Rendered, raw_html: bool) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = r
        .scripted
        .iter()
        .map(|(line, to)| {
            (
                *line,
                format!(
                    "the link `{to}` would run code in readers' browsers: link to a page or a file (https://…, /ru/…)"
                ),
            )
        })
        .collect();
    if !raw_html {
        out.extend(r.raw_html.iter().map(|(line, html)| {
            (
                *line,
                format!(
                    "HTML in the text (`{html}`) is off: write it in Markdown; a site whose every editor is trusted may set [markdown] raw_html = true in site.toml"
                ),
            )
        }));
    }
    out.sort();
    out
}

/// The problems of `markdown` (a body as an editor wrote it) that [`SiteMarkdown::article`]
/// would refuse for its HTML and links: (line, message). The desk checks a save with it.
pub fn unsafe_html(markdown: &str, raw_html: bool) -> Vec<(usize, String)> {
    let urls = Urls::new("http://localhost/").expect("a fixed address");
    unsafe_parts(&render_with(markdown, "ru", &urls, None), raw_html)
}

/// Whether a link's address runs code when followed.
fn runs_code(dest: &str) -> bool {
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    dest.contains(':')
        && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
        && !dest.trim_start().to_ascii_lowercase().starts_with("data:image/")
}

/// A link or image in Markdown that should lead to a page or file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// As written: `/ru/cities/almaty/`, `photo.jpg`.
    pub written: String,
    /// As the page has it, after the base path was added.
    pub href: String,
    /// 1-based line within the Markdown.
    pub line: usize,
    pub image: bool,
}

/// How long an automatic summary may be.
pub const SUMMARY_CHARS: usize = 280;

/// Renders `markdown` with `quotes` as the language's double quotes; root-relative links and
/// images are made to work under the base path, and those that stay on the site are listed.
pub fn render(markdown: &str, lang: &str, urls: &Urls) -> Rendered {
    render_with(markdown, lang, urls, None)
}

/// Whether an image's address names a photo beside the article: a plain file name.
fn local_photo(dest: &str) -> bool {
    !dest.contains(['/', '\\', ':', '?', '#']) && crate::content::article::is_photo_name(dest)
}

fn render_with(markdown: &str, lang: &str, urls: &Urls, photo: Option<&PhotoLookup>) -> Rendered {
    let quotes = i18n::quotes(lang);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Vec::new();
    let mut walk = Walk::default();
    let mut links = Vec::new();
    let mut photos: Vec<Arc<Photo>> = Vec::new();
    let mut photo_problems = Vec::new();
    let mut raw_html = Vec::new();
    let mut scripted = Vec::new();
    // A photo's image being read: the photo and its alt text so far.
    let mut in_photo: Option<(Arc<Photo>, String)> = None;
    let href = |file: &str| urls.href(file);
    let mut lines = Lines::new(markdown);
    let mark_english = i18n::cyrillic(lang);
    let mut in_image = 0usize;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        // Only links, images and HTML are told by line.
        let line = match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::Html(_) | Event::InlineHtml(_) => {
                lines.of(range.start)
            }
            _ => 0,
        };
        match &event {
            Event::Html(h) | Event::InlineHtml(h) if !is_comment(h) && in_photo.is_none() => {
                let first: String = h.trim().chars().take(40).collect();
                if !raw_html.iter().any(|(l, _)| *l == line) {
                    raw_html.push((line, first));
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) if runs_code(dest_url) => {
                scripted.push((line, dest_url.to_string()));
            }
            _ => {}
        }
        if let Some((p, alt)) = &mut in_photo {
            match &event {
                Event::End(TagEnd::Image) => {
                    events.push(Event::InlineHtml(CowStr::from(crate::photos::picture_html(
                        p,
                        alt.trim(),
                        &href,
                    ))));
                    in_photo = None;
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                _ => {}
            }
            continue;
        }
        if let (Some(lookup), Event::Start(Tag::Image { dest_url, .. })) = (photo, &event) {
            if local_photo(dest_url) {
                match lookup(dest_url) {
                    Ok(p) => {
                        if !photos.iter().any(|q| q.key == p.key) {
                            photos.push(Arc::clone(&p));
                        }
                        in_photo = Some((p, String::new()));
                        continue;
                    }
                    Err(msg) => photo_problems.push((line, format!("photo `{dest_url}` {msg}"))),
                }
            }
        }
        links.extend(link_of(&event, line, urls));
        walk.see(&event, &mut events);
        match &event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image -= 1,
            _ => {}
        }
        match rewrite_event(event, walk.in_code, quotes, urls) {
            // An image's text is its `alt`: an attribute, no place for a mark.
            Event::Text(t) if mark_english && !walk.in_code && in_image == 0 => latin::mark(t, &mut events),
            event => events.push(event),
        }
    }
    let events = footnotes::to_bottom(events, i18n::footnote_back(lang));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Kept for the whole build: give back what growth over-allocated.
    html.shrink_to_fit();
    Rendered {
        html_hash: xxhash_rust::xxh3::xxh3_128(html.as_bytes()),
        html,
        summary: truncate_words(
            walk.summary.split_whitespace().collect::<Vec<_>>().join(" ").as_str(),
            SUMMARY_CHARS,
        ),
        links,
        photos,
        photo_problems,
        raw_html,
        scripted,
    }
}

/// Whether an HTML event is only a comment (`<!-- … -->`): harmless, kept out of pages anyway
/// by nothing but the browser, as Hugo and Zola treat it.
fn is_comment(html: &str) -> bool {
    let h = html.trim();
    h.len() >= 7 && h.starts_with("<!--") && h.ends_with("-->") && !h[4..h.len() - 3].contains("-->")
}

/// The line numbers of offsets into a text, counted from the offset asked for last (a parser's
/// events come nearly in order), not from the start each time: a body's lines are counted
/// about once, however many links it has.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    /// The 1-based line of `at`.
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset` (within the text).
    fn of(&mut self, offset: usize) -> usize {
        let newlines = |from: usize, to: usize| self.text[from..to].iter().filter(|&&b| b == b'\n').count();
        if offset >= self.at {
            self.line += newlines(self.at, offset);
        } else {
            self.line -= newlines(offset, self.at);
        }
        self.at = offset;
        self.line
    }
}

/// A link or image on line `line` that stays on the site, as written and as the page has it.
fn link_of(event: &Event, line: usize, urls: &Urls) -> Option<Link> {
    let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event else {
        return None;
    };
    let href = urls.rewrite_link(dest_url).unwrap_or_else(|| dest_url.to_string());
    urls.is_internal(&href).then(|| Link {
        written: dest_url.to_string(),
        href,
        line,
        image: matches!(event, Event::Start(Tag::Image { .. })),
    })
}

/// The event as the page has it: the language's quotes outside code, links and images made to
/// work under the base path.
fn rewrite_event<'e>(event: Event<'e>, in_code: bool, quotes: (char, char), urls: &Urls) -> Event<'e> {
    let rewrite_link = &|link: &str| urls.rewrite_link(link);
    match event {
        Event::Text(t) if !in_code => Event::Text(localize_quotes(t, quotes)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: rewrite(dest_url, rewrite_link),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: rewrite(dest_url, rewrite_link),
            title,
            id,
        }),
        other => other,
    }
}

/// Where the walk through a document is: in code or not, the first paragraph's text (the
/// summary), the heading being read and the heading ids given so far.
#[derive(Default)]
struct Walk {
    in_code: bool,
    summary: String,
    summary_state: SummaryState,
    depth: usize,
    heading_start: Option<usize>,
    ids: HashSet<String>,
}

impl Walk {
    /// Takes in `event`, the next after `events`; a heading that ends gets its id there.
    fn see(&mut self, event: &Event, events: &mut [Event]) {
        match event {
            Event::Start(tag) => {
                if self.depth == 0 && matches!(tag, Tag::Paragraph) && self.summary_state == SummaryState::Before {
                    self.summary_state = SummaryState::In;
                }
                self.depth += 1;
                if matches!(tag, Tag::CodeBlock(_)) {
                    self.in_code = true;
                }
                if matches!(tag, Tag::Heading { .. }) {
                    self.heading_start = Some(events.len());
                }
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 && self.summary_state == SummaryState::In {
                    self.summary_state = SummaryState::Done;
                }
                if matches!(tag, TagEnd::CodeBlock) {
                    self.in_code = false;
                }
                if matches!(tag, TagEnd::Heading(_)) {
                    if let Some(start) = self.heading_start.take() {
                        assign_heading_id(events, start, &mut self.ids);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if self.summary_state == SummaryState::In => self.summary.push_str(t),
            Event::SoftBreak | Event::HardBreak if self.summary_state == SummaryState::In => self.summary.push(' '),
            _ => {}
        }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
enum SummaryState {
    #[default]
    Before,
    In,
    Done,
}

fn rewrite<'a>(url: CowStr<'a>, rewrite_link: &dyn Fn(&str) -> Option<String>) -> CowStr<'a> {
    match rewrite_link(&url) {
        Some(new) => CowStr::from(new),
        None => url,
    }
}

fn localize_quotes(text: CowStr<'_>, (open, close): (char, char)) -> CowStr<'_> {
    if (open, close) == ('“', '”') || !text.contains(['“', '”']) {
        return text;
    }
    CowStr::from(
        text.chars()
            .map(|c| match c {
                '“' => open,
                '”' => close,
                c => c,
            })
            .collect::<String>(),
    )
}

/// Gives the heading that starts at `events[start]` an id from its text, unless it has one.
fn assign_heading_id(events: &mut [Event<'_>], start: usize, ids: &mut HashSet<String>) {
    let text: String = events[start..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
        let base = match id {
            Some(given) => given.to_string(),
            None => {
                let s = slugify(&text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let mut unique = base.clone();
        let mut n = 1;
        while !ids.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        *id = Some(CowStr::from(unique));
    }
}

/// At most `max` characters, cut at a word boundary with `…`.
pub fn truncate_words(text: &str, max: usize) -> String {
    match cut_words(text, max) {
        Some(cut) => format!("{cut}…"),
        None => text.to_string(),
    }
}

/// [`truncate_words`] of a text already owned: kept as it is when it fits.
pub fn truncate_words_owned(text: String, max: usize) -> String {
    match cut_words(&text, max) {
        Some(cut) => format!("{cut}…"),
        None => text,
    }
}

/// The part of `text` [`truncate_words`] keeps before its ellipsis, if `text` is longer than
/// `max` characters.
pub(crate) fn cut_words(text: &str, max: usize) -> Option<&str> {
    // Counting characters is quicker than walking them: most texts fit.
    if text.len() <= max || text.chars().count() <= max {
        return None;
    }
    let (end, _) = text.char_indices().nth(max)?;
    let cut = &text[..end];
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut,
    };
    Some(cut.trim_end_matches([',', ';', ':', '.', ' ', '—', '–']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Rendered {
        render(text, "ru", &Urls::new("https://example.org/portal/").unwrap())
    }

    #[test]
    fn lines_of_offsets_asked_in_any_order_are_counted_from_the_start() {
        let text = "one\ntwo\n\nfour [x](y)\nfive\n";
        let mut lines = Lines::new(text);
        let expect = |at: usize| text[..at].matches('\n').count() + 1;
        for at in [0, 5, 4, 3, 9, 10, 25, 12, 1, text.len(), 0, text.len() - 1] {
            assert_eq!(lines.of(at), expect(at), "offset {at}");
        }
    }

    #[test]
    fn truncation_cuts_at_a_word_within_the_limit_and_keeps_what_fits() {
        assert_eq!(truncate_words("Шаңхай", 6), "Шаңхай", "six letters fit in six");
        assert_eq!(truncate_words_owned("Шаңхай".into(), 6), "Шаңхай");
        assert_eq!(truncate_words("Алматы мен Шаңхай", 14), "Алматы мен…");
        assert_eq!(truncate_words_owned("Алматы мен Шаңхай".into(), 14), "Алматы мен…");
        // No space past the middle: cut inside the word, punctuation dropped before the `…`.
        assert_eq!(truncate_words("a, Шаңхайлықтар", 10), "a, Шаңхайл…");
        assert_eq!(truncate_words("Қонаев, Алматы", 8), "Қонаев…");
    }

    #[test]
    fn quotes_follow_the_language_outside_code() {
        let r = md("Программа \"1+4\" и “Туран”, `\"code\"`\n\n```\n\"block\"\n```\n");
        assert!(r.html.contains("Программа «1+4» и «Туран»"), "{}", r.html);
        assert!(r.html.contains("<code>\"code\"</code>"), "{}", r.html);
        assert!(r.html.contains("\"block\""), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_latin_ids() {
        let r = md("## Сотрудничество\n\n## Сотрудничество\n\n## Білім {#edu}\n");
        assert!(r.html.contains("<h2 id=\"sotrudnichestvo\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"sotrudnichestvo-1\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"edu\">"), "{}", r.html);
    }

    #[test]
    fn tables_footnotes_strikethrough_and_dashes() {
        let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\nТекст[^1] ~~старое~~ -- новое --- да\n\n[^1]: Сноска.\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>старое</del>"));
        assert!(r.html.contains("– новое — да"), "{}", r.html);
        assert!(r.html.ends_with("<li id=\"fn-1\">\n<p>Сноска. <a href=\"#fnref-1\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"Вернуться к тексту\"></a></p>\n</li>\n</ol>\n</section>\n"), "{}", r.html);
    }

    #[test]
    fn root_relative_links_and_images_are_rewritten() {
        let r = md("[город](/ru/cities/almaty/) ![фото](/img/a.jpg) [внешняя](https://gov.kz/)");
        assert!(r.html.contains("href=\"/portal/ru/cities/almaty/\""));
        assert!(r.html.contains("src=\"/portal/img/a.jpg\""));
        assert!(r.html.contains("href=\"https://gov.kz/\""));
    }

    #[test]
    fn summary_is_the_first_paragraph_as_plain_text() {
        let r = md("## Заголовок\n\nПервый **абзац**\nс `кодом`.\n\nВторой абзац.\n");
        assert_eq!(r.summary, "Первый абзац с кодом.");
        let long = "слово ".repeat(100);
        let r = md(&long);
        assert!(r.summary.chars().count() <= SUMMARY_CHARS + 1);
        assert!(r.summary.ends_with("слово…"), "{}", r.summary);
    }

    #[test]
    fn internal_links_and_images_are_recorded_with_lines() {
        let r = md(
            "Текст.\n\n[город](/ru/cities/almaty/#x) и [внешняя](https://gov.kz/), [якорь](#a)\n\n![фото](img/a.jpg)\n",
        );
        let got: Vec<_> = r
            .links
            .iter()
            .map(|l| (l.written.as_str(), l.href.as_str(), l.line, l.image))
            .collect();
        assert_eq!(
            got,
            [
                ("/ru/cities/almaty/#x", "/portal/ru/cities/almaty/#x", 3, false),
                ("img/a.jpg", "img/a.jpg", 5, true)
            ]
        );
    }

    #[test]
    fn english_words_in_a_cyrillic_text_are_marked_but_not_in_code_or_an_image_text() {
        let r = md("При поддержке **British Council** и `Some Code`.\n\n![Almaty Towers](https://e.org/a.jpg)\n\n    Code Block\n");
        assert!(
            r.html
                .contains("<strong><span lang=\"en\">British Council</span></strong>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<code>Some Code</code>"), "{}", r.html);
        assert!(r.html.contains("alt=\"Almaty Towers\""), "{}", r.html);
        assert!(r.html.contains("<code>Code Block\n</code>"), "{}", r.html);
        let urls = Urls::new("https://example.org/").unwrap();
        assert!(render("Saw British Council", "en", &urls)
            .html
            .contains("<p>Saw British Council</p>"));
        assert!(render("British Council мен", "kk", &urls)
            .html
            .contains("<span lang=\"en\">British Council</span> мен"));
    }

    #[test]
    fn raw_html_is_kept() {
        assert!(md("<div class=\"x\">Текст</div>\n").html.contains("<div class=\"x\">"));
    }

    #[test]
    fn html_in_a_body_is_refused_unless_the_site_allows_it_and_scripted_links_always() {
        let md = "Text.\n\n<div onclick=\"x()\">a</div>\n\nInline <b>bold</b> here.\n\n[a](JavaScript:alert(1)) ![i](data:image/png;base64,AAAA) [d](data:text/html,x)\n\n<!-- a note -->\n\n    <script>in code</script>\n";
        let off = unsafe_html(md, false);
        let lines: Vec<usize> = off.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![3, 5, 7, 7], "{off:?}");
        assert!(
            off.iter().filter(|(_, m)| m.contains("would run code")).count() == 2,
            "{off:?}"
        );
        let on = unsafe_html(md, true);
        assert_eq!(on.len(), 2, "raw_html keeps the scripted links out: {on:?}");
        assert!(is_comment("<!-- x -->") && !is_comment("<!-- x --><script>") && !is_comment("<!-->"));
    }
}
