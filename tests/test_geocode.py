"""The optional geocoder: a Nominatim-compatible server (a real one on 127.0.0.1), its cache,
its throttle, and its failures, each one line."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from geography.geocode import region_at
from tests.conftest import Site
from tests.conftest import run_cli as run


@pytest.fixture
def zaigrayevo(site, tmp_path):
    """A geocoder on 127.0.0.1 that knows Zaigrayevo, an article naming it, a cache path, and the
    server's pages (to take the answer away and prove the cache is used)."""
    base, pages = site
    pages["/search"] = (200, "application/json", json.dumps(
        [{"lat": "51.83", "lon": "107.58", "display_name": "Zaigrayevo, Buryatia", "place_id": 1}]).encode())
    text = tmp_path / "b.txt"
    text.write_text("Three soldiers deserted from a camp near Zaigrayevo last week.\n", encoding="utf-8")
    return base, text, tmp_path / "cache.json", pages


def test_geocode_uses_a_nominatim_compatible_server_and_caches(zaigrayevo):
    base, text, cache, pages = zaigrayevo
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
    searches = [(at, parse_qs(urlsplit(path).query)) for at, path in Site.requests if path.startswith("/search")]
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
@pytest.mark.parametrize("damage", ["cut short", "a list", "wrong values", "binary", "a directory"])
def test_a_corrupt_geocode_cache_is_one_warning_line(zaigrayevo, damage):
    base, text, cache, _ = zaigrayevo
    if damage == "a directory":
        cache.mkdir()
    else:
        cache.write_bytes({"cut short": b'{"zaigray', "a list": b"[1, 2]", "wrong values": b'{"zaigrayevo": "x"}',
                           "binary": b"\xff\xfe\x00\x01"}[damage])
    result = run(str(text), "--geocode", "--geocoder-url", base, "--geocode-cache", str(cache))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warnings = result.stderr.splitlines()
    assert warnings and all(line.startswith(f"warning: {cache}: the geocode cache") for line in warnings)
    assert "is damaged" in warnings[0]
    assert json.loads(result.stdout)["region"] == "RU-BU"
    if damage != "a directory":
        assert json.loads(cache.read_text())["zaigrayevo"] == [51.83, 107.58]
