"""Page geometry for the PDF reader: characters and ruling lines in, tables and text lines out.

Plain tuples and small classes only, no PDFium, so that every step can be tested on made-up pages.
Coordinates are PDF points from the page's top-left corner; a box is ``(x0, top, x1, bottom)``.

Two kinds of table are found:

* **ruled**: the horizontal and vertical ruling lines are clustered into grid lines, connected
  lines make one table, the grid lines make a lattice of positions, and two neighbouring positions
  with no ruling between them belong to one merged cell. Every character goes to the cell whose
  box holds its centre.
* **aligned** (no ruling lines): runs of text lines that break into several pieces at wide gaps,
  with column boundaries where the pieces of most lines leave the page blank (numbers may be
  right-, left- or centre-aligned: only the blank space between columns is used).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

import attrs

from ._pdfium import Char, Seg

__all__ = ["Cell", "Line", "PageLayout", "Table", "join_lines", "layout_page", "text_lines"]

Box = tuple[float, float, float, float]

# Ruling lines closer than this (points) are one grid line: borders of neighbouring cells are drawn
# a fraction of a point apart, and an outer border is often thicker than the inner ones.
SNAP = 2.5
# Collinear pieces of a ruling line with a gap up to this are one line (dashes, cell-by-cell borders).
_JOIN = 3.0
# A border counts between two lattice positions when ruling covers this share of their common side.
_COVER = 0.5


def is_cjk(ch: str) -> bool:
    """Wide characters (CJK ideographs, radicals, kana, full-width forms and punctuation)."""
    return ch >= "\u2e80"


@attrs.define(slots=True)
class Line:
    """A visual line of text: its characters left to right."""

    chars: list[Char]
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return line_text(self.chars)

    @property
    def box(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)


@attrs.define(slots=True)
class Cell:
    """A table cell (merged or not): its text, box and lattice extent (0-based, end-exclusive)."""

    text: str
    box: Box
    row0: int
    col0: int
    row1: int
    col1: int
    # how far the text's last line ends above the cell's bottom, in line heights (inf when empty):
    # near 0 when the text runs to the bottom, as it does in a cell cut by a page break
    slack: float = float("inf")


@attrs.define(slots=True)
class Table:
    """A table on one page: ``grid[r][c]`` is the index in ``cells`` of the cell covering ``(r, c)``."""

    cells: list[Cell]
    grid: list[list[int]]
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    ruled: bool

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def top(self) -> float:
        return self.ys[0]


@attrs.define(slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    tables: list[Table]
    lines: list[Line]  # the text outside every table, top to bottom


def layout_page(
    number: int, width: float, height: float, chars: list[Char], hsegs: list[Seg], vsegs: list[Seg]
) -> PageLayout:
    """Tables (ruled, then aligned) and the remaining text lines of one page."""
    lattices = find_lattices(hsegs, vsegs)
    tables, free = fill_lattices(lattices, chars)
    lines = text_lines(free)
    aligned, lines = aligned_tables(lines)
    tables.extend(aligned)
    tables.sort(key=lambda t: t.top)
    return PageLayout(number, width, height, tables, lines)


# --- text lines --------------------------------------------------------------------------------


def _centre_key(c: Char) -> float:
    return c[2] + c[4]


def _x_key(c: Char) -> float:
    return c[1]


def char_rows(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters grouped into visual lines (top to bottom), each sorted left to right.

    Grouping is by vertical centre, not by the order of the content stream: producers draw runs of
    another font (quotes, digits) after the line they sit in.
    """
    order = sorted(chars, key=_centre_key)
    rows: list[list[Char]] = []
    bottom = -1e18
    cur: list[Char] = []
    for c in order:
        if (c[2] + c[4]) * 0.5 < bottom:
            cur.append(c)
            if c[4] > bottom:
                bottom = c[4]
        else:
            if cur:
                rows.append(cur)
            cur = [c]
            bottom = c[4]
    if cur:
        rows.append(cur)
    for r in rows:
        r.sort(key=_x_key)
    return rows


