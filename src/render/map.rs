//! The partnership map, drawn at build time: each city with coordinates and a partnership is a
//! point linking to its page, each partnership a line, over the country outlines of
//! `static/map/outlines.svg` (made by `tools/map/build-outlines.mjs` from Natural Earth data).
//! Labels are placed so they do not overlap.

use serde::Serialize;

use crate::model::{CityId, Model};

/// The projection of `static/map/outlines.svg` (its `data-*` attributes say the same).
pub const LON_MIN: f64 = -12.0;
pub const LON_MAX: f64 = 150.0;
pub const LAT_MIN: f64 = 10.0;
pub const LAT_MAX: f64 = 74.0;
pub const LAT_REF: f64 = 42.0;
pub const WIDTH: f64 = 1000.0;

/// Font size of labels, in map units.
const LABEL: f64 = 15.0;

/// Map coordinates of a latitude and longitude.
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    let cos = LAT_REF.to_radians().cos();
    let k = WIDTH / ((LON_MAX - LON_MIN) * cos);
    ((lon - LON_MIN) * cos * k, (LAT_MAX - lat) * k)
}

pub fn height() -> f64 {
    project(LAT_MIN, LON_MIN).1.round()
}

#[derive(Debug, Serialize)]
pub struct MapView {
    #[serde(serialize_with = "coord")]
    pub width: f64,
    #[serde(serialize_with = "coord")]
    pub height: f64,
    pub outlines_url: String,
    pub points: Vec<MapPoint>,
    pub lines: Vec<MapLine>,
    /// Each home region with its partners, for the text beside the map.
    pub partnerships: Vec<MapPartnership>,
}

#[derive(Debug, Serialize)]
pub struct MapPoint {
    pub key: String,
    pub name: String,
    pub url: String,
    #[serde(serialize_with = "coord")]
    pub x: f64,
    #[serde(serialize_with = "coord")]
    pub y: f64,
    /// A home region (the region of an article), not only a partner.
    pub home: bool,
    #[serde(serialize_with = "coord")]
    pub label_x: f64,
    #[serde(serialize_with = "coord")]
    pub label_y: f64,
    /// `start`, `end` or `middle`.
    pub anchor: &'static str,
}

#[derive(Debug, Serialize)]
pub struct MapLine {
    #[serde(serialize_with = "coord")]
    pub x1: f64,
    #[serde(serialize_with = "coord")]
    pub y1: f64,
    #[serde(serialize_with = "coord")]
    pub x2: f64,
    #[serde(serialize_with = "coord")]
    pub y2: f64,
}

#[derive(Debug, Serialize)]
pub struct MapPartnership {
    pub name: String,
    pub url: String,
    pub partners: Vec<(String, String)>,
}

/// The map in one language: `name(city)` and `url(city)` give its label and link.
pub fn view(
    model: &Model,
    outlines_url: String,
    name: impl Fn(CityId) -> String,
    url: impl Fn(CityId) -> String,
) -> MapView {
    let home: Vec<bool> = CityId::all(model.cities.len())
        .map(|c| model.entries.iter().any(|e| e.region == c) || model.agreements.iter().any(|a| a.owner == c))
        .collect();
    let shown: Vec<CityId> = CityId::all(model.cities.len())
        .filter(|&c| model.cities[c].source.coordinates.is_some() && !model.cities[c].partners.is_empty())
        .collect();
    let at = |c: CityId| at(model, c);
    let lines = lines(model, &shown);
    // Home regions first: their labels get the best places.
    let mut order = shown.clone();
    order.sort_by_key(|&c| (!home[c], model.cities[c].source.key.clone()));
    let mut taken: Vec<[f64; 4]> = shown
        .iter()
        .map(|&c| {
            let (x, y) = at(c);
            [x - 5.0, y - 5.0, x + 5.0, y + 5.0]
        })
        .collect();
    let mut points = Vec::new();
    for c in order {
        let (x, y) = at(c);
        let label = name(c);
        let (lx, ly, anchor, bbox) = place_label(x, y, &label, &taken);
        taken.push(bbox);
        points.push(MapPoint {
            key: model.cities[c].source.key.clone(),
            name: label,
            url: url(c),
            x: round(x),
            y: round(y),
            home: home[c],
            label_x: round(lx),
            label_y: round(ly),
            anchor,
        });
    }
    points.sort_by(|a, b| a.key.cmp(&b.key));
    let partnerships = CityId::all(model.cities.len())
        .filter(|&c| home[c] && !model.cities[c].partners.is_empty())
        .map(|c| MapPartnership {
            name: name(c),
            url: url(c),
            partners: model.cities[c].partners.iter().map(|&p| (name(p), url(p))).collect(),
        })
        .collect();
    MapView {
        width: WIDTH,
        height: height(),
        outlines_url,
        points,
        lines,
        partnerships,
    }
}

