//! Which entries' contents a computation reads. An [`Entry`](super::Entry)'s file and body are
//! reached only through [`Entry::source`](super::Entry::source) and
//! [`Entry::body`](super::Entry::body), which record the entry while [`tracked`] runs on the
//! thread. A page's view is made under `tracked`, so the entries whose edits can change it are
//! known from what it read — not from a list kept beside it. What an edit that keeps the
//! model's structure can change is only those contents (see
//! [`Model::update_contents`](super::Model::update_contents)).

use std::cell::RefCell;

use super::EntryId;

thread_local! {
    static READS: RefCell<Option<Vec<EntryId>>> = const { RefCell::new(None) };
}

/// The entries one computation read, sorted, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads(Box<[EntryId]>);

impl Reads {
    /// Whether any of `changed` (sorted) was read.
    pub fn any_of(&self, changed: &[EntryId]) -> bool {
        // Both sides are sorted; the changed side is almost always one or two entries.
        changed.iter().any(|id| self.0.binary_search(id).is_ok())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Counts entry `id` as read by the computation running on this thread, if one is tracked.
pub fn record(id: EntryId) {
    READS.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push(id);
        }
    });
}

/// Runs `f` and gives what it returned with the entries it read. Tracked computations may nest:
/// what the inner one read counts for the outer one too.
pub fn tracked<T>(f: impl FnOnce() -> T) -> (T, Reads) {
    /// Puts the outer computation's list back, even if `f` panics.
    struct Restore(Option<Option<Vec<EntryId>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                READS.with(|r| *r.borrow_mut() = outer);
            }
        }
    }
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let mut restore = Restore(Some(outer));
    let value = f();
    let mut list = READS.with(|r| r.borrow_mut().take()).unwrap_or_default();
    list.sort_unstable();
    list.dedup();
    let mut outer = restore.0.take().unwrap_or(None);
    if let Some(outer) = outer.as_mut() {
        outer.extend_from_slice(&list);
    }
    READS.with(|r| *r.borrow_mut() = outer);
    (value, Reads(list.into_boxed_slice()))
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
            assert_eq!(inner, Reads(vec![EntryId(1)].into()));
        });
        assert_eq!(outer, Reads(vec![EntryId(1), EntryId(3)].into()));
        assert!(outer.any_of(&[EntryId(0), EntryId(3)]));
        assert!(!outer.any_of(&[EntryId(2), EntryId(9)]));
        let ((), after) = tracked(|| {});
        assert!(after.is_empty(), "nothing is left over from earlier computations");
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
