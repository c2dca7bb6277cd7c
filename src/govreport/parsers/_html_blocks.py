"""Raw HTML ``<table>`` blocks inside a text (pandoc's markdown for tables with merged cells).

pandoc cannot write a table with merged cells as a pipe table, so it writes a raw ``<table>`` with
``rowspan``/``colspan`` into the markdown. Those blocks are read with the project's one HTML table
reader (:func:`govreport.sources.html.read_html_tables`, standard library only: markdown is a core
layout) and their rows handed to the assembler cell by cell, like a document's grids; the lines of
the block are kept from the layout grammar, which would see only tags.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..sources.html import read_html_tables
from ..text.normalise import NormText, fold
from .grid import cell_kinds
from .rows import Item, Row

__all__ = ["html_table_blocks", "html_table_rows"]

_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
_tuple_new = tuple.__new__


def html_table_blocks(lines: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """``[first, last]`` line ranges (0-based, inclusive) of the outermost ``<table>`` blocks in ``lines[start:end]``.

    A block left open at the region's end is not one: its lines stay for the grammar.
    """
    out: list[tuple[int, int]] = []
    depth = 0
    first = 0
    for n in range(start, end):
        line = lines[n]
        if "<" not in line:
            continue
        for m in re.finditer(rf"{_OPEN.pattern}|{_CLOSE.pattern}", line, re.IGNORECASE):
            if m.group().lower().startswith("<table"):
                if depth == 0:
                    first = n
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    out.append((first, n))
    return out


def html_table_rows(doc: NormText, first: int, last: int) -> list[Row]:
    """The rows of the tables in lines ``first..last`` of ``doc``, one item per cell the HTML separates.

    Each item points at its cell's text on the cell's own source line (pandoc writes one ``<td>`` a
    line); a merged cell is one item, at its top-left position.
    """
    fragment = "\n".join(doc.lines[first : last + 1])
    rows: list[Row] = []
    for grid in read_html_tables(fragment, first_line=first + 1):
        # entities (&nbsp;, &#65297;) are decoded by the HTML reader, after the text was folded
        texts = [[(" ".join(fold(c.text).split()), c.anchor) for c in grid_row] for grid_row in grid.rows]
        for grid_row, row_texts, kinds in zip(grid.rows, texts, cell_kinds(texts), strict=True):
            items: list[Item] = []
            for cell, (text, _), kind in zip(grid_row, row_texts, kinds, strict=True):
                if not cell.anchor:
                    continue
                line = (cell.origin.line or first + 1) - 1
                line = min(max(line, first), last)
                col = doc.lines[line].find(text) if text else -1
                if col < 0:
                    col = 0
                items.append(_tuple_new(Item, (kind, text, line, col, col + len(text))))
            if items:
                rows.append(_tuple_new(Row, (tuple(items), items[0].line)))
    return rows
