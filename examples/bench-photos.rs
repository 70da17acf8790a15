//! Camera-sized photos for the photo benchmark (`bench/photos.sh`), generated: 4000×3000 JPEGs
//! at quality 90 with textures and sensor-like noise (so they weigh what a camera's do), half of
//! them stored turned with EXIF orientation 6, all with GPS and camera EXIF.
//!
//! `cargo run --release --example bench-photos -- DIR COUNT [WIDTH HEIGHT]`

use std::path::PathBuf;

fn photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut rgb = vec![0u8; (width * height * 3) as usize];
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let f = |x: f32| (x * std::f32::consts::TAU).sin();
    let (a, b, c) = (
        1.0 + (seed % 7) as f32,
        2.0 + (seed % 5) as f32,
        0.5 + (seed % 3) as f32,
    );
    for y in 0..height {
        for x in 0..width {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state >> 28) as f32 - 8.0;
            let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
            let base = 0.5 + 0.25 * f(u * a + v * c) + 0.2 * f(v * b + u * 0.3);
            let i = ((y * width + x) * 3) as usize;
            rgb[i] = (base * 200.0 + 30.0 * v + noise).clamp(0.0, 255.0) as u8;
            rgb[i + 1] = (base * 170.0 + 40.0 * f(u * 3.0) + noise).clamp(0.0, 255.0) as u8;
            rgb[i + 2] = ((1.0 - base) * 180.0 + 40.0 * u + noise).clamp(0.0, 255.0) as u8;
        }
    }
    let turned = seed % 2 == 1;
    let (w, h, pixels) = if turned {
        // Stored as a phone stores a portrait shot: turned back, orientation 6 to show it.
        let mut t = vec![0u8; rgb.len()];
        for y in 0..height {
            for x in 0..width {
                let (nx, ny) = (y, width - 1 - x);
                let (s, d) = (((y * width + x) * 3) as usize, ((ny * height + nx) * 3) as usize);
                t[d..d + 3].copy_from_slice(&rgb[s..s + 3]);
            }
        }
        (height, width, t)
    } else {
        (width, height, rgb)
    };
    let template = twinpress::photos::fixture::jpeg(8, 8, if turned { 6 } else { 1 }, seed);
    // The fixture's EXIF segment (APP1), reused on the big picture.
    let app1 = {
        let start = template
            .windows(2)
            .position(|w| w == [0xFF, 0xE1])
            .expect("the fixture has EXIF");
        let len = u16::from_be_bytes([template[start + 2], template[start + 3]]) as usize;
        template[start + 4 + 6..start + 2 + len].to_vec()
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.add_exif_metadata(&app1).expect("EXIF fits");
    encoder
        .encode(&pixels, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .expect("a photo encodes");
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(count)) = (args.first(), args.get(1).and_then(|c| c.parse::<u32>().ok())) else {
        eprintln!("usage: bench-photos DIR COUNT [WIDTH HEIGHT]");
        std::process::exit(2);
    };
    let width = args.get(2).and_then(|w| w.parse().ok()).unwrap_or(4000);
    let height = args.get(3).and_then(|h| h.parse().ok()).unwrap_or(3000);
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("the folder is made");
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    std::thread::scope(|s| {
        for t in 0..threads {
            let dir = &dir;
            s.spawn(move || {
                for n in (t..count).step_by(threads as usize) {
                    let path = dir.join(format!("photo-{n:05}.jpg"));
                    if !path.exists() {
                        std::fs::write(&path, photo(width, height, n)).expect("the photo is written");
                    }
                }
            });
        }
    });
}
