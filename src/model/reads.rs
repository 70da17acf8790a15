//! Which entries' contents a computation reads. An [`Entry`](super::Entry)'s file and body are
//! reached only through [`Entry::source`](super::Entry::source) and
//! [`Entry::body`](super::Entry::body), which record the entry while [`tracked`] runs on the
//! thread. A page's view is made under `tracked`, so the entries whose edits can change it are
//! known from what it read — not from a list kept beside it. What an edit that keeps the
//! model's structure can change is only those contents (see
//! [`Model::update_contents`](super::Model::update_contents)).

use std::cell::RefCell;
use std::sync::Arc;

use super::EntryId;

/// What a computation on this thread has read so far: entries one by one, and whole sets.
#[derive(Default)]
struct Log {
    ids: Vec<EntryId>,
    sets: Vec<Arc<[EntryId]>>,
}

thread_local! {
    static READS: RefCell<Option<Log>> = const { RefCell::new(None) };
}

/// The entries one computation read: some one by one (sorted, each once), and whole sets that
/// many computations read alike (all the articles of a language, for its search index), shared
/// rather than copied into each.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    ids: Box<[EntryId]>,
    /// Each sorted; each once (by address).
    sets: Box<[Arc<[EntryId]>]>,
}

impl PartialEq for Reads {
    fn eq(&self, other: &Reads) -> bool {
        self.ids == other.ids
            && self.sets.len() == other.sets.len()
            && self.sets.iter().zip(&*other.sets).all(|(a, b)| a == b)
    }
}

impl Eq for Reads {}

impl Reads {
    /// Whether any of `changed` (sorted) was read.
    pub fn any_of(&self, changed: &[EntryId]) -> bool {
        // Both sides are sorted; the changed side is almost always one or two entries.
        changed
            .iter()
            .any(|id| self.ids.binary_search(id).is_ok() || self.sets.iter().any(|s| s.binary_search(id).is_ok()))
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.sets.iter().all(|s| s.is_empty())
    }
}

/// Counts entry `id` as read by the computation running on this thread, if one is tracked.
pub fn record(id: EntryId) {
    READS.with(|r| {
        if let Some(log) = r.borrow_mut().as_mut() {
            log.ids.push(id);
        }
    });
}

/// Counts every entry of `set` (sorted) as read, as [`record`] would one by one.
pub fn record_set(set: &Arc<[EntryId]>) {
    READS.with(|r| {
        if let Some(log) = r.borrow_mut().as_mut() {
            if !log.sets.iter().any(|s| Arc::ptr_eq(s, set)) {
                log.sets.push(set.clone());
            }
        }
    });
}

/// Runs `f` and gives what it returned with the entries it read. Tracked computations may nest:
/// what the inner one read counts for the outer one too.
pub fn tracked<T>(f: impl FnOnce() -> T) -> (T, Reads) {
    /// Puts the outer computation's log back, even if `f` panics.
    struct Restore(Option<Option<Log>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                READS.with(|r| *r.borrow_mut() = outer);
            }
        }
    }
    let outer = READS.with(|r| r.borrow_mut().replace(Log::default()));
    let mut restore = Restore(Some(outer));
    let value = f();
    let mut log = READS.with(|r| r.borrow_mut().take()).unwrap_or_default();
    log.ids.sort_unstable();
    log.ids.dedup();
    let mut outer = restore.0.take().unwrap_or(None);
    if let Some(outer) = outer.as_mut() {
        outer.ids.extend_from_slice(&log.ids);
        for set in &log.sets {
            if !outer.sets.iter().any(|s| Arc::ptr_eq(s, set)) {
                outer.sets.push(set.clone());
            }
        }
    }
    READS.with(|r| *r.borrow_mut() = outer);
    let reads = Reads {
        ids: log.ids.into_boxed_slice(),
        sets: log.sets.into_boxed_slice(),
    };
    (value, reads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_only_while_tracked_and_count_for_the_outer_computation() {
        record(EntryId(9));
        let ((), outer) = tracked(|| {
            record(EntryId(3));
            let ((), inner) = tracked(|| {
                record(EntryId(1));
                record(EntryId(1));
            });
            assert_eq!(inner.ids[..], [EntryId(1)]);
        });
        assert_eq!(outer.ids[..], [EntryId(1), EntryId(3)]);
        assert!(outer.any_of(&[EntryId(0), EntryId(3)]));
        assert!(!outer.any_of(&[EntryId(2), EntryId(9)]));
        let ((), after) = tracked(|| {});
        assert!(after.is_empty(), "nothing is left over from earlier computations");
    }

    #[test]
    fn a_set_read_counts_each_of_its_entries_for_every_computation_that_read_it() {
        let set: Arc<[EntryId]> = vec![EntryId(2), EntryId(5), EntryId(8)].into();
        let ((), outer) = tracked(|| {
            let ((), inner) = tracked(|| {
                record_set(&set);
                record_set(&set);
            });
            assert_eq!(inner.sets.len(), 1, "a set is kept once");
            assert!(inner.any_of(&[EntryId(5)]) && !inner.any_of(&[EntryId(4)]));
        });
        assert!(outer.any_of(&[EntryId(8)]), "the outer computation read it too");
        assert!(Arc::ptr_eq(&outer.sets[0], &set), "shared, not copied");
        assert!(!outer.is_empty());
    }

    #[test]
    fn a_panic_inside_leaves_no_tracking_behind() {
        let caught = std::panic::catch_unwind(|| tracked(|| panic!("view failed")));
        assert!(caught.is_err());
        record(EntryId(4));
        let ((), reads) = tracked(|| {});
        assert!(reads.is_empty());
    }
}
