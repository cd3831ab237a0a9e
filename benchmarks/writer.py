"""The dataset's read and write paths on a SYNTHETIC dataset (default 100,000 incidents).

The rows come from benchmarks/dashboard.py's generator (marked synthetic in every summary
and URL), are written to a temporary folder and deleted afterwards, never into data/.

Prints:
  - load_tables: read both files through the journal and validate them (the dashboard's read);
  - add one incident: lock, recover, read, validate the whole result, commit both files
    through the journal (what `review` does for each accepted row);
  - write_dataset: the same for a batch, every row given again;
  - the size of the two files and the peak memory (RSS) of this process.

    python benchmarks/writer.py [--incidents 100000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dashboard import write_synthetic  # noqa: E402
from curation.writer import add_source_or_incident, write_dataset  # noqa: E402
from refusal_monitor.settings import shipped_data_dir  # noqa: E402
from store.dataset import load_tables, read_files  # noqa: E402

NEW = {"type": "desertion", "stage": "", "count": "3", "count_low": "3", "count_high": "3", "region": "RU-TUL",
       "place": "", "place_precision": "region", "date": "2024-05", "date_precision": "month", "unit": "",
       "summary": "SYNTHETIC benchmark row, not real.", "reviewed": "false"}
SOURCE = {"url": "https://synthetic.invalid/new", "outlet": "", "title": "", "published": "", "language": "en"}


def timed(label: str, work) -> None:
    start = time.perf_counter()
    work()
    print(f"{label:32} {time.perf_counter() - start:6.2f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--incidents", type=int, default=100_000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="refusal-monitor-synthetic-") as tmp:
        folder = Path(tmp)
        for name in ("codebook.csv", "codebook_values.csv"):
            (folder / name).write_bytes((shipped_data_dir() / name).read_bytes())
        write_synthetic(folder, args.incidents)
        size = sum((folder / n).stat().st_size for n in ("incidents.csv", "sources.csv"))
        print(f"synthetic dataset: {args.incidents:,} incidents, {size / 1e6:.1f} MB in {folder}")
        timed("load_tables (read + validate)", lambda: load_tables(folder))
        timed("add one incident (review)", lambda: add_source_or_incident(NEW, SOURCE, folder))
        files = read_files(folder)
        rows = files.incidents.to_dict("records"), files.sources.to_dict("records")
        timed("write_dataset (batch, all rows)", lambda: write_dataset(*rows, folder, files.fingerprint))
    print(f"peak memory (RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
