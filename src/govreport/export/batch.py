"""Read many report files in parallel and stream them into a sink, in input order.

Memory stays flat however many files: paths go to worker processes in small chunks, at most a few
chunks are in flight at once, and each finished report is written and dropped before the next is
taken. A file that cannot be read becomes a :class:`Outcome` with ``error`` set; it never stops the
batch.
"""

from __future__ import annotations

import collections
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any

import attrs

from .._api import load
from ..errors import GovReportError
from .convert import to_dict
from .sinks import Sink

__all__ = ["DEFAULT_GLOBS", "Outcome", "Progress", "Summary", "collect_paths", "default_jobs", "run"]

DEFAULT_GLOBS = ("*.txt", "*.md")

INTERRUPT_ENV = "GOVREPORT_INTERRUPT_AT"
"""Test hook: ``stage:N`` sends this process SIGINT the N-th time the batch reaches ``stage``.

Tests interrupt an export at a point they choose instead of racing a timer against the machine's
speed. The signal is real (``signal.raise_signal``), so the same handler runs as for a Ctrl-C.
Stages: ``write`` (a report was just handed to the sink).
"""


class _Checkpoints:
    """Counts how often each stage is reached and raises SIGINT at the one ``INTERRUPT_ENV`` names."""

    def __init__(self, spec: str) -> None:
        stage, _, count = spec.partition(":")
        self.stage = stage.strip()
        self.at = int(count) if count.strip().isdigit() else 1
        self.seen = 0

    def reached(self, stage: str) -> None:
        if stage == self.stage:
            self.seen += 1
            if self.seen == self.at:
                signal.raise_signal(signal.SIGINT)


def _checkpoints() -> _Checkpoints | None:
    spec = os.environ.get(INTERRUPT_ENV, "").strip()
    return _Checkpoints(spec) if spec else None


def default_jobs() -> int:
    """The CPUs this process may use (the affinity mask, not the machine's total, where known)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def collect_paths(args: Sequence[str], globs: Sequence[str] = DEFAULT_GLOBS, stdin: IO[str] | None = None) -> list[str]:
    """Expand files, folders (recursive, by ``globs``) and ``-`` (paths on stdin, one per line).

    Order is deterministic: arguments as given, each folder's matches sorted. A path that does not
    exist is kept, so that it is reported as a failure rather than silently skipped.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        if p not in seen:
            seen.add(p)
            out.append(p)

    def expand(arg: str) -> None:
        path = Path(arg)
        if path.is_dir():
            found = {str(f) for g in globs for f in path.rglob(g) if f.is_file()}
            for f in sorted(found):
                add(f)
        else:
            add(arg)

    for arg in args:
        if arg == "-":
            for line in stdin if stdin is not None else sys.stdin:
                name = line.rstrip("\r\n")
                if name.strip():
                    expand(name)
        else:
            expand(arg)
    return out


@attrs.frozen
class Outcome:
    """What one file gave: the sink's payload, or why it failed, plus what the summary counts."""

    path: str
    payload: Any = None
    error: str | None = None
    kind: str | None = None
    layout: str | None = None
    template: str | None = None
    rules: tuple[tuple[str, str], ...] = ()
    """``(code, severity)`` of every diagnostic."""

    @property
    def errors(self) -> int:
        return sum(1 for _, sev in self.rules if sev == "error")


def read_one(path: str, parser: str | None, encode: Callable[[dict[str, Any]], Any]) -> Outcome:
    """Load and encode one file; every exception becomes a failed :class:`Outcome`."""
    try:
        doc = to_dict(load(path, parser=parser))
        payload = encode(doc)
    except GovReportError as e:
        return Outcome(path, error=_reason(str(e), path), kind=type(e).__name__)
    except Exception as e:  # a bug on one odd file must not cost the rest of the batch
        return Outcome(path, error=f"internal error: {type(e).__name__}: {_first_line(str(e))}", kind="InternalError")
    rules = tuple((d["code"], d["severity"]) for d in doc["diagnostics"])
    return Outcome(path, payload, layout=doc["layout"], template=doc["template"], rules=rules)


