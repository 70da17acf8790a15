//! Splits an article into its TOML front matter and Markdown body, keeping line numbers true to
//! the file: a UTF-8 BOM is dropped, CRLF line ends are accepted, blank lines before the opening
//! `+++` are allowed.

/// An article's text cut into front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// The file's line number of the front matter's first line.
    pub front_line: usize,
    /// The Markdown after the closing `+++`.
    pub body: &'a str,
    /// The file's line number of the body's first line.
    pub body_line: usize,
}

/// Where and why a text cannot be split.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub message: &'static str,
}

const FENCE: &str = "+++";

pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SplitError {
            line: 1,
            message: "the file is empty: an article starts with a line `+++`, its front matter \
                      (title = \"…\", date = …), another `+++` line, then the text",
        });
    }
    let mut offset = 0;
    let mut line = 0;
    let mut open_line = None;
    let mut front_start = 0;
    for piece in text.split_inclusive('\n') {
        line += 1;
        let start = offset;
        offset += piece.len();
        let content = piece.trim_end();
        match open_line {
            None if content.is_empty() => continue,
            None if content == FENCE => {
                open_line = Some(line);
                front_start = offset;
            }
            None => {
                return Err(SplitError {
                    line,
                    message: "an article must start with a line `+++`, then its front matter \
                              (title = \"…\", date = …), then another `+++` line",
                })
            }
            Some(open) if content == FENCE => {
                return Ok(Split {
                    front: &text[front_start..start],
                    front_line: open + 1,
                    body: &text[offset..],
                    body_line: line + 1,
                })
            }
            Some(_) => {}
        }
    }
    Err(SplitError {
        line: open_line.unwrap_or(1),
        message: "the front matter is never closed: add a line `+++` after its last line",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_their_lines() {
        let s = split("+++\ntitle = \"x\"\n+++\n\nBody\n").unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!((s.front_line, s.body_line), (2, 4));
        assert_eq!(s.body, "\nBody\n");
    }

    #[test]
    fn bom_crlf_and_leading_blank_lines_are_accepted() {
        let s = split("\u{feff}\r\n+++\r\ntitle = \"x\"\r\n+++  \r\nBody").unwrap();
        assert_eq!(s.front, "title = \"x\"\r\n");
        assert_eq!((s.front_line, s.body_line), (3, 5));
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn fence_lines_inside_strings_are_not_confused_with_other_text() {
        let s = split("+++\na = \"+++x\"\n+++\n+++\n").unwrap();
        assert_eq!(s.front, "a = \"+++x\"\n");
        assert_eq!(s.body, "+++\n");
    }

    #[test]
    fn unclosed_missing_and_empty_are_errors_with_lines() {
        let e = split("+++\ntitle = \"x\"\n\nBody\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("never closed"));
        let e = split("\ntitle = \"x\"\n+++\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("an article must start"));
        assert!(split(" \n").unwrap_err().message.starts_with("the file is empty"));
        assert!(split("").is_err());
    }
}
