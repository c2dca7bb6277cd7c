"""From layout-neutral rows to the model: one implementation shared by every layout.

For Tables 2 and 3 the cells of a region are cut into *groups* (maximal runs of cells; Table 3
runs are cut into sevens), the label text between groups is split into the tail of the group
before and the head of the group after (a new row starts at its index: 一、 （一） 1.), and a
monotone alignment of groups to template rows maximises keyword agreement. This handles wrapped
labels, labels printed before or after their numbers, group labels broken over lines and rows
whose label was lost, without any layout-specific code. Table 4 is its 15 cells in reading order.

Nothing is guessed: a group that fits no row is kept as an :class:`~govreport.model.UnplacedRow`
with a diagnostic; a row with the wrong number of cells keeps its cells absent, with a diagnostic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from ..diagnostics import CellRef, Diagnostic, Severity, SourceSpan
from ..model import SUBTOTAL_BLOCKS, Cell, CellStatus, Deferred, Subtotal, Table, UnplacedRow, unchecked_cell
from ..parsers.rows import BLANK, CELL, EMPTY, PLACEHOLDER, TEXT, Item, Row, TableResult, out_of_order, parse_number
from ..template import (
    COUNT,
    DELTA,
    MONEY,
    TABLE3_COLUMNS,
    ColumnDef,
    Equation,
    RowDef,
    TableDef,
    TemplateVersion,
    table3_equations,
    template_for,
)
from ..text.normalise import NormText, squeeze
from .reflow import Reflow, table4_reflow

__all__ = ["assemble_table"]

_ROW_START = re.compile(
    r"^[\s|│*#]*(?:[一二三四五六七八九十]{1,2}\s*[、.．]|[（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]|\d{1,2}\s*[.．、](?!\d))"
)


@attrs.define
class _Group:
    cells: list[Item]
    head: list[Item] = attrs.field(factory=list)
    tail: list[Item] = attrs.field(factory=list)
    complete: bool = True  # False when a run could not be cut into whole rows
    _labels: tuple[str, str] | None = None

    def labels(self) -> tuple[str, str]:
        """Head and tail label text without white space (computed once: alignment asks per row)."""
        if self._labels is None:
            self._labels = (squeeze([it.text for it in self.head]), squeeze([it.text for it in self.tail]))
        return self._labels


def assemble_table(
    table_id: str, version: TemplateVersion, rows: Sequence[Row], doc: NormText, *, parser: str | None = None
) -> TableResult:
    """Map the rows of one table region onto the template's table ``table_id``."""
    tdef = template_for(version).table(table_id)
    stream = [it for row in rows for it in row.items]
    if table_id == "table4":
        return _assemble_sequential(tdef, version, stream, doc, parser)
    width = len(tdef.rows[0].columns) if table_id == "table3" else None
    groups, lead = _groups(stream, width)
    _split_labels(groups, lead)
    subtotals: list[tuple[int, _Group]] = []
    if table_id == "table3":
        groups, subtotals = _take_subtotals(groups, tdef.rows)
    quick = _align_in_order(groups, tdef.rows)
    assignment = quick if quick is not None else _align(groups, tdef.rows)
    _collapse_merged(groups, tdef.rows, assignment)
    # in order, every group is anchored by its own label: none is placed by position alone, and no
    # label contradicts the row it stands on
    moved, contradicted = _by_label(groups, tdef.rows, assignment) if quick is None else ({}, set())
    guessed = _unanchored(groups, tdef.rows, assignment) if quick is None else set()
    result = _fill(tdef, version, groups, assignment, doc, parser, guessed, moved, contradicted)
    if quick is None and table_id == "table3":
        doubted = _doubted(groups, tdef.rows, assignment, guessed | contradicted | set(moved), result.table)
        if doubted:
            result = _fill(tdef, version, groups, assignment, doc, parser, guessed, moved, contradicted, doubted)
    if subtotals:
        result = _attach_subtotals(result, tdef, groups, assignment, subtotals, doc, parser)
    return result


_SUBTOTAL = re.compile(r"(?:小计|合计)[:：]?$")
_BLOCK_NAMES = {
    "denied": re.compile(r"[（(]三[)）]|不予公开"),
    "unable": re.compile(r"[（(]四[)）]|无法提供"),
    "not_processed": re.compile(r"[（(]五[)）]|不予处理"),
    "other": re.compile(r"[（(]六[)）]|其他处理"),
}


def _take_subtotals(groups: list[_Group], rows: Sequence[RowDef]) -> tuple[list[_Group], list[tuple[int, _Group]]]:
    """Set aside Table 3 groups labelled 小计/合计 (spec §3.2: some derived templates add them).

    They are no template row, so they never take part in the alignment and cannot shift the rows
    around them. Each is returned with its position among the kept groups (the index of the group
    that follows it), so it can be attached to its block once the rows are aligned.
    """
    kept: list[_Group] = []
    taken: list[tuple[int, _Group]] = []
    for g in groups:
        head = g.labels()[0]
        if _SUBTOTAL.search(head) and not any(r.pattern.search(head) for r in rows):
            taken.append((len(kept), g))
        else:
            kept.append(g)
    return kept, taken


