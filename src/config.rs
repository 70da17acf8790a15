//! `site.toml`: the site's base URL, languages, titles, UI strings, paging and feed sizes.
//! `parse` turns text into a checked [`Config`]; `load` reads the file.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::urls::Urls;

use crate::diagnostics::{line_col, toml_problem, Problem, Problems};
use crate::i18n;
use crate::zone::{self, Zone};

pub const FILE_NAME: &str = "site.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: String,
    default_language: String,
    #[serde(default)]
    paginate_by: Option<usize>,
    #[serde(default)]
    feed_limit: Option<usize>,
    #[serde(default)]
    timezone: Option<toml::Spanned<String>>,
    #[serde(default)]
    feeds: RawFeeds,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    photos: RawPhotos,
    #[serde(default)]
    templates: RawTemplates,
    #[serde(default)]
    deploy: Option<RawDeploy>,
    #[serde(default)]
    desk: RawDesk,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
    /// Anything else, for templates (`site.extra`).
    #[serde(default)]
    extra: toml::Table,
}

/// `[templates]`: limits on what a site's templates may do.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplates {
    #[serde(default)]
    loop_limit: Option<toml::Spanned<u64>>,
}

/// `[deploy]`: where `twinpress deploy` publishes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeploy {
    target: toml::Spanned<String>,
    #[serde(default)]
    keep: Option<toml::Spanned<i64>>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    ssh: Vec<String>,
    #[serde(default)]
    auto: bool,
}

/// `[markdown]`: how article bodies are read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: bool,
}

/// `[desk]`: the editors' desk on an office server.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesk {
    #[serde(default)]
    hosts: Vec<toml::Spanned<String>>,
    #[serde(default)]
    trusted_proxies: Vec<toml::Spanned<String>>,
    #[serde(default)]
    session_idle: Option<toml::Spanned<String>>,
}

/// `[desk]` of site.toml: how the desk is reached when it runs on a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskSettings {
    /// Host names the desk answers to besides the address it listens on (`desk.example.kz`,
    /// behind a reverse proxy); every other name is refused (DNS rebinding).
    pub hosts: Vec<String>,
    /// Addresses whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a session lasts unused (team mode).
    pub session_idle: std::time::Duration,
}

/// A session unused this long is over unless `[desk] session_idle` says.
pub const SESSION_IDLE: std::time::Duration = std::time::Duration::from_secs(30 * 60);

impl Default for DeskSettings {
    fn default() -> Self {
        DeskSettings {
            hosts: Vec::new(),
            trusted_proxies: Vec::new(),
            session_idle: SESSION_IDLE,
        }
    }
}

/// `90s`, `30m`, `8h`: a duration as site.toml writes one.
fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(split);
    let n: u64 = n.parse().ok()?;
    let secs = match unit.trim() {
        "s" => n,
        "m" | "min" => n * 60,
        "h" => n * 3600,
        _ => return None,
    };
    (secs > 0).then(|| std::time::Duration::from_secs(secs))
}

/// Where `twinpress deploy` publishes (`[deploy]` in site.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploySettings {
    /// A folder here (its `current` is the web server's root), or `ssh://user@host:port/path`.
    pub target: String,
    /// Old releases kept for `--rollback`, besides the live one.
    pub keep: usize,
    /// A shell command run after each switch of the live release (`nginx -s reload`: the web
    /// server reads the new release's redirect map).
    pub after: Option<String>,
    /// Options for `ssh` to an `ssh://` target (`["-i", "/home/deploy/.ssh/portal"]`).
    pub ssh: Vec<String>,
    /// `serve` publishes by itself when a scheduled article's time comes.
    pub auto: bool,
}

/// `[desk]` checked: each host a bare name (or `name:port`), each proxy an IP address, the idle
/// time a duration.
fn desk_settings(raw: &RawDesk, file: &Path, text: &str, problems: &mut Problems) -> DeskSettings {
    let mut desk = DeskSettings::default();
    for host in &raw.hosts {
        let h = host.get_ref().trim().to_ascii_lowercase();
        let ok = !h.is_empty()
            && !h.contains("://")
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if ok {
            desk.hosts.push(h);
        } else {
            let line = line_col(text, host.span().start).0;
            problems.push(Problem::at(
                file,
                line,
                format!(
                    "[desk] hosts: `{}` is not a host name: write the name alone, as in hosts = [\"desk.example.kz\"]",
                    host.get_ref()
                ),
            ));
        }
    }
    for proxy in &raw.trusted_proxies {
        match proxy.get_ref().trim().parse::<std::net::IpAddr>() {
            Ok(ip) => desk.trusted_proxies.push(ip),
            Err(_) => {
                let line = line_col(text, proxy.span().start).0;
                problems.push(Problem::at(
                    file,
                    line,
                    format!("[desk] trusted_proxies: `{}` is not an IP address (the proxy's, as in trusted_proxies = [\"127.0.0.1\"])", proxy.get_ref()),
                ));
            }
        }
    }
    if let Some(idle) = &raw.session_idle {
        match parse_duration(idle.get_ref()) {
            Some(d) => desk.session_idle = d,
            None => {
                let line = line_col(text, idle.span().start).0;
                problems.push(Problem::at(
                    file,
                    line,
                    format!(
                        "[desk] session_idle: `{}` is not a duration: write \"30m\", \"2h\" or \"90s\"",
                        idle.get_ref()
                    ),
                ));
            }
        }
    }
    desk
}

