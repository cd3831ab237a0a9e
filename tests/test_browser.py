"""The dashboard in Debian's chromium: it loads, draws the map, filters on a click, is safe
on a click anywhere, fits a phone, and asks nothing of any host but its own server, even
when the data is hostile (Markdown images, HTML, javascript: links, :emoji:, LaTeX)."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard.text import strings
from tests.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser
HOSTILE = ("![i](http://evil.example/md.png) <img src=http://evil.example/tag.png> **bold** :smile: $x^2$ "
           "[link](javascript:alert(1)) <script>alert(1)</script>")


@contextmanager
def streamlit_server(data: Path | None = None, entry: str = "streamlit_app.py"):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, **({"REFUSAL_MONITOR_DATA": str(data)} if data else {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start within 60 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as base:
        yield base


PHONE_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36"


def _open(browser, base, path="", width=1400, height=1000):
    agent = {"user_agent": PHONE_AGENT, "is_mobile": True, "has_touch": True} if width < 600 else {}
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True, **agent)
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith(("data:", "blob:"))
            else None)
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_selector(".choroplethlocation", state="attached", timeout=60000)
    return page, foreign


def _metrics_sum(page) -> str:
    return ("[...document.querySelectorAll('[data-testid=stMetricValue]')]"
            ".map(e => Number(e.innerText.replace(/[^0-9]/g, ''))).reduce((a, b) => a + b, 0)")


def test_dashboard_loads_draws_the_map_and_stays_local(browser, server):
    page, foreign = _open(browser, server, width=1400, height=3000)
    assert page.locator(".choroplethlocation").count() == 89
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    assert "Refusal: incidents" in page.content()
    assert foreign == []
    page.close()


def _click_region(page, code: str) -> None:
    box = page.locator(".choroplethlocation").nth(_index_of(code)).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_clicking_a_region_filters_everything(browser, server):
    page, foreign = _open(browser, server)
    try:
        _click_region(page, "RU-SA")
        page.wait_for_function("() => window.location.search.includes('region=RU-SA')", timeout=15000)
        page.wait_for_function(f"() => {_metrics_sum(page)} == {_incidents_in('RU-SA')}", timeout=15000)
        assert page.locator("[data-testid=stException]").count() == 0
        _wait_for_sidebar_text(page, "Yakutia")
        page.get_by_role("button", name="Show all regions").click()
        page.wait_for_function("() => !window.location.search.includes('region=')", timeout=15000)
        assert foreign == []
    finally:
        page.close()


def test_the_timeline_and_the_ranking_share_tabs_and_only_the_open_one_is_drawn(browser, server):
    """Each Plotly chart costs the browser a draw: the page holds the map and the open tab's chart."""
    page, foreign = _open(browser, server)
    try:
        charts = page.locator("[data-testid=stPlotlyChart]")
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .barlayer .point').length > 0")
        assert charts.count() == 2
        assert "Not on the monthly timeline" in charts.nth(1).inner_text()  # year-only and undated, same figure
        page.get_by_role("tab", name="Regions ranked").click()
        page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].some("
                               "g => g.innerText.includes('Luhansk Oblast'))", timeout=15000)
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stPlotlyChart]').length == 2 && "
                               "!document.querySelector('[data-testid=stMain]').innerText"
                               ".includes('Not on the monthly timeline')", timeout=15000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert foreign == []
    finally:
        page.close()


def test_clicking_a_region_without_incidents_is_safe_and_can_be_undone(browser, server):
    page, foreign = _open(browser, server)
    try:
        boxes = {c: page.locator(".choroplethlocation").nth(i).bounding_box() for i, c in enumerate(_region_codes())
                 if _incidents_in(c) == 0}
        empty = max(boxes, key=lambda c: boxes[c]["width"] * boxes[c]["height"])
        _click_region(page, empty)
        page.wait_for_function(f"() => window.location.search.includes('region={empty}')", timeout=15000)
        page.wait_for_selector("text=No incident matches", timeout=15000)
        assert page.locator(".choroplethlocation").count() == 89
        assert page.locator("[data-testid=stException]").count() == 0
        page.get_by_role("button", name="Show all regions").click()
        page.wait_for_function(f"() => {_metrics_sum(page)} == {_incidents_in(None)}", timeout=15000)
        assert foreign == []
    finally:
        page.close()


