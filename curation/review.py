"""Curation at the terminal: extraction proposes, a person decides.

    refusal-monitor review PATH_OR_URL... [--data DIR] [--window-days 28]

Each proposed row is shown with its evidence, the trigger words and place highlighted, and
with the existing incidents it may duplicate (same type and region, a compatible count,
dates within a few weeks) or the same URL already on file. The curator accepts it as a new
incident, merges it as a further source of an existing one, edits it, or rejects it.
Accepted rows go through `curation.writer.add_source_or_incident`, which validates, locks and
writes atomically, so nothing here can leave the files half-written. Reading answers from
standard input keeps the loop scriptable and testable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import TextIO

from extract import Incident, extract_incidents
from extract.inputs import read_articles
from geography.gazetteer import find_places, regions
from refusal_monitor.settings import data_dir
from store.csvtext import cell_text
from store.dataset import DatasetError, date_precision, load

from .duplicates import likely_duplicates
from .log import append_log, decided_urls, entry
from .writer import StaleDataset
from .writer import add_source_or_incident as write_row

EDITABLE = ("type", "stage", "count", "count_low", "count_high", "region", "place", "date", "unit", "summary")


def highlight(text: str, phrases: list[str], tty: bool = False) -> str:
    """The text with each phrase marked: reverse video on a terminal, »…« otherwise.

    >>> highlight("Eight soldiers refused to fight in Buryatia.", ["refused to fight", "Buryatia"])
    'Eight soldiers »refused to fight« in »Buryatia«.'
    """
    wanted = sorted({p for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not wanted:
        return text
    pattern = re.compile("|".join(re.escape(p) for p in wanted), re.IGNORECASE)
    left, right = ("\x1b[7m", "\x1b[0m") if tty else ("»", "«")
    return pattern.sub(lambda m: f"{left}{m.group(0)}{right}", text)


def incident_row(proposal: Incident) -> dict:
    """The proposal as an incidents.csv row (without id), marked reviewed by a person."""
    places = find_places(proposal.place) if proposal.place else []
    if places and places[0].kind == "city":
        precision = "city"
    elif proposal.region:
        precision = "region" if proposal.region[:2] in ("RU", "UA") else "country"
    else:
        precision = "unknown"
    return {"type": proposal.type, "stage": proposal.stage, "count": cell_text(proposal.count),
            "count_low": cell_text(proposal.count_low), "count_high": cell_text(proposal.count_high),
            "region": proposal.region, "place": proposal.place, "place_precision": precision,
            "date": proposal.date, "date_precision": proposal.date_precision, "unit": proposal.unit,
            "summary": proposal.summary, "reviewed": "true", "published": proposal.published}


def describe(row: dict) -> str:
    region = regions().get(row["region"])
    where = f"{row['region']} ({region.en})" if region else (row["region"] or "region unknown")
    count = row["count"] or "?"
    if row["count_low"] and row["count_low"] != row["count_high"]:
        count += f" ({row['count_low']}–{row['count_high']})"
    stage = f" [{row['stage']}]" if row["stage"] else ""
    date = f"{row['date']} ({row['date_precision']})" if row["date"] else "date unknown"
    unit = f" · unit: {row['unit']}" if row["unit"] else ""
    return f"{row['type']}{stage} · count {count} · {where}, place {row['place'] or '-'} · {date}{unit}"


class Session:
    """One curator's pass over some articles; answers come from `answers`, text goes to `out`."""

    def __init__(self, folder: Path, answers: TextIO, out: TextIO, window_days: int = 28, tty: bool = False):
        self.folder, self.answers, self.out, self.window_days, self.tty = folder, answers, out, window_days, tty
        self.tally = {"added": 0, "merged": 0, "rejected": 0, "skipped": 0}
        self.today = dt.date.today().isoformat()

    def record(self, url: str, proposal: dict | None, decision: str, final: dict | None = None,
               incident_id: str = "", merged: bool = False) -> None:
        """One decision into the curation log, at once: a session cut short keeps what it decided."""
        append_log(self.folder, [entry(self.today, url, proposal, decision, final, incident_id, merged)])

    def ask(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = self.answers.readline()
        if not line:
            self.out.write("\n")
            return None
        return line.strip()

    def review(self, proposals: list[Incident], source: dict) -> bool:
        """Go through one article's proposals; False when the curator quits."""
        for number, proposal in enumerate(proposals, start=1):
            trigger = proposal.rule.rsplit(":", 1)[-1] if ":" in proposal.rule else ""
            row = incident_row(proposal)
            self.out.write(f"\n[{number}/{len(proposals)}] {describe(row)}\n")
            self.out.write(f"  evidence: {highlight(proposal.evidence, [trigger, proposal.place], self.tty)}\n")
            self.out.write(f"  proposed by rule {proposal.rule}, sentence {proposal.sentence}, "
                           f"confidence {proposal.confidence:.2f}\n")
            try:
                outcome = self.decide(row, source, proposal.to_row())
            except DatasetError as exc:
                self.out.write(f"  stopped: the dataset cannot be read: {exc}\n")
                return False
            if outcome == "quit":
                return False
            if outcome == "skip":
                self.tally["skipped"] += len(proposals) - number + 1
                return True
        return True

    def decide(self, row: dict, source: dict, proposed: dict) -> str:
        """Ask until the row is written, rejected or skipped: 'done', 'skip' or 'quit'. The
        write carries the fingerprint of the files the duplicates were checked against, so a
        row another curator wrote meanwhile is shown, not written twice."""
        data = load(self.folder)
        while True:
            dups = likely_duplicates(row, source["url"], data.incidents, data.sources, self.window_days)
            for dup in dups:
                self.out.write(f"  possible duplicate of {dup.incident_id}: {dup.reason} — {dup.summary}\n")
            answer = self.ask("  [a]ccept as new, [m]erge as a source of an incident (m RM-NNNN), [e]dit, "
                              "[r]eject, [s]kip the rest of this article, [q]uit: ")
            verb, _, arg = (answer or "q").partition(" ")
            if verb in ("q", "s"):
                return "quit" if verb == "q" else "skip"
            if verb == "r":
                self.tally["rejected"] += 1
                self.record(source["url"], proposed, "reject")
                return "done"
            outcome = None
            if verb == "e":
                row = self.edit(row)
                self.out.write(f"  now: {describe(row)}\n")
            elif verb == "a":
                if dups and self.ask(f"  it may repeat {', '.join(d.incident_id for d in dups)}; "
                                     "add it as a new incident anyway? [y/N]: ") != "y":
                    continue
                outcome = self.write(row, source, None, data.fingerprint, proposed)
            elif verb == "m":
                target = arg.strip() or (dups[0].incident_id if len(dups) == 1 else "")
                if not target:
                    self.out.write("  say which incident: m RM-NNNN\n")
                else:
                    outcome = self.write(None, source, target, data.fingerprint, proposed, row)
            else:
                self.out.write(f"  unknown answer {answer!r}\n")
            if outcome == "written":
                return "done"
            if outcome == "stale":
                data = load(self.folder)
                self.out.write(f"  reloaded: the dataset now has {len(data.incidents)} incidents; look again\n")

    def edit(self, row: dict) -> dict:
        edited = dict(row)
        self.out.write("  Enter keeps a value; '-' clears it.\n")
        for name in EDITABLE:
            answer = self.ask(f"  {name} [{edited[name]}]: ")
            if answer is None:
                break
            if answer == "-":
                edited[name] = ""
            elif answer:
                edited[name] = answer
        if edited["date"] != row["date"]:
            edited["date_precision"] = date_precision(edited["date"])
        if edited["count"] != row["count"] and edited["count_low"] == row["count_low"]:
            edited["count_low"] = edited["count_high"] = edited["count"]
        return edited

    def write(self, row: dict | None, source: dict, incident_id: str | None, expected: dict[str, str],
              proposed: dict, merged_row: dict | None = None) -> str:
        """'written', 'stale' (the files changed since `expected` was read) or 'refused'; a
        written row is logged as accepted, or edited when the curator changed a field."""
        src = dict(source, incident_id=incident_id or "")
        if not src["url"]:
            src["url"] = self.ask("  source URL (http/https) for this article: ") or ""
            source["url"] = src["url"]
        incident = None if row is None else {k: v for k, v in row.items() if k != "published"}
        try:
            iid = write_row(incident, src, self.folder, expected)
        except StaleDataset as exc:
            self.out.write(f"  not written: {exc}\n")
            return "stale"
        except DatasetError as exc:
            self.out.write(f"  not written: {exc}\n")
            return "refused"
        kind = "added" if row is not None else "merged"
        self.tally[kind] += 1
        final = row if row is not None else merged_row
        changed = any(str(final.get(k) or "") != str(proposed.get(k) or "") for k in EDITABLE if k != "summary")
        self.record(src["url"], proposed, "edit" if changed else "accept", final, iid, merged=row is None)
        self.out.write(f"  {'added as' if row is not None else 'added a source to'} {iid}\n")
        return "written"


def review_main(argv: list[str], answers: TextIO | None = None, out: TextIO | None = None) -> int:
    p = argparse.ArgumentParser(prog="refusal-monitor review",
                                description="Review proposed incident rows one by one and merge the accepted "
                                            "ones into the dataset (validated, locked, atomic writes).")
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL", help="articles to review")
    p.add_argument("--data", type=Path, help="dataset folder (default $REFUSAL_MONITOR_DATA or data/)")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for inputs that lack one")
    p.add_argument("--url", help="source URL for inputs that lack one")
    p.add_argument("--window-days", type=int, default=28,
                   help="how far apart two dates may be for a likely duplicate (default 28)")
    p.add_argument("--source-kind", choices=("original", "copy"),
                   help="what the reports are, when their sidecar does not say (sources.csv source_kind)")
    p.add_argument("--again", action="store_true", help="also review articles the curation log says are decided")
    args = p.parse_args(argv)
    answers, out = answers or sys.stdin, out or sys.stdout
    folder = args.data or data_dir()
    try:
        load(folder)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    session = Session(folder, answers, out, args.window_days, tty=out.isatty())
    failures: list[str] = []
    decided = set() if args.again else decided_urls(folder)
    for name, text, meta in read_articles(args.inputs, args.published, args.url, failures):
        if meta["url"] and meta["url"] in decided:
            out.write(f"\n== {name}: already decided (see {folder / 'curation_log.csv'}); skipped\n")
            continue
        proposals = extract_incidents(text, meta)
        out.write(f"\n== {name}: {len(proposals)} proposed row(s)\n")
        source = {"url": meta["url"], "outlet": meta.get("outlet") or "", "title": meta.get("title") or "",
                  "published": meta.get("published") or "", "language": meta.get("language") or "",
                  "source_kind": meta.get("source_kind") or args.source_kind or ""}
        if not proposals and source["url"]:
            session.record(source["url"], None, "none")
        if not session.review(proposals, source):
            break
    t = session.tally
    out.write(f"\n{t['added']} added, {t['merged']} merged as sources, {t['rejected']} rejected, "
              f"{t['skipped']} skipped; dataset: {folder}\n")
    return 1 if failures else 0
