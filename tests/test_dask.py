"""``govreport.dask`` and ``export --engine dask``: the same rows as the local export, on a real cluster.

One LocalCluster of 2 process workers per module (``cluster``); the CLI test reaches it through
``--scheduler``. Worker death is triggered by the ``DIE_ON_ENV`` hook on a chosen file, never by a
timer. Skipped, with the reason, where the ``dask`` extra is not installed (CI installs it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govreport import dask as gdask
from govreport.export import batch, sinks

from .conftest import HANG_GUARD, SEEDS, all_inputs, seed_files

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[dask]'")
pytest.importorskip("dask.dataframe", reason="the dask extra is not installed: pip install -e '.[dask]'")
pa = pytest.importorskip("pyarrow")
import pyarrow.dataset as ds  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

# dask.dataframe's read_parquet calls reset_index(inplace=True), which pandas 3.1 deprecates: theirs
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")

GARBAGE = {
    "binary.txt": bytes(range(256)) * 16,
    "empty.txt": b"",
    "prose.txt": "这是一段没有表格的说明文字。\n".encode(),
}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = gdask.local_cluster(2)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The seeds, every third corpus input, and the garbage files (in their own folder)."""
    garbage = tmp_path_factory.mktemp("garbage")
    for name, data in GARBAGE.items():
        (garbage / name).write_bytes(data)
    corpus = [p for p in all_inputs() if p.parent.parent.name == "generated"][::3]
    return [str(p) for p in (*seed_files(), *corpus, *sorted(garbage.iterdir()))]


def local_export(paths: list[str], out: Path) -> subprocess.CompletedProcess[str]:
    """The real local ``govreport export`` (``-`` reads the paths from stdin, in this order)."""
    return subprocess.run(
        [sys.executable, "-m", "govreport", "export", "-", "-o", str(out), "--jobs", "1", "--quiet"],
        input="\n".join(paths) + "\n",
        capture_output=True, text=True, timeout=HANG_GUARD, check=False,
    )  # fmt: skip


