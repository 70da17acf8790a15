use super::process::{self, sniff, Kind};
use super::*;

fn settings() -> Settings {
    Settings::default()
}

/// The JPEG's marker segments before the picture data, as (marker, contents).
fn jpeg_segments(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        out.push((marker, bytes[i + 4..i + 2 + len].to_vec()));
        if marker == 0xDA {
            break;
        }
        i += 2 + len;
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn every_exif_orientation_comes_out_upright() {
    for orientation in 1..=8 {
        let bytes = fixture::jpeg(600, 400, orientation, 1);
        let d = process::decode(&bytes, &settings()).unwrap();
        assert_eq!((d.width, d.height), (600, 400), "orientation {orientation}");
        let up = d.upright();
        assert_eq!(up.dimensions(), (600, 400));
        let top = up.get_pixel(300, 20);
        let bottom = up.get_pixel(300, 380);
        assert!(
            top[0] > 150 && top[2] < 100,
            "orientation {orientation}: top is {top:?}"
        );
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "orientation {orientation}: bottom is {bottom:?}"
        );
    }
}

#[test]
fn widths_are_never_upscaled() {
    let s = settings();
    assert_eq!(process::widths(4000, &s), [480, 960, 1600]);
    assert_eq!(process::widths(1200, &s), [480, 960, 1200]);
    assert_eq!(process::widths(1600, &s), [480, 960, 1600]);
    assert_eq!(process::widths(300, &s), [300]);
}

#[test]
fn outputs_carry_no_metadata_and_keep_the_aspect() {
    let bytes = fixture::jpeg(2000, 1500, 6, 2);
    assert!(
        contains(&bytes, fixture::SERIAL.as_bytes()),
        "the fixture has the serial to leak"
    );
    let d = process::decode(&bytes, &settings()).unwrap();
    let files = process::encode(d, &settings()).unwrap();
    let sizes: Vec<_> = files.iter().map(|f| (f.width, f.height, f.format)).collect();
    assert_eq!(
        sizes,
        [
            (480, 360, Format::Webp),
            (480, 360, Format::Jpeg),
            (960, 720, Format::Webp),
            (960, 720, Format::Jpeg),
            (1600, 1200, Format::Webp),
            (1600, 1200, Format::Jpeg),
        ]
    );
    for f in &files {
        for leak in [fixture::MAKE, fixture::SERIAL, fixture::OWNER, "Exif"] {
            assert!(!contains(&f.bytes, leak.as_bytes()), "{leak} in a {:?}", f.format);
        }
        match f.format {
            Format::Jpeg => {
                let markers: Vec<u8> = jpeg_segments(&f.bytes).iter().map(|s| s.0).collect();
                assert!(
                    !markers.iter().any(|m| (0xE1..=0xEF).contains(m)),
                    "APPn segments: {markers:x?}"
                );
                // The JPEG reads back upright, at its size.
                let mut back = jpeg_decoder::Decoder::new(&f.bytes[..]);
                let pixels = back.decode().unwrap();
                let info = back.info().unwrap();
                assert_eq!((u32::from(info.width), u32::from(info.height)), (f.width, f.height));
                assert!(
                    pixels[(f.width / 2 * 3 + f.width * 3 * 5) as usize] > 150,
                    "red at the top"
                );
            }
            Format::Webp => {
                assert_eq!(&f.bytes[8..12], b"WEBP");
                assert!(!contains(&f.bytes, b"EXIF") && !contains(&f.bytes, b"XMP "));
                let back = image::load_from_memory(&f.bytes).unwrap().into_rgb8();
                assert_eq!(back.dimensions(), (f.width, f.height));
                assert!(back.get_pixel(f.width / 2, f.height - 5)[2] > 150);
            }
        }
    }
}

#[test]
fn png_and_webp_are_read_and_types_are_sniffed_not_named() {
    assert_eq!(sniff(&fixture::png(10, 10, 0)), Ok(Kind::Png));
    assert_eq!(sniff(&fixture::webp(10, 10, 0)), Ok(Kind::Webp));
    assert_eq!(sniff(&fixture::jpeg(10, 10, 1, 0)), Ok(Kind::Jpeg));
    for bytes in [fixture::png(320, 200, 3), fixture::webp(320, 200, 3)] {
        let d = process::decode(&bytes, &settings()).unwrap();
        assert_eq!((d.width, d.height), (320, 200));
        assert_eq!(process::encode(d, &settings()).unwrap().len(), 2);
    }
}

