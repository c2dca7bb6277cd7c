"""``govreport export``: the real CLI in a subprocess over the seeds and the converter corpus.

Each format is exported once per session (see ``exports``) and the tests read the files back.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import govreport
from govreport.export import batch, sinks
from govreport.export.convert import TIDY_COLUMNS

from .conftest import CORPUS, HANG_GUARD, SEEDS, seed_files
from .conftest import run_cli as cli
from .truthdata import COLUMNS, contract_mismatches, read_truth

HAVE_PYARROW = True
try:
    import pyarrow  # noqa: F401
except ImportError:
    HAVE_PYARROW = False


def truth_for(path: str | Path) -> dict[str, Any]:
    return read_truth(SEEDS / "truth" / (Path(path).stem + ".json"))


class Export:
    def __init__(self, out: Path, proc: subprocess.CompletedProcess[str], inputs: list[str]) -> None:
        self.out, self.proc, self.inputs = out, proc, inputs

    def _listed(self, heading: str) -> set[str]:
        lines = self.proc.stderr.split(heading + "\n", 1)
        if len(lines) == 1:
            return set()
        out = set()
        for line in lines[1].splitlines():
            if not line.startswith("  "):
                break
            out.add(line.strip().split(": ", 1)[0])
        return out

    @property
    def failed(self) -> set[str]:
        """Paths the summary lists under 'failed files:'."""
        return self._listed("failed files:")

    @property
    def skipped(self) -> set[str]:
        """Paths the summary lists under 'skipped files (not reports):'."""
        return self._listed("skipped files (not reports):")

    @property
    def read(self) -> list[str]:
        """The inputs read as reports, in order."""
        return [p for p in self.inputs if p not in self.failed and p not in self.skipped]


@pytest.fixture(scope="session")
def inputs() -> list[str]:
    if not seed_files() or not CORPUS.is_dir():
        pytest.fail("seeds or corpus missing")
    return batch.collect_paths([*map(str, seed_files()), str(CORPUS)])


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory, inputs: list[str]) -> dict[str, Export]:
    """Seeds + corpus exported once per format (parquet only when pyarrow is installed)."""
    root = tmp_path_factory.mktemp("export")
    formats = ["jsonl", "csv", "sqlite"] + (["parquet"] if HAVE_PYARROW else [])
    out = {}
    for fmt in formats:
        target = root / f"all.{fmt}"
        proc = cli("export", *map(str, seed_files()), str(CORPUS), "-o", str(target), "--jobs", "2")
        out[fmt] = Export(target, proc, inputs)
    return out


def test_jsonl_has_one_line_per_readable_file_in_input_order(exports: dict[str, Export]) -> None:
    e = exports["jsonl"]
    docs = [json.loads(line) for line in e.out.read_text(encoding="utf-8").splitlines()]
    expected = e.read
    assert [d["path"] for d in docs] == expected
    assert len(docs) + len(e.failed) + len(e.skipped) == len(e.inputs)
    assert not any(p.endswith(("README.md", "truth.json", "meta.json")) for p in expected)
    # the exit code follows the documented precedence: failures (2) over error diagnostics (1)
    any_errors = any(g["severity"] == "error" for d in docs for g in d["diagnostics"])
    assert e.proc.returncode == (2 if e.failed else 1 if any_errors else 0), e.proc.stderr
    assert f"read {len(e.inputs) - len(e.skipped)} files" in e.proc.stderr


def test_jsonl_lines_equal_load_and_match_seed_truth(exports: dict[str, Export]) -> None:
    docs = {d["path"]: d for d in map(json.loads, exports["jsonl"].out.read_text(encoding="utf-8").splitlines())}
    for seed in seed_files():
        doc = docs[str(seed)]
        # the export file adds where the file came from: its raw name (when not UTF-8), its first copy
        assert (doc.pop("path_bytes"), doc.pop("duplicate_of")) == (None, None)
        assert doc == govreport.to_dict(govreport.load(seed))
        assert contract_mismatches(doc, truth_for(seed)) == []


def test_csv_is_the_tidy_form_of_every_report(exports: dict[str, Export]) -> None:
    e = exports["csv"]
    raw = e.out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert tuple(rows[0]) == TIDY_COLUMNS
    seed = seed_files()[0]
    expected = [["" if v is None else str(v) for v in r.values()] for r in govreport.tidy_rows(govreport.load(seed))]
    got = [r for r in rows[1:] if r[0] == str(seed)]
    assert got == expected
    sources = {r[0] for r in rows[1:]}
    assert sources == set(e.read)


def test_csv_bom_for_excel(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    proc = cli("export", str(seed_files()[0]), "-o", str(out), "--bom", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbfsource,organ,year")


def test_sqlite_table3_totals_equal_seed_truth(exports: dict[str, Export]) -> None:
    db = sqlite3.connect(exports["sqlite"].out)
    # the one-line query of the tutorial: every report's Table 3 total, by body and year
    got = {
        (path, organ, year): value
        for path, organ, year, value in db.execute(
            "SELECT path, organ, year, value FROM report_cells"
            " WHERE table_id='table3' AND row_id='total_handled' AND column_id='total'"
        )
    }
    for seed in seed_files():
        t = truth_for(seed)
        key = next(k for k in got if k[0] == str(seed))
        assert key[1] in t["organ"]
        assert key[2] == t["year"]
        assert got[key] == t["table3"]["total_handled"][COLUMNS.index("total")]
    plan = " ".join(
        str(r)
        for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT r.organ, c.value FROM cells c JOIN reports r ON r.id = c.report_id"
            " WHERE r.year = 2021 AND c.table_id='table3' AND c.row_id='total_handled' AND c.column_id='total'"
        )
    )
    assert "INDEX" in plan.upper()


def test_sqlite_holds_everything_the_jsonl_holds(exports: dict[str, Export]) -> None:
    db = sqlite3.connect(exports["sqlite"].out)
    docs = [json.loads(line) for line in exports["jsonl"].out.read_text(encoding="utf-8").splitlines()]
    by_hash = {d["sha256"]: d for d in docs}
    (n_reports,) = db.execute("SELECT count(*) FROM reports").fetchone()
    assert n_reports == len(by_hash)
    for sha, rid, errors in db.execute("SELECT sha256, id, errors FROM reports"):
        d = by_hash[sha]
        assert errors == sum(g["severity"] == "error" for g in d["diagnostics"])
        cells = {(t, r, c): v for t, r, c, v in db.execute(
            "SELECT table_id, row_id, column_id, value FROM cells WHERE report_id = ?", (rid,)
        )}  # fmt: skip
        assert cells == {(c["table"], c["row"], c["column"]): c["value"] for c in d["cells"]}
        (n_diag,) = db.execute("SELECT count(*) FROM diagnostics WHERE report_id = ?", (rid,)).fetchone()
        (n_sec,) = db.execute("SELECT count(*) FROM sections WHERE report_id = ?", (rid,)).fetchone()
        assert (n_diag, n_sec) == (len(d["diagnostics"]), len(d["sections"]))
    # money stays exact text, counts are integers
    kinds = dict(db.execute("SELECT typeof(value), count(*) FROM cells GROUP BY 1").fetchall())
    assert kinds.get("integer", 0) > 0
    assert kinds.get("real", 0) == 0
    failures = {p for (p,) in db.execute("SELECT path FROM failures")}
    assert failures == exports["sqlite"].failed


def test_reexport_updates_instead_of_duplicating(exports: dict[str, Export], tmp_path: Path) -> None:
    db_path = tmp_path / "again.sqlite"
    shutil.copy(exports["sqlite"].out, db_path)

    def counts() -> list[int]:
        db = sqlite3.connect(db_path)
        try:
            return [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("reports", "cells", "sections",
                    "diagnostics", "failures")]  # fmt: skip
        finally:
            db.close()

    before = counts()
    proc = cli("export", *map(str, seed_files()), "-o", str(db_path), "--quiet")
    assert proc.returncode in (0, 1), proc.stderr
    assert counts() == before


@pytest.mark.skipif(not HAVE_PYARROW, reason="pyarrow not installed (the message test below covers it)")
def test_parquet_long_form(exports: dict[str, Export]) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(exports["parquet"].out)
    assert tuple(table.column_names) == sinks.PARQUET_COLUMNS
    n_csv = len(exports["csv"].out.read_text(encoding="utf-8").splitlines()) - 1
    assert table.num_rows == n_csv
    rows = table.to_pylist()
    seed = str(seed_files()[0])
    fees = [r for r in rows if r["source"] == seed and r["row"] == "administrative_fees"]
    truth_fee = Decimal(str(truth_for(seed)["table2"]["administrative_fees"]["amount"]))
    assert [r["money"] for r in fees] == [truth_fee]
    assert all(r["value"] is None for r in fees)


@pytest.mark.skipif(not HAVE_PYARROW, reason="pyarrow not installed")
def test_parquet_rows_are_the_long_form_of_every_file(exports: dict[str, Export]) -> None:
    """Every Parquet row, in order, is the JSONL's long form (``long_records``) plus its file's hash,
    first copy and raw name: the worker's columns and the writer's per-file values line up."""
    import pyarrow.parquet as pq

    docs = [json.loads(line) for line in exports["jsonl"].out.read_text(encoding="utf-8").splitlines()]
    expected = [
        (*row, d["sha256"], d["duplicate_of"], bytes.fromhex(d["path_bytes"]) if d["path_bytes"] else None)
        for d in docs
        for row in sinks.long_records(d)
    ]
    table = pq.read_table(exports["parquet"].out)
    assert [tuple(r.values()) for r in table.to_pylist()] == expected


def test_parquet_without_pyarrow_says_how_to_install(tmp_path: Path) -> None:
    # a None entry in sys.modules makes `import pyarrow` fail as if it were not installed
    code = (
        "import sys; sys.modules['pyarrow'] = None; sys.modules['pyarrow.parquet'] = None\n"
        "from govreport.cli import main; raise SystemExit(main(sys.argv[1:]))"
    )
    out = tmp_path / "x.parquet"
    proc = subprocess.run(
        [sys.executable, "-c", code, "export", str(seed_files()[0]), "-o", str(out)],
        capture_output=True, text=True, timeout=HANG_GUARD, check=False,
    )  # fmt: skip
    assert proc.returncode == 3
    assert "pip install 'govreport[parquet]'" in proc.stderr
    assert not out.exists()


def test_bad_files_next_to_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    good = seed_files()[:2]
    for p in good:
        shutil.copy(p, folder / p.name)
    (folder / "sub" / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "empty.txt").write_bytes(b"")
    gbk_src = seed_files()[0]
    (folder / "sub" / "gbk.txt").write_bytes(gbk_src.read_text(encoding="utf-8").encode("gbk"))
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    # a report-like text whose tables cannot be read: a failure, not a skip
    broken = "某某区人民政府2021年政府信息公开工作年度报告\n" + "政府信息公开工作情况。" * 10
    (folder / "broken.txt").write_text(broken, encoding="utf-8")
    out = tmp_path / "mixed.jsonl"
    proc = cli("export", str(folder), "-o", str(out), "--jobs", "2")
    assert proc.returncode == 2, proc.stderr
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(d["path"]).name for d in docs] == sorted([*(p.name for p in good), "gbk.txt"])
    gbk = next(d for d in docs if d["path"].endswith("gbk.txt"))
    utf8 = govreport.to_dict(govreport.load(gbk_src))
    assert gbk["encoding"] != utf8["encoding"]
    assert (gbk["table2"], gbk["table3"], gbk["table4"]) == (utf8["table2"], utf8["table3"], utf8["table4"])
    failed = proc.stderr.split("failed files:\n", 1)[1].split("skipped files", 1)[0]
    assert failed.strip().startswith(f"{folder / 'broken.txt'}: ")
    # what a folder holds beside the reports is skipped, with the reason, and is no failure
    skipped = proc.stderr.split("skipped files (not reports):\n", 1)[1]
    assert f"{folder / 'empty.txt'}: empty file" in skipped
    assert f"{folder / 'sub' / 'binary.txt'}: binary data" in skipped
    assert f"{folder / 'notes.json'}: " in skipped
    assert "3 skipped (not reports)" in proc.stderr
    assert "Traceback" not in proc.stderr
    # a file named on the command line is always read: an empty one fails
    named = cli("export", str(folder / "empty.txt"), "-o", str(tmp_path / "one.jsonl"))
    assert named.returncode == 2
    assert "empty" in named.stderr.split("failed files:\n", 1)[1]


def test_paths_from_stdin(tmp_path: Path) -> None:
    out = tmp_path / "stdin.jsonl"
    listing = "\n".join(str(p) for p in reversed(seed_files())) + "\n\n"
    proc = cli("export", "-", "-o", str(out), "--quiet", stdin=listing)
    assert proc.returncode in (0, 1), proc.stderr
    paths = [json.loads(line)["path"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert paths == [str(p) for p in reversed(seed_files())]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("fmt", ["jsonl", "sqlite"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupt_leaves_complete_output(tmp_path: Path, fmt: str, jobs: int) -> None:
    """SIGINT after the 150th report is written (a test hook raises the real signal there, so the
    moment does not depend on how fast the machine reads): exit 130, whole reports only."""
    folder = tmp_path / "many"
    folder.mkdir()
    text = seed_files()[0].read_text(encoding="utf-8")
    for i in range(400):
        # distinct content, so SQLite keeps one report per file
        (folder / f"r{i:04d}.txt").write_text(text + f"\n{i}\n", encoding="utf-8")
    out = tmp_path / f"part.{fmt}"
    env = {**os.environ, batch.INTERRUPT_ENV: "write:150"}
    proc = subprocess.run(
        [sys.executable, "-m", "govreport", "export", str(folder), "-o", str(out), "--jobs", str(jobs)],
        capture_output=True, text=True, timeout=HANG_GUARD, check=False, env=env,
        # a shell's background job inherits SIGINT ignored, and Python then never turns it into
        # KeyboardInterrupt: give the child the default disposition so the hook's signal is seen
        preexec_fn=_default_sigint,
    )  # fmt: skip
    assert proc.returncode == 130, proc.stderr
    assert "interrupted after 150 files" in proc.stderr
    assert "Traceback" not in proc.stderr
    if fmt == "jsonl":
        data = out.read_bytes()
        assert data.endswith(b"\n")
        docs = [json.loads(line) for line in data.decode("utf-8").splitlines()]
        assert len(docs) == 150
        assert all(d["table3"] for d in docs)
    else:
        db = sqlite3.connect(out)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # every report in the file is whole: all its cells are there
        per_report = {n for (n,) in db.execute("SELECT count(*) FROM cells GROUP BY report_id")}
        assert len(per_report) <= 1


def test_to_dataframe_matches_the_csv(exports: dict[str, Export]) -> None:
    pd = pytest.importorskip("pandas")
    docs = [json.loads(line) for line in exports["jsonl"].out.read_text(encoding="utf-8").splitlines()]
    df = govreport.to_dataframe(docs)
    assert isinstance(df, pd.DataFrame)
    assert tuple(df.columns) == sinks.LONG_COLUMNS
    n_csv = len(exports["csv"].out.read_text(encoding="utf-8").splitlines()) - 1
    assert len(df) == n_csv
    seed = seed_files()[0]
    t = truth_for(seed)
    one = govreport.to_dataframe(govreport.load(seed))
    total = one[(one["table"] == "table3") & (one["row"] == "total_handled") & (one["column"] == "total")]
    assert total["value"].tolist() == [t["table3"]["total_handled"][COLUMNS.index("total")]]


def test_to_dataframe_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'govreport\[pandas\]'"):
        govreport.to_dataframe([])


def test_import_govreport_stays_light() -> None:
    code = (
        "import sys, govreport\n"
        "heavy = ('pandas', 'pyarrow', 'govreport.cli', 'govreport.export.batch', 'sqlite3')\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG_GUARD, check=True)
    assert proc.stdout.strip() == "[]"
    assert callable(govreport.to_dataframe)


def test_tidy_from_the_export_dict_equals_tidy_rows() -> None:
    for seed in seed_files():
        report = govreport.load(seed)
        assert list(sinks.tidy_from_doc(govreport.to_dict(report))) == [
            tuple(r.values()) for r in govreport.tidy_rows(report)
        ]


def test_collect_paths_order_globs_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/z.txt", "b/a.md", "c.txt", "b/skip.json", ".git/HEAD", "b/.hidden.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = batch.collect_paths([str(tmp_path / "c.txt"), str(tmp_path), "missing.txt"])
    # every file of a folder (its content decides later), hidden ones aside; named ones first, once
    assert got == [
        str(tmp_path / "c.txt"),
        str(tmp_path / "b/a.md"),
        str(tmp_path / "b/skip.json"),
        str(tmp_path / "b/z.txt"),
        "missing.txt",
    ]
    assert batch.collect_paths([str(tmp_path)], ["*.json"]) == [str(tmp_path / "b/skip.json")]
    assert batch.collect_paths(["-"], stdin=io.StringIO(f"{tmp_path / 'b'}\n\n")) == [
        str(tmp_path / "b/a.md"),
        str(tmp_path / "b/skip.json"),
        str(tmp_path / "b/z.txt"),
    ]
    found = batch.collect_inputs([str(tmp_path / "c.txt"), str(tmp_path / "b")], exclude=[tmp_path / "b" / "z.txt"])
    assert [(Path(i.path).name, i.found) for i in found] == [("c.txt", False), ("a.md", True), ("skip.json", True)]


def test_parallel_outcomes_keep_input_order() -> None:
    paths = [*map(str, seed_files()), "no/such/file.txt", *map(str, reversed(seed_files()))]
    serial = list(batch.iter_outcomes(paths, sinks.JsonlSink.encode, jobs=1))
    parallel = list(batch.iter_outcomes(paths, sinks.JsonlSink.encode, jobs=2))
    assert [o.path for o in parallel] == paths
    assert parallel == serial
    assert [o.error is not None for o in parallel].count(True) == 1


def test_exit_code_precedence() -> None:
    s = batch.Summary()
    assert s.exit_code() == 0
    s.add(batch.Outcome("a", payload="x", layout="space", template="2021", rules=(("T3.BAL", "error"),)))
    assert s.exit_code() == 1
    s.add(batch.Outcome("b", error="the file is empty", kind="InputError"))
    assert s.exit_code() == 2
    text = s.render()
    assert "T3.BAL" in text
    assert "b: the file is empty" in text


def test_progress_only_when_enabled() -> None:
    quiet, loud = io.StringIO(), io.StringIO()
    s = batch.Summary(total=3)
    batch.Progress(10, quiet, enabled=False).update(s, force=True)
    batch.Progress(10, loud, enabled=True).update(s, force=True)
    assert quiet.getvalue() == ""
    assert "3/10 files" in loud.getvalue()


def test_output_dir_unwritable(tmp_path: Path) -> None:
    proc = cli("export", str(seed_files()[0]), "-o", str(tmp_path / "no" / "such" / "dir" / "x.jsonl"))
    assert proc.returncode == 4
    assert "does not exist" in proc.stderr
    assert os.listdir(tmp_path) == []


def test_sqlite_cell_index_exists_after_a_fresh_export_and_after_an_interrupt(tmp_path: Path) -> None:
    import sqlite3

    import govreport
    from govreport.export.sinks import open_sink

    doc = govreport.to_dict(govreport.load(seed_files()[0]))
    for finish in ("close", "abort"):
        out = tmp_path / f"{finish}.sqlite"
        sink = open_sink(out)
        sink.write(sink.encode(doc), sinks.FileRef(doc["path"], None, doc["sha256"]))
        getattr(sink, finish)()
        db = sqlite3.connect(out)
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "cells_by_cell" in names, finish
        db.close()


def test_sqlite_cells_are_the_long_form_whatever_their_count(tmp_path: Path) -> None:
    """The writer inserts a report's cells many rows a statement (``_CELL_ROWS``): every count, below,
    at and above a statement's rows, gives exactly the long form's rows, values typed as in the JSON."""
    from govreport.export.sinks import _CELL_ROWS, open_sink, tidy_from_doc

    doc = govreport.to_dict(govreport.load(seed_files()[0]))
    # more than two statements' rows: the cells thrice, each copy under other column ids (the key is unique)
    three = [{**c, "column": f"{c['column']}.{k}"} for k in range(3) for c in doc["cells"]]
    assert len(three) > 2 * _CELL_ROWS
    docs = [
        {**doc, "cells": three[:n], "subtotals": [], "sha256": f"{n:064x}"}
        for n in (0, 1, _CELL_ROWS - 1, _CELL_ROWS, _CELL_ROWS + 1, 2 * _CELL_ROWS + 1)
    ]
    docs.append(doc)  # whole, with any subtotal rows
    sink = open_sink(tmp_path / "n.sqlite")
    for d in docs:
        sink.write(sink.encode(d), sinks.FileRef(f"{d['sha256'][-4:]}.txt", None, d["sha256"]))
    sink.close()
    db = sqlite3.connect(tmp_path / "n.sqlite")
    try:
        for d in docs:
            (rid,) = db.execute("SELECT id FROM reports WHERE sha256 = ?", (d["sha256"],)).fetchone()
            got = db.execute(
                "SELECT table_id, row_id, column_id, value, raw, status FROM cells WHERE report_id = ?", (rid,)
            ).fetchall()
            assert sorted(got, key=repr) == sorted((row[4:] for row in tidy_from_doc(d)), key=repr)
    finally:
        db.close()
