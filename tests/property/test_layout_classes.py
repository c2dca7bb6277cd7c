"""One property per class of text the readers met in the wild and misread (issue #19), each over
hundreds of generated variants rather than the one file that showed it.

The variants come from :func:`govreport.render`'s quirks (``one_line``, ``wrap_cells``,
``row_order`` …) through :func:`govreport.testing.report_texts`; the reports from
:func:`._quick.quick_reports`, so that 500 examples stay cheap.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import govreport
from govreport import Report, TemplateVersion
from govreport.export.render import LAYOUTS
from govreport.model import SECTION_KEYS
from govreport.testing import report_texts

from ._compare import mismatches, share
from ._quick import at_least, quick_report, quick_reports, with_table4_total

# a failing example's report is a large repr: let Hypothesis print it rather than fail on its warning
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")

# the layouts whose page a crawler can keep as one line of text: a table's cells are parted by the
# white space of the markup (box rules and markdown pipes are not what a page's text content holds)
_PAGE_LAYOUTS = ("space", "tab", "word_cells")


def unflagged(expected: Report, got: Report) -> list[str]:
    """Cells read with another value than ``expected``'s, or left unread, that no diagnostic names."""
    named = {(c.table, c.row, c.column) for d in got.diagnostics for c in d.cells}
    named |= {(d.table, d.row, d.column) for d in got.diagnostics}
    named_rows = {(d.table, d.row) for d in got.diagnostics if d.column is None}
    out = []
    for table in ("table2", "table3", "table4"):
        for row, col, cell in getattr(expected, table).cells():
            back = getattr(got, table)[row][col]
            if back.value != cell.value and (table, row, col) not in named and (table, row) not in named_rows:
                out.append(f"{table}.{row}.{col}: {cell.value!r} came back {back.value!r} ({back.status.value})")
    return out


@at_least(500)
@given(
    st.sampled_from(_PAGE_LAYOUTS).flatmap(
        lambda layout: report_texts(layout=layout, quirks=False, reports=quick_reports(), one_line=True)
    )
)
def test_a_whole_page_on_one_line_is_read(pair: tuple[str, Report]) -> None:
    """Class 1: a crawler's text content of the whole page on one line, cells parted by spaces.
    No parser's detect may leave it unread (the fallback tries them all), and the flattened-text
    reader does not depend on line breaks: the six sections are found inline too."""
    text, report = pair
    assert "\n" not in text.rstrip("\n")
    got = govreport.loads(text)
    assert mismatches(report, got) == []
    assert [s.key for s in got.sections] == list(SECTION_KEYS)


@at_least(500)
@given(quick_reports(), st.booleans(), st.booleans())
def test_box_cells_wrapped_inside_their_ruled_row_are_one_cell(report: Report, thousands: bool, labels: bool) -> None:
    """Class 4: w3m wraps a cell onto more lines inside one ruled row (a long label, or a value
    under full-width padding); the ruled row is the unit, so each cell is read whole."""
    wrapped = govreport.render(report, "box", wrap_cells=True, thousands=thousands, wrap_labels=labels)
    got = govreport.loads(wrapped)
    assert got.source.parser == "box"
    assert mismatches(report, got) == []


@at_least(500)
@given(report_texts(quirks=True, reports=quick_reports(), shuffled_rows=True))
def test_rows_printed_out_of_order_are_placed_by_their_labels(pair: tuple[str, Report]) -> None:
    """Class 8: a Table 3 row printed where another belongs is read into the row its label names."""
    text, report = pair
    assert mismatches(report, govreport.loads(text)) == []


@share(3)
@given(report_texts(layout="flat", reports=quick_reports(), shuffled_rows=True, quirks=False))
def test_flattened_rows_out_of_order_are_read_right_or_flagged(pair: tuple[str, Report]) -> None:
    """Class 8 in crawler text (fewer examples: splitting glued digit runs is the costly part)."""
    text, report = pair
    got = govreport.loads(text, parser="flat")
    assert unflagged(report, got) == []
    # a row out of order is found by its label: Table 3 is read as far as its arithmetic decides
    assert not [d for d in got.diagnostics if d.code == "PARSE.MISSING_ROW" and d.table == "table3"]


def _unaligned(text: str) -> str:
    """``text`` with Table 4's two lines of cells as pdfplumber prints them: single spaces, no columns."""
    lines = text.split("\n")
    last = max(k for k, line in enumerate(lines) if line.strip() and re.fullmatch(r"[\d\s,.+-]+", line))
    lines[last - 1], lines[last] = " ".join(lines[last - 1].split()), lines[last].strip()
    return "\n".join(lines)


