"""The `refusal-monitor` command: one entry point that hands each subcommand to the package
that does that job. Subcommands import their package only when called, so `serve` and
`validate` work in an install without the extraction extras."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import __version__
from .settings import SERVE_ENTRY, data_dir, streamlit_flags

SUBCOMMANDS = {
    "extract": "propose incident rows from articles (.txt, .html, http(s) URLs)",
    "evaluate": "score the extractor on a gold file (codebook scoring)",
    "review": "review proposals one by one and write accepted rows to the dataset",
    "propose": "write the proposals for many articles to a decisions file for batch curation",
    "apply": "write a marked decisions file to the dataset and the curation log",
    "validate": "check a data folder against its codebook",
    "serve": "run the dashboard (Streamlit) on the shipped data or $REFUSAL_MONITOR_DATA",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="refusal-monitor",
        description="Refusal Monitor: reported refusals, desertions and prosecutions of Russian servicemen. "
                    "Each subcommand has its own --help.",
        epilog="\n".join(f"  {name:9} {what}" for name, what in SUBCOMMANDS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"refusal-monitor {__version__}")
    p.add_argument("command", choices=SUBCOMMANDS, metavar="COMMAND", help="one of: " + ", ".join(SUBCOMMANDS))
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        _parser().parse_args(argv or ["--help"])
        return 2
    command, rest = argv[0], argv[1:]
    if command not in SUBCOMMANDS:
        _parser().parse_args(argv)
    try:
        return _run(command, rest)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `refusal-monitor extract ... | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except ModuleNotFoundError as exc:
        print(f"error: {command} needs {exc.name}, which is not installed: "
              "pip install 'refusal-monitor[extract]'", file=sys.stderr)
        return 2


def _run(command: str, rest: list[str]) -> int:
    if command == "extract":
        from extract.cli import extract_main

        return extract_main(rest)
    if command == "evaluate":
        from extract.cli import evaluate_main

        return evaluate_main(rest)
    if command == "review":
        from curation.review import review_main

        return review_main(rest)
    if command in ("propose", "apply"):
        from curation import batch

        return batch.main(command, rest)
    if command == "validate":
        return validate_main(rest)
    return serve_main(rest)


def validate_main(argv: list[str]) -> int:
    from store.dataset import DatasetError, load

    p = argparse.ArgumentParser(prog="refusal-monitor validate",
                                description="Check a data folder (incidents.csv, sources.csv and its codebook) "
                                            "and list every problem by file, line and field.")
    p.add_argument("folder", nargs="?", type=Path, help="data folder (default $REFUSAL_MONITOR_DATA or data/)")
    args = p.parse_args(argv)
    folder = args.folder or data_dir()
    try:
        data = load(folder)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in data.problems:
        print(problem)
    print(f"{folder}: {len(data.incidents)} valid incidents, {len(data.bad_incidents)} set aside, "
          f"{len(data.sources)} sources, {len(data.problems)} problems")
    return 1 if data.problems else 0


def serve_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="refusal-monitor serve",
                                description="Run the dashboard. Readers' browsers contact only this server: "
                                            "usage statistics are off and static files are served locally.")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--address", default="localhost", help="address to listen on (default localhost)")
    p.add_argument("--data", type=Path, help="data folder to serve (default $REFUSAL_MONITOR_DATA or data/)")
    args = p.parse_args(argv)
    env = dict(os.environ)
    if args.data:
        env["REFUSAL_MONITOR_DATA"] = str(args.data.resolve())
    command = [sys.executable, "-m", "streamlit", "run", str(SERVE_ENTRY),
               "--server.port", str(args.port), "--server.address", args.address, *streamlit_flags()]
    return subprocess.call(command, env=env)
