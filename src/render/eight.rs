//! Bytes read eight at a time as one number (the first byte lowest), for the scans every
//! article's text passes through: which bytes of the eight are of a kind, as the high bit of
//! each.

/// 0x01 in every byte.
const ONES: u64 = u64::MAX / 255;
/// The high bit of every byte.
pub const HIGH: u64 = ONES * 0x80;

/// The first eight bytes, if there are eight.
#[inline(always)]
pub fn first(bytes: &[u8]) -> Option<u64> {
    bytes.first_chunk::<8>().map(|b| u64::from_le_bytes(*b))
}

/// `b` in every byte.
#[inline(always)]
pub const fn all(b: u8) -> u64 {
    ONES * b as u64
}

/// The high bit of each byte of `v` below `n` (at most 0x80) set, once masked with [`HIGH`]
/// (left to the caller, to mask several at once). A borrow may set a higher byte's too, never
/// a lower one's: exact for the lowest set, and for whether any is.
#[inline(always)]
pub fn below(v: u64, n: u8) -> u64 {
    v.wrapping_sub(all(n)) & !v
}

/// The high bit of each byte of `v` that is `b` set, as [`below`] marks them (the lowest exact).
#[inline(always)]
pub fn is(v: u64, b: u8) -> u64 {
    below(v ^ all(b), 1)
}

/// The high bit of each byte of `v` that is `b`, every one exact.
#[inline(always)]
pub fn exactly(v: u64, b: u8) -> u64 {
    const LOW: u64 = ONES * 0x7F;
    let x = v ^ all(b);
    !(((x & LOW) + LOW) | x) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_match_a_byte_at_a_time() {
        let bytes = *b"a \x1f\" \"\\\xd0";
        let v = first(&bytes).unwrap();
        let marks = |f: &dyn Fn(u8) -> bool| -> u64 {
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| f(b))
                .map(|(k, _)| 0x80 << (8 * k))
                .sum()
        };
        assert_eq!(exactly(v, b' '), marks(&|b| b == b' '));
        let lowest = |m: u64| m.trailing_zeros();
        assert_eq!(lowest(below(v, 0x20) & HIGH), lowest(marks(&|b| b < 0x20)));
        assert_eq!(lowest(is(v, b'"') & HIGH), lowest(marks(&|b| b == b'"')));
        assert_eq!(is(v, b'<') & HIGH, 0);
        assert_eq!(first(&bytes[1..]), None);
    }
}
