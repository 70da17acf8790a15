//! Footnotes gathered at the end of a text, as a numbered list with links both ways (Zola's
//! `bottom_footnotes`): pulldown-cmark leaves each definition where it is written, as a bare
//! number and a paragraph in the middle of the article, with no way back to the reference.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// `events` with each footnote reference a numbered link (numbered in order of first reference)
/// and the definitions moved to a `<section class="footnotes">` at the end, each with a link
/// back to its first reference labelled `back`. A definition never referred to is listed
/// after the others, without a link back; a text without footnotes is returned as it was.
pub fn to_bottom<'a>(events: Vec<Event<'a>>, back: &str) -> Vec<Event<'a>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
    {
        return events;
    }
    let mut text = Vec::with_capacity(events.len());
    // Definitions by label, in the order written.
    let mut definitions: Vec<(CowStr<'a>, Vec<Event<'a>>)> = Vec::new();
    let mut inside: Option<(CowStr<'a>, Vec<Event<'a>>)> = None;
    // Labels in order of first reference, with how often each was referred to.
    let mut order: Vec<(CowStr<'a>, usize)> = Vec::new();
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => inside = Some((label, Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => definitions.extend(inside.take()),
            Event::FootnoteReference(label) => {
                let (n, seen) = match order.iter().position(|(l, _)| *l == label) {
                    Some(i) => {
                        order[i].1 += 1;
                        (i + 1, order[i].1)
                    }
                    None => {
                        order.push((label, 1));
                        (order.len(), 1)
                    }
                };
                let id = if seen == 1 {
                    format!("fnref-{n}")
                } else {
                    format!("fnref-{n}-{seen}")
                };
                let html = format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\" role=\"doc-noteref\">{n}</a></sup>"
                );
                match &mut inside {
                    Some((_, body)) => body.push(Event::InlineHtml(html.into())),
                    None => text.push(Event::InlineHtml(html.into())),
                }
            }
            other => match &mut inside {
                Some((_, body)) => body.push(other),
                None => text.push(other),
            },
        }
    }
    let mut listed: Vec<(Option<usize>, Vec<Event<'a>>)> = Vec::new();
    for (n, (label, _)) in order.iter().enumerate() {
        if let Some(i) = definitions.iter().position(|(l, _)| l == label) {
            listed.push((Some(n + 1), definitions.remove(i).1));
        }
    }
    listed.extend(definitions.into_iter().map(|(_, body)| (None, body)));
    text.push(Event::Html(
        "<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n".into(),
    ));
    for (number, mut body) in listed {
        let li = match number {
            Some(n) => format!("<li id=\"fn-{n}\">"),
            None => "<li>".to_string(),
        };
        text.push(Event::Html(li.into()));
        if let Some(n) = number {
            let link = Event::InlineHtml(
                format!(
                    " <a href=\"#fnref-{n}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"{back}\"></a>"
                )
                .into(),
            );
            // Inside the last paragraph, so that it ends the note's line. Its arrow is drawn by
            // the style sheet: the page's text (and the search index made from it) has none.
            match body.iter().rposition(|e| matches!(e, Event::End(TagEnd::Paragraph))) {
                Some(at) if at + 1 == body.len() => body.insert(at, link),
                _ => body.push(link),
            }
        }
        text.extend(body);
        text.push(Event::Html("</li>\n".into()));
    }
    text.push(Event::Html("</ol>\n</section>\n".into()));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        let events: Vec<Event> =
            pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_FOOTNOTES).collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, to_bottom(events, "Назад").into_iter());
        out
    }

    #[test]
    fn notes_go_to_the_end_numbered_by_first_reference_with_links_both_ways() {
        let out = html("Текст[^b] и ещё[^a], снова[^b].\n\n[^a]: Первая.\n\n[^b]: Вторая.\n\nКонец.\n");
        assert_eq!(
            out,
            "<p>Текст<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\">1</a></sup> и ещё\
             <sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\" role=\"doc-noteref\">2</a></sup>, снова\
             <sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1-2\" role=\"doc-noteref\">1</a></sup>.</p>\n\
             <p>Конец.</p>\n<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n\
             <li id=\"fn-1\">\n<p>Вторая. <a href=\"#fnref-1\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"Назад\"></a></p>\n</li>\n\
             <li id=\"fn-2\">\n<p>Первая. <a href=\"#fnref-2\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"Назад\"></a></p>\n</li>\n\
             </ol>\n</section>\n"
        );
    }

    #[test]
    fn a_text_without_notes_is_untouched_and_an_unreferred_note_is_kept() {
        assert_eq!(html("Просто текст.\n"), "<p>Просто текст.</p>\n");
        let out = html("Текст.\n\n[^x]: Забытая сноска.\n");
        assert!(out.contains("<li>\n<p>Забытая сноска.</p>\n</li>"), "{out}");
    }
}
