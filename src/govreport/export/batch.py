"""Read many report files in parallel and stream them into a sink, in input order.

Memory stays flat however many files: paths go to worker processes in small chunks, at most a few
chunks are in flight at once, and each finished report is written and dropped before the next is
taken (the parent keeps one hash and one name per distinct content, to link duplicates). A file
that cannot be read becomes an :class:`Outcome` with ``error`` set; it never stops the batch.

The unit of work is :func:`export_one`: a pure function of one file (its name and bytes) that any
engine can map over paths — the process pool here, or a cluster — before handing the outcomes, in
order, to :func:`write_outcomes`.

Nothing is lost and nothing is torn:

- any name the OS gives is read (``str`` with ``surrogateescape`` escapes for bytes that are not
  UTF-8); outputs get :func:`display_path` (valid UTF-8, bad bytes as ``\\xNN``) plus the raw bytes
  where the format can hold them (:func:`path_bytes`);
- duplicates (the same bytes under several names) are counted and linked, never dropped;
- Ctrl-C is handled at safe points: at once while waiting for or reading a file, after the current
  step while a report is written, a batch committed, an index built or the file closed. The sink
  is then closed normally, so what the summary says was saved is what the file holds.
"""

from __future__ import annotations

import collections
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import FrameType
from typing import IO, Any

import attrs

from .._api import _read, loads
from ..errors import GovReportError
from ..sources.sniff import not_a_report
from .convert import to_dict
from .sinks import FileRef, Saved, Sink, display_path, path_bytes

__all__ = [
    "DEFAULT_GLOBS",
    "INTERRUPT_ENV",
    "STAGES",
    "Input",
    "Outcome",
    "Progress",
    "Summary",
    "collect_inputs",
    "collect_paths",
    "default_jobs",
    "display_path",
    "export_one",
    "iter_outcomes",
    "path_bytes",
    "run",
    "write_outcomes",
]

DEFAULT_GLOBS = ("*",)
"""Every file under a folder; its content decides (:func:`~govreport.sources.sniff.not_a_report`)."""

INTERRUPT_ENV = "GOVREPORT_INTERRUPT_AT"
"""Test hook: ``stage:N`` sends this process SIGINT the N-th time the batch reaches ``stage``.

Tests interrupt an export at a point they choose instead of racing a timer against the machine's
speed. The signal is real (``signal.raise_signal``), so the same handler runs as for a Ctrl-C.
See :data:`STAGES`; ``N`` defaults to 1.
"""

STAGES = {
    "read": "about to take the next file's outcome (reading it, or waiting for a worker)",
    "write": "a report or failure was just handed to the sink",
    "commit": "the sink is about to commit a batch (SQLite) or flush one (JSONL, CSV, a Parquet row group)",
    "index": "the SQLite sink is about to build its cell index (a fresh export, at the end)",
    "close": "the sink is about to finish the file",
}
"""Where :data:`INTERRUPT_ENV` can interrupt, and what is happening there."""


