"""Markdown whose tables are raw HTML (pandoc's output for tables with merged cells): #19 class 2.

The blocks go through the project's one HTML table reader (standard library only) and their cells to
the assembler as the HTML separates them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport.export.render import render
from govreport.model import CellStatus
from govreport.parsers._html_blocks import html_table_blocks
from govreport.template import SECTION_HEADINGS
from govreport.testing import reports

TABLES = ("table2", "table3", "table4")


def pandoc_markdown(report: govreport.Report, *, pipe_table2: bool = False) -> str:
    """``report`` as pandoc writes a Word file to markdown, its tables as raw HTML blocks; with
    ``pipe_table2``, Table 2 as a pipe table instead (a table pandoc could draw with pipes)."""
    text = render(report, "markdown", html_tables=True)
    if not pipe_table2:
        return text
    piped = render(report, "markdown").split("\n")
    lines = text.split("\n")
    t2, t3 = SECTION_HEADINGS["proactive"][1], SECTION_HEADINGS["requests"][1]

    def between(rows: list[str]) -> tuple[int, int]:
        return next(n for n, x in enumerate(rows) if t2 in x) + 1, next(n for n, x in enumerate(rows) if t3 in x)

    (a, b), (c, d) = between(lines), between(piped)
    return "\n".join([*lines[:a], *piped[c:d], *lines[b:]])


def _same(report: govreport.Report, expected: govreport.Report) -> None:
    for t in TABLES:
        for r, c, cell in getattr(expected, t).cells():
            got = getattr(report, t)[r][c]
            if cell.status is CellStatus.NUMBER:
                assert got.value == cell.value, (t, r, c, got)
            else:
                assert got.value is None, (t, r, c, got)


@settings(max_examples=60, deadline=None)
@given(reports(placeholders=True), st.booleans())
def test_raw_html_tables_with_placeholders_and_a_pipe_table_read_back(
    report: govreport.Report, pipe_table2: bool
) -> None:
    text = pandoc_markdown(report, pipe_table2=pipe_table2)
    got = govreport.loads(text)
    assert got.source.parser == "markdown"
    _same(got, report)


def test_blocks_are_found_with_nesting_and_left_open() -> None:
    lines = ["a", "<table>", "<tr><td><table><tr><td>1</td></tr></table></td></tr>", "</table>", "<TABLE>", "x"]
    assert html_table_blocks(lines, 0, len(lines)) == [(1, 3)]  # the last block never closes: not one
