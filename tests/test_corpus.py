"""Every converter output of the corpus (except the crawler chains) reads exactly like its truth.

Both sets: ``corpus/generated`` and ``corpus/wide`` (the same converters with another seed).

The crawler chains (``html>lxml-text-content``, ``html>bs4-get-text``) flatten the tables into one
run of text and are read by a separate parser; they are left out here on purpose. A case that the
layout parsers cannot read yet is an explicit strict xfail naming the reason, so fixing it (or
breaking it further) is noticed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport import CellStatus
from govreport.template import TABLE3_COLUMNS

from .conftest import SEEDS, corpus_cases, seed_files, wide_cases
from .truthdata import contract_mismatches, read_truth

CRAWLER_CHAINS = frozenset({"html>lxml-text-content", "html>bs4-get-text"})
_NO_LAYOUT_CHAINS = frozenset({"docx>lo-pdf>pdftotext", "html>chromium-print>pdftotext"})

_COLUMN_BLOCKS = "pdftotext without -layout: Table 3's column blocks cannot all be placed (flagged, never wrong)"
# case id -> why it cannot be read exactly yet (strict: an unexpected pass fails the test). Each names
# its class; none of them is read wrong (test_unreadable_cells_are_flagged_not_wrong).
KNOWN_FAILURES: dict[str, str] = {
    **dict.fromkeys(("w016", "w020", "w060", "w061", "w064", "w083", "w139", "w145"), _COLUMN_BLOCKS),
    "w058": "pdfplumber printed a Table 4 cell on its own line: it fits T4.SUM in three places (PARSE.AMBIGUOUS)",
}


def all_cases() -> list[Path]:
    return [*corpus_cases(), *wide_cases()]


def _chain(case: Path) -> str:
    return str(json.loads((case / "meta.json").read_text(encoding="utf-8")).get("chain", "-"))


def _params() -> list[object]:
    out: list[object] = []
    for case in all_cases():
        if _chain(case) in CRAWLER_CHAINS:
            continue
        marks = []
        if case.name in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case.name]))
        out.append(pytest.param(case, id=f"{case.name}-{_chain(case)}", marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_corpus_case_reads_exactly(case: Path) -> None:
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    truth = read_truth(case / "truth.json")
    report = govreport.load(case / meta.get("input_file", "input.txt"))
    assert contract_mismatches(govreport.to_dict(report), truth) == []


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_unreadable_cells_are_flagged_not_wrong(case: Path) -> None:
    """Every cell that differs from the truth (absent or not) is named by a diagnostic — never a
    silent wrong number (the crawler chains included)."""
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    assert_differences_flagged(
        case.name, govreport.load(case / meta.get("input_file", "input.txt")), case / "truth.json"
    )


def assert_differences_flagged(name: str, report: govreport.Report, truth_path: Path) -> None:
    truth = read_truth(truth_path)
    doc = govreport.to_dict(report)
    flagged = {(r.table, r.row, r.column) for d in report.diagnostics for r in d.cells}
    flagged_rows = {(d.table, d.row) for d in report.diagnostics if d.row is not None}
    for table in ("table2", "table3", "table4"):
        for row, cols in (truth.get(table) or {}).items():
            if isinstance(cols, list):  # Table 3 rows are lists in the truth files
                cols = dict(zip((c.id for c in TABLE3_COLUMNS), cols, strict=True))
            for col, want in cols.items():
                got = ((doc.get(table) or {}).get(row) or {}).get(col)
                if got is not None and Decimal(str(got)) == Decimal(str(want)):  # as contract_mismatches
                    continue
                named = (table, row, col) in flagged or (table, row) in flagged_rows
                assert named, f"{name} {table}.{row}.{col}: got {got}, truth {want}, no diagnostic"


def test_corpus_is_present() -> None:
    assert len(corpus_cases()) >= 40
    assert len(wide_cases()) >= 150


def _consistent_inputs() -> list[object]:
    """Every visible input whose truth lists no inconsistency: seeds and both corpus sets."""
    out: list[object] = []
    for path in seed_files():
        if not read_truth(SEEDS / "truth" / (path.stem + ".json")).get("inconsistencies"):
            out.append(pytest.param(path, id=path.name[:3]))
    for case in all_cases():
        if not read_truth(case / "truth.json").get("inconsistencies"):
            meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
            out.append(pytest.param(case / meta.get("input_file", "input.txt"), id=case.name))
    return out


@pytest.mark.parametrize("path", _consistent_inputs())
def test_a_report_that_adds_up_is_never_accused_of_not_adding_up(path: Path) -> None:
    """A reader's doubt is a PARSE.* (or FLAT.*, COLUMNS.*) diagnostic on the cells, never a T3.*/T4.*
    error blamed on the report: where the truth's arithmetic holds, no arithmetic rule may fail."""
    report = govreport.load(path)
    accused = [f"{d.code} {d.row or d.column}" for d in report.diagnostics if d.code.startswith(("T3.", "T4."))]
    assert accused == []