/// Old releases `twinpress deploy` keeps unless `[deploy] keep` says.
pub const KEEP_RELEASES: usize = 5;

/// How many times a page's loops may go round in all, unless `[templates] loop_limit` says:
/// far more than any page of a 200,000-article site needs (its sitemap, a few per article),
/// and reached by a runaway loop in about a second.
pub const LOOP_LIMIT: u64 = 10_000_000;

/// `[photos]`: how the photos beside articles are made into the site's files.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhotos {
    #[serde(default)]
    widths: Option<toml::Spanned<Vec<u32>>>,
    #[serde(default)]
    jpeg_quality: Option<toml::Spanned<u8>>,
    #[serde(default)]
    webp_quality: Option<toml::Spanned<u8>>,
    #[serde(default)]
    max_megapixels: Option<toml::Spanned<u32>>,
}

/// `[search]`: the search page and its index, in every language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    #[serde(default = "yes")]
    enabled: bool,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch { enabled: true }
    }
}

fn yes() -> bool {
    true
}

/// `[feeds]`: the feeds besides each language's, city's and tag's RSS.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    /// `/L/yandex.xml`: full text with Yandex's news extensions.
    #[serde(default)]
    yandex: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default)]
    name: Option<String>,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    ui: BTreeMap<String, String>,
}

/// The checked site settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute base URL, always ending in `/` (may carry a path: `https://host/portal/`).
    pub base_url: String,
    /// The site's languages, the default one first, then by code.
    pub languages: Vec<Language>,
    /// Articles per list page.
    pub paginate_by: usize,
    /// Items per feed.
    pub feed_limit: usize,
    /// The time zone dates without an offset are in.
    pub timezone: Zone,
    /// Write `/L/yandex.xml` (`[feeds] yandex = true`).
    pub yandex_feeds: bool,
    /// Write `/L/search/` and its index (unless `[search] enabled = false`).
    pub search: bool,
    /// `[photos]`.
    pub photos: PhotoSettings,
    /// `[templates] loop_limit`: how many times a page's loops may go round in all.
    pub loop_limit: u64,
    /// `[extra]`: anything else, passed to templates as `site.extra`.
    pub extra: toml::Table,
    /// `[deploy]`, when the site says where it is published.
    pub deploy: Option<DeploySettings>,
    /// `[desk]`.
    pub desk: DeskSettings,
    /// `[markdown] raw_html`: HTML written in bodies goes into pages (off: an error naming the
    /// file and line, since a script there would run for readers and in the desk's preview).
    pub raw_html: bool,
}

/// How photos are made: `[photos]` in `site.toml` (see [`crate::photos`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhotoSettings {
    /// The widths each photo is made in (never wider than the photo itself), ascending.
    pub widths: Vec<u32>,
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
    /// WebP quality, 1–100.
    pub webp_quality: u8,
    /// The most pixels a source may have (a decompression bomb is refused before decoding).
    pub max_pixels: u64,
    /// The largest source file, in bytes.
    pub max_bytes: u64,
}

impl Default for PhotoSettings {
    fn default() -> Self {
        PhotoSettings {
            widths: vec![480, 960, 1600],
            jpeg_quality: 82,
            webp_quality: 80,
            max_pixels: 60_000_000,
            max_bytes: 50 * 1024 * 1024,
        }
    }
}

/// One language of the site.
#[derive(Debug, Clone)]
pub struct Language {
    /// `kk`, `ru`: lower-case ASCII letters, digits and `-`.
    pub code: String,
    /// The language's own name, for the switcher ("Қазақша", "Русский").
    pub name: String,
    /// The site's title in this language.
    pub title: String,
    pub description: String,
    /// UI strings: built-in defaults for the language, overridden by `[languages.L.ui]`.
    pub ui: BTreeMap<String, String>,
}

