"""Read report folders past one machine, on a Dask cluster, into the same rows as the local export.

Two tables come out, both built by the local export's own code from the export-contract dict of
each file (:func:`govreport.export.batch.read_one`, the one per-file step of every engine):

- **cells**: :data:`~govreport.export.sinks.PARQUET_COLUMNS` (the long form the local Parquet export
  writes, :func:`~govreport.export.sinks.long_records`, with each file's hash and raw name) plus
  ``province``; ``duplicate_of`` is null (see :data:`CELL_COLUMNS`);
- **reports**: one row per input file, :data:`~govreport.export.sinks.REPORT_COLUMNS` (the SQLite
  ``reports`` table's, :func:`~govreport.export.sinks.report_record`) plus ``province``, and for a
  file that could not be read its ``error`` and error ``kind`` (the other columns null).

:func:`read_reports` gives both as lazy Dask DataFrames; :func:`to_parquet` runs a whole job on a
cluster and writes them as Parquet datasets partitioned by year and province. A bad file is a row
with its error, never a failed job; :func:`to_parquet` also survives a worker process that dies on
a file (a crash in a native library, memory): it reads the dead worker's files again one by one,
and only the file that kills a worker on its own is lost, reported as a failure.

Needs the extra: ``pip install 'govreport[dask]'`` (dask[dataframe] and distributed). Importing
this module does not import Dask; calling into it without Dask installed raises ``ImportError``
with that command. Paths are local, or any fsspec URL (``s3://``, ``gs://``, ``hdfs://``,
``memory://``) with ``storage_options`` for its filesystem.
"""

from __future__ import annotations

import collections
import contextlib
import fnmatch
import functools
import os
import posixpath
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from ._api import _read
from .errors import ClusterError
from .export import batch
from .export.sinks import PARQUET_COLUMNS, REPORT_COLUMNS, arrow_schema, long_records, missing_extra, report_record

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

__all__ = [
    "CELL_COLUMNS",
    "DEFAULT_BLOCKSIZE",
    "DIE_ON_ENV",
    "PARTITION_COLUMNS",
    "PROVINCES",
    "REPORT_TABLE_COLUMNS",
    "WORKER_TIMEOUT",
    "DaskReports",
    "list_paths",
    "local_cluster",
    "province_of",
    "read_dataset",
    "read_reports",
    "require",
    "to_parquet",
]

CELL_COLUMNS = (*PARQUET_COLUMNS, "province")
"""Columns of the cells table: the local Parquet export's, and the organ's province.

``duplicate_of`` is always null here: workers do not see each other's files, so the first file of
a content is not known; group by ``sha256`` (the reports table has it too) to find duplicates.
"""

REPORT_TABLE_COLUMNS = (*REPORT_COLUMNS, "province", "error", "kind")
"""Columns of the reports table: one row per file, read or not."""

PARTITION_COLUMNS = ("by_year", "by_province")
"""Directory keys of the datasets :func:`to_parquet` writes (``by_year=2021/by_province=江苏省/``).

They are strings and never null (``none`` where the report names no year or no province), and they
are extra columns beside ``year`` and ``province``, which keep their types and nulls inside the files:
readers that infer a partition's type from one directory (Dask does) trip over null partitions.
"""

NONE_KEY = "none"

SINGLE_ATTEMPTS = 2
"""Times a file is read alone before its worker's death is put down to it (:func:`to_parquet`)."""

WORKER_TIMEOUT = 60.0
"""Seconds :func:`to_parquet` waits for a worker when its cluster has none before it stops."""

DEFAULT_BLOCKSIZE = 32
"""Files per task: enough to amortise the scheduler's per-task cost, few enough to balance the tail."""

DIE_ON_ENV = "GOVREPORT_DASK_DIE_ON"
"""Test hook: a file name (no folder) on which the per-file step ends its worker process at once.

Read by the client when a job starts and passed to the tasks, so it works on any cluster. Tests use
it to kill a worker mid-run without racing a timer; nothing else should set it.
"""

