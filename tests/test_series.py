"""check_series: X.CARRY per column across consecutive years; X.T2STOCK soft warning."""

from __future__ import annotations

import attrs

import govreport
from govreport import Cell, Report, Severity, Table

from .conftest import corpus_cases
from .truthdata import read_truth, report_from_truth


def _a_2021_report() -> Report:
    for case in corpus_cases():
        truth = read_truth(case / "truth.json")
        if truth["template"] == "2021" and not truth["inconsistencies"]:
            return report_from_truth(truth)
    raise AssertionError("the corpus has no consistent 2021-format case")


def _set(report: Report, table_id: str, changes: dict[tuple[str, str], int]) -> Report:
    table: Table = getattr(report, table_id)
    rows = {r: dict(c) for r, c in table.rows.items()}
    for (r, c), v in changes.items():
        rows[r][c] = Cell.number(v)
    return attrs.evolve(report, **{table_id: Table(table_id, report.template, rows)})


def _next_year(prev: Report) -> Report:
    """A following year whose carry-over and stock agree with ``prev``."""
    t2 = prev.table2
    changes = {}
    for row in ("regulations", "normative_documents"):
        was = int(t2.value(row, "in_force") or 0)
        changes.update({(row, "issued"): 2, (row, "repealed"): 1, (row, "in_force"): was + 1})
    cur = _set(attrs.evolve(prev, year=(prev.year or 2021) + 1), "table2", changes)
    carry = {
        ("carried_over", c): int(prev.table3.value("carried_forward", c) or 0) for c in prev.table3["carried_over"]
    }
    # keep the year internally consistent: carried_over moves, so new_received absorbs the difference
    t3 = prev.table3
    fix = {}
    for (_, c), v in carry.items():
        fix[("new_received", c)] = int(t3.value("new_received", c) or 0) + int(t3.value("carried_over", c) or 0) - v
    if any(v < 0 for v in fix.values()):
        return _set(cur, "table3", carry)
    return _set(cur, "table3", {**carry, **fix})


def test_consistent_years_give_nothing() -> None:
    y1 = _a_2021_report()
    y2 = _next_year(y1)
    assert govreport.check_series([y2, y1]) == ()


def test_carry_mismatch_is_named_per_column() -> None:
    y1 = _a_2021_report()
    y2 = _next_year(y1)
    was = int(y2.table3.value("carried_over", "natural_person") or 0)
    tot = int(y2.table3.value("carried_over", "total") or 0)
    y2 = _set(y2, "table3", {("carried_over", "natural_person"): was + 2, ("carried_over", "total"): tot + 2})
    diags = govreport.check_series([y1, y2])
    assert [(d.code, d.column, d.difference) for d in diags] == [
        ("X.CARRY", "natural_person", 2),
        ("X.CARRY", "total", 2),
    ]
    assert all(d.severity is Severity.WARNING and len(d.cells) == 2 for d in diags)


def test_stock_and_gaps() -> None:
    y1 = _a_2021_report()
    y2 = _next_year(y1)
    bad = _set(
        y2,
        "table2",
        {("normative_documents", "in_force"): int(y2.table2.value("normative_documents", "in_force") or 0) + 4},
    )
    diags = govreport.check_series([y1, bad])
    assert [(d.code, d.row, d.difference) for d in diags] == [("X.T2STOCK", "normative_documents", 4)]
    # a missing year in between: nothing is compared across the gap
    later = attrs.evolve(bad, year=(y1.year or 0) + 2)
    assert govreport.check_series([y1, later]) == ()
    # another body's report is not compared with this one
    other = attrs.evolve(bad, organ="另一个机关")
    assert govreport.check_series([y1, other]) == ()
