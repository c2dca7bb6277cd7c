"""The model's validators and the lossless round trip through the export contract."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import govreport
from govreport import Cell, CellStatus, Table, TemplateVersion

from .conftest import SEEDS, all_inputs, input_id, seed_files
from .truthdata import assert_passes_full_checks, read_truth, report_from_truth


def _t4(value: object) -> Table:
    rows = Table.empty("table4", "2021").values()
    cells = {r: {c: Cell.number(0) for c in cols} for r, cols in rows.items()}
    cells["review"]["upheld"] = value  # type: ignore[assignment]
    return Table("table4", "2021", cells)


def test_negative_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        _t4(Cell.number(-1))


def test_non_integer_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="whole number"):
        _t4(Cell.number(Decimal("1.5")))


def test_float_is_never_a_value() -> None:
    with pytest.raises(TypeError, match="int or Decimal"):
        Cell.number(1.5)  # type: ignore[arg-type]


def test_float_money_is_rejected() -> None:
    truth = read_truth(SEEDS / "truth" / (seed_files()[0].stem + ".json"))
    report = report_from_truth(truth)
    rows = {r: dict(cols) for r, cols in report.table2.rows.items()}
    rows["administrative_fees"]["amount"] = Cell.number(882)
    with pytest.raises(TypeError, match="Decimal"):
        Table("table2", "2021", rows)


def test_signed_change_allowed_in_2019_only_column() -> None:
    truth = read_truth(SEEDS / "truth" / (seed_files()[1].stem + ".json"))
    report = report_from_truth(truth)
    rows = {r: dict(cols) for r, cols in report.table2.rows.items()}
    rows["administrative_licensing"]["change"] = Cell.number(-3, "-3")
    assert Table("table2", "2019", rows).value("administrative_licensing", "change") == -3
    rows["administrative_licensing"]["decisions"] = Cell.number(-3, "-3")
    with pytest.raises(ValueError, match="negative"):
        Table("table2", "2019", rows)


def test_placeholder_is_not_zero() -> None:
    cell = Cell(None, "/", CellStatus.PLACEHOLDER)
    assert cell.value is None and cell.raw == "/"
    with pytest.raises(ValueError):
        Cell(0, "/", CellStatus.PLACEHOLDER)


def test_table_must_match_template() -> None:
    with pytest.raises(ValueError, match="rows do not match"):
        Table("table4", "2021", {"review": {}})


def test_report_is_frozen() -> None:
    report = report_from_truth(read_truth(SEEDS / "truth" / (seed_files()[0].stem + ".json")))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.organ = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.table3.rows["granted"]["total"] = Cell.number(1)  # type: ignore[index]


@pytest.mark.parametrize("path", sorted((SEEDS / "truth").glob("*.json")), ids=lambda p: p.name[:3])
def test_truth_round_trip_is_identity(path: Path) -> None:
    report = report_from_truth(read_truth(path))
    assert govreport.from_json(govreport.to_json(report)) == report
    assert govreport.from_dict(json.loads(json.dumps(govreport.to_dict(report)))) == report


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name[:3])
def test_parsed_round_trip_is_identity(path: Path) -> None:
    report = govreport.load(path)
    assert govreport.from_json(govreport.to_json(report)) == report


def test_contract_keys_and_types() -> None:
    doc = govreport.to_dict(govreport.load(seed_files()[1]))
    for key in (
        "organ",
        "year",
        "template",
        "title",
        "layout",
        "parser",
        "confidence",
        "table2",
        "table3",
        "table4",
        "sections",
        "diagnostics",
    ):
        assert key in doc
    assert doc["template"] == "2019"
    assert doc["table2"]["government_procurement"]["amount"] == "6356.8000"
    assert doc["table3"]["total_handled"]["natural_person"] == 15
    assert doc["table4"]["review"]["pending"] == 3
    assert set(doc["table3"]["granted"]) == {
        "natural_person",
        "commercial",
        "research",
        "social_org",
        "legal_service",
        "other",
        "total",
    }


def test_tidy_rows_one_per_cell() -> None:
    report = govreport.load(seed_files()[0])
    rows = list(govreport.tidy_rows(report))
    assert len(rows) == 10 + 25 * 7 + 15
    assert rows[0]["template"] == "2021" and rows[0]["table"] == "table2"
    assert {r["table"] for r in rows} == {"table2", "table3", "table4"}


def test_template_version_str() -> None:
    assert str(TemplateVersion("2019")) == "2019"


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_assembled_tables_pass_the_checks_they_skipped(path: Path) -> None:
    """The assembler builds cells and tables unchecked (hot path); every one must pass the full checks."""
    report = govreport.load(path)
    for table in (report.table2, report.table3, report.table4):
        assert_passes_full_checks(table)


def test_deferred_cells_behave_like_built_ones() -> None:
    """An assembled table builds its plain counts on first access; nobody can tell from outside."""
    from govreport.checks.arithmetic import filled_cells, numbers, run_checks, semantic_gaps
    from govreport.model import LazyRows

    path = seed_files()[0]
    lazy = govreport.load(path).table3
    fresh = govreport.load(path).table3
    assert isinstance(lazy.rows, LazyRows)
    eager = Table(fresh.id, fresh.template, {r: dict(cols) for r, cols in fresh.rows.items()})
    assert "total_handled" in lazy.rows and "nonsense" not in lazy.rows
    first = lazy.rows["new_received"]
    assert first is lazy.rows["new_received"] and first["total"] is lazy["new_received"]["total"]
    # equality and repr either way round, before and after every row is built
    untouched = govreport.load(path).table3
    assert numbers(untouched) == numbers(eager)
    assert filled_cells([untouched]) == filled_cells([eager])
    assert semantic_gaps(untouched) == semantic_gaps(eager)
    assert untouched == eager and eager == untouched
    assert repr(lazy) == repr(eager) and repr(lazy.rows) == repr(eager.rows)  # rows print like a mapping proxy
    report = govreport.load(path)
    assert run_checks(report.table3, report.table4) == run_checks(
        Table("table3", report.template, {r: dict(c) for r, c in report.table3.rows.items()}),
        Table("table4", report.template, {r: dict(c) for r, c in report.table4.rows.items()}),
    )


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_one_cell_of_a_deferred_row_equals_the_built_row_cell(path: Path) -> None:
    """``cell_of`` builds a single cell (for diagnostics); it must equal the cell of the built row."""
    from govreport.model import cell_of

    report = govreport.load(path)
    fresh = govreport.load(path)
    for name in ("table2", "table3", "table4"):
        table, other = getattr(report, name), getattr(fresh, name)
        singles = {(r, c): cell_of(other, r, c) for r, cols in table.rows.items() for c in cols}
        assert singles == {(r, c): cell for r, cols in table.rows.items() for c, cell in cols.items()}
        assert all(cell_of(table, r, c) is table.rows[r][c] for r, c in singles)  # built rows answer


@pytest.mark.parametrize("path", all_inputs()[::4], ids=input_id)
def test_held_entries_are_the_built_cells(path: Path) -> None:
    """``LazyRows.held`` (the export's path, no Cell built) stands for exactly the cells the rows build,
    and the export entries made from it are those of the built cells, before and after a row is built."""
    from govreport.export.convert import _detail, _table_out
    from govreport.model import LazyRows, unchecked_cell

    try:
        report = govreport.load(path)
    except govreport.GovReportError:
        pytest.skip("not readable")
    for table in (report.table2, report.table3, report.table4):
        rows = table.rows
        if not isinstance(rows, LazyRows):
            continue
        untouched: list[dict[str, object]] = []
        values = _table_out(table, untouched)
        spans: list[tuple[list[int], list[int] | None]] = []
        held: list[tuple[str, str, Cell]] = []
        for r, entries in rows.held():
            for c, e in entries.items():
                if type(e) is tuple:
                    value, item = e
                    span = rows._span(item[2], item[3], item[4])
                    spans.append((rows.span_list(item[2], item[3], item[4]), [*attrs.astuple(span)]))
                    e = unchecked_cell(value, item[1], CellStatus.NUMBER, span)
                held.append((r, c, e))  # type: ignore[arg-type]
        assert all(fast == slow for fast, slow in spans)
        built = list(table.cells())  # builds every row
        assert held == built
        entries = [{"table": table.id, "row": r, "column": c, **_detail(cell)} for r, c, cell in built]
        after: list[dict[str, object]] = []
        assert _table_out(table, after) == values == {r: {c: d["value"] for c, d in _cols(entries, r)} for r in rows}
        # equal as data and as the JSON the export writes (key order, int vs str)
        assert json.dumps(untouched, ensure_ascii=False) == json.dumps(entries, ensure_ascii=False)
        assert json.dumps(after, ensure_ascii=False) == json.dumps(entries, ensure_ascii=False)
        assert all(not isinstance(e, tuple) for _, cols in rows.held() for e in cols.values())


def _cols(entries: list[dict[str, object]], row: str) -> list[tuple[object, dict[str, object]]]:
    return [(d["column"], d) for d in entries if d["row"] == row]


def test_span_list_is_the_span_on_folded_lines() -> None:
    """``NormText.span_list`` (the export's spans) equals ``span`` where folding changed a line's length."""
    from govreport.text.normalise import normalise

    doc = normalise("收到申请\u200b\u3000\uff11\uff12 件，办结 3 件\nplain 12 line")  # a zero-width space folds away
    assert len(doc.lines[0]) != len(doc.original_lines[0])  # the slow path is the one under test
    for line in (0, 1):
        for start in range(len(doc.lines[line])):
            for end in range(start, len(doc.lines[line]) + 1):
                span = doc.span(line, start, end)
                assert doc.span_list(line, start, end) == [span.line, span.column, span.end_line, span.end_column]


def _originals(kind: str) -> list[Path]:
    root = Path(__file__).resolve().parents[2] / "shared" / "originals"
    return sorted(p / f"source.{kind}" for p in root.iterdir() if (p / f"source.{kind}").exists())[::6]


@pytest.mark.parametrize(
    "path", [*_originals("html"), *_originals("docx")], ids=lambda p: f"{p.parent.name}.{p.suffix}"
)
def test_located_cells_carry_their_document_place_however_they_are_read(path: Path) -> None:
    """A document's cells get their origins when built (LazyRows.located): every way of reading a cell
    — its row, one cell alone, the checks' eager cells, the export's held rows — gives the cell with
    the origin its span maps to, and the same cell each time."""
    pytest.importorskip("lxml")
    from govreport.model import LazyRows
    from govreport.sources import read_document, sniff
    from govreport.text.document import document_text

    data = path.read_bytes()
    doc = document_text(read_document(data, sniff(data)))
    report = govreport.loads(data)
    located = 0
    for table in (report.table2, report.table3, report.table4):
        rows = table.rows
        assert isinstance(rows, LazyRows)
        alone = {}
        for r in list(rows)[::2]:  # half the rows read one cell at a time first, before their row is built
            for c in rows.numbers()[r]:
                alone[(r, c)] = rows.cell(r, c)
        for r, c, cell in table.cells():
            assert cell.origin == (doc.origin_of(cell.span) if cell.span else None)
            assert rows.cell(r, c) is cell  # the row is built now: the same object
            if (r, c) in alone:
                assert alone[(r, c)] == cell and alone[(r, c)].origin == cell.origin
            located += cell.origin is not None
        for r, c, cell in rows.eager_cells():
            assert cell is rows[r][c]
        for r, held in rows.held():
            assert dict(held) == dict(rows[r])
    assert located > 100  # the grids' cells have places (a blank template cell has no span)
