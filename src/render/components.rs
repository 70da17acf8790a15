//! The built-in components (`templates/components.html`) and a site's own: every built-in
//! template calls a component by its documented name, so a site that defines one again (in any
//! of its templates) changes it on every page that shows it, and gets the built-in definition
//! of each it does not define.

/// The built-in components' definitions.
pub const BUILT_IN: &str = include_str!("../../templates/components.html");

/// The template that holds the built-in definitions a site's own templates leave out.
pub const FILLED_IN: &str = "twinpress-components.html";

/// One component definition in a template's text: its name, parameters and whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition<'t> {
    pub name: &'t str,
    /// As written between the parentheses: `articles, ui, level=2`.
    pub params: &'t str,
    /// From `{% component` to the end of `{% endcomponent … %}`.
    pub text: &'t str,
}

/// Every component defined in `text`, in order.
pub fn definitions(text: &str) -> Vec<Definition<'_>> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(at) = find_tag(text, rest, "component") {
        let open_end = text[at..].find("%}").map_or(text.len(), |e| at + e + 2);
        let head = text[at..open_end]
            .trim_start_matches("{%")
            .trim_start_matches('-')
            .trim_start()
            .trim_start_matches("component")
            .trim_start();
        let name_len = head
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(head.len());
        let name = &head[..name_len];
        let params = head[name_len..]
            .trim_start()
            .strip_prefix('(')
            .and_then(|p| p.rfind(')').map(|e| p[..e].trim()))
            .unwrap_or("");
        let end = find_tag(text, open_end, "endcomponent")
            .and_then(|e| text[e..].find("%}").map(|c| e + c + 2))
            .unwrap_or(text.len());
        if !name.is_empty() {
            out.push(Definition {
                name,
                params,
                text: &text[at..end],
            });
        }
        rest = end;
    }
    out
}

/// Where the next `{% word` (or `{%- word`) tag starts at or after `from`.
fn find_tag(text: &str, from: usize, word: &str) -> Option<usize> {
    let mut i = from;
    while let Some(at) = text[i..].find("{%").map(|a| a + i) {
        let after = text[at + 2..].trim_start_matches('-').trim_start();
        if after
            .strip_prefix(word)
            .is_some_and(|r| r.starts_with(|c: char| !c.is_alphanumeric() && c != '_'))
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// The built-in definitions of the components no template of `own` defines, as one template's
/// text (empty when the site defines them all), to load instead of the built-in components.html;
/// `None` when the site has no components.html of its own and defines no component: then the
/// built-in components.html is loaded whole.
pub fn filled_in(own: &[(String, String)]) -> Option<String> {
    let defined: Vec<&str> = own.iter().flat_map(|(_, t)| definitions(t)).map(|d| d.name).collect();
    if !own.iter().any(|(name, _)| name == "components.html") && defined.is_empty() {
        return None;
    }
    let missing: Vec<&str> = definitions(BUILT_IN)
        .into_iter()
        .filter(|d| !defined.contains(&d.name))
        .map(|d| d.text)
        .collect();
    Some(missing.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_definition_with_its_parameters() {
        let text = "x{% component a(p, q=2) %}A{% endcomponent a %}\n{%- component b_c() -%}B{%- endcomponent b_c -%}";
        let d = definitions(text);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].name, d[0].params, d[0].text),
            ("a", "p, q=2", "{% component a(p, q=2) %}A{% endcomponent a %}")
        );
        assert_eq!((d[1].name, d[1].params), ("b_c", ""));
        assert!(d[1].text.ends_with("{%- endcomponent b_c -%}"));
    }

    #[test]
    fn the_built_in_components_are_the_documented_ones() {
        let names: Vec<&str> = definitions(BUILT_IN).iter().map(|d| d.name).collect();
        assert_eq!(
            names,
            ["city_links", "card", "cards", "paginator", "lead_photo", "gallery"]
        );
    }

    #[test]
    fn a_site_gets_the_built_in_components_it_does_not_define() {
        let own = vec![(
            "components.html".to_string(),
            "{% component card(a, level) %}mine{% endcomponent card %}".to_string(),
        )];
        let filled = filled_in(&own).unwrap();
        assert!(filled.contains("{% component cards("), "{filled}");
        assert!(
            !filled.contains("{% component card("),
            "the site's own card is kept: {filled}"
        );
        assert_eq!(filled_in(&[]), None, "a site without templates loads the built-in file");
        let own = vec![(
            "article.html".to_string(),
            "{% component card(a, level) %}{% endcomponent card %}".to_string(),
        )];
        assert!(
            !filled_in(&own).unwrap().contains("component card("),
            "defined in another template"
        );
    }
}