def _block_of(row: RowDef, blocks: set[str]) -> str | None:
    prefix = row.id.split(".", 1)[0]
    return prefix if "." in row.id and prefix in blocks else None


def _attach_subtotals(
    result: TableResult,
    tdef: TableDef,
    groups: list[_Group],
    assignment: dict[int, int],
    taken: list[tuple[int, _Group]],
    doc: NormText,
    parser: str | None,
) -> TableResult:
    """Attach each subtotal to its block: the one its label names, else the block of the rows around it.

    A subtotal follows its children (the block of the row before it), or, first in its block,
    precedes them (the block of the row after it). One that has no block, a second one for the same
    block or one of the wrong width is kept as unplaced text with a PARSE.UNPLACED warning.
    """
    blocks = {b for r in tdef.rows if (b := _block_of(r, set(SUBTOTAL_BLOCKS)))}
    diags = list(result.diagnostics)
    unplaced = list(result.unplaced)
    found: dict[str, Subtotal] = {}
    for pos, g in taken:
        head = g.labels()[0]
        named = [b for b, pat in _BLOCK_NAMES.items() if pat.search(head)]
        block: str | None = named[0] if len(named) == 1 else None
        if not named:
            before = [_block_of(tdef.rows[assignment[gi]], blocks) for gi in range(pos) if gi in assignment]
            after = [_block_of(tdef.rows[assignment[gi]], blocks) for gi in range(pos, len(groups)) if gi in assignment]
            block = (before[-1] if before else None) or (after[0] if after else None)
        span = doc.span(g.cells[0].line, g.cells[0].start, g.cells[-1].end, g.cells[-1].line)
        raw = tuple(c.text for c in g.cells)
        problem = ""
        if block is None or block not in blocks:
            problem = "a subtotal that belongs to no block of the template"
        elif block in found:
            problem = f"a second subtotal for block {block}"
        elif len(raw) != len(TABLE3_COLUMNS):
            problem = f"a subtotal with {len(raw)} cell(s) where Table 3 has {len(TABLE3_COLUMNS)}"
        if problem or block is None:
            unplaced.append(UnplacedRow(tdef.id, head, raw, span, problem))
            diags.append(_unplaced(tdef.id, raw, head, problem, "小计行数值无法对应到表格中的分组", span, parser))
            continue
        row_id = f"subtotal.{block}"
        cells: dict[str, Cell] = {}
        for cdef, item in zip(TABLE3_COLUMNS, g.cells, strict=True):
            cell, diag = make_cell(item, cdef, doc, tdef.id, row_id, parser)
            cells[cdef.id] = cell
            if diag is not None:
                diags.append(diag)
        found[block] = Subtotal(block, cells, span)
    ordered = tuple(found[b] for b in SUBTOTAL_BLOCKS if b in found)
    return attrs.evolve(result, diagnostics=tuple(diags), unplaced=tuple(unplaced), subtotals=ordered)


def _groups(stream: Sequence[Item], width: int | None) -> tuple[list[_Group], list[Item]]:
    """Cut the item stream into cell groups; return them and the text before the first one."""
    groups: list[_Group] = []
    texts: list[Item] = []
    lead: list[Item] = []
    run: list[Item] = []

    def flush() -> None:
        nonlocal texts
        cells = _trim(run)  # a new list: groups own their cells without another copy
        run.clear()
        if not cells:
            return
        chunks: Sequence[tuple[list[Item], bool]]
        if width is None or len(cells) == width:
            chunks = ((cells, True),)
        elif len(cells) % width == 0:
            chunks = [(cells[k : k + width], True) for k in range(0, len(cells), width)]
        else:
            chunks = ((cells, False),)
        if groups:
            groups[-1].tail = texts  # split later into tail / head
        else:
            lead.extend(texts)
        texts = []
        for chunk, ok in chunks:
            groups.append(_Group(chunk, complete=ok))

    add = run.append  # the loop runs once per item: bound method, index instead of attribute
    for it in stream:
        if it[0] == TEXT:
            if run:
                flush()
            texts.append(it)
        else:
            add(it)
    if run:
        flush()
    if groups:
        groups[-1].tail = texts
    else:
        lead.extend(texts)
    return groups, lead


def _trim(run: list[Item]) -> list[Item]:
    lo, hi = 0, len(run)
    while lo < hi and run[lo].kind == BLANK:
        lo += 1
    while hi > lo and run[hi - 1].kind == BLANK:
        hi -= 1
    return run[lo:hi]


def _split_labels(groups: list[_Group], lead: list[Item]) -> None:
    """Split the text between groups into the previous group's tail and the next group's head."""
    if not groups:
        return
    groups[0].head = list(lead)
    for k in range(len(groups) - 1):
        between = groups[k].tail
        last_line = groups[k].cells[-1].line
        cut = len(between)
        for n, it in enumerate(between):
            if it.line == last_line:
                continue  # text after the numbers on their own line belongs to that row
            if _ROW_START.match(it.text):
                cut = n
                break
        else:
            # no row index in between: a label broken over lines sits before its numbers, except
            # for text on the numbers' own line and lines that continue a cut-off label
            cut = next((n for n, it in enumerate(between) if it.line != last_line), len(between))
            cut = _continuation_end(between, cut, groups[k])
        groups[k].tail = between[:cut]
        groups[k + 1].head = between[cut:]


