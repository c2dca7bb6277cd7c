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
import itertools
import operator
import re
from collections.abc import Iterable, Sequence

import attrs

from ._pdfium import Char, Seg

__all__ = ["Cell", "Line", "PageLayout", "Table", "join_lines", "layout_page", "text_lines"]

Box = tuple[float, float, float, float]

# Ruling lines closer than this (points) are one grid line: borders of neighbouring cells are drawn
# a fraction of a point apart, an outer border is often thicker than the inner ones, and a browser's
# default (separated) borders draw each cell's own side, 2-4.5 pt from its neighbour's.
SNAP = 5.0
# Collinear pieces of a ruling line with a gap up to this are one line (dashes, cell-by-cell borders).
_JOIN = 3.0
# Two row lines closer than this (points) bound no row: no text is this small.
_SLIVER = 6.0
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
    _text: str | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = line_text(self.chars)
        return self._text

    @property
    def wide_height(self) -> float:
        """The height of the line's tallest wide (CJK) character, 0 without one: one font's
        measure of the type size, where digits and Latin letters come from other fonts."""
        h = 0.0
        for c in self.chars:
            if c[0] >= "\u2e80" and c[4] - c[2] > h:
                h = c[4] - c[2]
        return h

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
    lines: int = 0  # visual lines of text
    page: int = 0  # 1-based, set by the reader


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
    frames: list[Box] = []
    tables, free = fill_lattices(lattices, chars, frames)
    lines = text_lines(free)
    aligned, lines = aligned_tables(lines, height, frames)
    tables.extend(aligned)
    tables.sort(key=lambda t: t.top)
    return PageLayout(number, width, height, tables, lines)


# --- text lines --------------------------------------------------------------------------------


_BY_BOTTOM = operator.itemgetter(4)
_BY_TOP = operator.itemgetter(2)
_BY_X = operator.itemgetter(1)


