"""Flattened web text (spec §8): tables whose cells run together on one long line.

A crawler's text extraction drops every separator, so ``…申请数量16420001167二、上年…`` holds a
whole Table 3 row. This parser cuts the table regions into label text and digit runs with its
grammar (``grammars/flat.lark``), finds each template row by its printed label (the row index
prefix — ``2.`` in ``00000002.其他法律`` — tells where the run before it ends), and splits every
run with :mod:`govreport.parsers.solver` under the template's arithmetic: T3.ROW per row, then T3.OUT and
T3.BAL across rows that still have several readings, T4.SUM per Table 4 block. Table 2 has no
rule, so only the digit count and the no-leading-zero rule constrain it.

Where more than one reading survives, or none does (the report's own numbers do not add up), the
cells on which the readings disagree stay absent (``ambiguous`` / ``unreadable`` with
``candidates``) with a ``FLAT.*`` diagnostic. A report is never "repaired" into consistency.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

import attrs
from lark import Lark, Token, Tree

from ..diagnostics import CellRef, Diagnostic, Severity
from ..model import Cell, CellStatus, Deferred, Table, unchecked_cell
from ..template import APPLICANT_COLUMNS, MONEY, TABLE3_OUTCOME_ROWS, RowDef, TableDef, TemplateVersion, template_for
from ..text.normalise import NormText, fold
from ..text.sections import Layout, detect_template, find_title, year_from_text
from ..text.statements import stated_issued
from ._base import tree_parser
from .rows import CELL, ParseResult, TableResult, out_of_order
from .solver import Cut, Run, SearchLimit, cut_readings

__all__ = ["FlatParser"]

_HEADINGS = (
    ("table2", re.compile(r"二\s*[、.．]\s*主动公开")),
    ("table3", re.compile(r"三\s*[、.．]\s*(?:收到和处理|依申请公开)")),
    ("table4", re.compile(r"四\s*[、.．][^。；\d四]{0,20}?(?:行政复议|行政诉讼)")),
    ("end", re.compile(r"[五六]\s*[、.．][^。；\d]{0,20}?(?:问题|不足|其他需要|下一步)")),
)
# a label followed by a row's worth of digits: glued (``数量0000000``) or parted by the single spaces
# of the page's markup (``数量 15 7 0 1 0 0 23``: a whole page on one line). One digit a step: a run
# that falls short of six cannot make the search backtrack. Padded columns (2+ spaces) are no match.
_GLUED = re.compile(r"[\u4e00-\u9fff)）](?:[ \u3000\u00a0]?\d){6,}")
_RUN = re.compile(r"(?:[+\-]?\d|[/—－\\])[\d,.+\-/—－\\]*")
_INDEX = re.compile(r"^(?:([一二三四五六七八九十]+)、|（([一二三四五六七八九十]+)）|(\d+)\.)")
# the characters of the grammar's GAP terminal; other white space has no terminal (Lark raises on it)
_GAP_CHARS = " \t\n\u3000\u00a0"
_SPACE = re.compile(r"\s+")
_MAX_COMBOS = 50_000
_NUMBER = CellStatus.NUMBER
_UNDECIDED = (CellStatus.AMBIGUOUS, CellStatus.UNREADABLE)
# a table's cells are built unchecked, and plain counts only on first read (tests/test_flat_reference.py
# re-validates every table this parser builds, as tests/test_model.py does the assembler's)
_Entry = Cell | Deferred
_MAX_LISTED = 8
_SURE_HITS = 5  # glued label-and-number spots from which detect scores its most (0.2 each, at most 0.95)
_SolveKey = tuple[str, frozenset[int], tuple[str, ...], tuple[tuple[int, int], ...]]  # run text, cuts, kinds, blocks
_NO_CUTS: frozenset[int] = frozenset()


@attrs.frozen
class _Region:
    """A table region with white space removed: ``text`` plus where each char came from.

    The chars between two gaps came from one stretch of the document, so where they came from is
    kept per stretch: ``text[i]`` of the stretch starting at ``starts[k]`` is document char
    ``i + shifts[k]``.
    """

    text: str
    gaps: tuple[int, ...]  # indices of ``text`` that had white space before them, ascending
    starts: tuple[int, ...]  # index in ``text`` where each stretch starts, ascending
    shifts: tuple[int, ...]  # absolute offset in the document text minus index in ``text``, per stretch

    def offset(self, i: int) -> int:
        """The absolute offset in the document text of ``text[i]``."""
        return i + self.shifts[bisect.bisect_right(self.starts, i) - 1]

    def cuts(self, s: int, e: int) -> frozenset[int]:
        """The gaps strictly inside ``text[s:e]``, relative to ``s`` (forced cell boundaries of a run)."""
        gaps = self.gaps
        if not gaps:
            return _NO_CUTS
        return frozenset(g - s for g in gaps[bisect.bisect_right(gaps, s) : bisect.bisect_left(gaps, e)])


@attrs.define
class _RowFind:
    rdef: RowDef
    run: Run | None = None
    run_start: int = 0  # index in the region text


class FlatParser:
    """Crawler text with the table markup stripped and no separators between cells."""

    name: ClassVar[str] = "flat"
    layout: ClassVar[str] = "flat"
    priority: ClassVar[int] = 50
    version_added: ClassVar[str] = "0.2"
    description: ClassVar[str] = "flattened web text: table cells glued into long digit runs"

    @classmethod
    def lark(cls) -> Lark:
        return tree_parser("flat")

    def detect(self, doc: NormText, layout: Layout) -> float:
        longest = max(map(len, doc.lines), default=0)
        if longest < 300:
            return 0.0
        hits = 0
        for line in doc.lines:
            if len(line) >= 300:
                for _ in _GLUED.finditer(line):
                    hits += 1
                    if hits == _SURE_HITS:  # the score cannot rise further: stop scanning
                        return 0.95
        return min(0.95, 0.2 * hits)

    def parse(self, doc: NormText, layout: Layout) -> ParseResult:
        text = doc.text
        line_starts = [0]
        for line in doc.lines[:-1]:
            line_starts.append(line_starts[-1] + len(line) + 1)
        _, _, _, year = find_title(doc)
        version, _ = detect_template(text, year if year is not None else year_from_text(text[:5000]))
        tpl = template_for(version)
        bounds = _regions(text)
        narrative = text[: bounds["table2"][0]] if "table2" in bounds else ""
        ctx = _Ctx(doc, line_starts, version, narrative)
        tables: dict[str, TableResult] = {}
        used_lines: set[int] = set()
        for tdef in tpl.tables:
            span = bounds.get(tdef.id)
            region = self._region(text, span) if span else None
            if region is not None and span is not None:
                used_lines.update(range(ctx.line_of(span[0]), ctx.line_of(max(span[0], span[1] - 1)) + 1))
            if tdef.id == "table4":
                tables[tdef.id] = ctx.table4(tdef, region)
            elif tdef.id == "table3":
                tables[tdef.id] = ctx.table3(tdef, region)
            else:
                tables[tdef.id] = ctx.table2(tdef, region)
        noise = tuple((n, "flattened table text") for n in sorted(used_lines))
        return ParseResult({}, noise, (), max(1, len(used_lines)), tables=tables)

    def _region(self, text: str, span: tuple[int, int]) -> _Region:
        a, b = span
        sub = text[a:b]
        if fold(sub) == sub:
            region = _plain_region(sub, a)
            if region is not None:
                return region
        return self._lexed_region(sub, a)

    def _lexed_region(self, sub: str, a: int) -> _Region:
        """The region by the grammar: raises on white space it does not know, folds the labels."""
        tree = self.lark().parse(sub)
        chars: list[str] = []
        starts: list[int] = []
        shifts: list[int] = []
        gaps: set[int] = set()
        for piece in tree.children:
            if not isinstance(piece, Tree):
                continue
            tok = piece.children[0]
            assert isinstance(tok, Token)
            start = a + (tok.start_pos or 0)
            if piece.data == "gap":
                gaps.add(len(chars))
                continue
            value = fold(str(tok)) if piece.data == "label" else str(tok)
            if len(value) != len(str(tok)):
                value = str(tok)
            if not shifts or shifts[-1] != start - len(chars):
                starts.append(len(chars))
                shifts.append(start - len(chars))
            chars.extend(value)
        return _Region("".join(chars), tuple(sorted(gaps)), tuple(starts), tuple(shifts))


def _plain_region(sub: str, a: int) -> _Region | None:
    """:meth:`FlatParser._region` without the grammar, for a region that has nothing to fold.

    The grammar's tokens tile the region, and only ``gap`` tokens (runs of :data:`_GAP_CHARS`)
    are dropped, so the region text is ``sub`` with its white space removed; the token boundaries
    themselves never matter. ``None`` when the region holds white space the grammar has no token for.
    """
    parts: list[str] = []
    starts: list[int] = []
    shifts: list[int] = []
    gaps: list[int] = []
    size = 0
    last = 0
    for m in _SPACE.finditer(sub):
        s, e = m.span()
        if m.group().strip(_GAP_CHARS):
            return None  # the grammar raises on it
        if s > last:
            parts.append(sub[last:s])
            starts.append(size)
            shifts.append(a + last - size)
            size += s - last
        gaps.append(size)
        last = e
    if last < len(sub):
        parts.append(sub[last:])
        starts.append(size)
        shifts.append(a + last - size)
    return _Region("".join(parts), tuple(gaps), tuple(starts), tuple(shifts))


def _regions(text: str) -> dict[str, tuple[int, int]]:
    marks: list[tuple[str, int]] = []
    pos = 0
    for key, pat in _HEADINGS:
        m = pat.search(text, pos)
        if m is None:
            continue
        marks.append((key, m.end()))
        pos = m.end()
    out: dict[str, tuple[int, int]] = {}
    for n, (key, start) in enumerate(marks):
        if key == "end":
            continue
        end = marks[n + 1][1] if n + 1 < len(marks) else len(text)
        if n + 1 < len(marks):
            # the next heading's own text is not part of this region
            m = _HEADINGS[[k for k, _ in _HEADINGS].index(marks[n + 1][0])][1].search(text, start)
            end = m.start() if m else end
        out[key] = (start, end)
    return out


@functools.cache  # labels are the templates' own: a few dozen patterns
def _label_regex(label: str) -> re.Pattern[str]:
    """The printed label as a regex tolerant of bracket, quote and comma variants."""
    parts: list[str] = []
    for ch in fold(label):
        if ch in "（(":
            parts.append("[（(]")
        elif ch in "）)":
            parts.append("[)）]")
        elif ch in '“”"‘’':
            parts.append('[“”"‘’]?')
        elif ch in "、，,":
            parts.append("[、，,]")
        elif ch in ".．":
            parts.append("[.．、]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


def _free_match(label: re.Pattern[str], text: str, end: int, taken: list[tuple[int, int]]) -> re.Match[str] | None:
    """The first match of ``label`` before ``end`` that overlaps no label already found."""
    for m in label.finditer(text, 0, end):
        if not any(m.start() < b and a < m.end() for a, b in taken):
            return m
    return None


def _index_number(label: str) -> str | None:
    m = _INDEX.match(label)
    return m.group(3) if m and m.group(3) else None


class _Ctx:
    def __init__(self, doc: NormText, line_starts: list[int], version: TemplateVersion, narrative: str = "") -> None:
        self.doc = doc
        self.line_starts = line_starts
        self.size = line_starts[-1] + len(doc.lines[-1])  # of the document text (``doc.text`` joins the lines)
        self.version = version
        self.narrative = narrative  # the text before Table 2: counts it states can settle Table 2 readings
        self.solved: dict[_SolveKey, tuple[list[tuple[Cut, ...]], bool]] = {}
        self.out_of_order: set[tuple[str, str]] = set()  # (table, row) whose label came before the previous row's

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    # --- segmentation ---------------------------------------------------------------------------

    def find_rows(self, tdef: TableDef, region: _Region) -> list[_RowFind]:
        """Each template row's digit run: after its label, before the next row's label.

        Labels are looked for in template order; a label not found after the previous one is looked
        for before it too (a row printed out of order), outside the labels already found, and its
        row is then in ``self.out_of_order``. A run ends where the next label in the text starts.
        """
        text = region.text
        size = len(text)
        marks = _row_marks(self.version, tdef.id)
        anchors: list[tuple[int, int] | None] = []
        cursor = 0
        late: list[int] = []
        for k, (label, pattern, _) in enumerate(marks):
            m = label.search(text, cursor) or pattern.search(text, cursor)
            if m is None:
                m = _free_match(label, text, cursor, [a for a in anchors if a is not None])
                if m is not None:
                    late.append(k)
                    anchors.append(m.span())
                    continue
                anchors.append(None)
                continue
            anchors.append(m.span())
            cursor = m.end()
        nexts = [_index_number(r.label) for r in tdef.rows]
        if late:
            # the order is the text's, not the template's: a run stops at the next label printed
            starts = sorted((a[0], j) for j, a in enumerate(anchors) if a is not None)
            stops, glues = [size] * len(anchors), [m[2] for m in marks]
            for j, a in enumerate(anchors):
                if a is not None:
                    after = [(st, i) for st, i in starts if st >= a[1]]
                    stops[j] = after[0][0] if after else size
                    glues[j] = nexts[after[0][1]] if after else None
            self.out_of_order.update((tdef.id, tdef.rows[k].id) for k in late)
            marks = tuple((lab, pat, glue) for (lab, pat, _), glue in zip(marks, glues, strict=True))
        else:
            # where the next row that was found starts (a run ends there at the latest)
            stops = [size] * len(anchors)
            for k in range(len(anchors) - 2, -1, -1):
                later = anchors[k + 1]
                stops[k] = later[0] if later is not None else stops[k + 1]
        finds: list[_RowFind] = []
        for rdef, found, stop, (_, _, glued) in zip(tdef.rows, anchors, stops, marks, strict=True):
            m = _RUN.search(text, found[1], stop) if found is not None else None
            if m is None:
                finds.append(_RowFind(rdef))
                continue
            s, e = m.span()
            while e > s and text[e - 1] in ",.+-":
                e -= 1
            # "00000002.其他…": the next row's index was glued to this run
            if glued and e < size and text[e] in ".．、" and text[s:e].endswith(glued) and e - len(glued) > s:
                e -= len(glued)
            finds.append(_RowFind(rdef, Run(text[s:e], region.cuts(s, e) if region.gaps else _NO_CUTS), s))
        return finds

    # --- tables -----------------------------------------------------------------------------------

    def table2(self, tdef: TableDef, region: _Region | None) -> TableResult:
        rows: dict[str, list[tuple[Cut, ...]] | None] = {}
        finds = self.find_rows(tdef, region) if region else [_RowFind(r) for r in tdef.rows]
        diags: list[Diagnostic] = []
        for f, kinds in zip(finds, _row_kinds(self.version, tdef.id), strict=True):
            found = self._solve(f, kinds, (), diags, "no rule")[0]
            if found and len(found) > 1:
                found = self._narrative_settles(tdef.id, f, found, diags)
            rows[f.rdef.id] = found
        return self._build(tdef, region, finds, rows, {}, diags)

    def _narrative_settles(
        self, table: str, f: _RowFind, found: list[tuple[Cut, ...]], diags: list[Diagnostic]
    ) -> list[tuple[Cut, ...]]:
        """Table 2 has no arithmetic; a count the narrative states ("其中规范性文件6件") keeps only the
        readings whose 本年制发件数 it equals — one, or fewer that the other cells may still part.
        Only the 2021 form: there that count is the 本年制发件数."""
        stated_at = stated_issued(self.narrative, f.rdef.id) if self.version is TemplateVersion.V2021 else None
        if stated_at is None:
            return found
        stated, sentence = stated_at
        fits = [
            r for r in found if r and r[0].text.replace(",", "").isdigit() and int(r[0].text.replace(",", "")) == stated
        ]
        if not fits or len(fits) == len(found):
            return found
        if len(fits) == 1:
            chosen = "|".join(p.text for p in fits[0])
            en, zh = f"leaves one: {chosen}", f"确定为 {chosen}"
            cells = tuple(CellRef(table, f.rdef.id, c.id) for c in f.rdef.columns)
        else:
            # fewer readings: the cells they agree on (本年制发件数 at least) are read, the rest stay flagged
            en, zh = f"leaves {len(fits)}, which agree on {f.rdef.columns[0].id} = {stated}", f"缩小为 {len(fits)} 种"
            cells = (CellRef(table, f.rdef.id, f.rdef.columns[0].id),)
        diags.append(
            Diagnostic(
                "FLAT.NARRATIVE",
                Severity.WARNING,
                f"{table}.{f.rdef.id}: {len(found)} readings of {f.run.text if f.run else ''!r}; the narrative's "
                f"{sentence!r} {en}",
                f"{table}.{f.rdef.id}：数值有 {len(found)} 种拆分，依正文“{sentence}”{zh}",
                table=table,
                row=f.rdef.id,
                cells=cells,
                detail=sentence,
                parser="flat",
            )
        )
        return fits

    def table3(self, tdef: TableDef, region: _Region | None) -> TableResult:
        finds = self.find_rows(tdef, region) if region else [_RowFind(r) for r in tdef.rows]
        diags: list[Diagnostic] = []
        rows: dict[str, list[tuple[Cut, ...]] | None] = {}
        broken: dict[str, bool] = {}
        for f, kinds in zip(finds, _row_kinds(self.version, tdef.id), strict=True):
            rows[f.rdef.id], broken[f.rdef.id] = self._solve(f, kinds, ((0, 6),), diags, "T3.ROW")
        rows = self._columns(rows, broken, diags, tdef)
        return self._build(tdef, region, finds, rows, broken, diags)

    def table4(self, tdef: TableDef, region: _Region | None) -> TableResult:
        diags: list[Diagnostic] = []
        slots = [(r, c) for r in tdef.rows for c in r.columns]
        found: list[tuple[Cut, ...]] | None = None
        broken = False
        f = _RowFind(tdef.rows[0])
        if region is not None:
            m = _RUN.search(region.text)
            if m is not None:
                s, e = m.start(), m.end()
                while e > s and region.text[e - 1] in ",.+-":
                    e -= 1
                f = _RowFind(tdef.rows[0], Run(region.text[s:e], region.cuts(s, e)), s)
        kinds = tuple(c.kind for _, c in slots)
        found, broken = self._solve(f, kinds, ((0, 4), (5, 9), (10, 14)), diags, "T4.SUM", table="table4")
        cells = _missing_cells(tdef)
        filled = 0
        if found is None or region is None or f.run is None:
            diags.append(self._missing(tdef.id, [(r.id, c.id) for r, c in slots], "table4 has no readable cells"))
            return TableResult(Table.deferred(tdef.id, self.version, cells, self.doc), tuple(diags), (), 0)
        undecided: list[tuple[str, str]] = []
        entries = self._entries(region, f, found, kinds, broken)[0]
        for (rdef, cdef), cell in zip(slots, entries, strict=True):
            cells[rdef.id][cdef.id] = cell
            if type(cell) is tuple or cell.status is _NUMBER:  # type: ignore[union-attr]
                filled += 1
            elif cell.status in _UNDECIDED:  # type: ignore[union-attr]
                undecided.append((rdef.id, cdef.id))
        if undecided:
            diags.append(self._undecided(tdef.id, None, undecided, f, found, broken, "T4.SUM"))
        return TableResult(Table.deferred(tdef.id, self.version, cells, self.doc), tuple(diags), (), filled)

    # --- solving ----------------------------------------------------------------------------------

    def _solve(
        self,
        f: _RowFind,
        kinds: tuple[str, ...],
        blocks: tuple[tuple[int, int], ...],
        diags: list[Diagnostic],
        rule: str,
        table: str | None = None,
    ) -> tuple[list[tuple[Cut, ...]] | None, bool]:
        """Readings of one run; ``broken`` when only readings that break ``blocks`` exist."""
        if f.run is None:
            return None, False
        # the rows of one report often glue to the same run ("0000000"): search each run once per report
        key = (f.run.text, f.run.cuts, kinds, blocks)
        solved = self.solved.get(key)
        if solved is None:
            solved = self.solved[key] = self._search(f.run, kinds, blocks)
        return list(solved[0]), solved[1]

    @staticmethod
    def _search(
        run: Run, kinds: Sequence[str], blocks: tuple[tuple[int, int], ...]
    ) -> tuple[list[tuple[Cut, ...]], bool]:
        try:
            found = cut_readings(run, kinds, blocks=blocks) if blocks else []
            if found:
                return found, False
            return cut_readings(run, kinds), bool(blocks)
        except SearchLimit:
            return [], False

    def _columns(
        self,
        rows: dict[str, list[tuple[Cut, ...]] | None],
        broken: dict[str, bool],
        diags: list[Diagnostic],
        tdef: TableDef,
    ) -> dict[str, list[tuple[Cut, ...]] | None]:
        """Settle rows with several T3.ROW readings by T3.OUT and T3.BAL, if exactly the report allows.

        A column that no reading makes add up is the report's own error and decides nothing; the
        other columns still do (each reading already satisfies its row's T3.ROW)."""
        open_rows = [r for r, rs in rows.items() if rs and len(rs) > 1 and not broken[r]]
        if not open_rows:
            return rows
        sizes = [len(rows[r] or []) for r in open_rows]
        total = 1
        for s in sizes:
            total *= s
        if total > _MAX_COMBOS:
            return rows
        fixed: dict[str, tuple[Cut, ...]] = {
            r: rs[0] for r, rs in rows.items() if rs and len(rs) == 1 and r not in open_rows
        }
        outcome = TABLE3_OUTCOME_ROWS[self.version]
        cols = (*APPLICANT_COLUMNS, "total")
        grids: list[tuple[tuple[tuple[Cut, ...], ...], dict[str, tuple[Cut, ...]]]] = []
        survivors: list[tuple[tuple[Cut, ...], ...]] = []
        for combo in itertools.product(*(rows[r] or [] for r in open_rows)):
            grid = dict(fixed)
            grid.update(zip(open_rows, combo, strict=True))
            grids.append((combo, grid))
            if _columns_hold(grid, outcome, cols):
                survivors.append(combo)
        if not survivors:
            # the report's own numbers break a column: that column settles nothing, but the columns
            # that do add up under some reading still decide between the readings
            holding = [c for c in cols if any(_columns_hold(grid, outcome, (c,)) for _, grid in grids)]
            if holding:
                survivors = [combo for combo, grid in grids if _columns_hold(grid, outcome, holding)]
        if not survivors:
            return rows  # the report does not add up: nothing is settled by arithmetic that fails
        out = dict(rows)
        for k, r in enumerate(open_rows):
            kept: list[tuple[Cut, ...]] = []
            for combo in survivors:
                if combo[k] not in kept:
                    kept.append(combo[k])
            out[r] = kept
        return out

    # --- building ---------------------------------------------------------------------------------

    def _entries(
        self, region: _Region, f: _RowFind, found: list[tuple[Cut, ...]], kinds: tuple[str, ...], broken: bool
    ) -> tuple[list[_Entry], bool]:
        """The cells of a run (one per kind), and whether all are deferred plain counts.

        A plain count one line long is deferred (built on first read).

        A cell on which the readings disagree stays absent (``ambiguous``, or ``unreadable`` when
        every reading breaks the rule), listing the values the readings give it.
        """
        raw = f.run.text if f.run else ""
        if not found:
            return [unchecked_cell(None, raw, CellStatus.UNREADABLE, None) for _ in kinds], False
        first = found[0]
        base, starts = f.run_start, self.line_starts
        # the cells of a run nearly always sit in one stretch of the region, on one line
        k = bisect.bisect_right(region.starts, base) - 1
        shift = region.shifts[k]
        stretch_end = region.starts[k + 1] if k + 1 < len(region.starts) else len(region.text)
        line = bisect.bisect_right(starts, base + shift) - 1
        lo, hi = starts[line], starts[line + 1] if line + 1 < len(starts) else self.size + 1
        if (
            len(found) == 1
            and base + len(raw) <= stretch_end
            and base + shift + len(raw) <= hi
            and raw.isdigit()
            and raw.isascii()
            and MONEY not in kinds  # ASCII digits of a count or delta: the value is an int
        ):
            # the common run: one reading of plain counts on one line, every cell deferred
            col = base + shift - lo
            return [(c.value, (CELL, c.text, line, col + c.start, col + c.end)) for c in first], True  # type: ignore[misc]
        out: list[_Entry] = []
        for j, p in enumerate(first):
            text, value = p.text, p.value
            if len(found) > 1 and not all(r[j].text == text and r[j].value == value for r in found):
                pieces = [r[j] for r in found]
                values = sorted({q.value for q in pieces if isinstance(q.value, int)})
                status = CellStatus.UNREADABLE if broken else CellStatus.AMBIGUOUS
                out.append(Cell(None, raw, status, None, tuple(values)))
                continue
            if base + p.end <= stretch_end:
                a, b = base + p.start + shift, base + p.end + shift
            else:
                a, b = region.offset(base + p.start), region.offset(base + p.end - 1) + 1
            if lo <= a and b <= hi:
                la = lb = line
            else:
                la, lb = self.line_of(a), self.line_of(b - 1)
            if la == lb and type(value) is int and text.isdigit() and text.isascii():
                out.append((value, (CELL, text, la, a - starts[la], b - starts[la])))
                continue
            span = self.doc.span(la, a - starts[la], b - starts[lb], lb)
            if value is None:
                out.append(unchecked_cell(None, text, CellStatus.PLACEHOLDER, span))
            else:
                out.append(unchecked_cell(value, text, CellStatus.NUMBER, span))
        return out, False

    def _build(
        self,
        tdef: TableDef,
        region: _Region | None,
        finds: list[_RowFind],
        rows: dict[str, list[tuple[Cut, ...]] | None],
        broken: dict[str, bool],
        diags: list[Diagnostic],
    ) -> TableResult:
        cells: dict[str, dict[str, _Entry]] = {}  # filled in template order: one find per template row
        filled = 0
        rule = "T3.ROW" if tdef.id == "table3" else "no rule"
        missing = Cell.missing()
        for f, kinds in zip(finds, _row_kinds(self.version, tdef.id), strict=True):
            rid = f.rdef.id
            found = rows.get(rid)
            if found is None or region is None:
                cells[rid] = dict.fromkeys(f.rdef.column_ids, missing)
                diags.append(
                    self._missing(tdef.id, [(rid, c.id) for c in f.rdef.columns], f"{rid} ({f.rdef.label}) not found")
                )
                continue
            undecided: list[tuple[str, str]] = []
            if (tdef.id, rid) in self.out_of_order:
                diags.append(out_of_order(tdef.id, f.rdef, "before the row it follows", None, "flat"))
            entries, plain = self._entries(region, f, found, kinds, broken.get(rid, False))
            if plain:
                cells[rid] = dict(zip(f.rdef.column_ids, entries, strict=True))
                filled += len(entries)
            else:
                row = cells[rid] = {}
                for cdef, cell in zip(f.rdef.columns, entries, strict=True):
                    row[cdef.id] = cell
                    if type(cell) is tuple or cell.status is _NUMBER:  # type: ignore[union-attr]
                        filled += 1
                    elif cell.status in _UNDECIDED:  # type: ignore[union-attr]
                        undecided.append((rid, cdef.id))
            if undecided:
                diags.append(self._undecided(tdef.id, rid, undecided, f, found, broken.get(rid, False), rule))
            elif broken.get(rid, False):
                diags.append(
                    Diagnostic(
                        "FLAT.INCONSISTENT",
                        Severity.WARNING,
                        f"{tdef.id}.{rid}: the only reading of {f.run.text if f.run else ''!r} breaks {rule}; "
                        "it is kept as printed",
                        f"{tdef.id}.{rid}：数值只有一种读法，但不满足{rule}",
                        table=tdef.id,
                        row=rid,
                        cells=tuple(CellRef(tdef.id, rid, c.id) for c in f.rdef.columns),
                        parser="flat",
                    )
                )
        return TableResult(Table.deferred(tdef.id, self.version, cells, self.doc), tuple(diags), (), filled)

    def _undecided(
        self,
        table: str,
        row: str | None,
        undecided: list[tuple[str, str]],
        f: _RowFind,
        found: list[tuple[Cut, ...]],
        broken: bool,
        rule: str,
    ) -> Diagnostic:
        run = f.run.text if f.run else ""
        listed = "; ".join("|".join(p.text for p in r) for r in found[:_MAX_LISTED])
        more = f" (+{len(found) - _MAX_LISTED} more)" if len(found) > _MAX_LISTED else ""
        where = f"{table}.{row}" if row else table
        cols = ", ".join(c for _, c in undecided)
        if not found:
            code, why = "FLAT.UNREADABLE", f"no reading of {run!r} has the right number of valid cells"
        elif broken:
            code, why = "FLAT.UNREADABLE", f"no reading of {run!r} satisfies {rule} (the report does not add up)"
        else:
            code, why = "FLAT.AMBIGUOUS", f"{len(found)} readings of {run!r} fit {rule}"
        return Diagnostic(
            code,
            Severity.ERROR,
            f"{where}: {why}; cells {cols} are left unread. Readings: {listed}{more}",
            f"{where}：数值 {run} 有多种或没有合规的拆分，{cols} 未读取",
            table=table,
            row=row if row else undecided[0][0],
            column=undecided[0][1],
            cells=tuple(CellRef(table, r, c) for r, c in undecided),
            detail=listed + more,
            parser="flat",
        )

    def _missing(self, table: str, refs: list[tuple[str, str]], what: str) -> Diagnostic:
        return Diagnostic(
            "PARSE.MISSING_ROW",
            Severity.ERROR,
            f"{table}: {what} in the flattened text",
            f"{table}：未在文本中找到该行",
            table=table,
            row=refs[0][0] if refs else None,
            cells=tuple(CellRef(table, r, c) for r, c in refs),
            parser="flat",
        )


@functools.cache  # per template table
def _row_marks(
    version: TemplateVersion, table_id: str
) -> tuple[tuple[re.Pattern[str], re.Pattern[str], str | None], ...]:
    """Per row of a template table: its printed label as a pattern, its own pattern (when the label is
    printed otherwise), and the index number of the next row (``2`` of ``2.其他…``) if it has one."""
    rows = template_for(version).table(table_id).rows
    nexts = [_index_number(r.label) for r in rows[1:]] + [None]
    return tuple((_label_regex(r.label), r.pattern, nxt) for r, nxt in zip(rows, nexts, strict=True))


@functools.cache  # per template table: a few dozen tuples
def _row_kinds(version: TemplateVersion, table_id: str) -> tuple[tuple[str, ...], ...]:
    """The column kinds of each row of a template table, in row order."""
    return tuple(tuple(c.kind for c in r.columns) for r in template_for(version).table(table_id).rows)


def _missing_cells(tdef: TableDef) -> dict[str, dict[str, _Entry]]:
    """Every cell of the table ``missing``, laid out by the template as :meth:`Table.deferred` needs."""
    missing = Cell.missing()
    return {r.id: dict.fromkeys(r.column_ids, missing) for r in tdef.rows}


def _columns_hold(grid: dict[str, tuple[Cut, ...]], outcome: Sequence[str], cols: Sequence[str]) -> bool:
    """T3.OUT and T3.BAL on every column whose cells all have values (others are not assessable)."""
    order = {c: j for j, c in enumerate(("natural_person", *APPLICANT_COLUMNS[1:], "total"))}

    def val(r: str, c: str) -> int | Decimal | None:
        reading = grid.get(r)
        return reading[order[c]].value if reading is not None else None

    for c in cols:
        out = [val(r, c) for r in outcome]
        th = val("total_handled", c)
        if th is not None and all(v is not None for v in out) and sum(v for v in out if v is not None) != th:
            return False
        a, b, t, d = (val("new_received", c), val("carried_over", c), th, val("carried_forward", c))
        if a is not None and b is not None and t is not None and d is not None and a + b != t + d:
            return False
    return True
