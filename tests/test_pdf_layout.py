"""The PDF reader's page geometry on made-up pages: ruling lines to merged cells, characters to
lines, wrapped text joined, tables without rulings from aligned numbers (no PDF, no PDFium)."""

from __future__ import annotations

import random

from hypothesis import example, given
from hypothesis import strategies as st

from govreport.sources import _pdflayout as layout

Char = tuple[str, float, float, float, float]


def glyph(ch: str, x: float, top: float, size: float = 10.0) -> Char:
    width = size if ch >= "\u2e80" else size * 0.55
    return (ch, x, top, x + width, top + size * 1.1)


def text_at(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    out = []
    for ch in text:
        g = glyph(ch, x, top, size)
        out.append(g)
        x = g[3]
    return out


@st.composite
def merged_grids(draw: st.DrawFn) -> tuple[int, int, list[list[int]]]:
    """A grid of rows x cols with some rectangles merged: the region id of every position."""
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(2, 6))
    region = [[r * cols + c for c in range(cols)] for r in range(rows)]
    taken = [[False] * cols for _ in range(rows)]
    for _ in range(draw(st.integers(0, 3))):
        r0 = draw(st.integers(0, rows - 1))
        c0 = draw(st.integers(0, cols - 1))
        r1 = draw(st.integers(r0, rows - 1))
        c1 = draw(st.integers(c0, cols - 1))
        if any(taken[r][c] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)):
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                taken[r][c] = True
                region[r][c] = r0 * cols + c0
    return rows, cols, region


def draw_rulings(rows: int, cols: int, region: list[list[int]], w: float, h: float) -> tuple[list, list]:
    """Every cell border except those inside a merged cell, cell by cell (as Word draws them)."""
    hsegs, vsegs = [], []
    for r in range(rows + 1):
        for c in range(cols):
            inner = 0 < r < rows and region[r - 1][c] == region[r][c]
            if not inner:
                hsegs.append((50 + r * h, 50 + c * w, 50 + (c + 1) * w))
    for c in range(cols + 1):
        for r in range(rows):
            inner = 0 < c < cols and region[r][c - 1] == region[r][c]
            if not inner:
                vsegs.append((50 + c * w, 50 + r * h, 50 + (r + 1) * h))
    return hsegs, vsegs


@given(merged_grids(), st.randoms(use_true_random=False))
@example((2, 2, [[0, 0], [2, 2]]), random.Random(0))  # every row one merged cell: one column of boxes
def test_merged_cells_come_back_from_absent_rulings(grid: tuple[int, int, list[list[int]]], rnd: random.Random) -> None:
    rows, cols, region = grid
    w, h = 60.0, 24.0
    hsegs, vsegs = draw_rulings(rows, cols, region, w, h)
    rnd.shuffle(hsegs)
    rnd.shuffle(vsegs)
    # one character per merged cell, at the centre of its top-left position
    chars = []
    names = {}
    for r in range(rows):
        for c in range(cols):
            rid = region[r][c]
            if rid not in names:
                names[rid] = chr(0x4E00 + len(names))
                chars.append(glyph(names[rid], 50 + c * w + w / 2 - 5, 50 + r * h + h / 2 - 5.5))
    chars.append(glyph("外", 300, 400))  # outside the table
    page = layout.layout_page(1, 600, 800, chars, hsegs, vsegs)
    # a boundary no ruling draws in any row (or column) is no boundary of the lattice either
    keep_c = [c for c in range(cols) if c == 0 or any(region[r][c - 1] != region[r][c] for r in range(rows))]
    keep_r = [r for r in range(rows) if r == 0 or any(region[r - 1][c] != region[r][c] for c in range(cols))]
    want = [[names[region[r][c]] for c in keep_c] for r in keep_r]
    if len(keep_c) == 1:  # one column of boxes (or one cell): a frame, read as text, box by box
        assert page.tables == [] or all(len(row) == 1 for t in page.tables for row in t.grid)
        if page.tables == []:
            assert [line.text for line in page.lines] == [row[0] for row in want] + ["外"]
        return
    assert len(page.tables) == 1
    table = page.tables[0]
    got = [[table.cells[k].text for k in row] for row in table.grid]
    assert got == want
    assert [line.text for line in page.lines] == ["外"]


