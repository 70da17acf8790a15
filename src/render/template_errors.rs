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
    let mut text = report
        .replace("--> ", &format!("--> {TEMPLATES_DIR}/"))
        .replace("note: called from ", &format!("note: called from {TEMPLATES_DIR}/"));
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
    if report.contains(super::components::FILLED_IN) {
        notes.push(format!(
            "{TEMPLATES_DIR}/{} is not a file: it holds the built-in components the site's templates do not define",
            super::components::FILLED_IN
        ));
    }
    for (what, unknown, available) in undefined(report) {
        let near = crate::diagnostics::near_matches(&unknown, available.iter().map(String::as_str), 3);
        if !near.is_empty() {
            let near: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
            notes.push(format!("{what} `{unknown}`: did you mean {}?", near.join(", ")));
        }
        // A long list (every `ui` string) says less than the names near it, and differs from
        // one language to the other: left out, so one error on many pages reads as one.
        if available.len() > 12 {
            let list = available.join(", ");
            text = text.replace(
                &format!("Available {what}s: {list}"),
                &format!("It has many {what}s: `twinpress templates` lists them"),
            );
        }
    }
    if report.contains("in component call") {
        notes.extend(component_call(report));
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

/// Each "Field `x` is not defined. Available fields: a, b" (or variable) of `report`: the kind,
/// the unknown name and the names there are.
fn undefined(report: &str) -> Vec<(&'static str, String, Vec<String>)> {
    let mut found = Vec::new();
    for (what, head) in [("field", "Field `"), ("variable", "Variable `")] {
        for (i, _) in report.match_indices(head) {
            let rest = &report[i + head.len()..];
            let Some((name, rest)) = rest.split_once('`') else {
                continue;
            };
            let Some(rest) = rest.strip_prefix(" is not defined. ") else {
                continue;
            };
            let Some(list) = rest.strip_prefix(&format!("Available {what}s: ")) else {
                continue;
            };
            let list = list.lines().next().unwrap_or_default();
            let names = list
                .split(", ")
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            found.push((what, name.to_string(), names));
        }
    }
    found
}

/// For a call of a built-in component that the site defined with other parameters: what the
/// built-in templates call it with.
fn component_call(report: &str) -> Option<String> {
    let call = report.split("{{ <").nth(1)?;
    let name: String = call.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let built_in = super::components::definitions(super::components::BUILT_IN)
        .into_iter()
        .find(|d| d.name == name)?;
    Some(format!(
        "the built-in templates call the component `{name}` as `{name}({})`: define yours with all of \
         these parameters, even those it does not show (`twinpress templates` lists every component's)",
        built_in.params
    ))
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

/// Whether a render failed on the loop limit (`[templates] loop_limit`).
pub fn is_loop_limit(e: &anyhow::Error) -> bool {
    format!("{e:#}").contains("loop_limit")
}

/// How many different errors are shown whole; the others are counted.
const SHOWN_WHOLE: usize = 3;
/// How many more pages with the same error are named.
const NAMED: usize = 10;

/// The pages' results, or one error that lists every failing page: each different error in full
/// with the first page it failed, then the other pages it failed by address (the first few
/// errors, then a count of the rest).
pub fn all_pages<T>(results: Vec<anyhow::Result<T>>) -> anyhow::Result<Vec<T>> {
    let mut ok = Vec::with_capacity(results.len());
    // Each different cause, with the pages (their errors' outer lines) it failed.
    let mut causes: Vec<(String, Vec<anyhow::Error>)> = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(e) => {
                let cause: Vec<String> = e.chain().skip(1).map(|c| c.to_string()).collect();
                let cause = cause.join("\n");
                match causes.iter_mut().find(|(c, _)| *c == cause) {
                    Some((_, pages)) => pages.push(e),
                    None => causes.push((cause, vec![e])),
                }
            }
        }
    }
    let n: usize = causes.iter().map(|(_, p)| p.len()).sum();
    if n == 0 {
        return Ok(ok);
    }
    if n == 1 {
        return Err(causes.remove(0).1.remove(0));
    }
    let mut text = Vec::new();
    for (_, pages) in causes.iter().take(SHOWN_WHOLE) {
        let mut part = format!("{:#}", pages[0]);
        if pages.len() > 1 {
            let named: Vec<String> = pages[1..].iter().take(NAMED).map(|e| format!("  {e}")).collect();
            part.push_str(&format!(
                "\nThe same error on {} more page{}:\n{}",
                pages.len() - 1,
                if pages.len() == 2 { "" } else { "s" },
                named.join("\n")
            ));
            if pages.len() - 1 > NAMED {
                part.push_str(&format!("\n  … and {} more", pages.len() - 1 - NAMED));
            }
        }
        text.push(part);
    }
    if causes.len() > SHOWN_WHOLE {
        let rest: usize = causes[SHOWN_WHOLE..].iter().map(|(_, p)| p.len()).sum();
        text.push(format!(
            "{} other errors on {rest} more pages (mend those above and build again to see them)",
            causes.len() - SHOWN_WHOLE
        ));
    }
    Err(anyhow::anyhow!("{}", text.join("\n\n")).context(format!("{n} pages failed to render")))
}

#[cfg(test)]
mod all_pages_tests {
    use super::*;

    fn failed(page: &str, cause: &str) -> anyhow::Result<()> {
        Err(anyhow::anyhow!("{cause}").context(format!("Failed to render {page}")))
    }

    #[test]
    fn one_error_on_many_pages_is_shown_once_with_the_pages_named() {
        let results = vec![
            Ok(()),
            failed("/ru/a/", "X"),
            failed("/kk/a/", "X"),
            failed("/ru/b/", "Y"),
        ];
        let e = all_pages(results).unwrap_err();
        let text = format!("{e:#}");
        assert!(text.starts_with("3 pages failed to render: Failed to render /ru/a/: X\nThe same error on 1 more page:\n  Failed to render /kk/a/"), "{text}");
        assert!(text.ends_with("Failed to render /ru/b/: Y"), "{text}");
        assert_eq!(all_pages(vec![Ok(1), Ok(2)]).unwrap(), [1, 2]);
        let one = all_pages(vec![failed("/ru/a/", "X")]).unwrap_err();
        assert_eq!(format!("{one:#}"), "Failed to render /ru/a/: X");
    }

    #[test]
    fn past_three_different_errors_the_rest_are_counted() {
        let results = (0..5).map(|i| failed(&format!("/p{i}/"), &format!("E{i}"))).collect();
        let text = format!("{:#}", all_pages::<()>(results).unwrap_err());
        assert!(text.contains("E2") && !text.contains("E3"), "{text}");
        assert!(text.contains("2 other errors on 2 more pages"), "{text}");
    }
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