def test_the_filters_in_the_popover_filter_and_its_label_counts_them(browser, server):
    """The less used filters and measures are drawn only when their popover opens."""
    page, foreign = _open(browser, server)
    try:
        assert page.get_by_text("Leave out incidents reported only by copies").count() == 0
        page.get_by_role("button", name="More filters and measures").click()
        page.get_by_text("Leave out incidents reported only by copies").click()
        page.wait_for_function("() => window.location.search.includes('copies=0')", timeout=15000)
        page.get_by_role("button", name="More filters and measures · 1 set").wait_for(timeout=15000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert foreign == []
    finally:
        page.close()


def test_the_grid_offers_no_download_that_bypasses_the_formula_safe_export(browser, server):
    page, _ = _open(browser, server)
    try:
        page.get_by_role("tab", name="Every incident, as a table").click()
        grid = page.locator("[data-testid=stDataFrame]").first
        grid.wait_for(timeout=15000)
        grid.scroll_into_view_if_needed()
        grid.hover()
        page.wait_for_timeout(500)
        assert page.get_by_role("button", name="Download as CSV").count() == 0
        assert page.locator("[data-testid=stDownloadButton]").count() == 3
    finally:
        page.close()


@pytest.mark.parametrize(("typed", "region"), [("Башкирия", "Bashkortostan"), ("Lugansk", "Luhansk Oblast"),
                                               ("Питер", "Saint Petersburg"), ("Kyrgyzstan", "Kyrgyzstan")])
def test_region_filter_finds_regions_by_their_other_names(browser, server, typed, region):
    page, _ = _open(browser, server)
    try:
        box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").nth(1)
        box.click()
        page.keyboard.type(typed)
        page.get_by_role("option").first.wait_for(timeout=5000)
        assert any(text.startswith(region) for text in page.get_by_role("option").all_inner_texts())
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_phone_layout_shows_the_map_and_the_tables_summary(browser, server, lang):
    page, foreign = _open(browser, server, f"/?lang={lang}", width=390, height=844)
    try:
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / f"phone_{lang}.png"))
        map_box = page.locator("[data-testid=stPlotlyChart]").first.bounding_box()
        assert map_box["width"] >= 340 and map_box["height"] <= 320
        page.get_by_role("tab", name=strings(lang)["table_tab"]).click()
        header = page.locator("[data-testid=stDataFrame]").first
        header.wait_for(timeout=15000)
        header.scroll_into_view_if_needed()
        grid_box = header.bounding_box()
        assert grid_box["x"] >= 0 and grid_box["x"] + grid_box["width"] <= 390
        assert page.locator(".modebar-container:visible").count() == 0
        assert foreign == []
    finally:
        page.close()


def _hostile_data(folder: Path) -> None:
    """A copy of the shipped data with hostile text in every free-text field of one valid
    incident (the newest, so the latest-cases list shows it), a hostile outlet and title, a
    javascript: URL and a hostile invalid cell."""
    shutil.copytree(ROOT / "data", folder)
    with open(folder / "incidents.csv", "a", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["RM-0901", "refusal", "", "2", "2", "2", "RU-MOW", HOSTILE, "exact", "2026-11", "month",
                      HOSTILE, HOSTILE, "true"])
        out.writerow(["RM-0902", HOSTILE, "", "", "", "", "", "", "region", "", "", "", "x", "true"])
    with open(folder / "sources.csv", "a", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["RM-0901", "https://a.example/ok", HOSTILE, HOSTILE, "2026-11-01", "en", "copy"])
        out.writerow(["RM-0901", "javascript:alert(1)", HOSTILE, HOSTILE, "2026-11-02", "en", "original"])
        out.writerow(["RM-0902", "https://b.example/x", "x", "x", "2024-12-02", "en", "original"])
        out.writerow(["RM-0901", "https://c.example/p", "x", "x", "2099-![p](http://evil.example/pub.png)", "en", ""])


