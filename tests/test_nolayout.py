"""pdftotext without ``-layout`` on all fourteen LibreOffice PDFs of the corpus (``tests/data/nolayout``).

The corpus holds this layout for two reports only; the same mode over the other twelve PDFs shows
how far the column-block reader carries. Whatever it cannot place is flagged, and no cell it does
place is wrong — not even with a diagnostic. Cases it cannot read exactly yet are strict xfails.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport.template import TABLE3_COLUMNS

from .conftest import CORPUS, ROOT
from .test_corpus import assert_differences_flagged
from .truthdata import contract_mismatches, read_truth

DATA = ROOT / "tests" / "data" / "nolayout"
CASES = sorted(DATA.glob("s*.txt"))

_TABLE3_ORDER = (
    "Table 3 printed in blocks the column-block reader does not model: rectangles of several columns "
    "read row by row in one report and column by column in another, bands interleaved across the page "
    "(the cells are COLUMNS.UNREADABLE)"
)
KNOWN_FAILURES: dict[str, str] = {
    **dict.fromkeys(("s002", "s004", "s007", "s011", "s020", "s021", "s031", "s041", "s043", "s047"), _TABLE3_ORDER),
}


def _truth(case: Path) -> Path:
    return CORPUS / case.stem / "truth.json"


def test_the_data_is_here() -> None:
    assert len(CASES) == 14


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.stem, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[c.stem])])
        if c.stem in KNOWN_FAILURES
        else pytest.param(c, id=c.stem)
        for c in CASES
    ],
)
def test_reads_exactly(case: Path) -> None:
    report = govreport.load(case)
    assert report.source.parser == "columns"
    assert contract_mismatches(govreport.to_dict(report), read_truth(_truth(case))) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_no_cell_is_wrong_and_every_gap_is_flagged(case: Path) -> None:
    report = govreport.load(case)
    assert_differences_flagged(case.stem, report, _truth(case))
    truth = read_truth(_truth(case))
    for table_id in ("table2", "table3", "table4"):
        table = getattr(report, table_id)
        for row, cols in truth[table_id].items():
            if isinstance(cols, list):
                cols = dict(zip((c.id for c in TABLE3_COLUMNS), cols, strict=True))
            for col, want in cols.items():
                got = table[row][col].value
                assert got is None or Decimal(str(got)) == Decimal(str(want)), f"{table_id}.{row}.{col}: {got} ≠ {want}"


def test_table2_and_table4_are_read_wherever_the_report_adds_up() -> None:
    """Table 2 (settled by the narrative or the print order) and Table 4 come out whole, except s047's
    Table 4, whose litigation row does not add up."""
    unread = set()
    for case in CASES:
        report = govreport.load(case)
        for table in (report.table2, report.table4):
            unread |= {(case.stem, table.id, r, c) for r, c, cell in table.cells() if cell.value is None}
    assert {(s, t) for s, t, _, _ in unread} == {("s047", "table4")}