def char_rows(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters grouped into visual lines (top to bottom), each sorted left to right.

    Grouping is by vertical position, not by the order of the content stream: producers draw
    runs of another font (quotes, digits) after the line they sit in. A character joins a line
    when its centre is within a third of a line height of the line's first centre, so that a
    number centred between the two lines of a wrapped label (a table without rulings) is a line
    of its own. (Sorted by bottom, a C-level key: the lines of one cell or page do not overlap.)
    """
    order = sorted(chars, key=_BY_BOTTOM)
    rows: list[list[Char]] = []
    cur: list[Char] = []
    limit = -1e18
    for c in order:
        if c[2] + c[4] <= limit:  # twice the centre, against twice the limit
            cur.append(c)
            continue
        if cur:
            rows.append(cur)
        cur = [c]
        limit = c[2] + c[4] + 0.7 * (c[4] - c[2])
    if cur:
        rows.append(cur)
    for r in rows:
        r.sort(key=_BY_X)
    return rows


def line_text(chars: Sequence[Char]) -> str:
    """One line's text; a space where the gap between two characters is wide enough to be one.

    Between two wide (CJK) characters only a gap of most of a character counts: justified Chinese
    text stretches the spacing of every character. Next to a narrow (ASCII) character a fifth of the
    line height does, which is less than a space and more than any kerning.
    """
    if len(chars) < 2:
        return chars[0][0] if chars else ""
    h = 0.0
    for c in chars:
        if c[4] - c[2] > h:
            h = c[4] - c[2]
    narrow, wide = 0.2 * h, 0.8 * h
    pch, px0, _, px1, _ = chars[0]
    parts = [pch]
    for ch, x0, _, x1, _ in chars[1:]:
        gap = x0 - px1
        if gap > narrow:
            if gap > wide or ch < "\u2e80" or pch < "\u2e80":
                parts.append(" ")
        elif gap < 0 and ch == pch and abs(x0 - px0) < 0.3 * (px1 - px0) + 0.5:
            continue  # the same glyph drawn twice, a hair apart: fake bold
        parts.append(ch)
        pch, px0, px1 = ch, x0, x1
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
        top, x1, bottom = row[0][2], row[-1][3], row[0][4]
        for c in row:
            if c[2] < top:
                top = c[2]
            if c[4] > bottom:
                bottom = c[4]
            if c[3] > x1:
                x1 = c[3]
        lines.append(Line(row, row[0][1], top, x1, bottom))
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
        # rounded once here, so that every cell box made of them is too
        xs = [round(x, 2) for x in snap_values([v[0] for v in gv] + [min(h[1] for h in gh), max(h[2] for h in gh)])]
        ys = [round(y, 2) for y in snap_values([h[0] for h in gh] + [min(v[1] for v in gv), max(v[2] for v in gv)])]
        # (columns are not thinned: two tables stacked edge to edge interleave their column lines)
        ys = _no_slivers(ys, gh)
        if len(xs) < 2 or len(ys) < 2:
            continue
        out.append(Lattice(xs, ys, gh, gv))
    out.sort(key=lambda lat: lat.ys[0])
    return out


def _no_slivers(values: list[float], rules: list[Seg]) -> list[float]:
    """Row lines with no band between two of them thinner than :data:`_SLIVER`: of two such lines
    the one drawn the shorter way goes (a browser's separated cell borders, or the end of a merged
    cell's rest a little above its neighbours' at the top of a page, leave bands no text fits in)."""
    if len(values) < 3 or min(b - a for a, b in itertools.pairwise(values)) >= _SLIVER:
        return values  # the usual case
    drawn = [0.0] * len(values)
    for pos, a, b in rules:
        k = bisect.bisect_left(values, pos - SNAP)
        if k < len(values) and abs(values[k] - pos) <= SNAP:
            drawn[k] += b - a
    out = [values[0]]
    weight = [drawn[0]]
    for v, w in zip(values[1:], drawn[1:], strict=True):
        if v - out[-1] < _SLIVER and len(out) > 1 and v != values[-1]:
            if w > weight[-1]:
                out[-1], weight[-1] = v, w
            continue
        out.append(v)
        weight.append(w)
    return out


def _covered(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    """Whether the spans cover at least ``_COVER`` of ``[a, b]``."""
    if not spans:
        return False
    s0, s1 = spans[0]
    if s0 <= a and b <= s1:
        return True  # the common case: one line along the whole table
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
    for spans in (*vspans, *hspans):
        spans.sort(key=lambda sp: sp[0] - sp[1])  # the longest first, for the common case
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


def fill_lattices(
    lattices: list[Lattice], chars: list[Char], frames: list[Box] | None = None
) -> tuple[list[Table], list[Char]]:
    """Each character into the cell holding its centre; the characters outside every table.

    A lattice without columns (a frame, or rules between rows only) is no table: its characters
    are handed back as free text, and its box is added to ``frames``."""
    if not lattices:
        return [], chars
    regions = [cell_regions(lat) for lat in lattices]
    buckets: list[dict[int, list[Char]]] = [{} for _ in lattices]
    bl = bisect.bisect_right
    # characters in order of their top, so that each table looks only at those of its rows
    order = sorted(chars, key=_BY_TOP)
    tops = [c[2] for c in order]
    taken = [False] * len(order)
    tallest = max((c[4] - c[2] for c in order), default=0.0)
    for k, lat in enumerate(lattices):
        # doubled coordinates: a character's centre is (x0 + x1) / 2, compared without halving
        xs2 = [2 * x for x in lat.xs]
        ys2 = [2 * y for y in lat.ys]
        x0, x1, y0, y1 = xs2[0], xs2[-1], ys2[0], ys2[-1]
        grid, bucket = regions[k], buckets[k]
        lo = bisect.bisect_left(tops, lat.ys[0] - tallest)
        hi = bl(tops, lat.ys[-1])
        for i in range(lo, hi):
            if taken[i]:
                continue
            ch = order[i]
            cy = ch[2] + ch[4]
            if y0 < cy < y1:
                cx = ch[1] + ch[3]
                if x0 < cx < x1:
                    taken[i] = True
                    rid = grid[bl(ys2, cy) - 1][bl(xs2, cx) - 1]
                    cell = bucket.get(rid)
                    if cell is None:
                        bucket[rid] = [ch]
                    else:
                        cell.append(ch)
    free = [c for c, t in zip(order, taken, strict=True) if not t]
    tables = []
    for lat, grid, bucket in zip(lattices, regions, buckets, strict=False):
        table = _table(lat, grid, bucket)
        if _columnless(table, bucket):
            # a frame, or rules between rows only: the text inside is read as if undrawn
            for chars_in in bucket.values():
                free.extend(chars_in)
            if frames is not None:
                frames.append(table.box)
        else:
            tables.append(table)
    return tables, free


def _columnless(table: Table, bucket: dict[int, list[Char]]) -> bool:
    """Every cell as wide as the table, and more than one line of text or a line of several
    pieces (one line of one piece, a caption, may be the first row of a ruled table going on at
    the top of the next page)."""
    ncols = len(table.xs) - 1
    if any(c.col0 != 0 or c.col1 != ncols for c in table.cells):
        return False
    if len(table.cells) > 1 or table.cells[0].lines > 1:
        return True
    chars = next(iter(bucket.values()), [])
    return bool(chars) and len(pieces(text_lines(chars)[0])) > 1


def _table(lat: Lattice, grid: list[list[int]], bucket: dict[int, list[Char]]) -> Table:
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
                if cell.row1 <= r:
                    cell.row1 = r + 1
                if cell.col1 <= c:
                    cell.col1 = c + 1
            out_row.append(k)
        out.append(out_row)
    for rid, k in index.items():
        cell = cells[k]
        cell.box = (lat.xs[cell.col0], lat.ys[cell.row0], lat.xs[cell.col1], lat.ys[cell.row1])
        chars = bucket.get(rid)
        if chars:
            rows = [chars] if len(chars) == 1 else char_rows(chars)
            cell.text = line_text(rows[0]) if len(rows) == 1 else join_lines(line_text(row) for row in rows)
            cell.lines = len(rows)
            last = rows[-1]
            top, bottom = last[0][2], last[0][4]
            for ch in last:
                if ch[4] > bottom:
                    bottom = ch[4]
                if ch[2] < top:
                    top = ch[2]
            cell.slack = (cell.box[3] - bottom) / max(bottom - top, 1.0)
    return Table(cells, out, lat.xs, lat.ys, ruled=True)


# --- aligned tables (no ruling lines) ----------------------------------------------------------

# A gap this many ems wide between two characters of a line separates two cells.
SEG_GAP = 0.6
# Lines of one table are at most this many line heights apart, and at most this many lines in a row
# of one piece each (a wrapped label, a heading spanning the table) lie between lines of several.
_REGION_GAP = 2.2
_BRIDGE = 3
# Wide characters of one font differing in height by more than this share are of another size.
_SIZE_STEP = 0.08
# A line inside this share of the page height from its top or bottom edge is print margin furniture
# (a browser's date and title, URL and page number), never a table row.
_MARGIN = 0.04
# Lines closer than this many line heights can be two lines of one row; closer than the second,
# they are two lines of one cell (a wrap keeps the leading only, a new row adds the cell padding).
_ROW_GAP = 1.0
_WRAP_GAP = 0.35
_NUMBER = re.compile(r"^\s*[-+]?\d[\d,]*(?:\.\d+)?%?\s*$")


@attrs.define(slots=True)
class Piece:
    """A run of characters of one line with no wide gap: one cell's text on that line."""

    chars: list[Char]
    x0: float
    x1: float
    top: float
    bottom: float
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = line_text(self.chars)
        return self._text


def em(line: Line) -> float:
    """The font size, from the line height (a loose box is about 1.1 em high)."""
    return max(line.height / 1.1, 1.0)


def has_gap(line: Line, gap: float) -> bool:
    """Whether the line has a blank wider than ``gap`` ems between two characters."""
    limit = gap * em(line)
    chars = line.chars
    px1 = chars[0][3]
    for c in chars:
        if c[1] - px1 > limit:
            return True
        px1 = c[3]
    return False


def pieces(line: Line, gap: float = SEG_GAP) -> list[Piece]:
    """A line cut at every gap wider than ``gap`` ems."""
    limit = gap * em(line)
    out: list[Piece] = []
    start = 0
    chars = line.chars
    top, bottom = line.top, line.bottom  # the line's: a piece's own would differ by a hair
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i][1] - chars[i - 1][3] > limit:
            run = chars[start:i]
            out.append(Piece(run, run[0][1], run[-1][3], top, bottom))
            start = i
    return out