impl Config {
    /// Reads `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "Cannot read {}: is {} a twinpress site? (use --root DIR to point at one)",
                path.display(),
                root.display()
            )
        })?;
        Ok(Config::parse(&text, Path::new(FILE_NAME))?)
    }

    /// Parses and checks the text of `site.toml`; `file` names it in problems.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Problems> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = toml::from_str(text).map_err(|e| Problems(vec![toml_problem(file, text, 1, &e)]))?;
        let mut problems = Problems::default();
        let base_url = match normalize_base_url(&raw.base_url) {
            Ok(url) => url,
            Err(msg) => {
                problems.push(Problem::in_file(file, msg));
                String::new()
            }
        };
        if raw.languages.is_empty() {
            problems.push(Problem::in_file(
                file,
                "no languages: add a table per language, e.g. [languages.ru] with title = \"…\"",
            ));
        }
        let mut languages = Vec::new();
        for (code, lang) in raw.languages {
            if !is_key(&code) {
                problems.push(Problem::in_file(
                    file,
                    format!("language code `{code}` must be lower-case ASCII letters, digits and `-`"),
                ));
                continue;
            }
            let mut ui = i18n::default_ui(&code);
            ui.extend(lang.ui);
            languages.push(Language {
                name: lang.name.unwrap_or_else(|| i18n::language_name(&code).to_string()),
                title: lang.title,
                description: lang.description.unwrap_or_default(),
                ui,
                code,
            });
        }
        match languages.iter().position(|l| l.code == raw.default_language) {
            Some(i) => {
                let default = languages.remove(i);
                languages.insert(0, default);
            }
            None if !languages.is_empty() => problems.push(Problem::in_file(
                file,
                format!(
                    "default_language = \"{}\" is not one of the languages: {}",
                    raw.default_language,
                    languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
            None => {}
        }
        let paginate_by = raw.paginate_by.unwrap_or(10);
        let feed_limit = raw.feed_limit.unwrap_or(20);
        if paginate_by == 0 || feed_limit == 0 {
            problems.push(Problem::in_file(file, "paginate_by and feed_limit must be at least 1"));
        }
        let zone_name = raw.timezone.as_ref().map_or(zone::DEFAULT, |n| n.get_ref().as_str());
        let timezone = Zone::named(zone_name).unwrap_or_else(|msg| {
            let line = raw.timezone.as_ref().map_or(1, |n| line_col(text, n.span().start).0);
            problems.push(Problem::at(file, line, msg));
            Zone::utc()
        });
        let photos = photo_settings(&raw.photos, text, file, &mut problems);
        let loop_limit = match &raw.templates.loop_limit {
            Some(n) if *n.get_ref() < 1000 => {
                let line = line_col(text, n.span().start).0;
                problems.push(Problem::at(
                    file,
                    line,
                    "[templates] loop_limit must be at least 1000: a page's lists alone go round that often",
                ));
                LOOP_LIMIT
            }
            Some(n) => *n.get_ref(),
            None => LOOP_LIMIT,
        };
        let desk = desk_settings(&raw.desk, file, text, &mut problems);
        let deploy = raw.deploy.as_ref().map(|d| {
            let target = d.target.get_ref().trim().to_string();
            if target.is_empty() {
                let line = line_col(text, d.target.span().start).0;
                problems.push(Problem::at(
                    file,
                    line,
                    "[deploy] target is empty: name the folder the web server's root is in (target = \"/srv/portal\")",
                ));
            }
            let keep = match &d.keep {
                Some(k) if *k.get_ref() < 1 => {
                    let line = line_col(text, k.span().start).0;
                    problems.push(Problem::at(
                        file,
                        line,
                        "[deploy] keep must be at least 1: the release before the live one is what --rollback goes back to",
                    ));
                    KEEP_RELEASES
                }
                Some(k) => *k.get_ref() as usize,
                None => KEEP_RELEASES,
            };
            let after = d.after.as_ref().map(|a| a.trim().to_string()).filter(|a| !a.is_empty());
            DeploySettings {
                target,
                keep,
                after,
                ssh: d.ssh.clone(),
                auto: d.auto,
            }
        });
        problems.into_result(Config {
            deploy,
            desk,
            raw_html: raw.markdown.raw_html,
            base_url,
            languages,
            paginate_by,
            feed_limit,
            timezone,
            yandex_feeds: raw.feeds.yandex,
            search: raw.search.enabled,
            photos,
            loop_limit,
            extra: raw.extra,
        })
    }

    /// The same settings with another base URL (`--base-url`).
    pub fn with_base_url(mut self, url: &str) -> Result<Config> {
        self.base_url = normalize_base_url(url).map_err(|msg| anyhow::anyhow!("--base-url: {msg}"))?;
        Ok(self)
    }

    pub fn language(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code == code)
    }
}

