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

/// The narrowest the map is drawn (a 360 px phone, less the page's margins), in CSS pixels.
const NARROWEST: f64 = 320.0;
/// The radius of each point's touch target, in map units: 12 CSS px on the narrowest map, so
/// that every target is at least 24 × 24 px (WCAG 2.2, 2.5.8) wherever the map is shown.
pub const HIT: f64 = 12.0 * WIDTH / NARROWEST;

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
    /// The radius of each point's touch target.
    #[serde(serialize_with = "coord")]
    pub hit: f64,
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
    /// Where the place really is, when the point was moved aside from another too near for two
    /// fingers to tell apart (a line joins them).
    pub at: Option<[f64; 2]>,
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
    // Points too near to each other for their touch targets are spread around their middle.
    let spread = spread(&shown.iter().map(|&c| at(model, c)).collect::<Vec<_>>());
    let at = |c: CityId| spread[shown.iter().position(|&s| s == c).unwrap_or(0)];
    let lines = lines(model, &shown, &at);
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
        let (tx, ty) = self::at(model, c);
        points.push(MapPoint {
            key: model.cities[c].source.key.clone(),
            name: label,
            url: url(c),
            x: round(x),
            y: round(y),
            at: ((tx, ty) != (x, y)).then(|| [round(tx), round(ty)]),
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
        hit: HIT,
        points,
        lines,
        partnerships,
    }
}

/// Where each of `points` is drawn: as it is, or — for points nearer to others than two touch
/// targets — on a ring around their middle, each `2 × HIT` from the next, in the order of their
/// angles from that middle (so that each keeps its side).
fn spread(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let n = points.len();
    // Groups of points each within reach of another of the group.
    let mut group: Vec<usize> = (0..n).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (points[i], points[j]);
            if (a.0 - b.0).hypot(a.1 - b.1) < 2.0 * HIT {
                let (ri, rj) = (root(&mut group, i), root(&mut group, j));
                group[ri] = rj;
            }
        }
    }
    let mut out = points.to_vec();
    for r in 0..n {
        let members: Vec<usize> = (0..n).filter(|&i| root(&mut group, i) == r).collect();
        if members.len() < 2 {
            continue;
        }
        let k = members.len() as f64;
        let cx = members.iter().map(|&i| points[i].0).sum::<f64>() / k;
        let cy = members.iter().map(|&i| points[i].1).sum::<f64>() / k;
        let radius = HIT / (std::f64::consts::PI / k).sin();
        let mut by_angle: Vec<(f64, usize)> = members
            .iter()
            .map(|&i| ((points[i].1 - cy).atan2(points[i].0 - cx), i))
            .collect();
        by_angle.sort_by(|a, b| a.0.total_cmp(&b.0));
        let start = by_angle[0].0;
        for (step, (_, i)) in by_angle.into_iter().enumerate() {
            let angle = start + step as f64 * 2.0 * std::f64::consts::PI / k;
            out[i] = (cx + radius * angle.cos(), cy + radius * angle.sin());
        }
    }
    out
}

/// A line for each partnership between two shown cities, between their points as drawn.
fn lines(model: &Model, shown: &[CityId], at: &dyn Fn(CityId) -> (f64, f64)) -> Vec<MapLine> {
    let mut lines = Vec::new();
    for &a in shown {
        for &b in &model.cities[a].partners {
            if a < b && shown.contains(&b) {
                let ((x1, y1), (x2, y2)) = (at(a), at(b));
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

    #[test]
    fn points_too_near_for_two_fingers_are_spread_and_others_stay() {
        let points = [
            (100.0, 100.0),
            (110.0, 104.0),
            (600.0, 300.0),
            (602.0, 300.0),
            (604.0, 301.0),
            (900.0, 50.0),
        ];
        let drawn = spread(&points);
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                let (a, b) = (drawn[i], drawn[j]);
                assert!(
                    (a.0 - b.0).hypot(a.1 - b.1) >= 2.0 * HIT - 1e-6,
                    "{i} and {j}: {a:?} {b:?}"
                );
            }
        }
        assert_eq!(drawn[5], points[5], "a point alone stays where it is");
        assert!(drawn[0].0 < drawn[1].0, "each keeps its side");
    }
}