def line_text(chars: Sequence[Char]) -> str:
    """One line's text; a space where the gap between two characters is wide enough to be one.

    Between two wide (CJK) characters only a gap of most of a character counts: justified Chinese
    text stretches the spacing of every character. Next to a narrow (ASCII) character a fifth of the
    line height does, which is less than a space and more than any kerning.
    """
    if not chars:
        return ""
    prev = chars[0]
    parts = [prev[0]]
    for c in chars[1:]:
        gap = c[1] - prev[3]
        if gap < 0 and c[0] == prev[0] and abs(c[1] - prev[1]) < 0.3 * (prev[3] - prev[1]) + 0.5:
            continue  # the same glyph drawn twice, a hair apart: fake bold
        h = max(c[4] - c[2], prev[4] - prev[2])
        if gap > 0.2 * h and (gap > 0.8 * h or not (is_cjk(c[0]) and is_cjk(prev[0]))):
            parts.append(" ")
        parts.append(c[0])
        prev = c
    return "".join(parts)


_NUMERIC = frozenset("0123456789,.")


def join_lines(texts: Iterable[str]) -> str:
    """Wrapped lines as one text: no space between CJK fragments, one between two ASCII words.

    A number wrapped in a narrow cell (``1,32`` over ``4``) is joined without one: a wrap between
    digits is always a break inside the number.
    """
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and _word_char(out[-1]) and _word_char(t[0]) and not (out[-1] in _NUMERIC and t[0] in _NUMERIC):
            out += " "
        out += t
    return out


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def text_lines(chars: Iterable[Char]) -> list[Line]:
    lines = []
    for row in char_rows(chars):
        lines.append(Line(row, row[0][1], min(c[2] for c in row), max(c[3] for c in row), max(c[4] for c in row)))
    return lines


def _split_wide_gaps(lines: list[Line]) -> list[Line]:
    return lines


# --- ruled tables ------------------------------------------------------------------------------


