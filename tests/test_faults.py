"""Faults injected into real processes: the dataset writer killed by SIGKILL before each of
its file-system operations in turn and at timed instants of a large write, starved of disk,
raced by readers; damaged data folders read by the `validate` command. The README's
"Fault and hostile-input tests" lists what these establish."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from curation.writer import add_source_or_incident, recover
from refusal_monitor.cli import validate_main
from store.dataset import DatasetError, load, load_tables

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
TABLES = ("incidents.csv", "sources.csv")
NEW = {"type": "desertion", "stage": "", "count": "3", "count_low": "3", "count_high": "3", "region": "RU-TUL",
       "place": "Tula", "place_precision": "city", "date": "2024-05", "date_precision": "month", "unit": "",
       "summary": "Three servicemen left their unit — Tula Oblast.", "reviewed": "true"}
SOURCE = {"url": "https://example.org/report", "outlet": "Example", "title": "T", "published": "2024-05-02",
          "language": "en"}
MODE = 0o664

# Kills the forked writer just before the n-th file-system operation it makes in the folder
# (audit hooks see each open, rename, removal, mkdir, chmod and listing before it happens;
# opening the folder itself is how its renames are made durable),
# for n = 1, 2, ... until a write runs to the end; prints that n. The event each kill
# interrupted goes to kill-NNN.event.
SWEEP = textwrap.dedent("""
    import json, os, shutil, signal, sys
    from pathlib import Path
    from curation.writer import add_source_or_incident

    template, work = Path(sys.argv[1]), Path(sys.argv[2])
    new, source = json.loads(sys.argv[3]), json.loads(sys.argv[4])
    EVENTS = {"open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.listdir", "os.scandir"}

    def killed_at(n):
        folder = work / f"kill-{n:03d}"
        shutil.copytree(template, folder)
        pid = os.fork()
        if pid:
            return os.WIFSIGNALED(os.waitpid(pid, 0)[1])
        prefix, seen = str(folder) + os.sep, [0]

        def hook(event, args):
            if event not in EVENTS or seen[0] < 0:
                return
            paths = [str(a) for a in args if isinstance(a, (str, os.PathLike))]
            paths = [p for p in paths if p == str(folder) or p.startswith(prefix)]
            if not paths and event != "os.chmod":  # fchmod names a descriptor, not a path
                return
            seen[0] += 1
            if seen[0] == n:
                seen[0] = -1
                where = [p[len(prefix):] if p.startswith(prefix) else "." for p in paths]  # "." is the folder
                (work / f"kill-{n:03d}.event").write_text(json.dumps([event, where]))
                os.kill(os.getpid(), signal.SIGKILL)

        sys.addaudithook(hook)
        add_source_or_incident(new, source, folder)
        os._exit(0)

    n = 1
    while killed_at(n):
        n += 1
    print(n)
""")

# Times one whole write of a large dataset, then kills the same write at instants spread
# over the last 70% of that time (reading and checking come first, the journal last).
TIMED = textwrap.dedent("""
    import json, os, shutil, signal, sys, time
    from pathlib import Path
    from curation.writer import add_source_or_incident

    template, work, kills = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    new, source = json.loads(sys.argv[4]), json.loads(sys.argv[5])

    def write(name, after=None):
        folder = work / name
        shutil.copytree(template, folder)
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            add_source_or_incident(new, source, folder)
            os._exit(0)
        if after is not None:
            time.sleep(after)
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return time.monotonic() - start

    whole = write("complete")
    instants = [whole * (0.3 + 0.7 * (i + 1) / (kills + 1)) for i in range(kills)]
    for i, at in enumerate(instants):
        write(f"kill-{i:03d}", at)
    print(json.dumps({"whole": whole, "instants": instants}))
