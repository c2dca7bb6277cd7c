"""Layout-neutral records: what every layout parser produces from a table region.

A :class:`Row` is one source row in reading order: a sequence of :class:`Item` s, each either label
text or a cell. Parsers decide how a line splits into items (spaces, tabs, pipes, one cell per
line…); :mod:`govreport.assemble.table.table` alone decides which template row the cells belong to.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import attrs

from ..diagnostics import CellRef, Diagnostic, Severity, SourceSpan
from ..model import Subtotal, Table, UnplacedRow
from ..template import RowDef

__all__ = [
    "BLANK",
    "CELL",
    "EMPTY",
    "PLACEHOLDER",
    "PLACEHOLDERS",
    "TEXT",
    "Item",
    "ParseResult",
    "Row",
    "TableResult",
    "classify",
    "out_of_order",
    "parse_number",
    "split_items",
]

TEXT = "text"
CELL = "cell"
BLANK = "blank"
PLACEHOLDER = "placeholder"
EMPTY = "empty"
"""A cell the document itself draws with nothing in it (a grid position of a data column): a blank
that is certainly a cell, unlike a :data:`BLANK` of text, which may be layout (a run's edge is trimmed)."""

PLACEHOLDERS = frozenset({"/", "-", "—", "--", "——", "－", "无", "不适用", "—/", "／", "N/A", "n/a", "\\"})
"""What reports print instead of a number (spec §5 DOM.SEM): never read as 0."""

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


class Item(NamedTuple):
    """One piece of a row: label text, a number-like cell, a placeholder or a blank cell.

    ``line`` is the 0-based normalised line; ``start``/``end`` are 0-based columns in it. A named
    tuple rather than an attrs class: a report makes a few hundred, and a tuple is built in half the time.
    """

    kind: str
    text: str
    line: int
    start: int
    end: int

    @property
    def is_cell(self) -> bool:
        return self.kind != TEXT


class Row(NamedTuple):
    """One source row of a table region, in reading order."""

    items: tuple[Item, ...]
    line: int


@attrs.frozen
class TableResult:
    """An assembled table with what was found on the way."""

    table: Table
    diagnostics: tuple[Diagnostic, ...] = ()
    unplaced: tuple[UnplacedRow, ...] = ()
    filled: int = 0
    subtotals: tuple[Subtotal, ...] = ()


@attrs.frozen
class ParseResult:
    """What a layout parser returns: rows per table region, lines it set aside, and findings.

    ``noise`` lists ``(line, reason)`` for lines of a region that are neither rows nor data (rules
    of a box table, markdown separators) so that every line is accounted for.
    """

    rows: dict[str, tuple[Row, ...]]
    noise: tuple[tuple[int, str], ...] = ()
    diagnostics: tuple[object, ...] = ()
    region_lines: int = 0
    tables: dict[str, TableResult] | None = None
    """Finished tables, for a parser that maps cells itself (``flat``); the assembler is skipped."""


def classify(token: str) -> str:
    """The item kind of one stripped token."""
    if not token:
        return BLANK
    if token.isdigit() and token.isascii():  # most cells: skip the regex
        return CELL
    if token in PLACEHOLDERS:
        return PLACEHOLDER
    if _NUMBER.fullmatch(token):
        return CELL
    return TEXT


def parse_number(token: str) -> int | Decimal | None:
    """``"1,066"`` → 1066, ``"+14"`` → 14, ``"6,356.8000"`` → Decimal('6356.8000'); else ``None``."""
    if token.isascii() and token.isdigit():  # most cells: skip the regex
        return int(token)
    if not _NUMBER.fullmatch(token):
        return None
    plain = token.replace(",", "")
    if "." in plain:
        try:
            return Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return None
    return int(plain)


_tuple_new = tuple.__new__


def split_items(text: str, line: int, offset: int) -> list[Item]:
    """Split one field of a line into items at white space (``offset``: the field's column).

    Consecutive text tokens merge into one label item; number and placeholder tokens stand alone.
    A number glued to ideographs ("保留4位小数") is text, because the token is not a number.
    """
    out: list[Item] = []
    append = out.append
    pos = 0
    find = text.find
    last_text = False  # is out[-1] a label item that the next text token extends?
    for tok in text.split():
        pos = find(tok, pos)  # the token's own column: nothing but white space lies before it
        start = offset + pos
        pos += len(tok)
        # items by tuple.__new__: the named tuple's own __new__ is a Python call, a third of the cost
        if tok.isdigit() and tok.isascii():  # most cells: skip classify
            append(_tuple_new(Item, (CELL, tok, line, start, offset + pos)))
            last_text = False
        elif tok in PLACEHOLDERS:
            append(_tuple_new(Item, (PLACEHOLDER, tok, line, start, offset + pos)))
            last_text = False
        elif tok[-1].isdecimal() and _NUMBER.fullmatch(tok):  # classify(): a number ends in a digit
            append(_tuple_new(Item, (CELL, tok, line, start, offset + pos)))
            last_text = False
        elif last_text:
            prev = out[-1]
            out[-1] = _tuple_new(Item, (TEXT, prev.text + " " + tok, line, prev.start, offset + pos))
        else:
            append(_tuple_new(Item, (TEXT, tok, line, start, offset + pos)))
            last_text = True
    return out


def out_of_order(table: str, rdef: RowDef, where: str, span: SourceSpan | None, parser: str | None) -> Diagnostic:
    """``PARSE.ORDER``: a row printed out of the template's order (``where``), placed by its own label."""
    return Diagnostic(
        "PARSE.ORDER",
        Severity.WARNING,
        f"{table}.{rdef.id}: the row is printed {where}; its label ({rdef.label}) places it",
        f"{table}.{rdef.id}：该行未按模板顺序排列，已按其标签“{rdef.label}”放入",
        table=table,
        row=rdef.id,
        cells=tuple(CellRef(table, rdef.id, c.id) for c in rdef.columns),
        span=span,
        parser=parser,
    )
