"""A published document's grids go through the one shared assembler, cell by cell, with their origins.

The documents here are built from reports by :func:`govreport.export.grids.report_document` (the
official form's merged cells), so the pipeline is tested without a document reader in the loop; the
readers have their own tests.
"""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given

import govreport
from govreport.diagnostics import Origin
from govreport.errors import InputError, NoParserMatched
from govreport.export.grids import report_document, table_grids
from govreport.model import Cell, CellStatus, Table
from govreport.sources import read_document, sniff
from govreport.sources.document import Document, Grid, GridCell, Paragraph
from govreport.testing import report_documents, reports
from govreport.text.document import document_text

from .conftest import seed_files
from .documents import cell_mismatches

TABLES = ("table2", "table3", "table4")


def _values(report: govreport.Report) -> dict[str, object]:
    return {t: getattr(report, t).values() for t in TABLES}


@pytest.mark.parametrize("seed", seed_files(), ids=lambda p: p.stem[:3])
def test_a_seed_as_a_document_reads_back_cell_by_cell(seed) -> None:
    text_report = govreport.load(seed)
    report = govreport.loads(report_document(text_report, fmt="docx", reader="test"), path="x.docx")
    assert _values(report) == _values(text_report)
    assert (report.organ, report.year, report.template) == (text_report.organ, text_report.year, text_report.template)
    assert (report.source.format, report.source.reader, report.source.parser) == ("docx", "test", "grid")
    # the same findings: a document changes where a cell is, not what it says
    assert [(d.code, d.table, d.row, d.column) for d in report.diagnostics] == [
        (d.code, d.table, d.row, d.column) for d in text_report.diagnostics
    ]


def test_every_cell_knows_its_place_in_the_document() -> None:
    text_report = govreport.load(seed_files()[1])  # seed 001: errors to point at
    document = report_document(text_report)
    report = govreport.loads(document)
    grids = table_grids(text_report)
    for number, (grid, table_id) in enumerate(zip(grids, TABLES, strict=True), 1):
        for _, _, cell in getattr(report, table_id).cells():
            o = cell.origin
            assert o is not None and o.table == number
            printed = grid.rows[o.row - 1][o.column - 1]
            assert printed.anchor and printed.text.strip() == cell.raw
    errors = report.errors
    assert errors and all(d.origin is not None and d.origin.table == 2 for d in errors)
    assert all(c.origin is not None for d in errors for c in d.cells)
    assert str(errors[0].origin).startswith("table 2, row ")


def test_origins_survive_the_json_contract() -> None:
    report = govreport.loads(report_document(govreport.load(seed_files()[1])))
    data = json.loads(govreport.to_json(report))
    assert data["format"] == "html" and data["reader"] == "govreport"
    cell = next(c for c in data["cells"] if c["row"] == "granted" and c["column"] == "total")
    assert set(cell["origin"]) == {"table", "row", "column", "page", "box", "line"}
    assert govreport.from_json(json.dumps(data)) == report
    # text input keeps its export as it was: no origin keys
    plain = govreport.to_dict(govreport.load(seed_files()[0]))
    assert plain["format"] == "text" and all("origin" not in c for c in plain["cells"])


@given(report_documents())
def test_generated_documents_read_back_exactly(pair: tuple[Document, govreport.Report]) -> None:
    """Any report, any of the documents' quirks (Table 3 split over two tables with or without its
    header repeated, an unrelated table before, labels wrapped in their cells): every cell back."""
    document, expected = pair
    report = govreport.loads(document)
    assert report.source.parser == "grid"
    assert cell_mismatches(report, expected) == []  # a blank or a placeholder stays what it is: never 0


@given(reports(placeholders=True))
def test_placeholders_and_blanks_in_grids_are_never_numbers(report: govreport.Report) -> None:
    got = govreport.loads(report_document(report))
    for t in TABLES:
        for r, c, cell in getattr(report, t).cells():
            if cell.status is not CellStatus.NUMBER:
                assert getattr(got, t)[r][c].value is None


def test_a_document_without_tables_says_so() -> None:
    document = Document(
        "html",
        "test",
        (Paragraph("某局2021年政府信息公开工作年度报告"), Paragraph("一、总体情况"), Paragraph("正文。")),
    )
    with pytest.raises(NoParserMatched, match="holds no table"):
        govreport.loads(document, path="page.html")


