"""The official tables as grids, merged cells and all: a report laid out as a published document draws it.

:func:`table_grids` gives Tables 2–4 of a :class:`~govreport.model.Report` as
:class:`~govreport.sources.document.Grid` s the way the official form prints them — Table 2's caption
rows, Table 3's label columns merged over their groups and the 申请人情况 / 法人或其他组织 super-headers
over their columns, Table 4's three header rows. :func:`report_document` wraps them with the title
and the sections' text into a :class:`~govreport.sources.document.Document`: the input the document
pipeline gets from a web page or a Word file, without a document reader in the loop (tests, the
Hypothesis strategy :func:`govreport.testing.report_documents`, other tools' own extractions).
Labels come from :mod:`govreport.template` only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import attrs

from ..diagnostics import Origin
from ..model import Cell, CellStatus, Report, Table
from ..sources.document import Document, Grid, GridCell, Paragraph
from ..template import SECTION_HEADINGS
from .form import layout
from .numbers import NumberFormat

__all__ = ["grid_html", "report_document", "split_grid", "table2_grid", "table3_grid", "table4_grid", "table_grids"]


def _cell_text(cell: Cell, kind: str, numbers: NumberFormat | None) -> str:
    if cell.status is CellStatus.NUMBER:
        assert cell.value is not None  # Cell's validator guarantees a value for 'number'
        return str(cell.value) if numbers is None else numbers.text(cell.value, kind)
    return cell.raw


class _GridBuilder:
    """Places cells with spans on a grid and expands them (anchors and covered copies)."""

    def __init__(self, table: int, width: int) -> None:
        self.table, self.width = table, width
        self.rows: list[list[GridCell | None]] = []

    def put(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        while len(self.rows) < row + rowspan:
            self.rows.append([None] * self.width)
        origin = Origin(self.table, row + 1, col + 1)
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                if self.rows[r][c] is not None:
                    raise ValueError(f"grid position {r},{c} taken twice (placing {text!r})")
                self.rows[r][c] = GridCell(text, origin, anchor=(r, c) == (row, col))

    def grid(self) -> Grid:
        out = []
        for n, row in enumerate(self.rows):
            out.append(
                tuple(c if c is not None else GridCell("", Origin(self.table, n + 1, k + 1)) for k, c in enumerate(row))
            )
        return Grid(tuple(out), Origin(self.table))


def _grid(table: Table, number: int, numbers: NumberFormat | None) -> Grid:
    """``table`` laid out as the form prints it (:mod:`govreport.export.form`), its cells as text."""
    tdef = table.definition
    form = layout(tdef)
    kinds = {(r.id, c.id): c.kind for r in tdef.rows for c in r.columns}
    g = _GridBuilder(number, form.width)
    for p in form.places:
        if p.cell is None:
            text = p.text
        else:
            row_id, col_id = p.cell
            text = _cell_text(table[row_id][col_id], kinds[(row_id, col_id)], numbers)
        g.put(p.row, p.column, text, rowspan=p.rowspan, colspan=p.colspan)
    return g.grid()


def table2_grid(table: Table, number: int, *, numbers: NumberFormat | None = None) -> Grid:
    """A caption row per 第二十条 block, its 信息内容 header row, its rows."""
    return _grid(table, number, numbers)


def table3_grid(table: Table, number: int, *, numbers: NumberFormat | None = None) -> Grid:
    """Three label columns (group, sub-group, row), 申请人情况 over seven columns, 法人或其他组织 over five."""
    return _grid(table, number, numbers)


def table4_grid(table: Table, number: int, *, numbers: NumberFormat | None = None) -> Grid:
    """行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉) over five columns each, one data row."""
    return _grid(table, number, numbers)


def table_grids(report: Report, *, numbers: NumberFormat | None = None) -> tuple[Grid, Grid, Grid]:
    """Tables 2, 3 and 4 of ``report`` as the official form draws them (tables numbered 1, 2, 3);
    ``numbers`` says how their numbers are written (plainly by default)."""
    return (
        table2_grid(report.table2, 1, numbers=numbers),
        table3_grid(report.table3, 2, numbers=numbers),
        table4_grid(report.table4, 3, numbers=numbers),
    )


def split_grid(grid: Grid, at: int, *, header_rows: int = 0) -> tuple[Grid, Grid]:
    """``grid`` as two tables cut before row ``at`` (0-based), the second repeating the first
    ``header_rows`` rows, as a table broken across pages or pasted in two pieces comes out.

    A cell merged across the cut becomes an anchor again at the top of the second piece.
    """
    first = grid.rows[:at]
    second = grid.rows[:header_rows] + grid.rows[at:]
    if second and header_rows < len(second):
        top = header_rows
        second = (
            *second[:top],
            tuple(attrs.evolve(c, anchor=True) for c in second[top]),
            *second[top + 1 :],
        )
    return Grid(tuple(first), grid.origin), Grid(tuple(second), grid.origin)


def report_document(
    report: Report,
    *,
    fmt: str = "html",
    reader: str = "govreport",
    paragraphs: Sequence[str] = (),
    split_table3: int | None = None,
    repeat_header: bool = False,
    extra_table: bool = False,
    wrapped_labels: bool = False,
    numbers: NumberFormat | None = None,
) -> Document:
    """``report`` as a published document: title, ``paragraphs``, the six sections' text, the three tables.

    Quirks of documents in the wild, each off by default: ``split_table3`` cuts Table 3 into two tables
    before that data row (``repeat_header``: the second repeats the three header rows); ``extra_table``
    puts an unrelated table (a contact list) in section 一; ``wrapped_labels`` breaks long labels over
    two lines inside their cells; ``numbers`` writes the numbers with thousands separators, amounts
    with fixed decimal places or full-width digits (:class:`~govreport.export.numbers.NumberFormat`).
    """
    t2, t3, t4 = table_grids(report, numbers=numbers)
    if wrapped_labels:
        t2, t3, t4 = (_wrap(g) for g in (t2, t3, t4))
    blocks: list[Paragraph | Grid] = [
        Paragraph(report.title or f"{report.organ}{report.year}年政府信息公开工作年度报告")
    ]
    blocks += [Paragraph(p) for p in paragraphs]
    texts = {s.key: s.text for s in report.sections}
    pieces: dict[str, tuple[Grid, ...]] = {"proactive": (t2,), "requests": (t3,), "review_litigation": (t4,)}
    if split_table3 is not None:
        pieces["requests"] = split_grid(t3, 3 + split_table3, header_rows=3 if repeat_header else 0)
    for key, (num, heading) in SECTION_HEADINGS.items():
        blocks.append(Paragraph(f"{num}、{heading}"))
        blocks += pieces.get(key, ())
        if key not in pieces and texts.get(key):
            blocks += [
                Paragraph(line) for line in texts[key].split("\n") if line.strip() and not line.startswith(num + "、")
            ]
        if key == "overview" and extra_table:
            blocks.append(_contact_table())
    return Document(fmt, reader, tuple(blocks))


def _wrap(grid: Grid) -> Grid:
    """Long label cells broken over two lines inside the cell (a narrow column in Word)."""

    def wrapped(c: GridCell) -> GridCell:
        t = c.text
        if len(t) > 8 and not any(ch.isdigit() for ch in t[-3:]):
            return attrs.evolve(c, text=t[: len(t) // 2] + "\n" + t[len(t) // 2 :])
        return c

    return Grid(tuple(tuple(wrapped(c) for c in row) for row in grid.rows), grid.origin)


def _contact_table() -> Grid:
    rows = (
        ("联系部门", "联系电话", "地址"),
        ("办公室", "0371-12345678", "人民路1号"),
        ("信息公开科", "0371-87654321", "人民路1号"),
    )
    return Grid(
        tuple(tuple(GridCell(t, Origin(0, r + 1, c + 1)) for c, t in enumerate(row)) for r, row in enumerate(rows)),
        Origin(0),
    )


def grid_html(grid: Grid, *, indent: bool = True) -> str:
    """``grid`` as an HTML ``<table>`` with its merged cells as ``rowspan``/``colspan``, one tag a line
    the way pandoc writes a table it cannot draw with pipes (merged cells) into markdown."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell.anchor:
                rows = 1
                while r + rows < len(grid.rows) and _covers(grid.rows[r + rows][c], cell):
                    rows += 1
                cols = 1
                while c + cols < len(row) and _covers(row[c + cols], cell):
                    cols += 1
                spans[(r, c)] = (rows, cols)
    pad = "  " if indent else ""
    out = ["<table>", "<tbody>"]
    for r, row in enumerate(grid.rows):
        out.append("<tr>")
        for c, cell in enumerate(row):
            if (r, c) not in spans:
                continue
            rows, cols = spans[(r, c)]
            span = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
            text = html.escape(cell.text).replace("\n", "<br />") or "&nbsp;"
            out.append(f"{pad}<td{span}>{text}</td>")
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _covers(cell: GridCell, anchor: GridCell) -> bool:
    return not cell.anchor and cell.origin == anchor.origin
