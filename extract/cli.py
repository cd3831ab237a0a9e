"""The extraction subcommands: propose rows from articles, or score the extractor.

    refusal-monitor extract PATH_OR_URL... [--format jsonl|csv] [--out FILE] [--published DATE]
                            [--url URL] [--fetch-deadline SECONDS]
                            [--geocode [--geocoder-url URL] [--user-agent UA]]
    refusal-monitor evaluate GOLD.json [--by-article]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from geography.gazetteer import resolve_region
from refusal_monitor.settings import geocoder_url, progress_forced
from store.csvtext import csv_line

from . import extract_incidents
from .dates import parse_published
from .inputs import FETCH_DEADLINE, InputError, read_articles, read_input
from .model import FIELDS, Incident
from .scoring import Score, load_gold, score_article


def _extract_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="refusal-monitor extract",
        description="Propose incident rows (refusals, desertions, prosecutions) from news articles. "
                    "Inputs are .txt files (a NAME.json sidecar may give url, title, outlet, published, "
                    "language), .html/.htm files, or http(s) URLs. "
                    "To score the extractor: refusal-monitor evaluate GOLD.json. "
                    "To review proposals and add them to the dataset: refusal-monitor review PATH_OR_URL...",
    )
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL", help="articles to read")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
    p.add_argument("--out", metavar="FILE", help="write rows here instead of standard output (whole or not at "
                                                 "all: a failed run leaves an existing FILE as it was)")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for inputs that lack one")
    p.add_argument("--url", help="source URL for inputs that lack one")
    p.add_argument("--fetch-deadline", type=float, default=FETCH_DEADLINE, metavar="SECONDS",
                   help=f"give up on a URL after this many seconds in all (default {FETCH_DEADLINE:g})")
    p.add_argument("--geocode", action="store_true",
                   help="look up places the offline gazetteer lacks with a geocoder (network; cached)")
    p.add_argument("--geocoder-url", default=geocoder_url(),
                   help="Nominatim-compatible endpoint (default: the public Nominatim)")
    p.add_argument("--user-agent", default="refusal-monitor", help="user agent sent to the geocoder")
    p.add_argument("--geocode-cache", type=Path, help="cache file for geocoder answers")
    return p


def extract_main(argv: list[str]) -> int:
    args = _extract_parser().parse_args(argv)
    if args.published and parse_published(args.published) is None:
        print(f"--published {args.published}: expected a date as YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        out = OutFile(Path(args.out)) if args.out else None
    except OSError as exc:
        print(f"error: --out {args.out}: cannot be written ({exc.strerror or exc}); nothing was read", file=sys.stderr)
        return 2
    try:
        geocoder = _geocoder(args) if args.geocode else None
        rows: list[Incident] = []
        failures: list[str] = []
        articles = read_articles(_progress(args.inputs), args.published, args.url, failures, args.fetch_deadline)
        for _, text, meta in articles:
            found = extract_incidents(text, meta)
            rows.extend(_geocode(r, geocoder) for r in found) if geocoder else rows.extend(found)
        text = _render(rows, args.format)
        if out is None:
            sys.stdout.write(text)
        else:
            out.commit(text)
    except OSError as exc:
        print(f"error: {args.out}: cannot be written ({exc.strerror or exc}); "
              f"{'it was left as it was' if out and out.path.exists() else 'nothing was written'}", file=sys.stderr)
        return 1
    finally:
        if out is not None:
            out.discard()
    if failures:
        print(f"{len(failures)} of {len(args.inputs)} inputs failed", file=sys.stderr)
    return 1 if failures else 0


class OutFile:
    """--out written whole or not at all. The temporary file beside the target is made
    before any work, so a path that cannot be written is reported before a single article
    is read; at the end it is renamed over the target (which keeps its permission bits).
    A failure or an interruption leaves an existing target as it was."""

    def __init__(self, path: Path) -> None:
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory")
        self.path = path
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.close(fd)
        self.tmp = Path(name)

    def commit(self, text: str) -> None:
        try:
            mode = self.path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        with open(self.tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(self.tmp, mode)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _progress(items: list[str]):
    if len(items) < 5 or not sys.stderr.isatty() and not progress_forced():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="articles", unit="article", file=sys.stderr)


def _render(rows: list[Incident], fmt: str) -> str:
    """The rows as CSV (quoted as the store quotes, so a line break of any kind in evidence
    stays inside its cell) or as JSON lines."""
    buffer = io.StringIO()
    if fmt == "csv":
        buffer.write(csv_line(FIELDS))
        for r in rows:
            row = r.to_row()
            buffer.write(csv_line(row[f] for f in FIELDS))
    else:
        for r in rows:
            buffer.write(json.dumps(r.to_row(), ensure_ascii=False) + "\n")
    return buffer.getvalue()


_PLACE_PHRASE = re.compile(r"(?:\b(?:in|near|at|outside)\s+(?:the\s+(?:village|town|city|settlement)\s+of\s+)?|"
                           r"\b(?:в|под|около)\s+(?:селе|поселке|городе|деревне)?\s*)"
                           r"([A-ZА-ЯЁ][\w'-]+(?:\s[A-ZА-ЯЁ][\w'-]+)?)")


def _geocoder(args):
    from geography.geocode import Geocoder

    return Geocoder(args.geocoder_url, args.user_agent, args.geocode_cache)


def _geocode(row: Incident, geocoder) -> Incident:
    """A row without a region gets one from the first unknown place its evidence names."""
    if row.region:
        return row
    for m in _PLACE_PHRASE.finditer(row.evidence):
        name = m.group(1)
        if resolve_region(name):
            continue
        code = geocoder.region(name)
        if code:
            return dataclasses.replace(row, region=code, place=name, rule=row.rule + "+geocode")
    return row


def evaluate_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="refusal-monitor evaluate",
                                description="Score the extractor on a gold file (codebook scoring): strict and "
                                            "type-only precision, recall and F1.")
    p.add_argument("gold", type=Path, help="gold.json; article files are relative to it")
    p.add_argument("--by-article", action="store_true", help="also print each article's counts")
    args = p.parse_args(argv)
    try:
        articles = load_gold(args.gold)
    except (OSError, ValueError) as exc:
        print(f"error: {args.gold}: {exc}", file=sys.stderr)
        return 2
    strict, loose = evaluate(articles, args.gold.parent, print_rows=args.by_article)
    for name, s in (("strict", strict), ("type-only", loose)):
        print(f"{name:9}  precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
              f"(tp {s.tp}, fp {s.fp}, fn {s.fn})")
    return 0


def evaluate(articles: list[dict], base: Path, print_rows: bool = False) -> tuple[Score, Score]:
    strict, loose = Score(), Score()
    for article in articles:
        path = base / article["file"]
        try:
            text = read_input(str(path)).text
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            text = ""
        meta = {k: article.get(k) for k in ("url", "outlet", "title", "published")}
        rows = extract_incidents(text, meta) if text else []
        s, t = score_article(rows, article["incidents"], True), score_article(rows, article["incidents"], False)
        strict.add(s)
        loose.add(t)
        if print_rows:
            print(f"{article.get('id', path.name):>6}  strict tp {s.tp} fp {s.fp} fn {s.fn}   "
                  f"type-only tp {t.tp} fp {t.fp} fn {t.fn}")
    return strict, loose