def test_a_row_blanked_as_page_furniture_is_not_read() -> None:
    """A grid row that is all page furniture (a lone "2/3" cell) is noise, like the same line of text."""
    report = govreport.load(seed_files()[0])
    doc = report_document(report)
    at = next(n for n, b in enumerate(doc.blocks) if isinstance(b, Grid))  # Table 2
    furniture = Grid(((GridCell("2/3", Origin(1, 99, 1)),),), Origin(1))
    doc2 = Document(doc.format, doc.reader, (*doc.blocks[: at + 1], furniture, *doc.blocks[at + 1 :]))
    text = document_text(doc2)
    assert any(reason.startswith("page number") for _, reason in text.noise)
    assert _values(govreport.loads(doc2)) == _values(govreport.loads(doc))


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "doc"),
        (b"<!DOCTYPE html><html><body><table></table></body></html>", "html"),
        (b"\xef\xbb\xbf<html><head><meta charset=gbk></head>", "html"),
        ("<table><tr><td>1</td></tr></table>".encode("utf-16"), "html"),
        ("# 某局2021年政府信息公开工作年度报告\n<table>".encode(), "text"),  # markdown with a raw table is text
        ("某局2021年政府信息公开工作年度报告".encode("gb18030"), "text"),
        (b"PK\x03\x04" + b"\0" * 40, "zip"),
    ],
)
def test_sniff_reads_the_bytes_not_the_name(data: bytes, fmt: str) -> None:
    assert sniff(data) == fmt


def test_old_word_and_other_archives_are_named() -> None:
    with pytest.raises(InputError, match=r"Word 97-2003 \(\.doc\).*soffice --headless --convert-to docx"):
        read_document(b"", "doc", path="a.doc")
    with pytest.raises(InputError, match="zip archive but not a Word"):
        read_document(b"", "zip", path="a.zip")


def test_a_cell_the_document_draws_empty_is_a_blank_cell_even_at_a_row_edge() -> None:
    """An empty first or last cell of a row is a cell of its own (a grid says so), not layout to trim."""
    text_report = govreport.load(seed_files()[0])
    blank = Cell(None, "", CellStatus.BLANK)

    def emptied(table: Table, cells: list[tuple[str, str]]) -> Table:
        rows = {r: dict(cols) for r, cols in table.rows.items()}
        for r, c in cells:
            rows[r][c] = blank
        return Table(table.id, table.template, rows)

    report = attrs.evolve(
        text_report,
        table2=emptied(text_report.table2, [("regulations", "issued"), ("administrative_fees", "amount")]),
        table3=emptied(text_report.table3, [("granted", "natural_person"), ("carried_forward", "total")]),
        table4=emptied(text_report.table4, [("review", "upheld"), ("litigation_after_review", "total")]),
    )
    got = govreport.loads(report_document(report))
    for t in TABLES:
        for r, c, cell in getattr(report, t).cells():
            mine = getattr(got, t)[r][c]
            assert (mine.value, mine.status) == (cell.value, cell.status), (t, r, c, mine)
    assert not [d for d in got.diagnostics if d.code.startswith("PARSE.")]


def _inconsistent_originals() -> list[tuple[str, str]]:
    from .conftest import SHARED

    root = SHARED / "originals"
    out = []
    for case in sorted(root.iterdir()) if root.is_dir() else []:
        truth = case / "truth.json"
        if truth.exists() and json.loads(truth.read_text(encoding="utf-8")).get("inconsistencies"):
            names = [f"source.{fmt}" for fmt in ("html", "docx", "pdf")]
            out += [(case.name, name) for name in names if (case / name).exists()]
    return out


@pytest.mark.parametrize(("case", "name"), _inconsistent_originals())
def test_a_document_that_does_not_add_up_is_read_by_its_grid_alone(case: str, name: str) -> None:
    """A document's grid read whole ends the search even when a check fails (the report's own error):
    the exhaustive ranking of ``explain`` must agree that no other parser reads it better."""
    from .conftest import SHARED

    path = SHARED / "originals" / case / name
    report = govreport.load(path)
    assert report.source.parser == "grid" and report.errors  # the report's inconsistency is reported
    ranked = govreport.explain(path).candidates
    assert ranked[0].parser == "grid"
    assert _values(ranked[0].report) == _values(report)  # type: ignore[arg-type]
