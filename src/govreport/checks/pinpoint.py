"""Name the cell(s) that make a table's arithmetic fail, and the value that would make it hold.

Table 3 is over-determined: every cell lies on one row rule (T3.ROW) and one column rule (T3.OUT or
T3.BAL; the （七） row lies on both). A single wrong cell therefore breaks exactly the rules through
it, and a cell on *every* failing rule whose change by one delta repairs all of them, without
breaking a passing rule, is the explanation. When no single cell does, the same search runs over
pairs (seed 001: （七） is wrong in 自然人 *and* in 总计, so T3.ROW on that row still holds while
T3.OUT/T3.BAL fail in both columns). Only the smallest explanation is reported, and only when it is
unique; several equally small ones are reported as ambiguous rather than guessed between.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any, cast

import attrs

from ..diagnostics import CellRef, Diagnostic, Severity
from ..model import Numbers, Table, cell_of, numbers
from ..template import COUNT, Equation, Key, TemplateVersion, template_for

__all__ = ["EquationPlan", "Fix", "Read", "equation_plan", "locate", "pinpoint_diagnostics"]

MAX_LISTED = 8
"""How many alternatives an ambiguous finding lists."""


@attrs.frozen
class Fix:
    """A cell and the value that, together with the other fixes of its explanation, satisfies every rule."""

    row: str
    column: str
    value: int
    suggestion: int


Gather = Callable[[Any], tuple[Any, ...]]
Read = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[Any]]
"""What :meth:`EquationPlan.read` returns."""


@attrs.frozen
class EquationPlan:
    """A set of equations laid out for reading many tables' values in C: ``operator.itemgetter`` s
    copy the values the equations read into a flat list (one call per row), and pick each side of
    each equation from it (one call per side, all mapped at once by :meth:`read`)."""

    equations: tuple[Equation, ...]
    rows: tuple[tuple[str, Gather], ...]
    lefts: tuple[Gather, ...]
    rights: tuple[Gather, ...]
    coefficients: tuple[dict[Key, int], ...]
    """Of each equation (callers must not mutate)."""
    on: dict[Key, tuple[int, ...]]
    """The equations each cell lies on, by index."""

    def read(self, grid: Numbers) -> Read:
        """``(left values, right values)`` of each equation (padded with zeros), and every value read
        (values of :func:`~govreport.model.numbers`: int, Decimal or None)."""
        flat: list[Any] = []
        for r, get in self.rows:
            flat += get(grid[r])
        flat.append(0)  # a side of one cell is padded with it
        return [get(flat) for get in self.lefts], [get(flat) for get in self.rights], flat


_PLANS: dict[int, tuple[Sequence[Equation], tuple[Equation, ...], EquationPlan]] = {}


def equation_plan(equations: Sequence[Equation]) -> EquationPlan:
    """The plan of a set of equations, built once per set (the templates have three)."""
    # keyed by identity: the checks pass the same few constants every time, and hashing the
    # equations would cost more than evaluating them; a list changed in place gets a new plan
    got = _PLANS.get(id(equations))
    if got is not None and got[0] is equations and (type(equations) is tuple or got[1] == tuple(equations)):
        return got[2]
    columns: dict[str, list[str]] = {}
    on: dict[Key, list[int]] = {}
    for i, eq in enumerate(equations):
        for r, c in (*eq.left, *eq.right):
            cols = columns.setdefault(r, [])
            if c not in cols:
                cols.append(c)
            lying = on.setdefault((r, c), [])
            if i not in lying:
                lying.append(i)
    index: dict[Key, int] = {}
    rows: list[tuple[str, Gather]] = []
    for r, cols in columns.items():
        for c in cols:
            index[r, c] = len(index) + len(rows)
        # itemgetter of one key returns the bare value: the row's first column is asked for again
        # at the end (a flat slot no equation reads) so that every row gives a tuple
        rows.append((r, operator.itemgetter(*cols, cols[0])))
    pad = len(index) + len(rows)  # the 0 that flat appends

    def side(keys: tuple[Key, ...]) -> Gather:
        return operator.itemgetter(*(index[k] for k in keys), pad)

    plan = EquationPlan(
        tuple(equations),
        tuple(rows),
        tuple(side(eq.left) for eq in equations),
        tuple(side(eq.right) for eq in equations),
        tuple(eq.coefficients() for eq in equations),
        {k: tuple(v) for k, v in on.items()},
    )
    if len(_PLANS) > 64:  # callers building equations per call (tests) must not grow it forever
        _PLANS.clear()
    _PLANS[id(equations)] = (equations, tuple(equations), plan)
    return plan


@functools.cache
def _signed(template: TemplateVersion, table_id: str) -> frozenset[Key]:
    """The cells of a table that may be negative (every other cell is a count)."""
    tdef = template_for(template).table(table_id)
    return frozenset((r.id, c.id) for r in tdef.rows for c in r.columns if c.kind != COUNT)


def locate(table: Table, equations: Sequence[Equation], read: Read | None = None) -> list[tuple[Fix, ...]]:
    """Every smallest set of one or two cells whose change makes all assessable equations hold.

    Equations touching a non-number cell are not assessable and constrain nothing. Returns ``[]``
    when nothing fails or nothing of size ≤ 2 explains the failures. The coefficients of the
    equations are ±1 (no cell on both sides), so the delta of a cell is read off any one equation.
    ``read``: ``equation_plan(equations).read(numbers(table))``, when the caller has it already.
    """
    plan = equation_plan(equations)
    values = numbers(table)  # the values alone: no cell needs building
    lefts, rights, flat = plan.read(values) if read is None else read
    residuals: list[int | None]
    types = set(map(type, flat))
    if types == {int}:
        residuals = list(map(operator.sub, map(sum, lefts), map(sum, rights)))
    elif types == {int, type(None)}:  # a side with a non-number cell is not assessable
        residuals = [
            None if None in lv or None in rv else sum(lv) - sum(rv) for lv, rv in zip(lefts, rights, strict=True)
        ]
    else:  # nothing but an int is assessable here (a Decimal or a bool in a count column is not)
        residuals = [
            sum(lv) - sum(rv) if all(type(v) is int for v in (*lv, *rv)) else None
            for lv, rv in zip(lefts, rights, strict=True)
        ]
    failing = [i for i, res in enumerate(residuals) if res]
    if not failing:
        return []
    coefs = plan.coefficients
    res = cast("list[int]", residuals)  # read only at assessable equations (on() keeps no other)
    # the failing equations through a cell, as bits: a pair can explain them only if its bits cover all
    mask: dict[Key, int] = {}
    for bit, i in enumerate(failing):
        for k in coefs[i]:
            mask[k] = mask.get(k, 0) | 1 << bit
    full = (1 << len(failing)) - 1
    candidates = sorted(mask)
    signed = _signed(table.template, table.id)
    assessable: dict[Key, set[int]] = {}

    def on(k: Key) -> set[int]:
        got = assessable.get(k)
        if got is None:
            got = assessable[k] = {i for i in plan.on[k] if residuals[i] is not None}
        return got

    def ok(deltas: dict[Key, int]) -> bool:
        """No zero change, no negative count, and every equation through a changed cell holds."""
        for k, d in deltas.items():
            if d == 0 or (k not in signed and int(values[k[0]][k[1]] or 0) + d < 0):
                return False
        if len(deltas) == 1:
            ((x, dx),) = deltas.items()
            return all(res[i] + coefs[i][x] * dx == 0 for i in on(x))
        (x, dx), (y, dy) = deltas.items()
        for i in on(x) | on(y):
            c = coefs[i]
            if res[i] + c.get(x, 0) * dx + c.get(y, 0) * dy:
                return False
        return True

    def fixes(deltas: dict[Key, int]) -> tuple[Fix, ...]:
        out = []
        for (r, c), d in sorted(deltas.items()):
            v = int(values[r][c] or 0)
            out.append(Fix(r, c, v, v + d))
        return tuple(out)

    singles = []
    first = failing[0]
    for k in candidates:
        if mask[k] != full:
            continue
        d = -res[first] * coefs[first][k]
        if ok({k: d}):
            singles.append(fixes({k: d}))
    if singles:
        return singles
    groups: dict[int, list[int]] = {}
    for n, k in enumerate(candidates):
        groups.setdefault(mask[k], []).append(n)
    covering: list[tuple[int, int]] = []
    for a, (ma, xs) in enumerate(groups.items()):
        for mb, ys in list(groups.items())[a:]:
            if ma | mb == full:
                covering += combinations(xs, 2) if ma == mb else ((min(x, y), max(x, y)) for x in xs for y in ys)
    pairs = []
    for nx, ny in sorted(covering):  # the order of combinations(candidates, 2)
        x, y = candidates[nx], candidates[ny]
        onx, ony = on(x), on(y)
        dx = dy = None
        for i in onx - ony:
            dx = -res[i] * coefs[i][x]
            break
        for i in ony - onx:
            dy = -res[i] * coefs[i][y]
            break
        both = onx & ony
        if dx is None and dy is not None and both:
            i = next(iter(both))
            dx = (-res[i] - coefs[i][y] * dy) * coefs[i][x]
        elif dy is None and dx is not None and both:
            i = next(iter(both))
            dy = (-res[i] - coefs[i][x] * dx) * coefs[i][y]
        if dx is None or dy is None:
            continue  # under-determined: the pair cannot be told apart from its variants
        if ok({x: dx, y: dy}):
            pairs.append(fixes({x: dx, y: dy}))
    return pairs


def pinpoint_diagnostics(table: Table, equations: Sequence[Equation], read: Read | None = None) -> list[Diagnostic]:
    """``PINPOINT`` errors (one per cell) for a unique explanation, else one ``PINPOINT.AMBIGUOUS``
    (``read`` as for :func:`locate`)."""
    solutions = locate(table, equations, read)
    if not solutions:
        return []
    tid = table.id
    if len(solutions) == 1:
        out = []
        for fix in solutions[0]:
            cell = cell_of(table, fix.row, fix.column)
            others = [f"{f.row} × {f.column} → {f.suggestion}" for f in solutions[0] if f != fix]
            also = f" (together with {', '.join(others)})" if others else ""
            out.append(
                Diagnostic(
                    "PINPOINT",
                    Severity.ERROR,
                    f"PINPOINT {tid} {fix.row} × {fix.column}: {fix.value} is most likely wrong; "
                    f"{fix.suggestion} makes every rule hold{also}",
                    f"PINPOINT {tid} {fix.row} × {fix.column}：{fix.value} 最可能有误，"
                    f"改为 {fix.suggestion} 可使全部勾稽关系成立",
                    table=tid,
                    row=fix.row,
                    column=fix.column,
                    cells=(CellRef(tid, fix.row, fix.column, cell.value, cell.span),),
                    expected=fix.suggestion,
                    actual=fix.value,
                    difference=fix.value - fix.suggestion,
                    suggestion=fix.suggestion,
                    span=cell.span,
                    detail="; ".join(f"{f.row} × {f.column}: {f.value} → {f.suggestion}" for f in solutions[0]),
                )
            )
        return out
    listed = solutions[:MAX_LISTED]
    text = " | ".join(", ".join(f"{f.row} × {f.column}: {f.value} → {f.suggestion}" for f in s) for s in listed)
    refs = tuple(
        dict.fromkeys(
            CellRef(tid, f.row, f.column, cell_of(table, f.row, f.column).value, cell_of(table, f.row, f.column).span)
            for s in listed
            for f in s
        )
    )
    return [
        Diagnostic(
            "PINPOINT.AMBIGUOUS",
            Severity.INFO,
            f"PINPOINT {tid}: {len(solutions)} different cell changes explain the failing rules equally well",
            f"PINPOINT {tid}：有 {len(solutions)} 种同样合理的单元格修改可解释失败的勾稽关系，无法唯一定位",
            table=tid,
            cells=refs,
            detail=text,
        )
    ]
