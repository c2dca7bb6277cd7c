"""Issue #20, "nothing lost, nothing leaked": bad names, bad text, bad outputs and Ctrl-C.

Each numbered problem of the issue has a test here that failed before the fix. Interrupts are
deterministic: ``GOVREPORT_INTERRUPT_AT=stage:N`` raises the real SIGINT at a named stage (see
:data:`govreport.export.batch.STAGES`), so no test races a timer against the machine.

Example counts (default ``ci`` profile; ``HYPOTHESIS_PROFILE=nightly`` raises each to at least
10,000): ``loads`` on arbitrary ``str`` 400 and ``bytes`` 600, ``load`` 200, ``export`` 60 — about
25 s together on a quiet 2-core machine. 10,000 for ``loads`` is not cheap: an input no parser can
read costs 10-25 ms (every parser is tried before giving up), so 10,000 would take 2-4 minutes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import govreport
from govreport import GovReportError
from govreport.cli import main
from govreport.export import batch, sinks

from .conftest import HANG_GUARD, SEEDS, seed_files
from .conftest import run_cli as cli

HAVE_PYARROW = True
try:
    import pyarrow  # noqa: F401
except ImportError:
    HAVE_PYARROW = False

FORMATS = ["jsonl", "csv", "sqlite"] + (["parquet"] if HAVE_PYARROW else [])
GBK_NAME = os.fsdecode("鼓楼区报告".encode("gbk") + b".txt")
"""A name as unzipping a Chinese archive leaves it: GBK bytes, which are not UTF-8."""


def _examples(n: int) -> int:
    """``n`` in the default run; the nightly profile's count (at least 10,000) when it is loaded."""
    return max(n, settings.default.max_examples) if settings.default.max_examples >= 10_000 else n


