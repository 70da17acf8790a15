//! Problems found in a site's input: each names the file, the line where there is one, and what to
//! do. Stages collect every problem they find, so one build reports all of them, not just the first.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line in that file, where the problem has one.
    pub line: Option<usize>,
    /// What is wrong and what to do, in plain words.
    pub message: String,
}

impl Problem {
    pub fn new(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> Self {
        Problem::new(file, Some(line), message)
    }

    pub fn in_file(file: &Path, message: impl Into<String>) -> Self {
        Problem::new(file, None, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Every problem a stage found; the error a build returns when its input is wrong.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was found, else all problems, sorted by file and line.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl Extend<Problem> for Problems {
    fn extend<I: IntoIterator<Item = Problem>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// An error as the person who made it should read it: each content problem on its own line,
/// or else the error with its whole chain of causes; of a command that writes, that nothing was.
pub fn error_text(err: &anyhow::Error) -> String {
    error_text_ending(err, "; nothing was written")
}

/// [`error_text`] of a command that writes nothing anyway (`check`): the count of problems
/// ends with `after`.
pub fn error_text_ending(err: &anyhow::Error, after: &str) -> String {
    if let Some(problems) = err.downcast_ref::<Problems>() {
        let n = problems.0.len();
        return format!("{problems}\n{n} problem{} found{after}.", if n == 1 { "" } else { "s" });
    }
    let mut text = format!("error: {err}");
    for cause in err.chain().skip(1) {
        text.push_str(&format!("\n  caused by: {cause}"));
    }
    text
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `word`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    near_matches(word, candidates, 1).into_iter().next()
}

/// Up to `max` of `candidates` that look like `word`, best first.
pub fn near_matches<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let mut score = strsim::jaro_winkler(word, c);
            if c.contains(word) || word.contains(c) {
                score = score.max(0.9);
            }
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// A TOML error as a problem: the line counted in the whole file (`first_line` is the file's line
/// of the TOML text's first line) and, for a misspelt key, the key it probably meant.
pub fn toml_problem(file: &Path, text: &str, first_line: usize, err: &toml::de::Error) -> Problem {
    let line = err.span().map(|span| line_col(text, span.start).0 + first_line - 1);
    let message = explain_toml_message(err.message());
    Problem::new(file, line.or(Some(first_line)), message)
}

fn explain_toml_message(message: &str) -> String {
    let message = message.trim();
    // serde: "unknown field `titel`, expected one of `title`, `date`" (or "expected `x`").
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once('`') {
            let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let mut out = format!("unknown field `{field}`");
            match did_you_mean(field, allowed.iter().copied()) {
                Some(best) => out.push_str(&format!("; did you mean `{best}`?")),
                None => out.push_str("; remove it or check its spelling"),
            }
            if !allowed.is_empty() {
                out.push_str(&format!(" (allowed: {})", allowed.join(", ")));
            }
            return out;
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("missing field `{field}`: add `{field} = …`");
    }
    if message.contains("invalid date") || message.contains("invalid time") {
        return format!("{message}: write it as date = 2025-08-29 (or 2025-08-29T10:30:00+05:00)");
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "a\nбв\nг";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        assert_eq!(line_col(text, 4), (2, 2));
        assert_eq!(line_col(text, 7), (3, 1));
        assert_eq!(line_col(text, 3), (2, 1), "mid-character offsets round down");
    }

    #[test]
    fn suggestions_find_typos_and_ignore_strangers() {
        let keys = ["shanghai", "sichuan", "almaty", "almaty-region"];
        assert_eq!(did_you_mean("shanghi", keys), Some("shanghai"));
        assert_eq!(did_you_mean("almaty-regoin", keys), Some("almaty-region"));
        assert_eq!(did_you_mean("zzz", keys), None);
        assert_eq!(near_matches("almaty", keys, 3), vec!["almaty", "almaty-region"]);
    }

    #[test]
    fn toml_errors_name_the_file_line_and_a_likely_key() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
            date: String,
        }
        let text = "title = \"x\"\ndtae = \"y\"\n";
        let err = toml::from_str::<T>(text).unwrap_err();
        let p = toml_problem(Path::new("f.md"), text, 2, &err);
        assert_eq!(p.line, Some(3));
        assert!(
            p.message.starts_with("unknown field `dtae`; did you mean `date`?"),
            "{}",
            p.message
        );
        let err = toml::from_str::<T>("title = \"x\"\n").unwrap_err();
        let p = toml_problem(Path::new("f.md"), "title = \"x\"\n", 2, &err);
        assert_eq!(p.message, "missing field `date`: add `date = …`");
    }

    #[test]
    fn problems_print_file_line_and_message() {
        let mut p = Problems::default();
        p.push(Problem::at(Path::new("b.md"), 3, "second"));
        p.push(Problem::in_file(Path::new("a.toml"), "first"));
        let err = p.into_result(()).unwrap_err();
        assert_eq!(err.to_string(), "error: a.toml: first\nerror: b.md:3: second");
    }
}
