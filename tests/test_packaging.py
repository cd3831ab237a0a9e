"""What hosting installs: requirements.txt in step with pyproject.toml, a Dockerfile that keeps
its promises, and a wheel that carries every static file. The install-and-serve runs themselves
are .ci/hosting_check.py (part of `make test`)."""

from __future__ import annotations

import fnmatch
import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REQUIREMENTS = (ROOT / "requirements.txt").read_text(encoding="utf-8")
PINS = {canonicalize_name(name): version for name, version in
        (line.split("==") for line in REQUIREMENTS.splitlines() if line and not line.startswith("#"))}
DOCKERFILE = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))


@pytest.mark.parametrize("requirement", PYPROJECT["project"]["dependencies"])
def test_each_base_dependency_is_pinned_within_its_range(requirement):
    wanted = Requirement(requirement)
    name = canonicalize_name(wanted.name)
    assert name in PINS, f"{name} is not in requirements.txt: run `make requirements`"
    assert wanted.specifier.contains(PINS[name]), f"{name}=={PINS[name]} is outside {wanted.specifier}"


def test_the_hosted_app_installs_no_extraction_dependency():
    assert not {"trafilatura", "geopy", "tqdm", "refusal-monitor"} & set(PINS)
    assert all(re.fullmatch(r"[a-z0-9-]+", name) and re.fullmatch(r"[\w.+!]+", v) for name, v in PINS.items())


def test_requirements_were_resolved_for_a_python_the_project_supports():
    python = re.search(r"Python (\d+\.\d+)", REQUIREMENTS)[1]
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(f"{python}.0")
    assert re.search(rf"^FROM python:{re.escape(python)}-slim$", DOCKERFILE, re.M), "image and lock differ"


@pytest.mark.parametrize(("promise", "pattern"), [
    ("installs what Community Cloud installs", r"^RUN python -m pip install --no-cache-dir -r requirements\.txt$"),
    ("runs as a user without privileges", r"^USER (?!root)\w+$"),
    ("usage statistics off", r"STREAMLIT_BROWSER_GATHER_USAGE_STATS=false"),
    ("the data folder is a volume", r"^VOLUME /app/data$"),
    ("and is what REFUSAL_MONITOR_DATA names", r"REFUSAL_MONITOR_DATA=/app/data"),
    ("a health check on Streamlit's own endpoint", r"^HEALTHCHECK .* CMD .*/_stcore/health"),
])
def test_the_dockerfile_keeps_its_promises(promise, pattern):
    assert re.search(pattern, DOCKERFILE, re.M), promise


def test_the_wheel_carries_every_static_and_data_file():
    """Package-data globs do not recurse: a file one folder deeper than the patterns reach would
    be left out of the wheel without a word."""
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    for package, folder in (("dashboard", ROOT / "dashboard"), ("refusal_monitor.data", ROOT / "data"),
                            ("lexicons", ROOT / "lexicons")):
        for path in folder.rglob("*"):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and "__pycache__" not in name and not name.endswith(".py") and \
                    not path.name.startswith("."):  # .lock and editors' files are never shipped
                assert any(fnmatch.fnmatch(name, p) and name.count("/") == p.count("/") for p in data[package]), \
                    f"{package}: {name} matches no package-data pattern"


def test_readme_documents_the_served_addresses_and_what_ci_ran():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hosting = readme[readme.index("## Hosting"):]
    for name in ("incidents.csv", "sources.csv", "codebook.csv", "codebook_values.csv", "datapackage.json"):
        assert f"/app/static/data/{name}" in hosting
    for phrase in (".ci/hosting_check.py", "usage statistics", "Not run here", "REFUSAL_MONITOR_DATA"):
        assert phrase in hosting, phrase
