"""Places the offline gazetteer lacks, looked up with geopy and mapped to a region.

Off by default (`--geocode`). Each answer, found or not, is cached on disk as JSON so a
rerun needs no network; the point returned is placed in a region with the shipped
boundaries, so the code is ours, not the geocoder's idea of an admin level.

Requests go through geopy's RateLimiter at one a second, the public Nominatim's usage policy.
Answers are limited to Russia and Ukraine by default: the shipped boundaries cover only those
two countries (occupied Ukraine included), so a namesake elsewhere could only be a wrong answer.
A lookup that fails (server error, timeout) is reported in one line and not cached, so a rerun
tries again.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from refusal_monitor.settings import geocode_cache, regions_dir


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class Geocoder:
    def __init__(self, endpoint: str | None = None, user_agent: str = "refusal-monitor",
                 cache_path: Path | None = None, timeout: float = 10.0, *, min_delay: float = 1.0,
                 country_codes: tuple[str, ...] | None = ("ru", "ua"),
                 warn: Callable[[str], None] = _warn) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        kwargs = {"user_agent": user_agent, "timeout": timeout}
        if endpoint:
            scheme, _, domain = endpoint.partition("://")
            kwargs.update(domain=domain.rstrip("/"), scheme=scheme or "https")
        self._nominatim = Nominatim(**kwargs)
        self._geocode = RateLimiter(self._nominatim.geocode, min_delay_seconds=min_delay, max_retries=0,
                                    swallow_exceptions=False)
        self.country_codes = list(country_codes) if country_codes else None
        self.warn = warn
        self.cache_path = Path(cache_path) if cache_path else geocode_cache()
        self._cache = self._read_cache()

    def locate(self, place: str) -> tuple[float, float] | None:
        """(lat, lon) of a place name, from the cache or the geocoder."""
        key = place.strip().lower()
        if key in self._cache:
            hit = self._cache[key]
            return tuple(hit) if hit else None
        from geopy.exc import GeopyError

        try:
            found = self._geocode(place, exactly_one=True, country_codes=self.country_codes)
        except GeopyError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            self.warn(f"geocoding {place!r} failed ({reason}); not cached, a rerun tries again")
            return None
        self._cache[key] = [found.latitude, found.longitude] if found else None
        self._save()
        return (found.latitude, found.longitude) if found else None

    def region(self, place: str) -> str | None:
        point = self.locate(place)
        return region_at(point[0], point[1]) if point else None

    def _read_cache(self) -> dict[str, list | None]:
        """The cached answers; a cache that cannot be read or is not {place: [lat, lon] or
        null} is one warning line and an empty cache (the next answer rewrites it)."""
        try:
            if not self.cache_path.exists():
                return {}
            cache = json.loads(self.cache_path.read_bytes().decode("utf-8"))
            if isinstance(cache, dict) and all(_cached_point(v) for v in cache.values()):
                return cache
            problem = "it is not a map of place names to points"
        except (OSError, ValueError) as exc:
            problem = getattr(exc, "strerror", None) or str(exc)
        self.warn(f"{self.cache_path}: the geocode cache is damaged ({problem}); starting an empty one")
        return {}

    def _save(self) -> None:
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._cache, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.cache_path)
        except OSError as exc:
            self.warn(f"{self.cache_path}: the geocode cache cannot be saved ({exc.strerror or exc})")


def _cached_point(value) -> bool:
    """None (looked up, not found) or [lat, lon].

    >>> _cached_point(None), _cached_point([51.8, 107.6]), _cached_point("x"), _cached_point([1, True])
    (True, True, False, False)
    """
    return value is None or (isinstance(value, list) and len(value) == 2 and
                             all(isinstance(x, int | float) and not isinstance(x, bool) for x in value))


def region_at(lat: float, lon: float) -> str | None:
    """The region whose boundary contains the point (ray casting on the shipped polygons).

    >>> region_at(51.83, 107.58)  # Ulan-Ude
    'RU-BU'
    >>> region_at(48.85, 2.35) is None  # Paris
    True
    """
    for feature in _features():
        g = feature["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polygons:
            for x in (lon, lon + 360):
                if _inside(x, lat, poly[0]) and not any(_inside(x, lat, hole) for hole in poly[1:]):
                    return feature["id"]
    return None


def _inside(x: float, y: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


_FEATURES: list | None = None


def _features() -> list:
    global _FEATURES
    if _FEATURES is None:
        _FEATURES = json.loads((regions_dir() / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    return _FEATURES
