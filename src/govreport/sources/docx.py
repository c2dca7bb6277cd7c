"""Word files (DOCX) read into a :class:`~govreport.sources.document.Document`.

A .docx is a zip of XML parts; the text and tables are in the main document part (normally
``word/document.xml``, found through ``_rels/.rels``). It is read with lxml directly (extra
``govreport[docx]``): about six times faster than python-docx on a report, and python-docx would
still leave ``vMerge`` and nested tables to do by hand (``docs/documents.md`` has the numbers).

What is kept: the body's paragraphs in order (one :class:`Paragraph` per paragraph or line break,
text boxes' paragraphs after the paragraph that anchors them, tracked deletions left out, insertions
kept), and every table as a :class:`Grid` through the one expansion of :mod:`._grid`: ``gridSpan``
and the old ``hMerge`` across, ``vMerge`` down (the restart cell is the anchor; the positions below
repeat its text, so a merged label belongs to every row it spans), ``gridBefore``/``gridAfter`` as
blank positions, a cell's paragraphs joined by ``\\n``, a nested table as its own grid right after
its parent and out of the parent's cell.

Hostile files end in :class:`~govreport.errors.InputError` before anything large is read: the zip's
member count, the main part's declared size and compression ratio are checked first, the part is
read through a stream that stops at :data:`MAX_XML_BYTES` whatever the zip declares, and the XML
parser never loads a DTD, resolves an entity or touches the network (a document with a DTD is
refused: Word never writes one).
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ._grid import GridBudget, SpanCell, expand_grid
from .document import Block, Document, Paragraph

__all__ = [
    "MAX_DOCX_BYTES",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_XML_BYTES",
    "read_docx",
]

MAX_DOCX_BYTES = 200 << 20
"""A .docx larger than this is refused unopened (a report with photos is a few MB)."""
MAX_MEMBERS = 4096
"""A .docx has a few dozen zip members (hundreds with many images); more is a hostile archive."""
MAX_XML_BYTES = 64 << 20
"""The most of one XML part that is ever decompressed (a long report's document.xml is ~2 MB)."""
MAX_RATIO = 200
"""Declared size over compressed size above which a part larger than :data:`RATIO_FLOOR` is a zip
bomb (Word's XML compresses 5-20 times; a bomb 1000 times or more)."""
RATIO_FLOOR = 1 << 20

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
W_NAMESPACES = frozenset(
    (
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO 29500 Strict
    )
)
MC_NAMESPACE = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type (both schemas)
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))

El = Any
"""An lxml element (lxml is an optional extra: imported lazily, so typed loosely here)."""