def rows(table: Any, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of ``columns``, sorted (nulls first), for an order-free comparison."""
    data = table.select(list(columns)).to_pylist()
    return sorted((tuple(r[c] for c in columns) for r in data), key=lambda t: [(v is not None, str(v)) for v in t])


def dataset(out: Path | str, name: str) -> Any:
    return ds.dataset(f"{out}/{name}", partitioning="hive", format="parquet").to_table()


@pytest.fixture(scope="module")
def local(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("local")
    proc = local_export(inputs, folder / "cells.parquet")
    assert proc.returncode == 2, proc.stderr  # the garbage files failed
    db = folder / "reports.sqlite"
    summary = batch.run(inputs, sinks.SqliteSink(db))
    con = sqlite3.connect(db)
    reports = con.execute(f"SELECT {', '.join(sinks.REPORT_COLUMNS)} FROM reports").fetchall()
    con.close()
    return {"cells": pq.read_table(folder / "cells.parquet"), "reports": reports, "summary": summary}


@pytest.fixture(scope="module")
def job(client: Any, inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, batch.Summary]:
    out = tmp_path_factory.mktemp("dask") / "out"
    summary = gdask.to_parquet(inputs, str(out), client=client, blocksize=4)
    return out, summary


def test_to_parquet_holds_exactly_the_rows_of_the_local_export(job: tuple[Path, batch.Summary], local: Any) -> None:
    out, _ = job
    cells = dataset(out, "cells")
    assert cells.num_rows == local["cells"].num_rows > 1000
    # every column but duplicate_of, which only a run that sees every file can fill (null on Dask)
    same = tuple(c for c in sinks.PARQUET_COLUMNS if c != "duplicate_of")
    assert rows(cells, same) == rows(local["cells"], same)
    assert set(cells.column("duplicate_of").to_pylist()) == {None}
    # the types too, not only the values: the local export's schema, then the province
    assert cells.schema.field("money").type == pa.decimal128(20, 4)
    assert cells.schema.field("year").type == pa.int32()


def test_reports_table_is_the_sqlite_reports_table_plus_the_failures(
    job: tuple[Path, batch.Summary], local: Any, inputs: list[str]
) -> None:
    out, summary = job
    table = dataset(out, "reports")
    assert sorted(table.column("path").to_pylist()) == sorted(inputs)  # one row per file, read or not
    read = [r for r in table.to_pylist() if r["error"] is None]
    got = sorted(tuple(r[c] for c in sinks.REPORT_COLUMNS) for r in read)
    assert got == sorted(local["reports"])
    failed = {r["path"]: (r["kind"], r["error"]) for r in table.to_pylist() if r["error"] is not None}
    assert set(failed) == {p for p in inputs if Path(p).name in GARBAGE}
    assert {p: e for p, (_, e) in failed.items()} == dict(local["summary"].failures)
    assert summary.failures == local["summary"].failures  # same reasons, in input order
    assert all(kind for kind, _ in failed.values())


def test_summary_is_the_local_exports(job: tuple[Path, batch.Summary], local: Any) -> None:
    _, summary = job
    ours, theirs = summary, local["summary"]
    assert (ours.total, ours.ok, ours.with_errors) == (theirs.total, theirs.ok, theirs.with_errors)
    assert (ours.layouts, ours.templates, ours.rules) == (theirs.layouts, theirs.templates, theirs.rules)


def test_partitioned_by_year_and_province(job: tuple[Path, batch.Summary]) -> None:
    out, _ = job
    cells = dataset(out, "cells")
    for r in cells.select(["year", "province", *gdask.PARTITION_COLUMNS]).to_pylist()[::50]:
        # a reader infers the key's type from the names (all digits: an integer); the typed value is year
        assert str(r["by_year"]) == (str(r["year"]) if r["year"] is not None else "none")
        assert r["by_province"] == (r["province"] or "none")
    years = {p.name for p in (out / "cells").iterdir()}
    assert "by_year=2021" in years


def test_lazy_frames_on_the_cluster(client: Any, inputs: list[str], local: Any) -> None:
    import dask

    frames = gdask.read_reports(inputs, blocksize=8)
    cells, reports = dask.compute(frames.cells, frames.reports)
    assert tuple(cells.columns) == gdask.CELL_COLUMNS
    assert tuple(reports.columns) == gdask.REPORT_TABLE_COLUMNS
    got = pa.Table.from_pandas(cells, preserve_index=False)
    assert rows(got, sinks.LONG_COLUMNS) == rows(local["cells"], sinks.LONG_COLUMNS)
    assert sorted(reports["path"]) == sorted(inputs)
    assert reports["error"].notna().sum() == len(GARBAGE)


def _seeds_and_a_killer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A folder of the seeds and a copy of one that ends its worker (the DIE_ON_ENV hook), and its paths."""
    seeds = seed_files()
    folder = tmp_path / "in"
    folder.mkdir()
    for p in seeds:
        shutil.copy(p, folder / p.name)
    killer = folder / "kills-its-worker.txt"
    shutil.copy(seeds[0], killer)
    monkeypatch.setenv(gdask.DIE_ON_ENV, killer.name)
    return killer, batch.collect_paths([str(folder)])


def test_a_worker_that_dies_on_a_file_loses_only_that_file(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killer, paths = _seeds_and_a_killer(tmp_path, monkeypatch)
    summary = gdask.to_parquet(paths, str(tmp_path / "out"), client=client, blocksize=2)
    assert summary.total == len(paths)
    assert [p for p, _ in summary.failures] == [str(killer)]
    assert "worker process died" in summary.failures[0][1]
    reports = dataset(tmp_path / "out", "reports").to_pylist()
    assert sorted(r["path"] for r in reports) == sorted(paths)
    (dead,) = [r for r in reports if r["error"] is not None]
    assert (dead["path"], dead["kind"]) == (str(killer), "WorkerDied")
    # every other file is there, each once (a chunk re-read after the death wrote no duplicate)
    cells = dataset(tmp_path / "out", "cells")
    per_file = {p: sum(1 for _ in sinks.long_records(_doc(p))) for p in paths if p != str(killer)}
    counts = {}
    for s in cells.column("source").to_pylist():
        counts[s] = counts.get(s, 0) + 1
    assert counts == per_file
    assert len(client.scheduler_info()["workers"]) >= 1  # the cluster lives on


def _doc(path: str) -> dict[str, Any]:
    import govreport

    return govreport.to_dict(govreport.load(path))


def test_fsspec_memory_filesystem_in_and_out(inputs: list[str]) -> None:
    """memory:// is one process's: an in-process cluster reads and writes it."""
    import fsspec

    fs = fsspec.filesystem("memory")
    for p in seed_files():
        fs.pipe(f"/govreport-test/in/{p.name}", p.read_bytes())
    fs.pipe("/govreport-test/in/notes.json", b"{}")  # listed, then skipped by its content (not a report)
    listed = gdask.list_paths("memory://govreport-test/in")
    assert [p.rsplit("/", 1)[1] for p in listed] == sorted([p.name for p in seed_files()] + ["notes.json"])
    paths = [p for p in listed if not p.endswith("notes.json")]
    assert paths[0].startswith("memory://")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0") as c:
        summary = gdask.to_parquet("memory://govreport-test/in", "memory://govreport-test/out", client=c)
        missing = gdask.to_parquet(["memory://govreport-test/nope.txt"], "memory://govreport-test/out2", client=c)
        # named on its own, a file is read whatever it looks like: a failure with its reason, not a skip
        named = gdask.to_parquet(["memory://govreport-test/in/notes.json"], "memory://govreport-test/out3", client=c)
    assert (summary.total, summary.failures) == (len(seed_files()), [])
    assert [p.rsplit("/", 1)[1] for p, _ in summary.skipped] == ["notes.json"]
    assert missing.failures == [("memory://govreport-test/nope.txt", "no such file")]
    assert ([p.rsplit("/", 1)[1] for p, _ in named.failures], named.skipped) == (["notes.json"], [])
    frame = gdask.read_dataset("memory://govreport-test/out", "cells").compute(scheduler="sync")
    got = pa.Table.from_pandas(frame, preserve_index=False)
    local = pa.Table.from_pylist(
        [dict(zip(sinks.LONG_COLUMNS, r, strict=True)) for p in seed_files() for r in sinks.long_records(_doc(str(p)))]
    )
    # the same rows but for the source column, which names the URL
    cols = tuple(c for c in sinks.LONG_COLUMNS if c != "source")
    assert rows(got, cols) == rows(local, cols)
    assert set(got.column("source").to_pylist()) == set(paths)
    fs.rm("/govreport-test", recursive=True)


def test_export_engine_dask_cli_with_a_scheduler(client: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "govreport", "export", str(SEEDS), "-o", str(out), "--engine", "dask",
         "--glob", "*.txt", "--scheduler", client.scheduler.address],
        capture_output=True, text=True, timeout=HANG_GUARD, check=False,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    assert f"read {len(seed_files())} files in " in proc.stderr  # the local export's summary
    assert "by layout:" in proc.stderr
    assert sorted(dataset(out, "reports").column("path").to_pylist()) == sorted(map(str, seed_files()))


def test_export_engine_dask_refuses_a_file_output(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "govreport", "export", str(SEEDS), "-o", str(tmp_path / "x.jsonl"), "--engine", "dask"],
        capture_output=True, text=True, timeout=HANG_GUARD, check=False,
    )  # fmt: skip
    assert proc.returncode == 3
    assert "folder" in proc.stderr


def test_without_the_extra_the_cli_names_the_pip_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "from govreport.cli import main; raise SystemExit(main(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "export", str(SEEDS), "-o", str(tmp_path / "out"), "--engine", "dask"],
        capture_output=True, text=True, timeout=HANG_GUARD, check=False,
    )  # fmt: skip
    assert proc.returncode == 3
    assert "pip install 'govreport[dask]'" in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("flag", [["--scheduler", "tcp://127.0.0.1:1"], ["--worker-timeout", "5"]])
