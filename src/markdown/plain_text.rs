//! The plain text of a page's HTML: tags dropped, the entities the Markdown renderer writes
//! decoded, white space folded, for descriptions, feeds and the search index. Runs of text are
//! found 64 bytes at a time ([`crate::simd::markup`]), and [`strip_tags`] is checked against a
//! plain reference in the tests.

use crate::simd::{markup, Levels};

/// The entities the Markdown renderer writes, decoded by [`strip_tags`].
const ENTITIES: [(&str, char); 5] = [
    ("&amp;", '&'),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
];

/// Plain text of an HTML fragment, for descriptions.
/// Tags are dropped (each ends a word), runs of white space become one space, and the
/// entities the Markdown renderer writes are decoded. One pass over the bytes, copying runs of
/// text whole: search reads every article so.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let _control = strip_tags_into(html, &mut out);
    out
}

/// [`strip_tags`], appended to `out`; whether it copied a control character (which JSON
/// escapes: every one stops a run of text, so telling costs nothing).
pub fn strip_tags_into(html: &str, out: &mut String) -> bool {
    strip_tags_until(html, out, usize::MAX).0
}

/// [`strip_tags_into`], stopped between runs of text once it has appended `limit` bytes or
/// more (what it appended is where the whole text begins); whether it copied a control
/// character, and whether it got to the end.
#[inline(always)]
pub fn strip_tags_until(html: &str, out: &mut String, limit: usize) -> (bool, bool) {
    let bytes = html.as_bytes();
    // Whether this text has begun: white space before it is dropped.
    let base = out.len();
    let mut space = false;
    let mut control = false;
    let mut chunk = Chunk {
        at: usize::MAX,
        mask: 0,
    };
    let mut i = 0;
    while i < bytes.len() {
        if out.len() - base >= limit {
            return (control, false);
        }
        // A run of text up to the next stop; a single space between two bytes of text is kept
        // in it (it is already the one space white space becomes).
        let mut run = run_end(bytes, i, &mut chunk, &mut control);
        // A space the bytes skipped whole ended with is white space before a stop.
        if run > i + 1 && bytes[run - 1] == b' ' {
            run -= 1;
        }
        if run > i {
            if space && out.len() > base {
                out.push(' ');
            }
            space = false;
            out.push_str(&html[i..run]);
            i = run;
            continue;
        }
        let b = bytes[i];
        let len = match b {
            b'<' => {
                space = true;
                memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len() - i, |n| n + 1)
            }
            b'&' => {
                if space && out.len() > base {
                    out.push(' ');
                }
                space = false;
                match ENTITIES.iter().find(|(e, _)| html[i..].starts_with(e)) {
                    Some((e, decoded)) => {
                        out.push(*decoded);
                        e.len()
                    }
                    None => {
                        out.push('&');
                        1
                    }
                }
            }
            // ASCII white space, or a longer character the run stopped at: white space.
            _ => {
                space = true;
                other_space(&bytes[i..]).unwrap_or(1)
            }
        };
        i += len;
    }
    (control, true)
}

/// What a byte of UTF-8 text is to [`strip_tags`]: text to copy, the first byte of a
/// character that may be white space (told apart by [`other_space`]), or a stop (a tag, an
/// entity, ASCII white space).
const TEXT: u8 = 0;
const LEAD: u8 = 1;
const STOP: u8 = 2;
const BYTE: [u8; 256] = {
    let mut class = [TEXT; 256];
    let stops = b"<& \t\n\x0b\x0c\r";
    let mut k = 0;
    while k < stops.len() {
        class[stops[k] as usize] = STOP;
        k += 1;
    }
    // U+0085 and U+00A0 start with C2; U+1680 with E1; U+2000–U+205F with E2; U+3000 with E3.
    class[0xC2] = LEAD;
    class[0xE1] = LEAD;
    class[0xE2] = LEAD;
    class[0xE3] = LEAD;
    class
};

/// The [`candidates`] of 64 bytes from `at`: a text's runs and stops are read from one chunk
/// until they pass its end.
struct Chunk {
    at: usize,
    mask: u64,
}

/// Where the run of text from `i` ends: at the first stop, told among the bytes that may be
/// one ([`candidates`], 64 at a time, in `chunk`); a control character copied in it sets
/// `control`. A run does not begin with a space (white space before it is dropped).
#[inline(always)]
fn run_end(bytes: &[u8], i: usize, chunk: &mut Chunk, control: &mut bool) -> usize {
    if bytes.get(i) == Some(&b' ') {
        return i;
    }
    let mut m = if chunk.at <= i && i - chunk.at < 64 {
        chunk.mask & (u64::MAX << (i - chunk.at))
    } else {
        *chunk = Chunk {
            at: i,
            mask: candidates(bytes, i),
        };
        chunk.mask
    };
    loop {
        while m != 0 {
            let p = chunk.at + m.trailing_zeros() as usize;
            m &= m - 1;
            let Some(&b) = bytes.get(p) else { return bytes.len() };
            match BYTE[b as usize] {
                // A control character: text, which JSON escapes.
                TEXT => *control |= b < 0x20,
                // «, », — and the like (all of Cyrillic is text) stay in the run; the bytes
                // after a character's first are no candidates.
                LEAD if other_space(&bytes[p..]).is_none() => {}
                // A space before a byte that is text stays: that byte is told as a candidate
                // itself if it is one.
                _ if b == b' '
                    && bytes.get(p + 1).is_some_and(|&n| match BYTE[n as usize] {
                        TEXT => true,
                        LEAD => other_space(&bytes[p + 1..]).is_none(),
                        _ => false,
                    }) => {}
                _ => return p,
            }
        }
        if chunk.at + 64 >= bytes.len() {
            return bytes.len();
        }
        chunk.at += 64;
        chunk.mask = candidates(bytes, chunk.at);
        m = chunk.mask;
    }
}

