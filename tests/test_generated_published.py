"""Generated reports published as web pages and Word files, read back through the real readers.

The originals in ``shared/`` are 48 reports; users send others. These properties close the class
"any report of either template, laid out as a published document with its quirks (Table 3 split over
two tables with or without its header repeated, an unrelated table before, labels wrapped in their
cells)" and written out as the bytes a user holds: a page inside site chrome and an article
container, in UTF-8 or GBK under any of its labels, on both HTML back-ends; and a .docx with Word's
merged cells, its section headings typed or numbered by Word, its text in runs of any length.
``govreport.loads`` of the bytes must give back every cell (a blank or placeholder
never 0), the template and the year, read by the grid parser.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport.export.grids import report_document
from govreport.sources.document import Document, Paragraph
from govreport.sources.html import read_html
from govreport.testing import report_documents

from .conftest import seed_files
from .documents import CELL_MARKUP, CHROME_AFTER, CHROME_BEFORE, WRAPPERS, cell_mismatches, page_html, word_file

HAS_LXML = importlib.util.find_spec("lxml") is not None
ENCODINGS = [("utf-8", "utf-8"), ("gb18030", "gb2312"), ("gb18030", "gbk"), ("gb18030", None), ("utf-8", None)]


class _Published(tuple):  # type: ignore[type-arg]
    """A drawn ``(document, report)`` with a short repr: hypothesis prints the falsifying example, and
    a whole Document's repr (≈70 kB) would bury the failure under its own warning."""

    def __repr__(self) -> str:
        document, report = self
        return f"<{report.organ} {report.year}, template {report.template.value}, {len(document.blocks)} blocks>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis's pretty printer asks this first
        printer.text(repr(self))


PUBLISHED = report_documents().map(_Published)


class GeneratedPage(NamedTuple):
    """A generated report as a plain web page's bytes in one of :data:`ENCODINGS` (the codec, and the
    label the page declares), and the report it must read back as (for the tests that wrap the page:
    saved as one file, or inside a Word file)."""

    data: bytes
    codec: str
    label: str | None
    expected: govreport.Report

    def __repr__(self) -> str:
        report = self.expected
        return f"<page of {report.organ} {report.year}, template {report.template.value}, labelled {self.label}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _page(pair: tuple[Document, govreport.Report], encoding: tuple[str, str | None]) -> GeneratedPage:
    codec, label = encoding
    return GeneratedPage(page_html(pair[0], label=label).encode(codec), codec, label, pair[1])


GENERATED_PAGES = st.builds(_page, PUBLISHED, st.sampled_from(ENCODINGS))


def same_reading(report: govreport.Report, expected: govreport.Report) -> None:
    """``report`` read by the grid parser holds every cell, the template and the year of ``expected``."""
    assert report.source.parser == "grid"
    assert cell_mismatches(report, expected) == []
    assert report.template is expected.template
    assert report.year == expected.year


@settings(deadline=None)
@given(
    PUBLISHED,
    st.lists(st.sampled_from(CHROME_BEFORE), max_size=4, unique=True),
    st.sampled_from(WRAPPERS),
    st.lists(st.sampled_from(CHROME_AFTER), max_size=3, unique=True),
    st.sampled_from(ENCODINGS),
    st.sampled_from(sorted(CELL_MARKUP)),
    st.sampled_from(["&nbsp;", ""]),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["p", "h", "strong"]),
)
def test_generated_reports_as_web_pages_read_back_exactly(
    pair: tuple[Document, govreport.Report],
    before: list[str],
    wrapper: str,
    after: list[str],
    encoding: tuple[str, str | None],
    cell_markup: str,
    blank: str,
    header_cells: bool,
    word_export: bool,
    headings: str,
) -> None:
    """Also with the cells' text marked up as Word's web pages and CMS editors write it, blanks as
    ``&nbsp;`` or nothing, each table's first row as ``<th>`` cells in a ``<thead>``, and the page
    laid out as Word's own export (its list numbers in conditional comments, spacer rows, ``<o:p>``),
    and the title and headings as ``<h1>``/``<h2>`` or bold paragraphs."""
    document, expected = pair
    codec, label = encoding
    page = page_html(
        document,
        before=before,
        wrapper=wrapper,
        after=after,
        label=label,
        cell_markup=cell_markup,
        blank=blank,
        header_cells=header_cells,
        word_export=word_export,
        headings=headings,
    ).encode(codec)
    report = govreport.loads(page, path="report.html")
    assert report.source.format == "html"
    same_reading(report, expected)