def _continuation_end(between: list[Item], cut: int, prev: _Group) -> int:
    """Lines right after a group that only finish its label (``政府信息公开申请``) are its tail."""
    n = cut
    while n < len(between):
        text = squeeze([between[n].text])
        if _SUBTOTAL.search(text):
            break  # a subtotal's own label (小计/合计) starts the next group
        if text in ("政府信息公开申请", "公开申请", "申请") or (len(text) <= 3 and not _ROW_START.match(text)):
            n += 1
            continue
        break
    return n


Search = Callable[[str], "re.Match[str] | None"]


def _score(group: _Group, search: Search) -> int:
    """4 when the row's keywords are in the group's head label, 2 when only in its tail, else 0."""
    head, tail = group.labels()
    if head and search(head):
        return 4
    if tail and search(tail):
        return 2
    return 0


def _align_in_order(groups: list[_Group], rows: Sequence[RowDef]) -> dict[int, int] | None:
    """The common case without search: one group per row, in order, each led by its own label.

    This is exactly the alignment the search would find (every pair scores the maximum, nothing is
    skipped), so it is only a shortcut; anything less clean falls back to the search.
    """
    if len(groups) != len(rows):
        return None
    for g, r in zip(groups, rows, strict=True):
        head = g.labels()[0]
        if not head or not r.pattern.search(head) or (g.complete and len(g.cells) != len(r.columns)):
            return None
    return {i: i for i in range(len(groups))}


_SKIP_GROUP = -2
_SKIP_ROW = -1


def _gains(group: _Group, searches: Sequence[Search], widths: Sequence[int]) -> list[int]:
    """The gain of placing ``group`` on each row (given by its bound search and width): :func:`_score`
    less 3 for a whole group of the wrong width. One flat pass: the regex searches are most of the cost."""
    head, tail = group.labels()
    size = len(group.cells) if group.complete else -1
    return [
        (4 if head and search(head) else 2 if tail and search(tail) else 0) - (3 if size >= 0 and size != w else 0)
        for search, w in zip(searches, widths, strict=True)
    ]


def _align(groups: list[_Group], rows: Sequence[RowDef]) -> dict[int, int]:
    """Monotone alignment of groups to template rows maximising keyword agreement (group → row).

    :func:`_align_in_order` finds the same alignment when every group leads with its row's label;
    :func:`_diagonal_if_best` when one group per row in order is provably the only best alignment.
    """
    searches: list[Search] = [r.pattern.search for r in rows]
    widths = [len(r.columns) for r in rows]
    diagonal = _diagonal_if_best(groups, searches, widths)
    return diagonal if diagonal is not None else _align_by_search(groups, searches, widths)


def _diagonal_if_best(groups: list[_Group], searches: list[Search], widths: list[int]) -> dict[int, int] | None:
    """Group i on row i, when that scores more than any other alignment (so the search finds it).

    With as many groups as rows, any other monotone alignment skips a row (−1) and gives each group
    at most its best gain, or −2 when skipped. So if every group's gain on its own row is its best
    and at least −2, the diagonal beats all others strictly. A gain of 4 is the most any pair scores,
    so only groups below it need their whole row of gains (a wrapped label that lost its keyword).
    """
    if len(groups) != len(searches):
        return None
    for i, group in enumerate(groups):
        # the gain on its own row, as _gains gives it, without building a one-row list
        own = _score(group, searches[i]) - (3 if group.complete and len(group.cells) != widths[i] else 0)
        if own == 4:
            continue
        if own < _SKIP_GROUP or max(_gains(group, searches, widths)) > own:
            return None
    return {i: i for i in range(len(groups))}


