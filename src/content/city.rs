//! One city, region, province or country: `content/cities/<key>.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::article::{parse_date, ArticleDate, KeyRef};
use crate::diagnostics::{line_col, toml_problem, Problem};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCity {
    kind: Spanned<String>,
    country: Spanned<String>,
    #[serde(default)]
    coordinates: Option<Spanned<[f64; 2]>>,
    name: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    description: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    agreements: Vec<RawAgreement>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    /// Anything else, for templates (`city.extra`).
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    with: Spanned<String>,
    date: Spanned<toml::Value>,
    title: Spanned<BTreeMap<String, String>>,
}

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    City,
    Region,
    Province,
    Country,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Province => "province",
            Kind::Country => "country",
        }
    }
}

/// One parsed city file.
#[derive(Debug, Clone)]
pub struct CitySource {
    pub path: PathBuf,
    pub key: String,
    pub kind: Kind,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// Latitude, longitude.
    pub coordinates: Option<[f64; 2]>,
    /// Name per language code.
    pub name: BTreeMap<String, String>,
    /// Markdown description per language code.
    pub description: BTreeMap<String, String>,
    pub agreements: Vec<AgreementSource>,
    /// The keys it had before a rename: their pages lead to its own.
    pub aliases: Vec<KeyRef>,
    /// `[extra]`: anything else, passed to templates as `city.extra`.
    pub extra: toml::Table,
}

impl CitySource {
    /// Its name in the language `code` (its key where it has none).
    pub fn name_in(&self, code: &str) -> &str {
        self.name.get(code).map_or(self.key.as_str(), String::as_str)
    }
}

/// A signed agreement, as written in one city's file.
#[derive(Debug, Clone)]
pub struct AgreementSource {
    pub with: KeyRef,
    pub date: ArticleDate,
    /// Whether the source gives the day or only the year (`date = 2017`).
    pub year_only: bool,
    /// Title per language code.
    pub title: BTreeMap<String, String>,
}

/// Parses the city file `path` (key `key`); `languages` are the site's language codes, each of
/// which needs a name.
pub fn parse(path: &Path, key: &str, text: &str, languages: &[&str]) -> Result<CitySource, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawCity = toml::from_str(text).map_err(|e| vec![toml_problem(path, text, 1, &e)])?;
    let file = CityFile { path, text, languages };
    let line = |span: std::ops::Range<usize>| file.line(span);
    let mut problems = Vec::new();
    let kind = file.kind(&raw, &mut problems);
    let country = raw.country.get_ref().clone();
    problems.extend(file.lang_problems(&raw.name, "name", true));
    if let Some(d) = &raw.description {
        problems.extend(file.lang_problems(d, "description", false));
    }
    let mut agreements = Vec::new();
    for a in &raw.agreements {
        problems.extend(file.lang_problems(&a.title, "agreement title", true));
        match parse_agreement_date(&a.date) {
            Ok((date, year_only)) => agreements.push(AgreementSource {
                with: KeyRef {
                    key: a.with.get_ref().clone(),
                    line: line(a.with.span()),
                },
                date,
                year_only,
                title: a.title.get_ref().clone(),
            }),
            Err(msg) => problems.push(Problem::at(path, line(a.date.span()), msg)),
        }
    }
    let mut aliases = Vec::new();
    for a in &raw.aliases {
        let line = line(a.span());
        if crate::config::is_key(a.get_ref()) && a.get_ref() != key {
            aliases.push(KeyRef {
                key: a.get_ref().clone(),
                line,
            });
        } else {
            problems.push(Problem::at(
                path,
                line,
                format!(
                    "alias `{}` must be an old key of this city: lower-case ASCII letters, digits and `-`, not its own key",
                    a.get_ref()
                ),
            ));
        }
    }
    match kind {
        Some(kind) if problems.is_empty() => Ok(CitySource {
            path: path.to_path_buf(),
            key: key.to_string(),
            kind,
            country,
            coordinates: raw.coordinates.map(|c| c.into_inner()),
            name: raw.name.into_inner(),
            description: raw.description.map(|d| d.into_inner()).unwrap_or_default(),
            agreements,
            aliases,
            extra: raw.extra,
        }),
        _ => Err(problems),
    }
}

/// A city file being checked: problems name it and the line they are on.
struct CityFile<'a> {
    path: &'a Path,
    text: &'a str,
    languages: &'a [&'a str],
}