@pytest.mark.skipif(not HAS_LXML, reason="lxml not installed: the standard-library back-end is the only one")
@settings(deadline=None)
@given(PUBLISHED, st.sampled_from(WRAPPERS), st.sampled_from(sorted(CELL_MARKUP)), st.booleans(), st.booleans())
def test_both_html_back_ends_draw_the_same_grids_of_a_generated_page(
    pair: tuple[Document, govreport.Report], wrapper: str, cell_markup: str, header_cells: bool, word_export: bool
) -> None:
    page = page_html(
        pair[0], wrapper=wrapper, cell_markup=cell_markup, header_cells=header_cells, word_export=word_export
    )
    docs = [read_html(page, backend=b) for b in ("lxml", "html.parser")]
    assert [[[(c.text, c.anchor) for c in row] for row in g.rows] for g in docs[0].grids()] == [
        [[(c.text, c.anchor) for c in row] for row in g.rows] for g in docs[1].grids()
    ]
    assert [b.text for b in docs[0].blocks if isinstance(b, Paragraph)] == [
        b.text for b in docs[1].blocks if isinstance(b, Paragraph)
    ]


@pytest.mark.skipif(not HAS_LXML, reason="reading Word files needs lxml")
@settings(deadline=None)
@given(PUBLISHED, st.sampled_from([None, "numPr", "style"]), st.none() | st.integers(1, 6))
def test_generated_reports_as_word_files_read_back_exactly(
    pair: tuple[Document, govreport.Report], numbered: str | None, run_length: int | None
) -> None:
    """Also with the section headings numbered by Word (on the paragraph or through a based-on heading
    style) rather than typed, and with the text cut into runs."""
    document, expected = pair
    report = govreport.loads(word_file(document, numbered=numbered, run_length=run_length), path="report.docx")
    assert report.source.format == "docx"
    same_reading(report, expected)


@pytest.mark.parametrize("seed", seed_files()[:2], ids=lambda p: p.stem[:3])
def test_the_word_writer_draws_the_documents_grids(seed) -> None:
    """The helper itself: a document's grids, every quirk on, survive the round trip through Word's
    merges cell for cell and anchor for anchor (so the property above tests the reader, not the writer)."""
    pytest.importorskip("lxml")
    from govreport.sources.docx import read_docx

    document = report_document(
        govreport.load(seed), split_table3=5, repeat_header=True, extra_table=True, wrapped_labels=True
    )
    read = read_docx(word_file(document))
    assert len(list(read.grids())) == 5
    assert [[[(c.text, c.anchor) for c in row] for row in g.rows] for g in read.grids()] == [
        [[(c.text, c.anchor) for c in row] for row in g.rows] for g in document.grids()
    ]


@pytest.mark.parametrize("numbered", ["numPr", "style"])
def test_word_numbered_headings_are_drawn_and_found_as_sections(numbered: str) -> None:
    """The numbered variant really leaves the numbers to Word (the XML holds no typed heading number),
    and the reading draws every one: the same paragraphs as the document typed them, six sections."""
    pytest.importorskip("lxml")
    from govreport.sources.docx import read_docx

    text_report = govreport.load(seed_files()[0])
    document = report_document(text_report)
    with zipfile.ZipFile(io.BytesIO(word_file(document, numbered=numbered))) as z:
        xml = z.read("word/document.xml").decode()
    assert "一、总体情况" not in xml and xml.count("<w:numPr>" if numbered == "numPr" else "<w:pStyle") == 6
    data = word_file(document, numbered=numbered, run_length=2)

    def paragraphs(doc: Document) -> list[str]:
        return [t for b in doc.blocks if isinstance(b, Paragraph) and (t := b.text.strip())]  # as Word keeps them

    assert paragraphs(read_docx(data)) == paragraphs(read_docx(word_file(document))) == paragraphs(document)
    report = govreport.loads(data)
    assert len(report.sections) == 6
    assert cell_mismatches(report, text_report) == []
