//! The plain text of a page's HTML: tags dropped, the entities the Markdown renderer writes
//! decoded, white space folded, for descriptions, feeds and the search index. Runs of text are
//! found 64 bytes at a time (SSE2, AVX2 where the processor has it; a scalar table elsewhere),
//! each checked byte by byte against [`strip_tags`]'s plain reference in the tests.

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
    let (special, spaces) = {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2.
                let ([s0, s1], [p0, p1]) = unsafe { avx2::special(bytes, at) };
                (u64::from(s0) | u64::from(s1) << 32, u64::from(p0) | u64::from(p1) << 32)
            } else {
                sse2::special(bytes, at)
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            special_by_bytes(bytes, at)
        }
    };
    special | (spaces & ((spaces | special) >> 1 | 1 << 63))
}

/// Of the 64 bytes from `at`: which are below 0x20, `<`, `&`, C2 or E1–E3 (`special`), and
/// which are spaces, as bits; past the end of `bytes`, zeros (special).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn special_by_bytes(bytes: &[u8], at: usize) -> (u64, u64) {
    let (mut special, mut spaces) = (0, 0);
    for k in 0..64 {
        let b = bytes.get(at + k).copied().unwrap_or(0);
        if b < 0x20 || matches!(b, b'<' | b'&' | 0xC2 | 0xE1..=0xE3) {
            special |= 1 << k;
        } else if b == b' ' {
            spaces |= 1 << k;
        }
    }
    (special, spaces)
}

/// The text's bytes sixteen at a time, with the instructions every x86-64 has.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    /// [`super::special_by_bytes`], from a copy padded with zeros at the end of the text.
    #[inline(always)]
    pub(super) fn special(bytes: &[u8], at: usize) -> (u64, u64) {
        if at + 64 <= bytes.len() {
            of(&bytes[at..at + 64])
        } else {
            of(&crate::search::words::padded::<64>(bytes, at))
        }
    }

    #[inline(always)]
    fn of(chunk: &[u8]) -> (u64, u64) {
        let (mut special, mut spaces) = (0, 0);
        for k in 0..4 {
            let sixteen = &chunk[16 * k..16 * k + 16];
            // SAFETY: SSE2 is part of x86-64; `sixteen` has 16 bytes, and the load has no
            // alignment to keep.
            let (s, p) = unsafe {
                let v = _mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>());
                let byte = |b: u8| _mm_set1_epi8(b as i8);
                // Below 0x20: the bytes that a maximum with 0x1F leaves as 0x1F.
                let control = _mm_cmpeq_epi8(_mm_max_epu8(v, byte(0x1F)), byte(0x1F));
                // E1–E3: moved to -128..-126, below -125 signed.
                let e1_e3 = _mm_cmplt_epi8(_mm_add_epi8(v, byte(0x80u8.wrapping_sub(0xE1))), byte(0x83));
                let s = _mm_or_si128(
                    _mm_or_si128(control, e1_e3),
                    _mm_or_si128(
                        _mm_or_si128(_mm_cmpeq_epi8(v, byte(b'<')), _mm_cmpeq_epi8(v, byte(b'&'))),
                        _mm_cmpeq_epi8(v, byte(0xC2)),
                    ),
                );
                (
                    _mm_movemask_epi8(s) as u32,
                    _mm_movemask_epi8(_mm_cmpeq_epi8(v, byte(b' '))) as u32,
                )
            };
            special |= u64::from(s) << (16 * k);
            spaces |= u64::from(p) << (16 * k);
        }
        (special, spaces)
    }
}

/// The text's bytes 32 at a time, where the processor has AVX2.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_max_epu8,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };

    /// [`super::special_by_bytes`], from a copy padded with zeros at the end of the text, as
    /// halves of 32 bits: joined here, the two masks were taken apart bit by bit (LLVM makes
    /// one mask of 64 comparisons, which AVX2 has no register for).
    #[target_feature(enable = "avx2")]
    pub(super) fn special(bytes: &[u8], at: usize) -> ([u32; 2], [u32; 2]) {
        if at + 64 <= bytes.len() {
            of(&bytes[at..at + 64])
        } else {
            of(&crate::search::words::padded::<64>(bytes, at))
        }
    }

    #[target_feature(enable = "avx2")]
    fn of(chunk: &[u8]) -> ([u32; 2], [u32; 2]) {
        let (s0, p0) = thirty_two(&chunk[..32]);
        let (s1, p1) = thirty_two(&chunk[32..64]);
        ([s0, s1], [p0, p1])
    }

    /// Of 32 bytes, which are special and which are spaces.
    #[target_feature(enable = "avx2")]
    fn thirty_two(part: &[u8]) -> (u32, u32) {
        let part = &part[..32];
        // SAFETY: `part` has 32 bytes, and the load has no alignment to keep.
        let v = unsafe { _mm256_loadu_si256(part.as_ptr().cast::<__m256i>()) };
        // Below 0x20: the bytes that a maximum with 0x1F leaves as 0x1F.
        let low = _mm256_set1_epi8(0x1F);
        let control = _mm256_cmpeq_epi8(_mm256_max_epu8(v, low), low);
        // E1–E3: moved to -128..-126, below -125 signed.
        let moved = _mm256_add_epi8(v, _mm256_set1_epi8(0x80u8.wrapping_sub(0xE1) as i8));
        let e1_e3 = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x83u8 as i8), moved);
        let s = _mm256_or_si256(
            _mm256_or_si256(control, e1_e3),
            _mm256_or_si256(
                _mm256_or_si256(
                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'<' as i8)),
                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'&' as i8)),
                ),
                _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0xC2u8 as i8)),
            ),
        );
        let spaces = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b' ' as i8));
        (_mm256_movemask_epi8(s) as u32, _mm256_movemask_epi8(spaces) as u32)
    }
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

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_byte_is_a_candidate_sixteen_or_32_at_a_time_as_byte_by_byte() {
        for b in 0..=255u8 {
            for at in [0, 15, 16, 63, 64, 99] {
                let mut bytes = [b'x'; 100];
                bytes[at] = b;
                // From the start, and from a place whose 64 bytes run past the end.
                for from in [0, 1, 40, 70] {
                    let expected = special_by_bytes(&bytes, from);
                    assert_eq!(sse2::special(&bytes, from), expected, "{b:#x} at {at} from {from}");
                    if std::arch::is_x86_feature_detected!("avx2") {
                        // SAFETY: the processor has AVX2.
                        let ([s0, s1], [p0, p1]) = unsafe { avx2::special(&bytes, from) };
                        let got = (u64::from(s0) | u64::from(s1) << 32, u64::from(p0) | u64::from(p1) << 32);
                        assert_eq!(got, expected, "AVX2: {b:#x} at {at} from {from}");
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
