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

/// Which of many computations (numbered: a site's pages in order) read each entry: the inverse
/// of their [`Reads`], so that those an edit of a few entries can change are found without
/// asking every one.
#[derive(Debug, Default)]
pub struct Readers {
    /// Per entry, the computations that read it one by one, sorted.
    by_id: Vec<Vec<u32>>,
    /// Each set read (once by address), with the computations that read it, sorted.
    by_set: Vec<(Arc<[EntryId]>, Vec<u32>)>,
}

impl Readers {
    /// The readers of what `all` (by number) read.
    pub fn new<'r>(all: impl Iterator<Item = &'r Reads>) -> Readers {
        let mut readers = Readers::default();
        for (i, reads) in all.enumerate() {
            readers.add(i as u32, reads);
        }
        readers
    }

    /// The computations that read any of `changed`, by number, sorted.
    pub fn of(&self, changed: &[EntryId]) -> Vec<usize> {
        let mut out: Vec<u32> = Vec::new();
        for id in changed {
            if let Some(list) = self.by_id.get(id.0) {
                out.extend_from_slice(list);
            }
        }
        for (set, list) in &self.by_set {
            if changed.iter().any(|id| set.binary_search(id).is_ok()) {
                out.extend_from_slice(list);
            }
        }
        out.sort_unstable();
        out.dedup();
        out.into_iter().map(|i| i as usize).collect()
    }

    /// Says that computation `i`, which had read `old`, has now read `new`.
    pub fn replace(&mut self, i: usize, old: &Reads, new: &Reads) {
        let i = i as u32;
        for id in &old.ids {
            if let Some(list) = self.by_id.get_mut(id.0) {
                if let Ok(at) = list.binary_search(&i) {
                    list.remove(at);
                }
            }
        }
        for set in &old.sets {
            if let Some(k) = self.by_set.iter().position(|(s, _)| Arc::ptr_eq(s, set)) {
                let list = &mut self.by_set[k].1;
                if let Ok(at) = list.binary_search(&i) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.by_set.swap_remove(k);
                }
            }
        }
        self.add(i, new);
    }

    fn add(&mut self, i: u32, reads: &Reads) {
        for id in &reads.ids {
            if self.by_id.len() <= id.0 {
                self.by_id.resize_with(id.0 + 1, Vec::new);
            }
            let list = &mut self.by_id[id.0];
            if let Err(at) = list.binary_search(&i) {
                list.insert(at, i);
            }
        }
        for set in &reads.sets {
            let k = match self.by_set.iter().position(|(s, _)| Arc::ptr_eq(s, set)) {
                Some(k) => k,
                None => {
                    self.by_set.push((set.clone(), Vec::new()));
                    self.by_set.len() - 1
                }
            };
            let list = &mut self.by_set[k].1;
            if let Err(at) = list.binary_search(&i) {
                list.insert(at, i);
            }
        }
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
    fn readers_are_the_computations_whose_reads_name_an_entry_as_they_change() {
        let set: Arc<[EntryId]> = vec![EntryId(2), EntryId(7)].into();
        let read = |ids: &[usize], sets: &[&Arc<[EntryId]>]| {
            tracked(|| {
                ids.iter().for_each(|&i| record(EntryId(i)));
                sets.iter().for_each(|s| record_set(s));
            })
            .1
        };
        let mut all = vec![read(&[1, 2], &[]), read(&[3], &[&set]), read(&[], &[]), read(&[1], &[])];
        let mut readers = Readers::new(all.iter());
        // The same answer as asking every computation.
        let asked = |all: &[Reads], changed: &[EntryId]| -> Vec<usize> {
            (0..all.len()).filter(|&i| all[i].any_of(changed)).collect()
        };
        for changed in [
            vec![EntryId(1)],
            vec![EntryId(2)],
            vec![EntryId(7)],
            vec![EntryId(0), EntryId(3)],
            vec![],
        ] {
            assert_eq!(readers.of(&changed), asked(&all, &changed), "{changed:?}");
        }
        // Computation 1 no longer reads the set but reads 9; 2 now reads the set.
        let (new1, new2) = (read(&[9], &[]), read(&[], &[&set]));
        readers.replace(1, &all[1], &new1);
        readers.replace(2, &all[2], &new2);
        all[1] = new1;
        all[2] = new2;
        for changed in [
            vec![EntryId(3)],
            vec![EntryId(9)],
            vec![EntryId(7)],
            vec![EntryId(1), EntryId(2)],
        ] {
            assert_eq!(readers.of(&changed), asked(&all, &changed), "{changed:?}");
        }
        // A set no one reads any more is forgotten.
        let none = read(&[], &[]);
        readers.replace(2, &all[2], &none);
        all[2] = none;
        assert!(readers.by_set.is_empty());
        assert_eq!(readers.of(&[EntryId(7)]), Vec::<usize>::new());
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