def test_scheduler_options_need_the_dask_engine(tmp_path: Path, flag: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "govreport", "export", str(SEEDS), "-o", str(tmp_path / "x.jsonl"), *flag],
        capture_output=True, text=True, timeout=HANG_GUARD, check=False,
    )  # fmt: skip
    assert proc.returncode == 3
    assert f"{flag[0]} needs --engine dask" in proc.stderr


@pytest.mark.parametrize(
    ("organ", "province"),
    [
        ("江苏省南京市鼓楼区人民政府", "江苏省"),
        ("北京市朝阳区人民政府办公室", "北京市"),
        ("广西壮族自治区人民政府", "广西壮族自治区"),
        ("内蒙古自治区呼和浩特市人民政府", "内蒙古自治区"),
        ("黑龙江省教育厅", "黑龙江省"),
        ("鼓楼区人民政府", None),
        ("吉林市人民政府", None),  # a city of 吉林省, not the province
        ("海南藏族自治州人民政府", None),  # in 青海省
        ("", None),
        (None, None),
    ],
)
def test_province_only_where_the_organ_says_it(organ: str | None, province: str | None) -> None:
    assert gdask.province_of(organ) == province


def test_importing_the_module_does_not_import_dask() -> None:
    code = "import sys, govreport.dask; print('dask' in sys.modules, 'distributed' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG_GUARD, check=True)
    assert proc.stdout.split() == ["False", "False"]


