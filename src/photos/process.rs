//! One photo from the editor's bytes to the site's files: the type sniffed from the bytes (never
//! the name), decoded within pixel and memory limits, turned upright by its EXIF orientation,
//! resized to each width (never up) and encoded as WebP and JPEG from pixels alone, so nothing
//! of the source's metadata (GPS position, camera serial, owner) can reach the output.

use std::io::Cursor;

use fast_image_resize as fr;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, RgbImage};

use super::{Format, Settings};

/// What the bytes say they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

/// Sniffs `bytes`: a supported kind, or a message saying what the file is and what to do.
pub fn sniff(bytes: &[u8]) -> Result<Kind, String> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let brand = bytes.get(4..12).unwrap_or_default();
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Ok(Kind::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Ok(Kind::Png)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Ok(Kind::Webp)
    } else if brand.starts_with(b"ftyp")
        && [&b"heic"[..], b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"].contains(&&brand[4..])
    {
        Err(
            "is a HEIC photo (an iPhone's format), which browsers cannot show: export it as JPEG \
             (on the iPhone: Settings → Camera → Formats → Most Compatible; on a Mac: Preview → File → Export → JPEG)"
                .into(),
        )
    } else if brand.starts_with(b"ftyp") && (&brand[4..] == b"avif" || &brand[4..] == b"avis") {
        Err("is an AVIF image, which twinpress does not read: export it as JPEG or PNG".into())
    } else if starts(b"GIF8") {
        Err("is a GIF: save it as PNG (or JPEG for a photo)".into())
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Err("is a TIFF (or a camera's raw file): export it as JPEG".into())
    } else if starts(b"BM") {
        Err("is a BMP: save it as PNG or JPEG".into())
    } else if starts(b"%PDF") {
        Err("is a PDF, not a photo: export the picture as JPEG or PNG".into())
    } else {
        Err("is not a JPEG, PNG or WebP image (its first bytes say otherwise): export it as JPEG".into())
    }
}

/// A photo decoded as stored, perhaps already made smaller by the decoder (a JPEG decodes at
/// 1/2, 1/4 or 1/8 of its size when the largest width needs no more). It is turned upright
/// after each resize, on the smaller picture: no full-size copy is made to turn it.
pub struct Decoded {
    /// As stored (not yet turned).
    pub image: RgbImage,
    /// What turns it upright.
    pub orientation: Orientation,
    /// The upright size of the original, before any reduction.
    pub width: u32,
    pub height: u32,
}

impl Decoded {
    /// The whole picture upright (tests look at it).
    pub fn upright(&self) -> RgbImage {
        let mut image = DynamicImage::ImageRgb8(self.image.clone());
        image.apply_orientation(self.orientation);
        image.into_rgb8()
    }
}

/// One encoded file of a photo.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// Decodes `bytes` within `settings`' limits.
pub fn decode(bytes: &[u8], settings: &Settings) -> Result<Decoded, String> {
    match sniff(bytes)? {
        Kind::Jpeg => decode_jpeg(bytes, settings),
        kind => decode_other(bytes, kind, settings),
    }
}

fn too_large(w: u64, h: u64, settings: &Settings) -> String {
    format!(
        "is {w}×{h} pixels, more than the {} megapixels a photo may have: make it smaller (or raise `max_megapixels` in [photos] of site.toml)",
        settings.max_pixels / 1_000_000
    )
}

fn decode_jpeg(bytes: &[u8], settings: &Settings) -> Result<Decoded, String> {
    let corrupt =
        |e: jpeg_decoder::Error| format!("is not a readable JPEG ({e}): export it again from the camera or editor");
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(corrupt)?;
    let info = decoder.info().ok_or("is a JPEG without a size: export it again")?;
    let (w, h) = (u64::from(info.width), u64::from(info.height));
    if w * h > settings.max_pixels || w == 0 || h == 0 {
        return Err(too_large(w, h, settings));
    }
    decoder.set_max_decoding_buffer_size(settings.max_pixels as usize * 4);
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let turned = turns(orientation);
    // The largest width asked for, measured along the source's own axes.
    let largest = u64::from(settings.widths.iter().copied().max().unwrap_or(1600));
    let (upright_w, upright_h) = if turned { (h, w) } else { (w, h) };
    let need_w = largest.min(upright_w);
    let need_h = (need_w * upright_h).div_ceil(upright_w);
    let (src_w, src_h) = if turned { (need_h, need_w) } else { (need_w, need_h) };
    decoder
        .scale(src_w.min(u16::MAX as u64) as u16, src_h.min(u16::MAX as u64) as u16)
        .map_err(corrupt)?;
    let pixels = decoder.decode().map_err(corrupt)?;
    let info = decoder.info().ok_or("is a JPEG without a size: export it again")?;
    let (dw, dh) = (u32::from(info.width), u32::from(info.height));
    let rgb = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        jpeg_decoder::PixelFormat::L16 => pixels.chunks_exact(2).flat_map(|l| [l[0], l[0], l[0]]).collect(),
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|p| {
                let k = u16::from(p[3]);
                [p[0], p[1], p[2]].map(|c| (u16::from(c) * k / 255) as u8)
            })
            .collect(),
    };
    let image = RgbImage::from_raw(dw, dh, rgb).ok_or("is a JPEG whose pixels do not match its size")?;
    Ok(Decoded {
        image,
        orientation,
        width: upright_w as u32,
        height: upright_h as u32,
    })
}

