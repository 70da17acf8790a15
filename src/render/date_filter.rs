//! The templates' `date` filter: a date as a language writes it, from CLDR (ICU4X's data).
//!
//! `{{ article.date_iso | date }}` → «29 августа 2025 г.» (ru), «2025 ж. 29 тамыз» (kk);
//! `format` is `"full"` (with the weekday), `"long"` (the default), `"medium"`, `"short"`, or a
//! CLDR pattern (`"d.MM.y"`, `"d MMMM y, HH:mm"`); `lang` names another of the site's
//! languages than the page's. The input is a day (`2025-08-29`), a date-time with its offset
//! (`2025-08-29T10:30:00+05:00`, shown on the site's clock), one without (taken as the site's
//! clock's), or seconds since 1970.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{YMD, YMDE};
use icu_datetime::input::{DateTime, Time};
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_locale_core::Locale;
use tera::{Kwargs, State, TeraResult, Value};
use writeable::TryWriteable;

use crate::zone::Zone;

/// How to write dates of one language in one format, made the first time it is asked for.
enum Writer {
    Date(FixedCalendarDateTimeFormatter<Gregorian, YMD>),
    Weekday(FixedCalendarDateTimeFormatter<Gregorian, YMDE>),
    Pattern(Box<FixedCalendarDateTimeNames<Gregorian>>, DateTimePattern),
}

/// The filter, with the site's clock and the writers made so far.
pub struct DateFilter {
    zone: Zone,
    writers: Mutex<HashMap<(String, String), Arc<Writer>>>,
}

impl DateFilter {
    pub fn new(zone: Zone) -> DateFilter {
        DateFilter {
            zone,
            writers: Mutex::new(HashMap::new()),
        }
    }

    /// Registers it with `tera` as `date`.
    pub fn register(self, tera: &mut tera::Tera) {
        let filter = Arc::new(self);
        tera.register_filter(
            "date",
            move |value: Value, kwargs: Kwargs, state: &State| -> TeraResult<String> {
                filter.call(&value, &kwargs, state)
            },
        );
    }

    fn call(&self, value: &Value, kwargs: &Kwargs, state: &State) -> TeraResult<String> {
        let format: String = kwargs.get::<String>("format")?.unwrap_or_else(|| "long".to_string());
        let lang: Option<String> = kwargs.get::<String>("lang")?;
        let lang = match lang {
            Some(l) => l,
            // Inside a component too: the page's language, from whoever called it.
            None => state
                .get_from_callers("lang")
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| {
                    tera::Error::message("date: this template has no `lang`: give the language, e.g. date(lang=\"ru\")")
                })?,
        };
        let local = self.local(value).map_err(tera::Error::message)?;
        let writer = self.writer(&lang, &format).map_err(tera::Error::message)?;
        write(&writer, local).map_err(tera::Error::message)
    }

    /// The date-time `value` stands for, on the site's clock.
    fn local(&self, value: &Value) -> Result<jiff::civil::DateTime, String> {
        if let Some(seconds) = value.as_i64() {
            return Ok(self.zone.local_at(seconds));
        }
        let Some(text) = value.as_str() else {
            return Err(format!(
                "date: `{value}` is not a date: give a date as text (\"2025-08-29\", an article's date_iso) or seconds since 1970"
            ));
        };
        let text = text.trim();
        if let Ok(ts) = text.parse::<jiff::Timestamp>() {
            return Ok(self.zone.local_at(ts.as_second()));
        }
        if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
            return Ok(dt);
        }
        if let Ok(d) = text.parse::<jiff::civil::Date>() {
            return Ok(d.to_datetime(jiff::civil::Time::midnight()));
        }
        Err(format!(
            "date: `{text}` is not a date: give \"2025-08-29\", \"2025-08-29T10:30:00+05:00\" or seconds since 1970"
        ))
    }

    /// The writer of `lang` for `format`, made once.
    fn writer(&self, lang: &str, format: &str) -> Result<Arc<Writer>, String> {
        let key = (lang.to_string(), format.to_string());
        if let Some(w) = self.writers.lock().map_err(|e| e.to_string())?.get(&key) {
            return Ok(Arc::clone(w));
        }
        let locale: Locale = lang
            .parse()
            .map_err(|e| format!("date: `{lang}` is not a language code: {e}"))?;
        let no_data = |e: &dyn std::fmt::Display| format!("date: no CLDR date formats for `{lang}`: {e}");
        let writer = match format {
            "full" => Writer::Weekday(
                FixedCalendarDateTimeFormatter::try_new(locale.into(), YMDE::long()).map_err(|e| no_data(&e))?,
            ),
            "long" => Writer::Date(
                FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::long()).map_err(|e| no_data(&e))?,
            ),
            "medium" => Writer::Date(
                FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::medium()).map_err(|e| no_data(&e))?,
            ),
            "short" => Writer::Date(
                FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::short()).map_err(|e| no_data(&e))?,
            ),
            pattern => {
                let not_a_pattern = |why: String| {
                    format!(
                        "date: format `{pattern}` is neither full, long, medium, short nor a CLDR pattern \
                         (e.g. \"d.MM.y\", \"d MMMM y\", \"HH:mm\"): {why}"
                    )
                };
                if let Some(c) = unknown_field(pattern) {
                    return Err(not_a_pattern(format!(
                        "`{c}` is not a CLDR field letter (put words in single quotes: 'жылы')"
                    )));
                }
                let parsed: DateTimePattern = pattern.parse().map_err(|e| {
                    format!(
                        "date: format `{pattern}` is neither full, long, medium, short nor a CLDR pattern \
                         (e.g. \"d.MM.y\", \"d MMMM y\", \"HH:mm\"): {e}"
                    )
                })?;
                let mut names =
                    Box::new(FixedCalendarDateTimeNames::<Gregorian>::try_new(locale.into()).map_err(|e| no_data(&e))?);
                names
                    .include_for_pattern(&parsed)
                    .map_err(|e| format!("date: format `{pattern}`: {e:?}"))?;
                Writer::Pattern(names, parsed)
            }
        };
        let writer = Arc::new(writer);
        self.writers
            .lock()
            .map_err(|e| e.to_string())?
            .insert(key, Arc::clone(&writer));
        Ok(writer)
    }
}

