"""Layout-neutral records: what every layout parser produces from a table region.

A :class:`Row` is one source row in reading order: a sequence of :class:`Item` s, each either label
text or a cell. Parsers decide how a line splits into items (spaces, tabs, pipes, one cell per
line…); :mod:`govreport.assemble` alone decides which template row the cells belong to.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from .assemble import TableResult

__all__ = ["PLACEHOLDERS", "Item", "ParseResult", "Row", "classify", "parse_number"]

TEXT = "text"
CELL = "cell"
BLANK = "blank"
PLACEHOLDER = "placeholder"

PLACEHOLDERS = frozenset({"/", "-", "—", "--", "——", "－", "无", "不适用", "—/", "／", "N/A", "n/a", "\\"})
"""What reports print instead of a number (spec §5 DOM.SEM): never read as 0."""

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


@attrs.frozen(slots=True)
class Item:
    """One piece of a row: label text, a number-like cell, a placeholder or a blank cell.

    ``line`` is the 0-based normalised line; ``start``/``end`` are 0-based columns in it.
    """

    kind: str
    text: str
    line: int
    start: int
    end: int

    @property
    def is_cell(self) -> bool:
        return self.kind != TEXT


@attrs.frozen(slots=True)
class Row:
    """One source row of a table region, in reading order."""

    items: tuple[Item, ...]
    line: int


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


def split_items(text: str, line: int, offset: int, pattern: re.Pattern[str]) -> list[Item]:
    """Split one field of a line into items with ``pattern`` (whitespace-separated tokens).

    Consecutive text tokens merge into one label item; number and placeholder tokens stand alone.
    A number glued to ideographs ("保留4位小数") is text, because the token is not a number.
    """
    out: list[Item] = []
    for m in pattern.finditer(text):
        tok = m.group(0)
        kind = classify(tok)
        start, end = offset + m.start(), offset + m.end()
        if kind == TEXT and out and out[-1].kind == TEXT:
            prev = out[-1]
            out[-1] = Item(TEXT, prev.text + " " + tok, line, prev.start, end)
        else:
            out.append(Item(kind, tok, line, start, end))
    return out
