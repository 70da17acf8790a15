//! Ids of the model's things: positions in their lists, as types of their own, so an entry's
//! id cannot be passed where a city's is meant. Each indexes any `Vec` or slice (the model's
//! lists and the per-language, per-city and per-entry tables built beside them).

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub usize);

        impl $name {
            /// Every id of a list of `len` things, in order.
            pub fn all(len: usize) -> impl Iterator<Item = $name> + Clone {
                (0..len).map($name)
            }

            /// Each thing of `list` with its id.
            pub fn each<T>(list: &[T]) -> impl Iterator<Item = ($name, &T)> + Clone {
                list.iter().enumerate().map(|(i, t)| ($name(i), t))
            }
        }

        impl<T> std::ops::Index<$name> for Vec<T> {
            type Output = T;
            fn index(&self, id: $name) -> &T {
                &self[id.0]
            }
        }

        impl<T> std::ops::IndexMut<$name> for Vec<T> {
            fn index_mut(&mut self, id: $name) -> &mut T {
                &mut self[id.0]
            }
        }

        impl<T> std::ops::Index<$name> for [T] {
            type Output = T;
            fn index(&self, id: $name) -> &T {
                &self[id.0]
            }
        }

        impl<T> std::ops::IndexMut<$name> for [T] {
            fn index_mut(&mut self, id: $name) -> &mut T {
                &mut self[id.0]
            }
        }
    };
}

id!(
    /// An article in one language: its place in `Model::entries` (newest first).
    EntryId
);
id!(
    /// A city, region or country: its place in `Model::cities` (sorted by key).
    CityId
);
id!(
    /// A language: its place in `config.languages` (the default first).
    LangId
);
id!(
    /// A tag of one language: its place in that language's `LangIndex::tags` (by slug).
    TagId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_lists_and_count_them() {
        let mut v = vec!["a", "b", "c"];
        v[EntryId(1)] = "x";
        assert_eq!(v[EntryId(1)], "x");
        assert_eq!(v.as_slice()[CityId(2)], "c");
        let all: Vec<LangId> = LangId::all(2).collect();
        assert_eq!(all, [LangId(0), LangId(1)]);
    }
}
