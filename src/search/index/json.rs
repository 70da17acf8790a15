//! Writing: the index's files are written by hand, byte for byte as `serde_json` would write
//! them (the tests compare), without a map or string made per stem: [`push_json`] for strings
//! and [`packed`] numbers for postings.

#[cfg(test)]
use std::collections::BTreeMap;

/// One shard as the browser reads it, as a value: what [`Index::shard_json`] writes, for tests
/// to read and to check the writing against.
#[cfg(test)]
#[derive(Debug, Default, serde::Serialize, PartialEq)]
pub struct Shard {
    /// Folded word form → the stems it stands for.
    pub f: BTreeMap<String, Vec<String>>,
    /// Stem → postings: document gap, score, document gap, score…, written as [`packed`].
    #[serde(serialize_with = "packed_postings")]
    pub t: BTreeMap<String, Vec<u32>>,
    /// Stem → its champions' document numbers, in rank order (the test's stand-in for their
    /// results).
    pub w: BTreeMap<String, Vec<u32>>,
}

/// The alphabet of [`packed`] numbers: JSON needs no escape for any of them.
pub(super) const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Numbers as one string, five bits a character from the lowest: the first 32 characters of
/// [`DIGITS`] end a number, the other 32 say more follows. A common stem's postings are a
/// third the size of a JSON array of them, and the browser reads the string without parsing
/// tens of thousands of numbers (`static/search.js` reads it back).
#[cfg(test)]
pub fn packed(numbers: &[u32]) -> String {
    let mut out = String::with_capacity(numbers.len() * 2);
    for &n in numbers {
        push_packed(&mut out, n);
    }
    out
}

/// One number, appended to `out` as [`DIGITS`] say.
pub(super) fn push_packed(out: &mut String, mut n: u32) {
    while n >= 32 {
        out.push(char::from(DIGITS[32 + (n & 31) as usize]));
        n >>= 5;
    }
    out.push(char::from(DIGITS[n as usize]));
}

/// `text` as a JSON string, byte for byte as `serde_json` writes it, appended to `out`, for the
/// index's files written by hand. Most of what they hold (folded words, links, titles) has
/// nothing to escape, and is copied whole.
pub fn push_json(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        let i = to_escape(bytes, from);
        // Escapes are ASCII, at character boundaries.
        out.push_str(&text[from..i]);
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        from = i + 1;
    }
    out.push('"');
}

/// The first byte from `from` on that JSON escapes (`"`, `\\`, a control character), or the
/// length of `bytes`. (An SSE2 version saved nothing measurable: the strings are short.)
fn to_escape(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map_or(bytes.len(), |k| from + k)
}

#[cfg(test)]
pub(super) fn packed_postings<S: serde::Serializer>(t: &BTreeMap<String, Vec<u32>>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(t.len()))?;
    for (stem, postings) in t {
        map.serialize_entry(stem, &packed(postings))?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads [`packed`] numbers back, as `static/search.js` does.
    fn unpacked(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let (mut n, mut shift) = (0u32, 0);
        for c in s.bytes() {
            let d = DIGITS.iter().position(|&x| x == c).unwrap() as u32;
            if d >= 32 {
                n |= (d - 32) << shift;
                shift += 5;
            } else {
                out.push(n | d << shift);
                (n, shift) = (0, 0);
            }
        }
        out
    }

    #[test]
    fn postings_are_packed_and_read_back() {
        let numbers = [0, 1, 31, 32, 33, 1023, 1024, 65_535, 1_000_000, u32::MAX];
        let s = packed(&numbers);
        assert_eq!(unpacked(&s), numbers);
        // Small numbers (most gaps and scores) take one or two characters.
        assert_eq!(packed(&[5, 40]).len(), 3);
        assert!(s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        let shard = Shard {
            f: BTreeMap::new(),
            t: [("шанхай".to_string(), vec![3, 40, 1, 12])].into(),
            w: BTreeMap::new(),
        };
        let json = serde_json::to_value(&shard).unwrap();
        assert_eq!(unpacked(json["t"]["шанхай"].as_str().unwrap()), [3, 40, 1, 12]);
    }

    #[test]
    fn a_string_is_escaped_as_serde_json_escapes_it() {
        let pieces = [
            "Шаңхай",
            "a",
            " ",
            "\"",
            "\\",
            "\n",
            "\t",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "«»",
            "😀",
            "0123456789",
        ];
        let mut rng = fastrand::Rng::with_seed(14);
        for _ in 0..20_000 {
            let text: String = (0..rng.usize(0..30))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let mut out = String::from("x");
            push_json(&mut out, &text);
            assert_eq!(out[1..], serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }
}
