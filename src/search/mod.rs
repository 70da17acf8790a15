//! Search in the reader's browser, in both languages: the index the build writes (one per
//! language, split in shards so that a query fetches little) and the text analysis behind it.
pub mod analyze;
pub mod fold;
pub mod index;
pub mod kazakh;
pub mod words;