PROVINCES = (
    *("北京市", "天津市", "上海市", "重庆市"),
    *("河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省"),
    *("山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省"),
    *("甘肃省", "青海省", "台湾省"),
    *("内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区"),
    *("香港特别行政区", "澳门特别行政区"),
)
"""The provincial-level divisions by their full names (省, 自治区, 直辖市, 特别行政区)."""

_SHORT = {"内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区"}
_SHORT |= {"新疆": "新疆维吾尔自治区", "香港": "香港特别行政区", "澳门": "澳门特别行政区"}


def province_of(organ: str | None) -> str | None:
    """The province an organ's name starts with (``江苏省南京市…`` → ``江苏省``), else ``None``.

    Only a name that says it counts: ``鼓楼区人民政府`` gives ``None`` (several provinces have a 鼓楼区),
    and ``吉林市人民政府`` too (a city, not 吉林省). An autonomous region's short name counts when what
    follows is the region's own office (``广西壮族自治区…``, ``广西自治区…``) — not a bare ``广西``,
    which is as often a company's name.
    """
    if not organ:
        return None
    name = organ.strip()
    for full in PROVINCES:
        if name.startswith(full):
            return full
    for short, full in _SHORT.items():
        if name.startswith((short + "自治区", short + "特别行政区")):
            return full
    return None


def require() -> None:
    """Raise ``ImportError`` naming ``pip install 'govreport[dask]'`` unless Dask and distributed import."""
    try:
        import dask
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise ImportError(missing_extra("dask", "dask")) from None


def _is_url(path: str) -> bool:
    return "://" in path


def list_paths(
    paths_or_glob: str | Sequence[str],
    *,
    storage_options: dict[str, Any] | None = None,
    globs: Sequence[str] = batch.DEFAULT_GLOBS,
) -> list[str]:
    """The report files to read, in a deterministic order.

    Local paths expand exactly as ``govreport export`` expands them
    (:func:`~govreport.export.batch.collect_paths`: files, folders searched recursively by ``globs``), so
    both engines name each file alike. A URL is expanded with fsspec: a glob pattern, a folder (searched
    recursively), or one file; each result keeps its protocol (``s3://bucket/…``).
    """
    args = [paths_or_glob] if isinstance(paths_or_glob, str) else list(paths_or_glob)
    out: list[str] = []
    seen: set[str] = set()
    for arg in args:
        found = _expand_url(arg, storage_options or {}, globs) if _is_url(arg) else _expand_local(arg, globs)
        for p in found:
            if p not in seen:
                seen.add(p)
                out.append(p)
    return out


def _named(paths_or_glob: str | Sequence[str], paths: Sequence[str]) -> frozenset[str]:
    """The paths given by name — an argument that lists as itself, not a folder or a pattern — which
    are read even when they do not look like reports, local or URL alike.

    A file found in a folder or by a pattern is sniffed first
    (:func:`~govreport.sources.sniff.not_a_report`) and skipped when its content cannot be a
    report, exactly as ``govreport export`` does.
    """
    args = [paths_or_glob] if isinstance(paths_or_glob, str) else list(paths_or_glob)
    return frozenset(args) & frozenset(paths)


def _expand_local(arg: str, globs: Sequence[str]) -> list[str]:
    if any(c in arg for c in "*?[") and not os.path.exists(arg):
        import glob as globmod

        return sorted(p for p in globmod.glob(arg, recursive=True) if os.path.isfile(p))
    return batch.collect_paths([arg], globs)