""")


def _hashes(folder: Path) -> tuple[str, ...]:
    return tuple(hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in TABLES)


def _template(tmp_path: Path, rows: int = 0) -> Path:
    template = tmp_path / "template"
    template.mkdir()
    for name in ("codebook.csv", "codebook_values.csv", *TABLES):
        shutil.copy(DATA / name, template / name)
    if rows:
        _synthetic(template, rows)
    for name in TABLES:
        (template / name).chmod(MODE)
    return template


def _synthetic(folder: Path, rows: int) -> None:
    """Valid made-up rows, marked synthetic, to make a write take long enough to be cut."""
    with open(folder / "incidents.csv", "w", newline="", encoding="utf-8") as inc, \
            open(folder / "sources.csv", "w", newline="", encoding="utf-8") as src:
        incidents, sources = csv.writer(inc, lineterminator="\n"), csv.writer(src, lineterminator="\n")
        incidents.writerow(["incident_id", "type", "stage", "count", "count_low", "count_high", "region", "place",
                            "place_precision", "date", "date_precision", "unit", "summary", "reviewed"])
        sources.writerow(["incident_id", "url", "outlet", "title", "published", "language", "source_kind"])
        for i in range(1, rows + 1):
            n = str(i % 40 + 1)
            incidents.writerow([f"RM-{i:05d}", "desertion", "", n, n, n, "RU-TUL", "", "region", "2023-05", "month",
                                "", f"Synthetic row {i}, for the fault tests only.", "false"])
            sources.writerow([f"RM-{i:05d}", f"https://synthetic.invalid/{i}", "", "", "", "en", ""])


def _check_after_kill(folder: Path, old: tuple, new: tuple) -> tuple[str, bool, bool]:
    """What a reader sees straight after the kill (the old or the new state, whole), whether
    the live files were one of each at that moment, and whether the kill left a journal;
    then that the next writer's recovery keeps what the reader saw and leaves no file behind."""
    seen = load_tables(folder)
    assert seen.problems == [], seen.problems[:3]
    state = tuple(seen.fingerprint[n] for n in TABLES)
    assert state in (old, new)
    live = _hashes(folder)
    mixed = live not in (old, new)
    debris = (folder / ".journal").exists()
    recover(folder)
    assert _hashes(folder) == state
    assert sorted(set(os.listdir(folder)) - {".lock"}) == ["codebook.csv", "codebook_values.csv", *TABLES]
    assert [stat.S_IMODE((folder / n).stat().st_mode) for n in TABLES] == [MODE, MODE]
    return ("old" if state == old else "new"), mixed, debris