def _frame_of(line: Line, frames: Sequence[Box]) -> int:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    for k, (x0, y0, x1, y1) in enumerate(frames):
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            return k
    return -1


def aligned_tables(lines: list[Line], height: float, frames: Sequence[Box] = ()) -> tuple[list[Table], list[Line]]:
    """Tables drawn without ruling lines: runs of lines that break into aligned pieces.

    A frame drawn around a table (an outer border and nothing inside) bounds it: a run of lines
    never crosses a frame's edge, so the heading between two framed tables stays out of both.
    """
    if len(lines) < 2:
        return [], lines
    cut = [pieces(line) for line in lines]
    band = _MARGIN * height
    frame = [_frame_of(line, frames) for line in lines] if frames else [-1] * len(lines)
    usable = [f >= 0 or (line.bottom > band and line.top < height - band) for f, line in zip(frame, lines, strict=True)]
    tables: list[Table] = []
    used: set[int] = set()
    i, n = 0, len(lines)
    while i < n:
        if not (usable[i] and len(cut[i]) > 1):
            i += 1
            continue
        j = last = i
        ref = lines[i].height
        wide = lines[i].wide_height  # a table's text is of one size: a heading of another ends it
        while j + 1 < n and j - last <= _BRIDGE and usable[j + 1] and frame[j + 1] == frame[i]:
            if lines[j + 1].top - lines[j].bottom > _REGION_GAP * lines[j].height:
                break
            if abs(lines[j + 1].height - ref) > 0.2 * ref:
                break
            w = lines[j + 1].wide_height
            if w and wide and abs(w - wide) > _SIZE_STEP * wide:
                break
            wide = wide or w
            j += 1
            if len(cut[j]) > 1:
                last = j
        first = i
        # header lines of one piece above the first line of several (a caption spanning the
        # table, the upper line of a wrapped header): close above, of the table's text size
        while (
            first > 0
            and i - first < _BRIDGE
            and (first - 1) not in used
            and usable[first - 1]
            and frame[first - 1] == frame[i]
            and len(cut[first - 1]) == 1
            and abs(lines[first - 1].height - ref) <= 0.2 * ref
            and not (wide and abs(lines[first - 1].wide_height - wide) > _SIZE_STEP * wide)
            and lines[first].top - lines[first - 1].bottom <= _ROW_GAP * ref
        ):
            first -= 1
        if frame[i] >= 0:
            # inside a frame every line is the table's, a last line of one piece too
            first = min(k for k in range(first, i + 1) if frame[k] == frame[i] and k not in used)
            while last + 1 < n and frame[last + 1] == frame[i]:
                last += 1
        region = list(range(first, last + 1))
        # two lines of several pieces make a table; one does inside a frame (the part of a
        # framed table that a page break left on this page)
        several = sum(len(cut[k]) > 1 for k in region)
        table = _aligned(lines, cut, region) if several > 1 or (several and frame[i] >= 0) else None
        if table is None:
            i += 1
            continue
        tables.append(table)
        used.update(region)
        i = last + 1
    return tables, [line for k, line in enumerate(lines) if k not in used]


