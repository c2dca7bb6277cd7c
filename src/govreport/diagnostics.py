"""Source positions and diagnostics: what did not add up, what could not be read, and where."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

__all__ = ["Box", "CellRef", "Diagnostic", "Origin", "Severity", "SourceSpan", "caret_context"]


@attrs.frozen(order=True)
class SourceSpan:
    """A 1-based, inclusive-start / exclusive-end region of the *original* source text."""

    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


# the slots' own setters: SourceSpan's attrs __init__ sets each field through object.__setattr__
_span_setters = tuple(SourceSpan.__dict__[f].__set__ for f in ("line", "column", "end_line", "end_column"))


def make_span(line: int, column: int, end_line: int, end_column: int) -> SourceSpan:
    """``SourceSpan(line, column, end_line, end_column)`` for the hot path (a span per cell read)."""
    span = object.__new__(SourceSpan)
    set_line, set_column, set_end_line, set_end_column = _span_setters
    set_line(span, line)
    set_column(span, column)
    set_end_line(span, end_line)
    set_end_column(span, end_column)
    return span


Box = tuple[float, float, float, float]
"""``(x0, top, x1, bottom)`` in PDF points, measured from the page's top-left corner."""


@attrs.frozen
class Origin:
    """Where something is in a published document (HTML, DOCX, PDF), in terms any format can fill.

    ``table``, ``row`` and ``column`` are 1-based positions among the document's tables and in the
    expanded grid of one table (a merged cell's position is its top-left grid position); ``page`` is
    1-based; ``box`` is a :data:`Box`; ``line`` is the 1-based line of the source file (HTML). Parts a
    format does not have stay ``None``. Text input has no origin: its :class:`SourceSpan` says where.
    """

    table: int | None = None
    row: int | None = None
    column: int | None = None
    page: int | None = None
    box: Box | None = None
    line: int | None = None

    def __str__(self) -> str:
        parts = [
            f"{name} {value}"
            for name, value in (
                ("table", self.table),
                ("row", self.row),
                ("column", self.column),
                ("page", self.page),
                ("line", self.line),
            )
            if value is not None
        ]
        return ", ".join(parts) or "-"


# the slots' own setters, for make_origin (a document's grids hold an origin per position)
_origin_setters = tuple(Origin.__dict__[f].__set__ for f in ("table", "row", "column", "page", "box", "line"))


def make_origin(table: int | None, row: int | None, column: int | None, line: int | None) -> Origin:
    """``Origin(table=table, row=row, column=column, line=line)`` for the hot path (a grid position each)."""
    origin = object.__new__(Origin)
    set_table, set_row, set_column, set_page, set_box, set_line = _origin_setters
    set_table(origin, table)
    set_row(origin, row)
    set_column(origin, column)
    set_page(origin, None)
    set_box(origin, None)
    set_line(origin, line)
    return origin


class Severity(str, enum.Enum):
    """How much a diagnostic matters. ``error`` means a number is wrong or could not be read."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class CellRef:
    """One cell of the report a diagnostic talks about."""

    table: str
    row: str
    column: str
    value: int | Decimal | None = None
    span: SourceSpan | None = None
    origin: Origin | None = None


@attrs.frozen
class Diagnostic:
    """A finding about a report.

    ``code`` is a stable rule id (``T3.BAL``, ``PARSE.CELL`` …, see ``docs/rules.md``). ``cells``
    names every cell involved. Arithmetic rules fill ``expected``/``actual``/``difference``;
    ``suggestion`` holds a proposed value for a pinpointed cell — the report itself is never changed.
    """

    code: str
    severity: Severity
    message: str
    message_zh: str = ""
    table: str | None = None
    row: str | None = None
    column: str | None = None
    cells: tuple[CellRef, ...] = ()
    expected: int | Decimal | None = None
    actual: int | Decimal | None = None
    difference: int | Decimal | None = None
    suggestion: int | Decimal | None = None
    span: SourceSpan | None = None
    detail: str = ""
    parser: str | None = None
    origin: Origin | None = None
    """Where in a published document (HTML, DOCX, PDF) the finding points; ``None`` for text input."""

    def location(self) -> str:
        """``line:column`` in a text file; the table/row/column (page) of a published document."""
        if self.origin is not None:
            return str(self.origin)
        return str(self.span) if self.span else "-"

    def __repr__(self) -> str:
        # short: the message already names the rule's place; every field is still in to_dict
        message = self.message if len(self.message) <= 120 else self.message[:119] + "…"
        return f"<Diagnostic {self.severity.value} {self.code} at {self.location()}: {message}>"


def caret_context(lines: list[str] | tuple[str, ...], span: SourceSpan, *, width: int = 100) -> str:
    """The source line of ``span`` with a caret under its first column (east-asian wide aware)."""
    if not 1 <= span.line <= len(lines):
        return ""
    line = lines[span.line - 1].rstrip("\n")
    start = max(0, span.column - 1 - width // 2)
    shown = line[start : start + width]
    pad = sum(2 if _wide(ch) else 1 for ch in line[start : span.column - 1])
    return f"{span.line:>5} | {shown}\n      | {' ' * pad}^"


def _wide(ch: str) -> bool:
    return ch >= "\u1100" and (
        ch <= "\u115f"
        or "\u2e80" <= ch <= "\ua4cf"
        or "\uac00" <= ch <= "\ud7a3"
        or "\uf900" <= ch <= "\ufaff"
        or "\ufe30" <= ch <= "\ufe4f"
        or "\uff00" <= ch <= "\uff60"
        or "\uffe0" <= ch <= "\uffe6"
    )
