"""The dashboard in Debian's chromium: it loads, draws the map, filters on a click, and
asks nothing of any host but its own server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from tests.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def _open(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None) and not r.url.startswith("data:")
            else None)
    page.goto(server, wait_until="networkidle")
    page.wait_for_selector(".choroplethlocation", state="attached", timeout=60000)
    return page, foreign


def test_dashboard_loads_draws_the_map_and_stays_local(browser, server):
    page, foreign = _open(browser, server)
    assert page.locator(".choroplethlocation").count() == 89
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert "Refusal incidents" in page.content()
    assert foreign == []
    page.close()


def test_clicking_a_region_filters(browser, server):
    page, _ = _open(browser, server)
    box = page.locator(".choroplethlocation").nth(_index_of("RU-SA")).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    try:
        page.wait_for_function("() => window.location.search.includes('region=RU-SA')", timeout=15000)
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stMetricValue]').length == 3 && "
                               "[...document.querySelectorAll('[data-testid=stMetricValue]')]"
                               ".map(e => Number(e.innerText.replace(/,/g, ''))).reduce((a, b) => a + b) == "
                               f"{_incidents_in('RU-SA')}", timeout=15000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert "Yakutia" in page.locator("[data-testid=stSidebar]").inner_text()
    finally:
        page.close()


def _incidents_in(code: str) -> int:
    from store.dataset import load

    return sum(row["region"] == code for row in load().incidents)


def _index_of(code: str) -> int:
    from dashboard.geo import region_table

    return list(region_table().index).index(code)
