"""Properties of the one grid expansion, and round trips through both document formats.

- random span layouts (overlaps, spans past the row group, ``rowspan=0``, fillers): every row is as
  wide as the widest, every covered position is a copy of exactly one anchor whose span covers it,
  and the anchors come in document order;
- random grids of merged cells written as HTML tables (th/td, row groups, attribute spellings,
  markup inside cells) read back exactly, on both HTML back-ends;
- the same random grids written as Word tables (gridSpan + vMerge) read back exactly.
"""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.sources._grid import SpanCell, expand_grid
from govreport.sources.document import Grid
from govreport.sources.html import read_html, read_html_tables

from .docx_build import docx, tbl, tc, tr

HAS_LXML = importlib.util.find_spec("lxml") is not None
MORE = settings(max_examples=max(200, settings().max_examples))


# -- expand_grid on arbitrary layouts ----------------------------------------------------------------------

spans = st.tuples(st.integers(1, 4), st.integers(0, 4))  # colspan, rowspan (0: to the group's end)


@st.composite
def layouts(draw: st.DrawFn) -> list[list[list[SpanCell]]]:
    groups = draw(st.lists(st.lists(st.lists(spans, max_size=5), min_size=1, max_size=5), min_size=1, max_size=3))
    n = 0
    out = []
    for group in groups:
        rows = []
        for row in group:
            cells = []
            for colspan, rowspan in row:
                if draw(st.integers(0, 9)) == 0:  # sometimes positions without a cell (gridBefore)
                    cells.append(SpanCell("", colspan=colspan, filler=True))
                else:
                    cells.append(SpanCell(f"c{n}", colspan=colspan, rowspan=rowspan, line=n))
                    n += 1
            rows.append(cells)
        out.append(rows)
    return out


@MORE
@given(layouts())
def test_expansion_invariants(groups: list[list[list[SpanCell]]]) -> None:
    grid = expand_grid(groups, table=7)
    width = grid.width
    assert all(len(row) == width for row in grid.rows)
    assert len(grid.rows) == sum(len(g) for g in groups)
    anchors = {}
    for y, row in enumerate(grid.rows):
        for x, cell in enumerate(row):
            assert cell.origin.table == 7
            if cell.anchor:
                assert (cell.origin.row, cell.origin.column) == (y + 1, x + 1)
                anchors[(y + 1, x + 1)] = cell
    spans = {c.text: c for g in groups for r in g for c in r if not c.filler}
    for y, row in enumerate(grid.rows):
        for x, cell in enumerate(row):
            if cell.anchor:
                continue
            owner = anchors[(cell.origin.row, cell.origin.column)]  # exactly one anchor: its position
            assert owner.text == cell.text and owner.origin == cell.origin
            src = spans[cell.text]
            assert cell.origin.column <= x + 1 < cell.origin.column + src.colspan
            assert cell.origin.row <= y + 1
            if src.rowspan:
                assert y + 1 < cell.origin.row + src.rowspan
    written = [c.text for g in groups for r in g for c in r if not c.filler]
    placed = [c.text for row in grid.rows for c in row if c.anchor and c.text]
    assert placed == written  # every cell placed once, in document order


# -- random grids of merged cells --------------------------------------------------------------------------

Rect = tuple[int, int, int, int]  # top row, left column, height, width


@st.composite
def tilings(draw: st.DrawFn) -> tuple[int, int, list[Rect]]:
    """A ``height`` x ``width`` grid cut into rectangles (merged cells), listed in document order."""
    width = draw(st.integers(1, 7))
    height = draw(st.integers(1, 7))
    owner: list[list[int | None]] = [[None] * width for _ in range(height)]
    rects: list[Rect] = []
    for y in range(height):
        for x in range(width):
            if owner[y][x] is not None:
                continue
            most = 1
            while x + most < width and owner[y][x + most] is None:
                most += 1
            w = draw(st.integers(1, most))
            tall = 1
            while y + tall < height and all(owner[y + tall][x + i] is None for i in range(w)):
                tall += 1
            h = draw(st.integers(1, min(tall, 4)))
            for dy in range(h):
                for dx in range(w):
                    owner[y + dy][x + dx] = len(rects)
            rects.append((y, x, h, w))
    return height, width, rects


