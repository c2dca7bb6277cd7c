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
from collections.abc import Sequence
from itertools import combinations

import attrs

from .diagnostics import CellRef, Diagnostic, Severity
from .model import Table, numbers
from .template import COUNT

__all__ = ["Equation", "Fix", "locate", "pinpoint_diagnostics"]

Key = tuple[str, str]

MAX_LISTED = 8
"""How many alternatives an ambiguous finding lists."""


@attrs.frozen
class Equation:
    """One instance of a rule: ``sum(left) == sum(right)`` over cells ``(row, column)`` of a table."""

    rule: str
    table: str
    left: tuple[Key, ...]
    right: tuple[Key, ...]
    row: str | None = None
    column: str | None = None

    @property
    def where(self) -> str:
        return f"{self.rule} {self.row or self.column or ''}".strip()

    def coefficients(self) -> dict[Key, int]:
        out: dict[Key, int] = {}
        for k in self.left:
            out[k] = out.get(k, 0) + 1
        for k in self.right:
            out[k] = out.get(k, 0) - 1
        return out


@attrs.frozen
class Fix:
    """A cell and the value that, together with the other fixes of its explanation, satisfies every rule."""

    row: str
    column: str
    value: int
    suggestion: int


@functools.lru_cache(maxsize=256)
def _coefficients(eq: Equation) -> dict[Key, int]:
    return eq.coefficients()  # the same few dozen equations every time: callers must not mutate


def locate(table: Table, equations: Sequence[Equation]) -> list[tuple[Fix, ...]]:
    """Every smallest set of one or two cells whose change makes all assessable equations hold.

    Equations touching a non-number cell are not assessable and constrain nothing. Returns ``[]``
    when nothing fails or nothing of size ≤ 2 explains the failures.
    """
    eqs: list[tuple[dict[Key, int], int]] = []
    values = numbers(table)  # the values alone: no cell needs building
    for eq in equations:
        coef = _coefficients(eq)
        residual = 0
        for (r, c), a in coef.items():
            value = values[r][c]  # a number cell holds a value; anything else is None
            if type(value) is not int:
                break
            residual += a * value
        else:
            eqs.append((coef, residual))
    failing = frozenset(i for i, (_, res) in enumerate(eqs) if res)
    if not failing:
        return []
    on: dict[Key, set[int]] = {}
    for i, (coef, _) in enumerate(eqs):
        for k in coef:
            on.setdefault(k, set()).add(i)
    candidates = sorted(k for k, idx in on.items() if idx & failing)
    counts = {(r.id, c.id): c.kind == COUNT for r in table.definition.rows for c in r.columns}

    def ok(deltas: dict[Key, int]) -> bool:
        if any(d == 0 for d in deltas.values()):
            return False
        for k, d in deltas.items():
            if counts.get(k, True) and int(values[k[0]][k[1]] or 0) + d < 0:
                return False
        touched = set().union(*(on[k] for k in deltas))
        return all(eqs[i][1] + sum(eqs[i][0].get(k, 0) * d for k, d in deltas.items()) == 0 for i in touched)

    def fixes(deltas: dict[Key, int]) -> tuple[Fix, ...]:
        out = []
        for (r, c), d in sorted(deltas.items()):
            v = int(values[r][c] or 0)
            out.append(Fix(r, c, v, v + d))
        return tuple(out)

    singles = []
    for k in candidates:
        if not failing <= on[k]:
            continue
        coef, res = eqs[next(iter(failing))]
        d = -res * coef[k]  # coefficients are ±1
        if ok({k: d}):
            singles.append(fixes({k: d}))
    if singles:
        return singles
    pairs = []
    for x, y in combinations(candidates, 2):
        if not failing <= (on[x] | on[y]):
            continue
        dx = dy = None
        for i in on[x] - on[y]:
            dx = -eqs[i][1] * eqs[i][0][x]
            break
        for i in on[y] - on[x]:
            dy = -eqs[i][1] * eqs[i][0][y]
            break
        both = on[x] & on[y]
        if dx is None and dy is not None and both:
            i = next(iter(both))
            dx = (-eqs[i][1] - eqs[i][0][y] * dy) * eqs[i][0][x]
        elif dy is None and dx is not None and both:
            i = next(iter(both))
            dy = (-eqs[i][1] - eqs[i][0][x] * dx) * eqs[i][0][y]
        if dx is None or dy is None:
            continue  # under-determined: the pair cannot be told apart from its variants
        if ok({x: dx, y: dy}):
            pairs.append(fixes({x: dx, y: dy}))
    return pairs


def pinpoint_diagnostics(table: Table, equations: Sequence[Equation]) -> list[Diagnostic]:
    """``PINPOINT`` errors (one per cell) for a unique explanation, else one ``PINPOINT.AMBIGUOUS``."""
    solutions = locate(table, equations)
    if not solutions:
        return []
    tid = table.id
    if len(solutions) == 1:
        out = []
        for fix in solutions[0]:
            cell = table.rows[fix.row][fix.column]
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
            CellRef(tid, f.row, f.column, table.rows[f.row][f.column].value, table.rows[f.row][f.column].span)
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
