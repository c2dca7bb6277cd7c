"""Optional Table 3 subtotal rows (spec §3.2, rule T3.SUB): read beside the table, never as a data row."""

from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport.checks.arithmetic import check_report
from govreport.model import Cell, CellStatus, Report, Subtotal
from govreport.template import TABLE3_COLUMNS

from .conftest import SEEDS, seed_files
from .truthdata import contract_mismatches, read_truth

DENIED_LAST = "8.属于行政查询事项 0 0 0 0 0 0 0\n"
UNABLE_LAST = "3.补正后申请内容仍不明确 0 0 0 0 0 0 0\n"
OTHER_LAST = "3.其他 0 0 0 0 0 0 0\n"
TAB_DENIED_LAST = "\t\t8.属于行政查询事项\t\t0\t0\t0\t0\t0\t0\t0\n"
TAB_UNABLE_LAST = "\t\t3.补正后申请内容仍不明确\t\t0\t0\t0\t0\t0\t0\t0\n"


def _seed(n: int) -> tuple[Path, str]:
    files = seed_files()
    if len(files) <= n:
        pytest.skip("seed files not available")
    return files[n], files[n].read_text(encoding="utf-8")


def _insert(text: str, after: str, line: str) -> str:
    assert text.count(after) == 1, after
    return text.replace(after, after + line)


def _truth_mismatches(path: Path, report: Report) -> list[str]:
    return contract_mismatches(govreport.to_dict(report), read_truth(SEEDS / "truth" / (path.stem + ".json")))


def _values(sub: Subtotal) -> list[int | None]:
    return [None if c.value is None else int(c.value) for c in sub.cells.values()]


def _codes(report: Report, code: str) -> list[govreport.Diagnostic]:
    return [d for d in report.diagnostics if d.code == code]


def test_subtotals_after_their_blocks_are_read_and_shift_nothing() -> None:
    path, text = _seed(0)
    text = _insert(text, DENIED_LAST, "\n小计 3 0 0 0 0 0 3\n")
    text = _insert(text, UNABLE_LAST, "\n（四）无法提供小计 5 0 0 0 0 0 5\n")
    text = _insert(text, OTHER_LAST, "\n合计 0 0 0 0 0 0 0\n")
    report = govreport.loads(text)
    assert _truth_mismatches(path, report) == []
    assert [s.block for s in report.subtotals] == ["denied", "unable", "other"]
    assert _values(report.subtotals[0]) == [3, 0, 0, 0, 0, 0, 3]
    assert _values(report.subtotals[1]) == [5, 0, 0, 0, 0, 0, 5]
    assert (
        report.subtotals[0].span is not None
        and report.subtotals[0].span.line == text.splitlines().index("小计 3 0 0 0 0 0 3") + 1
    )
    assert report.unplaced == ()
    assert _codes(report, "PARSE.UNPLACED") == [] and _codes(report, "T3.SUB") == []
    assert report.errors == ()
    # 3 subtotals × 7 columns more passing arithmetic instances than the seed alone
    plain = check_report(govreport.loads(_seed(0)[1]))
    assert check_report(report).passed == plain.passed + 21


def test_named_subtotal_before_its_children_goes_to_the_named_block() -> None:
    path, text = _seed(0)
    text = _insert(text, "（五）不予\n\n处理\n", "\n（五）不予处理小计 1 0 0 0 0 0 1\n")
    report = govreport.loads(text)
    assert _truth_mismatches(path, report) == []
    assert [s.block for s in report.subtotals] == ["not_processed"]
    assert _codes(report, "T3.SUB") == [] and report.unplaced == ()


def test_wrong_subtotal_gives_exactly_one_t3_sub_error() -> None:
    path, text = _seed(0)
    text = _insert(text, DENIED_LAST, "\n小计 3 0 0 0 0 0 3\n")
    text = _insert(text, UNABLE_LAST, "\n小计 5 0 0 0 0 1 5\n")  # 其他 column: 1, the rows sum to 0
    report = govreport.loads(text)
    assert _truth_mismatches(path, report) == []
    subs = _codes(report, "T3.SUB")
    assert len(subs) == 1
    d = subs[0]
    assert (d.severity, d.table, d.row, d.column) == (govreport.Severity.ERROR, "table3", "subtotal.unable", "other")
    assert (d.expected, d.actual, d.difference) == (0, 1, 1)
    assert [(c.row, c.column) for c in d.cells] == [
        ("unable.not_held", "other"),
        ("unable.needs_creation", "other"),
        ("unable.unclear", "other"),
        ("subtotal.unable", "other"),
    ]
    assert "subtotal" in d.message and "小计" in d.message_zh
    assert [e.code for e in report.errors] == ["T3.SUB"]
    assert check_report(report).failed == 1


