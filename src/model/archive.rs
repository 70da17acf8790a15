//! The archive's index: each language's entries by month (and so by year). Entries are newest
//! first, so a month's entries are one run of its language's list, kept as a range.

use super::{Entry, EntryId, LangIndex};

/// A month of the archive: its entries are `entries[range]` of its language, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub range: std::ops::Range<usize>,
}

impl LangIndex {
    /// The years that have entries, newest first, each with its run of `entries`.
    pub fn years(&self) -> Vec<(i32, std::ops::Range<usize>)> {
        let mut years: Vec<(i32, std::ops::Range<usize>)> = Vec::new();
        for m in &self.months {
            match years.last_mut() {
                Some((year, range)) if *year == m.year => range.end = m.range.end,
                _ => years.push((m.year, m.range.clone())),
            }
        }
        years
    }
}

/// The months of `ids` (newest first, so each month is one run of them).
pub(super) fn months(ids: &[EntryId], entries: &[Entry]) -> Vec<Month> {
    let mut months: Vec<Month> = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        let day = entries[id].date().day();
        let (year, month) = (i32::from(day.year()), day.month() as u32);
        match months.last_mut() {
            Some(m) if (m.year, m.month) == (year, month) => m.range.end = i + 1,
            _ => months.push(Month {
                year,
                month,
                range: i..i + 1,
            }),
        }
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_join_their_months_runs() {
        let index = LangIndex {
            months: vec![
                Month {
                    year: 2025,
                    month: 11,
                    range: 0..2,
                },
                Month {
                    year: 2025,
                    month: 3,
                    range: 2..5,
                },
                Month {
                    year: 2024,
                    month: 12,
                    range: 5..6,
                },
            ],
            ..LangIndex::default()
        };
        assert_eq!(index.years(), [(2025, 0..5), (2024, 5..6)]);
    }
}