def _expand_url(arg: str, storage_options: dict[str, Any], globs: Sequence[str]) -> list[str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise ImportError(missing_extra("fsspec", "dask")) from None
    fs, root = url_to_fs(arg, **storage_options)
    if any(c in root for c in "*?["):
        found = [p for p in fs.glob(root) if fs.isfile(p)]
    elif fs.isdir(root):
        found = [p for p in fs.find(root) if any(fnmatch.fnmatch(posixpath.basename(p), g) for g in globs)]
    else:
        return [arg]  # one file, or a path that does not exist: kept, to be reported
    return sorted(fs.unstrip_protocol(p) for p in found)


def _reader(storage_options: dict[str, Any]) -> Callable[[str], bytes]:
    """Read a URL's bytes with fsspec, with the errors of a local file (``govreport._api._read``)."""
    import fsspec

    opener = functools.partial(fsspec.open, **storage_options)
    return functools.partial(_read, opener=opener)


# ---------------------------------------------------------------------------------------------------
# the per-chunk step (runs on a worker)


def _encode(doc: dict[str, Any]) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """A read file's report row and long-form cell rows, by the local export's own builders."""
    raw = doc.get("path_bytes")
    extra = (doc["sha256"], None, bytes.fromhex(raw) if raw is not None else None)  # sha256, duplicate_of, source_bytes
    return report_record(doc), [(*row, *extra) for row in long_records(doc)]


def _read_chunk(
    paths: Sequence[str],
    parser: str | None,
    storage_options: dict[str, Any] | None,
    die_on: str | None,
    named: frozenset[str] = frozenset(),
) -> tuple[list[batch.Outcome], Any, Any]:
    """Read ``paths``: their outcomes (payload dropped), and the cells and reports as Arrow tables.

    A path not in ``named`` was found by a search: skipped (an outcome, no row) when its content
    cannot be a report, as in the local export.
    """
    import pyarrow as pa

    read = _reader(storage_options or {})
    outcomes: list[batch.Outcome] = []
    cells: list[tuple[Any, ...]] = []
    reports: list[tuple[Any, ...]] = []
    none_report = (None,) * len(REPORT_COLUMNS)
    for path in paths:
        if die_on and posixpath.basename(path.replace("\\", "/")) == die_on:
            os._exit(70)  # the DIE_ON_ENV test hook: a worker dying as a native crash would end it
        o = batch.read_one(path, parser, _encode, read if _is_url(path) else None, sniff=path not in named)
        if o.skipped is not None:
            outcomes.append(o)
            continue
        if o.error is None:
            record, rows = o.payload
            province = province_of(record[1])
            reports.append((*record, province, None, None))
            cells.extend((*row, province) for row in rows)
        else:
            reports.append((*none_report[:5], path, *none_report[6:], None, o.error, o.kind))
        outcomes.append(attrs.evolve(o, payload=None))
    cols = list(zip(*cells, strict=True)) if cells else [()] * len(CELL_COLUMNS)
    rcols = list(zip(*reports, strict=True)) if reports else [()] * len(REPORT_TABLE_COLUMNS)
    cs, rs = cells_schema(pa), reports_schema(pa)
    cell_table = pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(cols, cs, strict=True)], schema=cs)
    report_table = pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(rcols, rs, strict=True)], schema=rs)
    return outcomes, cell_table, report_table


def _dead_chunk(path: str, reason: str) -> tuple[list[batch.Outcome], Any, Any]:
    """What a file that killed its worker on its own gives: a failed outcome and its report row."""
    import pyarrow as pa

    o = batch.Outcome(path, error=reason, kind="WorkerDied")
    row: list[Any] = [None] * len(REPORT_TABLE_COLUMNS)
    row[REPORT_TABLE_COLUMNS.index("path")] = path
    row[-2], row[-1] = reason, "WorkerDied"
    rs = reports_schema(pa)
    reports = pa.Table.from_arrays([pa.array([v], type=f.type) for v, f in zip(row, rs, strict=True)], schema=rs)
    return [o], cells_schema(pa).empty_table(), reports


def cells_schema(pa: Any) -> Any:
    """The Arrow schema of :data:`CELL_COLUMNS` (the local Parquet export's, plus ``province``)."""
    return arrow_schema(pa).append(pa.field("province", pa.string()))


def reports_schema(pa: Any) -> Any:
    """The Arrow schema of :data:`REPORT_TABLE_COLUMNS` (the SQLite ``reports`` table's types)."""
    s, i = pa.string(), pa.int64()
    types = {"year": pa.int32(), "confidence": pa.float64(), "errors": i, "warnings": i, "infos": i}
    return pa.schema([(name, types.get(name, s)) for name in REPORT_TABLE_COLUMNS])


