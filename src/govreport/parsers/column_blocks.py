"""pdftotext without ``-layout`` (spec §8): table cells printed as column blocks.

Without ``-layout`` pdftotext prints a PDF page as text *blocks*, so a table comes out as runs of
labels and numbers (one or a few per line): on one page the first five applicant columns row by
row, then the 其他/总计 columns as a block of pairs; on the next page the labels first, then one
block per column; print headers and footers (the title, a date, a URL, ``1/3``) in between.

The grammar (``grammars/columns.lark``) cuts each table region into lines of numbers, label text
and page furniture. The numbers, in reading order, are then fitted to the template grid under a
family of reading orders: the rows are cut into *bands* (consecutive rows, e.g. one page), each
band into at most three *column groups* left to right, and each group is printed row by row or
column by column. Where the text shows a block boundary (a blank line, a label, page furniture)
inside a group it must fall between two of the group's printed lines, and a band or group starts
only at such a boundary. Every reading that fits the columns' kinds and the template's arithmetic
is kept (T3.ROW per row, then T3.OUT and T3.BAL per column, T4.SUM per row): a cell is read only
when all of them agree on it. Table 2 has no arithmetic: where its sections' reading orders
disagree, a count the narrative states, else pdftotext's usual print order, settles them with a
warning naming the cells (``_Reader._settle``).

LibreOffice's PDF may print a table's blocks out of row order across the page (the left columns of
the upper rows, then the right ones, single numbers of one-row bands in between). When no band
reading adds up and every number has a line of its own, the runs of numbers are read as *column
segments* instead (:func:`_fit_segments`): a column over a band of rows, a column's segments top to
bottom, a band's columns left to right; that reading is taken only when exactly one fits.

Cells on which the readings disagree stay absent (``ambiguous`` with ``candidates``); where no
reading fits (a report whose own numbers do not add up, blocks in an order not modelled, a number
count that is not the grid's), or the search gives up, the table's cells are ``unreadable``. Both
come with a ``COLUMNS.*`` diagnostic naming the cells. A report is never "repaired" into consistency.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import ClassVar

import attrs
from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from ..diagnostics import CellRef, Diagnostic, Severity
from ..model import Cell, CellStatus, Table
from ..template import (
    APPLICANT_COLUMNS,
    DELTA,
    MONEY,
    TABLE3_OUTCOME_ROWS,
    RowDef,
    TableDef,
    TemplateVersion,
    template_for,
)
from ..text.normalise import NormText
from ..text.sections import Layout, table_regions
from ..text.statements import stated_issued
from ._base import tree_parser
from .rows import PLACEHOLDER, ParseResult, TableResult, classify, parse_number

__all__ = ["ColumnBlocksParser"]

MAX_GROUPS = 3
"""Column groups per band: a page prints a table in at most three blocks side by side."""
MAX_STATES = 4_000
"""Distinct partial readings kept per row boundary before the search gives up (cells unreadable)."""
_MAX_LISTED = 6

Grid = tuple[tuple[int, ...], ...]  # stream indices, row by row
Key = tuple[tuple[object, ...], ...]  # values, row by row


@attrs.frozen
class _Num:
    """A number (or a placeholder) of the stream: its text, value and where it was printed."""

    text: str
    value: int | Decimal | None  # None: a placeholder ("/", "—", "无")
    line: int
    start: int
    end: int


@attrs.frozen
class _Stream:
    """A table region's numbers in reading order, and where the text shows a block boundary."""

    nums: tuple[_Num, ...]
    breaks: frozenset[int]  # i: a boundary (blank line, label, furniture) right before nums[i]
    labels: tuple[tuple[int, str], ...]  # (numbers before it, label text) for every label line
    noise: tuple[tuple[int, str], ...]
    lines: tuple[int, ...]  # the region's lines (for coverage)


