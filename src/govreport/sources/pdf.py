"""Born-digital PDF → :class:`~govreport.sources.document.Document`, with pypdfium2 (PDFium).

The reader takes PDFium's characters with their boxes and the page's ruling lines
(:mod:`._pdfium`), finds the tables and text lines of each page (:mod:`._pdflayout`), and hands on
prose and tables in reading order (top to bottom on each page, page after page).

How it comes out:

* **Tables** are :class:`Grid` s with merged cells expanded: the cell at its top-left position with
  ``anchor=True`` and a copy (same text and origin) at every other position it covers. A table
  found from ruling lines keeps the ruling's lattice, so its columns are those the lines draw. A
  table drawn without rulings gets its columns from the blank space between aligned text.
* **Cell text**: the lines of a cell joined (a PDF cannot tell a typed line break from a wrap):
  CJK fragments without a space, ASCII words with one.
* **A table broken across pages** is continued as one grid when the next page starts with a table
  of the same columns and nothing but page furniture (page numbers, print headers) lies between;
  a header row repeated at the top of the next page is dropped, and a merged cell cut by the page
  break (its text printed above the break only) is joined again. Otherwise each part is a grid of
  its own, in page order. Paragraphs between the two parts (the furniture) come after the grid.
* **Paragraphs**: the text lines outside tables; lines of one paragraph (the line above reaches the
  right margin, the next one is not indented and is no heading) are joined into one, and every
  other line is a paragraph of its own, so a heading such as ``二、主动公开政府信息情况`` stays alone.
  Page headers and footers are paragraphs like any other line (the pipeline blanks them).
* Characters are as PDFium reads them through the producer's ToUnicode map; look-alike radicals
  (``⺠`` for ``民``) are left for the pipeline's normaliser to fold.

Errors are :class:`~govreport.errors.InputError` naming the cause: not a PDF, truncated or
corrupt, encrypted, too many pages, no text layer (a scan), or a text layer without a usable
character map. No ``PdfiumError`` reaches the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..errors import InputError
from . import _pdflayout as layout
from ._pdfium import read_page
from .document import Block, Document, Grid, GridCell, Origin, Paragraph

__all__ = ["MAX_CHARS_PER_PAGE", "MAX_PAGES", "read_pdf"]

MAX_PAGES = 500
"""A report has a few dozen pages at most; more is refused before any page is read."""

MAX_CHARS_PER_PAGE = 200_000
"""A dense A4 page holds a few thousand characters; far more is a hostile or broken file."""

_INSTALL = "pip install 'govreport[pdf]'"


def read_pdf(data: bytes, *, path: str | None = None) -> Document:
    """Read a born-digital PDF into blocks of prose and expanded table grids.

    Args:
        data: the PDF file's bytes.
        path: a name for the source, used in error messages.

    Raises:
        InputError: not a PDF, truncated or corrupt, encrypted, more than :data:`MAX_PAGES` pages,
            no text layer, an unusable text layer, or pypdfium2 not installed.
    """
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:
        raise InputError(f"reading PDF needs pypdfium2: {_INSTALL}", path=path) from None
    _check_header(data, path)
    pdf = _open(pdfium, data, path)
    try:
        pages = _read_pages(pdfium, raw, pdf, path)
    finally:
        pdf.close()
    _check_text(pages, path)
    return Document(format="pdf", reader="pypdfium2", blocks=tuple(_blocks(pages)))


def _check_header(data: bytes, path: str | None) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"expected the PDF's bytes, got {type(data).__name__}", path=path)
    if b"%PDF-" not in bytes(data[:1024]):
        raise InputError("not a PDF (no %PDF- header)", path=path)


def _open(pdfium: Any, data: bytes, path: str | None) -> Any:
    try:
        return pdfium.PdfDocument(bytes(data))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        raw = pdfium.raw
        if code == raw.FPDF_ERR_PASSWORD:
            msg = "encrypted PDF: it needs a password to open; save an unencrypted copy first"
        elif code == raw.FPDF_ERR_SECURITY:
            msg = "encrypted PDF with an unsupported security handler"
        elif b"%%EOF" not in bytes(data[-4096:]):
            msg = "truncated PDF (no %%EOF at the end): the download or copy is incomplete"
        else:
            msg = f"corrupt PDF: PDFium cannot parse it ({e})"
        raise InputError(msg, path=path) from None


def _read_pages(pdfium: Any, raw: Any, pdf: Any, path: str | None) -> list[layout.PageLayout]:
    count = len(pdf)
    if count <= 0:
        raise InputError("corrupt PDF: no pages", path=path)
    if count > MAX_PAGES:
        raise InputError(f"{count} pages: more than the {MAX_PAGES} a report can have", path=path)
    out = []
    for i in range(count):
        try:
            page = pdf[i]
        except pdfium.PdfiumError:
            raise InputError(f"corrupt PDF: page {i + 1} cannot be loaded", path=path) from None
        try:
            content = read_page(page, i + 1, raw, MAX_CHARS_PER_PAGE)
        except OverflowError as e:
            raise InputError(
                f"page {i + 1} holds {e.args[0]} characters: more than the {MAX_CHARS_PER_PAGE} a page can have",
                path=path,
            ) from None
        except pdfium.PdfiumError as e:
            raise InputError(f"corrupt PDF: page {i + 1} cannot be read ({e})", path=path) from None
        finally:
            page.close()
        out.append(
            layout.layout_page(
                content.number, content.width, content.height, content.chars, content.hsegs, content.vsegs
            )
        )
    return out


def _all_text(pages: Iterable[layout.PageLayout]) -> Iterable[str]:
    for p in pages:
        for t in p.tables:
            for c in t.cells:
                yield c.text
        for line in p.lines:
            for ch in line.chars:
                yield ch[0]


def _check_text(pages: list[layout.PageLayout], path: str | None) -> None:
    text = "".join(_all_text(pages)).replace(" ", "")
    if not text:
        raise InputError("no text layer: this PDF holds only images; OCR it first, e.g. with ocrmypdf", path=path)
    bad = sum(1 for ch in text if _unusable(ch))
    if bad > 0.3 * len(text):
        raise InputError(
            f"the text layer is unreadable ({bad} of {len(text)} characters are private-use or undefined):"
            " its fonts have no ToUnicode map; OCR the rendered pages instead",
            path=path,
        )


def _unusable(ch: str) -> bool:
    return unicodedata.category(ch) in ("Co", "Cn", "Cc", "Cs") or ch == "\ufffd"


# --- blocks ------------------------------------------------------------------------------------


def _blocks(pages: list[layout.PageLayout]) -> list[Block]:
    drafts = _continue_tables(pages)
    blocks: list[Block] = []
    tables = 0
    for item in drafts:
        if isinstance(item, _GridDraft):
            tables += 1
            blocks.append(item.grid(tables))
        else:
            blocks.append(item)
    return blocks


class _GridDraft:
    """A table being built, possibly over several pages: rows of (text, page, box, anchor key)."""

    def __init__(self, table: layout.Table, page: int) -> None:
        self.xs = table.xs
        self.rows: list[list[tuple[int, int]]] = []  # (cell id, ...) per position
        self.cells: list[tuple[str, int, tuple[float, float, float, float], int, int]] = []
        self.last_page = page
        self.bottom = table.ys[-1]
        self._append(table, page, skip=0)

    def _append(self, table: layout.Table, page: int, skip: int) -> None:
        base = len(self.cells)
        for cell in table.cells:
            self.cells.append((cell.text, page, cell.box, cell.row1 - cell.row0, 0))
        for row in table.grid[skip:]:
            self.rows.append([(base + k, 0) for k in row])
        self.last_page = page
        self.bottom = table.ys[-1]

    def grid(self, number: int) -> Grid:
        anchors: dict[int, tuple[int, int]] = {}
        rows = []
        origins: dict[int, Origin] = {}
        for r, row in enumerate(self.rows):
            out = []
            for c, (k, _) in enumerate(row):
                first = k not in anchors
                if first:
                    anchors[k] = (r, c)
                    text, page, box, _, _ = self.cells[k]
                    origins[k] = Origin(table=number, row=r + 1, column=c + 1, page=page, box=_round(box))
                out.append(GridCell(self.cells[k][0], origins[k], anchor=first))
            rows.append(tuple(out))
        first_page = self.cells[self.rows[0][0][0]][1] if self.rows else None
        return Grid(tuple(rows), Origin(table=number, page=first_page))


def _round(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


_Item = _GridDraft | Paragraph


def _continue_tables(pages: list[layout.PageLayout]) -> list[_Item]:
    items: list[_Item] = []
    for page in pages:
        entries: list[tuple[float, int, _Item]] = []
        for t in page.tables:
            entries.append((t.top, 0, _GridDraft(t, page.number)))
        for p in _paragraphs(page):
            assert p.origin.box is not None
            entries.append((p.origin.box[1], 1, p))
        entries.sort(key=lambda e: (e[0], e[1]))
        items.extend(e[2] for e in entries)
    return items


# --- paragraphs --------------------------------------------------------------------------------

_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d))")


def _paragraphs(page: layout.PageLayout) -> list[Paragraph]:
    lines = page.lines
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    out: list[Paragraph] = []
    group: list[layout.Line] = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        if _continues(prev, line, left, right):
            group.append(line)
        else:
            out.append(_paragraph(group, page.number))
            group = [line]
    out.append(_paragraph(group, page.number))
    return out


def _continues(prev: layout.Line, line: layout.Line, left: float, right: float) -> bool:
    """Whether ``line`` goes on with the paragraph of ``prev`` (a wrap, not a new paragraph)."""
    h = max(prev.height, 1.0)
    if abs(line.height - prev.height) > 0.15 * h:
        return False  # another font size: a heading or a note
    if line.top - prev.bottom > 0.8 * h:
        return False  # a blank line between
    if prev.x1 < right - 1.5 * h:
        return False  # the line above ends early: its paragraph ends there
    if line.x0 > left + 0.5 * h:
        return False  # indented: a new paragraph
    return not _HEADING.match(line.text)


def _paragraph(group: list[layout.Line], page: int) -> Paragraph:
    text = layout.join_lines(line.text for line in group)
    box = (
        min(line.x0 for line in group),
        group[0].top,
        max(line.x1 for line in group),
        group[-1].bottom,
    )
    return Paragraph(text, Origin(page=page, box=_round(box)))