def default_jobs() -> int:
    """The CPUs this process may use (the affinity mask, not the machine's total, where known)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@attrs.frozen
class Input:
    """A path to read; ``found`` when a folder search gave it (then its content must look like a report)."""

    path: str
    found: bool = False


def collect_inputs(
    args: Sequence[str],
    globs: Sequence[str] = DEFAULT_GLOBS,
    stdin: IO[str] | IO[bytes] | None = None,
    *,
    exclude: Iterable[str | Path] = (),
) -> list[Input]:
    """Expand files, folders (recursive, by ``globs``) and ``-`` (paths on stdin, one per line).

    Order is deterministic: arguments as given, each folder's matches sorted. A named path that
    does not exist is kept, so that it is reported as a failure rather than silently skipped. A
    folder search skips hidden files and folders (a leading ``.``) and ``exclude`` (the output
    file, with its ``-journal``/``-wal`` companions). Names read from stdin as bytes are decoded
    as the OS decodes names (``os.fsdecode``), so a GBK name arrives intact.
    """
    out: list[Input] = []
    seen: set[str] = set()
    skip = [os.path.realpath(p) for p in exclude]

    def excluded(p: Path) -> bool:
        real = os.path.realpath(p)
        return any(real == s or real.startswith(s + "-") for s in skip)

    def add(p: str, found: bool) -> None:
        if p not in seen:
            seen.add(p)
            out.append(Input(p, found))

    def expand(arg: str) -> None:
        path = Path(arg)
        if path.is_dir():
            found: set[str] = set()
            for g in globs:
                for f in path.rglob(g):
                    rel = f.relative_to(path).parts
                    if any(part.startswith(".") for part in rel) or not f.is_file() or excluded(f):
                        continue
                    found.add(str(f))
            for name in sorted(found):
                add(name, True)
        else:
            add(arg, False)

    for arg in args:
        if arg == "-":
            stream: Any = stdin if stdin is not None else sys.stdin.buffer
            for line in stream:
                name = os.fsdecode(line) if isinstance(line, bytes) else line
                name = name.rstrip("\r\n")
                if name.strip():
                    expand(name)
        else:
            expand(arg)
    return out


def collect_paths(args: Sequence[str], globs: Sequence[str] = DEFAULT_GLOBS, stdin: IO[str] | None = None) -> list[str]:
    """The paths of :func:`collect_inputs` (without the found-in-a-folder mark)."""
    return [i.path for i in collect_inputs(args, globs, stdin)]


@attrs.frozen
class Outcome:
    """What one file gave: the sink's payload, or why it failed or was skipped, plus what the summary counts."""

    path: str
    """The name as the OS gave it (may hold ``surrogateescape`` escapes); see :attr:`name`."""
    payload: Any = None
    error: str | None = None
    kind: str | None = None
    layout: str | None = None
    template: str | None = None
    rules: tuple[tuple[str, str], ...] = ()
    """``(code, severity)`` of every diagnostic."""
    sha256: str | None = None
    """SHA-256 of the file's bytes (``None`` when it could not be read at all)."""
    skipped: str | None = None
    """Why a file found in a folder was not read as a report (it cannot be one)."""

    @property
    def errors(self) -> int:
        return sum(1 for _, sev in self.rules if sev == "error")

    @property
    def name(self) -> str:
        """:func:`display_path` of :attr:`path`: valid UTF-8 everywhere."""
        return display_path(self.path)


def _identity(doc: dict[str, Any]) -> Any:
    return doc


def export_one(
    path: str,
    *,
    parser: str | None = None,
    encode: Callable[[dict[str, Any]], Any] = _identity,
    sniff: bool = False,
    read: Callable[[str], bytes] | None = None,
) -> Outcome:
    """Read one file into an :class:`Outcome`: a pure function of the file's name and bytes.

    The one per-file step of every engine (this module's processes, :mod:`govreport.dask`'s
    workers), so a file gives the same rows whichever ran it. ``read`` fetches the bytes of a path
    that is not a local file (an fsspec URL; it raises :class:`~govreport.InputError`); without it
    the file is read from disk.

    ``encode`` turns the export dict (:func:`govreport.to_dict`, with ``path`` replaced by its
    :func:`display_path` and ``path_bytes`` — the raw name as hex, or ``None`` when it is UTF-8 —
    and ``duplicate_of`` set to ``None``) into the sink's payload (``Sink.encode``); by default the
    dict itself. ``sniff``: the file was found in a folder, so one that cannot be a report (by
    content: :func:`~govreport.sources.sniff.not_a_report`) is skipped, not failed. Never raises
    for a bad file: every exception becomes a failed outcome.
    """
    try:
        data = _read(path) if read is None else read(path)
    except GovReportError as e:
        return Outcome(path, error=_reason(str(e), path), kind=type(e).__name__)
    sha = hashlib.sha256(data).hexdigest()
    try:
        if sniff:
            reason = not_a_report(data)
            if reason is not None:
                return Outcome(path, skipped=reason, sha256=sha)
        doc = to_dict(loads(data, parser=parser, path=path))
        doc["path"] = display_path(path)
        raw = path_bytes(path)
        doc["path_bytes"] = raw.hex() if raw is not None else None
        doc["duplicate_of"] = None  # the last key: the parent links a duplicate (see JsonlSink)
        payload = encode(doc)
    except GovReportError as e:
        return Outcome(path, error=_reason(str(e), path), kind=type(e).__name__, sha256=sha)
    except Exception as e:  # a bug on one odd file must not cost the rest of the batch
        detail = f"internal error: {type(e).__name__}: {_first_line(str(e))}"
        return Outcome(path, error=detail, kind="InternalError", sha256=sha)
    rules = tuple((d["code"], d["severity"]) for d in doc["diagnostics"])
    return Outcome(path, payload, layout=doc["layout"], template=doc["template"], rules=rules, sha256=sha)


