"""Install and serve the app the three ways it is shipped, each in a clean venv in a temporary folder.

1. container: the Dockerfile's ENV, `pip install` and CMD steps, run as written with `python`
   meaning a fresh venv's python and /app meaning a copy of the checkout made as `COPY . .`
   with .dockerignore would make it; the data "volume" is a smaller copy of data/, to show that
   /app/static/data/ serves the mounted dataset. Then the Dockerfile's HEALTHCHECK command.
2. Community Cloud: a copy of the tracked files, the same `pip install -r requirements.txt`
   (same venv), `streamlit run streamlit_app.py`, a health check, the served files.
3. wheel: built from the checkout, installed with the `extract` extra in another venv,
   `refusal-monitor extract` on a text, `refusal-monitor serve` answering its health check.

Steps that need a container daemon or root (FROM, useradd, USER, VOLUME) are listed as not run.
Needs only package registries. Prints one line per step; exits 1 at the first failure.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVED = ("incidents.csv", "sources.csv", "codebook.csv", "codebook_values.csv", "datapackage.json", "LICENSE")
WHEEL_MUST_HOLD = ("refusal_monitor/data/incidents.csv", "refusal_monitor/data/codebook_values.csv",
                   "refusal_monitor/data/datapackage.json", "refusal_monitor/data/LICENSE",
                   "refusal_monitor/data/regions/boundaries.geojson", "refusal_monitor/data/regions/cities.csv",
                   "lexicons/incidents.yaml", "dashboard/pages/overview.py", "dashboard/static/favicon.png",
                   "dashboard/static/topojson/world_110m.json", *(f"dashboard/static/data/{f}" for f in SERVED))
ARTICLE = "Six mobilized men deserted from a military train in Voronezh region on Monday.\n"


class Failed(RuntimeError):
    pass


def step(message: str) -> None:
    print(f"hosting: {message}", flush=True)


def sh(*args, cwd: Path | None = None, env: dict | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    if done.returncode != 0:
        output = done.stdout[-3000:] + done.stderr[-3000:]
        raise Failed(f"{shlex.join(map(str, args))} exited {done.returncode}:\n{output}")
    return done.stdout


def venv(folder: Path) -> Path:
    sh(sys.executable, "-m", "venv", folder)
    return folder / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


def wait_healthy(process: subprocess.Popen, port: int, limit: float = 180.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failed(f"the server exited with {process.returncode}:\n{process.stdout.read()[-3000:]}")
        try:
            if fetch(f"http://127.0.0.1:{port}/_stcore/health").strip() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    raise Failed(f"no answer from http://127.0.0.1:{port}/_stcore/health within {limit:.0f} s")


class Server:
    """A server started for one check and ended by its own process group, never by name."""

    def __init__(self, command: list, port: int, cwd: Path, env: dict) -> None:
        self.port = port
        self.process = subprocess.Popen([str(c) for c in command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def __enter__(self) -> Server:
        wait_healthy(self.process, self.port)
        return self

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, 15)
        self.process.wait(timeout=30)

    def served(self, name: str) -> bytes:
        return fetch(f"http://127.0.0.1:{self.port}/app/static/data/{name}")


def dockerfile() -> dict[str, list[str]]:
    """The Dockerfile's instructions by keyword (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.setdefault(keyword.upper(), []).append(rest.strip())
    return found


def docker_copy(target: Path) -> None:
    """`COPY . .` as Docker does it: everything but what .dockerignore names."""
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines() if p.strip()]

    def ignored(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(ROOT)
        return {n for n in names for p in patterns
                if fnmatch.fnmatch(n, p) or fnmatch.fnmatch(str(rel / n), p)}

    shutil.copytree(ROOT, target, ignore=ignored, symlinks=True)


def smaller_volume(source: Path, target: Path, keep: int = 10) -> None:
    """A valid dataset unlike the image's: the first `keep` incidents and their sources."""
    shutil.copytree(source, target)
    incidents = (source / "incidents.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = incidents[: keep + 1]
    ids = {line.split(",", 1)[0] for line in kept[1:]}
    sources = (source / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (target / "incidents.csv").write_text("".join(kept), encoding="utf-8")
    (target / "sources.csv").write_text("".join([sources[0], *(s for s in sources[1:] if s.split(",", 1)[0] in ids)]),
                                        encoding="utf-8")


def clean_env(bin_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STREAMLIT_", "REFUSAL_MONITOR_", "PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))}
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"}


def pins() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.lower().split("==") for line in lines if line and not line.startswith("#"))


def installed(bin_dir: Path) -> dict[str, str]:
    report = json.loads(sh(bin_dir / "python", "-m", "pip", "list", "--format", "json", "--exclude", "pip"))
    return {re.sub(r"[-_.]+", "-", p["name"]).lower(): p["version"] for p in report if p["name"] != "setuptools"}