def column_edges(rows: list[list[Piece]]) -> list[float]:
    """Column boundaries where the pieces of (nearly) all lines leave blank space.

    Only the lines with most pieces (the data rows) vote: a header spanning columns, or labels
    set so close that they run together, would hide the boundaries under them. A boundary
    survives while at most a fifth of the voting lines cross it.
    """
    left = min(p.x0 for ps in rows for p in ps)
    right = max(p.x1 for ps in rows for p in ps)
    most = max(len(ps) for ps in rows)
    voters = [ps for ps in rows if len(ps) >= 0.6 * most]
    events: list[tuple[float, int]] = []
    for ps in voters:
        for p in ps:
            events.append((p.x0, 1))
            events.append((p.x1, -1))
    events.sort()
    allowed = len(voters) // 5
    edges = [left]
    depth = 0
    gap_start: float | None = None
    for x, d in events:
        before = depth
        depth += d
        if before > allowed >= depth and x < right and x > left:
            gap_start = x
        elif before <= allowed < depth and gap_start is not None:
            if x - gap_start > 1.0:
                edges.append((gap_start + x) / 2)
            gap_start = None
    edges.append(right)
    return _merge_unshared(edges, voters)


def _merge_unshared(edges: list[float], rows: list[list[Piece]]) -> list[float]:
    """Drop a boundary that no line has a piece on both sides of, next to it.

    Numbers that sit a little left or right from row to row (padding that varies) leave a blank
    strip inside their column; two real columns are both filled in most lines.
    """
    while len(edges) > 3:
        ncols = len(edges) - 1
        shared = [0] * (ncols - 1)
        for ps in rows:
            seen = set()
            for p in ps:
                c0, c1 = _span(p, edges)
                if c0 == c1:
                    seen.add(c0)
            for c in range(ncols - 1):
                if c in seen and c + 1 in seen:
                    shared[c] += 1
        weakest = min(range(ncols - 1), key=lambda c: shared[c])
        if shared[weakest] > 0:
            break
        del edges[weakest + 1]
    return edges