def read_docx(data: bytes, *, path: str | None = None) -> Document:
    """Read a Word file's bytes into a :class:`Document` (body paragraphs and expanded table grids).

    Raises :class:`InputError` for an old binary ``.doc`` (with how to convert it), a file that is not
    a zip or is truncated, a zip that is not a Word document, a hostile archive (too many members, a
    part too large or too compressed) or XML that is malformed or declares a DTD; and when lxml (the
    extra ``govreport[docx]``) is not installed.
    """
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(
                "this is a password-protected Word file (an encrypted OLE2 container): remove the password "
                "in Word, save it as .docx, and read that",
                path=path,
            )
        raise InputError(
            "this is the old binary Word format (.doc, OLE2), not .docx: convert it first, e.g. "
            "`soffice --headless --convert-to docx FILE.doc`, and read the .docx",
            path=path,
        )
    if len(data) > MAX_DOCX_BYTES:
        raise InputError(f"the file is larger than {MAX_DOCX_BYTES >> 20} MB: not a report's Word file", path=path)
    if not data.startswith(ZIP_MAGIC):
        raise InputError("this is not a .docx file (a .docx is a zip archive; this does not start like one)", path=path)
    try:
        etree = _lxml()
    except ImportError:
        raise InputError(
            "reading Word files needs lxml: pip install 'govreport[docx]'",
            path=path,
        ) from None
    announced = _announced_members(data)
    if announced > MAX_MEMBERS:
        raise InputError(
            f"the .docx holds {announced:,} zip members (a Word file has a few dozen): refused as hostile",
            path=path,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as e:
        raise InputError(f"the .docx (a zip archive) is damaged or truncated: {e}", path=path) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InputError(
                f"the .docx holds {len(members):,} zip members (a Word file has a few dozen): refused as hostile",
                path=path,
            )
        main = _main_part(archive, etree, path)
        root = _parse_part(archive, main, etree, path)
    ns = _namespace(root)
    body = root.find(f"{{{ns}}}body") if ns else None
    if ns is None or body is None:
        raise InputError(f"{main} has no WordprocessingML document body: not a Word document", path=path)
    blocks = _Reader(path, _Tags(ns)).read(body)
    return Document("docx", "lxml", blocks, None)


# -- the zip and its XML ----------------------------------------------------------------------------


def _announced_members(data: bytes) -> int:
    """The member count the zip's end record announces, read before zipfile builds one object per
    member (a forged count of millions would otherwise be built first and checked after)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - (1 << 16) - 22))
    if end < 0 or end + 22 > len(data):
        return 0  # no end record: zipfile says what is wrong
    (count,) = struct.unpack_from("<H", data, end + 10)
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if data[offset : offset + 4] == b"PK\x06\x06" and offset + 40 <= len(data):
            (count,) = struct.unpack_from("<Q", data, offset + 32)
    return int(count)


def _lxml() -> Any:
    from lxml import etree

    return etree


def _main_part(archive: zipfile.ZipFile, etree: Any, path: str | None) -> str:
    """The main document part's name: the package's ``officeDocument`` relationship, else the usual one."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        try:
            rels = _parse_part(archive, "_rels/.rels", etree, path)
        except InputError:
            rels = None
        for rel in rels if rels is not None else ():
            if str(rel.get("Type", "")).endswith(OFFICE_DOCUMENT):
                target = posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise InputError(
        "the zip holds no word/document.xml: it is not a Word document (an .xlsx, .pptx or other zip?)",
        path=path,
    )


def _parse_part(archive: zipfile.ZipFile, name: str, etree: Any, path: str | None) -> El:
    """Parse one XML part, checking its declared size first and bounding what is actually read."""
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise InputError(
            f"{name} declares {info.file_size:,} bytes uncompressed (more than {MAX_XML_BYTES >> 20} MB): "
            "refused as a zip bomb",
            path=path,
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
        raise InputError(
            f"{name} is compressed {info.file_size // max(1, info.compress_size):,} to 1 (Word's XML compresses "
            "about 10 to 1): refused as a zip bomb",
            path=path,
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    read = 0
    tail = b""  # the end of the previous chunk: a marker may straddle two chunks
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                read += len(chunk)
                if read > MAX_XML_BYTES:  # whatever the zip declared
                    raise InputError(
                        f"{name} decompresses to more than {MAX_XML_BYTES >> 20} MB: refused as a zip bomb", path=path
                    )
                window = tail + chunk
                if any(m in window for m in _DTD_MARKERS):  # before the parser sees a declaration
                    raise InputError(f"{name} declares a DTD (Word never does): refused", path=path)
                tail = chunk[-32:]
                parser.feed(chunk)
            root = parser.close()
    except InputError:
        raise
    except etree.XMLSyntaxError as e:
        raise InputError(f"{name} is not well-formed XML: {e}", path=path) from None
    except RuntimeError as e:  # zipfile: an encrypted member
        raise InputError(f"{name} cannot be read: {e}", path=path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as e:
        raise InputError(f"the .docx (a zip archive) is damaged or truncated in {name}: {e}", path=path) from None
    if root is None:
        raise InputError(f"{name} is empty", path=path)
    if root.getroottree().docinfo.doctype:
        raise InputError(f"{name} declares a DTD (Word never does): refused", path=path)
    return root


# -- the WordprocessingML walk ---------------------------------------------------------------------------


class _Tags:
    """The qualified tag names of one document's WordprocessingML namespace (Transitional or Strict):
    compared as strings and handed to lxml's ``iter``, so that the walk filters in C, not per element.
    Attributes keep Word's element names."""

    def __init__(self, ns: str) -> None:
        w = f"{{{ns}}}"
        self.val = w + "val"
        self.p = w + "p"
        self.tbl = w + "tbl"
        self.tr = w + "tr"
        self.tc = w + "tc"
        self.t = w + "t"
        self.tab = w + "tab"
        self.ptab = w + "ptab"
        self.br = w + "br"
        self.cr = w + "cr"
        self.noBreakHyphen = w + "noBreakHyphen"
        self.txbxContent = w + "txbxContent"
        self.tcPr = w + "tcPr"
        self.trPr = w + "trPr"
        self.gridSpan = w + "gridSpan"
        self.gridBefore = w + "gridBefore"
        self.vMerge = w + "vMerge"
        self.hMerge = w + "hMerge"
        self.sdt = w + "sdt"
        self.sdtContent = w + "sdtContent"
        self.customXml = w + "customXml"
        self.ins = w + "ins"
        self.moveTo = w + "moveTo"
        self.moveFrom = w + "moveFrom"
        self.smartTag = w + "smartTag"
        self.deleted = w + "del"
        mc = f"{{{MC_NAMESPACE}}}"
        self.alternate, self.choice, self.fallback = mc + "AlternateContent", mc + "Choice", mc + "Fallback"
        # block-level wrappers whose paragraphs and tables belong where they stand
        self.wrappers = frozenset(
            (
                self.sdt,
                self.sdtContent,
                self.customXml,
                self.ins,
                self.moveTo,
                self.smartTag,
                self.alternate,
                self.choice,
            )
        )
        # what a paragraph's text is made of, and the containers whose text is not on the page
        self.in_text = (self.t, self.tab, self.ptab, self.br, self.cr, self.noBreakHyphen, self.txbxContent)
        self.no_text = (self.moveFrom, self.fallback, self.deleted)


def _namespace(el: El) -> str | None:
    tag = el.tag
    if isinstance(tag, str) and tag.startswith("{"):
        ns = tag[1 : tag.index("}")]
        return ns if ns in W_NAMESPACES else None
    return None


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default


class _Reader:
    def __init__(self, path: str | None, tags: _Tags) -> None:
        self.path = path
        self.w = tags
        self.blocks: list[Block] = []
        self.next_table = 1
        self.budget = GridBudget(path)

    def read(self, body: El) -> tuple[Block, ...]:
        self._blocks(list(body))
        return tuple(self.blocks)

    def _blocks(self, items: list[El]) -> None:
        """Paragraphs and tables in document order (an explicit stack: nesting depth costs no recursion)."""
        w = self.w
        stack = list(reversed(items))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == w.p:
                lines, boxes = self._paragraph(el)
                self.blocks.extend(Paragraph(t) for t in lines)
                stack.extend(reversed(boxes))  # text boxes' content right after their paragraph
            elif tag == w.tbl:
                self._table(el)
            elif tag in w.wrappers or tag == w.txbxContent:
                stack.extend(reversed(el))

    def _paragraph(self, p: El) -> tuple[list[str], list[El]]:
        """A paragraph's lines (``w:br``/``w:cr`` break them) and the blocks of its text boxes.

        Text is only ever in ``w:t`` (deleted text is ``w:delText``, field codes ``w:instrText``), so
        lxml finds the few elements that matter; what lies inside a moved-away range, a markup
        compatibility fallback (a second copy of a text box) or a text box is skipped here."""
        w = self.w
        lines: list[str] = []
        parts: list[str] = []
        boxes: list[El] = []
        skip: El | None = None
        for el in p.iter(*w.in_text, *w.no_text):
            if skip is not None:
                if _inside(el, skip, p):
                    continue
                skip = None
            tag = el.tag
            if tag == w.t:
                if el.text:
                    parts.append(el.text)
            elif tag == w.tab or tag == w.ptab:
                parts.append(" ")
            elif tag == w.br or tag == w.cr:
                _end_line(parts, lines)
            elif tag == w.noBreakHyphen:
                parts.append("-")
            else:
                if tag == w.txbxContent:
                    boxes.extend(el)
                skip = el
        _end_line(parts, lines)
        return lines, boxes

    def _table(self, tbl: El) -> None:
        pending = [tbl]
        while pending:
            el = pending.pop(0)
            rows, nested = self._rows(el)
            if rows:
                number = self.next_table
                self.next_table += 1
                self.blocks.append(expand_grid([rows], table=number, budget=self.budget))
            pending[0:0] = nested

    def _rows(self, tbl: El) -> tuple[list[list[SpanCell]], list[El]]:
        """The table's rows as spanned cells (vMerge turned into row spans), and its nested tables."""
        w = self.w
        nested: list[El] = []
        grid_rows: list[list[tuple[int, int, str | None, str]]] = []  # per row: (column, span, vMerge, text)
        befores: list[int] = []
        for tr in self._within(tbl, w.tr):
            tr_pr = tr.find(w.trPr)
            gb = tr_pr.find(w.gridBefore) if tr_pr is not None else None
            before = _int(gb.get(w.val), 0) if gb is not None else 0
            cells: list[tuple[int, int, str | None, str]] = []
            x = before
            for tc in self._within(tr, w.tc):
                span, vmerge, hmerge = 1, None, None
                tc_pr = tc.find(w.tcPr)
                if tc_pr is not None:
                    gs = tc_pr.find(w.gridSpan)
                    span = max(1, _int(gs.get(w.val), 1)) if gs is not None else 1
                    vm = tc_pr.find(w.vMerge)
                    vmerge = (vm.get(w.val) or "continue") if vm is not None else None
                    hm = tc_pr.find(w.hMerge)
                    hmerge = (hm.get(w.val) or "continue") if hm is not None else None
                text = self._cell_text(tc, nested)
                if hmerge == "continue" and cells:
                    col, prev_span, prev_v, prev_text = cells[-1]
                    cells[-1] = (col, prev_span + span, prev_v, prev_text)  # the old horizontal merge
                else:
                    cells.append((x, span, vmerge, text))
                x += span
            grid_rows.append(cells)
            befores.append(before)
        return _spanned(grid_rows, befores), nested

    def _cell_text(self, tc: El, nested: list[El]) -> str:
        w = self.w
        lines: list[str] = []
        stack = list(reversed(tc))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == w.p:
                para, boxes = self._paragraph(el)
                lines.extend(para)
                stack.extend(reversed(boxes))
            elif tag == w.tbl:
                nested.append(el)
            elif tag in w.wrappers or tag == w.txbxContent:
                stack.extend(reversed(el))
        return "\n".join(lines)

    def _within(self, el: El, tag: str) -> Iterator[El]:
        """The ``tag`` children of ``el``, also those inside wrappers (content controls, custom XML)."""
        wrappers = self.w.wrappers
        stack = list(reversed(el))
        while stack:
            node = stack.pop()
            t = node.tag
            if t == tag:
                yield node
            elif t in wrappers:
                stack.extend(reversed(node))


def _inside(el: El, container: El, stop: El) -> bool:
    """Whether ``container`` is an ancestor of ``el`` (looking no further up than ``stop``)."""
    for a in el.iterancestors():
        if a is container:
            return True
        if a is stop:
            return False
    return False


def _spanned(rows: list[list[tuple[int, int, str | None, str]]], befores: list[int]) -> list[list[SpanCell]]:
    """Word's cells (grid column, span, vMerge, text) as the row-spanned cells the shared expansion places.

    A cell spans down over the ``vMerge`` continue cells directly below it at the same grid column
    (however many rows the chain runs); those continue cells are covered positions, not cells. A
    continue cell with no cell above it at its column is a cell of its own.
    """
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # (row, index) of a continue cell -> its anchor's
    height: dict[tuple[int, int], int] = {}
    previous: dict[int, int] = {}  # grid column -> index of the cell starting there in the row above
    for y, row in enumerate(rows):
        current: dict[int, int] = {}
        for i, (col, _span, vmerge, _text) in enumerate(row):
            current[col] = i
            above = previous.get(col)
            if vmerge == "continue" and above is not None:
                anchor = owner.get((y - 1, above), (y - 1, above))
                owner[(y, i)] = anchor
                height[anchor] = height.get(anchor, 1) + 1
        previous = current
    out: list[list[SpanCell]] = []
    for y, row in enumerate(rows):
        cells = [SpanCell("", colspan=befores[y], filler=True)] if befores[y] else []
        cells.extend(
            SpanCell(text, colspan=span, rowspan=height.get((y, i), 1))
            for i, (_col, span, _vmerge, text) in enumerate(row)
            if (y, i) not in owner
        )
        out.append(cells)
    return out


def _end_line(parts: list[str], lines: list[str]) -> None:
    text = "".join(parts).strip()
    if text:
        lines.append(text)
    parts.clear()