def test_hostile_data_reaches_every_page_as_plain_text_and_nothing_leaves_the_host(browser, tmp_path):
    folder = tmp_path / "data"
    _hostile_data(folder)
    dialogs: list[str] = []
    with streamlit_server(folder) as base:
        page, foreign = _open(browser, base)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            page.get_by_text("set aside").first.click()
            page.get_by_text("RM-0901").first.click()
            page.wait_for_function("() => window.location.search.includes('incident=RM-0901')", timeout=15000)
            page.wait_for_selector("text=Incident RM-0901", timeout=15000)
            card = page.locator(".st-key-incident_card").inner_text()
            assert "![i](http://evil.example/md.png)" in card and ":smile:" in card and "$x^2$" in card
            assert page.locator(".st-key-incident_card a[href^='javascript']").count() == 0
            assert page.locator(".st-key-incident_card img").count() == 0
            page.get_by_text("Русский").click()
            page.wait_for_function("() => window.location.search.includes('lang=ru')", timeout=15000)
            page.get_by_role("link", name="Методология").click()
            page.wait_for_selector("text=Кодовая книга", timeout=15000)
            page.get_by_role("link", name="Обзор").click()
            page.wait_for_selector(".choroplethlocation", state="attached", timeout=30000)
            page.get_by_text("Европейская Россия").click()
            page.wait_for_timeout(1500)
            _click_region(page, "RU-MOW")
            page.wait_for_function("() => window.location.search.includes('region=RU-MOW')", timeout=15000)
            page.wait_for_function(f"() => {_metrics_sum(page)} == {_incidents_in('RU-MOW') + 1}", timeout=15000)
            page.wait_for_timeout(1500)
            for name in ("Случаи (CSV)", "Случаи, источники и кодовая книга (ZIP)", "Итоги по регионам (JSON"):
                button = page.get_by_role("button", name=name)
                with page.expect_download() as download:
                    button.click()
                assert Path(download.value.path()).stat().st_size > 0
            page.wait_for_timeout(1000)
            assert page.locator("[data-testid=stException]").count() == 0
            assert page.locator("img[src*='evil']").count() == 0
        finally:
            page.screenshot(path=str(ARTIFACTS / "hostile.png"))
            page.close()
    assert foreign == [] and dialogs == []


def _incidents_in(code: str | None) -> int:
    from store.dataset import load

    return sum(code is None or row["region"] == code for row in load().incidents)


def _region_codes() -> list[str]:
    from dashboard.geo import region_table

    return list(region_table().index)


def _wait_for_sidebar_text(page, text: str) -> None:
    """The sidebar's widgets come after the page in each run, so they may update a moment
    after the counts."""
    page.wait_for_function("t => document.querySelector('[data-testid=stSidebar]').innerText.includes(t)",
                           arg=text, timeout=15000)


def _index_of(code: str) -> int:
    return _region_codes().index(code)


def test_the_served_entry_gzips_loads_plotly_early_and_its_first_session_filters(browser):
    """dashboard/asgi.py (what `make run`, `refusal-monitor serve` and the container run):
    Streamlit's JavaScript gzipped, the page shell importing Plotly's chunk as it boots, and
    the server's first session a working page: a click on the map filters it (dashboard/app.py
    sits next to pages/, which Streamlit must not take for an old-style pages folder)."""
    import gzip

    with streamlit_server(entry="dashboard/asgi.py") as base:
        page, foreign = _open(browser, base)
        try:
            _click_region(page, "RU-SA")
            page.wait_for_function(f"() => {_metrics_sum(page)} == {_incidents_in('RU-SA')}", timeout=15000)
            assert page.locator("[data-testid=stException]").count() == 0
            _wait_for_sidebar_text(page, "Yakutia")
            scripts = page.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
            shell = page.evaluate("() => document.head.innerHTML")
        finally:
            page.close()
        assert 'import("./static/js/PlotlyChart.' in shell
        assert "window.PlotlyGeoAssets" in shell  # the boundaries fetched as the page boots
        for _ in range(2):  # the second answer comes from the kept copy
            request = urllib.request.Request(scripts[0], headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.headers.get("Content-Encoding") == "gzip"
                assert "immutable" in response.headers.get("Cache-Control", "")
                assert len(gzip.decompress(response.read())) > 0
        with urllib.request.urlopen(scripts[0], timeout=10) as response:
            assert response.headers.get("Content-Encoding") is None
    assert foreign == []
