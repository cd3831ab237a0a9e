"""The region map renders in a real browser from the shipped geography, with no CDN."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image

from dashboard.figures import region_map
from tests.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser


def test_region_map_renders_to_a_non_blank_png(browser, static_server, tmp_path):
    shutil.copytree(ROOT / "static" / "topojson", tmp_path / "topojson")
    shutil.copy(ROOT / "static" / "regions.geojson", tmp_path / "regions.geojson")
    fig = region_map({"RU-BU": 5, "RU-PSK": 3, "UA-09": 2, "RU-CHU": 1}, geojson=f"{static_server}/regions.geojson")
    html = fig.to_html(include_plotlyjs=True, full_html=True,
                       config={"topojsonURL": f"{static_server}/topojson/", "staticPlot": True})
    (tmp_path / "map.html").write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1000, "height": 520})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(static_server) or r.url.startswith("data:")
            else outside.append(r.url))
    page.goto(f"{static_server}/map.html")
    page.wait_for_selector(".choroplethlocation", state="attached", timeout=20000)
    paths = page.locator(".choroplethlocation").count()
    png = page.screenshot()
    page.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "region_map.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1_000_000) or []
    assert paths == 89
    assert len(colours) > 20, "the map image is (nearly) blank"
    assert outside == []


def test_served_boundaries_are_the_shipped_boundaries():
    assert (ROOT / "static" / "regions.geojson").read_bytes() == \
        (ROOT / "data" / "regions" / "boundaries.geojson").read_bytes()
