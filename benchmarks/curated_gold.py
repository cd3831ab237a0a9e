"""The extractor scored against the curated dataset: a second, larger reference.

Every article of the curation log (data/curation_log.csv) that is found under the shared
folder (the intake's .json sidecars and the corpora's gold.json, matched by URL) becomes a
gold article whose rows are the curated incidents that cite it (data/sources.csv →
data/incidents.csv). An article the curators read and found no incident in is a
no-incident article. The extractor is scored with the codebook's scoring
(extract/scoring.py), per language, and the no-incident rate is the share of no-incident
articles that give no row. The texts are read from the shared folder at run time and
never copied.

    python benchmarks/curated_gold.py [--shared ../shared] [--data data] [--set intake|corpus|all]
                                      [--by-article] [--lang en|ru]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract import extract_incidents  # noqa: E402
from extract.scoring import Score, score_article  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def _gold_row(incident: dict) -> dict:
    """A curated incident as a gold row: no alternatives, nothing optional."""
    count, low, high = _int(incident["count"]), _int(incident["count_low"]), _int(incident["count_high"])
    return {"type": incident["type"], "stage": incident["stage"], "region": incident["region"], "alt_types": [],
            "alt_regions": [], "count": count, "count_low": low if low is not None else count,
            "count_high": high if high is not None else count, "optional": False}


def _texts(shared: Path) -> dict[str, dict]:
    """URL → the article's text path, language, set and metadata, from every sidecar and gold file."""
    found: dict[str, dict] = {}
    for sidecar in sorted((shared / "intake").rglob("*.json")):
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        text = sidecar.with_suffix(".txt")
        if meta.get("url") and text.exists():
            found[meta["url"]] = {**meta, "path": text, "set": "intake",
                                  "language": meta.get("language") or sidecar.parent.name}
    for gold in sorted((shared / "corpus").glob("*/gold.json")):
        for article in json.loads(gold.read_text(encoding="utf-8")):
            found[article["url"]] = {**article, "path": gold.parent / article["file"], "set": "corpus"}
    return found


def curated_gold(data: Path, shared: Path) -> list[dict]:
    """The curated articles found under `shared`, each with its curated incidents as gold rows."""
    incidents = {r["incident_id"]: r for r in _read(data / "incidents.csv")}
    cited: dict[str, list[str]] = {}
    for source in _read(data / "sources.csv"):
        cited.setdefault(source["url"], []).append(source["incident_id"])
    curated = dict.fromkeys(r["article_url"] for r in _read(data / "curation_log.csv"))
    texts = _texts(shared)
    out = []
    for url in curated:
        if url not in texts:
            continue
        ids = dict.fromkeys(cited.get(url, []))
        out.append({**texts[url], "url": url, "incidents": [_gold_row(incidents[i]) for i in ids if i in incidents]})
    return out


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def score(articles: list[dict], by_article: bool = False) -> dict[str, tuple[Score, Score, int, int]]:
    """Per language: strict and type-only scores, no-incident articles and how many gave no row."""
    out: dict[str, tuple[Score, Score, int, int]] = {}
    for a in articles:
        meta = {k: a.get(k) for k in ("url", "outlet", "title", "published")}
        rows = extract_incidents(a["path"].read_text(encoding="utf-8"), meta)
        strict, loose, empty, quiet = out.setdefault(a["language"], (Score(), Score(), 0, 0))
        s, t = score_article(rows, a["incidents"], True), score_article(rows, a["incidents"], False)
        strict.add(s)
        loose.add(t)
        if not a["incidents"]:
            out[a["language"]] = (strict, loose, empty + 1, quiet + (not rows))
        if by_article and (s.fp or s.fn):
            print(f"{a['language']} {a['path'].name:60.60}  strict tp {s.tp} fp {s.fp} fn {s.fn}   "
                  f"type-only tp {t.tp} fp {t.fp} fn {t.fn}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--set", choices=("intake", "corpus", "all"), default="intake")
    parser.add_argument("--lang", choices=("en", "ru"))
    parser.add_argument("--by-article", action="store_true", help="also print each article that scores short")
    args = parser.parse_args()
    articles = [a for a in curated_gold(args.data, args.shared)
                if args.set in ("all", a["set"]) and args.lang in (None, a["language"])]
    if not articles:
        parser.error(f"{args.shared}: no curated article found")
    for lang, (strict, loose, empty, quiet) in sorted(score(articles, args.by_article).items()):
        n = sum(a["language"] == lang for a in articles)
        print(f"{lang} ({args.set}, {n} articles)")
        for name, s in (("strict", strict), ("type-only", loose)):
            print(f"  {name:9}  precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
                  f"(tp {s.tp}, fp {s.fp}, fn {s.fn})")
        print(f"  no-incident articles giving no row: {quiet} of {empty}")


if __name__ == "__main__":
    main()