class ColumnBlocksParser:
    """pdftotext's default (non-layout) output: table columns printed as separate blocks."""

    name: ClassVar[str] = "columns"
    layout: ClassVar[str] = "column blocks"
    priority: ClassVar[int] = 40
    version_added: ClassVar[str] = "0.2"
    description: ClassVar[str] = "pdftotext without -layout: cells printed as column blocks, one number per line"

    @classmethod
    def lark(cls) -> Lark:
        return tree_parser("columns")

    def detect(self, doc: NormText, layout: Layout) -> float:
        """Table 3 printed as blocks: numbers one or a few to a line, never a whole row on one, and
        either lines of two to six numbers (chromium's print) or the row labels printed as a run of
        their own before the numbers (LibreOffice's PDF).

        Most text is not this layout, so a first pass only counts line shapes with string methods
        (no label patterns): fewer than 20 lone numbers, more than two whole rows on a line, or
        neither eight lines of a few numbers nor a run of four index-led label lines (a label line
        names at most two template rows, so eight rows take at least four) answers 0.0 at once."""
        span = table_regions(layout, len(doc.lines)).get("table3")
        if span is None:
            return 0.0
        lines = doc.lines[span[0] + 1 : span[1]]
        # lines that are one number, counted by C-level maps: most text has next to none
        texts = [s for s in map(str.strip, lines) if s]
        if sum(map(str.isdecimal, texts)) < 20 and len(list(filter(None, map(_NUMBER.fullmatch, texts)))) < 20:
            return 0.0
        lone, multi, full, longest = _shape(texts)
        if full > 2 or lone < 20:
            return 0.0
        if multi >= 8:
            return 0.9
        if lone < 60 or longest < 4:
            return 0.0
        return 0.9 if _widest_label_run(lines) >= 8 else 0.0

    def parse(self, doc: NormText, layout: Layout) -> ParseResult:
        from ..text.sections import detect_template, find_title, year_from_text

        _, title, _, year = find_title(doc)
        version, _ = detect_template(doc.text, year if year is not None else year_from_text(doc.text[:5000]))
        tpl = template_for(version)
        regions = table_regions(layout, len(doc.lines))
        tables: dict[str, TableResult] = {}
        noise: list[tuple[int, str]] = []
        used: set[int] = set()
        for tdef in tpl.tables:
            span = regions.get(tdef.id)
            stream = self._stream(doc, span, title) if span else None
            if stream is not None:
                noise.extend(stream.noise)
                used.update(stream.lines)
            narrative = "\n".join(doc.lines[: span[0]]) if span and tdef.id == "table2" else ""
            reader = _Reader(doc, version, tdef, stream, narrative)
            tables[tdef.id] = reader.table2() if tdef.id == "table2" else reader.grid_table()
        return ParseResult({}, tuple(sorted(set(noise))), (), max(1, len(used)), tables=tables)

    # --- tokenising ----------------------------------------------------------------------------

    def _stream(self, doc: NormText, span: tuple[int, int], title: str | None) -> _Stream | None:
        first, end = span[0] + 1, span[1]  # the region's first line is the section heading
        if end <= first:
            return None
        try:
            tree = self.lark().parse("\n".join(doc.lines[first:end]))
        except LarkError:
            return None
        nums: list[_Num] = []
        breaks: set[int] = set()
        labels: list[tuple[int, str]] = []
        noise: list[tuple[int, str]] = [(n, reason) for n, reason in doc.noise if first <= n < end]
        folded = {n for n, _ in noise}
        for k, line in enumerate(tree.children):
            n = first + k
            assert isinstance(line, Tree)
            items = [c for c in line.children if isinstance(c, Tree)]
            if not items:
                breaks.add(len(nums))  # a blank line (or one blanked as furniture)
                continue
            if items[0].data == "furniture":
                noise.append((n, "print header/footer"))
                breaks.add(len(nums))
                continue
            toks: list[tuple[str, Token]] = []
            for it in items:
                tok = it.children[0]
                assert isinstance(tok, Token)
                kind = "num" if it.data == "number" else ("num" if classify(str(tok)) == PLACEHOLDER else "word")
                toks.append((kind, tok))
            words = [t for kind, t in toks if kind == "word"]
            if not any(kind == "num" for kind, _ in toks):
                text = "".join(str(t) for t in words)
                if title and n not in folded and text == title.replace(" ", ""):
                    noise.append((n, "print header (title)"))
                else:
                    labels.append((len(nums), text))
                breaks.add(len(nums))
                continue
            # numbers count only as a leading or trailing run: "保留 4 位小数" is label text
            lead = 0
            while lead < len(toks) and toks[lead][0] == "num":
                lead += 1
            trail = len(toks)
            while trail > lead and toks[trail - 1][0] == "num":
                trail -= 1
            cells = toks[:lead] + toks[trail:]
            label = "".join(str(t) for _, t in toks[lead:trail])
            for j, (_, tok) in enumerate(cells):
                if label and j == lead:
                    labels.append((len(nums), label))
                    breaks.add(len(nums))
                text = str(tok)
                col = (tok.column or 1) - 1
                nums.append(_Num(text, parse_number(text), n, col, col + len(text)))
            if label and lead == len(cells):
                labels.append((len(nums), label))
                breaks.add(len(nums))
        return _Stream(tuple(nums), frozenset(breaks), tuple(labels), tuple(noise), tuple(range(first, end)))


_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_INDEX = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十]{1,2}[)）]|\d{1,2}[.．、](?!\d))"
)
_T3_ROWS = template_for(TemplateVersion.V2021).table3.rows
_ANCHOR = re.compile(r"第二十条第[（(]([一二三四五六七八九十]+)[)）]项")
_ALL_NUMBERS = re.compile(rf"{_NUMBER.pattern}(?:\s+{_NUMBER.pattern})*")
_HAS_NUMBER = re.compile(rf"(?<!\S){_NUMBER.pattern}(?!\S)")


