"""The one expansion of a table's merged cells into a full grid, for every document reader.

A reader describes a table as row groups of rows of :class:`SpanCell` (text, how many columns and
rows it spans, where it is in the source) and :func:`expand_grid` places them exactly as the HTML
table model does (https://html.spec.whatwg.org/#forming-a-table): each cell takes the first grid
position of its row that no cell above (through a row span) already covers, spans never cross the
end of their row group, a row span of 0 reaches to the end of the row group, and where two cells
overlap the earlier one keeps the position. Every position a merged cell covers besides its top-left
one is a :class:`GridCell` with ``anchor=False`` repeating its text and origin; positions no cell
covers (short rows, Word's ``gridBefore``/``gridAfter``) are blank anchors, never a number.

The HTML reader derives the spans from ``colspan``/``rowspan`` (:func:`html_span`), the DOCX reader
from ``gridSpan``/``vMerge``; both call this one routine.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..errors import InputError
from .document import Grid, GridCell, Origin

__all__ = ["MAX_GRID_POSITIONS", "SpanCell", "expand_grid", "html_span"]

MAX_GRID_POSITIONS = 1_000_000
"""Positions all grids of one document may hold together: a report's tables hold about 400, so this
only stops a hostile ``colspan="1000"`` × ``rowspan="65534"`` from filling memory."""


@attrs.frozen
class SpanCell:
    """One cell as the document writes it, before expansion.

    ``rowspan`` 0 means "to the end of the row group" (HTML's ``rowspan="0"``). ``filler`` marks
    positions the document leaves without a cell (Word's ``gridBefore``): they expand into
    ``colspan`` separate blank anchors rather than one merged cell.
    """

    text: str
    colspan: int = 1
    rowspan: int = 1
    line: int | None = None
    filler: bool = False


class GridBudget:
    """Counts the positions a document's grids hold, and refuses past :data:`MAX_GRID_POSITIONS`."""

    def __init__(self, path: str | None, limit: int = MAX_GRID_POSITIONS) -> None:
        self.path = path
        self.limit = limit
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise InputError(
                f"the tables expand to more than {self.limit:,} grid positions (merged-cell spans this "
                "large are not a report's tables)",
                path=self.path,
            )


_Slot = tuple[int, bool]  # (index of the cell in placement order, whether this is its top-left position)


def expand_grid(
    groups: Sequence[Sequence[Sequence[SpanCell]]],
    *,
    table: int,
    line: int | None = None,
    budget: GridBudget | None = None,
) -> Grid:
    """Place the cells of ``groups`` (row groups → rows → cells, in display order) on a full grid.

    ``table`` is the 1-based number of the table in its document (it goes into every origin),
    ``line`` the source line of the table itself. Raises :class:`InputError` through ``budget`` when
    the document's grids grow past its limit.
    """
    budget = budget or GridBudget(None)
    slots: list[list[_Slot | None]] = []
    placed: list[tuple[SpanCell, int, int]] = []  # cell, its top-left row and column (0-based)
    for group in groups:
        start = len(slots)
        height = len(group)
        slots.extend([] for _ in range(height))
        for r, row in enumerate(group):
            y = start + r
            x = 0
            for cell in row:
                current = slots[y]
                while x < len(current) and current[x] is not None:
                    x += 1
                down = height - r if cell.rowspan == 0 else min(cell.rowspan, height - r)
                across = max(1, cell.colspan)
                budget.take(across * down)
                if cell.filler:
                    for dx in range(across):
                        _claim(slots[y], x + dx, (len(placed), True))
                        placed.append((SpanCell(""), y, x + dx))
                    x += across
                    continue
                index = len(placed)
                placed.append((cell, y, x))
                for dy in range(down):
                    target = slots[y + dy]
                    for dx in range(across):
                        _claim(target, x + dx, (index, dx == 0 and dy == 0))
                x += across
    width = max((len(row) for row in slots), default=0)
    budget.take(sum(width - len(row) for row in slots))
    anchors = [
        GridCell(cell.text, Origin(table=table, row=y + 1, column=x + 1, line=cell.line)) for cell, y, x in placed
    ]
    row_lines = _row_lines(slots, placed, line)
    rows: list[tuple[GridCell, ...]] = []
    for y, line_slots in enumerate(slots):
        out: list[GridCell] = []
        for x in range(width):
            slot = line_slots[x] if x < len(line_slots) else None
            if slot is None:
                out.append(GridCell("", Origin(table=table, row=y + 1, column=x + 1, line=row_lines[y])))
            elif slot[1]:
                out.append(anchors[slot[0]])
            else:
                a = anchors[slot[0]]
                out.append(GridCell(a.text, a.origin, anchor=False))
        rows.append(tuple(out))
    return Grid(tuple(rows), Origin(table=table, line=line))


def _claim(row: list[_Slot | None], x: int, slot: _Slot) -> None:
    """Give position ``x`` of ``row`` to ``slot`` unless an earlier cell holds it (overlap: first wins)."""
    if x >= len(row):
        row.extend([None] * (x + 1 - len(row)))
    if row[x] is None:
        row[x] = slot


def _row_lines(
    slots: list[list[_Slot | None]], placed: list[tuple[SpanCell, int, int]], line: int | None
) -> list[int | None]:
    """The source line of each row (its first anchored cell's), for the origin of a blank position."""
    out: list[int | None] = [None] * len(slots)
    for cell, y, _ in placed:
        if out[y] is None and cell.line is not None:
            out[y] = cell.line
    last = line
    for y, v in enumerate(out):
        if v is None:
            out[y] = last
        else:
            last = v
    return out


def html_span(value: str | None, *, limit: int, zero: bool) -> int:
    """An HTML ``colspan``/``rowspan`` value as browsers read it (the spec's non-negative integer rules).

    Leading white space and a ``+`` are skipped and the digits up to the first other character are
    the value (``"2px"`` is 2, as a browser draws it); no digits, a minus sign, or an absent value give
    1; 0 gives 1 for ``colspan`` and stays 0 ("to the end of the row group") when ``zero`` allows it;
    values past ``limit`` (1000 for ``colspan``, 65534 for ``rowspan``) are clamped to it.
    """
    if value is None:
        return 1
    s = value.lstrip(" \t\n\f\r")
    if s.startswith("+"):
        s = s[1:]
    n = 0
    digits = 0
    for ch in s:
        if not ("0" <= ch <= "9"):
            break
        digits += 1
        if n <= limit:  # stop growing: a 10,000-digit value is still just "too large"
            n = n * 10 + (ord(ch) - 48)
    if digits == 0:
        return 1
    if n == 0:
        return 0 if zero else 1
    return min(n, limit)
