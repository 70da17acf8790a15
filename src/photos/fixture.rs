//! Photos for tests, generated: the portal has no real photos and none may be invented. Each
//! is upright red above and blue below (so a test can see it was turned the right way), stored
//! turned as a phone stores it, with EXIF saying how to turn it, where it was taken (GPS), the
//! camera's make and serial number and its owner — everything the site must not publish.

use image::{DynamicImage, Rgb, RgbImage};

/// What the fixtures' EXIF says, for tests to look for in the output.
pub const MAKE: &str = "TwinpressTestCam";
pub const SERIAL: &str = "SN-4471-GPS-LEAK";
pub const OWNER: &str = "Private Owner Name";

/// An upright `width`×`height` picture: red above, blue below, varied by `seed`.
pub fn picture(width: u32, height: u32, seed: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let shade = ((x * 60 / width.max(1)) as u8).wrapping_add((seed % 50) as u8);
        if y < height / 2 {
            Rgb([200u8.saturating_add(shade / 4), 30 + shade, 30])
        } else {
            Rgb([30, 30 + shade, 200u8.saturating_add(shade / 4)])
        }
    })
}

/// A JPEG of [`picture`], stored turned so that EXIF `orientation` (1–8) makes it upright,
/// with GPS, make, serial and owner in its EXIF.
pub fn jpeg(width: u32, height: u32, orientation: u16, seed: u32) -> Vec<u8> {
    let upright = DynamicImage::ImageRgb8(picture(width, height, seed));
    // The stored pixels are the upright ones turned back.
    let stored = match orientation {
        2 => upright.fliph(),
        3 => upright.rotate180(),
        4 => upright.flipv(),
        5 => upright.rotate270().flipv(),
        6 => upright.rotate270(),
        7 => upright.rotate90().flipv(),
        8 => upright.rotate90(),
        _ => upright,
    }
    .into_rgb8();
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder
        .add_exif_metadata(&exif(orientation))
        .expect("the fixture's EXIF fits a segment");
    encoder
        .encode(
            stored.as_raw(),
            stored.width() as u16,
            stored.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("a fixture JPEG encodes");
    out
}

/// A PNG of [`picture`].
pub fn png(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture(width, height, seed)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a fixture PNG encodes");
    out.into_inner()
}

/// A (lossless) WebP of [`picture`].
pub fn webp(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture(width, height, seed)
        .write_to(&mut out, image::ImageFormat::WebP)
        .expect("a fixture WebP encodes");
    out.into_inner()
}

/// A PNG header claiming `width`×`height` pixels, with almost no data: a decompression bomb.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The first bytes of a HEIC file (an iPhone photo).
pub fn heic() -> Vec<u8> {
    let mut out = vec![0, 0, 0, 24];
    out.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    out.extend_from_slice(&[0; 64]);
    out
}

/// A little-endian TIFF block: IFD0 with make, orientation, owner, serial and a GPS IFD
/// placing the photo in Almaty.
fn exif(orientation: u16) -> Vec<u8> {
    // IFD0: 5 entries, at offset 8.
    let ifd0_len = 2 + 5 * 12 + 4;
    let strings_at = 8 + ifd0_len;
    let make = format!("{MAKE}\0");
    let owner = format!("{OWNER}\0");
    let serial = format!("{SERIAL}\0");
    let owner_at = strings_at + make.len();
    let serial_at = owner_at + owner.len();
    let gps_at = serial_at + serial.len();
    let gps_len = 2 + 4 * 12 + 4;
    let rationals_at = gps_at + gps_len;

    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    t.extend_from_slice(&5u16.to_le_bytes());
    entry(&mut t, 0x010F, 2, make.len() as u32, strings_at as u32);
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x013B, 2, owner.len() as u32, owner_at as u32);
    entry(&mut t, 0x8825, 4, 1, gps_at as u32);
    entry(&mut t, 0xC62F, 2, serial.len() as u32, serial_at as u32);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(make.as_bytes());
    t.extend_from_slice(owner.as_bytes());
    t.extend_from_slice(serial.as_bytes());
    // GPS IFD: 43°15′N 76°56′E.
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, rationals_at as u32);
    entry(&mut t, 0x0003, 2, 2, u32::from_le_bytes(*b"E\0\0\0"));
    entry(&mut t, 0x0004, 5, 3, rationals_at as u32 + 24);
    t.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(43u32, 1u32), (15, 1), (0, 1), (76, 1), (56, 1), (0, 1)] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    t
}
