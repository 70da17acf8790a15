//! Writes generated test photos (red above, blue below; EXIF orientation, GPS, camera serial):
//! `cargo run --example fixture-photos -- DIR NAME:WIDTHxHEIGHT[:ORIENTATION] ...`.
//! For trying the photo pipeline by hand; the tests make theirs with the same generator.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: fixture-photos DIR NAME.jpg:1600x1200[:6] ...");
        std::process::exit(2);
    };
    for (seed, spec) in args.enumerate() {
        let mut parts = spec.split(':');
        let name = parts.next().unwrap_or("photo.jpg");
        let (w, h) = parts
            .next()
            .and_then(|s| s.split_once('x'))
            .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
            .unwrap_or((1600, 1200));
        let orientation = parts.next().and_then(|o| o.parse().ok()).unwrap_or(1);
        let bytes = if name.ends_with(".png") {
            twinpress::photos::fixture::png(w, h, seed as u32)
        } else {
            twinpress::photos::fixture::jpeg(w, h, orientation, seed as u32)
        };
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).expect("the photo is written");
    }
}