/// `[photos]` checked: widths 16–8192 pixels, qualities 1–100, each wrong value on its line.
fn photo_settings(raw: &RawPhotos, text: &str, file: &Path, problems: &mut Problems) -> PhotoSettings {
    let mut s = PhotoSettings::default();
    let mut bad =
        |span: std::ops::Range<usize>, msg: String| problems.push(Problem::at(file, line_col(text, span.start).0, msg));
    if let Some(w) = &raw.widths {
        let mut widths = w.get_ref().clone();
        widths.sort_unstable();
        widths.dedup();
        if widths.is_empty() || widths.iter().any(|&w| !(16..=8192).contains(&w)) {
            bad(
                w.span(),
                "[photos] widths must list one or more widths from 16 to 8192 pixels, e.g. [480, 960, 1600]".into(),
            );
        } else {
            s.widths = widths;
        }
    }
    for (value, name, slot) in [
        (&raw.jpeg_quality, "jpeg_quality", &mut s.jpeg_quality),
        (&raw.webp_quality, "webp_quality", &mut s.webp_quality),
    ] {
        if let Some(q) = value {
            if (1..=100).contains(q.get_ref()) {
                *slot = *q.get_ref();
            } else {
                bad(
                    q.span(),
                    format!(
                        "[photos] {name} must be from 1 to 100 (80 is a good choice), not {}",
                        q.get_ref()
                    ),
                );
            }
        }
    }
    if let Some(m) = &raw.max_megapixels {
        if (1..=1000).contains(m.get_ref()) {
            s.max_pixels = u64::from(*m.get_ref()) * 1_000_000;
        } else {
            bad(
                m.span(),
                format!("[photos] max_megapixels must be from 1 to 1000, not {}", m.get_ref()),
            );
        }
    }
    s
}

/// `https://host/path` → `https://host/path/`; refuses what is not an absolute http(s) URL
/// (checked by [`Urls::new`], the one place that reads URLs).
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    Urls::new(url).map(|u| u.base_url().to_string())
}

/// A city key, file stem or language code: lower-case ASCII letters, digits and `-`.
pub fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = r#"
base_url = "https://example.org/portal"
default_language = "ru"
[languages.kk]
title = "Бауырлас қалалар"
[languages.ru]
title = "Города-побратимы"
[languages.ru.ui]
latest = "Свежее"
"#;

    #[test]
    fn parses_languages_default_first_with_ui_defaults() {
        let c = Config::parse(SITE, Path::new("site.toml")).unwrap();
        assert_eq!(c.base_url, "https://example.org/portal/");
        let codes: Vec<_> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["ru", "kk"]);
        assert_eq!(c.languages[0].ui["latest"], "Свежее");
        assert_eq!(c.languages[1].name, "Қазақша");
        assert!(c.languages[1].ui.contains_key("latest"));
        assert_eq!((c.paginate_by, c.feed_limit), (10, 20));
    }

    #[test]
    fn the_time_zone_is_almaty_unless_named_and_a_wrong_name_is_shown_on_its_line() {
        let c = Config::parse(SITE, Path::new("site.toml")).unwrap();
        assert_eq!(c.timezone.name, "Asia/Almaty");
        let c = Config::parse(&format!("timezone = \"Asia/Qostanay\"\n{SITE}"), Path::new("site.toml")).unwrap();
        assert_eq!(c.timezone.name, "Asia/Qostanay");
        let err = Config::parse(
            &format!("{SITE}\n").replace("default_language", "timezone = \"Asia/Almati\"\ndefault_language"),
            Path::new("site.toml"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "error: site.toml:3: timezone = \"Asia/Almati\" is not a time zone: did you mean \"Asia/Almaty\", \"Asia/Amman\", \"Asia/Aqtau\"?"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let err = Config::parse(
            "base_url = \"x\"\ndefault_language = \"ru\"\npaginate = 3\n",
            Path::new("site.toml"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "error: site.toml:3: unknown field `paginate`; did you mean `paginate_by`? \
             (allowed: base_url, default_language, paginate_by, feed_limit, timezone, feeds, search, photos, templates, deploy, desk, markdown, languages, extra)"
        );
        let err = Config::parse(
            "base_url = \"example.org\"\ndefault_language = \"de\"\n",
            Path::new("site.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("must be an absolute URL"), "{err}");
        assert!(err.contains("no languages"), "{err}");
    }

    #[test]
    fn base_urls_are_normalized() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:1111").unwrap(),
            "http://127.0.0.1:1111/"
        );
        assert!(normalize_base_url("https:///x").is_err());
        assert!(normalize_base_url("/portal/").is_err());
    }
}
