"""The command line on good and bad inputs: one clear line per failure, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import Site as _Site
from tests.conftest import run_cli as run

ARTICLE = "Six mobilized men deserted from a military train in Voronezh region on Monday.\n"




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


# Issue 13, item 9: a URL fetch has an overall deadline and follows only http(s) redirects.

@pytest.fixture
def drip():
    """A server on 127.0.0.1 that sends its answer one byte every 0.1 s, from the status
    line on (/headers) or once the headers are out (/body): 30 s for the whole answer."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    body = f"<html><body><article><p>{ARTICLE * 3}</p></article></body></html>".encode()

    def answer(conn: socket.socket) -> None:
        with conn:
            path = conn.recv(65536).split(b" ")[1]
            head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            if path == b"/body":
                conn.sendall(head)
            for byte in (body if path == b"/body" else head + body):
                if stop.wait(0.1):
                    return
                try:
                    conn.send(bytes([byte]))
                except OSError:
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


@pytest.mark.parametrize("phase", ["headers", "body"])
def test_a_server_that_drips_bytes_is_given_up_at_the_deadline(drip, phase):
    from extract.inputs import InputError, read_input

    start = time.monotonic()
    with pytest.raises(InputError, match=r"gave up after 1\.5 s, the time allowed for one URL"):
        read_input(f"{drip}/{phase}", timeout=5, deadline=1.5)
    assert time.monotonic() - start < 4


def test_the_cli_gives_up_on_dripping_urls_and_writes_the_rest(drip, article):
    start = time.monotonic()
    result = run(f"{drip}/headers", f"{drip}/body", str(article), "--fetch-deadline", "2")
    elapsed = time.monotonic() - start
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {drip}/{p}: gave up after 2 s, the time allowed for one URL (the server sends too "
                      "slowly)" for p in ("headers", "body")]
    assert json.loads(result.stdout)["region"] == "RU-VOR"
    assert elapsed < 25, elapsed


@pytest.fixture
def listener():
    """A port where anything that connects is recorded: to show a redirect was not followed."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
        return True
    except TimeoutError:
        return False


def test_redirects_are_followed_only_to_http_addresses(site, listener):
    base, pages = site
    ftp = f"ftp://127.0.0.1:{listener.getsockname()[1]}/article.txt"
    pages["/a"] = (200, "text/html", f"<html><body><article><p>{ARTICLE}</p><p>{ARTICLE}</p></article>"
                   "</body></html>".encode())
    _Site.redirects.update({"/to-ftp": ftp, "/to-file": "file:///etc/passwd", "/hop": f"{base}/a"})
    result = run(f"{base}/to-ftp", f"{base}/to-file", f"{base}/hop")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: {base}/to-ftp: redirected to {ftp}, which is not an http(s) address; not followed" \
        in result.stderr
    assert f"error: {base}/to-file: redirected to file:///etc/passwd, which is not an http(s) address" \
        in result.stderr
    assert not _connected(listener)
    assert json.loads(result.stdout)["source"] == f"{base}/hop"


# Issue 13, item 10: an input that cannot be read is one line; the rest is processed.

def _without_root_override() -> list[str]:
    """Root reads any file; drop the capabilities that let it, so permissions bite."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: a file cannot be made unreadable")
    return ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def test_unreadable_inputs_and_stat_errors_are_one_line_each(article, tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0o000)
    shut = tmp_path / "shut"
    shut.mkdir()
    (shut / "inside.txt").write_text(ARTICLE, encoding="utf-8")
    shut.chmod(0o000)
    too_long = str(tmp_path / ("x" * 300 + ".txt"))
    sidecar = tmp_path / "odd.txt"
    sidecar.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "odd.json").write_text(json.dumps({"published": 2022, "title": ["a", "list"]}), encoding="utf-8")
    try:
        result = subprocess.run([*_without_root_override(), sys.executable, "-m", "refusal_monitor", "extract",
                                 str(locked), str(shut / "inside.txt"), too_long, str(sidecar), str(article)],
                                capture_output=True, text=True, timeout=120)
    finally:
        shut.chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {locked}: cannot be read (Permission denied)",
                      f"error: {shut / 'inside.txt'}: cannot be read (Permission denied)",
                      f"error: {too_long}: cannot be read (File name too long)",
                      f"error: {tmp_path / 'odd.json'}: the sidecar's title, published must be text"]
    assert json.loads(result.stdout)["source"] == str(article)


# Issue 13, item 11: --out is written whole or not at all, and checked first.

@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_a_bad_out_path_is_reported_before_any_input_is_read(site, tmp_path, where):
    base, pages = site
    pages["/a"] = (200, "text/html", b"<html><body><article><p>x</p></article></body></html>")
    _Site.requests.clear()
    out = tmp_path / "no" / "such" / "rows.csv" if where == "missing folder" else tmp_path
    result = run(f"{base}/a", "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: --out {out}: cannot be written (")
    assert "nothing was read" in result.stderr and _Site.requests == []


def test_out_cut_short_by_a_full_disk_leaves_the_old_file(article, tmp_path):
    out = tmp_path / "rows.jsonl"
    out.write_text('{"previous": "rows"}\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "refusal_monitor", "extract", str(article), "--out", str(out)],
                            capture_output=True, text=True, timeout=120, preexec_fn=_file_size_limit(200))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"error: {out}: cannot be written (File too large); it was left as it was" in result.stderr
    assert out.read_text(encoding="utf-8") == '{"previous": "rows"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "a.txt", "rows.jsonl"]


def _file_size_limit(limit: int):
    """No file the child writes may grow past `limit` bytes (EFBIG, as on a full disk)."""
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("existing", [None, 0o644, 0o640])
def test_out_keeps_the_mode_of_the_file_it_replaces(article, tmp_path, existing):
    out = tmp_path / "rows.jsonl"
    if existing is not None:
        out.write_text("old\n", encoding="utf-8")
        out.chmod(existing)
    assert run(str(article), "--out", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["region"] == "RU-VOR"
    assert stat.S_IMODE(out.stat().st_mode) == (existing or 0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Issue 13, item 12: UTF-16 input (the corrupt geocode cache: tests/test_geocode.py).

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_input_is_read_not_called_binary(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    result = run(str(path), "--published", "2022-10-05")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["region"] == "RU-VOR"


def test_csv_out_quotes_a_lone_carriage_return_in_the_evidence(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes(b"Six mobilized men deserted from a military\rtrain in Voronezh region on Monday.\r")
    out = tmp_path / "rows.csv"
    result = run(str(path), "--published", "2022-10-05", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with open(out, newline="", encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert "military\rtrain" in row["evidence"] and row["region"] == "RU-VOR"
