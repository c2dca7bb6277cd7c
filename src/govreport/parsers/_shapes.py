"""Cheap line-shape tests shared by the parsers' ``detect`` methods."""

from __future__ import annotations

import re

from .._text import NormText
from ..sections import Layout
from ._base import table_regions

_CELLS_AT_END = re.compile(
    r"(?:^|[ \t])(?:[+-]?\d[\d,]*(?:\.\d+)?|/|—|-)(?:[ \t]+(?:[+-]?\d[\d,]*(?:\.\d+)?|/|—|-)){2,}[ \t]*$"
)
BOX_CHARS = frozenset("│┃├┤┼─━┌┐└┘┬┴═╞╡╪")


def table_lines(doc: NormText, layout: Layout) -> list[str]:
    """The lines of the table regions, or of the whole text when no section was found."""
    regions = table_regions(layout, len(doc.lines))
    if not regions:
        return list(doc.lines)
    return [line for start, end in regions.values() for line in doc.lines[start:end]]


_CELL = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?|/|—|-")


def spaced_cells(line: str) -> bool:
    """The line ends in three or more space-separated cells."""
    if "\t" in line or "|" in line:
        return False
    # Same answer as _CELLS_AT_END.search, but only the last three tokens are looked at: the regex's
    # {2,} repeat retries from every start on a long run of cells (quadratic, a mark stack that grows
    # with the run: minutes and hundreds of MB on a 1 MB line of numbers).
    end = len(line)
    for _ in range(3):
        while end and line[end - 1] == " ":
            end -= 1
        if not end:
            return False
        start = line.rfind(" ", 0, end) + 1
        if _CELL.fullmatch(line, start, end) is None:
            return False
        end = start
    return True


def tabbed(line: str) -> bool:
    return "\t" in line.strip("\t") or line.count("\t") >= 2


def word_cell(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:]


def piped(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") or s.endswith("|") or " | " in s


def boxed(line: str) -> bool:
    return not BOX_CHARS.isdisjoint(line)