def merge_rulings(segs: Iterable[Seg]) -> list[Seg]:
    """Collinear ruling pieces as whole lines: positions snapped, touching pieces joined."""
    out: list[Seg] = []
    order = sorted(segs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and order[j + 1][0] - order[i][0] <= SNAP:
            j += 1
        group = order[i : j + 1]
        pos = sum(s[0] for s in group) / len(group)
        spans = sorted((s[1], s[2]) for s in group)
        a, b = spans[0]
        for s0, s1 in spans[1:]:
            if s0 <= b + _JOIN:
                b = max(b, s1)
            else:
                out.append((pos, a, b))
                a, b = s0, s1
        out.append((pos, a, b))
        i = j + 1
    return out


@attrs.define(slots=True)
class Lattice:
    xs: list[float]
    ys: list[float]
    hrules: list[Seg]  # (y, x0, x1)
    vrules: list[Seg]  # (x, top, bottom)


def snap_values(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


def find_lattices(hsegs: Sequence[Seg], vsegs: Sequence[Seg]) -> list[Lattice]:
    """Connected ruling lines, one lattice per table (at least two rows or two columns)."""
    hs = merge_rulings(hsegs)
    vs = merge_rulings(vsegs)
    if not hs or not vs:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = _JOIN
    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, t, b) in enumerate(vs):
            if x0 - tol <= x <= x1 + tol and t - tol <= y <= b + tol:
                ri, rj = find(i), find(len(hs) + j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for gh, gv in groups.values():
        if not gh or not gv:
            continue
        # An open side (no outer border) still bounds the table where the other lines end.
        xs = snap_values([v[0] for v in gv] + [min(h[1] for h in gh), max(h[2] for h in gh)])
        ys = snap_values([h[0] for h in gh] + [min(v[1] for v in gv), max(v[2] for v in gv)])
        if len(xs) < 2 or len(ys) < 2:
            continue
        out.append(Lattice(xs, ys, gh, gv))
    out.sort(key=lambda lat: lat.ys[0])
    return out


def _covered(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    """Whether the spans cover at least ``_COVER`` of ``[a, b]``."""
    total = 0.0
    for s0, s1 in spans:
        lo, hi = max(a, s0), min(b, s1)
        if hi > lo:
            total += hi - lo
    return total >= _COVER * (b - a)


def _nearest(values: list[float], v: float) -> int:
    i = bisect.bisect_left(values, v)
    if i > 0 and (i == len(values) or v - values[i - 1] < values[i] - v):
        i -= 1
    return i


def cell_regions(lat: Lattice) -> list[list[int]]:
    """``grid[r][c]``: a region id per lattice position; positions with no border between share one."""
    nr, nc = len(lat.ys) - 1, len(lat.xs) - 1
    vspans: list[list[tuple[float, float]]] = [[] for _ in lat.xs]
    for x, t, b in lat.vrules:
        k = _nearest(lat.xs, x)
        if abs(lat.xs[k] - x) <= SNAP:
            vspans[k].append((t, b))
    hspans: list[list[tuple[float, float]]] = [[] for _ in lat.ys]
    for y, x0, x1 in lat.hrules:
        k = _nearest(lat.ys, y)
        if abs(lat.ys[k] - y) <= SNAP:
            hspans[k].append((x0, x1))
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)  # the root stays the top-left position

    for r in range(nr):
        for c in range(1, nc):
            if not _covered(vspans[c], lat.ys[r], lat.ys[r + 1]):
                union(r * nc + c - 1, r * nc + c)
    for r in range(1, nr):
        for c in range(nc):
            if not _covered(hspans[r], lat.xs[c], lat.xs[c + 1]):
                union((r - 1) * nc + c, r * nc + c)
    return [[find(r * nc + c) for c in range(nc)] for r in range(nr)]


def fill_lattices(lattices: list[Lattice], chars: list[Char]) -> tuple[list[Table], list[Char]]:
    """Each character into the cell holding its centre; the characters outside every table."""
    if not lattices:
        return [], chars
    regions = [cell_regions(lat) for lat in lattices]
    buckets: list[dict[int, list[Char]]] = [{} for _ in lattices]
    bounds = [(lat.xs[0], lat.ys[0], lat.xs[-1], lat.ys[-1]) for lat in lattices]
    free: list[Char] = []
    bl = bisect.bisect_right
    for ch in chars:
        cx = (ch[1] + ch[3]) * 0.5
        cy = (ch[2] + ch[4]) * 0.5
        for k, (x0, y0, x1, y1) in enumerate(bounds):
            if x0 < cx < x1 and y0 < cy < y1:
                lat = lattices[k]
                r = bl(lat.ys, cy) - 1
                c = bl(lat.xs, cx) - 1
                buckets[k].setdefault(regions[k][r][c], []).append(ch)
                break
        else:
            free.append(ch)
    tables = [_table(lat, grid, bucket) for lat, grid, bucket in zip(lattices, regions, buckets)]
    return tables, free


def _table(lat: Lattice, grid: list[list[int]], bucket: dict[int, list[Char]]) -> Table:
    ncols = len(lat.xs) - 1
    index: dict[int, int] = {}
    cells: list[Cell] = []
    out: list[list[int]] = []
    for r, row in enumerate(grid):
        out_row = []
        for c, rid in enumerate(row):
            k = index.get(rid)
            if k is None:
                k = index[rid] = len(cells)
                cells.append(Cell("", (0, 0, 0, 0), r, c, r + 1, c + 1))
            else:
                cell = cells[k]
                cell.row1 = max(cell.row1, r + 1)
                cell.col1 = max(cell.col1, c + 1)
            out_row.append(k)
        out.append(out_row)
    for rid, k in index.items():
        cell = cells[k]
        cell.box = (lat.xs[cell.col0], lat.ys[cell.row0], lat.xs[cell.col1], lat.ys[cell.row1])
        chars = bucket.get(rid)
        if chars:
            rows = char_rows(chars)
            cell.text = join_lines(line_text(row) for row in rows)
            last = rows[-1]
            bottom = max(c[4] for c in last)
            cell.slack = (cell.box[3] - bottom) / max(bottom - min(c[2] for c in last), 1.0)
    del ncols
    return Table(cells, out, lat.xs, lat.ys, ruled=True)


# --- aligned tables (no ruling lines) ----------------------------------------------------------


def aligned_tables(lines: list[Line]) -> tuple[list[Table], list[Line]]:
    return [], lines