def _settings(n: int) -> settings:
    return settings(
        max_examples=_examples(n),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def read_back(out: Path) -> dict[str, Any]:
    """What an export file holds: files, distinct reports, failures (SQLite), and that it is valid."""
    fmt = sinks.format_for(out)
    if fmt == "jsonl":
        data = out.read_bytes()
        assert not data or data.endswith(b"\n")
        docs = [json.loads(line) for line in data.decode("utf-8").splitlines()]
        assert all(d["table3"] for d in docs)  # whole reports only
        return {"files": len(docs), "reports": len({d["sha256"] for d in docs}), "docs": docs}
    if fmt == "csv":
        text = out.read_bytes().decode("utf-8")
        assert text.endswith("\r\n")
        rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
        per_file: dict[str, int] = {}
        for r in rows:
            per_file[r[0]] = per_file.get(r[0], 0) + 1
        assert len(set(per_file.values())) <= 2  # every file's cells whole (two templates at most)
        return {"files": len(per_file), "rows": rows}
    if fmt == "sqlite":
        db = sqlite3.connect(out)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            counts = {
                t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("reports", "files", "failures")
            }
            # every report is whole: all its cells are there
            sizes = {n for (n,) in db.execute("SELECT count(*) FROM cells GROUP BY report_id")}
            assert len(sizes) <= 2
            orphans = db.execute("SELECT count(*) FROM files WHERE report_id NOT IN (SELECT id FROM reports)")
            assert orphans.fetchone() == (0,)
            return {"files": counts["files"], "reports": counts["reports"], "failures": counts["failures"]}
        finally:
            db.close()
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    rows = table.to_pylist()
    return {
        "files": len({r["source"] for r in rows}),
        "reports": len({r["sha256"] for r in rows}),
        "rows": len(rows),
        "table": table,
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 report files of 3 distinct contents (duplicates), a GBK name, a failure and a skip."""
    root = tmp_path_factory.mktemp("mixed")
    seeds = seed_files()
    for i in range(9):
        shutil.copy(seeds[i % 3], root / f"r{i:02d}.txt")
    shutil.copy(seeds[3], root / GBK_NAME)
    shutil.copy(seeds[0], root / "copy-of-r00.md")
    (root / "broken.txt").write_text("某区政府信息公开工作年度报告\n" + "政府信息公开工作情况。" * 10, encoding="utf-8")
    (root / "README.md").write_text("# Notes\n\nThese are the 政府信息公开 reports we collected.\n", encoding="utf-8")
    return root


# -- 1. names that are not UTF-8 ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_gbk_file_name_is_read_reported_and_stored_losslessly(folder: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    proc = cli("export", str(folder), "-o", str(out), "--jobs", "2")
    assert proc.returncode == 2, proc.stderr  # broken.txt failed; nothing else did
    assert "Traceback" not in proc.stderr
    raw = os.fsencode(str(folder / GBK_NAME))
    shown = sinks.display_path(str(folder / GBK_NAME))
    assert "\\x" in shown and shown.encode("utf-8")
    got = read_back(out)
    assert got["files"] == 11
    if fmt == "jsonl":
        doc = next(d for d in got["docs"] if d["path"] == shown)
        assert bytes.fromhex(doc["path_bytes"]) == raw
    elif fmt == "sqlite":
        db = sqlite3.connect(out)
        assert db.execute("SELECT path_bytes FROM files WHERE path = ?", (shown,)).fetchone() == (raw,)
        db.close()
    elif fmt == "parquet":
        rows = [r for r in got["table"].to_pylist() if r["source"] == shown]
        assert rows and {r["source_bytes"] for r in rows} == {raw}
    else:
        assert any(r[0] == shown for r in got["rows"])


def test_load_takes_a_bytes_name_and_a_surrogate_escaped_one(tmp_path: Path) -> None:
    path = tmp_path / GBK_NAME
    shutil.copy(seed_files()[0], path)
    by_str = govreport.load(str(path))
    by_bytes = govreport.load(os.fsencode(str(path)))
    assert by_str.table3 == by_bytes.table3
    assert by_bytes.source.path == str(path)


def test_paths_from_stdin_may_be_gbk(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "stdin.jsonl"
    listing = os.fsencode(str(folder / GBK_NAME)) + b"\n"
    proc = subprocess.run(
        [sys.executable, "-m", "govreport", "export", "-", "-o", str(out), "--quiet"],
        input=listing, capture_output=True, timeout=HANG_GUARD, check=False,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    (doc,) = read_back(out)["docs"]
    assert bytes.fromhex(doc["path_bytes"]) == os.fsencode(str(folder / GBK_NAME))


# -- 2. only GovReportError escapes --------------------------------------------------------------


def test_loads_of_a_lone_surrogate_is_a_govreport_error() -> None:
    for text in ("\ud800", "政府信息公开\udcb1", SEEDS_TEXT[0][:3000] + "\ud800" + SEEDS_TEXT[0][3000:]):
        with contextlib.suppress(GovReportError):
            govreport.loads(text)


SEEDS_TEXT = [p.read_text(encoding="utf-8") for p in seed_files()]
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())
"""Surrogates (category Cs) included: hypothesis leaves them out by default."""


@_settings(400)
@given(st.text(ANY_CHAR, max_size=300))
@example("\ud800")
@example("\x00" * 10)
def test_only_govreport_errors_escape_loads_str(text: str) -> None:
    try:
        govreport.loads(text)
    except GovReportError as e:
        error: GovReportError | None = e
    else:
        error = None
    assert error is None or "<text>" in str(error) or not isinstance(error, govreport.InternalError)


@_settings(600)
@given(st.binary(max_size=400))
@example(b"\xff\xfe\x00\xd8")  # UTF-16 with a BOM and a lone surrogate
@example(b"PK\x03\x04word/")  # a Word file's first bytes, nothing after
@example(b"%PDF-1.4\n")
def test_only_govreport_errors_escape_loads_bytes(data: bytes) -> None:
    with contextlib.suppress(GovReportError):
        govreport.loads(data)


def test_an_unforeseen_exception_becomes_internal_error_naming_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    import govreport._api as api

    def boom(*args: object, **kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(api, "find_sections", boom)
    with pytest.raises(govreport.InternalError, match="IndexError") as info:
        govreport.loads(SEEDS_TEXT[0], path="some/report.txt")
    assert str(info.value).startswith("some/report.txt: ")
    assert isinstance(info.value.__cause__, IndexError)
    with pytest.raises(govreport.InternalError):
        govreport.load(seed_files()[0])


NAMES = st.one_of(
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40),
    st.binary(min_size=1, max_size=40).map(lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\x00", b"_"))),
).filter(lambda n: n not in (".", "..") and len(os.fsencode(n)) < 200)


@st.composite
def contents(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "seed", "cut"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    text = draw(st.sampled_from(SEEDS_TEXT))
    if kind == "cut":
        a = draw(st.integers(0, len(text)))
        text = text[:a] + draw(st.text(ANY_CHAR, max_size=20)) + text[a + draw(st.integers(0, 400)) :]
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-16-le"]))
    # a lone surrogate goes into the UTF codecs' bytes as such; GB18030 has no way to write one at all
    # (its codec refuses the "surrogatepass" handler), so there it is written as "?"
    return text.encode(encoding, "replace" if encoding == "gb18030" else "surrogatepass")


@_settings(200)
@given(NAMES, contents())
def test_only_govreport_errors_escape_load(tmp_path_factory: pytest.TempPathFactory, name: str, data: bytes) -> None:
    path = tmp_path_factory.mktemp("load") / name
    path.write_bytes(data)
    try:
        govreport.load(path)
    except GovReportError as e:
        message = sinks.display_path(str(e))
    else:
        message = None
    assert message is None or sinks.display_path(str(path)) in message


@_settings(40)
@given(
    st.lists(st.tuples(NAMES, contents()), min_size=1, max_size=3, unique_by=lambda t: t[0]), st.sampled_from(FORMATS)
)
def test_only_govreport_errors_escape_export(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    files: list[tuple[str, bytes]],
    fmt: str,
) -> None:
    root = tmp_path_factory.mktemp("export")
    (root / "in").mkdir()
    for name, data in files:
        (root / "in" / name).write_bytes(data)
    named = str(root / "in" / files[0][0])  # a named file is read whatever it holds; the folder is sniffed
    code = main(["export", named, str(root / "in"), "-o", str(root / f"out.{fmt}"), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    got = read_back(root / f"out.{fmt}")
    assert got["files"] <= len(files)


# -- 3. Ctrl-C at every stage ----------------------------------------------------------------------

STAGE_CASES = [
    ("read", 1), ("read", 5), ("write", 1), ("write", 7), ("commit", 1), ("commit", 2), ("index", 1), ("close", 1),
]  # fmt: skip


def _stage_exists(stage: str, fmt: str) -> bool:
    return not (stage == "index" and fmt != "sqlite")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("stage", "n"), STAGE_CASES)
def test_interrupt_at_every_stage_keeps_what_the_summary_says(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    fmt: str, stage: str, n: int,
) -> None:  # fmt: skip
    """Exit 130, one line, no traceback; the file is valid, whole reports only, and holds exactly
    the files and reports the line says were saved."""
    monkeypatch.setattr(sinks.Sink, "BATCH", 3)  # commits (and flushes) every 3 reports
    if fmt == "parquet":
        monkeypatch.setattr(sinks.ParquetSink, "ROWS", 300)  # a row group every 2-3 reports
    monkeypatch.setenv(batch.INTERRUPT_ENV, f"{stage}:{n}")
    out = tmp_path / f"out.{fmt}"
    code = main(["export", str(folder), "-o", str(out), "--jobs", "1"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    got = read_back(out)
    if not _stage_exists(stage, fmt):
        assert code == 2, err
        return
    assert code == 130, err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("interrupted after ")
    saved = err.split("saved to ", 1)[1]
    assert f": {got['files']} files, " in saved
    if "reports" in got:
        assert f", {got['reports']} distinct reports" in saved
    if stage == "read":  # at once: the n-th file is not taken (files read plus files skipped)
        read = int(err.split("interrupted after ", 1)[1].split(" ", 1)[0])
        skipped = int(err.split(" skipped (not reports)", 1)[0].rsplit("; ", 1)[1]) if "skipped" in err else 0
        assert read + skipped == n - 1, err


@pytest.mark.parametrize("fmt", ["jsonl", "sqlite"])
@pytest.mark.parametrize("stage", ["read:4", "write:4", "commit:1", "close"])
def test_interrupt_with_worker_processes(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    fmt: str, stage: str,
) -> None:  # fmt: skip
    monkeypatch.setattr(sinks.Sink, "BATCH", 3)
    monkeypatch.setenv(batch.INTERRUPT_ENV, stage)
    out = tmp_path / f"out.{fmt}"
    code = main(["export", str(folder), "-o", str(out), "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    got = read_back(out)
    assert f"saved to {out}: {got['files']} files, {got['reports']} distinct reports" in err


def test_interrupt_in_a_real_process_exits_130_with_one_line(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    proc = cli("export", str(folder), "-o", str(out), "--jobs", "2", env={batch.INTERRUPT_ENV: "index"})
    assert proc.returncode == 130, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    db = sqlite3.connect(out)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "cells_by_cell" in names  # the index build was let finish: the file is as after a normal end
    assert db.execute("SELECT count(*) FROM files").fetchone() == (11,)


# -- 4. a bad output path: exit 4, before any input is read -------------------------------------


def _never(*args: object, **kwargs: object) -> Any:
    raise AssertionError("an input was looked at before the output was checked")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", ["no-folder", "parent-is-file", "is-folder", "unwritable"])
def test_a_bad_output_is_exit_4_naming_it_before_any_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str, case: str
) -> None:
    if case == "no-folder":
        out = tmp_path / "no" / "such" / f"x.{fmt}"
    elif case == "parent-is-file":
        (tmp_path / "file").write_text("x", encoding="utf-8")
        out = tmp_path / "file" / f"x.{fmt}"
    elif case == "is-folder":
        out = tmp_path / f"x.{fmt}"
        out.mkdir()
    else:
        out = Path("/sys") / f"x.{fmt}"  # not writable even by root
        if not Path("/sys").is_dir() or (os.access("/sys", os.W_OK) and _can_create(out)):
            pytest.skip("no unwritable folder to try")
    monkeypatch.setattr(batch, "collect_inputs", _never)
    monkeypatch.setattr(batch, "export_one", _never)
    code = main(["export", str(seed_files()[0]), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 4, err
    assert str(out) in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def _can_create(path: Path) -> bool:
    try:
        path.open("x").close()
    except OSError:
        return False
    path.unlink()
    return True


def test_an_existing_file_that_is_not_sqlite_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "notes.sqlite"
    out.write_text("my notes, not a database\n", encoding="utf-8")
    monkeypatch.setattr(batch, "collect_inputs", _never)
    assert main(["export", str(seed_files()[0]), "-o", str(out)]) == 4
    assert "is not a SQLite database" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "my notes, not a database\n"
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE customers (id INTEGER)")
    db.commit()
    db.close()
    assert main(["export", str(seed_files()[0]), "-o", str(other)]) == 4
    assert "something else" in capsys.readouterr().err


# -- 5. duplicates: every path kept, the summary exact -----------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicates_keep_every_path_and_the_summary_counts_them(folder: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    proc = cli("export", str(folder), "-o", str(out), "--jobs", "2")
    head = proc.stderr.splitlines()[0]
    # 9 copies of 3 seeds + the GBK-named seed + one more copy of r00: 11 reports, 4 distinct
    assert "read 12 files" in head and "11 reports (4 distinct, 7 duplicates), 1 failed" in head, head
    assert "1 skipped (not reports)" in head and "README.md: " in proc.stderr
    got = read_back(out)
    assert got["files"] == 11
    assert f"saved to {out}: 11 files" in head
    if fmt == "sqlite":
        assert (got["reports"], got["failures"]) == (4, 1)
        assert "4 distinct reports, 1 failures" in head
        db = sqlite3.connect(out)
        linked = db.execute(
            "SELECT path, duplicate_of FROM files"
            " WHERE report_id = (SELECT report_id FROM files WHERE path LIKE '%/r00.txt')"
        ).fetchall()
        db.close()
        assert sorted(Path(p).name for p, _ in linked) == ["copy-of-r00.md", "r00.txt", "r03.txt", "r06.txt"]
        # the first in input order (sorted: capitals, then c, then r) is the one the others link to
        assert {Path(d).name for _, d in linked if d} == {"copy-of-r00.md"}
    if fmt == "jsonl":
        docs = got["docs"]
        firsts = {d["path"] for d in docs if d["duplicate_of"] is None}
        assert len(firsts) == 4
        assert all(d["duplicate_of"] in firsts for d in docs if d["duplicate_of"] is not None)


def test_reexport_keeps_one_report_per_content_and_every_path(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.sqlite"
    for _ in range(2):
        cli("export", str(folder), "-o", str(out), "--quiet")
    got = read_back(out)
    assert (got["reports"], got["files"], got["failures"]) == (4, 11, 1)


# -- 6. a folder is sniffed; the seeds folder has no failure ----------------------------------------


def test_export_of_the_seeds_folder_has_no_failure(tmp_path: Path) -> None:
    proc = cli("export", str(SEEDS), "-o", str(tmp_path / "seeds.jsonl"))
    # 1, not 0: the seeds themselves carry error diagnostics (they do not all add up); never 2
    assert proc.returncode in (0, 1), proc.stderr
    assert "failed files:" not in proc.stderr
    assert "truth/README.md: " in proc.stderr.split("skipped files (not reports):", 1)[1]
    assert read_back(tmp_path / "seeds.jsonl")["files"] == len(seed_files())


def _verdict_counted_whole(body: str) -> str | None:
    """``not_a_report``'s rule for a plain text, every Han character and Latin letter counted."""
    import re

    han = len(re.findall("[\u4e00-\u9fff]", body))
    latin = len(re.findall("[A-Za-z]", body))
    if han < 50 or "公开" not in body:
        return "a text without report text (no Chinese prose about 公开)"
    if latin > han:
        return "a text mostly in Latin letters, not a report's Chinese prose"
    return None


_PIECES = ["公开", "政府信息", "年", "abc", "Z", "README ", " ", "\n", "\uff11", "é", "\u212a", "\u017f", "1"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.integers(1, 400)), min_size=1, max_size=8))
@example([("公开", 1), ("年", 48)])  # 50 Han characters exactly
@example([("公开", 1), ("年", 47)])
@example([("公开", 1), ("年", 600), ("Z", 601)])  # past the first slice, more letters than Han
@example([("公开", 1), ("年", 600), ("Z", 602)])
def test_sniff_counts_as_a_whole_count_would(parts: list[tuple[str, int]]) -> None:
    """The sniff counts Han characters a slice at a time and stops when there are enough, and counts
    letters from the ASCII part: the verdict is the one a whole count gives."""
    from govreport.sources.sniff import not_a_report

    body = "".join(piece * n for piece, n in parts)
    if not body.strip():
        return
    assert not_a_report(body.encode("utf-8")) == _verdict_counted_whole(body)


