"""The command line on good and bad inputs: one clear line per failure, never a traceback."""

from __future__ import annotations

import csv
import http.server
import io
import json
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from geography.geocode import region_at

ARTICLE = "Six mobilized men deserted from a military train in Voronezh region on Monday.\n"


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    command = list(args) if args[:1] == ("evaluate",) else ["extract", *args]
    return subprocess.run([sys.executable, "-m", "refusal_monitor", *command], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps({"url": "https://example.org/a", "published": "2022-10-05",
                                                 "outlet": "Example"}), encoding="utf-8")
    return path


def test_jsonl_rows_carry_every_field_and_the_sidecar(article):
    result = run(str(article))
    assert result.returncode == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["type"], row["count"], row["region"]) == ("desertion", 6, "RU-VOR")
    assert row["source_url"] == "https://example.org/a" and row["source"] == str(article)
    assert row["date"] == "2022-10-03" and row["published"] == "2022-10-05"


def test_csv_to_file(article, tmp_path):
    out = tmp_path / "rows.csv"
    assert run(str(article), "--format", "csv", "--out", str(out)).returncode == 0
    (row,) = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["type"] == "desertion" and row["rule"].startswith("desertion:")


def _bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with open(tmp_path / "huge.txt", "wb") as f:
        f.seek(50 * 1024 * 1024)
        f.write(b"x")
    return {"empty.txt": "empty", "binary.txt": "binary", "huge.txt": "larger", "missing.txt": "no such file"}


def test_each_bad_input_gets_one_clear_line_and_the_rest_are_processed(article, tmp_path):
    bad = _bad_inputs(tmp_path)
    result = run(*(str(tmp_path / name) for name in bad), str(article))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(bad)
    for name, words in bad.items():
        assert any(name in line and words in line for line in errors), (name, result.stderr)
    assert json.loads(result.stdout.splitlines()[0])["type"] == "desertion"


def test_legacy_encoding_is_detected(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes(("Из воинской части в Новосибирской области сбежали десять военнослужащих. "
                      "Об этом сообщили в администрации района, где солдаты были замечены на вокзале.\n")
                     .encode("cp1251"))
    result = run(str(path), "--published", "2024-11-13")
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout.splitlines()[0])
    assert (row["type"], row["count"], row["region"]) == ("desertion", 10, "RU-NVS")


def test_html_with_scripts_keeps_only_the_article(tmp_path):
    html = ("<html><head><title>Deserters caught</title><script>var x = 'Five soldiers deserted in Tula';"
            "</script></head><body><nav>Home | World</nav><article><h1>Deserters caught</h1><p>"
            + ARTICLE + "</p><p>The men were found two days later by military police near the station, "
            "officials in the region said in a statement to reporters.</p></article>"
            "<script>document.write('Ten soldiers refused to fight in Omsk')</script></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    types = {(r["type"], r["region"]) for r in map(json.loads, result.stdout.splitlines())}
    assert ("desertion", "RU-VOR") in types
    assert all(region not in ("RU-TUL", "RU-OMS") for _, region in types)


class _Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}
    requests: list[tuple[float, str]] = []

    def do_GET(self):
        self.requests.append((time.monotonic(), self.path))
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
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Site.pages.clear()
    _Site.requests.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Site.pages
    server.shutdown()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_urls_are_fetched_and_failures_reported(site):
    base, pages = site
    pages["/a"] = (200, "text/html", f"<html><body><article><p>{ARTICLE}</p><p>{ARTICLE}</p></article>"
                   "</body></html>".encode())
    pages["/gone"] = (404, "text/plain", b"gone")
    unreachable = f"http://127.0.0.1:{_closed_port()}/x"
    result = run(f"{base}/a", f"{base}/gone", unreachable)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{base}/gone: the server answered 404" in result.stderr
    assert f"{unreachable}: cannot be reached" in result.stderr
    row = json.loads(result.stdout.splitlines()[0])
    assert row["source"] == f"{base}/a" and row["region"] == "RU-VOR"