/// The first letter of `pattern`, outside quotes, that is no CLDR date or time field.
fn unknown_field(pattern: &str) -> Option<char> {
    const FIELDS: &str = "GyYuUrQqMLwWdDFgEecabBhHKkmsSAzZOvVXx";
    let mut quoted = false;
    pattern.chars().find(|&c| {
        if c == '\'' {
            quoted = !quoted;
            return false;
        }
        !quoted && c.is_alphabetic() && !FIELDS.contains(c)
    })
}

/// `local` written by `writer`.
fn write(writer: &Writer, local: jiff::civil::DateTime) -> Result<String, String> {
    let date = Date::try_new_gregorian(i32::from(local.year()), local.month() as u8, local.day() as u8)
        .map_err(|e| format!("date: {local} is outside the calendar: {e}"))?;
    Ok(match writer {
        Writer::Date(f) => f.format(&date).to_string(),
        Writer::Weekday(f) => f.format(&date).to_string(),
        Writer::Pattern(names, pattern) => {
            let time = Time::try_new(local.hour() as u8, local.minute() as u8, local.second() as u8, 0)
                .map_err(|e| format!("date: {local}: {e}"))?;
            let datetime = DateTime { date, time };
            names
                .with_pattern_unchecked(pattern)
                .format(&datetime)
                .try_write_to_string()
                .map_err(|(e, _)| format!("date: {e}"))?
                .into_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, lang: &str) -> Result<String, String> {
        let mut tera = tera::Tera::default();
        DateFilter::new(Zone::named("Asia/Almaty").unwrap()).register(&mut tera);
        tera.add_raw_template("t", template).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", lang);
        tera.render("t", &ctx).map_err(|e| format!("{e:#}"))
    }

    #[test]
    fn named_formats_follow_the_language() {
        assert_eq!(
            render("{{ '2025-08-29' | date }}", "ru").unwrap(),
            "29 августа 2025\u{202f}г."
        );
        assert_eq!(
            render("{{ '2025-08-29' | date }}", "kk").unwrap(),
            "2025\u{202f}ж. 29 тамыз"
        );
        assert_eq!(
            render("{{ '2025-08-29' | date(format='short') }}", "ru").unwrap(),
            "29.08.2025"
        );
        let full = render("{{ '2025-08-29' | date(format='full') }}", "ru").unwrap();
        assert!(full.contains("пятница"), "{full}");
        assert_eq!(
            render("{{ '2025-08-29' | date(lang='kk') }}", "ru").unwrap(),
            "2025\u{202f}ж. 29 тамыз"
        );
    }

    #[test]
    fn patterns_and_the_sites_clock() {
        assert_eq!(
            render("{{ '2025-08-29' | date(format='d.MM.y') }}", "kk").unwrap(),
            "29.08.2025"
        );
        assert_eq!(
            render("{{ '2025-08-29' | date(format='d MMMM') }}", "ru").unwrap(),
            "29 августа"
        );
        // 22:30 UTC is the next morning in Almaty (UTC+5).
        assert_eq!(
            render("{{ '2025-08-29T22:30:00Z' | date(format='d.MM.y HH:mm') }}", "ru").unwrap(),
            "30.08.2025 03:30"
        );
        // Seconds since 1970: 2025-08-29 00:00 UTC.
        assert_eq!(
            render("{{ 1756425600 | date(format='d.MM.y') }}", "ru").unwrap(),
            "29.08.2025"
        );
    }

    #[test]
    fn bad_input_says_what_to_give() {
        let e = render("{{ 'вчера' | date }}", "ru").unwrap_err();
        assert!(e.contains("`вчера` is not a date"), "{e}");
        let e = render("{{ '2025-08-29' | date(format='long-ish') }}", "ru").unwrap_err();
        assert!(
            e.contains("neither full, long, medium, short nor a CLDR pattern"),
            "{e}"
        );
    }
}
