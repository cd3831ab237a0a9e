"""The region gazetteer, the boundaries and the one resolver agree and resolve real spellings."""

from __future__ import annotations

import csv
import json
import re

import pytest

from geography.gazetteer import alias_table, find_places, normalize, regions, resolve_region
from refusal_monitor.settings import regions_dir
from store.dataset import FOREIGN

OCCUPIED = {"UA-09", "UA-14", "UA-23", "UA-65", "UA-43", "UA-40"}


def test_all_83_subjects_and_six_occupied_regions():
    codes = set(regions())
    assert len([c for c in codes if c.startswith("RU-")]) == 83
    assert {c for c in codes if c.startswith("UA-")} == OCCUPIED
    assert all(regions()[c].district == "occupied territory of Ukraine" for c in OCCUPIED)


def test_every_code_has_exactly_one_geometry_and_back():
    geo = json.loads((regions_dir() / "boundaries.geojson").read_text(encoding="utf-8"))
    ids = [f["id"] for f in geo["features"]]
    assert sorted(ids) == sorted(regions())
    assert len(ids) == len(set(ids))


def test_boundaries_file_is_small_and_rounded():
    path = regions_dir() / "boundaries.geojson"
    assert path.stat().st_size <= 300_000
    text = path.read_text(encoding="utf-8")
    assert re.search(r"\d\.\d{3,}", text) is None, "coordinates should be rounded to 0.01°"