def container(tmp: Path) -> Path:
    """The Dockerfile's steps in a clean venv; returns the venv's bin folder."""
    docker, app = dockerfile(), tmp / "app"
    bin_dir = venv(tmp / "venv")
    env = clean_env(bin_dir)
    for assignment in shlex.split(" ".join(docker["ENV"])):
        key, _, value = assignment.partition("=")
        env[key] = str(app) + value.removeprefix("/app") if value.startswith("/app") else value
    step(f"not run here (needs a container daemon): FROM {docker['FROM'][0]}, USER, VOLUME, EXPOSE")
    docker_copy(app)
    step(f"COPY . . into {app} (as .dockerignore filters it)")
    for command in docker["RUN"]:
        if "pip install" not in command:
            step(f"not run here (needs root in an image): RUN {command}")
            continue
        started = time.monotonic()
        sh("sh", "-c", command, cwd=app, env=env)
        step(f"RUN {command}  [{time.monotonic() - started:.0f} s in a fresh venv]")
    sh(bin_dir / "python", "-m", "pip", "check")
    if installed(bin_dir) != pins():
        raise Failed(f"requirements.txt is not the closed set it installs: {installed(bin_dir)} != {pins()}")
    step(f"pip check passed; the venv holds exactly the {len(pins())} pinned packages of requirements.txt")
    shutil.rmtree(app / "data")
    smaller_volume(ROOT / "data", app / "data")
    env["STREAMLIT_SERVER_PORT"] = str(free_port())
    with Server(json.loads(docker["CMD"][0]), int(env["STREAMLIT_SERVER_PORT"]), app, env) as server:
        sh("sh", "-c", docker["HEALTHCHECK"][0].split(" CMD ", 1)[1], env=env)
        step("CMD served the app; the HEALTHCHECK command passed")
        check_served(server, app / "data", "is not the mounted volume's copy")
        step(f"/app/static/data/ serves the mounted dataset: {', '.join(SERVED)}")
    return bin_dir


def check_served(server, folder: Path, problem: str) -> None:
    """Every file the app serves at /app/static/data/ is byte for byte the folder's."""
    for name in SERVED:
        if server.served(name) != (folder / name).read_bytes():
            raise Failed(f"/app/static/data/{name} {problem}")


def cloud(tmp: Path, bin_dir: Path) -> Path:
    """Community Cloud's steps on a copy of the tracked files; returns that copy."""
    repo = tmp / "clone"
    for name in sh("git", "ls-files", cwd=ROOT).splitlines():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name, follow_symlinks=False)
    step(f"copied the {len(sh('git', 'ls-files', cwd=ROOT).splitlines())} tracked files to {repo}; "
         "pip install -r requirements.txt: the same command as the container's, so its venv")
    port = free_port()
    command = [bin_dir / "streamlit", "run", "streamlit_app.py", "--server.port", port]
    with Server(command, port, repo, clean_env(bin_dir)) as server:
        page = fetch(f"http://127.0.0.1:{port}/")
        if b"<html" not in page.lower():
            raise Failed("the app's address answered no HTML page")
        step(f"streamlit run streamlit_app.py answered /_stcore/health and / on port {port}")
        check_served(server, repo / "data", "differs from data/: run `make publish`")
        step(f"/app/static/data/ serves data/: {', '.join(SERVED)}")
    return repo


def wheel(tmp: Path, repo: Path) -> None:
    """A wheel built from the clean copy, installed elsewhere, extracting and serving."""
    dist, work = tmp / "dist", tmp / "elsewhere"
    work.mkdir()
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, repo)
    (built,) = dist.glob("*.whl")
    missing = sorted(set(WHEEL_MUST_HOLD) - set(zipfile.ZipFile(built).namelist()))
    if missing:
        raise Failed(f"{built.name} lacks {missing}")
    step(f"built {built.name}; it holds the data, lexicons, pages and static files")
    bin_dir = venv(tmp / "wheel-venv")
    env = clean_env(bin_dir)
    sh(bin_dir / "python", "-m", "pip", "install", "--quiet", f"{built}[extract]", cwd=work, env=env)
    version = sh(bin_dir / "refusal-monitor", "--version", cwd=work, env=env).strip()
    (work / "a.txt").write_text(ARTICLE, encoding="utf-8")
    row = json.loads(sh(bin_dir / "refusal-monitor", "extract", "a.txt", cwd=work, env=env).splitlines()[0])
    if (row["type"], row["region"], row["count"]) != ("desertion", "RU-VOR", 6):
        raise Failed(f"refusal-monitor extract found {row}")
    step(f"{version} installed in a clean venv; `refusal-monitor extract` found the desertion in Voronezh")
    port = free_port()
    with Server([bin_dir / "refusal-monitor", "serve", "--port", port], port, work, env) as server:
        if server.served("datapackage.json") != (ROOT / "data" / "datapackage.json").read_bytes():
            raise Failed("the installed app serves another datapackage.json than data/")
        step("`refusal-monitor serve` answered its health check and serves /app/static/data/datapackage.json")


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="refusal-monitor-hosting-") as folder:
        tmp = Path(folder)
        try:
            bin_dir = container(tmp)
            wheel(tmp, cloud(tmp, bin_dir))
        except Failed as exc:
            print(f"hosting: FAILED: {exc}", file=sys.stderr)
            return 1
    step(f"all three ways installed and served in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
