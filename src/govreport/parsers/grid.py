"""The tables of a published document (HTML, DOCX, PDF), whose cells the document itself separates.

A document's grids are laid out one row per line by :func:`govreport.text.document.document_text`;
this parser hands each row's cells to the shared assembler as they are — one item per cell, a merged
cell once (at its top-left position), an empty cell as a blank — so nothing is split or guessed from
text. Rows are taken per table region exactly as the text parsers take lines, so the sections decide
which grid rows are Table 2, 3 or 4, however the document splits or repeats its tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from ..text.document import DocumentText, GridLine
from ..text.normalise import NormText
from ..text.sections import Layout, table_regions
from .rows import BLANK, CELL, EMPTY, PLACEHOLDER, TEXT, Item, ParseResult, Row, classify

__all__ = ["GridParser", "cell_kinds"]

_tuple_new = tuple.__new__


def cell_kinds(rows: list[list[tuple[str, bool]]]) -> list[list[str]]:
    """The item kind of every ``(text, anchor)`` position of a grid's rows.

    An empty cell right of its row's last label is :data:`EMPTY` — a cell the document draws blank,
    which the assembler keeps even at a row's edge — when its row holds a number or a placeholder, or
    its column does in another row (a data row left all blank). Any other empty cell (a corner, a
    label column, a header row) is :data:`BLANK`, as in text.
    """
    kinds = [[classify(text) if text else BLANK for text, _ in row] for row in rows]  # most blanks are merged positions
    valued = (CELL, PLACEHOLDER)
    data = {c for row, ks in zip(rows, kinds, strict=True) for c, k in enumerate(ks) if row[c][1] and k in valued}
    out = []
    for row, ks in zip(rows, kinds, strict=True):
        if BLANK not in ks:  # nothing to tell apart
            out.append(ks)
            continue
        after = 0  # right of the row's last label
        for c in range(len(ks) - 1, -1, -1):
            if ks[c] == TEXT and row[c][1]:
                after = c + 1
                break
        has_values = CELL in ks or PLACEHOLDER in ks
        out.append(
            [
                EMPTY if k == BLANK and row[c][1] and c >= after and (has_values or c in data) else k
                for c, k in enumerate(ks)
            ]
        )
    return out


class GridParser:
    """Reads the grids of a :class:`~govreport.text.document.DocumentText`; detects 0 on plain text."""

    name: ClassVar[str] = "grid"
    layout: ClassVar[str] = "grid"
    # tried first on a document (detect 1.0), never on text (detect 0): a document's own cells beat any
    # text reading of them
    priority: ClassVar[int] = 110
    version_added: ClassVar[str] = "0.2"
    description: ClassVar[str] = "the tables of a web page, Word file or PDF, cell by cell as the document draws them"

    def detect(self, doc: NormText, layout: Layout) -> float:
        if not isinstance(doc, DocumentText) or not doc.grid_lines:
            return 0.0
        regions = table_regions(layout, len(doc.lines)).values()
        return 1.0 if any(start <= n < end for n in doc.grid_lines for start, end in regions) else 0.0

    def parse(self, doc: NormText, layout: Layout) -> ParseResult:
        grid_lines = doc.grid_lines if isinstance(doc, DocumentText) else {}
        kinds = _kinds(grid_lines)
        rows: dict[str, tuple[Row, ...]] = {}
        count = 0
        for table_id, (start, end) in table_regions(layout, len(doc.lines)).items():
            out: list[Row] = []
            for n in range(start, end):
                grid_line = grid_lines.get(n)
                if grid_line is not None:
                    items = tuple(
                        _tuple_new(Item, (kind, text, n, s, e))
                        for (s, e, text, anchor, _), kind in zip(grid_line.cells, kinds[n], strict=True)
                        if anchor
                    )
                    if items:
                        out.append(_tuple_new(Row, (items, n)))
                        count += 1
                elif doc.lines[n].strip():
                    # prose between a document's tables (a caption, a note): label text, as the text parsers keep it
                    line = doc.lines[n]
                    stripped = line.strip()
                    s = line.index(stripped[0])
                    out.append(_tuple_new(Row, ((_tuple_new(Item, (TEXT, stripped, n, s, s + len(stripped))),), n)))
                    count += 1
            rows[table_id] = tuple(out)
        return ParseResult(rows, (), (), count)


def _kinds(grid_lines: dict[int, GridLine] | Mapping[int, GridLine]) -> dict[int, list[str]]:
    """:func:`cell_kinds` of every grid, by the line of each of its rows."""
    by_grid: dict[int, list[int]] = {}
    for n, g in grid_lines.items():
        by_grid.setdefault(g.grid, []).append(n)
    out: dict[int, list[str]] = {}
    for lines in by_grid.values():
        rows = [[(text, anchor) for _, _, text, anchor, _ in grid_lines[n].cells] for n in lines]
        out.update(zip(lines, cell_kinds(rows), strict=True))
    return out
