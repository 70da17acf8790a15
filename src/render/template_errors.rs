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

/// `report` (Tera's text of an error) with its templates named by path and its hints added.
pub fn explain(report: &str, tera: &Tera) -> String {
    let mut text = report.replace("--> ", &format!("--> {TEMPLATES_DIR}/"));
    let mut notes = Vec::new();
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
        explain(&format!("{err}"), &tera)
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
