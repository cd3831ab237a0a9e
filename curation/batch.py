"""Curation at volume: `propose` writes many articles' proposals to one file, the curator
marks it, and `apply` writes the decisions through the validating, locked, atomic writer
and into the curation log.

    refusal-monitor propose ARTICLE... --out batch.json [--data DIR] [--again]
    refusal-monitor apply batch.json [--data DIR] [--dry-run]

The file holds `articles` (each with its metadata, `source_kind`, the extractor's
`proposals` and the curator's `rows`) and `incidents` (the fields of each event the rows
point to; an `incident_id` merges an event into an incident already on file, and a change to
its fields is logged as a `correct` decision, with the article it rests on as `basis`):

    {"articles": [{"url": ..., "outlet": ..., "title": ..., "published": ..., "language": ...,
                   "source_kind": "original",
                   "proposals": [{"index": 0, "proposed": {...}, "duplicates": [...],
                                  "decision": "accept|edit|reject", "row": "R1"}],
                   "rows": [{"id": "R1", "event": "E1"}]}],
     "incidents": [{"event": "E1", "incident_id": "", "type": "desertion", ..., "summary": ...}],
     "retire": []}

Articles already in the log are skipped on a re-run, so a batch can be applied again
after an interruption without adding anything twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from extract import extract_incidents
from extract.inputs import read_articles
from refusal_monitor.settings import data_dir
from store.dataset import DatasetError, load

from .duplicates import likely_duplicates
from .log import append_log, decided_urls, read_log
from .plan import BatchError, plan_apply
from .writer import write_dataset, write_text_atomic

SOURCE_META = ("url", "outlet", "title", "published", "language")


def main(command: str, argv: list[str]) -> int:
    return propose_main(argv) if command == "propose" else apply_main(argv)


def propose_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="refusal-monitor propose",
                                description="Write the extractor's proposals for many articles to one file for a "
                                            "curator to mark (then: refusal-monitor apply FILE).")
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL", help="articles to propose rows from")
    p.add_argument("--out", type=Path, required=True, help="the batch file to write (JSON)")
    p.add_argument("--data", type=Path, help="dataset folder (default $REFUSAL_MONITOR_DATA or data/)")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for inputs that lack one")
    p.add_argument("--url", help="source URL for inputs that lack one")
    p.add_argument("--again", action="store_true", help="also propose articles the log says are decided")
    args = p.parse_args(argv)
    folder = args.data or data_dir()
    if not args.out.parent.is_dir():
        print(f"error: --out {args.out}: folder {args.out.parent} does not exist", file=sys.stderr)
        return 2
    try:
        data = load(folder)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    decided = set() if args.again else decided_urls(folder)
    failures: list[str] = []
    articles = []
    for name, text, meta in read_articles(args.inputs, args.published, args.url, failures):
        if meta["url"] and meta["url"] in decided:
            print(f"skipped {name}: already decided (see {folder / 'curation_log.csv'})", file=sys.stderr)
            continue
        articles.append(_proposed_article(name, text, meta, data))
    batch = {"articles": articles, "incidents": [], "retire": []}
    write_text_atomic(args.out, json.dumps(batch, ensure_ascii=False, indent=1) + "\n")
    n = sum(len(a["proposals"]) for a in articles)
    print(f"{len(articles)} articles, {n} proposals written to {args.out}", file=sys.stderr)
    return 1 if failures else 0


def _proposed_article(name: str, text: str, meta: dict, data) -> dict:
    proposals = []
    for index, incident in enumerate(extract_incidents(text, meta)):
        row = incident.to_row()
        dups = likely_duplicates(row, meta["url"], data.incidents, data.sources)
        proposals.append({"index": index, "proposed": {k: v for k, v in row.items() if k != "evidence"},
                          "evidence": incident.evidence, "duplicates": [f"{d.incident_id}: {d.reason}" for d in dups],
                          "decision": "", "row": None})
    return {"article": name, **{k: meta.get(k) or "" for k in SOURCE_META}, "source_kind": "",
            "proposals": proposals, "rows": []}


def apply_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="refusal-monitor apply",
                                description="Write a marked batch file to the dataset (validated, locked, atomic) "
                                            "and record every decision in the curation log.")
    p.add_argument("batch", type=Path, help="the batch file, as written by propose and marked by a curator")
    p.add_argument("--data", type=Path, help="dataset folder (default $REFUSAL_MONITOR_DATA or data/)")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    args = p.parse_args(argv)
    folder = args.data or data_dir()
    try:
        batch = json.loads(args.batch.read_text(encoding="utf-8"))
        data = load(folder)
        plan = plan_apply(batch, data, read_log(folder), dt.date.today().isoformat())
    except OSError as exc:
        print(f"error: {args.batch}: cannot be read ({exc.strerror})", file=sys.stderr)
        return 2
    except ValueError as exc:  # JSON, dataset and batch errors all say what is wrong
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in plan.report:
        print(line, file=sys.stderr)
    if args.dry_run:
        return 0
    try:
        write_dataset(plan.incidents, plan.sources, folder, expected=data.fingerprint)
    except DatasetError as exc:
        print(f"error: nothing written: {exc}", file=sys.stderr)
        return 1
    append_log(folder, plan.log)
    return 0


__all__ = ["BatchError", "main"]