fn decode_other(bytes: &[u8], kind: Kind, settings: &Settings) -> Result<Decoded, String> {
    let (format, name) = match kind {
        Kind::Png => (image::ImageFormat::Png, "PNG"),
        _ => (image::ImageFormat::WebP, "WebP"),
    };
    let corrupt = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => {
            "needs more memory to decode than a photo may take: make it smaller".to_string()
        }
        e => format!("is not a readable {name} ({e}): export it again"),
    };
    // The size the header claims, before the decoder allocates anything for it.
    if let Ok(size) = imagesize::blob_size(bytes) {
        let (w, h) = (size.width as u64, size.height as u64);
        if w * h > settings.max_pixels {
            return Err(too_large(w, h, settings));
        }
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(settings.max_pixels * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > settings.max_pixels || w == 0 || h == 0 {
        return Err(too_large(w.into(), h.into(), settings));
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    let (width, height) = if turns(orientation) {
        (image.height(), image.width())
    } else {
        (image.width(), image.height())
    };
    let image = if image.color().has_alpha() {
        on_white(image.into_rgba8())
    } else {
        image.into_rgb8()
    };
    Ok(Decoded {
        image,
        orientation,
        width,
        height,
    })
}

/// A picture with transparency, laid on white (JPEG has no transparency, and a page's photo
/// frame is white).
fn on_white(rgba: image::RgbaImage) -> RgbImage {
    let (w, h) = rgba.dimensions();
    let rgb = rgba
        .pixels()
        .flat_map(|p| {
            let a = u16::from(p[3]);
            [0, 1, 2].map(|i| ((u16::from(p[i]) * a + 255 * (255 - a)) / 255) as u8)
        })
        .collect();
    RgbImage::from_raw(w, h, rgb).unwrap_or_default()
}

/// Whether the orientation turns the picture a quarter (width and height swap).
fn turns(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    )
}

/// The widths a photo `width` wide is made in: those of `settings` it is wider than, and its
/// own width when it lies between them or below them all (never upscaled).
pub fn widths(width: u32, settings: &Settings) -> Vec<u32> {
    let mut out: Vec<u32> = settings.widths.iter().copied().filter(|&w| w < width).collect();
    if settings.widths.iter().any(|&w| w >= width) || out.is_empty() {
        out.push(width);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// WebP's effort (0–6). Measured on a generated 4000×3000 camera photo (its three widths):
/// method 2 encodes in 83 ms against 184 ms for libwebp's default 4, for 53.5 KB against 53.1 KB.
const WEBP_METHOD: i32 = 2;

/// Every file of the photo: each width in WebP and JPEG, smallest first. Each width is made
/// from the next larger one (largest first from the decoded picture, which is let go as soon as
/// that is made), then turned upright and encoded.
pub fn encode(decoded: Decoded, settings: &Settings) -> Result<Vec<Encoded>, String> {
    let mut resizer = fr::Resizer::new();
    let options = fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    let turned = turns(decoded.orientation);
    let (upright_w, upright_h) = (decoded.width, decoded.height);
    let mut source = decoded.image;
    let mut out = Vec::new();
    for width in widths(upright_w, settings).into_iter().rev() {
        let height =
            ((u64::from(upright_h) * u64::from(width) + u64::from(upright_w) / 2) / u64::from(upright_w)).max(1) as u32;
        // The size to resize to, along the stored picture's axes.
        let (sw, sh) = if turned { (height, width) } else { (width, height) };
        if (sw, sh) != source.dimensions() {
            let from = fr::images::ImageRef::new(source.width(), source.height(), source.as_raw(), fr::PixelType::U8x3)
                .map_err(|e| format!("cannot be resized: {e}"))?;
            let mut to = fr::images::Image::new(sw, sh, fr::PixelType::U8x3);
            resizer
                .resize(&from, &mut to, &options)
                .map_err(|e| format!("cannot be resized: {e}"))?;
            source = RgbImage::from_raw(sw, sh, to.into_vec()).ok_or("cannot be resized")?;
        }
        // Turned only where it must be (no copy of an upright photo).
        let turned_copy = (decoded.orientation != Orientation::NoTransforms).then(|| {
            let mut upright = DynamicImage::ImageRgb8(source.clone());
            upright.apply_orientation(decoded.orientation);
            upright.into_rgb8().into_raw()
        });
        let pixels: &[u8] = turned_copy.as_deref().unwrap_or(source.as_raw());
        let (w16, h16) = (u16::try_from(width), u16::try_from(height));
        let (Ok(w16), Ok(h16)) = (w16, h16) else {
            return Err("is too wide for a JPEG: make it smaller".into());
        };
        let mut jpeg = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, settings.jpeg_quality);
        encoder.set_progressive(true);
        encoder.set_optimized_huffman_tables(true);
        encoder
            .encode(pixels, w16, h16, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| format!("cannot be encoded as JPEG: {e}"))?;
        let mut config = webp::WebPConfig::new().map_err(|()| "cannot be encoded as WebP".to_string())?;
        config.quality = f32::from(settings.webp_quality);
        config.method = WEBP_METHOD;
        let webp = webp::Encoder::from_rgb(pixels, width, height)
            .encode_advanced(&config)
            .map_err(|e| format!("cannot be encoded as WebP: {e:?}"))?;
        out.push(Encoded {
            width,
            height,
            format: Format::Jpeg,
            bytes: jpeg,
        });
        out.push(Encoded {
            width,
            height,
            format: Format::Webp,
            bytes: webp.to_vec(),
        });
    }
    // Smallest first, WebP before JPEG at each width.
    out.reverse();
    Ok(out)
}