# -- 7. Parquet in pandas: no float --------------------------------------------------------------------


@pytest.mark.skipif(not HAVE_PYARROW, reason="pyarrow not installed")
def test_parquet_value_is_nullable_int64_and_money_decimal_in_pandas(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    from decimal import Decimal

    out = tmp_path / "cells.parquet"
    proc = cli("export", *map(str, seed_files()), "-o", str(out), "--quiet")
    assert proc.returncode in (0, 1), proc.stderr
    df = pd.read_parquet(out)
    assert str(df["value"].dtype) == "Int64"
    assert str(df["year"].dtype) == "Int32"
    assert df["value"].isna().any()  # blanks and money rows stay null, not NaN floats
    money = df["money"].dropna()
    assert len(money) and all(isinstance(v, Decimal) for v in money)
    assert not any(str(t).startswith("float") for t in df.dtypes)


# -- 8. UTF-16 without a BOM -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom_is_read(encoding: str) -> None:
    for text in SEEDS_TEXT:
        want = govreport.loads(text)
        got = govreport.loads(text.encode(encoding))
        assert got.source.encoding == encoding
        assert (got.table2, got.table3, got.table4) == (want.table2, want.table3, want.table4)


def test_zero_bytes_alone_are_still_binary() -> None:
    with pytest.raises(govreport.InputError, match="binary"):
        govreport.loads(b"\x00\x00\x01\x02" * 500)  # as many zeros on both sides: no UTF-16


# -- 9. repeated tables (done on main: confirmed here) ------------------------------------------------


def test_tables_ten_times_over_fill_table4_once_and_say_so() -> None:
    text = SEEDS_TEXT[0]
    report = govreport.loads(text)
    start = text.index("二、")
    end = text.index("五、") if "五、" in text else len(text)
    tables = text[start:end]
    tenfold = text[:end] + ("\n" + tables) * 9 + text[end:]
    got = govreport.loads(tenfold)
    assert got.table4 == report.table4
    cells = list(got.table4.cells())
    assert len(cells) == len(list(report.table4.cells()))
    assert not [d for d in got.diagnostics if d.code == "PARSE.WIDTH" and d.table == "table4"]
    assert [d.detail for d in got.diagnostics if d.code == "INPUT.REPEATED"] == ["10"]


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_a_line_separator_in_a_name_does_not_tear_a_jsonl_line(tmp_path: Path, char: str) -> None:
    """JSON leaves U+0085/U+2028/U+2029 raw and str.splitlines breaks there (found by the export property)."""
    (tmp_path / "in").mkdir()
    first, dup = tmp_path / "in" / f"a{char}b.txt", tmp_path / "in" / f"c{char}d.txt"
    first.write_bytes(seed_files()[0].read_bytes())
    dup.write_bytes(seed_files()[0].read_bytes())  # its duplicate_of names the first
    out = tmp_path / "out.jsonl"
    assert main(["export", str(tmp_path / "in"), "-o", str(out), "--jobs", "1", "--quiet"]) in (0, 1)
    text = out.read_text(encoding="utf-8")
    assert char not in text
    docs = [json.loads(line) for line in text.splitlines()]
    assert [d["path"] for d in docs] == [str(first), str(dup)]
    assert docs[1]["duplicate_of"] == str(first)


@pytest.mark.parametrize(("jobs", "copies"), [(1, 1), (2, 1), (2, 40)])  # fewer files than a window, and more
def test_the_writer_warms_up_once_while_the_workers_read(tmp_path: Path, jobs: int, copies: int) -> None:
    """``started`` (a sink's ``warm``) is called once, before the first outcome, and with worker
    processes only after they exist: the writer's slow set-up overlaps their first files."""
    import multiprocessing

    paths = [str(p) for p in seed_files()] * copies
    events: list[str] = []

    def started() -> None:
        events.append("started")
        if jobs > 1:
            assert multiprocessing.active_children(), "the workers should be running already"

    for _ in batch.iter_outcomes(paths, jobs=jobs, started=started):
        events.append("outcome")
    assert events[0] == "started" and events.count("started") == 1
    assert events.count("outcome") == len(paths)


def test_a_warmed_parquet_sink_writes_what_a_cold_one_writes(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    paths = [str(p) for p in seed_files()]
    warm = sinks.ParquetSink(tmp_path / "warm.parquet")
    warm.warm()
    batch.write_outcomes(batch.iter_outcomes(paths, warm.encode), warm)
    cold = sinks.ParquetSink(tmp_path / "cold.parquet")
    batch.write_outcomes(batch.iter_outcomes(paths, cold.encode), cold)
    assert pq.read_table(tmp_path / "warm.parquet").equals(pq.read_table(tmp_path / "cold.parquet"))