@attrs.define(slots=True)
class _Row:
    top: float
    bottom: float
    cols: set[int]
    numeric: bool
    placed: list[tuple[Piece, int, int]]  # piece, first and last column


def _span(p: Piece, edges: list[float]) -> tuple[int, int]:
    """The columns a piece lies in: those it overlaps by an em or more (or its widest overlap).

    A label running a little past the boundary found from the data rows stays in its column."""
    last = len(edges) - 2
    c0 = min(max(bisect.bisect_right(edges, p.x0) - 1, 0), last)
    c1 = min(max(bisect.bisect_left(edges, p.x1) - 1, c0), last)
    if c0 == c1:
        return c0, c1
    need = min((p.bottom - p.top) / 1.1, 0.5 * (p.x1 - p.x0))
    inside = [c for c in range(c0, c1 + 1) if min(p.x1, edges[c + 1]) - max(p.x0, edges[c]) >= need]
    if not inside:
        best = max(range(c0, c1 + 1), key=lambda c: min(p.x1, edges[c + 1]) - max(p.x0, edges[c]))
        return best, best
    return inside[0], inside[-1]


def _aligned(lines: list[Line], cut: list[list[Piece]], region: list[int]) -> Table | None:
    edges = column_edges([cut[k] for k in region if len(cut[k]) > 1])
    if len(edges) < 3:
        return None
    rows: list[_Row] = []
    for idx, k in enumerate(region):
        placed = [(p, *_span(p, edges)) for p in cut[k]]
        cols = {c for _, c0, c1 in placed for c in range(c0, c1 + 1)}
        numeric = any(_NUMBER.match(p.text) for p, _, _ in placed)
        line = lines[k]
        nxt = region[idx + 1] if idx + 1 < len(region) else None
        if rows and _same_row(rows[-1], line, cut[k], cols, numeric, nxt, lines, cut, edges):
            row = rows[-1]
            row.bottom = max(row.bottom, line.bottom)
            row.cols |= cols
            row.numeric = row.numeric or numeric
            row.placed.extend(placed)
        else:
            rows.append(_Row(line.top, line.bottom, cols, numeric, placed))
    return _aligned_table(rows, edges)


