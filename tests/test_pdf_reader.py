"""The PDF reader: born-digital PDFs from several producers read into Documents whose grids give
the truth's numbers end to end, the Document contract, and hostile files refused with InputError.

End to end: a Document rendered as tab-separated text (each Paragraph a line; each grid row the
anchor cells' texts joined by TAB, a covered position an empty field) and read with the ``tab``
parser must give every truth cell. The pipeline will read Documents itself; until then this is
the narrowest honest check that the grids carry the right numbers in the right places.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

pdfium = pytest.importorskip("pypdfium2")

import govreport  # noqa: E402
from govreport.errors import InputError  # noqa: E402
from govreport.export.convert import to_dict  # noqa: E402
from govreport.sources.document import Document, Grid, Paragraph  # noqa: E402
from govreport.sources.pdf import MAX_PAGES, read_pdf  # noqa: E402

from .conftest import SHARED  # noqa: E402
from .documents import cell_mismatches as report_mismatches  # noqa: E402
from .truthdata import contract_mismatches  # noqa: E402

DATA = Path(__file__).parent / "data" / "pdf"
ORIGINALS = SHARED / "originals"


def render_tab(doc: Document) -> str:
    lines = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines += ["\t".join(c.text if c.anchor else "" for c in row) for row in block.rows]
    return "\n".join(lines) + "\n"


def cell_mismatches(pdf: Path, truth: Path) -> list[str]:
    doc = read_pdf(pdf.read_bytes(), path=str(pdf))
    report = govreport.loads(render_tab(doc), parser="tab")
    bad = contract_mismatches(to_dict(report), json.loads(truth.read_text(encoding="utf-8")))
    # the title, organ and year are the pipeline's business, not the reader's
    return [m for m in bad if m.startswith("table")]


def original_cases() -> list[Path]:
    return sorted(p for p in ORIGINALS.iterdir() if (p / "source.pdf").exists()) if ORIGINALS.is_dir() else []


def fixture_pdfs() -> list[Path]:
    return sorted(p for p in DATA.glob("*-s[0-9][0-9][0-9].pdf"))


def _truth_of(pdf: Path) -> Path:
    return DATA / (pdf.stem.rsplit("-", 1)[1] + ".truth.json")


# --- end to end ---------------------------------------------------------------------------------


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="shared/originals not present")
@pytest.mark.parametrize("case", original_cases(), ids=lambda p: p.name)
def test_originals_read_exactly(case: Path) -> None:
    """The 48 shared reports, Word files printed to PDF by LibreOffice."""
    assert cell_mismatches(case / "source.pdf", case / "truth.json") == []


@pytest.mark.parametrize("pdf", fixture_pdfs(), ids=lambda p: p.stem)
def test_producers_read_exactly(pdf: Path) -> None:
    """LibreOffice (from DOCX), Chromium's print (ruled tables and a frame-only table) and reportlab
    (tables without ruling lines broken across pages, and the same with a grid)."""
    assert cell_mismatches(pdf, _truth_of(pdf)) == []


def test_at_least_three_producers() -> None:
    producers = {json_producer(p) for p in fixture_pdfs()}
    assert {"LibreOffice", "Skia/PDF", "ReportLab"} <= producers


def json_producer(pdf: Path) -> str:
    doc = pdfium.PdfDocument(pdf.read_bytes())
    try:
        value = doc.get_metadata_value("Producer")
    finally:
        doc.close()
    for name in ("LibreOffice", "Skia/PDF", "ReportLab"):
        if name.lower() in value.lower():
            return name
    return value


def _docx_tables(path: Path) -> list[list[list[str]]]:
    docx = pytest.importorskip("docx")
    d = docx.Document(str(path))
    return [[["".join(c.text.split()) for c in r.cells] for r in t.rows] for t in d.tables]


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="shared/originals not present")
@pytest.mark.parametrize("case", original_cases()[::6], ids=lambda p: p.name)
def test_grids_equal_the_docx_tables(case: Path) -> None:
    """python-docx repeats a merged cell over its grid positions, as the Grid does: the same grid,
    also where a table, a row or a merged cell is broken across pages."""
    want = _docx_tables(case / "source.docx")
    doc = read_pdf((case / "source.pdf").read_bytes())
    got = [[["".join(c.text.split()) for c in row] for row in g.rows] for g in doc.grids()]
    assert got == want


# --- the Document contract ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def lo_doc() -> Document:
    return read_pdf((DATA / "lo-docx-s044.pdf").read_bytes(), path="lo-docx-s044.pdf")


def test_document_header(lo_doc: Document) -> None:
    assert (lo_doc.format, lo_doc.reader) == ("pdf", "pypdfium2")
    assert len(list(lo_doc.grids())) == 3


def test_every_row_has_one_cell_per_column(lo_doc: Document) -> None:
    for grid in lo_doc.grids():
        assert {len(row) for row in grid.rows} == {grid.width}


def test_origins_name_table_row_column_page_and_box(lo_doc: Document) -> None:
    for n, grid in enumerate(lo_doc.grids(), 1):
        for r, row in enumerate(grid.rows, 1):
            for c, cell in enumerate(row, 1):
                o = cell.origin
                assert o.table == n and o.page is not None and o.box is not None
                x0, top, x1, bottom = o.box
                assert 0 <= x0 < x1 <= 600 and 0 <= top < bottom <= 842
                if cell.anchor:
                    assert (o.row, o.column) == (r, c)
                else:
                    assert (o.row, o.column) <= (r, c) and (o.row, o.column) != (r, c)


def test_merged_cells_repeat_text_and_origin(lo_doc: Document) -> None:
    grid = list(lo_doc.grids())[1]  # Table 3: merged header and row-label cells
    by_origin: dict[tuple[int, int], set[str]] = {}
    for row in grid.rows:
        for cell in row:
            assert cell.origin.row is not None and cell.origin.column is not None
            by_origin.setdefault((cell.origin.row, cell.origin.column), set()).add(cell.text)
    assert all(len(texts) == 1 for texts in by_origin.values())
    first = grid.rows[0]
    assert first[0].anchor and not first[1].anchor and first[1].text == first[0].text
    labels = [row[0].text for row in grid.rows]
    assert labels.count("三、本年度办理结果") > 20  # one merged cell over the rows of 三


def test_a_row_broken_by_the_page_is_one_row(lo_doc: Document) -> None:
    """s044 breaks the row 1.本机关不掌握相关政府信息 between pages 2 and 3."""
    grid = list(lo_doc.grids())[1]
    texts = [[c.text for c in row] for row in grid.rows]
    row = next(t for t in texts if t[2].startswith("1.本机关"))
    assert row[1:4] == ["（四）无法提供", "1.本机关不掌握相关政府信息", "1"]
    assert len(grid.rows) == 28
    pages = {c.origin.page for row in grid.rows for c in row}
    assert pages == {2, 3}


def test_a_number_wrapped_in_a_row_broken_by_the_page_is_one_number() -> None:
    """A generated report (``scripts/pdf_roundtrip.py --seed 3``, report 4) printed by LibreOffice
    breaks the row 二、上年结转政府信息公开申请数量 between pages: the label and the 总计 ``2087`` (in
    full-width digits, wrapped in its narrow cell) each go on at the top of the next page —
    ``二、上年结转政府`` | ``信息公开申请数量`` and 208 | 7. The numbered label going on is the
    evidence that the row was cut: the number is joined again, not read as 208 beside a stray 7."""
    report = govreport.load(DATA / "lo-generated-cut-number.pdf")
    expected = govreport.from_json((DATA / "lo-generated-cut-number.json").read_text(encoding="utf-8"))
    assert report.table3["carried_over"]["total"].value == 2087
    assert report_mismatches(report, expected) == []
    assert report.diagnostics == ()  # the report adds up: nothing blamed on it


def test_headings_stay_lines_of_their_own(lo_doc: Document) -> None:
    paragraphs = [b.text for b in lo_doc.blocks if isinstance(b, Paragraph)]
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "五、存在的主要问题及改进情况"):
        assert heading in paragraphs


def test_blocks_are_in_reading_order(lo_doc: Document) -> None:
    kinds = ["grid" if isinstance(b, Grid) else b.text for b in lo_doc.blocks]
    i2 = kinds.index("二、主动公开政府信息情况")
    i3 = kinds.index("三、收到和处理政府信息公开申请情况")
    assert kinds[i2 + 1] == "grid" and kinds[i3 + 1] == "grid" and i2 < i3


def test_quotes_drawn_out_of_order_are_in_place(lo_doc: Document) -> None:
    """LibreOffice draws the quote glyphs of another font after their line; positions put them back."""
    grid = list(lo_doc.grids())[1]
    assert any(row[2].text == "3.危及“三安全一稳定”" for row in grid.rows)


def test_look_alike_radicals_are_left_to_the_normaliser() -> None:
    # the reader hands on what the ToUnicode map says; folding is the pipeline's (govreport._text)
    import govreport.sources.pdf as mod

    assert "2EA0" not in Path(mod.__file__).read_text(encoding="utf-8").upper()


def test_browser_print_margins_stay_outside_the_tables() -> None:
    doc = read_pdf((DATA / "chromium-ruled-s000.pdf").read_bytes())
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("file://") for t in paragraphs)
    for grid in doc.grids():
        for row in grid.rows:
            assert not any("file://" in c.text or "PM" in c.text for c in row)


def test_aligned_table_broken_across_pages_is_one_grid() -> None:
    """reportlab: Table 3 without rulings over two pages, its header repeated on the second."""
    doc = read_pdf((DATA / "reportlab-plain-s004.pdf").read_bytes())
    grids = list(doc.grids())
    t3 = next(g for g in grids if any(r[0].text.startswith("一、本年新收") for r in g.rows))
    labels = [r[0].text for r in t3.rows]
    assert labels.index("2.重复申请") == labels.index("1.信访举报投诉类申请") + 1
    assert sum(1 for t in labels if t.startswith("（本列数据")) == 1
    assert {c.origin.page for r in t3.rows for c in r} == {2, 3}
    row = next(r for r in t3.rows if r[0].text == "一、本年新收政府信息公开申请数量")
    assert [c.text for c in row[1:]] == ["75", "19", "2", "1", "1", "7", "105"]


# --- hostile and broken input ------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file from its objects (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _refused(data: bytes, *words: str) -> str:
    with pytest.raises(InputError) as e:
        read_pdf(data, path="x.pdf")
    msg = str(e.value)
    assert msg.startswith("x.pdf: ")
    for w in words:
        assert w in msg
    return msg


def test_image_only_pdf_asks_for_ocr() -> None:
    _refused((DATA / "image-only.pdf").read_bytes(), "no text layer", "OCR", "ocrmypdf")


def test_blank_pdf_says_blank() -> None:
    pdf = pdfium.PdfDocument.new()
    for _ in range(2):
        pdf.new_page(200, 200)
    buf = io.BytesIO()
    pdf.save(buf)
    _refused(buf.getvalue(), "blank")


def test_encrypted_pdf_says_so() -> None:
    _refused((DATA / "encrypted.pdf").read_bytes(), "encrypted", "password")


def test_font_without_tounicode_says_so() -> None:
    _refused((DATA / "no-tounicode.pdf").read_bytes(), "ToUnicode")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.999])
def test_truncated_pdf_says_so(cut: float) -> None:
    data = (DATA / "reportlab-grid-s004.pdf").read_bytes()
    _refused(data[: int(len(data) * cut)], "truncated")


def test_pdf_header_over_garbage_is_refused() -> None:
    _refused(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n", "corrupt")


@pytest.mark.parametrize("data", [b"", b"hello", b"PK\x03\x04 a zip", b"\x00" * 64])
def test_not_a_pdf(data: bytes) -> None:
    _refused(data, "not a PDF")


def test_too_many_pages_names_the_limit() -> None:
    pdf = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        pdf.new_page(100, 100)
    buf = io.BytesIO()
    pdf.save(buf)
    _refused(buf.getvalue(), str(MAX_PAGES + 1), str(MAX_PAGES))


def test_page_tree_loop_is_bounded() -> None:
    """The page tree's node lists itself as its own kid: PDFium must not loop, nor may we."""
    data = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        ]
    )
    with pytest.raises(InputError):
        read_pdf(data)


def test_corrupt_page_content_is_an_input_error_or_read() -> None:
    content = b"BT /F1 12 Tf 10 10 Td (\xff\xfe" + b"[" * 5000 + b") Tj ET"
    data = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )
    try:
        doc = read_pdf(data)
    except InputError:
        return
    assert isinstance(doc, Document)


def test_not_bytes() -> None:
    with pytest.raises(InputError):
        read_pdf("%PDF-1.4 not bytes")  # type: ignore[arg-type]


def test_missing_pypdfium2_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    monkeypatch.setitem(sys.modules, "pypdfium2.raw", None)
    _refused(b"%PDF-1.4", "pip install 'govreport[pdf]'")
