"""Born-digital PDF → :class:`~govreport.sources.document.Document`, with pypdfium2 (PDFium).

The reader takes PDFium's characters with their boxes and the page's ruling lines
(:mod:`._pdfium`), finds the tables and text lines of each page (:mod:`._pdflayout`), and hands on
prose and tables in reading order (top to bottom on each page, page after page).

How it comes out:

* **Tables** are :class:`Grid` s with merged cells expanded: the cell at its top-left position with
  ``anchor=True`` and a copy (same text and origin) at every other position it covers.

  - *Ruled* (LibreOffice and Word draw stroked paths, browsers and WPS thin filled rectangles): the
    grid is the lattice the ruling lines draw; two positions with no ruling between them are one
    merged cell; a character belongs to the cell holding its centre.
  - *Without rulings*, or with a frame around the table and nothing inside: columns where the
    data rows leave the page blank (numbers right-, left- or centre-aligned alike), rows from the
    lines, a wrapped label and the numbers centred beside it joined into one row. Merged cells
    cannot be seen there: a spanning header is one cell over the columns it covers, a label
    spanning rows sits in the row whose line it shares.

* **Cell text**: the lines of a cell joined (a PDF cannot tell a typed line break from a wrap):
  CJK fragments without a space, ASCII words with one, the digits of a wrapped number together.
  Spaces come from the gaps between character boxes (PDFium's generated spaces and line breaks,
  and white space glyphs, are dropped first).
* **A table broken across pages is continued as one grid** when the next page starts with a
  table of the same kind and outer edges (ruled) or the same columns (without rulings), with
  nothing but page furniture between (page numbers, print headers and footers, lines repeated on
  every page). A header repeated at the top of the next page is dropped; a merged cell cut by the
  page break, and a row broken across it, are joined again. Otherwise each part is a grid of its
  own, in page order. The furniture between two parts comes after the grid, as paragraphs.
* **Paragraphs**: the text lines outside tables; lines of one paragraph (the line above reaches the
  right edge of the text, the next one is not indented and is no heading) are joined into one, and
  every other line is a paragraph of its own, so a heading such as ``二、主动公开政府信息情况`` stays
  alone. A line is cut where a blank of three ems separates two runs (a print header's date and
  title). Page headers and footers are paragraphs like any other line (the pipeline blanks them).
* Characters are as PDFium reads them through the producer's ToUnicode map; look-alike radicals
  (``⺠`` for ``民``) are left for the pipeline's normaliser to fold.

Errors are :class:`~govreport.errors.InputError` naming the cause: not a PDF, truncated or
corrupt, encrypted, too many pages (:data:`MAX_PAGES`) or characters on a page
(:data:`MAX_CHARS_PER_PAGE`), no text layer (a scan), blank pages, or a text layer without a usable
character map. No ``PdfiumError`` reaches the caller.
"""

from __future__ import annotations

import gc
import itertools
import re
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
    # A page makes some 10^4 small acyclic tuples and lists: the cyclic collector would scan them
    # over and over (7% of the reader's time) and can find nothing to free. Paused, then restored.
    collecting = gc.isenabled()
    gc.disable()
    try:
        pdf = _open(pdfium, data, path)
        try:
            pages, images = _read_pages(pdfium, raw, pdf, path)
        finally:
            pdf.close()
        _check_text(pages, images, path)
        return Document(format="pdf", reader="pypdfium2", blocks=tuple(_blocks(pages)))
    finally:
        if collecting:
            gc.enable()


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
            msg = "truncated or corrupt PDF (no %%EOF at the end): is the download or copy complete?"
        else:
            msg = f"corrupt PDF: PDFium cannot parse it ({e})"
        raise InputError(msg, path=path) from None


def _read_pages(pdfium: Any, raw: Any, pdf: Any, path: str | None) -> tuple[list[layout.PageLayout], int]:
    """Every page's layout, and how many images the pages draw."""
    count = len(pdf)
    if count <= 0:
        raise InputError("corrupt PDF: no pages", path=path)
    if count > MAX_PAGES:
        raise InputError(f"{count} pages: more than the {MAX_PAGES} a report can have", path=path)
    out = []
    images = 0
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
        images += content.images
        out.append(
            layout.layout_page(
                content.number, content.width, content.height, content.chars, content.hsegs, content.vsegs
            )
        )
    return out, images