def _frames(chunk: tuple[list[batch.Outcome], Any, Any]) -> tuple[Any, Any]:
    import pandas as pd

    _, cells, reports = chunk
    return cells.to_pandas(types_mapper=pd.ArrowDtype), reports.to_pandas(types_mapper=pd.ArrowDtype)


def _cells_frame(chunk: tuple[list[batch.Outcome], Any, Any]) -> Any:
    return _frames(chunk)[0]


def _reports_frame(chunk: tuple[list[batch.Outcome], Any, Any]) -> Any:
    return _frames(chunk)[1]


# ---------------------------------------------------------------------------------------------------
# lazy frames


class DaskReports(NamedTuple):
    """The two lazy tables of :func:`read_reports`: ``cells, reports = read_reports(...)``."""

    cells: Any
    """``dask.dataframe.DataFrame`` of :data:`CELL_COLUMNS`, one row per table cell of every read report."""
    reports: Any
    """``dask.dataframe.DataFrame`` of :data:`REPORT_TABLE_COLUMNS`, one row per input file."""


def _chunks(paths: Sequence[str], size: int) -> list[Sequence[str]]:
    size = max(1, size)
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def read_reports(
    paths_or_glob: str | Sequence[str],
    *,
    parser: str | None = None,
    storage_options: dict[str, Any] | None = None,
    blocksize: int = DEFAULT_BLOCKSIZE,
    globs: Sequence[str] = batch.DEFAULT_GLOBS,
) -> DaskReports:
    """Lazy Dask DataFrames of the cells and of the reports under ``paths_or_glob``.

    One partition per ``blocksize`` files; each file is read once however many of the two frames are
    computed together (``dask.compute(cells, reports)``). Paths are listed now (on the client), files
    read when the frames are computed, on whatever scheduler is active (a ``distributed.Client``, or
    Dask's local threads). A bad file is a row of ``reports`` with its ``error``, never an exception.

    A worker that dies on a file fails a computation of these lazy frames as it fails any Dask graph;
    :func:`to_parquet` runs the same reading as a job that survives it.
    """
    require()
    import dask
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa

    paths = list_paths(paths_or_glob, storage_options=storage_options, globs=globs)
    named = _named(paths_or_glob, paths)
    die_on = os.environ.get(DIE_ON_ENV) or None
    parts = [
        dask.delayed(_read_chunk, pure=True)(tuple(chunk), parser, storage_options, die_on, named & frozenset(chunk))
        for chunk in _chunks(paths, blocksize)
    ]
    cells_meta = cells_schema(pa).empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    reports_meta = reports_schema(pa).empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    if not parts:
        return DaskReports(dd.from_pandas(cells_meta, npartitions=1), dd.from_pandas(reports_meta, npartitions=1))
    cells = dd.from_delayed([dask.delayed(_cells_frame)(p) for p in parts], meta=cells_meta, verify_meta=False)
    reports = dd.from_delayed([dask.delayed(_reports_frame)(p) for p in parts], meta=reports_meta, verify_meta=False)
    return DaskReports(cells, reports)


# ---------------------------------------------------------------------------------------------------
# the job


def local_cluster(n_workers: int | None = None, **kwargs: Any) -> LocalCluster:
    """A LocalCluster of process workers, one thread each, ``n_workers`` of them (default: the cores).

    Its scheduler marks a task failed the first time its worker dies (``allowed-failures`` 0) and
    gives each worker one task at a time (``worker-saturation`` 1.0), so a file that kills its worker
    costs one retry of its chunk, file by file, and condemns no file that merely shared the worker.
    """
    require()
    import dask
    from distributed import LocalCluster

    config = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}
    options: dict[str, Any] = {
        "n_workers": n_workers or batch.default_jobs(),
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": ":0",  # never the fixed 8787: other clusters may share the machine
    }
    options.update(kwargs)
    with dask.config.set(config):
        return LocalCluster(**options)