def _shape(lines: Sequence[str]) -> tuple[int, int, int, int]:
    """Of stripped, non-blank ``lines``: lines holding only numbers — one (lone), two to six (multi),
    seven or more (full) — and an upper bound on the longest run of index-led label lines with no number between them.

    Tokens are what ``str.split`` cuts, a number is a token that fullmatches ``_NUMBER``; string
    methods and a few anchored regexes stand in for a loop over tokens (a tenth of the time). A line
    that starts with neither a digit, a sign nor an index is not looked into: it never lengthens a
    label run and is taken not to end one (hence a bound, exact when such lines hold no number)."""
    lone = multi = full = longest = run = 0
    for s in lines:  # stripped, not blank
        if s.isdecimal():
            lone += 1
            run = 0
            continue
        c = s[0]
        if c.isdecimal() or c in "+-":
            if _ALL_NUMBERS.fullmatch(s):
                n = len(s.split())
                run = 0
                if n == 1:
                    lone += 1
                elif n < 7:
                    multi += 1
                else:
                    full += 1
                    if full > 2:
                        break
                continue
        elif not _INDEX.match(s):
            continue
        if _HAS_NUMBER.search(s) is not None:
            run = 0
        elif _INDEX.match(s):
            run += 1
            longest = max(longest, run)
    return lone, multi, full, longest


_LABEL_ROWS: dict[str, frozenset[str]] = {}


def _widest_label_run(lines: Sequence[str]) -> int:
    """The most Table 3 template rows named by one run of index-led label lines (no number between)."""
    number = _NUMBER.fullmatch
    run: set[str] = set()
    widest = 0
    for line in lines:
        toks = line.split()
        if not toks:
            continue
        if not any(number(t) for t in toks):
            if _INDEX.match(toks[0]):
                text = "".join(toks)
                hits = _LABEL_ROWS.get(text)
                if hits is None:
                    hits = frozenset(r.id for r in _T3_ROWS if r.pattern.search(text))
                    if len(_LABEL_ROWS) < 4096:
                        _LABEL_ROWS[text] = hits
                run.update(hits)
                widest = max(widest, len(run))
            continue
        run = set()
    return widest


def _valid(num: _Num, kind: str) -> bool:
    v = num.value
    if v is None:
        return classify(num.text) == PLACEHOLDER
    if kind == MONEY:
        return v >= 0
    if isinstance(v, Decimal):
        return False
    return kind == DELTA or v >= 0


def _key(num: _Num, kind: str) -> object:
    if num.value is None:
        return ("placeholder", num.text)
    if kind == MONEY:
        return Decimal(num.text.replace(",", ""))
    return num.value


# --- fitting a number stream to a grid ---------------------------------------------------------


class _Limit(Exception):
    """Too many distinct readings: none can be trusted."""