def _all_text(pages: Iterable[layout.PageLayout]) -> Iterable[str]:
    for p in pages:
        for t in p.tables:
            for c in t.cells:
                yield c.text
        for line in p.lines:
            yield line.text


# Characters no font maps text to: C0/C1 controls, private use, surrogates, the replacement mark.
# PDFium falls back to the raw glyph codes of a font without a ToUnicode map, mostly these.
_UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")


def _check_text(pages: list[layout.PageLayout], images: int, path: str | None) -> None:
    text = "".join(_all_text(pages)).replace(" ", "")
    if not text and images:
        raise InputError("no text layer: this PDF holds only images; OCR it first, e.g. with ocrmypdf", path=path)
    if not text:
        raise InputError(f"no text: the PDF's {len(pages)} page(s) are blank", path=path)
    bad = len(_UNUSABLE.findall(text))
    if bad > 0.3 * len(text):
        raise InputError(
            f"the text layer is unreadable ({bad} of {len(text)} characters are control or private-use codes):"
            " its fonts have no ToUnicode map; OCR the rendered pages instead",
            path=path,
        )


# --- blocks ------------------------------------------------------------------------------------


def _blocks(pages: list[layout.PageLayout]) -> list[Block]:
    drafts = _continue_tables(pages)
    blocks: list[Block] = []
    tables = 0
    for item in drafts:
        if not isinstance(item, _GridDraft):
            blocks.append(item)
        elif len(item.cells) == 1:
            # a frame around text, not continued by a table on the next page: prose in a box
            cell = item.cells[0]
            if cell.text:
                blocks.append(Paragraph(cell.text, Origin(page=cell.page, box=_round(cell.box))))
        else:
            tables += 1
            blocks.append(item.grid(tables))
    return blocks