@given(st.lists(st.text("政府信息公开0123456789", min_size=1, max_size=12), min_size=1, max_size=5), st.randoms())
def test_lines_do_not_depend_on_stream_order(texts: list[str], rnd: random.Random) -> None:
    chars = [ch for i, t in enumerate(texts) for ch in text_at(t, 20, 20 + 16 * i)]
    rnd.shuffle(chars)
    assert [layout.line_text(r) for r in layout.char_rows(chars)] == texts


def test_a_centred_number_between_two_label_lines_is_a_line_of_its_own() -> None:
    chars = text_at("申请人无正当理由", 10, 100) + text_at("0", 200, 105.5) + text_at("逾期不补正", 10, 111)
    assert [layout.line_text(r) for r in layout.char_rows(chars)] == ["申请人无正当理由", "0", "逾期不补正"]


def test_gaps_become_spaces_only_where_printed_so() -> None:
    line = text_at("2022", 10, 10) + text_at("年", 10 + 4 * 5.5 + 3, 10)  # LibreOffice's autospace
    assert layout.line_text(line) == "2022 年"
    justified = [glyph(ch, 10 + i * 12.5, 10) for i, ch in enumerate("政府信息")]  # stretched CJK
    assert layout.line_text(justified) == "政府信息"
    fake_bold = [glyph("国", 10, 10), glyph("国", 10.4, 10), glyph("家", 20.4, 10)]
    assert layout.line_text(fake_bold) == "国家"


def test_join_lines() -> None:
    wrapped = ["（二）部分公开（区分处理的，", "只计这一情形）"]
    assert layout.join_lines(wrapped) == "（二）部分公开（区分处理的，只计这一情形）"
    assert layout.join_lines(["Open", "Government"]) == "Open Government"
    assert layout.join_lines(["1,32", "4"]) == "1,324"
    assert layout.join_lines(["", "  ", "政府"]) == "政府"


@given(
    st.lists(st.lists(st.integers(0, 99999), min_size=4, max_size=4), min_size=2, max_size=8),
    st.sampled_from(["right", "left", "centre"]),
)
def test_aligned_numbers_without_rulings(rows: list[list[int]], align: str) -> None:
    """A label column and four number columns 70 pt wide, numbers right-, left- or centre-aligned."""
    chars: list[Char] = []
    labels = ["行政许可", "规范性文件", "其他对外管理服务事项", "行政处罚"]
    for r, values in enumerate(rows):
        top = 100 + r * 20
        chars += text_at(labels[r % 4], 50, top)
        for c, v in enumerate(values):
            s = f"{v:,}"
            width = len(s) * 5.5
            x0 = 200 + c * 70
            x = {"right": x0 + 60 - width, "left": x0, "centre": x0 + 30 - width / 2}[align]
            chars += text_at(s, x, top)
    page = layout.layout_page(1, 600, 800, chars, [], [])
    assert len(page.tables) == 1 and page.lines == []
    table = page.tables[0]
    got = [[table.cells[k].text for k in dict.fromkeys(row)] for row in table.grid]
    assert got == [[labels[r % 4], *(f"{v:,}" for v in values)] for r, values in enumerate(rows)]


def test_prose_is_no_table() -> None:
    chars: list[Char] = []
    prose = ["全年通过政府门户网站主动公开政府信息", "其中规范性文件 12 件。", "二、主动公开政府信息情况"]
    for i, t in enumerate(prose):
        chars += text_at(t, 50, 100 + 20 * i)
    page = layout.layout_page(1, 600, 800, chars, [], [])
    assert page.tables == []
    assert [line.text for line in page.lines][-1] == "二、主动公开政府信息情况"


def test_collinear_pieces_are_one_ruling() -> None:
    merged = layout.merge_rulings([(100.0, 0, 50), (100.6, 51, 120), (101.0, 200, 300), (140, 0, 300)])
    assert [(round(y), a, b) for y, a, b in merged] == [(101, 0, 120), (101, 200, 300), (140, 0, 300)]