def _layouts(
    base: int, h: int, width: int, breaks: Sequence[int], required: frozenset[int], conventional: bool = False
) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Stream indices of a band of ``h`` rows starting at stream index ``base``, for every split of
    its ``width`` columns into at most :data:`MAX_GROUPS` groups, each printed row by row or column
    by column, consistent with the block boundaries ``breaks``.

    ``conventional``: only the orders pdftotext usually prints — a group row by row when no boundary
    falls inside it, column by column when one falls after every column (see ``_Reader._settle``)."""
    cuts = [c for c in range(1, width) if base + h * c in required]
    for k in range(min(MAX_GROUPS - 1, len(cuts)) + 1):
        for chosen in itertools.combinations(cuts, k):
            bounds = (0, *chosen, width)
            options: list[list[str]] = []
            for c0, c1 in itertools.pairwise(bounds):
                w = c1 - c0
                p = base + h * c0
                inner = breaks[bisect.bisect_right(breaks, p) : bisect.bisect_left(breaks, p + h * w)]
                if h == 1 or w == 1:
                    options.append(["row"])
                    continue
                opts = []
                if all((b - p) % w == 0 for b in inner):
                    opts.append("row")
                if all((b - p) % h == 0 for b in inner):
                    opts.append("col")
                if conventional:
                    # row by row with no boundary inside; column by column with one after every column
                    opts = [o for o in opts if (o == "row") == (not inner) and (o == "row" or len(inner) == w - 1)]
                if not opts:
                    break
                options.append(opts)
            else:
                for orient in itertools.product(*options):
                    grid = [[0] * width for _ in range(h)]
                    for (c0, c1), o in zip(itertools.pairwise(bounds), orient, strict=True):
                        w = c1 - c0
                        p = base + h * c0
                        for r in range(h):
                            for c in range(c0, c1):
                                grid[r][c] = p + r * w + (c - c0) if o == "row" else p + (c - c0) * h + r
                    yield tuple(tuple(row) for row in grid)


def _fit(
    nums: Sequence[_Num],
    kinds: Sequence[str],
    rows: int,
    breaks: frozenset[int],
    row_ok: Callable[[tuple[object, ...]], bool] | None,
    start: int = 0,
    conventional: bool = False,
) -> dict[Key, Grid]:
    """Every distinct reading (values → stream indices) of ``rows`` × ``len(kinds)`` numbers from
    ``nums[start:]``, each row passing ``row_ok`` (``conventional``: see :func:`_layouts`). Raises
    :class:`_Limit`."""
    width = len(kinds)
    sorted_breaks = sorted(breaks)
    required = breaks | {start, start + rows * width}
    states: dict[int, dict[Key, Grid]] = {0: {(): ()}}
    bands: dict[tuple[int, int], dict[Key, Grid]] = {}
    for r0 in range(rows):
        partial = states.pop(r0, None)
        if not partial:
            continue
        for r1 in range(r0 + 1, rows + 1):
            if start + r1 * width not in required:
                continue
            band = bands.get((r0, r1))
            if band is None:
                band = {}
                for grid in _layouts(start + r0 * width, r1 - r0, width, sorted_breaks, required, conventional):
                    if not all(_valid(nums[i], k) for row in grid for i, k in zip(row, kinds, strict=True)):
                        continue
                    vals = tuple(tuple(_key(nums[i], k) for i, k in zip(row, kinds, strict=True)) for row in grid)
                    if row_ok is not None and not all(row_ok(v) for v in vals):
                        continue
                    band.setdefault(vals, grid)
                bands[(r0, r1)] = band
            if not band:
                continue
            dst = states.setdefault(r1, {})
            for pv, pg in partial.items():
                for bv, bg in band.items():
                    nv = pv + bv
                    if nv not in dst:
                        dst[nv] = pg + bg
                        if len(dst) > MAX_STATES:
                            raise _Limit
    return states.get(rows, {})


MAX_SEGMENT_STATES = 50_000
"""Distinct partial readings :func:`_fit_segments` builds in all before it gives up."""


def _segment_splits(sizes: Sequence[int], rows: int, width: int, most: int = 2) -> list[tuple[int, ...]]:
    """Segment lengths for the runs ``sizes``: each run is one segment, or as few runs as possible
    (at most ``most``) are cut into equal segments, so that every band height ``h`` has ``width``
    segments per band and the heights add up to ``rows``. Every choice at the fewest cuts."""
    base: dict[int, int] = {}
    for size in sizes:
        base[size] = base.get(size, 0) + 1

    def fits(count: dict[int, int]) -> bool:
        return all(v % width == 0 for v in count.values()) and sum(h * v // width for h, v in count.items()) == rows

    splittable = [j for j, size in enumerate(sizes) if size > 1]
    for k in range(most + 1):
        found: list[tuple[int, ...]] = []
        for chosen in itertools.combinations(splittable, k):
            options = [[d for d in range(1, sizes[j]) if sizes[j] % d == 0 and sizes[j] // d <= width] for j in chosen]
            for lengths in itertools.product(*options):
                count = dict(base)
                for j, d in zip(chosen, lengths, strict=True):
                    count[sizes[j]] -= 1
                    count[d] = count.get(d, 0) + sizes[j] // d
                if fits({h: v for h, v in count.items() if v}):
                    cand = list(sizes)
                    for j, d in zip(chosen, lengths, strict=True):
                        cand[j] = d
                    found.append(tuple(cand))
        if found:
            return found
    return []


def _fit_segments(
    nums: Sequence[_Num],
    kinds: Sequence[str],
    rows: int,
    breaks: frozenset[int],
    row_ok: Callable[[tuple[object, ...]], bool],
    grid_ok: Callable[[Key], bool] | None,
) -> dict[Key, Grid]:
    """Every distinct reading of ``nums`` as a grid printed in *column segments* (LibreOffice's PDF).

    With one number on each line, a pdftotext block is a vertical run of one column's cells. The
    rows are cut into bands (one row spacing): a segment is one column over one band, so every band
    of height ``h`` shows as ``width`` segments of ``h`` numbers. A run of numbers between two block
    boundaries is one segment, or (as few as fit the band counts) a few segments of one length side
    by side. pdftotext's reading order may interleave bands and columns across the page, but a
    column's segments come top to bottom and, within a band, the columns come left to right
    (``ptr[c]``, the rows column ``c`` has filled, never exceeds ``ptr[c-1]``); the first column's
    segments set the bands. Each row is checked by ``row_ok`` when its last column is placed, the
    whole grid by ``grid_ok``. Raises :class:`_Limit`."""
    width = len(kinds)
    n = len(nums)
    if n != rows * width or len({x.line for x in nums}) != n:
        return {}
    edges = sorted({0, n, *(b for b in breaks if 0 < b < n)})
    runs = list(itertools.pairwise(edges))
    out: dict[Key, Grid] = {}
    for lengths in _segment_splits([b - a for a, b in runs], rows, width):
        seg_len = [0] * n
        for (a, b), length in zip(runs, lengths, strict=True):
            for i in range(a, b, length):
                seg_len[i] = length
        for key, grid in _place_segments(nums, kinds, rows, seg_len, row_ok).items():
            if grid_ok is None or grid_ok(key):
                out.setdefault(key, grid)
    return out


def _place_segments(
    nums: Sequence[_Num],
    kinds: Sequence[str],
    rows: int,
    seg_len: Sequence[int],
    row_ok: Callable[[tuple[object, ...]], bool],
) -> dict[Key, Grid]:
    """Every distinct reading of segments ``seg_len`` (a length where a segment starts, else 0)."""
    width = len(kinds)
    n = len(nums)
    Cols = tuple[tuple[object, ...], ...]
    Idx = tuple[tuple[int, ...], ...]
    # (pointers, band cuts) -> {values per column: stream indices per column}
    frontier: dict[int, dict[tuple[tuple[int, ...], tuple[int, ...]], dict[Cols, Idx]]] = {
        0: {((0,) * width, (0,)): {((),) * width: ((),) * width}}
    }
    kept = 0
    for i in range(n):
        states = frontier.pop(i, None)
        if not states:
            continue
        length = seg_len[i]
        seg = range(i, i + length)
        end = i + length
        for (ptr, cuts), readings in states.items():
            for c in range(width):
                p = ptr[c]
                r1 = p + length
                if r1 > rows or (c and ptr[c - 1] < r1):
                    continue
                if c == 0:
                    ncuts = (*cuts, r1)
                else:
                    k = bisect.bisect_right(cuts, p)
                    if k >= len(cuts) or cuts[k] != r1:
                        continue
                    ncuts = cuts
                if not all(_valid(nums[j], kinds[c]) for j in seg):
                    continue
                vals = tuple(_key(nums[j], kinds[c]) for j in seg)
                nptr = (*ptr[:c], r1, *ptr[c + 1 :])
                dst = frontier.setdefault(end, {}).setdefault((nptr, ncuts), {})
                for cv, ci in readings.items():
                    ncv = (*cv[:c], cv[c] + vals, *cv[c + 1 :])
                    if c == width - 1 and not all(row_ok(tuple(col[r] for col in ncv)) for r in range(p, r1)):
                        continue
                    if ncv not in dst:
                        dst[ncv] = (*ci[:c], ci[c] + tuple(seg), *ci[c + 1 :])
                        kept += 1
                        if kept > MAX_SEGMENT_STATES:
                            raise _Limit
    out: dict[Key, Grid] = {}
    for (ptr, _), readings in frontier.get(n, {}).items():
        if any(x != rows for x in ptr):
            continue
        for cv, ci in readings.items():
            key = tuple(tuple(cv[c][r] for c in range(width)) for r in range(rows))
            out.setdefault(key, tuple(tuple(ci[c][r] for c in range(width)) for r in range(rows)))
    return out


def _row_major(rows: int, width: int) -> Grid:
    return tuple(tuple(r * width + c for c in range(width)) for r in range(rows))


def _sum_ok(vals: tuple[object, ...]) -> bool:
    """The last value is the sum of the others (not assessable with a placeholder)."""
    if not all(isinstance(v, int) for v in vals):
        return True
    ints = [v for v in vals if isinstance(v, int)]
    return sum(ints[:-1]) == ints[-1]


def _t3_columns_ok(version: TemplateVersion, tdef: TableDef) -> Callable[[Key], bool]:
    index = {r.id: k for k, r in enumerate(tdef.rows)}
    outcome = [index[r] for r in TABLE3_OUTCOME_ROWS[version]]
    new, over, handled, forward = (
        index[r] for r in ("new_received", "carried_over", "total_handled", "carried_forward")
    )

    def ok(grid: Key) -> bool:
        for c in range(len(APPLICANT_COLUMNS) + 1):
            col = [row[c] for row in grid]
            out = [v for v in (col[r] for r in outcome) if isinstance(v, int)]
            total = col[handled]
            if len(out) == len(outcome) and isinstance(total, int) and sum(out) != total:
                return False
            bal = [v for v in (col[new], col[over], col[handled], col[forward]) if isinstance(v, int)]
            if len(bal) == 4 and bal[0] + bal[1] != bal[2] + bal[3]:
                return False
        return True

    return ok


# --- building tables ---------------------------------------------------------------------------


class _Reader:
    def __init__(
        self, doc: NormText, version: TemplateVersion, tdef: TableDef, stream: _Stream | None, narrative: str = ""
    ) -> None:
        self.doc = doc
        self.narrative = narrative  # the text before Table 2: counts it states can settle Table 2 readings
        self.version = version
        self.tdef = tdef
        self.stream = stream
        self.cells: dict[str, dict[str, Cell]] = {r.id: {c.id: Cell.missing() for c in r.columns} for r in tdef.rows}
        self.diags: list[Diagnostic] = []
        self.filled = 0

    def result(self) -> TableResult:
        return TableResult(Table(self.tdef.id, self.version, self.cells), tuple(self.diags), (), self.filled)

    def grid_table(self) -> TableResult:
        """Table 3 or Table 4: one grid under its row sums (and, for Table 3, its column rules)."""
        tdef = self.tdef
        rows = list(tdef.rows)
        kinds = [c.kind for c in rows[0].columns]
        rule = "T3.ROW, T3.OUT, T3.BAL" if tdef.id == "table3" else "T4.SUM"
        if self.stream is None:
            self._flag(rows, None, "unreadable", "the table region was not found")
            return self.result()
        nums = self.stream.nums
        need = len(rows) * len(kinds)
        if len(nums) != need:
            self._flag(rows, None, "unreadable", f"the region holds {len(nums)} numbers, the table has {need} cells")
            return self.result()
        try:
            found = _fit(nums, kinds, len(rows), self.stream.breaks, _sum_ok)
            if not found and len({_key(n, kinds[0]) for n in nums}) == 1 and all(_valid(n, kinds[0]) for n in nums):
                # one value printed in every cell (all 0): any reading order gives the same table
                row = tuple(_key(nums[0], k) for k in kinds)
                if _sum_ok(row):
                    found = {tuple(row for _ in rows): _row_major(len(rows), len(kinds))}
            grid_ok = _t3_columns_ok(self.version, tdef) if tdef.id == "table3" else None
            if found and grid_ok is not None:
                found = {v: g for v, g in found.items() if grid_ok(v)}
            if not found:
                # no band reading adds up: the column segments of LibreOffice's PDF, taken only when
                # exactly one reading of them fits the arithmetic
                try:
                    segments = _fit_segments(nums, kinds, len(rows), self.stream.breaks, _sum_ok, grid_ok)
                except _Limit:
                    segments = {}
                if len(segments) == 1:
                    found = segments
        except _Limit:
            self._flag(rows, None, "unreadable", "too many readings of the column blocks to enumerate")
            return self.result()
        if not found:
            # Either the report does not add up or its blocks come in an order not modelled here; the
            # text cannot tell which, and a cell "in the same place under every order" is only as good
            # as the orders tried (on LibreOffice extractions outside them, 1 in 20 such cells was wrong).
            why = (
                f"no reading order of the column blocks fits {rule} "
                "(the report does not add up, or prints its blocks in an order not modelled)"
            )
            self._flag(rows, None, "unreadable", why)
            return self.result()
        self._place(rows, found, rule)
        return self.result()

    def table2(self) -> TableResult:
        """Table 2 section by section (第二十条第（X）项): no arithmetic, so only the numbers' kinds
        and the block boundaries constrain the reading order; readings that disagree go to
        :meth:`_settle`."""
        tdef = self.tdef
        rows = list(tdef.rows)
        sections: list[tuple[str, list[RowDef]]] = []
        for r in rows:
            m = _ANCHOR.search(r.group or "")
            key = m.group(1) if m else ""
            if sections and sections[-1][0] == key:
                sections[-1][1].append(r)
            else:
                sections.append((key, [r]))
        if self.stream is None:
            self._flag(rows, None, "unreadable", "the table region was not found")
            return self.result()
        nums = self.stream.nums
        # where each section's numbers start: after its 第二十条第（X）项 heading
        starts: list[int] = []
        for key, _ in sections:
            at = [k for k, text in self.stream.labels if (m := _ANCHOR.search(text)) and m.group(1) == key]
            starts.append(at[0] if len(at) == 1 else -1)
        if -1 in starts or starts != sorted(starts):
            self._flag(rows, None, "unreadable", "the 第二十条 section headings are not each printed once, in order")
            return self.result()
        ends = [*starts[1:], len(nums)]
        sizes = [len(rs) * len(rs[0].columns) for _, rs in sections]
        have = [e - s for s, e in zip(starts, ends, strict=True)]
        # a section's trailing columns may be printed apart, before or after a later section's own
        # numbers (their own page block): where = {section: (start of its own numbers, start of the
        # columns printed apart or -1)}, one dict per placement the text allows
        placements = self._placements(sections, starts, have, sizes)
        if not placements:
            self._flag(rows, None, "unreadable", f"the sections hold {have} numbers, the table has {sizes}")
            return self.result()
        for k, (_, srows) in enumerate(sections):
            kinds = [c.kind for c in srows[0].columns]
            try:
                found = self._section_readings(srows, kinds, [p[k] for p in placements], have[k], False)
                disputed = self._disputed(srows, found)
                if disputed:
                    found = self._settle(srows, kinds, [p[k] for p in placements], have[k], found, disputed)
            except _Limit:
                self._flag(srows, None, "unreadable", "too many readings to enumerate")
                continue
            self._place(srows, found, "no rule")
        return self.result()

    def _placements(
        self, sections: list[tuple[str, list[RowDef]]], starts: list[int], have: list[int], sizes: list[int]
    ) -> list[list[tuple[int, int]]]:
        """Where each section's numbers start (and its columns printed apart, or -1), for every
        placement the text allows: one section short of numbers, a later one with exactly as many
        too many, the short one's trailing columns printed as a run of their own before or after the
        later section's numbers at a block boundary. Where the first such column's header is printed
        right before one of the two runs, that is the placement; otherwise both are kept."""
        assert self.stream is not None
        plain = [(start, -1) for start in starts]
        short = [k for k in range(len(sections)) if have[k] < sizes[k]]
        extra = [k for k in range(len(sections)) if have[k] > sizes[k]]
        if not short and not extra:
            return [plain]
        if len(short) != 1 or len(extra) != 1 or extra[0] < short[0]:
            return []
        s, x = short[0], extra[0]
        gap = sizes[s] - have[s]
        srows = sections[s][1]
        if gap != have[x] - sizes[x] or gap % len(srows):
            return []
        header = srows[0].columns[have[s] // len(srows)].label
        options: list[tuple[int, list[tuple[int, int]]]] = []
        for own, apart in ((starts[x], starts[x] + sizes[x]), (starts[x] + gap, starts[x])):
            cut = max(own, apart)
            if cut not in self.stream.breaks:
                continue
            where = list(plain)
            where[s] = (starts[s], apart)
            where[x] = (own, -1)
            labelled = any(at == apart and header in text for at, text in self.stream.labels)
            options.append((labelled, where))
        if sum(labelled for labelled, _ in options) == 1:
            return [where for labelled, where in options if labelled]
        return [where for _, where in options]

    def _section_readings(
        self, srows: list[RowDef], kinds: list[str], where: list[tuple[int, int]], have: int, conventional: bool
    ) -> dict[Key, Grid]:
        """Every reading of one section, over every placement of its numbers."""
        assert self.stream is not None
        size = len(srows) * len(kinds)
        out: dict[Key, Grid] = {}
        for start, apart in where:
            if apart < 0:
                found = _fit(
                    self.stream.nums, kinds, len(srows), self.stream.breaks | {start + size}, None, start, conventional
                )
            else:
                found = self._split_section(srows, kinds, start, have, (apart, size - have), conventional)
            for key, grid in found.items():
                out.setdefault(key, grid)
        return out

    @staticmethod
    def _disputed(srows: list[RowDef], found: dict[Key, Grid]) -> list[tuple[int, int]]:
        keys = list(found)
        return [
            (r, c)
            for r, rdef in enumerate(srows)
            for c in range(len(rdef.columns))
            if len({key[r][c] for key in keys}) > 1
        ]

    def _settle(
        self,
        srows: list[RowDef],
        kinds: list[str],
        where: list[tuple[int, int]],
        have: int,
        found: dict[Key, Grid],
        disputed: list[tuple[int, int]],
    ) -> dict[Key, Grid]:
        """Table 2 readings that disagree, settled where the text allows, each time with a warning
        naming the cells: first by a count the narrative states (2021 form: 其中规范性文件N件 is the
        row's 本年制发件数), then by pdftotext's print convention — a run of numbers with no block
        boundary inside is printed row by row, a run cut by a boundary after every column is printed
        column by column. That convention held for every Table 2 block of the nineteen
        no-layout extractions we hold (LibreOffice's PDF and Chromium's print, see
        docs/layouts-columns.md), but it is pdftotext's habit, not a rule of the text: the warning
        gives the other reading."""
        table = self.tdef.id
        refs = [CellRef(table, srows[r].id, srows[r].columns[c].id) for r, c in disputed]
        if self.version is TemplateVersion.V2021:
            for r, rdef in enumerate(srows):
                stated_at = stated_issued(self.narrative, rdef.id)
                if stated_at is None:
                    continue
                stated, sentence = stated_at
                fits = {key: grid for key, grid in found.items() if key[r][0] == stated}
                if fits and len(fits) < len(found):
                    found = fits
                    self.diags.append(
                        Diagnostic(
                            "COLUMNS.NARRATIVE",
                            Severity.WARNING,
                            f"{table}.{rdef.id}: the column blocks read in several orders; the narrative's "
                            f"{sentence!r} leaves the one(s) where 本年制发件数 is {stated}",
                            f"{table}.{rdef.id}：按列成块的数字有多种读取顺序，"
                            f"依正文“{sentence}”取本年制发件数为 {stated} 的读法",
                            table=table,
                            row=rdef.id,
                            cells=tuple(refs),
                            detail=sentence,
                            parser="columns",
                        )
                    )
            if not self._disputed(srows, found):
                return found
        usual = {
            key: grid for key, grid in self._section_readings(srows, kinds, where, have, True).items() if key in found
        }
        if len(usual) != 1:
            return found
        (chosen,) = usual
        still = self._disputed(srows, found)
        others = sorted({"|".join(str(key[r][c]) for r, c in still) for key in found if key != chosen})
        cells = ", ".join(f"{srows[r].id}.{srows[r].columns[c].id}" for r, c in still)
        picked = "|".join(str(chosen[r][c]) for r, c in still)
        self.diags.append(
            Diagnostic(
                "COLUMNS.ORDER",
                Severity.WARNING,
                f"{table}: the column blocks fit {len(found)} reading orders; pdftotext's usual order gives "
                f"{cells} = {picked} (the other order: {'; '.join(others)})",
                f"{table}：按列成块的数字有 {len(found)} 种读取顺序，按 pdftotext 的惯常顺序取 {cells} = {picked}"
                f"（另一读法：{'; '.join(others)}）",
                table=table,
                row=srows[still[0][0]].id,
                column=srows[still[0][0]].columns[still[0][1]].id,
                cells=tuple(CellRef(table, srows[r].id, srows[r].columns[c].id) for r, c in still),
                detail=f"other readings: {'; '.join(others)}",
                parser="columns",
            )
        )
        return usual

    def _split_section(
        self,
        srows: list[RowDef],
        kinds: list[str],
        start: int,
        have: int,
        later: tuple[int, int],
        conventional: bool = False,
    ) -> dict[Key, Grid]:
        """A section whose last columns were printed apart: both parts fitted, every pairing kept."""
        assert self.stream is not None
        height = len(srows)
        lead = have // height
        if lead == 0:
            return _fit(
                self.stream.nums,
                kinds,
                height,
                self.stream.breaks | {later[0] + later[1]},
                None,
                later[0],
                conventional,
            )
        a = _fit(self.stream.nums, kinds[:lead], height, self.stream.breaks | {start + have}, None, start, conventional)
        b = _fit(
            self.stream.nums,
            kinds[lead:],
            height,
            self.stream.breaks | {later[0] + later[1]},
            None,
            later[0],
            conventional,
        )
        out: dict[Key, Grid] = {}
        for (av, ag), (bv, bg) in itertools.product(a.items(), b.items()):
            vals = tuple(x + y for x, y in zip(av, bv, strict=True))
            out.setdefault(vals, tuple(x + y for x, y in zip(ag, bg, strict=True)))
            if len(out) > MAX_STATES:
                raise _Limit
        return out

    # --- cells and diagnostics -----------------------------------------------------------------

    def _place(self, rows: list[RowDef], found: dict[Key, Grid], rule: str) -> None:
        assert self.stream is not None
        nums = self.stream.nums
        if not found:
            self._flag(rows, None, "unreadable", f"no reading order of the column blocks fits {rule}")
            return
        readings = list(found.items())
        undecided: list[tuple[str, str]] = []
        for r, rdef in enumerate(rows):
            for c, cdef in enumerate(rdef.columns):
                values = {v[r][c] for v, _ in readings}
                first = nums[readings[0][1][r][c]]
                if len(values) == 1:
                    span = self.doc.span(first.line, first.start, first.end)
                    if first.value is None:
                        self.cells[rdef.id][cdef.id] = Cell(None, first.text, CellStatus.PLACEHOLDER, span)
                        continue
                    value = Decimal(first.text.replace(",", "")) if cdef.kind == MONEY else first.value
                    self.cells[rdef.id][cdef.id] = Cell(value, first.text, CellStatus.NUMBER, span)
                    self.filled += 1
                    continue
                ints = sorted({int(v) for v in values if isinstance(v, (int, Decimal)) and int(v) == v})
                self.cells[rdef.id][cdef.id] = Cell(None, "", CellStatus.AMBIGUOUS, None, tuple(ints))
                undecided.append((rdef.id, cdef.id))
        if undecided:
            why = f"{len(readings)} reading orders of the column blocks fit {rule} and disagree"
            self._flag(rows, undecided, "ambiguous", why, readings)

    def _flag(
        self,
        rows: list[RowDef],
        refs: list[tuple[str, str]] | None,
        what: str,
        why: str,
        readings: list[tuple[Key, Grid]] | None = None,
    ) -> None:
        table = self.tdef.id
        if refs is None:
            refs = [(r.id, c.id) for r in rows for c in r.columns]
            status = CellStatus.UNREADABLE
            for r, c in refs:
                self.cells[r][c] = Cell(None, "", status)
        listed = ""
        if readings:
            cells = ", ".join(f"{r}.{c}" for r, c in refs[:_MAX_LISTED])
            more = f" (+{len(refs) - _MAX_LISTED} more)" if len(refs) > _MAX_LISTED else ""
            listed = f" Disputed: {cells}{more}."
        code = "COLUMNS.AMBIGUOUS" if what == "ambiguous" else "COLUMNS.UNREADABLE"
        row_ids = {r for r, _ in refs}
        self.diags.append(
            Diagnostic(
                code,
                Severity.ERROR,
                f"{table}: {why}; {len(refs)} cell(s) left unread.{listed}",
                f"{table}：按列成块的文本无法唯一确定数值所属的行列，{len(refs)} 个单元格未读取",
                table=table,
                row=next(iter(row_ids)) if len(row_ids) == 1 else refs[0][0],
                column=refs[0][1],
                cells=tuple(CellRef(table, r, c) for r, c in refs),
                detail=why,
                parser="columns",
            )
        )
