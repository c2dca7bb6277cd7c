"""Exceptions raised by govreport.

::

    GovReportError                   every error this package raises on purpose
    ├── InputError                   the file cannot be read or decoded (missing, binary, empty)
    │   └── InternalError            reading this input failed in a way govreport did not foresee (a bug)
    ├── NoParserMatched              no parser could make sense of the text; carries the candidates
    ├── ParserNotFound               ``parser="name"`` names no registered parser
    ├── StrictModeError              ``strict=True`` and the report has error-level diagnostics
    ├── OutputError                  ``export`` cannot write its output file (checked before any input is read)
    ├── ClusterError                 a Dask job's cluster has had no worker for longer than the job waits
    └── PluginLoadError              a ``govreport.parsers`` entry point is broken (reported, not raised, by load)

Arithmetic findings are never raised by default: they are :class:`~govreport.Diagnostic` s on the
report. Only ``strict=True`` turns them into :class:`StrictModeError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .diagnostics import Diagnostic

__all__ = [
    "ClusterError",
    "GovReportError",
    "InputError",
    "InternalError",
    "NoParserMatched",
    "OutputError",
    "ParserNotFound",
    "PluginLoadError",
    "StrictModeError",
]


class GovReportError(Exception):
    """Base class of every error govreport raises on purpose."""


class InputError(GovReportError, ValueError):
    """The input cannot be read as a report text (missing, binary, empty, undecodable)."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InternalError(InputError):
    """Reading this input raised an exception govreport did not foresee: a bug, reported as an input error.

    Every public entry point (``load``, ``loads``, ``explain``, ``govreport export``) turns such an
    exception into this one, naming the input, so that only :class:`GovReportError` s escape; the
    original is ``__cause__`` (and ``original``). Please report it with the input that caused it.
    """

    def __init__(self, error: BaseException, *, path: str | None = None) -> None:
        self.original = error
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        detail = f"{type(error).__name__}: {first}" if first else type(error).__name__
        if len(detail) > 200:
            detail = detail[:199] + "…"
        super().__init__(f"internal error while reading ({detail}); please report it with this input", path=path)


class NoParserMatched(GovReportError):
    """No registered parser produced a usable report. ``candidates`` says what each one found."""

    def __init__(self, message: str, *, path: str | None = None, candidates: Sequence[object] = ()) -> None:
        self.path = path
        self.candidates = tuple(candidates)
        super().__init__(message)


class ParserNotFound(GovReportError, KeyError):
    """``parser=`` names a parser that is not registered."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "parser not found"


class StrictModeError(GovReportError):
    """Raised by ``strict=True`` when the report carries error-level diagnostics."""

    def __init__(self, path: str | None, diagnostics: Sequence[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = tuple(diagnostics)
        where = path or "<text>"
        lines = [f"{where}: {len(self.diagnostics)} error-level diagnostic(s)"]
        lines += [f"  {where}:{d.location()}: {d.code}: {d.message}" for d in self.diagnostics]
        super().__init__("\n".join(lines))


class OutputError(GovReportError):
    """An export's output cannot be written: a missing folder, a foreign file in the way, no permission."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ClusterError(GovReportError):
    """A Dask job cannot go on: its cluster has had no worker for longer than the job waits.

    ``summary`` is the job's :class:`~govreport.export.batch.Summary` so far (what was read is
    written; ``not_read`` lists the files that were not), or None when nothing had started.
    """

    def __init__(self, message: str, *, summary: Any = None, not_read: Sequence[str] = ()) -> None:
        self.summary = summary
        self.not_read = tuple(not_read)
        super().__init__(message)


class PluginLoadError(GovReportError):
    """A ``govreport.parsers`` entry point failed to import or is not a valid parser."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"parser plugin {name!r} could not be loaded: {reason}")