def test_geocode_uses_a_nominatim_compatible_server_and_caches(site, tmp_path):
    base, pages = site
    pages["/search"] = (200, "application/json", json.dumps(
        [{"lat": "51.83", "lon": "107.58", "display_name": "Zaigrayevo, Buryatia", "place_id": 1}]).encode())
    text = tmp_path / "b.txt"
    text.write_text("Three soldiers deserted from a camp near Zaigrayevo last week.\n", encoding="utf-8")
    cache = tmp_path / "cache.json"
    args = [str(text), "--geocode", "--geocoder-url", base, "--geocode-cache", str(cache)]
    first = run(*args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["region"] == "RU-BU"
    del pages["/search"]
    again = run(*args)
    assert json.loads(again.stdout)["region"] == "RU-BU"
    assert "zaigrayevo" in json.loads(cache.read_text())
    assert json.loads(run(str(text)).stdout)["region"] == ""


def test_region_at_maps_points_to_regions():
    assert region_at(55.75, 37.62) == "RU-MOW"
    assert region_at(66.0, 172.0) == region_at(66.3, -172.0) == "RU-CHU"


def test_evaluate_prints_strict_and_type_only(tmp_path, article):
    gold = [{"id": "a", "file": "a.txt", "url": "u", "published": "2022-10-05", "incidents": [
        {"type": "desertion", "alt_types": [], "region": "RU-VOR", "alt_regions": [], "count": 6,
         "count_low": 6, "count_high": 6, "optional": False}]}]
    (tmp_path / "gold.json").write_text(json.dumps(gold))
    result = run("evaluate", str(tmp_path / "gold.json"), "--by-article")
    assert result.returncode == 0, result.stderr
    assert "strict     precision 1.000  recall 1.000  F1 1.000" in result.stdout


def test_help_and_usage_errors():
    assert "PATH_OR_URL" in run("--help").stdout
    bad = run("x.txt", "--format", "xml")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert "expected a date" in run("x.txt", "--published", "yesterday").stderr


GEOCODE_TEXT = ("Three soldiers deserted from a camp near Zaigrayevo last week.\n\n"
                "Two conscripts fled their unit near Khorinsk last month.\n\n"
                "Four contract soldiers deserted near Kizhinga, officials said.\n")


def test_geocoder_waits_a_second_between_requests_and_asks_only_in_russia_and_ukraine(site, tmp_path):
    base, pages = site
    pages["/search"] = (200, "application/json", b"[]")
    text = tmp_path / "c.txt"
    text.write_text(GEOCODE_TEXT, encoding="utf-8")
    result = run(str(text), "--geocode", "--geocoder-url", base, "--geocode-cache", str(tmp_path / "cache.json"))
    assert result.returncode == 0, result.stderr
    searches = [(at, parse_qs(urlsplit(path).query)) for at, path in _Site.requests if path.startswith("/search")]
    assert [query["q"][0] for _, query in searches] == ["Zaigrayevo", "Khorinsk", "Kizhinga"]
    assert all(query["countrycodes"] == ["ru,ua"] for _, query in searches)
    gaps = [later - earlier for (earlier, _), (later, _) in zip(searches, searches[1:], strict=False)]
    # The limiter spaces the calls a second apart; arrival at the server jitters by a few milliseconds.
    # Unthrottled, the three requests arrive within milliseconds of each other.
    assert min(gaps) >= 0.8 and sum(gaps) >= 1.9, gaps


def test_a_failed_lookup_is_one_line_and_not_cached(site, tmp_path):
    base, pages = site
    pages["/search"] = (500, "text/plain", b"overloaded")
    text = tmp_path / "b.txt"
    text.write_text("Three soldiers deserted from a camp near Zaigrayevo last week.\n", encoding="utf-8")
    cache = tmp_path / "cache.json"
    result = run(str(text), "--geocode", "--geocoder-url", base, "--geocode-cache", str(cache))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "Zaigrayevo" in line]
    assert line.startswith("warning: geocoding 'Zaigrayevo' failed (") and "500" in line
    assert json.loads(result.stdout)["region"] == ""
    assert not cache.exists() or "zaigrayevo" not in json.loads(cache.read_text())
