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

import re
from collections.abc import Sequence
from typing import NamedTuple

from ..diagnostics import _origin_setters, make_origin
from ..errors import InputError
from .document import Grid, GridCell, Origin, _cell_setters, make_grid_cell

__all__ = ["MAX_GRID_POSITIONS", "SpanCell", "expand_grid", "html_span"]

MAX_GRID_POSITIONS = 1_000_000
"""Positions all grids of one document may hold together: a report's tables hold about 400, so this
only stops a hostile ``colspan="1000"`` × ``rowspan="65534"`` from filling memory."""


class SpanCell(NamedTuple):
    """One cell as the document writes it, before expansion (a named tuple: readers make one per cell,
    and a tuple is the cheapest object Python builds).

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
    new = object.__new__
    set_text, set_origin, set_anchor = _cell_setters
    set_table, set_row, set_column, set_page, set_box, set_line = _origin_setters
    grid: list[list[GridCell | None]] = []
    row_lines: list[int | None] = []  # each row's first anchored cell's line, for its blank positions
    single = 0  # positions of unmerged cells not yet counted in the budget (merged ones are, at once)
    holes: set[int] = set()  # rows that may have positions no cell covers (``None`` there)
    for group in groups:
        start = len(grid)
        height = len(group)
        grid.extend([] for _ in range(height))
        row_lines.extend([None] * height)
        for r, row in enumerate(group):
            y = start + r
            current = grid[y]
            n = len(current)
            x = 0
            for text, colspan, rowspan, cell_line, filler in row:
                while x < n and current[x] is not None:
                    x += 1  # the position is covered by a cell from a row above
                across = colspan if colspan > 1 else 1
                down = 1 if rowspan == 1 else height - r if rowspan == 0 else min(rowspan, height - r)
                if across == 1 and down == 1:
                    single += 1
                else:
                    budget.take(single + across * down)
                    single = 0
                if filler:  # positions without a cell: blank anchors, filled in below
                    if x + across > n:
                        current.extend([None] * (x + across - n))
                        n = x + across
                        holes.add(y)
                    x += across
                    continue
                origin = new(Origin)
                set_table(origin, table)
                set_row(origin, y + 1)
                set_column(origin, x + 1)
                set_page(origin, None)
                set_box(origin, None)
                set_line(origin, cell_line)
                anchor = new(GridCell)
                set_text(anchor, text)
                set_origin(anchor, origin)
                set_anchor(anchor, True)
                if row_lines[y] is None:
                    row_lines[y] = cell_line
                if x == n:
                    current.append(anchor)
                    n += 1
                elif x > n:
                    current.extend([None] * (x - n))
                    current.append(anchor)
                    n = x + 1
                    holes.add(y)
                else:
                    current[x] = anchor
                if across > 1 or down > 1:
                    copy = make_grid_cell(text, origin, False)
                    end = x + across
                    for dy in range(down):
                        target = grid[y + dy]
                        if len(target) < end:
                            target.extend([None] * (end - len(target)))
                            holes.add(y + dy)
                        for cx in range(x, end):
                            if target[cx] is None:  # where two cells overlap, the earlier keeps it
                                target[cx] = copy
                    current[x] = anchor
                    n = len(current)
                x += across
    width = max((len(row) for row in grid), default=0)
    budget.take(single + sum(width - len(row) for row in grid))
    last = line
    rows: list[tuple[GridCell, ...]] = []
    for y, cells in enumerate(grid):
        row_line = row_lines[y] if row_lines[y] is not None else last
        last = row_line
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
            holes.add(y)
        if y in holes:  # (not ``None in cells``: that compares every GridCell with None through attrs' __eq__)
            for cx, c in enumerate(cells):
                if c is None:
                    cells[cx] = make_grid_cell("", make_origin(table, y + 1, cx + 1, row_line))
        rows.append(tuple(cells))  # type: ignore[arg-type]  # every None was replaced just above
    return Grid(tuple(rows), Origin(table=table, line=line))


def html_span(value: str | None, *, limit: int, zero: bool) -> int:
    """An HTML ``colspan``/``rowspan`` value as browsers read it (the spec's non-negative integer rules).

    Leading white space and a ``+`` are skipped and the digits up to the first other character are
    the value (``"2px"`` is 2, as a browser draws it); no digits, a minus sign, or an absent value give
    1; 0 gives 1 for ``colspan`` and stays 0 ("to the end of the row group") when ``zero`` allows it;
    values past ``limit`` (1000 for ``colspan``, 65534 for ``rowspan``) are clamped to it.
    """
    if value is None:
        return 1
    m = _SPAN_VALUE.match(value)
    if m is None:
        return 1
    digits = m[1]
    n = limit if len(digits) > 6 else int(digits)  # a 10,000-digit value is just "too large"
    if n == 0:
        return 0 if zero else 1
    return min(n, limit)


_SPAN_VALUE = re.compile(r"[ \t\n\f\r]*\+?([0-9]+)")
