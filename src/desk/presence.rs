//! Who has which article open (team mode): the editor page says so when it opens and, with
//! JavaScript, every thirty seconds while it stays open; an opening older than ninety seconds
//! is gone. The list and the editor show the others who have an article open, so that two
//! editors know before their saves meet (and when they do, the merge page settles it).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an opening counts without a sign of life.
pub const FRESH: Duration = Duration::from_secs(90);

/// Who has which article open.
#[derive(Default)]
pub struct Presence {
    open: Mutex<HashMap<String, HashMap<String, Instant>>>,
}

impl Presence {
    /// `name` has article `id` open now.
    pub fn open(&self, id: &str, name: &str) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        open.retain(|_, names| {
            names.retain(|_, at| now.duration_since(*at) < FRESH);
            !names.is_empty()
        });
        open.entry(id.to_string()).or_default().insert(name.to_string(), now);
    }

    /// The others than `me` who have article `id` open, by name.
    pub fn others(&self, id: &str, me: &str) -> Vec<String> {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let mut names: Vec<String> = open
            .get(id)
            .into_iter()
            .flatten()
            .filter(|(n, at)| n.as_str() != me && now.duration_since(**at) < FRESH)
            .map(|(n, _)| n.clone())
            .collect();
        names.sort();
        names
    }

    /// Every article someone has open, with who (for the list).
    pub fn all(&self) -> HashMap<String, Vec<String>> {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        open.iter()
            .map(|(id, names)| {
                let mut who: Vec<String> = names
                    .iter()
                    .filter(|(_, at)| now.duration_since(**at) < FRESH)
                    .map(|(n, _)| n.clone())
                    .collect();
                who.sort();
                (id.clone(), who)
            })
            .filter(|(_, who)| !who.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sees_the_others_who_have_an_article_open() {
        let p = Presence::default();
        p.open("2025/x", "dana");
        p.open("2025/x", "erlan");
        p.open("2025/y", "dana");
        assert_eq!(p.others("2025/x", "dana"), vec!["erlan".to_string()]);
        assert_eq!(p.others("2025/y", "dana"), Vec::<String>::new());
        assert_eq!(p.all()["2025/x"], vec!["dana".to_string(), "erlan".to_string()]);
    }
}