def _inconsistent_cases() -> list[object]:
    return [
        pytest.param(case, id=case.name)
        for case in all_cases()
        if read_truth(case / "truth.json").get("violated_checks")
    ]


@pytest.mark.parametrize("case", _inconsistent_cases())
def test_a_report_that_does_not_add_up_keeps_its_errors_where_its_cells_are_read(case: Path) -> None:
    """The other side: a reader that "repaired" a wrong report would be as wrong. Every violated check of
    the truth is reported, unless a cell it needs was left unread (and flagged)."""
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    report = govreport.load(case / meta.get("input_file", "input.txt"))
    reported = {f"{d.code}:{d.row or d.column}" for d in report.diagnostics if d.code.startswith(("T3.", "T4."))}
    unread = any(
        cell.status is not CellStatus.NUMBER and cell.status is not CellStatus.PLACEHOLDER
        for table in (report.table3, report.table4)
        for _, _, cell in table.cells()
    )
    lost = [v for v in read_truth(case / "truth.json")["violated_checks"] if v not in reported]
    assert lost == [] or unread, lost


def test_a_cell_pushed_off_its_row_goes_back_only_where_the_arithmetic_allows(tmp_path: Path) -> None:
    """s007 (pdfplumber): '1.本机关不掌握相关政府 0 0 0 0 0 17' + '法提供 信息 17' on the next line."""
    source = next(c for c in corpus_cases() if c.name == "s007") / "input.txt"
    report = govreport.load(source)
    assert report.table3.values()["unable.not_held"] == {
        "natural_person": 17,
        "commercial": 0,
        "research": 0,
        "social_org": 0,
        "legal_service": 0,
        "other": 0,
        "total": 17,
    }
    reflow = [d for d in report.diagnostics if d.code == "PARSE.REFLOW"]
    assert [(d.row, d.column) for d in reflow] == [("unable.not_held", "natural_person")]
    assert not [d for d in report.diagnostics if d.code in ("PARSE.WIDTH", "PARSE.UNPLACED")]
    # the same text from a report whose own totals disagree: no column fits, so nothing is placed
    text = source.read_text(encoding="utf-8").replace("（七）总计 ", "（七）总计 1", 1)
    assert text != source.read_text(encoding="utf-8")
    broken = govreport.loads(text)
    assert broken.table3["unable.not_held"]["natural_person"].value is None
    assert any(d.code == "PARSE.WIDTH" and d.row == "unable.not_held" for d in broken.diagnostics)


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_column_block_text_comes_with_the_advice_to_re_extract(case: Path) -> None:
    """pdftotext without -layout loses the cell order; the user is told so, and what to do instead."""
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    report = govreport.load(case / meta.get("input_file", "input.txt"))
    hinted = any(d.code == "INPUT.COLUMN_BLOCKS" for d in report.diagnostics)
    unread = any(
        cell.status in (CellStatus.AMBIGUOUS, CellStatus.UNREADABLE, CellStatus.MISSING)
        for table in (report.table2, report.table3, report.table4)
        for _, _, cell in table.cells()
    )
    guessed = any(d.code == "COLUMNS.ORDER" for d in report.diagnostics)
    assert hinted == (_chain(case) in _NO_LAYOUT_CHAINS and (unread or guessed))
