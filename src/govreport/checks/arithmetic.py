"""The template's arithmetic (勾稽关系, spec §5) over one report's tables, plus the checks built on it.

Each rule yields a :class:`Diagnostic` per failing instance, naming every cell involved. A rule that
touches a cell without a value (blank, placeholder, unread) is *not assessable*: it neither passes
nor fails, and is counted as such. Rule ids, severities and meanings live in :mod:`govreport.checks.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..diagnostics import CellRef, Diagnostic, Severity
from ..model import Cell, CellStatus, LazyRows, Numbers, Report, Section, Subtotal, Table, cell_of, numbers
from ..template import (
    TABLE4_EQUATIONS,
    Equation,
    table3_equations,
)
from .narrative import narrative_checks, quality_checks, year_checks
from .pinpoint import equation_plan, pinpoint_diagnostics
from .rules import rule

__all__ = ["ARITHMETIC_RULES", "CheckOutcome", "check_report", "run_checks", "semantic_gaps", "subtotal_checks"]

ARITHMETIC_RULES = frozenset({"T3.ROW", "T3.OUT", "T3.BAL", "T3.SUB", "T4.SUM"})
"""Rules whose instances are counted as passed / failed / not assessable."""


@attrs.frozen
class CheckOutcome:
    """Diagnostics of failing rule instances plus counts of passing and not-assessable ones."""

    diagnostics: tuple[Diagnostic, ...]
    passed: int
    not_assessable: int

    @property
    def failed(self) -> int:
        """Failing arithmetic rule instances (pinpoints, warnings and notes are not counted)."""
        return sum(d.code in ARITHMETIC_RULES for d in self.diagnostics)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


_MESSAGES = {
    "T3.ROW": (
        "the six applicant columns sum to {left}, the 总计 column says {right}",
        "各申请人类别之和为 {left}，总计列为 {right}",
    ),
    "T3.OUT": (
        "the outcome rows sum to {left}, （七）总计 says {right}",
        "各办理结果之和为 {left}，（七）总计为 {right}",
    ),
    "T3.BAL": (
        "new + carried over = {left}, handled + carried forward = {right}",
        "本年新收加上年结转为 {left}，办理结果总计加结转下年度为 {right}",
    ),
    "T4.SUM": (
        "维持+纠正+其他+尚未审结 = {left}, 总计 says {right}",
        "维持、纠正、其他、尚未审结之和为 {left}，总计为 {right}",
    ),
}


def evaluate(eq: Equation, table: Table, values: Numbers | None = None) -> tuple[str, Diagnostic | None]:
    """``("pass"|"fail"|"n/a", diagnostic)`` for one rule instance (``values``: :func:`numbers` of ``table``)."""
    grid = numbers(table) if values is None else values
    lsum = rsum = 0
    for r, c in eq.left:  # plain loops: this runs for every rule instance of every candidate reading
        v = grid[r][c]
        if v is None:
            return "n/a", None
        lsum += int(v)
    for r, c in eq.right:
        v = grid[r][c]
        if v is None:
            return "n/a", None
        rsum += int(v)
    if lsum == rsum:
        return "pass", None
    left = [cell_of(table, r, c) for r, c in eq.left]
    right = [cell_of(table, r, c) for r, c in eq.right]
    where = eq.row or eq.column or ""
    en, zh = _MESSAGES[eq.rule]
    refs = tuple(
        CellRef(eq.table, r, c, cell.value, cell.span)
        for (r, c), cell in zip((*eq.left, *eq.right), (*left, *right), strict=True)
    )
    return "fail", Diagnostic(
        eq.rule,
        rule(eq.rule).severity,
        f"{eq.rule} {eq.table} {where}: " + en.format(left=lsum, right=rsum),
        f"{eq.rule} {eq.table} {where}：" + zh.format(left=lsum, right=rsum),
        table=eq.table,
        row=eq.row,
        column=eq.column,
        cells=refs,
        expected=lsum,
        actual=rsum,
        difference=rsum - lsum,
        span=right[0].span,
    )


def run_checks(
    table3: Table,
    table4: Table,
    *,
    table2: Table | None = None,
    sections: Sequence[Section] = (),
    subtotals: Sequence[Subtotal] = (),
    year: int | None = None,
) -> CheckOutcome:
    """Run T3.ROW, T3.OUT, T3.BAL, T4.SUM, PINPOINT and DOM.SEM, T3.SUB for ``subtotals``; with
    ``table2``/``sections`` also the narrative (TXT.*) and quality (Q.*) checks.

    ``passed``/``failed``/``not_assessable`` count arithmetic rule instances only, so a parser's
    ranking is not swayed by what the prose says.
    """
    diags: list[Diagnostic] = []
    passed = na = 0
    for eqs, table in ((table3_equations(table3.template), table3), (TABLE4_EQUATIONS, table4)):
        failing = False
        grid = numbers(table)
        plan = equation_plan(eqs)
        read = lefts, rights, flat = plan.read(grid)
        if None not in flat:  # nothing blank: all assessable, and (the usual case) all holding?
            lsums, rsums = list(map(sum, lefts)), list(map(sum, rights))
            if lsums == rsums:  # the values of count cells are ints: sum is evaluate's int() sum
                passed += len(lsums)
                continue
        for eq, lv, rv in zip(plan.equations, lefts, rights, strict=True):
            if None in lv or None in rv:
                na += 1
            elif sum(lv) == sum(rv):
                passed += 1
            else:
                status, diag = evaluate(eq, table, grid)
                if status == "pass":
                    passed += 1
                elif status == "n/a":
                    na += 1
                elif diag is not None:
                    diags.append(diag)
                    failing = True
        if failing:
            diags.extend(pinpoint_diagnostics(table, eqs, read))
    sub_diags, sub_passed, sub_na = subtotal_checks(table3, subtotals)
    diags.extend(sub_diags)
    passed += sub_passed
    na += sub_na
    for maybe in (table2, table3, table4):
        if maybe is not None:
            diags.extend(semantic_gaps(maybe))
    if sections or table2 is not None:
        diags.extend(narrative_checks(sections, table3, table4))
        if table2 is not None:
            diags.extend(quality_checks(sections, table2))
        if year is not None:
            diags.extend(year_checks(sections, year))
    return CheckOutcome(tuple(diags), passed, na)


def check_report(report: Report) -> CheckOutcome:
    """Every single-report check over a :class:`Report` built without :func:`govreport.load`
    (from a dict, from truth data …). ``load`` runs the same checks already."""
    return run_checks(
        report.table3,
        report.table4,
        table2=report.table2,
        sections=report.sections,
        subtotals=report.subtotals,
        year=report.year,
    )


def subtotal_checks(table3: Table, subtotals: Sequence[Subtotal]) -> tuple[list[Diagnostic], int, int]:
    """T3.SUB: per subtotal and column, the subtotal equals the sum of its block's rows.

    Returns ``(diagnostics of failing instances, passed, not assessable)``; an instance touching a
    cell without a value (placeholder, blank, unread, absent) is not assessable.
    """
    diags: list[Diagnostic] = []
    passed = na = 0
    for sub in subtotals:
        children = [r for r in table3.rows if r.startswith(sub.block + ".")]
        if not children:
            na += len(sub.cells)
            continue
        for c, total in sub.cells.items():
            parts = [table3.rows[r][c] for r in children]
            if not total.is_number or not all(cell.is_number for cell in parts):
                na += 1
                continue
            expected = sum(int(cell.value or 0) for cell in parts)
            actual = int(total.value or 0)
            if expected == actual:
                passed += 1
                continue
            refs = tuple(
                CellRef("table3", r, c, cell.value, cell.span) for r, cell in zip(children, parts, strict=True)
            )
            diags.append(
                Diagnostic(
                    "T3.SUB",
                    rule("T3.SUB").severity,
                    f"T3.SUB table3 {sub.row_id} {c}: the rows of block {sub.block} sum to {expected}, "
                    f"the subtotal says {actual}",
                    f"T3.SUB table3 {sub.row_id} {c}：该分组各项之和为 {expected}，小计为 {actual}",
                    table="table3",
                    row=sub.row_id,
                    column=c,
                    cells=(*refs, CellRef("table3", sub.row_id, c, total.value, total.span)),
                    expected=expected,
                    actual=actual,
                    difference=actual - expected,
                    span=total.span,
                )
            )
    return diags, passed, na


_GAP = (CellStatus.BLANK, CellStatus.PLACEHOLDER)
NUMBER = CellStatus.NUMBER
MAX_LISTED_CELLS = 12


def semantic_gaps(table: Table) -> list[Diagnostic]:
    """One DOM.SEM warning per table listing its blank and placeholder cells (never read as 0)."""
    lazy = table.rows
    # a deferred cell is a plain count, never a gap
    every = lazy.eager_cells() if isinstance(lazy, LazyRows) else table.cells()
    gaps = [(r, c, cell) for r, c, cell in every if cell.status is not NUMBER and cell.status in _GAP]
    if not gaps:
        return []
    shown = ", ".join(f"{r}.{c} {cell.raw.strip() or '(blank)'!r}" for r, c, cell in gaps[:MAX_LISTED_CELLS])
    more = f" and {len(gaps) - MAX_LISTED_CELLS} more" if len(gaps) > MAX_LISTED_CELLS else ""
    rows = {r for r, _, _ in gaps}
    cols = {c for _, c, _ in gaps}
    return [
        Diagnostic(
            "DOM.SEM",
            Severity.WARNING,
            f"DOM.SEM {table.id}: {len(gaps)} cell(s) blank or placeholder, not read as 0: {shown}{more}",
            f"DOM.SEM {table.id}：{len(gaps)} 个单元格为空白或占位符，未按0处理",
            table=table.id,
            row=next(iter(rows)) if len(rows) == 1 else None,
            column=next(iter(cols)) if len(cols) == 1 else None,
            cells=tuple(CellRef(table.id, r, c, None, cell.span) for r, c, cell in gaps),
            span=next((cell.span for _, _, cell in gaps if cell.span), None),
            detail="; ".join(f"{r}.{c}={cell.raw!r}" for r, c, cell in gaps),
        )
    ]


_READ = frozenset({CellStatus.NUMBER, CellStatus.PLACEHOLDER, CellStatus.BLANK})


def filled_cells(tables: Iterable[Table]) -> tuple[int, int]:
    """``(cells read, cells in the template)``: a printed placeholder or an empty cell is read too."""
    got = total = 0
    for t in tables:
        rows = t.rows
        if isinstance(rows, LazyRows):  # a deferred cell is a plain count: read
            count = rows.cell_count()
            total += count
            got += count - sum(cell.status not in _READ for _, _, cell in rows.eager_cells())
            continue
        for _, _, cell in t.cells():
            total += 1
            got += cell.status in _READ
    return got, total


def cells_of(table: Table, refs: Sequence[tuple[str, str]]) -> list[Cell]:
    return [table.rows[r][c] for r, c in refs]