@at_least(500)
@given(
    quick_reports(),
    st.sampled_from([0, 0, 1, 7]),
    st.sampled_from(["review", "litigation_direct", "litigation_after_review"]),
)
def test_a_table4_cell_printed_below_its_line_is_read_in_its_column(report: Report, delta: int, row: str) -> None:
    """Class 6: pdftotext -layout pushed a cell of Table 4's row onto the next line. Read in order, it
    slid into the next block and T4.SUM blamed the report; the text's columns place it. A report
    whose own numbers do not add up (``delta``) is read as printed and keeps its T4.SUM error."""
    if delta:
        report = with_table4_total(report, row, delta)
    text = govreport.render(report, "space", stray_cells=True)
    got = govreport.loads(text)
    assert mismatches(report, got) == []
    failing = {d.row for d in got.diagnostics if d.code == "T4.SUM"}
    assert failing == ({row} if delta else set())


@at_least(500)
@given(quick_reports())
def test_a_table4_cell_printed_below_unaligned_text_is_right_or_flagged(report: Report) -> None:
    """Class 6 without columns (pdfplumber's single spaces): the stray cell is placed where T4.SUM
    alone allows it, or the cells it could displace are left unread — never blamed on the report.
    (When the text's own order adds up, nothing says it is wrong, and it is read so.)"""
    got = govreport.loads(_unaligned(govreport.render(report, "space", stray_cells=True)))
    assert not [d for d in got.diagnostics if d.code == "T4.SUM"]
    wrong = unflagged(report, got)
    if wrong:
        as_printed = [got.table4[r][c].value for r, c, _ in got.table4.cells()]
        blocks = [as_printed[b : b + 5] for b in (0, 5, 10)]
        assert all(None not in b and sum(b[:4]) == b[4] for b in blocks), wrong  # type: ignore[operator]


@at_least(500)
@given(quick_reports(), st.sampled_from(LAYOUTS), st.integers(2, 3), st.booleans())
@example(quick_report(20, TemplateVersion.V2019), "space", 10, False)  # as the fuzz run found it: ten copies
@example(quick_report(21, TemplateVersion.V2021), "word_cells", 10, True)
def test_tables_printed_over_again_are_read_once_and_said_so(
    report: Report, layout: str, copies: int, one_line: bool
) -> None:
    """Issue #20, 9: a text holding its tables several times over. The first copy is read — Table 4
    never takes the cells of the copies after it — and a diagnostic says how many copies there are."""
    layout = "space" if one_line else layout
    text = govreport.render(report, layout, repeat_tables=copies, one_line=one_line)
    got = govreport.loads(text)
    assert mismatches(report, got) == []
    said = [d for d in got.diagnostics if d.code == "INPUT.REPEATED"]
    assert len(said) == 1
    assert said[0].detail == str(copies)
    assert "the others are the same" in said[0].message


@at_least(500)
@given(quick_reports(), st.booleans())
def test_merged_cells_written_once_per_column_they_span_are_read_once(report: Report, padding: bool) -> None:
    """Class 5: docx2python repeats a merged cell in every column it spans — group headings, label
    columns and the last cell of a short Table 2 row (2019: 本年增/减 and 采购总金额 span two columns),
    which left the row with too many cells (PARSE.WIDTH)."""
    text = govreport.render(report, "word_cells", merged_cells=True, padding=padding)
    got = govreport.loads(text)
    assert mismatches(report, got) == []
    assert not [d for d in got.diagnostics if d.code.startswith("PARSE.")]


@at_least(500)
@given(quick_reports(), st.booleans(), st.booleans())
def test_markdown_tables_as_raw_html_are_read_cell_by_cell(report: Report, blank_lines: bool, radicals: bool) -> None:
    """Class 2: pandoc writes a table with merged cells into markdown as a raw HTML ``<table>``
    (rowspan/colspan, one tag a line); the block goes through the one HTML table reader and its
    cells to the assembler as the HTML separates them."""
    text = govreport.render(report, "markdown", html_tables=True, blank_lines=blank_lines, radicals=radicals)
    assert "<table>" in text and "rowspan" in text
    got = govreport.loads(text)
    assert got.source.parser == "markdown"
    assert mismatches(report, got) == []