def test_placeholder_subtotal_cell_is_not_assessable() -> None:
    _, text = _seed(0)
    text = _insert(text, DENIED_LAST, "\n小计 3 / 0 0 0 0 3\n")
    report = govreport.loads(text)
    (sub,) = report.subtotals
    assert sub.cells["commercial"].status is CellStatus.PLACEHOLDER
    outcome = check_report(report)
    assert not [d for d in outcome.diagnostics if d.code == "T3.SUB"]
    plain = check_report(govreport.loads(_seed(0)[1]))
    assert (outcome.passed, outcome.not_assessable) == (plain.passed + 6, plain.not_assessable + 1)


def test_tab_layout_subtotals() -> None:
    path, text = _seed(2)
    text = _insert(text, TAB_DENIED_LAST, "\t\t小计\t\t0\t0\t0\t0\t0\t0\t0\n")
    text = _insert(text, TAB_UNABLE_LAST, "\t\t合计\t\t17\t0\t0\t0\t0\t0\t16\n")
    report = govreport.loads(text)
    assert report.source.layout == "tab"
    assert _truth_mismatches(path, report) == []
    assert [s.block for s in report.subtotals] == ["denied", "unable"]
    assert _values(report.subtotals[1]) == [17, 0, 0, 0, 0, 0, 16]
    assert [(d.row, d.column, d.expected, d.actual) for d in _codes(report, "T3.SUB")] == [
        ("subtotal.unable", "total", 17, 16)
    ]


def test_json_round_trip_with_subtotals() -> None:
    _, text = _seed(0)
    text = _insert(text, DENIED_LAST, "\n小计 3 0 0 0 0 0 3\n")
    text = _insert(text, UNABLE_LAST, "\n小计 5 - 0 0 0 0 5\n")
    report = govreport.loads(text)
    assert len(report.subtotals) == 2
    data = govreport.to_dict(report)
    assert [s["row"] for s in data["subtotals"]] == ["subtotal.denied", "subtotal.unable"]
    assert data["subtotals"][1]["values"]["commercial"] is None
    assert govreport.from_dict(data) == report
    assert govreport.from_json(govreport.to_json(report)) == report
    old = {k: v for k, v in data.items() if k != "subtotals"}
    assert govreport.from_dict(old).subtotals == ()


def test_subtotal_model_rejects_unknown_block_and_columns() -> None:
    cells = {c.id: Cell.number(0) for c in TABLE3_COLUMNS}
    assert Subtotal("denied", cells).row_id == "subtotal.denied"
    with pytest.raises(ValueError):
        Subtotal("granted", cells)
    with pytest.raises(ValueError):
        Subtotal("denied", {k: v for k, v in cells.items() if k != "total"})
    with pytest.raises(ValueError):
        Subtotal("denied", {**cells, "total": Cell.number(-1)})


def test_subtotals_in_the_long_form() -> None:
    _, text = _seed(0)
    report = govreport.loads(_insert(text, DENIED_LAST, "\n小计 3 0 0 0 0 0 3\n"))
    rows = [r for r in govreport.tidy_rows(report) if r["row"].startswith("subtotal.")]
    assert [(r["row"], r["column"], r["value"]) for r in rows][:1] == [("subtotal.denied", "natural_person", 3)]
    assert len(rows) == 7 * len(report.subtotals)
    assert govreport.Subtotal is Subtotal


def test_export_rows_from_the_json_match_the_long_form() -> None:
    from govreport.export.sinks import tidy_from_doc

    _, text = _seed(0)
    report = govreport.loads(_insert(text, DENIED_LAST, "\n小计 3 0 0 0 0 0 3\n"))
    from_doc = list(tidy_from_doc(govreport.to_dict(report)))
    assert from_doc == [tuple(r.values()) for r in govreport.tidy_rows(report)]


def test_sqlite_export_keeps_subtotal_rows(tmp_path: Path) -> None:
    import sqlite3

    from govreport.export.sinks import FileRef, open_sink

    _, text = _seed(0)
    report = govreport.loads(_insert(text, DENIED_LAST, "\n小计 3 0 0 0 0 0 3\n"))
    sink = open_sink(tmp_path / "out.sqlite")
    doc = govreport.to_dict(report)
    sink.write(sink.encode(doc), FileRef(path="seed.txt", sha256=doc["sha256"]))
    sink.close()
    db = sqlite3.connect(tmp_path / "out.sqlite")
    rows = db.execute(
        "SELECT column_id, value FROM cells WHERE row_id = 'subtotal.denied' ORDER BY column_id"
    ).fetchall()
    assert dict(rows) == {
        "natural_person": 3,
        "commercial": 0,
        "research": 0,
        "social_org": 0,
        "legal_service": 0,
        "other": 0,
        "total": 3,
    }
    assert db.execute("SELECT count(*) FROM cells").fetchone()[0] == 200 + 7