/// A line for each partnership between two shown cities.
fn lines(model: &Model, shown: &[CityId]) -> Vec<MapLine> {
    let mut lines = Vec::new();
    for &a in shown {
        for &b in &model.cities[a].partners {
            if a < b && shown.contains(&b) {
                let ((x1, y1), (x2, y2)) = (at(model, a), at(model, b));
                lines.push(MapLine {
                    x1: round(x1),
                    y1: round(y1),
                    x2: round(x2),
                    y2: round(y2),
                });
            }
        }
    }
    lines
}

/// Where city `c` is on the map.
fn at(model: &Model, c: CityId) -> (f64, f64) {
    let [lat, lon] = model.cities[c].source.coordinates.unwrap_or_default();
    project(lat, lon)
}

/// The first of six places around the point (x, y) where the label fits on the map without
/// covering another, else the first that fits on the map: (x, y, text-anchor, bounding box).
fn place_label(x: f64, y: f64, label: &str, taken: &[[f64; 4]]) -> (f64, f64, &'static str, [f64; 4]) {
    let w = label.chars().count() as f64 * LABEL * 0.56;
    let candidates = [
        (
            x + 8.0,
            y + LABEL * 0.35,
            "start",
            [x + 7.0, y - LABEL * 0.7, x + 9.0 + w, y + LABEL * 0.45],
        ),
        (
            x - 8.0,
            y + LABEL * 0.35,
            "end",
            [x - 9.0 - w, y - LABEL * 0.7, x - 7.0, y + LABEL * 0.45],
        ),
        (
            x,
            y - 9.0,
            "middle",
            [x - w / 2.0, y - 9.0 - LABEL, x + w / 2.0, y - 7.0],
        ),
        (
            x,
            y + 9.0 + LABEL * 0.8,
            "middle",
            [x - w / 2.0, y + 7.0, x + w / 2.0, y + 10.0 + LABEL],
        ),
        (
            x + 8.0,
            y + LABEL * 1.35,
            "start",
            [x + 7.0, y + LABEL * 0.3, x + 9.0 + w, y + LABEL * 1.45],
        ),
        (
            x - 8.0,
            y - LABEL * 0.65,
            "end",
            [x - 9.0 - w, y - LABEL * 1.7, x - 7.0, y - LABEL * 0.55],
        ),
    ];
    let inside = |b: &[f64; 4]| b[0] >= 0.0 && b[2] <= WIDTH && b[1] >= 0.0 && b[3] <= height();
    let free = |b: &[f64; 4]| {
        taken
            .iter()
            .all(|t| b[2] <= t[0] || b[0] >= t[2] || b[3] <= t[1] || b[1] >= t[3])
    };
    let (lx, ly, anchor, bbox) = candidates
        .iter()
        .find(|(_, _, _, b)| inside(b) && free(b))
        .or_else(|| candidates.iter().find(|(_, _, _, b)| inside(b)))
        .copied()
        .unwrap_or(candidates[0]);
    (lx, ly, anchor, bbox)
}

/// A coordinate as SVG wants it: `708`, not `708.0` (a whole number is written as an integer).
fn coord<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_matches_the_outlines_file() {
        let svg = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/map/outlines.svg")).unwrap();
        for (attr, value) in [
            ("data-lon-min", LON_MIN),
            ("data-lon-max", LON_MAX),
            ("data-lat-min", LAT_MIN),
            ("data-lat-max", LAT_MAX),
            ("data-lat-ref", LAT_REF),
        ] {
            assert!(
                svg.contains(&format!("{attr}=\"{value}\"")),
                "{attr} differs from {value}"
            );
        }
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {WIDTH} {}\"", height())),
            "the view box"
        );
    }

    #[test]
    fn corners_and_cities_land_where_they_should() {
        assert_eq!(project(LAT_MAX, LON_MIN), (0.0, 0.0));
        let (x, y) = project(LAT_MIN, LON_MAX);
        assert!((x - WIDTH).abs() < 1e-9 && y > 500.0);
        let (ax, ay) = project(43.24, 76.89); // Almaty
        let (sx, sy) = project(31.23, 121.47); // Shanghai: east and south of Almaty
        assert!(sx > ax && sy > ay);
    }
}
