"""data/datapackage.json, a Frictionless Tabular Data Package, generated and never edited by hand.

The schema of each table comes from data/codebook.csv and codebook_values.csv, with the same
patterns the validator in store.dataset applies, so a tool that reads the package checks what
`refusal-monitor validate` checks. The version, date, title and licence come from CITATION.cff
(store.release).

`python -m store.datapackage` (or `make publish`) writes the package and copies it with the
dataset into the app's static folder, which Streamlit serves at /app/static/data/. They are
copies, not symlinks: Streamlit refuses to serve a file whose real path leaves static/.
`--check` writes nothing and lists what is stale; the test suite runs it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from geography.gazetteer import regions
from refusal_monitor.settings import APP_SCRIPT, shipped_data_dir

from .codebook import COLUMN_FIELDS, TABLES, VALUE_FIELDS, Codebook, Column, read_codebook
from .dataset import DATE, FOREIGN, INCIDENT_ID, MAX_COUNT, PUBLISHED, WEB_URL
from .release import LICENCE_URLS, Release, ReleaseError, read_citation_file

SERVED_DIR = APP_SCRIPT.parent / "static" / "data"
PACKAGE_FILE = "datapackage.json"
META_TABLES = {"codebook.csv": (COLUMN_FIELDS, "Codebook: one row per column of both tables"),
               "codebook_values.csv": (VALUE_FIELDS, "Codebook: one row per allowed value of a category column")}
PUBLISHED_FILES = (*TABLES, *META_TABLES, PACKAGE_FILE, "LICENSE")
KEYS = {"incidents.csv": ["incident_id"], "sources.csv": ["incident_id", "url"]}


def _constraints(column: Column, book: Codebook) -> dict:
    """What the validator checks for one column, in Table Schema terms."""
    found: dict = {"required": True} if column.required else {}
    if column.kind == "category":
        found["enum"] = list(book.allowed(column.name))
    elif column.kind == "integer":
        found.update(minimum=1, maximum=MAX_COUNT)
    elif column.kind == "date":
        found["pattern"] = (DATE if "YYYY|" in column.allowed else PUBLISHED).pattern
    elif column.kind == "url":
        found["pattern"] = WEB_URL.pattern
    elif column.kind == "code":
        found["pattern"] = f"(?:{'|'.join(sorted(regions()))})|(?:{FOREIGN.pattern})"
    elif column.allowed == "RM-NNNN":
        found["pattern"] = INCIDENT_ID.pattern
    return found


def _field(column: Column, book: Codebook) -> dict:
    field = {"name": column.name, "title": column.label_en, "description": column.meaning,
             "type": {"integer": "integer", "boolean": "boolean"}.get(column.kind, "string")}
    if column.kind == "boolean":
        field.update(trueValues=["true"], falseValues=["false"])
    constraints = _constraints(column, book)
    return {**field, "constraints": constraints} if constraints else field


def _resource(file: str, title: str, schema: dict) -> dict:
    return {"name": file.removesuffix(".csv"), "path": file, "profile": "tabular-data-resource", "title": title,
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def build_package(book: Codebook, release: Release) -> dict:
    """The data package as a dict: both tables typed by the codebook, and the codebook itself."""
    resources = []
    for file in TABLES:
        schema = {"fields": [_field(c, book) for c in book.table(file)], "missingValues": [""],
                  "primaryKey": KEYS.get(file, [book.names(file)[0]])}
        if file != TABLES[0]:
            schema["foreignKeys"] = [{"fields": "incident_id",
                                      "reference": {"resource": TABLES[0].removesuffix(".csv"),
                                                    "fields": "incident_id"}}]
        resources.append(_resource(file, f"{file.removesuffix('.csv').capitalize()}: one row per "
                                         f"{'incident' if file == TABLES[0] else 'report supporting an incident'}",
                                   schema))
    for file, (fields, title) in META_TABLES.items():
        resources.append(_resource(file, title, {"fields": [{"name": f, "type": "string"} for f in fields],
                                                 "missingValues": []}))
    return {
        "profile": "tabular-data-package",
        "name": "refusal-monitor",
        "title": release.title,
        "version": release.version,
        "created": f"{release.date}T00:00:00Z",
        "description": "Reported incidents in which Russian servicemen refused to fight in the war against "
                       "Ukraine, deserted, or were prosecuted for it, each linked to the news reports behind it.",
        "licenses": [{"name": release.licence, "path": LICENCE_URLS.get(release.licence, ""),
                      "title": "Creative Commons Attribution 4.0" if release.licence == "CC-BY-4.0" else ""}],
        "contributors": [{"title": name, "role": "author"} for name in release.authors.split(", ")],
        "sources": [{"title": "News reports, one row of sources.csv each; the reports belong to their publishers"}],
        "citation": release.citation,
        "resources": resources,
    }


def package_text(folder: Path, release: Release) -> str:
    return json.dumps(build_package(read_codebook(folder), release), indent=2, ensure_ascii=False) + "\n"


def stale_files(folder: Path, served: Path, text: str, served_only: bool = False) -> list[Path]:
    """Every file that differs from what publishing would write."""
    wanted = {served / name: (folder / name).read_bytes() for name in PUBLISHED_FILES if name != PACKAGE_FILE}
    wanted[served / PACKAGE_FILE] = text.encode()
    if not served_only:
        wanted[folder / PACKAGE_FILE] = text.encode()
    return [path for path, content in wanted.items() if not path.is_file() or path.read_bytes() != content]


def publish(folder: Path, served: Path, text: str, served_only: bool = False) -> list[Path]:
    """Write the package beside the data (unless served_only) and copy the published files to `served`."""
    served.mkdir(parents=True, exist_ok=True)
    if not served_only:
        (folder / PACKAGE_FILE).write_text(text, encoding="utf-8")
    for name in PUBLISHED_FILES:
        if name == PACKAGE_FILE:
            (served / name).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(folder / name, served / name)
    return [served / name for name in PUBLISHED_FILES]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m store.datapackage",
                                description="Write data/datapackage.json from the codebook and CITATION.cff, and "
                                            "copy the published files to the app's static folder.")
    p.add_argument("--data", type=Path, default=shipped_data_dir(), help="data folder (default: the shipped data/)")
    p.add_argument("--served", type=Path, default=SERVED_DIR, help=f"folder the app serves (default {SERVED_DIR})")
    p.add_argument("--served-only", action="store_true",
                   help="leave the data folder as it is (a container's read-only volume)")
    p.add_argument("--check", action="store_true", help="write nothing; list stale files and exit 1 if any")
    p.add_argument("--quiet", action="store_true", help="do not list the files written")
    args = p.parse_args(argv)
    try:
        text = package_text(args.data, read_citation_file())
        missing = [name for name in PUBLISHED_FILES if name != PACKAGE_FILE and not (args.data / name).is_file()]
        if missing:
            raise ReleaseError(f"{args.data}: no {', '.join(missing)}")
    except (ReleaseError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = stale_files(args.data, args.served, text, args.served_only)
        for path in stale:
            print(f"stale: {path} (run `make publish`)", file=sys.stderr)
        return 1 if stale else 0
    for path in publish(args.data, args.served, text, args.served_only):
        if not args.quiet:
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