def read_one(
    path: str,
    parser: str | None,
    encode: Callable[[dict[str, Any]], Any],
    read: Callable[[str], bytes] | None = None,
    *,
    sniff: bool = False,
) -> Outcome:
    """:func:`export_one` with positional arguments (the form :mod:`govreport.dask` maps over chunks)."""
    return export_one(path, parser=parser, encode=encode, sniff=sniff, read=read)


def _first_line(message: str) -> str:
    # NoParserMatched carries a caret context over several lines; the summary wants one
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def _reason(message: str, path: str) -> str:
    """One short line: the summary already names the file, and ``explain`` gives the long story."""
    line = _first_line(message)
    if line.startswith(path + ":"):
        line = line[len(path) + 1 :].lstrip(" 0123456789:")
    line = line.split(" Tried: ", 1)[0]
    line = display_path(line)  # a message quoting a surrogate-escaped name stays printable and storable
    return line if len(line) <= 240 else line[:239] + "…"


def _read_chunk(items: Sequence[Input], parser: str | None, encode: Callable[[dict[str, Any]], Any]) -> list[Outcome]:
    return [export_one(i.path, parser=parser, encode=encode, sniff=i.found) for i in items]


def _ignore_sigint() -> None:
    # Ctrl-C is the parent's to handle: it stops feeding work and closes the sink cleanly
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(items: Sequence[Input], size: int) -> Iterator[Sequence[Input]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _as_inputs(paths: Sequence[str | Input]) -> list[Input]:
    return [p if isinstance(p, Input) else Input(p) for p in paths]


def iter_outcomes(
    paths: Sequence[str | Input],
    encode: Callable[[dict[str, Any]], Any] = _identity,
    *,
    parser: str | None = None,
    jobs: int = 1,
    started: Callable[[], object] | None = None,
) -> Generator[Outcome, None, None]:
    """Every path's :class:`Outcome`, in input order, read by ``jobs`` processes.

    ``started`` is called once the workers have their first files (with one job: before the first
    file), for the writer's own set-up to overlap their reading (:meth:`~.sinks.Sink.warm`).
    """
    items = _as_inputs(paths)
    jobs = max(1, min(jobs, len(items)))
    if jobs == 1:
        if started is not None and items:
            started()
        for i in items:
            yield export_one(i.path, parser=parser, encode=encode, sniff=i.found)
        return
    # small chunks amortise the inter-process round trip without making the tail uneven
    size = max(1, min(8, len(items) // (jobs * 8)))
    window = jobs * 4
    pending: collections.deque[Future[list[Outcome]]] = collections.deque()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
    try:
        for chunk in _chunks(items, size):
            pending.append(pool.submit(_read_chunk, chunk, parser, encode))
            if len(pending) >= window:
                if started is not None:
                    # the workers (forked at the first submit) are busy with a window of files
                    started()
                    started = None
                yield from pending.popleft().result()
        if started is not None:
            started()  # fewer chunks than a window
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


@attrs.define
class Summary:
    """Counts for the end-of-run report on stderr."""

    total: int = 0
    """Files read (reports and failures; skipped files not included)."""
    ok: int = 0
    """Files read into a report, duplicates included."""
    duplicates: int = 0
    """Reports whose bytes an earlier file of this run had (``ok - duplicates`` distinct reports)."""
    with_errors: int = 0
    layouts: collections.Counter[str] = attrs.Factory(collections.Counter)
    templates: collections.Counter[str] = attrs.Factory(collections.Counter)
    rules: collections.Counter[tuple[str, str]] = attrs.Factory(collections.Counter)
    failures: list[tuple[str, str]] = attrs.Factory(list)
    skipped: list[tuple[str, str]] = attrs.Factory(list)
    seconds: float = 0.0
    interrupted: bool = False
    saved: Saved | None = None
    """What the sink holds from this run once it is closed (``None`` before)."""
    output: str | None = None

    @property
    def distinct(self) -> int:
        return self.ok - self.duplicates

    def add(self, o: Outcome, *, duplicate: bool = False) -> None:
        if o.skipped is not None:
            self.skipped.append((o.name, o.skipped))
            return
        self.total += 1
        if o.error is not None:
            self.failures.append((o.name, o.error))
            return
        self.ok += 1
        self.duplicates += duplicate
        self.layouts[o.layout or "?"] += 1
        self.templates[o.template or "?"] += 1
        self.rules.update(o.rules)
        if o.errors:
            self.with_errors += 1

    def exit_code(self) -> int:
        """2 if any file failed, else 1 if any report has error diagnostics, else 0 (skipped files do not count)."""
        if self.failures:
            return 2
        return 1 if self.with_errors else 0

    def headline(self) -> str:
        """The one line: files, reports (distinct, duplicates), failed, skipped, and what was saved."""
        rate = self.total / self.seconds if self.seconds > 0 else 0.0
        line = (
            f"{'interrupted after' if self.interrupted else 'read'} {self.total} files in {self.seconds:.1f} s"
            f" ({rate:.1f} files/s): {self.ok} reports ({self.distinct} distinct, {self.duplicates} duplicates),"
            f" {len(self.failures)} failed, {self.with_errors} with error diagnostics"
        )
        if self.skipped:
            line += f"; {len(self.skipped)} skipped (not reports)"
        if self.saved is not None:
            line += f"; saved{' to ' + self.output if self.output else ''}: {self.saved.describe()}"
        return line

    def render(self) -> str:
        if self.interrupted:
            return self.headline()
        lines = [self.headline()]
        if self.layouts:
            lines.append("by layout:   " + ", ".join(f"{k} {n}" for k, n in sorted(self.layouts.items())))
            lines.append("by template: " + ", ".join(f"{k} {n}" for k, n in sorted(self.templates.items())))
        if self.rules:
            lines.append("diagnostics by rule:")
            for (code, sev), n in sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {n:6d}  {sev:<7} {code}")
        if self.failures:
            lines.append("failed files:")
            lines.extend(f"  {path}: {reason}" for path, reason in self.failures)
        if self.skipped:
            lines.append("skipped files (not reports):")
            by_reason: dict[str, list[str]] = {}
            for path, reason in self.skipped:
                by_reason.setdefault(reason, []).append(path)
            for reason, names in by_reason.items():
                lines.extend(f"  {path}: {reason}" for path in names)
        return "\n".join(lines)


class Progress:
    """A one-line progress bar on a terminal; does nothing otherwise."""

    def __init__(self, total: int, stream: IO[str], enabled: bool) -> None:
        self.total, self.stream, self.enabled = total, stream, enabled
        self.start = time.monotonic()
        self._last = 0.0

    def update(self, s: Summary, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        elapsed = max(now - self.start, 1e-9)
        width = 30
        done = s.total + len(s.skipped)
        filled = int(width * done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[{bar}] {done}/{self.total} files  {done / elapsed:.1f}/s  {len(s.failures)} failed ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


class _Interrupts:
    """SIGINT for one run: raised at once where nothing is half-written, else at the next safe point.

    Also the :data:`INTERRUPT_ENV` hook: :meth:`reached` counts stages and raises the signal at the
    one named there.
    """

    def __init__(self, spec: str) -> None:
        stage, _, count = spec.partition(":")
        self.stage = stage.strip()
        self.at = int(count) if count.strip().isdigit() else 1
        self.seen = 0
        self.requested = False
        self.safe = False
        self._previous: Any = None
        self._installed = False

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
            self._installed = True

    def restore(self) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
        if self.safe:
            raise KeyboardInterrupt

    def reached(self, stage: str) -> None:
        if stage != self.stage:
            return
        self.seen += 1
        if self.seen != self.at:
            return
        if self._installed:
            signal.raise_signal(signal.SIGINT)
        else:  # not the main thread: no handler of ours, the same effect by hand
            self._handler(signal.SIGINT, None)

    def check(self) -> None:
        if self.requested:
            raise KeyboardInterrupt


def write_outcomes(
    outcomes: Iterable[Outcome],
    sink: Sink,
    *,
    progress: Progress | None = None,
    output: str | None = None,
) -> Summary:
    """Write ``outcomes`` (in order) into ``sink`` and close it; Ctrl-C ends the run cleanly.

    Duplicates are linked here: a report whose bytes an earlier file of the run had is written with
    ``duplicate_of`` naming that file. ``KeyboardInterrupt`` (at a safe point, see the module
    docstring) stops taking outcomes, the sink is closed as at a normal end, and the summary comes
    back with ``interrupted`` set and ``saved`` saying what the file holds.
    """
    summary = Summary(output=output)
    t0 = time.monotonic()
    intr = _Interrupts(os.environ.get(INTERRUPT_ENV, "").strip())
    sink.checkpoint = intr.reached
    first: dict[str, str] = {}  # sha256 -> the first name with it in this run
    it = iter(outcomes)
    intr.install()
    try:
        try:
            while True:
                intr.safe = True
                try:
                    intr.check()
                    intr.reached("read")
                    o = next(it, None)
                finally:
                    intr.safe = False
                if o is None:
                    break
                ref = FileRef(o.name, path_bytes(o.path), o.sha256)
                if o.skipped is not None:
                    summary.add(o)
                elif o.error is None:
                    dup = first.get(o.sha256) if o.sha256 is not None else None
                    if dup is None and o.sha256 is not None:
                        first[o.sha256] = o.name
                    sink.write(o.payload, attrs.evolve(ref, duplicate_of=dup))
                    summary.add(o, duplicate=dup is not None)
                else:
                    sink.failure(ref, o.kind or "error", o.error)
                    summary.add(o)
                intr.reached("write")
                if progress is not None:
                    progress.update(summary)
        except KeyboardInterrupt:
            intr.requested = True
        finally:
            close = getattr(it, "close", None)
            if callable(close):
                close()  # shuts the worker pool down now, not whenever the generator is collected
        # a normal close either way: every report handed to the sink is whole, so all of it is kept
        sink.close()
        summary.saved = sink.saved
    finally:
        intr.restore()
        summary.interrupted = intr.requested
        summary.seconds = time.monotonic() - t0
        if progress is not None:
            progress.close()
    return summary


def run(
    paths: Sequence[str | Input],
    sink: Sink,
    *,
    parser: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    output: str | None = None,
) -> Summary:
    """Read ``paths`` with ``jobs`` processes and write each into ``sink``; the sink is closed either way.

    ``KeyboardInterrupt`` is caught: the summary comes back with ``interrupted`` set, and the sink
    keeps every report completed before it (see :func:`write_outcomes`).
    """
    return write_outcomes(
        iter_outcomes(paths, sink.encode, parser=parser, jobs=jobs, started=sink.warm),
        sink,
        progress=progress,
        output=output,
    )