def to_parquet(
    paths_or_glob: str | Sequence[str],
    out: str,
    *,
    parser: str | None = None,
    storage_options: dict[str, Any] | None = None,
    out_storage_options: dict[str, Any] | None = None,
    client: Client | None = None,
    blocksize: int | None = None,
    globs: Sequence[str] = batch.DEFAULT_GLOBS,
    progress: batch.Progress | None = None,
    worker_timeout: float = WORKER_TIMEOUT,
) -> batch.Summary:
    """Read every file under ``paths_or_glob`` on a Dask cluster and write ``out/cells`` and ``out/reports``.

    Both are Parquet datasets partitioned ``by_year=…/by_province=…/`` (:data:`PARTITION_COLUMNS`), one
    file per chunk of inputs in each partition it touches, written by the worker that read the chunk:
    nothing but each file's summary line travels back to the client. ``out`` is a local folder or an
    fsspec URL (``out_storage_options`` for its filesystem).

    ``client``: a ``distributed.Client``; default the current one (``distributed.get_client()``).
    Returns the same :class:`~govreport.export.batch.Summary` as the local export (``progress`` is
    updated as chunks finish). A file that kills its worker is read again alone; if it kills that
    worker too it is a failure of kind ``WorkerDied``, and every other file is still read.

    A cluster with no worker never hangs the job: when it has none at the start, or has had none for
    ``worker_timeout`` seconds at any time (every worker dead, none restarted), the job stops with
    :class:`~govreport.errors.ClusterError`, which names the files not read and carries the summary
    of those that were (already written).
    """
    require()
    from distributed import as_completed, get_client

    client = client or get_client()
    paths = list_paths(paths_or_glob, storage_options=storage_options, globs=globs)
    named = _named(paths_or_glob, paths)
    if blocksize is None:
        workers = max(1, sum(client.nthreads().values()))
        blocksize = max(1, min(DEFAULT_BLOCKSIZE, len(paths) // (workers * 4) or 1))
    die_on = os.environ.get(DIE_ON_ENV) or None
    order = {p: i for i, p in enumerate(paths)}
    summary = batch.Summary()

    t0 = time.monotonic()
    root = out.rstrip("/")
    _makedirs(root, out_storage_options or {})
    jobs: dict[Any, tuple[str, Sequence[str], int]] = {}
    # files of a task whose worker died, each to be read alone, one at a time: a worker's death then
    # names its file, and cannot take another suspect with it
    suspects: collections.deque[tuple[str, str, int]] = collections.deque()
    suspect_running = False

    def submit(name: str, chunk: Sequence[str], attempt: int = 0) -> Any:
        fut = client.submit(
            _write_chunk, tuple(chunk), name, root, parser, storage_options, out_storage_options, die_on,
            named & frozenset(chunk),
            key=f"govreport-{name}-{_token(root, chunk)}-{attempt}", retries=0, pure=False,
        )  # fmt: skip
        jobs[fut] = (name, chunk, attempt)
        return fut

    def next_suspect() -> None:
        nonlocal suspect_running
        if suspects and not suspect_running and not watchdog.fired:
            # a suspect that kills a worker still starting up after the last death can leave the
            # cluster without it (seen with LocalCluster's nannies): wait until the workers are back
            _wait_for_workers(client, expected, worker_timeout)
            name, path, attempt = suspects.popleft()
            done.add(submit(name, [path], attempt))
            suspect_running = True

    expected = _workers(client)
    if expected == 0 and paths:
        _wait_for_workers(client, 1, worker_timeout)
        expected = _workers(client)
        if expected == 0:
            raise ClusterError(
                f"the Dask cluster ({_address(client)}) has no worker: waited {worker_timeout:g} s for one; start "
                "workers (`dask worker <scheduler address>`) or give a cluster that has them. Nothing was read.",
                not_read=paths,
            )
    futures = [submit(f"{n:06d}", chunk) for n, chunk in enumerate(_chunks(paths, blocksize))]
    # results fetched by the client's loop as each task ends, never by this thread: a result held on
    # a worker that dies first would be computed again, and with no worker left, waited for for ever
    # (the watchdog cancels a task still in ``jobs``, which its fetch is part of)
    done = as_completed(futures, with_results=True, raise_errors=False)
    watchdog = _Watchdog(client, worker_timeout, lambda: client.cancel(list(jobs)))
    watchdog.start()
    not_read: list[str] = []
    try:
        for fut, result in done:
            name, chunk, attempt = jobs.pop(fut)
            suspect = "." in name
            # the worker died (KilledWorker), writing failed, or the watchdog cancelled the task
            error = _error_of(result)
            fut.release()
            if suspect:
                suspect_running = False
            if watchdog.fired and error is not None:
                _remove_parts(root, name, out_storage_options or {})
                not_read.extend(chunk)  # cancelled: no worker left to read it
                continue
            if error is not None:
                _remove_parts(root, name, out_storage_options or {})  # nothing of the task is kept
                if not suspect:
                    suspects.extend((f"{name}.{i:03d}", path, 0) for i, path in enumerate(chunk))
                elif attempt + 1 < SINGLE_ATTEMPTS:
                    suspects.append((name, chunk[0], attempt + 1))
                else:
                    result = _dead(chunk[0], error, root, out_storage_options)
                    error = None
            next_suspect()
            if error is not None:
                continue
            for o in result:
                summary.add(o)
            if progress is not None:
                progress.update(summary)
    except KeyboardInterrupt:
        summary.interrupted = True
        for fut in list(jobs):
            fut.cancel()
    finally:
        watchdog.stop()
        summary.seconds = time.monotonic() - t0
        if progress is not None:
            progress.close()
    summary.failures.sort(key=lambda f: order.get(f[0], len(order)))
    if watchdog.fired:
        not_read.extend(path for _, path, _ in suspects)  # held back by next_suspect: no worker to read them
    if not_read:
        not_read.sort(key=lambda p: order.get(p, len(order)))
        raise ClusterError(
            f"the Dask cluster ({_address(client)}) has had no worker for {worker_timeout:g} s: stopped with "
            f"{len(not_read):,} of {len(paths):,} files not read ({summary.total:,} read and written). Start workers "
            "or restart the cluster, and export the files not read (ClusterError.not_read) again.",
            summary=summary,
            not_read=not_read,
        )
    return summary


def _workers(client: Any) -> int:
    return len(client.scheduler_info().get("workers", {}))


def _address(client: Any) -> str:
    return str(getattr(client.scheduler, "address", None) or "scheduler")


def _wait_for_workers(client: Any, n: int, timeout: float = WORKER_TIMEOUT) -> None:
    """Until ``n`` workers are up again, or ``timeout`` has passed (a cluster may shrink on purpose)."""
    if n < 1:
        return
    with contextlib.suppress(TimeoutError, OSError):
        client.wait_for_workers(n, timeout=timeout)


class _Watchdog:
    """Calls ``fire`` from its own thread once the cluster has had no worker for ``timeout`` s, and at
    every tick after that until stopped.

    Tasks wait for a worker as long as there is none; a job whose every worker died with none to
    replace them would wait for ever. The scheduler is asked for its workers a few times a
    ``timeout`` (at most once a second); a worker that comes back in time resets the count.
    """

    def __init__(self, client: Any, timeout: float, fire: Callable[[], object]) -> None:
        self._client = client
        self._timeout = timeout
        self._fire = fire
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="govreport-dask-watchdog", daemon=True)
        self.fired = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        idle_since: float | None = None
        while not self._stopped.wait(min(1.0, self._timeout / 4)):
            try:
                workers = _workers(self._client)
            except Exception:  # the scheduler is out of reach: the tasks' own futures say so
                continue
            now = time.monotonic()
            if workers:
                idle_since = None
            elif idle_since is None:
                idle_since = now
            elif now - idle_since >= self._timeout:
                self.fired = True
            if self.fired:  # again at every tick: a task submitted meanwhile is cancelled too
                with contextlib.suppress(Exception):
                    self._fire()


def _error_of(result: Any) -> BaseException | None:
    """The exception of a task ``as_completed(raise_errors=False)`` handed back, if it failed.

    distributed gives a failed task's result as ``(type, exception, traceback)``; ours are lists.
    """
    if isinstance(result, BaseException):
        return result
    if isinstance(result, tuple) and len(result) == 3 and isinstance(result[1], BaseException):
        return result[1]
    return None


def _token(root: str, chunk: Sequence[str]) -> str:
    import hashlib

    h = hashlib.sha1(root.encode("utf-8", "surrogateescape"))
    for p in chunk:
        h.update(b"\0" + p.encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]


def _dead(path: str, err: BaseException, root: str, so: dict[str, Any] | None) -> list[batch.Outcome]:
    """The failed outcome of a file whose worker died reading it alone; its report row written too.

    Written by the client, not a task: a task could land beside another file that kills its worker.
    """
    what = "the worker process died" if type(err).__name__ == "KilledWorker" else f"{type(err).__name__}: {err}"
    return _write_dead(path, f"{what} reading this file, {SINGLE_ATTEMPTS} times alone", root, so)


def _write_dead(path: str, reason: str, root: str, so: dict[str, Any] | None) -> list[batch.Outcome]:
    outcomes, cells, reports = _dead_chunk(path, reason)
    _write_tables(root, f"dead-{_token(root, [path])}", cells, reports, so or {})
    return outcomes


def _write_chunk(
    paths: Sequence[str],
    name: str,
    root: str,
    parser: str | None,
    storage_options: dict[str, Any] | None,
    out_storage_options: dict[str, Any] | None,
    die_on: str | None,
    named: frozenset[str] = frozenset(),
) -> list[batch.Outcome]:
    outcomes, cells, reports = _read_chunk(paths, parser, storage_options, die_on, named)
    _write_tables(root, name, cells, reports, out_storage_options or {})
    return outcomes


def _keys(pa: Any, pc: Any, table: Any) -> Any:
    year = pc.fill_null(pc.cast(table.column("year"), pa.string()), NONE_KEY)
    province = pc.fill_null(table.column("province"), NONE_KEY)
    return table.append_column("by_year", year).append_column("by_province", province)


def _write_tables(root: str, name: str, cells: Any, reports: Any, so: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    fs, base = _fs(root, so)
    for sub, table in (("cells", cells), ("reports", reports)):
        if table.num_rows == 0:
            continue
        pq.write_to_dataset(
            _keys(pa, pc, table),
            posixpath.join(base, sub) if fs is not None else os.path.join(base, sub),
            partition_cols=list(PARTITION_COLUMNS),
            filesystem=fs,
            basename_template=f"part-{name}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )


def _fs(root: str, so: dict[str, Any]) -> tuple[Any, str]:
    """``(pyarrow filesystem or None for local, path inside it)``."""
    if not _is_url(root):
        return None, root
    from fsspec.core import url_to_fs
    from pyarrow.fs import FSSpecHandler, PyFileSystem

    fs, base = url_to_fs(root, **so)
    return PyFileSystem(FSSpecHandler(fs)), base


def _makedirs(root: str, so: dict[str, Any]) -> None:
    if _is_url(root):
        from fsspec.core import url_to_fs

        fs, base = url_to_fs(root, **so)
        fs.makedirs(base, exist_ok=True)
    else:
        os.makedirs(root, exist_ok=True)


def _remove_parts(root: str, name: str, so: dict[str, Any]) -> None:
    """Drop what a chunk wrote before its worker died (its files are re-read one by one)."""
    pattern = f"*/*/*/part-{name}-*.parquet"
    if _is_url(root):
        from fsspec.core import url_to_fs

        fs, base = url_to_fs(root, **so)
        for p in fs.glob(posixpath.join(base, pattern)):
            fs.rm(p)
    else:
        import glob as globmod

        for p in globmod.glob(os.path.join(root, pattern)):
            os.remove(p)


def read_dataset(out: str, table: str = "cells", *, storage_options: dict[str, Any] | None = None) -> Any:
    """A table :func:`to_parquet` wrote, as a lazy Dask DataFrame (the partition keys included)."""
    require()
    import dask.dataframe as dd

    return dd.read_parquet(posixpath.join(out.rstrip("/"), table), storage_options=storage_options)
