"""Markdown whose tables are raw HTML (pandoc's output for tables with merged cells): #19 class 2.

The blocks go through the project's one HTML table reader (standard library only) and their cells to
the assembler as the HTML separates them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport.export.grids import grid_html, table_grids
from govreport.export.render import SECTION_HEADINGS, render
from govreport.model import CellStatus
from govreport.parsers._html_blocks import html_table_blocks
from govreport.testing import reports

TABLES = ("table2", "table3", "table4")


def pandoc_markdown(report: govreport.Report, *, pipe_table2: bool = False) -> str:
    """``report`` as pandoc writes a Word file to markdown: ``##`` headings, each table with merged
    cells as a raw HTML block (Table 2 optionally as the pipe table of the markdown layout)."""
    grids = dict(zip(("proactive", "requests", "review_litigation"), table_grids(report), strict=True))
    out = [f"# {report.title or report.organ}", ""]
    texts = {s.key: s.text for s in report.sections}
    piped = render(report, "markdown").split("\n") if pipe_table2 else []
    for key, (num, heading) in SECTION_HEADINGS.items():
        out += [f"## {num}、{heading}", ""]
        if key == "proactive" and pipe_table2:
            start = next(n for n, line in enumerate(piped) if heading in line) + 1
            stop = next(n for n, line in enumerate(piped) if SECTION_HEADINGS["requests"][1] in line)
            out += piped[start:stop]
        elif key in grids:
            out += [grid_html(grids[key]), ""]
        else:
            out += [line for line in texts.get(key, "").split("\n") if not line.startswith(num + "、")] + [""]
    return "\n".join(out)


def _same(report: govreport.Report, expected: govreport.Report) -> None:
    for t in TABLES:
        for r, c, cell in getattr(expected, t).cells():
            got = getattr(report, t)[r][c]
            if cell.status is CellStatus.NUMBER:
                assert got.value == cell.value, (t, r, c, got)
            else:
                assert got.value is None, (t, r, c, got)


@settings(max_examples=100)
@given(reports(placeholders=True), st.booleans())
def test_raw_html_tables_in_markdown_read_back(report: govreport.Report, pipe_table2: bool) -> None:
    text = pandoc_markdown(report, pipe_table2=pipe_table2)
    got = govreport.loads(text)
    assert got.source.parser == "markdown"
    _same(got, report)


def test_blocks_are_found_with_nesting_and_left_open() -> None:
    lines = ["a", "<table>", "<tr><td><table><tr><td>1</td></tr></table></td></tr>", "</table>", "<TABLE>", "x"]
    assert html_table_blocks(lines, 0, len(lines)) == [(1, 3)]  # the last block never closes: not one