def test_the_env_hook_is_unset_in_this_process() -> None:
    assert gdask.DIE_ON_ENV not in os.environ


# ---------------------------------------------------------------------------------------------------
# a cluster without workers: the job stops with ClusterError, never waits for ever


def _scheduler_only() -> Any:
    """A LocalCluster with a scheduler and no worker (the config local_cluster gives its scheduler)."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}):
        return distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0")


def test_a_cluster_with_no_worker_is_a_clear_error_not_a_wait(tmp_path: Path) -> None:
    from govreport.errors import ClusterError

    paths = [str(p) for p in seed_files()]
    with (
        _scheduler_only() as cluster,
        distributed.Client(cluster) as c,
        pytest.raises(ClusterError, match="has no worker") as e,
    ):
        gdask.to_parquet(paths, str(tmp_path / "out"), client=c, worker_timeout=0.2)
    assert e.value.not_read == tuple(paths) and e.value.summary is None


def test_a_job_whose_every_worker_died_stops_and_names_the_files_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One worker without a nanny (nothing restarts it) dies on a file: the rest cannot be read.

    The death comes from the DIE_ON_ENV hook on a chosen file, and no worker ever comes back, so the
    outcome does not depend on timing: only how soon the job gives up does (``worker_timeout``).
    """
    from govreport.errors import ClusterError

    killer, paths = _seeds_and_a_killer(tmp_path, monkeypatch)
    with _scheduler_only() as cluster, distributed.Client(cluster) as c:
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
             "--no-nanny", "--nthreads", "1", "--no-dashboard"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            c.wait_for_workers(1, timeout=HANG_GUARD)
            with pytest.raises(ClusterError, match="no worker for 1 s") as e:
                gdask.to_parquet(paths, str(tmp_path / "out"), client=c, blocksize=2, worker_timeout=1)
            assert worker.wait(timeout=HANG_GUARD) == 70  # the hook's exit: the worker really died
        finally:
            if worker.poll() is None:
                worker.kill()
    summary = e.value.summary
    assert str(killer) in e.value.not_read
    read = {str(p) for p in paths} - set(e.value.not_read)
    assert summary.total == len(read) and not summary.failures
    # what was read is written, once; nothing of a task that did not finish
    reports = dataset(tmp_path / "out", "reports").to_pylist() if read else []
    assert sorted(r["path"] for r in reports) == sorted(read)


def test_export_cli_on_a_cluster_with_no_worker_exits_2_and_says_why(tmp_path: Path) -> None:
    with _scheduler_only() as cluster:
        proc = subprocess.run(
            [sys.executable, "-m", "govreport", "export", str(SEEDS), "-o", str(tmp_path / "out"), "--engine", "dask",
             "--glob", "*.txt", "--scheduler", cluster.scheduler_address, "--worker-timeout", "0.2"],
            capture_output=True, text=True, timeout=HANG_GUARD, check=False,
        )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "has no worker" in proc.stderr and "Traceback" not in proc.stderr
    assert f"{seed_files()[0]}: not read" in proc.stderr
