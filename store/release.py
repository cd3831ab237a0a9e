"""The release the code and the data carry: version, date, and how to cite them.

CITATION.cff at the top of a checkout is the one place they are written. The publisher
(`python -m store.datapackage`) copies them into data/datapackage.json, which ships in the wheel
and is served by the app, so the page, the citation file and the data package cannot disagree.
The dashboard calls `shipped_release()`; everything else here is pure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from refusal_monitor.settings import CHECKOUT, shipped_data_dir

CITATION_FILE = CHECKOUT / "CITATION.cff"
LICENCE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
                "MIT": "https://opensource.org/license/mit"}


class ReleaseError(ValueError):
    """The citation file or the data package cannot say which release this is."""


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    title: str
    authors: str
    licence: str

    @property
    def citation(self) -> str:
        """The dataset's citation in one line, as the app and data/README.md show it.

        >>> Release("0.1.0", "2026-11-22", "Reported refusals", "Refusal Monitor contributors", "CC-BY-4.0").citation
        'Refusal Monitor contributors (2026). Reported refusals (version 0.1.0, 2026-11-22) [Data set]. CC-BY-4.0.'
        """
        return f"{self.authors} ({self.date[:4]}). {self.title} (version {self.version}, {self.date}) " \
               f"[Data set]. {self.licence}."


def _names(authors: list) -> str:
    return ", ".join(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
                     for a in authors)


def release_from_cff(text: str) -> Release:
    """The dataset's release as CITATION.cff states it: its preferred citation, else the file itself.

    >>> release_from_cff('version: "1.0"\\ndate-released: 2026-01-02\\ntitle: T\\nlicense: MIT\\n'
    ...                  'authors: [{given-names: Ann, family-names: Lee}]').citation
    'Ann Lee (2026). T (version 1.0, 2026-01-02) [Data set]. MIT.'
    """
    try:
        cff = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReleaseError(f"CITATION.cff is not YAML ({exc.__class__.__name__})") from exc
    if not isinstance(cff, dict):
        raise ReleaseError("CITATION.cff does not hold a mapping")
    data = {**cff, **(cff.get("preferred-citation") or {})}
    missing = [key for key in ("version", "date-released", "title", "authors", "license") if not data.get(key)]
    if missing:
        raise ReleaseError(f"CITATION.cff: no {', '.join(missing)}")
    return Release(str(data["version"]), str(data["date-released"]), str(data["title"]), _names(data["authors"]),
                   str(data["license"]))


def release_from_package(package: dict) -> Release:
    """The release a data package records (see store.datapackage.build_package)."""
    try:
        return Release(package["version"], package["created"][:10], package["title"],
                       ", ".join(c["title"] for c in package["contributors"]), package["licenses"][0]["name"])
    except (KeyError, IndexError, TypeError) as exc:
        raise ReleaseError(f"no {exc} in the package") from exc


def read_citation_file(path: Path = CITATION_FILE) -> Release:
    try:
        return release_from_cff(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReleaseError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def shipped_release(folder: Path | None = None) -> Release:
    """The release of the shipped data package, in a checkout and in an installed wheel alike."""
    path = (folder or shipped_data_dir()) / "datapackage.json"
    try:
        return release_from_package(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise ReleaseError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise ReleaseError(f"{path}: {exc}") from exc
