"""Shared fixtures: the shared corpus, a local HTTP server, and Debian's chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REFUSAL_MONITOR_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's chromium; skipped where none is installed, except in CI."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chromium on PATH: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def static_server(tmp_path):
    """Serves tmp_path on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"CORPUS EVALUATION DID NOT RUN: no shared corpus at {CORPUS} "
                    "(set REFUSAL_MONITOR_SHARED to the folder holding corpus/ and intake/)")
    return CORPUS


def pytest_terminal_summary(terminalreporter):
    """Say it plainly at the end of the run, not only in the skip list, when the extractor
    was not scored: a green run without the corpus proves nothing about extraction."""
    if not CORPUS.is_dir():
        terminalreporter.write_line(f"NOTE: the corpus evaluation did not run: no shared corpus at {CORPUS}. "
                                    "Set REFUSAL_MONITOR_SHARED to score the extractor.", yellow=True, bold=True)


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped dataset and its codebook to write into."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("incidents.csv", "sources.csv", "codebook.csv", "codebook_values.csv"):
        shutil.copy(ROOT / "data" / name, data / name)
    return data


def write_article(folder: Path, name: str, text: str, url: str, published: str = "2024-03-06",
                  language: str = "en") -> str:
    """An article file with its sidecar, as the intake holds them; returns its path."""
    import json

    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    (folder / f"{name}.json").write_text(json.dumps({"url": url, "outlet": "Example", "title": name,
                                                     "published": published, "language": language}))
    return str(path)


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """`refusal-monitor extract ARGS` (or `evaluate ...`) in a real process."""
    command = list(args) if args[:1] == ("evaluate",) else ["extract", *args]
    return subprocess.run([sys.executable, "-m", "refusal_monitor", *command], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


class Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}
    redirects: dict[str, str] = {}
    requests: list[tuple[float, str]] = []

    def do_GET(self):
        self.requests.append((time.monotonic(), self.path))
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, kind, body = self.pages.get(self.path.split("?")[0], (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Site.pages.clear()
    Site.requests.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}", Site.pages
    server.shutdown()
