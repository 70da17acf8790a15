//! Tera's reports made into what a template developer acts on: every template named by its
//! path (`templates/article.html:4:45`), a "did you mean" for an unknown filter, test or
//! function, and a hint where a Tera 1 habit is the cause (`a.0`, a filter Tera 2 renamed).

use tera::Tera;

use super::templates::TEMPLATES_DIR;

/// Filters Tera 1 had that Tera 2 renamed or dropped, with what to write now.
const TERA1_FILTERS: &[(&str, &str)] = &[
    ("linebreaksbr", "`newlines_to_br`"),
    ("escape", "`escape_html`"),
    ("as_str", "`str`"),
    (
        "date",
        "nothing: write the dates the page has (`article.date`, `article.date_iso`)",
    ),
    (
        "json_encode",
        "`json_encode` is gone: a page's data is in its variables already",
    ),
    ("filesizeformat", "nothing: Tera 2 has no `filesizeformat`"),
];

/// `report` (Tera's text of an error) with its templates named by path and its hints added;
/// `source` gives a template's text by name, where one is needed (an unclosed tag).
pub fn explain(report: &str, tera: &Tera, source: &dyn Fn(&str) -> Option<String>) -> String {
    let mut text = report.replace("--> ", &format!("--> {TEMPLATES_DIR}/"));
    let mut notes = Vec::new();
    if report.contains("Unknown tag") {
        notes.extend(unclosed(report, source));
    }
    for (kind, names) in [
        ("filter", tera.filter_names()),
        ("test", tera.test_names()),
        ("function", tera.function_names()),
    ] {
        for unknown in quoted_after(report, &format!("Unknown {kind} `")) {
            if kind == "filter" {
                if let Some((_, now)) = TERA1_FILTERS.iter().find(|(old, _)| *old == unknown) {
                    notes.push(format!("`{unknown}` is a Tera 1 filter; in Tera 2 write {now}"));
                    continue;
                }
            }
            let near = crate::diagnostics::near_matches(&unknown, names.iter().copied(), 3);
            if !near.is_empty() {
                let near: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
                notes.push(format!("{kind} `{unknown}`: did you mean {}?", near.join(", ")));
            }
        }
    }
    if report.contains("Found float but expected") || report.contains("Found an integer but expected") {
        notes.push("Tera 2 reads `a.0` as a number: write an item of a list as `a[0]` (`article.tags[0].name`)".into());
    }
    for note in notes {
        text.push_str("\n  = help: ");
        text.push_str(&note);
    }
    text
}

/// Where Tera met an end tag it did not expect (`Unknown tag` at `{% endblock %}`): the tag
/// opened before it and never closed, by the template's text.
fn unclosed(report: &str, source: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let at = report.split("--> ").nth(1)?;
    let mut parts = at.split(':');
    let name = parts.next()?.trim();
    let line: usize = parts.next()?.trim().parse().ok()?;
    let text = source(name)?;
    let offset: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let mut open: Vec<(&str, usize)> = Vec::new();
    for (start, tag) in tags(&text) {
        let word = tag.split_whitespace().next().unwrap_or("");
        let line_of = |at: usize| text[..at].matches('\n').count() + 1;
        if start >= offset {
            // The failing tag: an end tag whose opener is not the last one open.
            let ends = word.strip_prefix("end")?;
            let (opener, opened) = open.last()?;
            return (*opener != ends).then(|| {
                format!(
                    "the `{{% {opener} %}}` opened on line {} is never closed: add `{{% end{opener} %}}` before line {line}",
                    line_of(*opened)
                )
            });
        }
        match word {
            "if" | "for" | "block" | "filter" | "component" | "raw" => open.push((word, start)),
            w if w.starts_with("end") => {
                if let Some(at) = open.iter().rposition(|(o, _)| *o == &w[3..]) {
                    open.truncate(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The statement tags of a template (`{% … %}`, trimming marks dropped), with where each
/// starts.
fn tags(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(rel) = text[at..].find("{%") {
        let start = at + rel;
        let Some(len) = text[start..].find("%}") else { break };
        let inner = text[start + 2..start + len].trim_matches('-').trim();
        found.push((start, inner));
        at = start + len + 2;
    }
    found
}

/// Every name written between `prefix` and the next backquote in `text`.
fn quoted_after(text: &str, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .match_indices(prefix)
        .filter_map(|(at, _)| text[at + prefix.len()..].split('`').next())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(source: &str) -> String {
        let mut tera = Tera::default();
        let err = tera.add_raw_template("article.html", source).unwrap_err();
        let text = source.to_string();
        explain(&format!("{err}"), &tera, &|_| Some(text.clone()))
    }

    #[test]
    fn a_tag_never_closed_is_named_where_it_opened() {
        let text =
            compile("{% block main %}\n{% for t in tags %}\n{% if t %}\n<p>x</p>\n{% endfor %}\n{% endblock main %}\n");
        assert!(
            text.contains("the `{% if %}` opened on line 3 is never closed: add `{% endif %}` before line 5"),
            "{text}"
        );
        let text = compile("{% block main %}\n{% if t %}\n{% endblock main %}\n");
        assert!(text.contains("`{% if %}` opened on line 2"), "{text}");
    }

    #[test]
    fn a_misspelt_filter_gets_the_names_near_it() {
        let text = compile("{{ title | uper }}");
        assert!(text.contains("--> templates/article.html:1:"), "{text}");
        assert!(text.contains("filter `uper`: did you mean `upper`?"), "{text}");
    }

    #[test]
    fn tera1_filters_and_indexes_get_what_to_write_now() {
        let text = compile("{{ body | linebreaksbr }}");
        assert!(
            text.contains("`linebreaksbr` is a Tera 1 filter; in Tera 2 write `newlines_to_br`"),
            "{text}"
        );
        let text = compile("{{ article.tags.0.name }}");
        assert!(text.contains("write an item of a list as `a[0]`"), "{text}");
    }

    #[test]
    fn a_name_far_from_every_filter_gets_no_guess() {
        let text = compile("{{ title | zzzzzzzz }}");
        assert!(text.contains("Unknown filter `zzzzzzzz`"), "{text}");
        assert!(!text.contains("did you mean"), "{text}");
    }
}
