//! Structured data (JSON-LD) for search engines and news aggregators: `NewsArticle` on every
//! article page, `WebSite` and the publisher's `Organization` on each home page. Built as JSON
//! values and written into the page's view as text safe inside `<script>`: no title, however
//! hostile, can close the script element.

use serde_json::{json, Value};

use super::Renderer;
use crate::model::{CityId, EntryId, LangId};
use crate::urls::Urls;

/// JSON text that stays inside `<script type="application/ld+json">`: `<`, `>` and `&` (which
/// could end the script or start a comment in it) and the line separators JavaScript once
/// refused are written as `\u` escapes, which JSON reads back as the same characters.
pub fn script_text(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

impl Renderer<'_> {
    /// The publisher: the site itself, named in `lang`, with its icon as logo.
    fn organization(&self, lang: LangId) -> Value {
        json!({
            "@type": "Organization",
            "@id": self.home_id(lang, "organization"),
            "name": self.lang(lang).language.title,
            "url": self.urls.base_url(),
            "logo": {"@type": "ImageObject", "url": self.urls.permalink("favicon.svg")},
        })
    }

    /// The id of the site's `thing` as named in `lang` (each language names it in its own words).
    fn home_id(&self, lang: LangId, thing: &str) -> String {
        format!("{}#{thing}", self.urls.permalink(&Urls::home(self.code(lang), 1)))
    }

    /// A place from the city registry, named in `lang`, with its coordinates when it has them.
    fn place(&self, lang: LangId, city: CityId) -> Value {
        let mut place = json!({"@type": "Place", "name": self.lang(lang).cities[city].name});
        if let Some([latitude, longitude]) = self.model.cities[city].source.coordinates {
            place["geo"] = json!({"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude});
        }
        place
    }

    /// `NewsArticle` for entry `id`, whose page is at `path`. The version in the site's first
    /// language that has one is the original; the others are its translations.
    pub(super) fn news_article(&self, id: EntryId, path: &str) -> String {
        let e = &self.model.entries[id];
        let card = &self.card(id).value;
        let permalink = self.urls.permalink(path);
        let version = |l: LangId, t: EntryId| json!({"@type": "NewsArticle", "@id": self.urls.permalink(&Urls::article(self.code(l), self.model.entries[t].stem())), "inLanguage": self.code(l)});
        let versions: Vec<(LangId, EntryId)> = LangId::each(&e.translations)
            .filter_map(|(l, t)| t.map(|t| (l, t)))
            .collect();
        // The site writes its articles and publishes them.
        let publisher = self.organization(e.lang);
        let mut article = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "@id": permalink,
            "mainEntityOfPage": {"@type": "WebPage", "@id": permalink},
            "url": permalink,
            "headline": e.source().title,
            "description": card.summary,
            "datePublished": e.date().rfc3339(),
            "dateModified": e.updated().unwrap_or(e.date()).rfc3339(),
            "inLanguage": self.code(e.lang),
            "author": publisher.clone(),
            "publisher": publisher,
            "spatialCoverage": std::iter::once(e.region)
                .chain(e.partners.iter().copied())
                .map(|c| self.place(e.lang, c))
                .collect::<Vec<_>>(),
        });
        if let Some(image) = self.preview_image(id) {
            article["image"] =
                json!({"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height});
        }
        let tags: Vec<&str> = e.tags.iter().map(|&t| self.lang(e.lang).tags[t].name).collect();
        if !tags.is_empty() {
            article["keywords"] = json!(tags.join(", "));
        }
        match versions.first() {
            Some(&(l, t)) if t != id => article["translationOfWork"] = version(l, t),
            _ if versions.len() > 1 => {
                article["workTranslation"] = versions.iter().skip(1).map(|&(l, t)| version(l, t)).collect();
            }
            _ => {}
        }
        script_text(&article)
    }

    /// `WebSite` and its publisher, for the home page in `lang`.
    pub(super) fn website(&self, lang: LangId) -> String {
        let graph = json!({
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "WebSite",
                    "@id": self.home_id(lang, "website"),
                    "name": self.lang(lang).language.title,
                    "description": self.lang(lang).language.description,
                    "url": self.urls.permalink(&Urls::home(self.code(lang), 1)),
                    "inLanguage": self.code(lang),
                    "publisher": {"@id": self.home_id(lang, "organization")},
                },
                self.organization(lang),
            ],
        });
        script_text(&graph)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_script_and_reads_back_the_same() {
        let hostile = json!({"headline": "</script><script>alert(1)</script> & <!-- \u{2028}"});
        let text = script_text(&hostile);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, hostile);
    }
}