def expected(height: int, width: int, rects: list[Rect]) -> tuple[list[list[str]], list[list[bool]]]:
    texts = [[""] * width for _ in range(height)]
    anchor = [[False] * width for _ in range(height)]
    for k, (y, x, h, w) in enumerate(rects):
        for dy in range(h):
            for dx in range(w):
                texts[y + dy][x + dx] = f"格{k}"
        anchor[y][x] = True
    return texts, anchor


def shape(grid: Grid) -> tuple[list[list[str]], list[list[bool]]]:
    return [[c.text for c in row] for row in grid.rows], [[c.anchor for c in row] for row in grid.rows]


@st.composite
def html_tables(draw: st.DrawFn) -> tuple[str, tuple[list[list[str]], list[list[bool]]]]:
    height, width, rects = draw(tilings())
    # row groups may only break where no merged cell crosses
    crossing = {y for (top, _, h, _) in rects for y in range(top + 1, top + h)}
    breaks = {y for y in range(1, height) if y not in crossing and draw(st.booleans())}
    groups = draw(st.booleans())
    parts = ["<table border='1'>", "<tbody>" if groups else ""]
    for y in range(height):
        if y in breaks and groups:
            parts.append("</tbody><tbody>")
        parts.append("<tr>")
        for k, (top, _x, h, w) in enumerate(rects):
            if top != y:
                continue
            tag = draw(st.sampled_from(["td", "th"]))
            attrs = ""
            if w > 1 or draw(st.booleans()):
                attrs += draw(
                    st.sampled_from([f" colspan='{w}'", f' colspan="{w}"', f" colspan={w}", f" COLSPAN=' {w}'"])
                )
            if h > 1 or draw(st.booleans()):
                attrs += draw(st.sampled_from([f" rowspan='{h}'", f" rowspan={h}"]))
            inner = draw(st.sampled_from(["{}", " {} ", "&nbsp;{}", "<span>{}</span>", "<p><b>{}</b></p>", "\n{}\n"]))
            close = draw(st.sampled_from([f"</{tag}>", ""]))  # an end tag browsers imply
            parts.append(f"<{tag}{attrs}>{inner.format(f'格{k}')}{close}")
        parts.append("</tr>")
    parts.append("</tbody>" if groups else "")
    parts.append("</table>")
    return "\n".join(parts), expected(height, width, rects)


@MORE
@given(html_tables())
def test_random_html_tables_read_back_exactly(case: tuple[str, tuple[list[list[str]], list[list[bool]]]]) -> None:
    html, want = case
    (grid,) = read_html_tables(html)
    assert shape(grid) == want
    backends = ["html.parser", "lxml"] if HAS_LXML else ["html.parser"]
    for backend in backends:
        (page_grid,) = read_html(f"<html><body>{html}</body></html>", backend=backend).grids()
        assert shape(page_grid) == want


@settings(max_examples=max(100, settings().max_examples))
@given(tilings())
def test_random_word_tables_read_back_exactly(tiling: tuple[int, int, list[Rect]]) -> None:
    if not HAS_LXML:
        pytest.skip("lxml not installed")
    from govreport.sources.docx import read_docx

    height, width, rects = tiling
    owner = {}
    for k, (y, x, h, _w) in enumerate(rects):
        for dy in range(h):
            owner[(y + dy, x)] = k
    rows = []
    for y in range(height):
        cells = []
        x = 0
        while x < width:
            k = owner[(y, x)]
            top, _, h, w = rects[k]
            if top == y:
                cells.append(tc(f"格{k}", span=w, vmerge="restart" if h > 1 else None))
            else:
                cells.append(tc("", span=w, vmerge="continue"))
            x += w
        rows.append(tr(*cells))
    (grid,) = read_docx(docx(tbl(*rows))).grids()
    assert shape(grid) == expected(height, width, rects)
