// Converts Natural Earth country outlines (npm world-atlas, 1:110m) into static/map/outlines.svg:
// the background of the partnership map. The projection must match src/render/map.rs: an
// equirectangular projection of longitudes LON_MIN..LON_MAX and latitudes LAT_MIN..LAT_MAX,
// longitudes scaled by cos(LAT_REF), WIDTH units wide. Run: npm ci && npm run build.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

export const LON_MIN = -12, LON_MAX = 150, LAT_MIN = 10, LAT_MAX = 74, LAT_REF = 42, WIDTH = 1000;
const cos = Math.cos((LAT_REF * Math.PI) / 180);
const k = WIDTH / ((LON_MAX - LON_MIN) * cos);
const height = Math.round((LAT_MAX - LAT_MIN) * k);
const x = (lon) => ((lon - LON_MIN) * cos * k).toFixed(1);
const y = (lat) => ((LAT_MAX - lat) * k).toFixed(1);

const here = dirname(fileURLToPath(import.meta.url));
const topo = JSON.parse(readFileSync(join(here, "node_modules/world-atlas/countries-110m.json"), "utf8"));
const countries = feature(topo, topo.objects.countries).features;

const inView = (ring) => ring.some(([lon, lat]) => lon >= LON_MIN - 5 && lon <= LON_MAX + 5 && lat >= LAT_MIN - 5 && lat <= LAT_MAX + 5);
const paths = [];
for (const c of countries) {
  const polygons = c.geometry?.type === "Polygon" ? [c.geometry.coordinates] : c.geometry?.coordinates ?? [];
  let d = "";
  for (const polygon of polygons) {
    for (const raw of polygon) {
      // A ring across the antimeridian (Chukotka): move its western half east of 180°.
      const wraps = raw.some(([lon]) => lon < -170) && raw.some(([lon]) => lon > 170);
      const ring = wraps ? raw.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]) : raw;
      if (!inView(ring)) continue;
      d += "M" + ring.map(([lon, lat]) => `${x(lon)} ${y(lat)}`).join("L") + "Z";
    }
  }
  if (d) paths.push(`<path d="${d}"><title>${c.properties.name}</title></path>`);
}
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" data-lon-min="${LON_MIN}" data-lon-max="${LON_MAX}" data-lat-min="${LAT_MIN}" data-lat-max="${LAT_MAX}" data-lat-ref="${LAT_REF}">
<!-- Country outlines: Natural Earth 1:110m (public domain) via world-atlas 2.0.2; made by tools/map/build-outlines.mjs -->
<style>path{fill:#e4e7e1;stroke:#fff;stroke-width:.8}@media (prefers-color-scheme:dark){path{fill:#27313a;stroke:#12171c}}</style>
${paths.join("\n")}
</svg>
`;
const out = join(here, "../../static/map/outlines.svg");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, svg);
console.log(`${paths.length} countries, ${svg.length} bytes -> static/map/outlines.svg (${WIDTH}x${height})`);