class _GridDraft:
    """A table being built, possibly over several pages: cells, and a cell id per grid position."""

    def __init__(self, table: layout.Table, page: int) -> None:
        self.xs = table.xs
        self.ruled = table.ruled
        self.cells: list[layout.Cell] = []
        self.rows: list[list[int]] = []
        self.append(table, page)

    def fits(self, table: layout.Table) -> bool:
        """Whether ``table`` can go on with this one: the same kind and the same outer edges (the
        left one may be an inner column line of this table)."""
        a, b = self.xs, table.xs
        if table.ruled != self.ruled:
            return False
        if table.ruled:
            # the left edge may be an inner line: merged cells at the left going on from above (a
            # browser draws no border round their rest, so their side is no part of the new lattice)
            left = abs(a[0] - b[0]) <= layout.SNAP or self._inner(b[0])
            return left and abs(a[-1] - b[-1]) <= layout.SNAP
        # columns found from blank space move with the widths of what is in them
        return len(a) == len(b) and all(abs(x - y) <= _ALIGNED_SLACK for x, y in zip(a, b, strict=False))

    def append(self, table: layout.Table, page: int) -> None:
        """Add a table's rows below, less a repeated header, joining what the page break cut."""
        base = len(self.cells)
        for c in table.cells:
            c.page = page
        self.cells.extend(table.cells)
        rows = [[base + k for k in row] for row in table.grid]
        if self.rows and self.ruled:
            xs = _union(self.xs, table.xs)
            starts_inside = table.xs[0] - self.xs[0] > layout.SNAP  # fits(): at an inner line
            self.rows = [_regrid(r, self.xs, xs) for r in self.rows]
            rows = [_regrid(r, table.xs, xs) for r in rows]
            self.xs = xs
            if starts_inside:  # the merged cells left of the new part go on down its rows
                lead = next(i for i, x in enumerate(xs) if abs(x - table.xs[0]) <= layout.SNAP)
                rows = [self.rows[-1][:lead] + r[lead:] for r in rows]
        # (the columns of a table without rulings match one for one: fits() checked them)
        if self.rows:
            rows = rows[self._repeated_header(rows) :]
            if rows and self._join_across(rows):
                rows = rows[1:]
        self.rows.extend(rows)

    def _inner(self, x: float) -> bool:
        """Whether an inner column line of this table lies at ``x``."""
        return any(abs(v - x) <= layout.SNAP for v in self.xs[1:-1])

    def _texts(self, row: list[int]) -> list[str]:
        return [self.cells[k].text for k in row]

    def _repeated_header(self, rows: list[list[int]]) -> int:
        """How many rows at the top of ``rows`` repeat the first rows of the table.

        Compared as the characters of the first k rows, not cell by cell: without rulings the
        lines of a header may fall into rows a little differently on each page.
        """
        for k in range(min(len(rows) - 1, len(self.rows), _MAX_HEADER_ROWS), 0, -1):
            here = self._chars(rows[:k])
            if here and here == self._chars(self.rows[:k]):
                return k
        return 0

    def _chars(self, rows: list[list[int]]) -> str:
        cells = dict.fromkeys(k for row in rows for k in row)
        return "".join(sorted("".join(self.cells[k].text for k in cells).replace(" ", "")))

    def _merge(self, rows: list[list[int]], k1: int, k2: int) -> None:
        if k1 == k2:
            return
        c1, c2 = self.cells[k1], self.cells[k2]
        c1.text = layout.join_lines((c1.text, c2.text))
        c1.slack = c2.slack
        for r in rows:
            for j, k in enumerate(r):
                if k == k2:
                    r[j] = k1

    def _join_across(self, rows: list[list[int]]) -> bool:
        """Join again the cells the page break cut; True when the whole first row was the rest of
        the last one (a row broken by the page), which then goes.

        Each cell at the top of the new page, with the same span as the cell above the break:

        * ``tall``: empty, and one of the two spans rows: the rest of a merged cell;
        * ``cont``: text that goes on from a cell whose text ran to the bottom of the page, or from
          a numbered label (no row label of its own, no number);
        * ``ended``: empty below a cell of one row with text: a cell that ended at the break;
        * ``blank``: empty on both sides;
        * ``num``: a number below a number: the rest of a number that wrapped in a narrow cell
          (``208`` | ``7``), or a number of a new row;
        * ``below``: text below an empty cell: a cell whose text sits lower than the break (a
          browser centres it in the row), or a cell of a new row.

        ``cont`` cells are joined only with evidence that the break cut through this row: a
        ``tall`` cell, a ``cont`` cell that spans rows, or a text (not a number) that ``ended``.
        Otherwise two whole labels on either side of the break would run together; a numbered label
        (``二、``, ``（一）``, ``1.``) going on in text that starts no label is evidence too (the rows
        of a numbered column each start with their number). ``num`` and ``below`` cells are joined
        only when the whole first row is the rest of the last one — no cell of a new row, and a row
        label cut by the break (ended above it, or a numbered label going on): a row of its own has
        its label.
        """
        last, first = self.rows[-1], rows[0]
        kinds: dict[tuple[int, int], str] = {}
        evidence = label_cut = False
        labels_ended: set[tuple[int, int]] = set()  # a row label (no number) above, empty below
        whole = True
        for _c, (k1, k2) in enumerate(zip(last, first, strict=False)):
            if (k1, k2) in kinds or k1 == k2:
                continue
            if _span(last, k1) != _span(first, k2):
                whole = False
                continue
            kind, tall = self._kind(rows, k1, k2)
            kinds[(k1, k2)] = kind
            label_ended = kind == "ended" and not _NUMBER.match(self.cells[k1].text)
            if label_ended:
                labels_ended.add((k1, k2))
            # a numbered label ("二、上年结转…") going on in text that is no label of its own
            label_goes_on = kind == "cont" and _LABEL_START.match(self.cells[k1].text) is not None
            evidence = evidence or kind == "tall" or (kind == "cont" and tall) or label_ended or label_goes_on
            label_cut = label_cut or label_ended or label_goes_on
            whole = whole and kind != "new"
        if not evidence:
            return False
        whole = whole and (label_cut or any(k == "ended" for k in kinds.values()))
        if not label_cut and ("num" in kinds.values() or "below" in kinds.values()):
            whole = False  # numbers below the break and no row label cut by it: a new row
        for (k1, k2), kind in kinds.items():
            if kind in ("tall", "cont") or (k1, k2) in labels_ended or (whole and kind in _WHOLE_ROW_KINDS):
                self._merge(rows, k1, k2)
        return whole

    def _kind(self, rows: list[list[int]], k1: int, k2: int) -> tuple[str, bool]:
        c1, c2 = self.cells[k1], self.cells[k2]
        tall = sum(k1 in r for r in self.rows) > 1 or sum(k2 in r for r in rows) > 1
        if not c2.text:
            if tall:
                return "tall", tall
            return ("ended" if c1.text else "blank"), tall
        if not c1.text:
            return "below", tall
        if _LABEL_START.match(c2.text):
            return "new", tall
        ran_down = c1.slack < _CUT_SLACK  # the text above ran to the bottom of the page
        number1, number2 = _NUMBER.match(c1.text), _NUMBER.match(c2.text)
        if not number1 and not number2 and (ran_down or _LABEL_START.match(c1.text)):
            # (a numbered label may stop short of the page's bottom: a browser keeps the last lines
            # of a cell together on the next page)
            return "cont", tall
        if number1 and number2:
            return "num", tall  # (centred in a browser's cell, a wrapped number need not run down)
        return "new", tall

    def grid(self, number: int) -> Grid:
        anchors: dict[int, GridCell] = {}
        copies: dict[int, GridCell] = {}  # a covered position's cell, one (immutable) per merged cell
        rows = []
        for r, row in enumerate(self.rows):
            out = []
            for c, k in enumerate(row):
                anchor = anchors.get(k)
                if anchor is None:
                    cell = self.cells[k]
                    anchor = anchors[k] = GridCell(cell.text, Origin(number, r + 1, c + 1, cell.page, cell.box), True)
                    out.append(anchor)
                    continue
                copy = copies.get(k)
                if copy is None:
                    copy = copies[k] = GridCell(anchor.text, anchor.origin, False)
                out.append(copy)
            rows.append(tuple(out))
        first_page = self.cells[self.rows[0][0]].page if self.rows else None
        return Grid(tuple(rows), Origin(table=number, page=first_page))


