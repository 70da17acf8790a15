//! A page's signature: the hash of everything its template sees. The view is serialized into a
//! compact, unambiguous byte form (a tag before each value, a length before each string and
//! each compound's end marked) and hashed once with XXH3-128; no JSON escaping, no allocation
//! per value. Two views with the same signature render the same bytes with the same templates.

use serde::ser::{self, Serialize};

/// A page's signature.
pub type Signature = u128;

/// The signature of `value`, seeded with `seed` (the template and shared context).
pub fn of(seed: &[u8], value: &impl Serialize) -> Result<Signature, Error> {
    let mut buf = Vec::with_capacity(4 * 1024);
    buf.extend_from_slice(seed);
    value.serialize(&mut Encoder(&mut buf))?;
    Ok(xxhash_rust::xxh3::xxh3_128(&buf))
}

/// A part of views that many pages share (an article's card), with its signature made once: in
/// a page's signature it counts as those 16 bytes, while templates see the value itself.
#[derive(Debug)]
pub struct Signed<T> {
    pub value: T,
    signature: Signature,
}

impl<T: Serialize> Signed<T> {
    pub fn new(value: T) -> Signed<T> {
        // Views are plain data and always serialize; were one not to, its pages would count as
        // changed on every rebuild (never as unchanged).
        static FAILED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let signature = of(b"signed", &value)
            .unwrap_or_else(|_| u128::MAX - u128::from(FAILED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
        Signed { value, signature }
    }
}

impl<T> std::ops::Deref for Signed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Signed<T> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Templates get human-readable data (serde_json values); only signatures are not.
        if s.is_human_readable() {
            self.value.serialize(s)
        } else {
            s.serialize_bytes(&self.signature.to_le_bytes())
        }
    }
}

/// A long text (an article body) whose hash was made when it was made. A body's HTML is read
/// back from its spill file only when a template is given it: a signature counts its hash.
#[derive(Debug, Clone, Copy)]
pub struct Hashed<'a> {
    text: Prose<'a>,
    hash: u128,
}

#[derive(Debug, Clone, Copy)]
enum Prose<'a> {
    Text(&'a str),
    Body(&'a crate::markdown::Html),
}

impl<'a> Hashed<'a> {
    /// `text`, whose hash is `hash`.
    pub fn text(text: &'a str, hash: u128) -> Self {
        Hashed {
            text: Prose::Text(text),
            hash,
        }
    }

    /// A body's HTML.
    pub fn body(body: &'a crate::markdown::Body) -> Self {
        Hashed {
            text: Prose::Body(&body.html),
            hash: body.html_hash,
        }
    }
}

impl Serialize for Hashed<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return s.serialize_bytes(&self.hash.to_le_bytes());
        }
        match self.text {
            Prose::Text(text) => s.serialize_str(text),
            Prose::Body(html) => {
                let text = html.read().map_err(|e| {
                    <S::Error as ser::Error>::custom(format!(
                        "could not read an article's text back from its temporary file: {e}"
                    ))
                })?;
                s.serialize_str(&text)
            }
        }
    }
}

#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

struct Encoder<'b>(&'b mut Vec<u8>);

impl Encoder<'_> {
    fn tag(&mut self, tag: u8) {
        self.0.push(tag);
    }
    fn bytes(&mut self, tag: u8, b: &[u8]) {
        self.0.push(tag);
        self.0.extend_from_slice(&(b.len() as u64).to_le_bytes());
        self.0.extend_from_slice(b);
    }
}

type R = Result<(), Error>;

impl<'e, 'b> ser::Serializer for &'e mut Encoder<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> R {
        self.tag(if v { 1 } else { 2 });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.bytes(3, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.bytes(4, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> R {
        self.bytes(5, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R {
        // Long strings (article bodies) are hashed where they lie rather than copied.
        if v.len() >= 256 {
            self.bytes(16, &xxhash_rust::xxh3::xxh3_128(v.as_bytes()).to_le_bytes());
        } else {
            self.bytes(6, v.as_bytes());
        }
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        self.bytes(7, v);
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.tag(8);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> R {
        self.tag(9);
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.tag(10);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        self.bytes(11, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(12);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, Error> {
        self.bytes(11, variant.as_bytes());
        self.tag(12);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(13);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.tag(13);
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, Error> {
        self.bytes(11, variant.as_bytes());
        self.tag(13);
        Ok(self)
    }
}

/// Every compound ends with its own marker, so `[a, b], c` differs from `[a], b, c`.
macro_rules! compound {
    ($trait:ident, $method:ident $(, $key:ident)?) => {
        impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, $($key: &'static str,)? value: &T) -> R {
                $(self.bytes(14, $key.as_bytes());)?
                value.serialize(&mut **self)
            }
            fn end(self) -> R {
                self.tag(15);
                Ok(())
            }
        }
    };
}

compound!(SerializeSeq, serialize_element);
compound!(SerializeTuple, serialize_element);
compound!(SerializeTupleStruct, serialize_field);
compound!(SerializeTupleVariant, serialize_field);
compound!(SerializeStruct, serialize_field, key);
compound!(SerializeStructVariant, serialize_field, key);

impl ser::SerializeMap for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> R {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> R {
        value.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(15);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Card<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        updated: Option<&'a str>,
    }

    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(flatten)]
        card: Card<'a>,
        related: Vec<Card<'a>>,
    }

    fn sig(title: &str, tags: &[&str], updated: Option<&str>) -> Signature {
        let card = |t| Card {
            title: t,
            tags: tags.to_vec(),
            updated,
        };
        of(
            b"t",
            &Page {
                card: card(title),
                related: vec![card("other")],
            },
        )
        .unwrap()
    }

    #[test]
    fn any_change_in_what_the_template_sees_changes_the_signature() {
        let base = sig("Алматы", &["a", "b"], None);
        assert_eq!(
            base,
            sig("Алматы", &["a", "b"], None),
            "the same view, the same signature"
        );
        assert_ne!(base, sig("Алмата", &["a", "b"], None));
        assert_ne!(base, sig("Алматы", &["ab"], None), "strings are length-prefixed");
        assert_ne!(base, sig("Алматы", &["a"], None));
        assert_ne!(
            base,
            sig("Алматы", &["a", "b"], Some("")),
            "None differs from Some(\"\")"
        );
    }

    #[test]
    fn a_signed_part_counts_by_its_signature_and_templates_see_its_value() {
        let a = Signed::new(Card {
            title: "Шаңхай",
            tags: vec!["a"],
            updated: None,
        });
        let b = Signed::new(Card {
            title: "Шанхай",
            tags: vec!["a"],
            updated: None,
        });
        assert_ne!(of(b"", &a).unwrap(), of(b"", &b).unwrap());
        assert_eq!(
            of(b"", &a).unwrap(),
            of(
                b"",
                &Signed::new(Card {
                    title: "Шаңхай",
                    tags: vec!["a"],
                    updated: None
                })
            )
            .unwrap()
        );
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["title"], "Шаңхай");
        assert_eq!(json["tags"][0], "a");
    }

    #[test]
    fn sequence_boundaries_count() {
        let a = of(b"", &(vec!["a", "b"], vec!["c"])).unwrap();
        let b = of(b"", &(vec!["a"], vec!["b", "c"])).unwrap();
        assert_ne!(a, b);
        assert_ne!(of(b"x", &1u8).unwrap(), of(b"y", &1u8).unwrap(), "the seed counts");
    }
}