def _align_by_search(groups: list[_Group], searches: list[Search], widths: list[int]) -> dict[int, int]:
    """The dynamic programme over every (group, row) pair behind :func:`_align`."""
    n, m = len(groups), len(searches)
    neg = -(10**9)
    dp = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0
    gains = [_gains(g, searches, widths) for g in groups]
    # the same transitions in the same order as the textbook loop (ties go to the first found)
    for i in range(n + 1):
        here, back_here = dp[i], back[i]
        inner = i < n
        if inner:
            below, back_below, gain = dp[i + 1], back[i + 1], gains[i]
        for j in range(m + 1):
            cur = here[j]
            if cur == neg:
                continue
            if inner:
                if j < m:
                    s = cur + gain[j]
                    if s > below[j + 1]:
                        below[j + 1], back_below[j + 1] = s, 1
                s = cur + _SKIP_GROUP
                if s > below[j]:
                    below[j], back_below[j] = s, 2
            if j < m:
                s = cur + _SKIP_ROW
                if s > here[j + 1]:
                    here[j + 1], back_here[j + 1] = s, 3
    out: dict[int, int] = {}
    i, j = n, m
    while i or j:
        step = back[i][j]
        if step == 1:
            out[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif step == 2:
            i -= 1
        else:
            j -= 1
    return out


def _collapse_merged(groups: list[_Group], rows: Sequence[RowDef], assignment: dict[int, int]) -> None:
    """Undo the duplication of a merged cell (docx2python repeats it once per spanned column).

    A row narrower than the table's widest prints its last cell (or its first) across the columns
    it lacks; docx2python writes that cell once per column it spans. So a group on such a row that
    holds exactly as many cells as the widest row, its spanning end a run of one repeated text, is
    collapsed to the row's width: no other reading of such a group fits the template. (A one-cell
    row is the case where every cell is the same.) When both ends could span and read differently,
    nothing is collapsed.
    """
    widest = max(len(r.columns) for r in rows)
    for gi, ri in assignment.items():
        cells = groups[gi].cells
        width = len(rows[ri].columns)
        if not width < widest == len(cells):
            continue
        span = widest - width + 1
        readings = []
        if len({c.text for c in cells[-span:]}) == 1:
            readings.append(cells[:width])
        if len({c.text for c in cells[:span]}) == 1:
            readings.append(cells[span - 1 :])
        if readings and all([c.text for c in r] == [c.text for c in readings[0]] for r in readings):
            groups[gi].cells = readings[0]
            groups[gi].complete = True


def _named(group: _Group, rows: Sequence[RowDef]) -> list[int]:
    """The rows whose keywords the group's own label carries: its head from the last row index on
    (``一、`` ``（三）`` ``1.``), so that column headers and group headings before it do not count."""
    head = group.head
    start = max((n for n, it in enumerate(head) if _ROW_START.match(it.text)), default=0)
    label = squeeze([it.text for it in head[start:]])
    return [ri for ri, r in enumerate(rows) if r.pattern.search(label)] if label else []


def _by_label(
    groups: list[_Group], rows: Sequence[RowDef], assignment: dict[int, int]
) -> tuple[dict[int, int], set[int]]:
    """Let a row's own label win over its position, or say that it cannot (class: rows printed out of order).

    The alignment is monotone: it keeps the printed order and places by position where labels do not
    decide. A group whose label names exactly one row, other than the one it was placed on (or none,
    when it was left over), contradicts its place: two swapped lines would otherwise be read into each
    other's rows without a word. Such a group moves to the row its label names when that row is free
    or is itself vacated by a group that moves, and the widths fit; ``assignment`` is updated. A group
    whose label names a row it cannot take (another group there carries the same label, or the widths
    differ) stays where it was, in ``contradicted``: its cells are left unread.

    Returns ``{group: row it came from or -1}`` for the groups moved, and the contradicted groups.
    """
    wants: dict[int, int] = {}
    for gi, group in enumerate(groups):
        ri = assignment.get(gi)
        named = _named(group, rows)
        if len(named) == 1 and named[0] != ri:
            wants[gi] = named[0]
    if not wants:
        return {}, set()
    holder = {ri: gi for gi, ri in assignment.items()}
    moved: dict[int, int] = {}
    contradicted: set[int] = set()
    targets = list(wants.values())
    for gi, rj in wants.items():
        other = holder.get(rj)
        fits = groups[gi].complete and len(groups[gi].cells) == len(rows[rj].columns)
        if targets.count(rj) == 1 and fits and (other is None or other in wants):
            moved[gi] = assignment.get(gi, -1)
        elif gi in assignment:
            contradicted.add(gi)
    for gi in moved:
        assignment.pop(gi, None)
    for gi in moved:
        assignment[gi] = wants[gi]
    return moved, contradicted


def _doubted(
    groups: list[_Group], rows: Sequence[RowDef], assignment: dict[int, int], settled: set[int], table: Table
) -> set[int]:
    """Groups placed by position alone on which a Table 3 rule fails: the misreading is as likely
    the reader's as the report's, so they are left unread (``PARSE.UNANCHORED``) rather than
    passed on as the report's error.

    A group is placed by position alone when its label names none of its row's keywords (it has
    none, or it is the tail of a run of cells cut into rows). Such a placement is kept when every
    rule through its row holds; a report's own wrong numbers on a row that its label anchors are
    untouched, and still reported.
    """
    positional = {
        gi
        for gi, ri in assignment.items()
        if gi not in settled and not _score(groups[gi], rows[ri].pattern.search) and groups[gi].cells
    }
    if not positional:
        return set()
    failing: set[str] = set()
    for eq in table3_equations(table.template):
        left = [table.value(r, c) for r, c in eq.left]
        right = [table.value(r, c) for r, c in eq.right]
        if any(v is None for v in (*left, *right)):
            continue
        if sum(v for v in left if v is not None) != sum(v for v in right if v is not None):
            failing.update(r for r, _ in (*eq.left, *eq.right))
    return {gi for gi in positional if rows[assignment[gi]].id in failing}


def _unanchored(groups: list[_Group], rows: Sequence[RowDef], assignment: dict[int, int]) -> set[int]:
    """Groups placed by position alone where position cannot be trusted.

    A group whose label matched no keyword is placed only because of where it stands. That is
    sound when the table is otherwise intact and the group sits between two keyword anchors (or a
    table edge) with exactly one group per row between them, every one of the right width. When any
    group of the table has the wrong width or fits nowhere, the reading order itself is suspect
    (pdftotext prints columns side by side, a converter reorders cells), and positional placement
    would put real numbers into the wrong rows, so such groups are reported instead of placed.
    """

    def fits(gi: int) -> bool:
        ri = assignment.get(gi)
        return ri is not None and groups[gi].complete and len(groups[gi].cells) == len(rows[ri].columns)

    scored = {gi for gi, ri in assignment.items() if _score(groups[gi], rows[ri].pattern.search)}
    if len(scored) == len(assignment):
        return set()  # only unscored groups are ever reported
    intact = all(fits(gi) for gi in range(len(groups)))
    anchors = [(-1, -1)]
    anchors += [(gi, ri) for gi, ri in sorted(assignment.items()) if gi in scored and fits(gi)]
    anchors.append((len(groups), len(rows)))
    out: set[int] = set()
    for (g0, r0), (g1, r1) in itertools.pairwise(anchors):
        between = range(g0 + 1, g1)
        pinned = intact and g1 - g0 == r1 - r0 and all(assignment.get(gi) == r0 + gi - g0 for gi in between)
        if not pinned:
            out.update(gi for gi in between if gi in assignment and gi not in scored)
    return out


def _fill(
    tdef: TableDef,
    version: TemplateVersion,
    groups: list[_Group],
    assignment: dict[int, int],
    doc: NormText,
    parser: str | None,
    guessed: set[int] | frozenset[int] = frozenset(),
    moved: dict[int, int] | None = None,
    contradicted: set[int] | frozenset[int] = frozenset(),
    doubted: set[int] | frozenset[int] = frozenset(),
) -> TableResult:
    diags: list[Diagnostic] = []
    unplaced: list[UnplacedRow] = []
    cells = _missing_cells(tdef)
    placed = set()
    filled = 0
    short_rows: dict[int, int] = {}  # group → index of its PARSE.WIDTH diagnostic
    orphans: dict[int, tuple[int, int]] = {}  # group → indexes of its PARSE.UNPLACED diagnostic and row
    for gi, group in enumerate(groups):
        ri = assignment.get(gi)
        ok = ri is not None and gi not in guessed and gi not in contradicted and gi not in doubted
        if ok and ri is not None and len(group.cells) == len(tdef.rows[ri].columns):
            rdef = tdef.rows[ri]  # the common case: a labelled row of the right width
            placed.add(rdef.id)
            filled += _put_row(cells[rdef.id], rdef, group.cells, doc, tdef.id, parser, diags)
            if moved and gi in moved:
                diags.append(_moved(tdef, group, rdef, moved[gi], doc, parser))
            continue
        span = doc.span(group.cells[0].line, group.cells[0].start, group.cells[-1].end, group.cells[-1].line)
        raw = tuple(c.text for c in group.cells)
        label = " ".join(it.text for it in group.head).strip()
        if ri is None:
            orphans[gi] = (len(diags), len(unplaced))
            unplaced.append(UnplacedRow(tdef.id, label, raw, span, "fits no row of the template"))
            diags.append(_unplaced(tdef.id, raw, label, "fit no row of the template", "无法对应到表格行", span, parser))
            continue
        rdef = tdef.rows[ri]
        placed.add(rdef.id)
        # unanchored, contradicted by its own label, or the wrong width: the row stays unread
        if gi in contradicted:
            code, en, zh = (
                "PARSE.LABEL",
                f"cells {' '.join(raw)!r} stand where this row belongs, but their label {label[-40:]!r} names "
                "another row, which they cannot take",
                f"数值 {' '.join(raw)} 位于本行位置，但其标签“{label[-40:]}”指向另一行，无法确定所属行",
            )
        elif gi in doubted:
            code, en, zh = (
                "PARSE.UNANCHORED",
                f"cells {' '.join(raw)!r} carry no label of this row, only their position places them here, and "
                "the table's arithmetic fails through them: the reading order may be the fault, not the report",
                f"数值 {' '.join(raw)} 缺少行标签，仅按位置放入，且勾稽关系不成立：可能是读取顺序有误，无法确定所属行",
            )
        elif gi in guessed:
            code, en, zh = (
                "PARSE.UNANCHORED",
                f"cells {' '.join(raw)!r} carry no label of this row and the table's reading order is not "
                "intact, so their row cannot be told",
                f"数值 {' '.join(raw)} 缺少行标签且表格顺序不完整，无法确定所属行",
            )
        else:
            short_rows[gi] = len(diags)
            code, en, zh = (
                "PARSE.WIDTH",
                f"found {len(raw)} cell(s) {' '.join(raw)!r}, the template has {len(rdef.columns)}; "
                "which cell is which cannot be told",
                f"读到 {len(raw)} 个数值，应为 {len(rdef.columns)} 个，无法确定对应列",
            )
        diags.append(
            Diagnostic(
                code,
                Severity.ERROR,
                f"{tdef.id}.{rdef.id}: {en}, so the row is left unread",
                f"{tdef.id}.{rdef.id}：{zh}",
                table=tdef.id,
                row=rdef.id,
                cells=tuple(CellRef(tdef.id, rdef.id, c.id) for c in rdef.columns),
                span=span,
                detail=" ".join(raw),
                parser=parser,
            )
        )
        for c in rdef.columns:
            cells[rdef.id][c.id] = Cell(None, " ".join(raw), CellStatus.UNREADABLE, span)
    if tdef.id == "table3" and short_rows and orphans:
        filled += _reflow(tdef, version, groups, assignment, short_rows, orphans, cells, diags, unplaced, doc, parser)
        diags = [d for d in diags if d is not _DROPPED]
        unplaced = [u for u in unplaced if u is not _DROPPED_ROW]
    for rdef in tdef.rows:
        if rdef.id not in placed:
            diags.append(
                Diagnostic(
                    "PARSE.MISSING_ROW",
                    Severity.ERROR,
                    f"{tdef.id}.{rdef.id} ({rdef.label}) was not found in the text",
                    f"{tdef.id}：未找到“{rdef.label}”行",
                    table=tdef.id,
                    row=rdef.id,
                    cells=tuple(CellRef(tdef.id, rdef.id, c.id) for c in rdef.columns),
                    parser=parser,
                )
            )
    return TableResult(Table.deferred(tdef.id, version, cells, doc), tuple(diags), tuple(unplaced), filled)


def _moved(
    tdef: TableDef, group: _Group, rdef: RowDef, came_from: int, doc: NormText, parser: str | None
) -> Diagnostic:
    span = doc.span(group.cells[0].line, group.cells[0].start, group.cells[-1].end, group.cells[-1].line)
    where = f"where {tdef.rows[came_from].id} belongs" if came_from >= 0 else "out of order"
    return out_of_order(tdef.id, rdef, where, span, parser)


def _unplaced(
    table: str, raw: Sequence[str], label: str, why: str, why_zh: str, span: SourceSpan, parser: str | None
) -> Diagnostic:
    """PARSE.UNPLACED: cells kept in ``report.unplaced`` because no row of the template takes them."""
    cells = " ".join(raw)
    return Diagnostic(
        "PARSE.UNPLACED",
        Severity.WARNING,
        f"{table}: {len(raw)} cell(s) {cells!r} after {label[-30:]!r}: {why}",
        f"{table}：数值 {cells} {why_zh}",
        table=table,
        span=span,
        parser=parser,
    )


_DROPPED = Diagnostic("", Severity.INFO, "")
_DROPPED_ROW = UnplacedRow("", "")


def _reflow(
    tdef: TableDef,
    version: TemplateVersion,
    groups: list[_Group],
    assignment: dict[int, int],
    short_rows: dict[int, int],
    orphans: dict[int, tuple[int, int]],
    cells: dict[str, dict[str, Cell | Deferred]],
    diags: list[Diagnostic],
    unplaced: list[UnplacedRow],
    doc: NormText,
    parser: str | None,
) -> int:
    """Put back a cell that the extraction pushed onto a neighbouring line (pdfplumber, seen in the wild).

    A Table 3 row one cell short, next to a lone cell that fits no row, is completed only when the
    arithmetic allows exactly one column for that cell: T3.ROW of the row and T3.OUT/T3.BAL of every
    column, with all other rows as read. The value is the one printed; only its column is inferred,
    and a warning says so. A report whose own numbers do not add up gets no column and stays unread.
    Returns the number of cells read this way.
    """

    equations = table3_equations(version)
    done = 0
    for gi, width_diag in short_rows.items():
        row = tdef.rows[assignment[gi]]
        short = groups[gi].cells
        if len(short) != len(row.columns) - 1:
            continue
        for gj in (gi + 1, gi - 1):
            orphan = groups[gj].cells if gj in orphans and 0 <= gj < len(groups) else []
            if len(orphan) != 1 or parse_number(orphan[0].text) is None:
                continue
            fits = [
                k for k in range(len(row.columns)) if _holds(equations, cells, row, [*short[:k], orphan[0], *short[k:]])
            ]
            if len(fits) != 1:
                continue
            items = [*short[: fits[0]], orphan[0], *short[fits[0] :]]
            for cdef, item in zip(row.columns, items, strict=True):
                cell, diag = make_cell(item, cdef, doc, tdef.id, row.id, parser)
                cells[row.id][cdef.id] = cell
                done += cell.status is CellStatus.NUMBER
                if diag is not None:
                    diags.append(diag)
            column = row.columns[fits[0]].id
            span = doc.span(orphan[0].line, orphan[0].start, orphan[0].end)
            diag_at, row_at = orphans.pop(gj)
            diags[width_diag] = Diagnostic(
                "PARSE.REFLOW",
                Severity.WARNING,
                f"{tdef.id}.{row.id}.{column}: {orphan[0].text!r} was printed apart from its row; it is placed in "
                f"{column}, the only column where T3.ROW, T3.OUT and T3.BAL all hold",
                f"{tdef.id}.{row.id}.{column}：数值 {orphan[0].text} 与本行分离，按勾稽关系唯一可行的列放入",
                table=tdef.id,
                row=row.id,
                column=column,
                cells=(CellRef(tdef.id, row.id, column, _value(cells[row.id][column]), span),),
                span=span,
                parser=parser,
            )
            diags[diag_at] = _DROPPED
            unplaced[row_at] = _DROPPED_ROW
            break
    return done


def _holds(
    equations: Sequence[Equation], cells: dict[str, dict[str, Cell | Deferred]], row: RowDef, items: Sequence[Item]
) -> bool:
    """Do all rule instances touching ``row`` hold with ``items`` as its cells (unassessable ones aside)?"""
    values = [parse_number(it.text) if it.kind not in (BLANK, EMPTY, PLACEHOLDER) else None for it in items]
    if any(isinstance(v, Decimal) for v in values):
        return False
    mine = dict(zip(row.column_ids, values, strict=True))

    def value(r: str, c: str) -> int | Decimal | None:
        return mine[c] if r == row.id else _value(cells[r][c])

    assessed = False
    for eq in equations:
        if not any(r == row.id for r, _ in (*eq.left, *eq.right)):
            continue
        left = [value(r, c) for r, c in eq.left]
        right = [value(r, c) for r, c in eq.right]
        if any(v is None for v in (*left, *right)):
            continue
        assessed = True
        if sum(v for v in left if v is not None) != sum(v for v in right if v is not None):
            return False
    return assessed


def _assemble_sequential(
    tdef: TableDef, version: TemplateVersion, stream: Sequence[Item], doc: NormText, parser: str | None
) -> TableResult:
    """Table 4: its cells in reading order, 复议 1–5, 直接起诉 6–10, 复议后起诉 11–15."""
    groups, _ = _groups(stream, None)
    found = [c for g in groups for c in g.cells]
    slots = [(r, c) for r in tdef.rows for c in r.columns]
    cells = _missing_cells(tdef)
    diags: list[Diagnostic] = []
    unplaced: list[UnplacedRow] = []
    filled = 0
    reflow = table4_reflow(found, doc.lines) if len(found) == len(slots) else None
    strays: list[Item] = []
    if reflow is not None:
        strays = [found[k] for k in reflow.moved]
        found = [found[k] for k in reflow.order]
    if len(found) == len(slots):
        at = 0
        for rdef in tdef.rows:
            width = len(rdef.columns)
            filled += _put_row(cells[rdef.id], rdef, found[at : at + width], doc, tdef.id, parser, diags)
            at += width
        if reflow is not None:
            filled -= _reflowed(tdef, slots, found, strays, reflow, cells, diags, doc, parser)
    elif found:
        raw = tuple(c.text for c in found)
        span = doc.span(found[0].line, found[0].start, found[-1].end, found[-1].line)
        unplaced.append(UnplacedRow(tdef.id, "", raw, span, f"{len(raw)} cells where the table has {len(slots)}"))
        diags.append(
            Diagnostic(
                "PARSE.WIDTH",
                Severity.ERROR,
                f"table4: found {len(raw)} cell(s) where the table has {len(slots)}; the table is left unread",
                f"table4：读到 {len(raw)} 个数值，应为 {len(slots)} 个",
                table=tdef.id,
                cells=tuple(CellRef(tdef.id, r.id, c.id) for r, c in slots),
                span=span,
                detail=" ".join(raw),
                parser=parser,
            )
        )
    else:
        diags.append(
            Diagnostic(
                "PARSE.MISSING_TABLE",
                Severity.ERROR,
                "table4 (行政复议、行政诉讼) has no cells in the text",
                "未找到表四（行政复议、行政诉讼情况）的数值",
                table=tdef.id,
                cells=tuple(CellRef(tdef.id, r.id, c.id) for r, c in slots),
                parser=parser,
            )
        )
    return TableResult(Table.deferred(tdef.id, version, cells, doc), tuple(diags), tuple(unplaced), filled)


def _reflowed(
    tdef: TableDef,
    slots: Sequence[tuple[RowDef, ColumnDef]],
    placed: Sequence[Item],
    strays: Sequence[Item],
    reflow: Reflow,
    cells: dict[str, dict[str, Cell | Deferred]],
    diags: list[Diagnostic],
    doc: NormText,
    parser: str | None,
) -> int:
    """Say how Table 4's cells were read out of their order; leave undecided cells unread.

    Returns how many cells that were counted as read are unread after all."""
    undone = 0
    if reflow.undecided:
        refs = []
        for s in reflow.undecided:
            rdef, cdef = slots[s]
            item = placed[s]
            span = doc.span(item.line, item.start, item.end)
            undone += _value(cells[rdef.id][cdef.id]) is not None
            cells[rdef.id][cdef.id] = Cell(None, item.text, CellStatus.AMBIGUOUS, span)
            refs.append(CellRef(tdef.id, rdef.id, cdef.id, None, span))
        apart = " ".join(repr(it.text) for it in strays)
        diags.append(
            Diagnostic(
                "PARSE.AMBIGUOUS",
                Severity.ERROR,
                f"table4: the cells read in order break T4.SUM, and {apart} printed apart from their line "
                + (f"fit it in {reflow.readings} places" if reflow.readings else "could stand in several places")
                + f"; cells {', '.join(f'{r.row}.{r.column}' for r in refs)} are left unread",
                f"table4：按顺序读取不满足勾稽关系，另起一行的数值 {apart} 有 {reflow.readings} 种放法，相关数值未读取",
                table=tdef.id,
                row=refs[0].row,
                column=refs[0].column,
                cells=tuple(refs),
                parser=parser,
            )
        )
        return undone
    how = "the text's column alignment" if reflow.by_columns else "the only place where T4.SUM holds in every block"
    for s, item in enumerate(placed):
        if item not in strays:
            continue
        rdef, cdef = slots[s]
        span = doc.span(item.line, item.start, item.end)
        diags.append(
            Diagnostic(
                "PARSE.REFLOW",
                Severity.WARNING,
                f"table4.{rdef.id}.{cdef.id}: {item.text!r} was printed apart from its line; it is placed by {how}",
                f"table4.{rdef.id}.{cdef.id}：数值 {item.text} 与本行分离，按勾稽关系放入",
                table=tdef.id,
                row=rdef.id,
                column=cdef.id,
                cells=(CellRef(tdef.id, rdef.id, cdef.id, _value(cells[rdef.id][cdef.id]), span),),
                span=span,
                parser=parser,
            )
        )
    return undone


def _missing_cells(tdef: TableDef) -> dict[str, dict[str, Cell | Deferred]]:
    """A fresh ``{row: {column: missing}}`` for the table, in template order."""
    missing: Cell | Deferred = Cell.missing()
    return {r.id: dict.fromkeys(r.column_ids, missing) for r in tdef.rows}


def _value(entry: Cell | Deferred) -> int | Decimal | None:
    return entry[0] if type(entry) is tuple else entry.value  # type: ignore[union-attr]


def _put_row(
    row_cells: dict[str, Cell | Deferred],
    rdef: RowDef,
    items: Sequence[Item],
    doc: NormText,
    table: str,
    parser: str | None,
    diags: list[Diagnostic],
) -> int:
    """Read ``items`` into the cells of row ``rdef`` (one per column); returns how many hold a number.

    A plain count (ASCII digits in a count or delta column) is deferred as ``(value, item)``: its
    :class:`Cell` is built when the row is first read (:class:`~govreport.model.LazyRows`). Every
    other item goes through :func:`make_cell` now, since it may carry a diagnostic.
    """
    filled = 0
    for cdef, item in zip(rdef.columns, items, strict=True):
        text = item.text
        if item.kind == CELL and text.isdigit() and text.isascii() and cdef.kind != MONEY:
            row_cells[cdef.id] = (int(text), item)
            filled += 1
            continue
        cell, diag = make_cell(item, cdef, doc, table, rdef.id, parser)
        row_cells[cdef.id] = cell
        if cell.status is CellStatus.NUMBER:
            filled += 1
        if diag is not None:
            diags.append(diag)
    return filled


def make_cell(
    item: Item, cdef: ColumnDef, doc: NormText, table: str, row: str, parser: str | None
) -> tuple[Cell, Diagnostic | None]:
    """Turn one source item into a cell of column ``cdef``; out-of-domain values stay unread.

    Every cell leaves through a branch that has checked its value against the column's kind, so it
    is built with :func:`~govreport.model.unchecked_cell`.
    """
    span = doc.span(item.line, item.start, item.end)
    text = item.text
    if item.kind == CELL and text.isdigit() and text.isascii() and cdef.kind != MONEY:
        return unchecked_cell(int(text), text, CellStatus.NUMBER, span), None  # most cells: a plain count
    if item.kind == BLANK or item.kind == EMPTY:
        return unchecked_cell(None, "", CellStatus.BLANK, span), None
    if item.kind == PLACEHOLDER:
        return unchecked_cell(None, text, CellStatus.PLACEHOLDER, span), None
    value = parse_number(item.text)
    problem = ""
    if value is None:
        problem = "is not a number"
    elif cdef.kind == MONEY:
        value = Decimal(item.text.replace(",", "").lstrip("+")) if not isinstance(value, Decimal) else value
        if value < 0:
            problem = "is a negative amount"
    else:
        if isinstance(value, Decimal):
            if value == value.to_integral_value():
                value = int(value)
            else:
                problem = "is not a whole number"
        if not problem and cdef.kind == COUNT and isinstance(value, int) and value < 0:
            problem = "is a negative count"
        if not problem and cdef.kind == COUNT and item.text.startswith("+"):
            problem = "carries a sign where a count is expected"
    if problem or value is None:
        reason = problem or "is not a number"
        return unchecked_cell(None, item.text, CellStatus.UNREADABLE, span), Diagnostic(
            "DOM.INT" if cdef.kind != MONEY else "DOM.MONEY",
            Severity.ERROR,
            f"{table}.{row}.{cdef.id}: {item.text!r} {reason}; the cell is left unread",
            f"{table}.{row}.{cdef.id}：“{item.text}”不是有效数值",
            table=table,
            row=row,
            column=cdef.id,
            cells=(CellRef(table, row, cdef.id, None, span),),
            span=span,
            parser=parser,
        )
    assert cdef.kind in (COUNT, DELTA, MONEY)
    return unchecked_cell(value, item.text, CellStatus.NUMBER, span), None