/// Of the 64 bytes of `bytes` from `at` (those past its end taken as zeros), as bits, those
/// that may end a run of text: a stop or [`LEAD`] by [`BYTE`] (C2, E1–E3), a control character,
/// and a space before a space or one of those (or last, where what follows is not seen).
#[inline(always)]
fn candidates(bytes: &[u8], at: usize) -> u64 {
    let (special, spaces) = markup::classify(Levels::get().markup, bytes, at);
    special | (spaces & ((spaces | special) >> 1 | 1 << 63))
}

/// The length in bytes of the character whose first byte is `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0.. => 4,
        _ => 1,
    }
}

/// If `bytes` (valid UTF-8, from a character's start) begin with a white space character, its
/// length.
fn other_space(bytes: &[u8]) -> Option<usize> {
    let len = utf8_len(*bytes.first()?);
    let c = std::str::from_utf8(bytes.get(..len)?).ok()?.chars().next()?;
    c.is_whitespace().then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `strip_tags` does, said plainly, a character at a time: the reference its runs of
    /// text are checked against.
    fn strip_tags_plainly(html: &str) -> String {
        let mut out = String::new();
        let mut space = false;
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            let mut len = c.len_utf8();
            if c == '<' {
                len = rest.find('>').map_or(rest.len(), |n| n + 1);
                space = true;
            } else if c.is_whitespace() {
                space = true;
            } else {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                    Some((e, decoded)) => {
                        out.push(*decoded);
                        len = e.len();
                    }
                    None => out.push(c),
                }
            }
            rest = &rest[len..];
        }
        out
    }

    #[test]
    fn strip_tags_keeps_to_the_reference_with_a_stop_at_every_place_of_a_chunk() {
        // Each kind of stop, and pairs of them, at every place of the first sixteens and across
        // the first chunks of 64 bytes, in Cyrillic and in ASCII.
        let stops = [
            "<b>", "&amp;", "&x", " ", "  ", "\n", "\u{1}", "\u{a0}", "«", "—", "\u{2009}", "\u{3000}", " <i>",
        ];
        for fill in ["ж", "ab"] {
            for stop in stops {
                for other in ["", " ", "»"] {
                    for at in 0..140 {
                        let mut html: String = fill.repeat(at / fill.len());
                        html.push_str(&"a".repeat(at % fill.len()));
                        html.push_str(stop);
                        html.push_str(&fill.repeat(3));
                        html.push_str(other);
                        html.push_str(&fill.repeat(12));
                        assert_eq!(strip_tags(&html), strip_tags_plainly(&html), "{html:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn strip_tags_keeps_to_the_reference_on_random_html() {
        let pieces = [
            "a",
            "Шаңхай",
            " ",
            "  ",
            "\n",
            "\t",
            "<p>",
            "</p>",
            "<br>",
            "&amp;",
            "&lt;",
            "&#39;",
            "&copy;",
            "&",
            "«",
            "»",
            "\u{a0}",
            "\u{2009}",
            "—",
            "\u{3000}",
            "\u{85}",
            "\u{1680}",
            "\u{2028}",
            "\x0b",
            "…",
            "–",
            "©",
            "é",
            "😀",
            "x",
            "<a href=\"y z\">",
            "<",
            ">",
            // Runs read 64 bytes at a time: words with single spaces, characters that
            // are text though they look like stops (a control character, a private use one).
            "Алматы облысы әкімі",
            "one two three four",
            "\u{1}",
            "\u{e000}",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..40_000 {
            let mut html = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Up to 40 pieces: runs across chunks of 64 bytes.
            let mut piece = seed;
            for _ in 0..(seed % 40) {
                piece ^= piece << 13;
                piece ^= piece >> 7;
                piece ^= piece << 17;
                html.push_str(pieces[(piece % pieces.len() as u64) as usize]);
            }
            let text = strip_tags(&html);
            assert_eq!(text, strip_tags_plainly(&html), "{html:?}");
            assert_eq!(text.trim(), text, "no white space at either end: {html:?}");
            // Appended to text already there, the same: no white space before it.
            let mut after = String::from("«x» ");
            let control = strip_tags_into(&html, &mut after);
            assert_eq!(after, format!("«x» {text}"), "{html:?}");
            assert_eq!(control, text.bytes().any(|b| b < 0x20), "{html:?}");
            // Stopped early, its beginning: at least `limit` bytes, unless it is all of it.
            let limit = (seed >> 40) as usize % 24;
            let mut begun = String::new();
            let (_, whole) = strip_tags_until(&html, &mut begun, limit);
            assert!(text.starts_with(&begun), "{html:?} {limit}: {begun:?}");
            assert!(
                if whole { begun == text } else { begun.len() >= limit },
                "{html:?} {limit}"
            );
        }
    }

    #[test]
    fn tags_are_stripped_for_descriptions() {
        assert_eq!(
            strip_tags("<p>Город <em>яблок</em> &amp; гор</p>\n"),
            "Город яблок & гор"
        );
        assert_eq!(strip_tags("<p>a</p><p>b</p>"), "a b");
        assert_eq!(strip_tags("  x\n\t y  "), "x y");
        assert_eq!(
            strip_tags("Алматы\u{a0}—\u{2009}Шаңхай «x»\u{3000}y"),
            "Алматы — Шаңхай «x» y"
        );
        // Each entity is decoded once: `&amp;lt;` is the text `&lt;`.
        assert_eq!(
            strip_tags("&lt;b&gt; &quot;R&amp;D&#39;s&quot; &amp;lt; &copy;"),
            "<b> \"R&D's\" &lt; &copy;"
        );
    }
}