# What more of a cut row's cells is joined once the whole first row below the break is its rest.
_WHOLE_ROW_KINDS = frozenset(("ended", "blank", "num", "below"))
# A header repeated at the top of a page has at most this many rows.
_MAX_HEADER_ROWS = 6
# Column boundaries of a table without rulings that lie this close (points) are the same column.
_ALIGNED_SLACK = 12.0
# A cell whose text ends less than this many line heights above its bottom ran into the page break.
_CUT_SLACK = 0.5
# Text that starts a row label of its own is no continuation of the cell above the break.
_NUMBER = re.compile(r"\s*[-+]?[\d,.]+%?\s*$")
_LABEL_START = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、](?!\d))")


def _union(a: list[float], b: list[float]) -> list[float]:
    return layout.snap_values([*a, *b])


def _regrid(row: list[int], xs: list[float], new: list[float]) -> list[int]:
    """A row of positions between ``xs`` spread over the finer boundaries ``new``."""
    out = []
    j = 0
    for u in range(len(new) - 1):
        mid = (new[u] + new[u + 1]) / 2
        while j < len(row) - 1 and mid > xs[j + 1]:
            j += 1
        out.append(row[j])
    return out


def _partition(row: list[int]) -> list[bool]:
    """Where cells start along a row (True at a position that begins a new cell)."""
    return [c == 0 or row[c] != row[c - 1] for c in range(len(row))]


def _span(row: list[int], k: int) -> tuple[int, int]:
    cols = [c for c, x in enumerate(row) if x == k]
    return (cols[0], cols[-1])


def _round(box: layout.Box) -> layout.Box:
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


_Item = _GridDraft | Paragraph

