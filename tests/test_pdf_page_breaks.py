"""A ruled table going on over a page break, on made-up pages (no PDF, no PDFium): what is joined again.

The cases come from generated reports printed by LibreOffice and Chromium (``scripts/pdf_roundtrip.py``):
a row cut by the break with its numbered label going on below it and a number wrapped in its narrow
cell (``208`` | ``7``), a number a browser centred in the row below the break, the merged cells at
the left of a table whose rest the browser draws without a border, a band a browser's separated
borders leave between two row lines. And the rows that must not be joined: a row of its own below
the break (its own numbered label), two unnumbered labels (Table 2's 规章 | 规范性文件).
"""

from __future__ import annotations

from govreport.sources import _pdflayout as layout
from govreport.sources import pdf
from govreport.sources.document import Grid

from .test_pdf_layout import text_at

Seg = tuple[float, float, float]
COLUMNS = (40.0, 160.0, 220.0, 280.0)  # a label column and two number columns


def ruled_page(
    number: int,
    rows: list[list[str]],
    *,
    top: float = 60.0,
    row_height: float = 36.0,
    open_top: bool = False,
    open_bottom: bool = False,
    first_column: int = 0,
    text_at_bottom: bool = False,
    xs: tuple[float, ...] = COLUMNS,
) -> layout.PageLayout:
    """A page holding one ruled table: ``rows`` of cell texts; ``open_top``/``open_bottom`` leave out
    the line above the first row / below the last (a row cut by the page break); columns left of
    ``first_column`` are not drawn at all (merged cells going on, drawn without a border); the text of
    each cell sits at its top, or at its bottom (``text_at_bottom``: it runs into the page break)."""
    hsegs: list[Seg] = []
    vsegs: list[Seg] = []
    chars = []
    bottom = top + row_height * len(rows)
    left = xs[first_column]
    for r in range(len(rows) + 1):
        if (r == 0 and open_top) or (r == len(rows) and open_bottom):
            continue
        hsegs.append((top + r * row_height, left, xs[-1]))
    for x in xs[first_column:]:
        vsegs.append((x, top, bottom))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text and c >= first_column:
                y = top + r * row_height + (row_height - 12 if text_at_bottom else 2)
                chars += text_at(text, xs[c] + 2, y)
    return layout.layout_page(number, 595.0, 842.0, chars, hsegs, vsegs)


def grids(*pages: layout.PageLayout) -> list[list[list[str]]]:
    return [[[c.text for c in row] for row in b.rows] for b in pdf._blocks(list(pages)) if isinstance(b, Grid)]


def test_a_cut_row_with_its_numbered_label_going_on_and_a_wrapped_number_is_one_row() -> None:
    above = ruled_page(
        1, [["一、本年新收", "5", "12"], ["二、上年结转政府", "3", "208"]], open_bottom=True, text_at_bottom=True
    )
    below = ruled_page(2, [["信息公开申请数量", "", "7"], ["三、本年度办理结果", "1", "2"]], top=40, open_top=True)
    (grid,) = grids(above, below)
    assert grid == [
        ["一、本年新收", "5", "12"],
        ["二、上年结转政府信息公开申请数量", "3", "2087"],
        ["三、本年度办理结果", "1", "2"],
    ]


def test_a_number_below_the_break_under_an_empty_cell_joins_its_row() -> None:
    # a browser centres a cell's text in the row: the label's first line stays above, the numbers fall below
    above = ruled_page(1, [["一、本年新收", "5", "12"], ["二、上年结转政府", "", ""]], open_bottom=True)
    below = ruled_page(2, [["信息公开申请数量", "3", "7"], ["三、本年度办理结果", "1", "2"]], top=40, open_top=True)
    (grid,) = grids(above, below)
    assert grid[1] == ["二、上年结转政府信息公开申请数量", "3", "7"]
    assert len(grid) == 3


def test_a_row_of_its_own_below_the_break_is_not_joined() -> None:
    above = ruled_page(1, [["一、本年新收", "5", "12"], ["二、上年结转", "3", "208"]], text_at_bottom=True)
    below = ruled_page(2, [["三、本年度办理结果", "", "7"]], top=40)
    (grid,) = grids(above, below)
    assert grid == [["一、本年新收", "5", "12"], ["二、上年结转", "3", "208"], ["三、本年度办理结果", "", "7"]]


def test_unnumbered_labels_on_either_side_of_the_break_stay_two_rows() -> None:
    above = ruled_page(1, [["信息内容", "新制作", "新公开"], ["规章", "6", "4"]], text_at_bottom=True)
    below = ruled_page(2, [["规范性文件", "9", "5"]], top=40)
    (grid,) = grids(above, below)
    assert grid[1:] == [["规章", "6", "4"], ["规范性文件", "9", "5"]]


def test_merged_cells_at_the_left_going_on_without_a_border_continue_the_table() -> None:
    """Chromium draws the rest of a row-spanning cell at the table's left with no border on the next
    page: that page's lattice starts at an inner column line, and is still the same table."""
    above = ruled_page(1, [["三、本年度办理结果", "（一）", "1"], ["", "（二）", "2"]])
    # the label column spans down: no line between its rows on page 1, none of it drawn on page 2
    below = ruled_page(2, [["", "（三）", "3"], ["", "（四）", "4"]], top=40, first_column=1)
    (grid,) = grids(above, below)
    assert [row[1:] for row in grid] == [["（一）", "1"], ["（二）", "2"], ["（三）", "3"], ["（四）", "4"]]
    assert [row[0] for row in grid][2:] == [grid[1][0]] * 2  # the merged cell going on down the rows


def test_a_band_between_two_row_lines_too_thin_for_text_is_no_row() -> None:
    page = ruled_page(1, [["一、本年新收", "5", "12"], ["二、上年结转", "3", "8"]])
    # a second line 5.5 points under the first row's bottom (more than SNAP: two lines), along part
    # of the table (a browser's separated borders, or a merged cell's rest ending a little above
    # its neighbours')
    hsegs = [(96.0 + 5.5, COLUMNS[0], COLUMNS[1])]
    thin = layout.layout_page(1, 595.0, 842.0, [], hsegs, [])  # nothing on its own: only with the table's
    assert not thin.tables
    lattice = layout.find_lattices(
        [(60.0, 40.0, 280.0), (96.0, 40.0, 280.0), (101.5, 40.0, 160.0), (132.0, 40.0, 280.0)],
        [(x, 60.0, 132.0) for x in COLUMNS],
    )[0]
    assert lattice.ys == [60.0, 96.0, 132.0]  # the line drawn the longer way stays
    assert len(page.tables[0].grid) == 2


def test_double_column_lines_a_few_points_apart_are_one_line() -> None:
    """A browser's default (separated) borders draw each cell's own side, two lines 2-3 pt apart."""
    xs = [40.0, 160.0, 163.0, 220.0, 223.0, 280.0]
    lattice = layout.find_lattices([(60.0, 40.0, 280.0), (96.0, 40.0, 280.0)], [(x, 60.0, 96.0) for x in xs])[0]
    assert len(lattice.xs) == 4