def _same_row(
    row: _Row,
    line: Line,
    cut_line: list[Piece],
    cols: set[int],
    numeric: bool,
    nxt: int | None,
    lines: list[Line],
    cut: list[list[Piece]],
    edges: list[float],
) -> bool:
    """Whether ``line`` is another line of the row above (a wrapped cell, numbers centred beside it).

    It is when each of its pieces either lands in a column the row has nothing in yet, or goes on
    (as text) from a text piece of the row spanning its columns; unless it is rather the first
    line of the next row, whose numbers (centred on a two-line label) follow on the line below.
    """
    if line.top - row.bottom > _ROW_GAP * line.height:
        return False
    if not cols & row.cols:
        return True  # the rest of the row's cells, a line lower
    for p in cut_line:
        a, b = _span(p, edges)
        if not any(c in row.cols for c in range(a, b + 1)):
            continue
        if _NUMBER.match(p.text) or not any(
            a0 <= a and b <= b0 and not _NUMBER.match(q.text) for q, a0, b0 in row.placed
        ):
            return numeric and _label_above(row, line, cut_line, edges)
    if nxt is not None and lines[nxt].top - line.bottom <= _ROW_GAP * line.height:
        below = {c for p in cut[nxt] for c in range(_span(p, edges)[0], _span(p, edges)[1] + 1)}
        if not below & cols:
            return False
    return True


def _label_above(row: _Row, line: Line, cut_line: list[Piece], edges: list[float]) -> bool:
    """A row of text only, just above (closer than a wrap's leading): the first lines of a label
    whose last line carries the row's numbers."""
    if row.numeric or line.top - row.bottom > _WRAP_GAP * line.height:
        return False
    texts = {c for p, a, b in row.placed for c in range(a, b + 1)}
    for p in cut_line:
        a, b = _span(p, edges)
        if any(c in texts for c in range(a, b + 1)) and _NUMBER.match(p.text):
            return False
    return True


def _aligned_table(rows: list[_Row], edges: list[float]) -> Table:
    ncols = len(edges) - 1
    cells: list[Cell] = []
    grid: list[list[int]] = []
    edges = [round(x, 2) for x in edges]
    ys = [round(r.top, 2) for r in rows] + [round(rows[-1].bottom, 2)]
    for r, row in enumerate(rows):
        y0, y1 = ys[r], ys[r + 1]
        slots: list[list[Piece]] = [[] for _ in range(ncols)]
        spans: list[tuple[int, int] | None] = [None] * ncols
        taken = [0] * ncols
        for _, c0, c1 in row.placed:
            for c in range(c0, c1 + 1):
                taken[c] += 1
        for p, c0, c1 in row.placed:
            if c1 > c0 and any(taken[c] > 1 for c in range(c0, c1 + 1)):
                c0 = c1 = max(range(c0, c1 + 1), key=lambda c: min(p.x1, edges[c + 1]) - max(p.x0, edges[c]))
            slots[c0].append(p)
            known = spans[c0]
            spans[c0] = (c0, c1 if known is None else max(c1, known[1]))
        out = [-1] * ncols
        for c in range(ncols):
            if out[c] >= 0:
                continue
            c0, c1 = spans[c] or (c, c)
            k = len(cells)
            ps = slots[c]
            text = join_lines(line_text(row) for row in char_rows(ch for p in ps for ch in p.chars)) if ps else ""
            cells.append(Cell(text, (edges[c0], y0, edges[c1 + 1], y1), r, c0, r + 1, c1 + 1, lines=len(ps)))
            for cc in range(c0, c1 + 1):
                if out[cc] < 0:
                    out[cc] = k
        grid.append(out)
    return Table(cells, grid, edges, ys, ruled=False)