# Page furniture: a page number ("- 4 -", "4/12", "第 4 页"), a print header's date or footer's URL,
# or a line repeated at the same height on several pages (a running header).
_FOLIO = re.compile(
    r"^\s*(?:[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+"
    r"|(?:https?|file)://\S*(?:\s+\d+\s*/\s*\d+)?|\d{1,4}[/-]\d{1,2}[/-]\d{1,4},?(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?)\s*$"
)
_DIGITS = re.compile(r"\d+")


def _running_key(p: Paragraph) -> tuple[str, int]:
    assert p.origin.box is not None
    return (_DIGITS.sub("#", p.text), round(p.origin.box[1] / 6))


def _running_lines(paragraphs: list[list[Paragraph]]) -> set[tuple[str, int]]:
    """The (text less digits, height) of lines found on more than one page: running headers."""
    pages: dict[tuple[str, int], set[int]] = {}
    for number, paras in enumerate(paragraphs):
        for p in paras:
            text, band = _running_key(p)
            for b in (band - 1, band, band + 1):
                pages.setdefault((text, b), set()).add(number)
    return {k for k, v in pages.items() if len(v) > 1}


def _furniture(p: Paragraph, running: set[tuple[str, int]]) -> bool:
    return bool(_FOLIO.match(p.text)) or _running_key(p) in running


def _continue_tables(pages: list[layout.PageLayout]) -> list[_Item]:
    """Blocks in reading order; a table going on at the top of the next page joins its first part."""
    paragraphs = [_paragraphs(page) for page in pages]
    running = _running_lines(paragraphs) if len(pages) > 1 else set()
    items: list[_Item] = []
    open_draft: _GridDraft | None = None  # the last table, while only furniture came after it
    open_page = 0
    for page, paras in zip(pages, paragraphs, strict=False):
        entries: list[tuple[float, int, layout.Table | Paragraph]] = [(t.top, 0, t) for t in page.tables]
        for p in paras:
            assert p.origin.box is not None
            entries.append((p.origin.box[1], 1, p))
        entries.sort(key=lambda e: (e[0], e[1]))
        page_start = True  # nothing but furniture so far on this page
        for _, _, entry in entries:
            if isinstance(entry, Paragraph):
                items.append(entry)
                if not _furniture(entry, running):
                    open_draft = None
                    page_start = False
                continue
            going_on = page_start and open_page == page.number - 1
            if open_draft is not None and going_on and open_draft.fits(entry):
                open_draft.append(entry, page.number)
            else:
                open_draft = _GridDraft(entry, page.number)
                items.append(open_draft)
            open_page = page.number
            page_start = False
    return items


# --- paragraphs --------------------------------------------------------------------------------

# A blank this many ems wide splits a line of prose into two runs of text.
_RUN_GAP = 3.0
# Lines this close to the top or bottom edge (a share of the page height) are print margins.
_BAND = 0.04
_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d))")


def _visual_lines(page: layout.PageLayout) -> list[tuple[layout.Line, bool]]:
    """The page's text lines, each cut where a wide blank separates two runs of text (a print
    header's date and title, a signature and its date); True for the parts of a cut line."""
    out: list[tuple[layout.Line, bool]] = []
    for line in page.lines:
        if not layout.has_gap(line, _RUN_GAP):
            out.append((line, False))
            continue
        parts = layout.pieces(line, _RUN_GAP)
        if len(parts) == 1:
            out.append((line, False))
            continue
        out.extend((layout.Line(p.chars, p.x0, line.top, p.x1, line.bottom), True) for p in parts)
    return out


def _paragraphs(page: layout.PageLayout) -> list[Paragraph]:
    lines = _visual_lines(page)
    if not lines:
        return []
    band = _BAND * page.height
    body = [line for line, cut in lines if not cut and band < line.top < page.height - band] or [lines[0][0]]
    left = min(line.x0 for line in body)
    right = max(line.x1 for line in body)  # the text block's right edge, without print margins
    out: list[Paragraph] = []
    group: list[layout.Line] = [lines[0][0]]
    for (prev, prev_cut), (line, cut) in itertools.pairwise(lines):
        if not (prev_cut or cut) and _continues(prev, line, left, right):
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