def test_exterior_rings_are_clockwise():
    geo = json.loads((regions_dir() / "boundaries.geojson").read_text(encoding="utf-8"))
    for feature in geo["features"]:
        g = feature["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polygons:
            ring = poly[0]
            signed = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
            assert signed < 0, f"{feature['id']}: exterior ring is counter-clockwise"


def test_chukotka_is_one_piece_across_the_antimeridian():
    geo = json.loads((regions_dir() / "boundaries.geojson").read_text(encoding="utf-8"))
    chu = next(f for f in geo["features"] if f["id"] == "RU-CHU")["geometry"]
    polygons = chu["coordinates"] if chu["type"] == "MultiPolygon" else [chu["coordinates"]]
    largest = max(polygons, key=lambda p: len(p[0]))
    longitudes = [x for x, _ in largest[0]]
    assert min(longitudes) < 180 < max(longitudes)


def test_every_alias_resolves_to_exactly_one_code():
    codes = set(regions())
    for key, (code, kind) in alias_table().items():
        assert kind == "not a place" or code in codes or FOREIGN.fullmatch(code), key
        assert resolve_region(key) == (code or None), key


def test_city_table_covers_every_capital_and_large_town():
    with open(regions_dir() / "cities.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert all(int(r["population"]) >= 15000 for r in rows if r["code"].startswith("RU-"))
    assert len([r for r in rows if r["code"].startswith("RU-")]) > 1000
    for region in regions().values():
        assert resolve_region(region.capital) == region.code, region.capital
        assert resolve_region(region.capital_ru) == region.code, region.capital_ru


# Real-world spellings as they appear in English and Russian reporting.
SPELLINGS = [
    ("в Бурятии", "RU-BU"), ("Ulan-Ude", "RU-BU"), ("Buryatia", "RU-BU"), ("the Republic of Buryatia", "RU-BU"),
    ("Buryat", "RU-BU"), ("Республика Бурятия", "RU-BU"), ("Pskov region", "RU-PSK"), ("Pskov", "RU-PSK"),
    ("Pskovskaya oblast", "RU-PSK"), ("Псковская область", "RU-PSK"), ("в Псковской области", "RU-PSK"),
    ("Yaroslavl'", "RU-YAR"), ("Yaroslavl", "RU-YAR"), ("Iaroslavl", "RU-YAR"), ("Ярославской области", "RU-YAR"),
    ("Tuvan", "RU-TY"), ("Tyva", "RU-TY"), ("в Туве", "RU-TY"), ("Kyzyl", "RU-TY"),
    ("Moscow", "RU-MOW"), ("в Москве", "RU-MOW"), ("Moscow region", "RU-MOS"), ("Подмосковье", "RU-MOS"),
    ("Solnechnogorsk", "RU-MOS"), ("St. Petersburg", "RU-SPE"), ("в Санкт-Петербурге", "RU-SPE"),
    ("Leningrad region", "RU-LEN"), ("Ленинградской области", "RU-LEN"), ("Belgorod region", "RU-BEL"),
    ("Белгородской области", "RU-BEL"), ("Lipetsk", "RU-LIP"), ("Krasnodar", "RU-KDA"),
    ("Краснодарском крае", "RU-KDA"), ("Kuban", "RU-KDA"), ("Primorsky Krai", "RU-PRI"), ("Primorye", "RU-PRI"),
    ("Приморского края", "RU-PRI"), ("Kamchatka", "RU-KAM"), ("Petropavlovsk-Kamchatsky", "RU-KAM"),
    ("Петропавловске-Камчатском", "RU-KAM"), ("Yuzhno-Sakhalinsk", "RU-SAK"), ("на Сахалине", "RU-SAK"),
    ("Yakutia", "RU-SA"), ("в Якутии", "RU-SA"), ("Sakha Republic", "RU-SA"), ("Chechnya", "RU-CE"),
    ("в Грозном", "RU-CE"), ("Dagestan", "RU-DA"), ("Махачкале", "RU-DA"), ("Kaliningrad region", "RU-KGD"),
    ("Novosibirsk", "RU-NVS"), ("Новосибирской области", "RU-NVS"), ("Magnitogorsk", "RU-CHE"),
    ("Челябинской области", "RU-CHE"), ("Murmansk", "RU-MUR"), ("Veliky Novgorod", "RU-NGR"),
    ("Nizhny Novgorod", "RU-NIZ"), ("Voronezh", "RU-VOR"), ("в Воронежской области", "RU-VOR"),
    ("Kazan", "RU-TA"), ("Татарстане", "RU-TA"), ("Rostov-on-Don", "RU-ROS"), ("Novoshakhtinsk", "RU-ROS"),
    ("Ростовской области", "RU-ROS"), ("Yekaterinburg", "RU-SVE"), ("Khanty-Mansi Autonomous Okrug", "RU-KHM"),
    ("Югры", "RU-KHM"), ("Yamal", "RU-YAN"), ("Chukotka", "RU-CHU"), ("Jewish Autonomous Oblast", "RU-YEV"),
    ("Zabaykalsky Krai", "RU-ZAB"), ("Чите", "RU-ZAB"), ("Perm", "RU-PER"), ("в Перми", "RU-PER"),
    ("Oryol", "RU-ORL"), ("Orel region", "RU-ORL"), ("Tver'", "RU-TVE"), ("в Твери", "RU-TVE"),
    ("North Ossetia", "RU-SE"), ("Kabardino-Balkaria", "RU-KB"), ("Mari El", "RU-ME"), ("Udmurtia", "RU-UD"),
    ("Luhansk", "UA-09"), ("Lugansk region", "UA-09"), ("LPR", "UA-09"), ("ЛНР", "UA-09"), ("Bryanka", "UA-09"),
    ("Donetsk People's Republic", "UA-14"), ("ДНР", "UA-14"), ("Mariupol", "UA-14"), ("Soledar", "UA-14"),
    ("Zaporizhzhia region", "UA-23"), ("Melitopol", "UA-23"), ("Kherson region", "UA-65"),
    ("Crimea", "UA-43"), ("в Крыму", "UA-43"), ("Simferopol", "UA-43"), ("Sevastopol", "UA-40"),
]


@pytest.mark.parametrize(("name", "code"), SPELLINGS)
def test_real_world_spellings(name, code):
    assert resolve_region(name) == code


@pytest.mark.parametrize("name", ["Georgia", "The Moscow Times", "", "   ", "Kremlin", "Atlantis", "Kirovsk"])
def test_names_that_resolve_to_nothing(name):
    assert resolve_region(name) is None


def test_find_places_skips_lowercase_words_and_outlets():
    text = "The Moscow Times said the amur tiger was seen in Amur region, not in Moscow."
    assert [(m.text, m.code) for m in find_places(text)] == [("Amur region", "RU-AMU"), ("Moscow", "RU-MOW")]


@pytest.mark.parametrize(("text", "codes"), [
    ("The deserter crossed the border with his son, Artyom.", []),
    ("Her husband Vladimir was called up in October.", []),
    ("A man named Artyom refused to return.", []),
    ("According to his friend Artyom, the unit left at night.", []),
    ("The conscript was born in Artyom and served in Vladimir.", ["RU-PRI", "RU-VLA"]),
    ("His brother fled to Vladimir.", ["RU-VLA"]),
])
def test_a_town_after_a_kinship_word_or_title_is_a_first_name(text, codes):
    assert [m.code for m in find_places(text)] == codes


def test_normalize_is_length_independent_of_quotes():
    assert normalize("Tver’") == normalize("Tver'") == normalize("tver")
