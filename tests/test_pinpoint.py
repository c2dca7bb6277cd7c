"""Property tests: in a consistent Table 3/4, one changed cell is named by the pinpoint; none → no error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govreport import Cell, Severity, Table, TemplateVersion
from govreport.checks.arithmetic import TABLE4_EQUATIONS, run_checks
from govreport.checks.pinpoint import locate
from govreport.template import APPLICANT_COLUMNS, TABLE3_OUTCOME_ROWS, table3_equations, template_for

Grid = dict[str, dict[str, int]]


@st.composite
def consistent_table3(draw: st.DrawFn) -> tuple[TemplateVersion, Grid]:
    version = draw(st.sampled_from(list(TemplateVersion)))
    outcome = TABLE3_OUTCOME_ROWS[version]
    grid: Grid = {r: {} for r in template_for(version).table3.row_ids}
    for c in APPLICANT_COLUMNS:
        for r in outcome:
            grid[r][c] = draw(st.integers(0, 30))
        handled = sum(grid[r][c] for r in outcome)
        grid["total_handled"][c] = handled
        grid["carried_forward"][c] = draw(st.integers(0, 10))
        grid["carried_over"][c] = draw(st.integers(0, handled + grid["carried_forward"][c]))
        grid["new_received"][c] = handled + grid["carried_forward"][c] - grid["carried_over"][c]
    for row in grid.values():
        row["total"] = sum(row[c] for c in APPLICANT_COLUMNS)
    return version, grid


@st.composite
def consistent_table4(draw: st.DrawFn) -> Grid:
    grid: Grid = {}
    for g in ("review", "litigation_direct", "litigation_after_review"):
        parts = {c: draw(st.integers(0, 9)) for c in ("upheld", "corrected", "other", "pending")}
        grid[g] = {**parts, "total": sum(parts.values())}
    return grid


def _table(table_id: str, version: TemplateVersion, grid: Grid) -> Table:
    return Table(table_id, version, {r: {c: Cell.number(v) for c, v in cols.items()} for r, cols in grid.items()})


def _perturb(draw: st.DrawFn, grid: Grid) -> tuple[str, str, int]:
    row = draw(st.sampled_from(sorted(grid)))
    col = draw(st.sampled_from(sorted(grid[row])))
    delta = draw(st.integers(-grid[row][col], 20).filter(lambda d: d != 0))
    return row, col, delta


@given(consistent_table3(), consistent_table4())
def test_consistent_tables_have_no_error(t3: tuple[TemplateVersion, Grid], t4: Grid) -> None:
    version, grid = t3
    out = run_checks(_table("table3", version, grid), _table("table4", version, t4))
    assert out.diagnostics == ()
    assert out.failed == 0
    assert out.not_assessable == 0


@given(consistent_table3(), st.data())
def test_one_changed_table3_cell_is_pinpointed(t3: tuple[TemplateVersion, Grid], data: st.DataObject) -> None:
    version, grid = t3
    row, col, delta = _perturb(data.draw, grid)
    original = grid[row][col]
    grid[row][col] += delta
    table = _table("table3", version, grid)
    empty4 = Table.empty("table4", version)
    out = run_checks(table, empty4)
    pins = [d for d in out.diagnostics if d.code == "PINPOINT"]
    assert [(d.row, d.column, d.suggestion, d.actual) for d in pins] == [(row, col, original, original + delta)]
    assert pins[0].severity is Severity.ERROR
    assert pins[0].cells[0].value == original + delta
    assert table.value(row, col) == original + delta  # the report itself is never changed


@given(consistent_table3(), st.sampled_from(APPLICANT_COLUMNS), st.integers(1, 20))
def test_handled_wrong_in_a_column_and_in_total_names_both(
    t3: tuple[TemplateVersion, Grid], col: str, delta: int
) -> None:
    """Seed 001's shape: T3.ROW on （七） still holds, both columns' T3.OUT and T3.BAL fail."""
    version, grid = t3
    grid["total_handled"][col] += delta
    grid["total_handled"]["total"] += delta
    solutions = locate(_table("table3", version, grid), table3_equations(version))
    assert len(solutions) == 1
    assert {(f.row, f.column, f.suggestion) for f in solutions[0]} == {
        ("total_handled", col, grid["total_handled"][col] - delta),
        ("total_handled", "total", grid["total_handled"]["total"] - delta),
    }


@given(consistent_table4(), st.data())
def test_one_changed_table4_cell_is_among_the_alternatives(t4: Grid, data: st.DataObject) -> None:
    """A Table 4 block has one equation over five cells, so the cell cannot be told apart from the
    others: the finding must be ambiguous and must list the changed cell."""
    row, col, delta = _perturb(data.draw, t4)
    t4[row][col] += delta
    table = _table("table4", TemplateVersion.V2021, t4)
    solutions = locate(table, TABLE4_EQUATIONS)
    assert any(
        s == (s[0],) and (s[0].row, s[0].column, s[0].suggestion) == (row, col, t4[row][col] - delta) for s in solutions
    )
    out = run_checks(Table.empty("table3", TemplateVersion.V2021), table)
    pins = [d for d in out.diagnostics if d.code.startswith("PINPOINT")]
    if len(solutions) == 1:
        # e.g. total 2 → 0 over parts 1+1: lowering a part by 2 would make it negative, so only the total fits
        assert [(d.code, d.row, d.column) for d in pins] == [("PINPOINT", row, col)]
    else:
        assert [d.code for d in pins] == ["PINPOINT.AMBIGUOUS"]
        assert (row, col) in {(c.row, c.column) for c in pins[0].cells}