#[test]
fn bad_images_are_refused_with_what_to_do() {
    let s = settings();
    let err = |bytes: &[u8]| process::decode(bytes, &s).err().expect("refused");
    assert!(err(&fixture::heic()).contains("HEIC") && err(&fixture::heic()).contains("export it as JPEG"));
    assert!(err(b"GIF89a......").contains("GIF"));
    assert!(err(b"hello, not a photo").contains("not a JPEG, PNG or WebP"));
    let bomb = err(&fixture::png_bomb(100_000, 100_000));
    assert!(
        bomb.contains("100000×100000 pixels") && bomb.contains("megapixels"),
        "{bomb}"
    );
    let mut truncated = fixture::jpeg(400, 300, 1, 0);
    truncated.truncate(truncated.len() / 3);
    assert!(err(&truncated).contains("not a readable JPEG"), "{}", err(&truncated));
    let mut png = fixture::png(400, 300, 0);
    let n = png.len();
    png[n / 2..].iter_mut().for_each(|b| *b = 0x5A);
    assert!(err(&png).contains("not a readable PNG"), "{}", err(&png));
    let small = Settings {
        max_pixels: 1000,
        ..Settings::default()
    };
    assert!(process::decode(&fixture::jpeg(100, 100, 1, 0), &small)
        .err()
        .unwrap()
        .contains("more than the"));
}

#[test]
fn the_store_makes_a_photo_once_reuses_the_cache_and_prunes_what_no_build_uses() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.jpg"), fixture::jpeg(1000, 800, 1, 7)).unwrap();
    std::fs::write(root.join("b.png"), fixture::png(500, 400, 8)).unwrap();
    let store = Store::new(root, settings());
    let a = store.get(Path::new("a.jpg")).unwrap();
    assert!(
        Arc::ptr_eq(&a, &store.get(Path::new("a.jpg")).unwrap()),
        "made once per build"
    );
    assert_eq!(a.variants.len(), 6);
    assert!(a.variants[0].file.starts_with("photos/a-480.") && a.variants[0].file.ends_with(".webp"));
    let b = store.get(Path::new("b.png")).unwrap();
    store.finish(true).unwrap();
    let bytes = std::fs::read(&a.variants[5].cached).unwrap();
    let modified = std::fs::metadata(&a.variants[5].cached).unwrap().modified().unwrap();

    // A second build: the same files, from the cache, untouched.
    let again = Store::new(root, settings());
    let a2 = again.get(Path::new("a.jpg")).unwrap();
    assert_eq!(*a2, *a);
    assert_eq!(
        std::fs::metadata(&a2.variants[5].cached).unwrap().modified().unwrap(),
        modified
    );
    // Only a.jpg this time: b's files stay a day (for a build or serve beside), then go.
    again.finish(true).unwrap();
    assert!(b.variants[0].cached.exists());
    let b_json = b.variants[0].cached.with_file_name(format!("{}.json", b.key));
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
    std::fs::File::options()
        .append(true)
        .open(&b_json)
        .unwrap()
        .set_modified(then)
        .unwrap();
    again.finish(true).unwrap();
    assert!(!b.variants[0].cached.exists() && !b_json.exists());
    assert!(a.variants[0].cached.exists());

    // Made anew, the bytes are the same (deterministic).
    std::fs::remove_dir_all(root.join(CACHE_DIR)).unwrap();
    let fresh = Store::new(root, settings()).get(Path::new("a.jpg")).unwrap();
    assert_eq!(std::fs::read(&fresh.variants[5].cached).unwrap(), bytes);

    // Replaced bytes: a new key, new names.
    std::fs::write(root.join("a.jpg"), fixture::jpeg(1000, 800, 1, 9)).unwrap();
    let replaced = Store::new(root, settings()).get(Path::new("a.jpg")).unwrap();
    assert_ne!(replaced.key, a.key);
    let missing = Store::new(root, settings()).get(Path::new("c.jpg")).unwrap_err();
    assert!(missing.contains("is not there"), "{missing}");
}
