//! One integration test binary over small fixture sites (`tests/sites/`), a module per feature.

mod build;
mod cli;
mod deploy;
mod desk;
mod docs;
mod editors;
mod equivalence;
mod feeds;
mod fuzz_regressions;
mod incremental;
mod invalid;
mod layout;
mod newsroom;
mod output;
mod pages;
mod photos;
mod reference;
mod releases;
mod reliability;
mod remote;
mod safety;
mod search;
mod serve;
mod structured;
mod support;
mod templates;
