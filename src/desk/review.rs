//! The review: where an article stands — a draft, in review, returned with a comment, or
//! published — kept in its files so that git keeps it and a plain `build` needs nothing new.
//! `draft = true` with `[review] state = "submitted"` is in review, `"returned"` is back with
//! its author (`comment` says why); without `draft` an article is published, and `[review]` is
//! gone. Each language file carries the state; an article's is its least advanced file's.

use serde::Serialize;
use toml_edit::{Item, Table};

use super::articles::{DeskArticle, LangFile};
use super::save::edit_front;
use crate::content::article::ReviewState;

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Back with its author, with a comment.
    Returned,
    /// Being written.
    Draft,
    /// Submitted: an editor approves or returns it.
    InReview,
    /// Public.
    Published,
}

impl State {
    pub fn key(self) -> &'static str {
        match self {
            State::Returned => "returned",
            State::Draft => "draft",
            State::InReview => "in_review",
            State::Published => "published",
        }
    }
}

/// The state of one language file.
pub fn of_file(file: &LangFile) -> State {
    if !file.draft {
        return State::Published;
    }
    match file.source.as_ref().and_then(|s| s.review.as_ref()).map(|r| r.state) {
        Some(ReviewState::Submitted) => State::InReview,
        Some(ReviewState::Returned) => State::Returned,
        None => State::Draft,
    }
}

/// The state of an article: its least advanced file's (a translation still a draft keeps the
/// article in the author's hands).
pub fn of_article(article: &DeskArticle) -> State {
    article.files.values().map(|f| of_file(f)).min().unwrap_or(State::Draft)
}

/// The comment an editor returned the article with, and who did.
pub fn returned_with(article: &DeskArticle) -> Option<(String, String)> {
    article.files.values().find_map(|f| {
        let r = f.source.as_ref()?.review.as_ref()?;
        (r.state == ReviewState::Returned)
            .then(|| (r.comment.clone().unwrap_or_default(), r.by.clone().unwrap_or_default()))
    })
}

/// `text` submitted for review by `by` at `at`: a draft with `[review] state = "submitted"`.
pub fn submit(text: &str, by: &str, at: &str) -> Result<String, String> {
    set(text, Some(("submitted", by, at, None)))
}

/// `text` returned to its author by `by` at `at`, with `comment`.
pub fn send_back(text: &str, by: &str, at: &str, comment: &str) -> Result<String, String> {
    set(text, Some(("returned", by, at, Some(comment))))
}

/// `text` approved: published (no `draft`), its `[review]` gone.
pub fn approve(text: &str) -> Result<String, String> {
    set(text, None)
}

fn set(text: &str, review: Option<(&str, &str, &str, Option<&str>)>) -> Result<String, String> {
    edit_front(text, None, |doc| match review {
        Some((state, by, at, comment)) => {
            doc.insert("draft", toml_edit::value(true));
            let mut table = Table::new();
            table["state"] = toml_edit::value(state);
            table["by"] = toml_edit::value(by);
            table["at"] = toml_edit::value(at);
            if let Some(comment) = comment.map(str::trim).filter(|c| !c.is_empty()) {
                table["comment"] = toml_edit::value(comment);
            }
            doc.insert("review", Item::Table(table));
        }
        None => {
            doc.remove("draft");
            doc.remove("review");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "+++\ntitle = \"T\" # kept\ndate = 2025-08-29\nregion = \"almaty\"\npartners = [\"shanghai\"]\ndraft = true\n\n[[photos]]\nfile = \"x-1.jpg\"\nalt = \"A\"\n+++\n\nBody.\n";

    fn parsed(text: &str) -> crate::content::article::ArticleSource {
        let (body_stripped, _) = crate::content::article::parse(std::path::Path::new("x.ru.md"), "x", "ru", text)
            .unwrap_or_else(|p| panic!("{p:?}\n{text}"));
        body_stripped
    }

    #[test]
    fn submitted_returned_and_approved_are_read_back_by_the_build_and_keep_the_rest() {
        let submitted = submit(FILE, "erlan", "2026-12-07T10:00:00Z").unwrap();
        let s = parsed(&submitted);
        assert!(s.draft);
        assert_eq!(s.review.as_ref().unwrap().state, ReviewState::Submitted);
        assert!(submitted.contains("title = \"T\" # kept") && submitted.contains("Body."));
        let back = send_back(&submitted, "dana", "2026-12-07T11:00:00Z", "Дату уточните").unwrap();
        let r = parsed(&back).review.unwrap();
        assert_eq!(
            (r.state, r.comment.as_deref()),
            (ReviewState::Returned, Some("Дату уточните"))
        );
        let public = approve(&back).unwrap();
        let p = parsed(&public);
        assert!(!p.draft && p.review.is_none(), "{public}");
        assert_eq!(p.photos.len(), 1);
    }

    #[test]
    fn the_build_refuses_a_review_on_a_published_article_or_an_unknown_state() {
        for (text, says) in [
            (
                FILE.replace("draft = true\n", "[review]\nstate = \"submitted\"\n"),
                "[review] is for drafts",
            ),
            (
                FILE.replace("draft = true\n", "draft = true\n[review]\nstate = \"approved\"\n"),
                "not one the desk writes",
            ),
        ] {
            let problems =
                crate::content::article::parse(std::path::Path::new("x.ru.md"), "x", "ru", &text).unwrap_err();
            assert!(problems.iter().any(|p| p.message.contains(says)), "{problems:?}");
        }
    }
}