impl CityFile<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        line_col(self.text, span.start).0
    }

    /// The kind of place, with problems for a bad kind, country or coordinates.
    fn kind(&self, raw: &RawCity, problems: &mut Vec<Problem>) -> Option<Kind> {
        let kind = match raw.kind.get_ref().as_str() {
            "city" => Some(Kind::City),
            "region" => Some(Kind::Region),
            "province" => Some(Kind::Province),
            "country" => Some(Kind::Country),
            other => {
                problems.push(Problem::at(
                    self.path,
                    self.line(raw.kind.span()),
                    format!("kind = \"{other}\" is not a kind of place: use city, region, province or country"),
                ));
                None
            }
        };
        let country = raw.country.get_ref();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            problems.push(Problem::at(
                self.path,
                self.line(raw.country.span()),
                format!("country = \"{country}\" must be a two-letter ISO code in capitals, like \"KZ\" or \"CN\""),
            ));
        }
        if let Some(c) = &raw.coordinates {
            let [lat, lon] = *c.get_ref();
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                problems.push(Problem::at(
                    self.path,
                    self.line(c.span()),
                    "coordinates must be [latitude, longitude], latitude -90…90, longitude -180…180",
                ));
            }
        }
        kind
    }

    /// Texts per language (`what`): each language must be one site.toml names, and with
    /// `required` every language needs one.
    fn lang_problems(&self, map: &Spanned<BTreeMap<String, String>>, what: &str, required: bool) -> Vec<Problem> {
        let mut problems = Vec::new();
        let line = self.line(map.span());
        for code in map.get_ref().keys() {
            if !self.languages.contains(&code.as_str()) {
                problems.push(Problem::at(
                    self.path,
                    line,
                    format!(
                        "{what} has language `{code}`, which site.toml does not name ({})",
                        self.languages.join(", ")
                    ),
                ));
            }
        }
        if required {
            for code in self.languages {
                if map.get_ref().get(*code).is_none_or(|s| s.trim().is_empty()) {
                    problems.push(Problem::at(
                        self.path,
                        line,
                        format!("{what} has no `{code}` text: add {code} = \"…\""),
                    ));
                }
            }
        }
        problems
    }
}

/// An agreement's date: a full date, or only a year (`2017` or `"2017"`) when that is all the
/// source says.
fn parse_agreement_date(value: &Spanned<toml::Value>) -> Result<(ArticleDate, bool), String> {
    let year = match value.get_ref() {
        toml::Value::Integer(y) => Some(*y),
        toml::Value::String(s) if s.trim().len() == 4 => s.trim().parse().ok(),
        _ => None,
    };
    match year {
        Some(y) => (1000..=9999)
            .contains(&y)
            .then(|| jiff::civil::date(y as i16, 1, 1))
            .map(|d| {
                let date = ArticleDate {
                    local: d.to_datetime(jiff::civil::Time::midnight()),
                    offset_minutes: None,
                };
                (date, true)
            })
            .ok_or_else(|| format!("`{y}` is not a year: write date = 2017 or date = 2017-05-06")),
        None => parse_date(value).map(|d| (d, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(text: &str) -> Result<CitySource, Vec<Problem>> {
        parse(Path::new("cities/x.toml"), "x", text, &["kk", "ru"])
    }

    #[test]
    fn parses_a_full_city() {
        let c = city(
            "kind = \"region\"\ncountry = \"KZ\"\ncoordinates = [44.0, 78.0]\n[name]\nkk = \"Алматы облысы\"\nru = \"Алматинская область\"\n\
             [description]\nru = \"Текст\"\n[[agreements]]\nwith = \"sichuan\"\ndate = 2017-01-01\ntitle = { kk = \"К\", ru = \"С\" }\n",
        )
        .unwrap();
        assert_eq!(c.kind, Kind::Region);
        assert_eq!(c.coordinates, Some([44.0, 78.0]));
        assert_eq!(c.name["kk"], "Алматы облысы");
        assert_eq!(
            c.agreements[0].with,
            KeyRef {
                key: "sichuan".into(),
                line: 10
            }
        );
        assert_eq!(c.agreements[0].date.day().to_string(), "2017-01-01");
        assert!(!c.agreements[0].year_only);
    }

    #[test]
    fn agreements_may_give_only_a_year() {
        let c = city(
            "kind = \"city\"\ncountry = \"RU\"\n[name]\nkk = \"Якутск\"\nru = \"Якутск\"\n\
             [[agreements]]\nwith = \"heihe\"\ndate = 2008\ntitle = { kk = \"К\", ru = \"С\" }\n",
        )
        .unwrap();
        assert!(c.agreements[0].year_only);
        assert_eq!(c.agreements[0].date.day().to_string(), "2008-01-01");
        let e = city(
            "kind = \"city\"\ncountry = \"RU\"\n[name]\nkk = \"Я\"\nru = \"Я\"\n\
             [[agreements]]\nwith = \"heihe\"\ndate = 208\ntitle = { kk = \"К\", ru = \"С\" }\n",
        )
        .unwrap_err();
        assert_eq!(e[0].line, Some(8));
        assert!(e[0].message.contains("`208` is not a year"), "{}", e[0].message);
    }

    #[test]
    fn bad_values_are_named_with_lines() {
        let e = city("kind = \"town\"\ncountry = \"kz\"\ncoordinates = [95.0, 0.0]\n[name]\nru = \"X\"\nde = \"Y\"\n")
            .unwrap_err();
        let msgs: Vec<_> = e.iter().map(|p| (p.line.unwrap(), p.message.as_str())).collect();
        assert!(
            msgs[0].1.starts_with("kind = \"town\" is not a kind of place"),
            "{msgs:?}"
        );
        assert_eq!(msgs[1].0, 2);
        assert_eq!(msgs[2].0, 3);
        assert!(msgs
            .iter()
            .any(|(_, m)| m.contains("language `de`, which site.toml does not name")));
        assert!(msgs.iter().any(|(_, m)| m.contains("name has no `kk` text")));
    }

    #[test]
    fn unknown_keys_are_errors() {
        let e = city("kind = \"city\"\ncountry = \"KZ\"\ncoords = [1.0, 2.0]\n[name]\nkk = \"a\"\nru = \"b\"\n")
            .unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("did you mean `coordinates`?"), "{}", e[0].message);
    }
}
