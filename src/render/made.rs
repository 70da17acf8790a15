//! A view that is its file: bytes its kind made itself ([`super::pages::Format::Made`]), for
//! a file whose making is most of its cost and which no template or serializer would write as
//! cheaply (the search index's articles: their text goes into the file as it is stripped of
//! tags, with no copy for JSON). Signed by the hash of its bytes.

use serde::ser::{self, Impossible, Serialize};

/// A file's bytes.
pub struct Made {
    bytes: Vec<u8>,
}

impl Made {
    pub fn new(bytes: Vec<u8>) -> Made {
        Made { bytes }
    }
}

impl Serialize for Made {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_bytes(&self.bytes)
        } else {
            // For a signature (serve's rebuilds), their hash: made only when asked for.
            s.serialize_bytes(&xxhash_rust::xxh3::xxh3_128(&self.bytes).to_le_bytes())
        }
    }
}

/// The bytes of a [`Made`] view (any other view is an error).
pub fn bytes_of(view: &dyn erased_serde::Serialize) -> anyhow::Result<Vec<u8>> {
    let mut out = None;
    with_bytes(view, |bytes| {
        out = Some(bytes.to_vec());
        Ok(())
    })?;
    Ok(out.unwrap_or_default())
}

/// Hands the bytes of a [`Made`] view to `put` (a sink), without copying them.
pub fn with_bytes(
    view: &dyn erased_serde::Serialize,
    put: impl FnOnce(&[u8]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut failed = None;
    let taken = erased_serde::serialize(
        view,
        Take(|bytes: &[u8]| {
            put(bytes).map_err(|e| {
                failed = Some(e);
                NotMade("could not be put".into())
            })
        }),
    );
    match (taken, failed) {
        (_, Some(e)) => Err(e),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(()),
    }
}

/// The error of [`bytes_of`] for a view that is not [`Made`].
#[derive(Debug)]
pub struct NotMade(String);

impl std::fmt::Display for NotMade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the view is not a made file: {}", self.0)
    }
}

impl std::error::Error for NotMade {}

impl ser::Error for NotMade {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        NotMade(msg.to_string())
    }
}

/// A serializer that takes bytes, hands them on, and takes nothing else.
struct Take<F>(F);

/// Methods of [`Take`] that refuse what they are given: `name(arguments)`, or with `->` the
/// compound serializer they would return.
macro_rules! not_bytes {
    ($($f:ident($($t:ty),*) $(-> $ok:ty)?;)*) => {
        $(fn $f(self, $(_: $t),*) -> Result<not_bytes!(@ok $($ok)?), NotMade> {
            Err(NotMade(concat!("it has ", stringify!($f)).to_string()))
        })*
    };
    (@ok) => { () };
    (@ok $ok:ty) => { $ok };
}

impl<F: FnOnce(&[u8]) -> Result<(), NotMade>> ser::Serializer for Take<F> {
    type Ok = ();
    type Error = NotMade;
    type SerializeSeq = Impossible<(), NotMade>;
    type SerializeTuple = Impossible<(), NotMade>;
    type SerializeTupleStruct = Impossible<(), NotMade>;
    type SerializeTupleVariant = Impossible<(), NotMade>;
    type SerializeMap = Impossible<(), NotMade>;
    type SerializeStruct = Impossible<(), NotMade>;
    type SerializeStructVariant = Impossible<(), NotMade>;

    fn serialize_bytes(self, v: &[u8]) -> Result<(), NotMade> {
        (self.0)(v)
    }

    not_bytes! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), NotMade> {
        Err(NotMade("it has serialize_some".into()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<(), NotMade> {
        Err(NotMade("it has serialize_newtype_struct".into()))
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotMade> {
        Err(NotMade("it has serialize_newtype_variant".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_view_gives_its_bytes_and_is_signed_by_them() {
        let a = Made::new(b"[1,2]".to_vec());
        assert_eq!(bytes_of(&a).unwrap(), b"[1,2]");
        let sign = |m: &Made| crate::render::signature::of(b"seed", m).unwrap();
        assert_eq!(sign(&a), sign(&Made::new(b"[1,2]".to_vec())));
        assert_ne!(sign(&a), sign(&Made::new(b"[1,3]".to_vec())));
        // Any other view is refused, not written as something else.
        let err = bytes_of(&vec![1, 2]).unwrap_err();
        assert!(err.to_string().contains("not a made file"), "{err}");
        // The sink's error is the error, whole.
        let err = with_bytes(&a, |_| Err(anyhow::anyhow!("Cannot write x.json (is the disk full?)"))).unwrap_err();
        assert_eq!(err.to_string(), "Cannot write x.json (is the disk full?)");
    }
}
