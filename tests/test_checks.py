"""The rule catalogue, the seeds' findings, strict mode, DOM.SEM, and every corpus case's injected error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import govreport
from govreport import Cell, CellStatus, Severity, StrictModeError, Table
from govreport.checks.arithmetic import ARITHMETIC_RULES, check_report, run_checks
from govreport.checks.rules import CATALOGUE, RULES, render_markdown

from .conftest import ROOT, corpus_cases, seed_files
from .truthdata import contract_mismatches, read_truth, report_from_truth

DOC = ROOT / "docs" / "rules.md"


def test_catalogue_ids_are_unique_and_bilingual() -> None:
    assert len(RULES) == len(CATALOGUE)
    for r in CATALOGUE:
        assert r.meaning and r.meaning_zh and r.example, r.id


def test_docs_are_generated_from_the_catalogue() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == render_markdown(), "regenerate: python -m govreport.checks.rules > docs/rules.md"
    for r in CATALOGUE:
        assert f"| {r.id} |" in text


def _seed(prefix: str) -> Path:
    return next(p for p in seed_files() if p.name.startswith(prefix))


def test_seed_001_errors_are_the_four_failing_rules_and_the_pinpoint() -> None:
    report = govreport.load(_seed("001"))
    errors = report.errors
    arithmetic = {(d.code, d.column) for d in errors if d.code in ARITHMETIC_RULES}
    assert arithmetic == {
        ("T3.OUT", "natural_person"),
        ("T3.OUT", "total"),
        ("T3.BAL", "natural_person"),
        ("T3.BAL", "total"),
    }
    pins = {(d.row, d.column, d.suggestion) for d in errors if d.code == "PINPOINT"}
    assert pins == {("total_handled", "natural_person", 25), ("total_handled", "total", 27)}
    assert len(errors) == 6
    for d in errors:
        assert d.table == "table3"
        assert d.cells
        assert all(c.span is not None and c.value is not None for c in d.cells)
        assert d.expected is not None and d.actual is not None
        assert d.difference == d.actual - d.expected
        assert d.message_zh
    bal_np = next(d for d in errors if (d.code, d.column) == ("T3.BAL", "natural_person"))
    assert (bal_np.expected, bal_np.actual) == (25, 15)


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_other_seeds_have_no_error(prefix: str) -> None:
    report = govreport.load(_seed(prefix))
    assert report.errors == ()
    assert all(d.code in RULES for d in report.diagnostics)


def test_strict_mode_raises_with_every_error() -> None:
    path = _seed("001")
    with pytest.raises(StrictModeError) as info:
        govreport.load(path, strict=True)
    assert {d.code for d in info.value.diagnostics} == {"T3.OUT", "T3.BAL", "PINPOINT"}
    assert len(info.value.diagnostics) == 6
    assert "PINPOINT" in str(info.value)
    assert govreport.load(_seed("000"), strict=True).errors == ()


def _with(table: Table, changes: dict[tuple[str, str], Cell]) -> Table:
    rows = {r: dict(cols) for r, cols in table.rows.items()}
    for (r, c), cell in changes.items():
        rows[r][c] = cell
    return Table(table.id, table.template, rows)


def _truth(case: str) -> dict[str, Any]:
    return read_truth(next(p for p in corpus_cases() if p.name == case) / "truth.json")


def test_placeholders_are_one_warning_per_table_and_not_assessable() -> None:
    report = report_from_truth(_truth("s000"))
    base = run_checks(report.table3, report.table4)
    slash = Cell(None, "/", CellStatus.PLACEHOLDER)
    blank = Cell(None, "", CellStatus.BLANK)
    t3 = _with(report.table3, {("granted", "research"): slash, ("carried_over", "total"): blank})
    out = run_checks(t3, report.table4)
    sem = [d for d in out.diagnostics if d.code == "DOM.SEM"]
    assert len(sem) == 1
    assert sem[0].severity is Severity.WARNING
    assert {(c.row, c.column) for c in sem[0].cells} == {("granted", "research"), ("carried_over", "total")}
    assert out.failed == 0
    # granted.research: its row and its column; carried_over.total: its row and the total balance
    assert out.not_assessable == base.not_assessable + 4
    assert out.passed == base.passed - 4


VIOLATION_KINDS = {"t3_balance", "t3_row_total", "t4_total"}


def _arith(diags: tuple[govreport.Diagnostic, ...]) -> set[str]:
    return {f"{d.code}:{d.row or d.column}" for d in diags if d.code in ARITHMETIC_RULES}


def _injected(truth: dict[str, Any]) -> set[tuple[str, str, str]]:
    out = set()
    for inc in truth["inconsistencies"]:
        for c in inc["cells"]:
            if c["table"] == "table4":
                group = {"administrative_review": "review"}.get(c["group"], c["group"])
                out.add(("table4", group, c["field"]))
            else:
                out.add((c["table"], c["row"], c["column"]))
    return out


CASES = corpus_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_corpus_violations_are_reported_by_the_right_rule(case: Path) -> None:
    """Built from the truth (the numbers as printed, injected errors included), so it measures the
    checks alone, independent of how well any reader copes with the case's converter chain."""
    truth = read_truth(case / "truth.json")
    report = report_from_truth(truth)
    outcome = check_report(report)
    assert _arith(outcome.diagnostics) == set(truth["violated_checks"])
    if not truth["inconsistencies"]:
        assert outcome.errors == ()
        return
    assert {i["kind"] for i in truth["inconsistencies"]} <= VIOLATION_KINDS
    named = {(c.table, c.row, c.column) for d in outcome.diagnostics if d.code.startswith("PINPOINT") for c in d.cells}
    assert _injected(truth) <= named
    for d in outcome.diagnostics:
        if d.code == "PINPOINT":
            assert (d.table, d.row, d.column) in _injected(truth)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_corpus_violations_survive_reading(case: Path) -> None:
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    truth = read_truth(case / "truth.json")
    report = govreport.load(case / meta["input_file"])
    mismatches = [m for m in contract_mismatches(govreport.to_dict(report), truth) if m.startswith("table")]
    misread = [m for m in mismatches if "got None" not in m]
    if misread:
        pytest.skip(f"the reader gets {len(misread)} value(s) wrong ({misread[0]}); checks are judged on read numbers")
    reported = _arith(report.diagnostics)
    if mismatches:
        # cells left unread make their rules not assessable: fewer findings, never a false alarm
        assert reported <= set(truth["violated_checks"])
    else:
        assert reported == set(truth["violated_checks"])


def test_check_report_on_a_loaded_report_matches_load() -> None:
    report = govreport.load(_seed("001"))
    again = check_report(attrs.evolve(report, diagnostics=()))
    codes = sorted(d.code for d in report.diagnostics)
    assert sorted(d.code for d in again.diagnostics) == codes


def test_every_code_the_package_emits_is_in_the_catalogue() -> None:
    """Scan the source for diagnostic codes: a code missing from the catalogue is undocumented."""
    import re

    src = ROOT / "src" / "govreport"
    pattern = re.compile(r'"((?:PARSE|FLAT|DOM|T3|T4|TXT|Q|X|INPUT)\.[A-Z0-9_]+|PINPOINT(?:\.[A-Z_]+)?)"')
    emitted = {m for path in src.rglob("*.py") for m in pattern.findall(path.read_text(encoding="utf-8"))}
    assert emitted, "the scan found no codes at all"
    assert emitted - set(RULES) == set()