def test_a_writer_killed_before_each_file_operation_leaves_the_old_or_the_new_state(tmp_path):
    template, work = _template(tmp_path), tmp_path / "work"
    work.mkdir()
    result = subprocess.run([sys.executable, "-c", SWEEP, str(template), str(work), json.dumps(NEW),
                             json.dumps(SOURCE)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    last = int(result.stdout)
    old, new = _hashes(template), _hashes(work / f"kill-{last:03d}")
    assert old != new and last > 20
    kills = []
    for n in range(1, last):
        event, paths = json.loads((work / f"kill-{n:03d}.event").read_text())
        kills.append((event, tuple(paths), *_check_after_kill(work / f"kill-{n:03d}", old, new)))
    commit = next(i for i, k in enumerate(kills) if k[:2] == ("os.rename", (".journal/manifest.part",
                                                                             ".journal/manifest.json")))
    assert [k[2] for k in kills] == ["old"] * (commit + 1) + ["new"] * (len(kills) - commit - 1), kills
    between = next(k for k in kills if k[:2] == ("os.rename", (".journal/sources.csv", "sources.csv")))
    assert between[2:] == ("new", True, True), "killed between the two renames: live files mixed, the reader saw new"


def test_a_large_write_killed_at_timed_instants_leaves_the_old_or_the_new_state(tmp_path):
    template, work = _template(tmp_path, rows=20_000), tmp_path / "work"
    work.mkdir()
    result = subprocess.run([sys.executable, "-c", TIMED, str(template), str(work), "10", json.dumps(NEW),
                             json.dumps(SOURCE)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    old, new = _hashes(template), _hashes(work / "complete")
    outcomes = [_check_after_kill(work / f"kill-{i:03d}", old, new) for i in range(10)]
    assert [state for state, *_ in outcomes].count("old") >= 1, outcomes
    assert any(debris for *_, debris in outcomes), "no kill landed while the journal was being written"


STARVED = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from curation.writer import add_source_or_incident
    from store.dataset import DatasetError
    try:
        add_source_or_incident(json.loads(sys.argv[2]), json.loads(sys.argv[3]), Path(sys.argv[1]))
    except DatasetError as exc:
        print(exc)
        sys.exit(1)
""")


def _file_size_limit(limit: int):
    """A limit on the size of any file the child writes: writing past it fails (EFBIG), as
    on a full disk. SIGXFSZ is ignored so the write fails instead of killing the child."""
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_write_that_runs_out_of_space_changes_nothing_and_says_so(tmp_path):
    folder = _template(tmp_path)
    before = _hashes(folder)
    result = subprocess.run([sys.executable, "-c", STARVED, str(folder), json.dumps(NEW), json.dumps(SOURCE)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120,
                            preexec_fn=_file_size_limit(4096))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith("nothing was written:") and "File too large" in result.stdout
    assert _hashes(folder) == before
    assert sorted(set(os.listdir(folder)) - {".lock"}) == ["codebook.csv", "codebook_values.csv", *TABLES]


def test_what_the_writer_before_the_journal_left_is_removed_by_the_next_write(tmp_path):
    folder = _template(tmp_path)
    stray = folder / ".incidents.csv.k2j3h4.tmp"
    stray.write_bytes(b"incident_id,type\nRM-9999,half a row")
    add_source_or_incident(NEW, SOURCE, folder)
    assert not stray.exists() and load(folder).problems == []


RACE_WRITER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from curation.writer import add_source_or_incident
    folder, new, source = Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
    for i in range(25):
        add_source_or_incident(new, {**source, "url": f"https://example.org/race/{i}"}, folder)
    (folder.parent / "stop").write_text("")
""")
RACE_READER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from store.dataset import load, load_tables
    folder = Path(sys.argv[1])
    reads, torn, sizes = 0, [], set()
    while not (folder.parent / "stop").exists() or reads == 0:
        data = load(folder)
        reads += 1
        sizes.add(len(data.incidents))
        if data.problems:
            torn.append(str(data.problems[0]))
    print(json.dumps({"reads": reads, "torn": torn, "sizes": len(sizes)}))
""")


def test_readers_racing_a_writer_never_see_one_file_new_and_the_other_old(tmp_path):
    folder = _template(tmp_path)
    readers = [subprocess.Popen([sys.executable, "-c", RACE_READER, str(folder)], stdout=subprocess.PIPE, text=True,
                                cwd=ROOT) for _ in range(2)]
    writer = subprocess.run([sys.executable, "-c", RACE_WRITER, str(folder), json.dumps(NEW), json.dumps(SOURCE)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert writer.returncode == 0, writer.stderr
    reports = [json.loads(r.communicate(timeout=120)[0]) for r in readers]
    assert all(r["torn"] == [] for r in reports), reports
    assert sum(r["reads"] for r in reports) >= 10 and max(r["sizes"] for r in reports) >= 2, reports
    assert len(load(folder).incidents) == len(load(DATA).incidents) + 25


def _damage(folder: Path, how: str) -> None:
    inc, book = folder / "incidents.csv", folder / "codebook.csv"
    if how == "0-byte incidents.csv":
        inc.write_bytes(b"")
    elif how == "malformed codebook.csv":
        book.write_bytes(book.read_bytes()[:500] + b'"never closed')
    elif how == "CR-only line endings":
        for name in TABLES:
            (folder / name).write_bytes((folder / name).read_bytes().replace(b"\n", b"\r"))
    elif how == "missing codebook.csv":
        book.unlink()
    elif how == "one byte not UTF-8":
        inc.write_bytes(inc.read_bytes().replace(b"servicemen", b"servicem\xe9n", 1))
    elif how == "renamed summary column":
        inc.write_bytes(inc.read_bytes().replace(b",summary,", b",summry,", 1))
    elif how == "lone CR left unquoted":
        inc.write_bytes(inc.read_bytes().replace(b"servicemen", b"service\rmen", 1))


# (damage, exit code of validate, what its output must say)
DAMAGED_FOLDERS = [
    ("0-byte incidents.csv", 1, "incidents.csv:1: file: is empty"),
    ("malformed codebook.csv", 2, "codebook.csv: describes no column of sources.csv"),
    ("CR-only line endings", 0, "0 problems"),
    ("missing codebook.csv", 0, "0 problems"),
    ("one byte not UTF-8", 1, "row: holds bytes that are not UTF-8 text (0xE9)"),
    ("renamed summary column", 1, "incidents.csv:1: header: the header differs from the codebook (missing 'summary'"),
    ("lone CR left unquoted", 0, "0 problems"),
]


@pytest.mark.parametrize(("how", "code", "says"), DAMAGED_FOLDERS)
def test_validate_names_what_is_wrong_with_a_damaged_folder(tmp_path, capsys, how, code, says):
    folder = _template(tmp_path)
    _damage(folder, how)
    assert validate_main([str(folder)]) == code
    out, err = capsys.readouterr()
    assert says in out + err
    assert "Traceback" not in out + err


def test_a_committed_journal_whose_copy_is_damaged_is_not_used_and_stops_writes(tmp_path):
    folder = _template(tmp_path)
    before = _hashes(folder)
    journal = folder / ".journal"
    journal.mkdir()
    (journal / "incidents.csv").write_bytes(b"incident_id,type\nRM-0001,half")
    (journal / "manifest.json").write_text(json.dumps({"files": {"incidents.csv": "0" * 64}}))
    assert load(folder).problems == [] and _hashes(folder) == before
    with pytest.raises(DatasetError, match="a committed write cannot be finished: incidents.csv does not match"):
        add_source_or_incident(NEW, SOURCE, folder)
    assert _hashes(folder) == before and (journal / "manifest.json").exists()