def _first_line(message: str) -> str:
    # NoParserMatched carries a caret context over several lines; the summary wants one
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def _reason(message: str, path: str) -> str:
    """One short line: the summary already names the file, and ``explain`` gives the long story."""
    line = _first_line(message)
    if line.startswith(path + ":"):
        line = line[len(path) + 1 :].lstrip(" 0123456789:")
    line = line.split(" Tried: ", 1)[0]
    return line if len(line) <= 240 else line[:239] + "…"


def _read_chunk(paths: Sequence[str], parser: str | None, encode: Callable[[dict[str, Any]], Any]) -> list[Outcome]:
    return [read_one(p, parser, encode) for p in paths]


def _ignore_sigint() -> None:
    # Ctrl-C is the parent's to handle: it stops feeding work and closes the sink cleanly
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def iter_outcomes(
    paths: Sequence[str], encode: Callable[[dict[str, Any]], Any], *, parser: str | None = None, jobs: int = 1
) -> Generator[Outcome, None, None]:
    """Every path's :class:`Outcome`, in input order, read by ``jobs`` processes."""
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        for p in paths:
            yield read_one(p, parser, encode)
        return
    # small chunks amortise the inter-process round trip without making the tail uneven
    size = max(1, min(8, len(paths) // (jobs * 8)))
    window = jobs * 4
    pending: collections.deque[Future[list[Outcome]]] = collections.deque()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
    try:
        for chunk in _chunks(paths, size):
            pending.append(pool.submit(_read_chunk, chunk, parser, encode))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


@attrs.define
class Summary:
    """Counts for the end-of-run report on stderr."""

    total: int = 0
    ok: int = 0
    with_errors: int = 0
    layouts: collections.Counter[str] = attrs.Factory(collections.Counter)
    templates: collections.Counter[str] = attrs.Factory(collections.Counter)
    rules: collections.Counter[tuple[str, str]] = attrs.Factory(collections.Counter)
    failures: list[tuple[str, str]] = attrs.Factory(list)
    seconds: float = 0.0
    interrupted: bool = False

    def add(self, o: Outcome) -> None:
        self.total += 1
        if o.error is not None:
            self.failures.append((o.path, o.error))
            return
        self.ok += 1
        self.layouts[o.layout or "?"] += 1
        self.templates[o.template or "?"] += 1
        self.rules.update(o.rules)
        if o.errors:
            self.with_errors += 1

    def exit_code(self) -> int:
        """2 if any file failed, else 1 if any report has error diagnostics, else 0."""
        if self.failures:
            return 2
        return 1 if self.with_errors else 0

    def render(self) -> str:
        rate = self.total / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"{'interrupted after' if self.interrupted else 'read'} {self.total} files in {self.seconds:.1f} s"
            f" ({rate:.1f} files/s): {self.ok} exported, {len(self.failures)} failed,"
            f" {self.with_errors} with error diagnostics"
        ]
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
        filled = int(width * s.total / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r[{bar}] {s.total}/{self.total} files  {s.total / elapsed:.1f}/s  {len(s.failures)} failed "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def run(
    paths: Sequence[str],
    sink: Sink,
    *,
    parser: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Summary:
    """Read ``paths`` and write each into ``sink``; the sink is closed (or aborted) either way.

    ``KeyboardInterrupt`` is caught: the summary comes back with ``interrupted`` set, and the sink
    keeps every report completed before it.
    """
    summary = Summary()
    t0 = time.monotonic()
    checkpoints = _checkpoints()
    source = iter_outcomes(paths, sink.encode, parser=parser, jobs=jobs)
    try:
        for o in source:
            if o.error is None:
                sink.write(o.payload)
            else:
                sink.failure(o.path, o.kind or "error", o.error)
            summary.add(o)
            if checkpoints is not None:
                checkpoints.reached("write")
            if progress is not None:
                progress.update(summary)
    except KeyboardInterrupt:
        summary.interrupted = True
        abort = getattr(sink, "abort", None)
        if callable(abort):
            abort()
        else:
            sink.close()
    else:
        sink.close()
    finally:
        # closing the generator shuts the worker pool down now, not whenever it is collected
        source.close()
        summary.seconds = time.monotonic() - t0
        if progress is not None:
            progress.close()
    return summary
