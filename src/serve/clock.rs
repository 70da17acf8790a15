//! The preview's clock. `serve` shows scheduled articles, marked; when the first one's time
//! comes, the preview is built again at the new time (the mark goes, the article takes its
//! place in lists, feeds and the archive: the same pages a build at that time makes), and with
//! `[deploy] auto = true` the site goes out through the same deploy as the desk's Publish
//! button. Under `SOURCE_DATE_EPOCH` the clock stands still.

use std::time::Duration;

use super::rebuild::LiveSite;

/// The longest the loop waits for an edit before it looks at the clock again.
const LONGEST: Duration = Duration::from_secs(3600);

/// How long the loop may wait for edits, at `now`, before a scheduled article is due.
pub fn wait(live: Option<&LiveSite>, now: i64) -> Duration {
    match live.and_then(LiveSite::next_scheduled) {
        // A second's margin: at `due` the article is not yet past it (`date > now` is scheduled).
        Some(due) => Duration::from_secs(u64::try_from(due - now + 1).unwrap_or(0)).min(LONGEST),
        None => LONGEST,
    }
}

/// Whether, at `now`, a scheduled article the preview shows is due.
pub fn due(live: Option<&LiveSite>, now: i64) -> bool {
    live.and_then(LiveSite::next_scheduled).is_some_and(|due| due < now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_site_the_loop_waits_the_longest_and_nothing_is_due() {
        assert_eq!(wait(None, 0), LONGEST);
        assert!(!due(None, i64::MAX));
    }
}
