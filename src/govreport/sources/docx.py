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

A body made of **alternative format chunks** (``w:altChunk``: an HTML page, a saved page (MHTML) or
plain text that Word renders in place — what "export to Word" buttons of web systems write, e.g.
html-docx-js) is read chunk by chunk at its place in the body, through the web-page reader; its
tables are numbered on from the Word tables before it. A chunk in another format (RTF, a .docx) is
an :class:`InputError` saying to let Word convert it.

Hostile files end in :class:`~govreport.errors.InputError` before anything large is read: the zip's
member count, the main part's declared size and compression ratio are checked first, the part is
read in one read bounded by that declared size (at most :data:`MAX_XML_BYTES`; zipfile holds the
member to it, so a part that inflates past it is refused as damaged), and the XML
parser never loads a DTD, resolves an entity or touches the network (a document with a DTD is
refused: Word never writes one).
"""

from __future__ import annotations

import functools
import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import InputError
from ._grid import GridBudget, SpanCell, expand_grid
from ._numbering import Numbering
from ._styles import StyleIndex
from .document import Block, Document, Origin, Paragraph, make_paragraph

__all__ = [
    "MAX_CHUNKS",
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
MAX_CHUNKS = 64
"""At most this many embedded documents (``w:altChunk``) are read from one Word file."""
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
        tags = _Tags(ns)
        numbering = _numbering(archive, main, body, tags, etree, path)
        chunks = _chunks(archive, main, body, tags, etree, path)
    blocks = _Reader(path, tags, numbering, chunks).read(body, etree)
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


def _numbering(
    archive: zipfile.ZipFile, main: str, body: El, tags: _Tags, etree: Any, path: str | None
) -> Numbering | None:
    """The document's automatic numbering, read only when a paragraph asks for it (a number of its
    own or a style, which may carry one): most reports type their numbers, and ``styles.xml`` is
    often larger than the document itself."""
    first = next(body.iter(tags.numPr, tags.pStyle), None)
    if first is None:
        return None
    parts = _related_parts(archive, main, etree, path)
    numbering_part = parts.get("numbering")
    if numbering_part is None:
        return None
    styles_part = parts.get("styles") if next(body.iter(tags.pStyle), None) is not None else None
    numbering_root = _parse_part(archive, numbering_part, etree, path)
    styles = None
    if styles_part:
        # a paragraph's style is parsed from the part's bytes when it is first asked for (see _styles)
        styles = StyleIndex(
            _read_part(archive, styles_part, etree, path),
            tags.ns,
            functools.partial(_parse_bytes, name=styles_part, etree=etree, path=path),
        )
    return Numbering(numbering_root, styles, tags.ns)


def _relationships(archive: zipfile.ZipFile, main: str, etree: Any, path: str | None) -> list[tuple[str, str, str]]:
    """The main part's relationships to parts in the archive: ``(id, kind, part name)`` (its ``.rels``)."""
    folder, _, name = main.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    names = set(archive.namelist())
    out: list[tuple[str, str, str]] = []
    if rels_name in names:
        for rel in _parse_part(archive, rels_name, etree, path):
            kind = str(rel.get("Type", "")).rpartition("/")[2]
            target = str(rel.get("Target", ""))
            # a target is relative to the part's folder, or absolute from the package root (generators)
            target = posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join(folder, target))
            if target in names:
                out.append((str(rel.get("Id", "")), kind, target))
    return out


def _related_parts(archive: zipfile.ZipFile, main: str, etree: Any, path: str | None) -> dict[str, str]:
    """The main part's related parts by kind (``numbering``, ``styles`` …): its ``.rels`` says where."""
    folder = main.rpartition("/")[0]
    names = set(archive.namelist())
    out: dict[str, str] = {}
    for _, kind, target in _relationships(archive, main, etree, path):
        out.setdefault(kind, target)
    for kind in ("numbering", "styles"):
        fallback = f"{folder}/{kind}.xml" if folder else f"{kind}.xml"
        if kind not in out and fallback in names:
            out[kind] = fallback
    return out


def _chunks(
    archive: zipfile.ZipFile, main: str, body: El, tags: _Tags, etree: Any, path: str | None
) -> dict[str, bytes]:
    """The bytes of the alternative format chunks the body places, by relationship id (read only when
    the body holds a ``w:altChunk``; each part under the same size and ratio checks as the XML)."""
    placed = sum(1 for _ in body.iter(tags.altChunk))  # lxml filters the tag in C: most bodies have none
    if not placed:
        return {}
    if placed > MAX_CHUNKS:  # each is a whole page to read: one part placed 10,000 times is a bomb too
        raise InputError(
            f"the .docx places {placed:,} embedded documents (altChunk; an exported report has one or two): "
            "refused as hostile",
            path=path,
        )
    return {
        rel_id: _read_part(archive, target, etree, path)
        for rel_id, kind, target in _relationships(archive, main, etree, path)
        if kind.lower() == "afchunk"
    }


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
    return _parse_bytes(_read_part(archive, name, etree, path), name, etree, path)


def _read_part(archive: zipfile.ZipFile, name: str, etree: Any, path: str | None) -> bytes:
    """One XML part's decompressed bytes, refused as a zip bomb or for a DTD before a parser sees them."""
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
    with _part_errors(name, etree, path), archive.open(info) as stream:
        # one read bounded by the declared size (checked above), which zipfile also holds the member to:
        # inflating more than it declared ends in its CRC error, never in more memory (read in 64 KB
        # chunks instead, the 350 KB styles part of Word's template cost about twice as much)
        data = stream.read(info.file_size + 1)
    if len(data) > MAX_XML_BYTES:
        raise InputError(f"{name} decompresses to more than {MAX_XML_BYTES >> 20} MB: refused as a zip bomb", path=path)
    return data


def _parse_bytes(data: bytes, name: str, etree: Any, path: str | None) -> El:
    """Parse (some of) a part read by :func:`_read_part` with the safe parser; a DTD is refused unparsed."""
    # every marker starts with "<!", in UTF-8 or UTF-16: two short searches rule them all out, the usual case
    if (b"<!" in data or b"<\x00!" in data) and any(m in data for m in _DTD_MARKERS):
        raise InputError(f"{name} declares a DTD (Word never does): refused", path=path)
    with _part_errors(name, etree, path):
        root = etree.fromstring(data, _xml_parser(etree))
    return _checked_root(root, name, path)


def _xml_parser(etree: Any) -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


@contextmanager
def _part_errors(name: str, etree: Any, path: str | None) -> Iterator[None]:
    """What reading or parsing a part can raise, as an :class:`InputError` naming the part."""
    try:
        yield
    except InputError:
        raise
    except etree.XMLSyntaxError as e:
        raise InputError(f"{name} is not well-formed XML: {e}", path=path) from None
    except RuntimeError as e:  # zipfile: an encrypted member
        raise InputError(f"{name} cannot be read: {e}", path=path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as e:
        raise InputError(f"the .docx (a zip archive) is damaged or truncated in {name}: {e}", path=path) from None


def _checked_root(root: El, name: str, path: str | None) -> El:
    if root is None:
        raise InputError(f"{name} is empty", path=path)
    if root.getroottree().docinfo.doctype:
        raise InputError(f"{name} declares a DTD (Word never does): refused", path=path)
    return root


# -- the WordprocessingML walk ---------------------------------------------------------------------------


class _Tags:
    """The qualified tag names of one document's WordprocessingML namespace (Transitional or Strict).
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
        self.gridSpan = w + "gridSpan"
        self.gridBefore = w + "gridBefore"
        self.vMerge = w + "vMerge"
        self.hMerge = w + "hMerge"
        self.numPr = w + "numPr"
        self.numId = w + "numId"
        self.ilvl = w + "ilvl"
        self.pStyle = w + "pStyle"
        self.altChunk = w + "altChunk"
        self.ns = ns
        # containers whose text is not on the page: a range moved away, a tracked deletion, the
        # markup-compatibility fallback (a second copy of a text box for old readers)
        # (and a tracked change's record of the paragraph's properties before it)
        self.skipped = frozenset((w + "moveFrom", w + "del", w + "pPrChange", f"{{{MC_NAMESPACE}}}Fallback"))
        self.walked = (
            self.p, self.tbl, self.tr, self.tc, self.t, self.tab, self.ptab, self.br, self.cr,
            self.noBreakHyphen, self.txbxContent, self.gridSpan, self.gridBefore, self.vMerge, self.hMerge,
            self.numId, self.ilvl, self.pStyle, self.altChunk, *self.skipped,
        )  # fmt: skip


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


class _Para:
    __slots__ = ("boxed", "ilvl", "lines", "num_id", "parts", "style")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.lines: list[str] = []
        self.boxed: list[str] = []  # lines of the text boxes anchored in this paragraph
        self.num_id: str | None = None  # its automatic numbering, if Word numbers it
        self.ilvl: str | None = None
        self.style: str | None = None


class _Cell:
    __slots__ = ("hmerge", "lines", "span", "vmerge")

    def __init__(self) -> None:
        self.span = 1
        self.vmerge: str | None = None
        self.hmerge: str | None = None
        self.lines: list[str] = []


class _Table:
    __slots__ = ("before", "befores", "cell", "nested", "row", "rows", "x")

    def __init__(self) -> None:
        self.rows: list[list[tuple[int, int, str | None, str]]] = []  # per row: (column, span, vMerge, text)
        self.befores: list[int] = []
        self.row: list[tuple[int, int, str | None, str]] = []
        self.before = 0
        self.x = 0
        self.cell: _Cell | None = None
        self.nested: list[_Table] = []  # tables inside its cells, in document order


class _Reader:
    """The body read in one pass over lxml's filtered walk of the elements that matter (paragraphs,
    text, breaks, tables, rows, cells and their spans): lxml skips the run properties and the rest in C,
    and nothing recurses however deep tables nest."""

    def __init__(
        self, path: str | None, tags: _Tags, numbering: Numbering | None = None, chunks: dict[str, bytes] | None = None
    ) -> None:
        self.path = path
        self.w = tags
        self.numbering = numbering
        self.chunks = chunks or {}
        self.blocks: list[Block] = []
        self.next_table = 1
        self.budget = GridBudget(path)

    def read(self, body: El, etree: Any) -> tuple[Block, ...]:
        w = self.w
        paras: list[_Para] = []
        tables: list[_Table] = []
        within: list[str] = []  # the open containers of paragraphs: "cell" or "box"
        skip = 0
        # the tag names as locals, tested most frequent first (paragraphs, cells, text runs)
        t_, p_, tc_, tr_, tbl_, box_ = w.t, w.p, w.tc, w.tr, w.tbl, w.txbxContent
        tabs, breaks, hyphen, numbered = (w.tab, w.ptab), (w.br, w.cr), w.noBreakHyphen, (w.numId, w.ilvl, w.pStyle)
        skipped, alt_chunk = w.skipped, w.altChunk
        numbering = self.numbering
        blocks = self.blocks
        for event, el in etree.iterwalk(body, events=("start", "end"), tag=w.walked):
            tag = el.tag
            if tag in skipped:
                skip += 1 if event == "start" else -1
                continue
            if skip:
                continue
            if event == "start":
                if tag == t_:
                    if paras:
                        text = el.text
                        if text:
                            paras[-1].parts.append(text)
                elif tag == p_:
                    paras.append(_Para())
                elif tag == tc_:
                    if tables:
                        tables[-1].cell = _Cell()
                        within.append("cell")
                elif tag == tr_:
                    if tables:
                        t = tables[-1]
                        t.row, t.before, t.x = [], 0, 0
                elif tag == tbl_:
                    tables.append(_Table())
                elif tag in tabs:
                    if paras:
                        paras[-1].parts.append(" ")
                elif tag in breaks:
                    if paras:
                        _end_line(paras[-1].parts, paras[-1].lines)
                elif tag == hyphen:
                    if paras:
                        paras[-1].parts.append("-")
                elif tag == box_:
                    within.append("box")
                elif tag in numbered:
                    if paras:
                        _numbered(paras[-1], tag, el.get(w.val), w)
                elif tag == alt_chunk:
                    self._chunk(el, tables)
                elif tables:
                    self._property(tables[-1], tag, el)
                continue
            # end events
            if tag == p_:
                para = paras.pop()
                parts = para.parts
                lines = para.lines
                if parts:  # _end_line
                    text = parts[0].strip() if len(parts) == 1 else "".join(parts).strip()
                    if text:
                        lines.append(text)
                if numbering is not None and (para.num_id is not None or para.style is not None):
                    # (a paragraph with neither has no number: label() would say "" and count nothing)
                    _number(para, numbering.label(para.num_id, para.ilvl, para.style))
                if para.boxed:
                    lines = lines + para.boxed
                where = within[-1] if within else None
                if where == "cell" and tables and tables[-1].cell is not None:
                    tables[-1].cell.lines.extend(lines)
                elif where == "box" and paras:
                    paras[-1].boxed.extend(lines)  # a text box's lines follow the paragraph it sits in
                else:
                    blocks.extend(map(_paragraph, lines))
            elif tag == tc_:
                if tables and tables[-1].cell is not None:
                    _close_cell(tables[-1])
                    within.pop()
            elif tag == tr_:
                if tables:
                    t = tables[-1]
                    t.rows.append(t.row)
                    t.befores.append(t.before)
                    t.row = []
            elif tag == tbl_:
                done = tables.pop()
                if tables:
                    tables[-1].nested.append(done)  # emitted after its parent, which is still open
                else:
                    self._emit(done)
            elif tag == box_:
                within.pop()
        return tuple(blocks)

    def _property(self, table: _Table, tag: str, el: El) -> None:
        """A cell's span or merge, or a row's leading empty positions."""
        w = self.w
        cell = table.cell
        if tag == w.gridBefore:
            if cell is None:
                table.before = _int(el.get(w.val), 0)
                table.x = table.before
        elif cell is not None:
            if tag == w.gridSpan:
                cell.span = max(1, _int(el.get(w.val), 1))
            elif tag == w.vMerge:
                cell.vmerge = el.get(w.val) or "continue"
            elif tag == w.hMerge:
                cell.hmerge = el.get(w.val) or "continue"

    def _chunk(self, el: El, tables: list[_Table]) -> None:
        """An alternative format chunk, read in its place: its blocks into the body (its tables numbered
        on), or, for a chunk inside a table cell, its lines into the cell."""
        rel_id = next((str(v) for k, v in el.attrib.items() if str(k).endswith("}id")), None)
        data = self.chunks.get(rel_id or "")
        if data is None:
            raise InputError(
                f"the Word file's body places an embedded document (altChunk {rel_id!r}) that is not in the file",
                path=self.path,
            )
        blocks = _chunk_blocks(data, first_table=self.next_table, path=self.path)
        cell = tables[-1].cell if tables else None
        if cell is not None:
            for block in blocks:
                if isinstance(block, Paragraph):
                    cell.lines.append(block.text)
                else:  # a table inside a chunk inside a cell: its text, row by row
                    cell.lines.extend(" ".join(c.text for c in row if c.anchor and c.text) for row in block.rows)
            return
        self.next_table += sum(1 for b in blocks if not isinstance(b, Paragraph))
        self.blocks.extend(blocks)

    def _emit(self, table: _Table) -> None:
        """A finished top-level table as grids: itself, then its nested tables (each before its siblings)."""
        pending = [table]
        while pending:
            t = pending.pop(0)
            rows = _spanned(t.rows, t.befores)
            if any(rows):
                number = self.next_table
                self.next_table += 1
                self.blocks.append(expand_grid([rows], table=number, budget=self.budget))
            pending[0:0] = t.nested


_NO_ORIGIN = Origin()


def _chunk_blocks(data: bytes, *, first_table: int = 1, path: str | None = None) -> tuple[Block, ...]:
    """The blocks of an alternative format chunk: a web page or a saved page (MHTML) through the
    web-page reader, tables numbered from ``first_table``; plain text one paragraph per line. RTF
    and a Word file inside the Word file are refused, naming what to do."""
    from .sniff import sniff

    fmt = sniff(data)
    if fmt in ("html", "mhtml"):
        from .html import read_html
        from .mhtml import read_mhtml

        read = read_html if fmt == "html" else read_mhtml
        return read(data, path=path, first_table=first_table).blocks
    if fmt == "text" and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        from .text import decode

        text, _ = decode(data, path=path)
        return tuple(_paragraph(line.strip()) for line in text.splitlines() if line.strip())
    what = "RTF" if fmt == "text" else {"docx": "Word (.docx)", "pdf": "PDF"}.get(fmt, fmt)
    raise InputError(
        f"the Word file's body is an embedded {what} document (altChunk), which govreport does not read "
        "inside a .docx: open the file in Word and save it again as .docx (Word then converts it)",
        path=path,
    )


def _paragraph(text: str) -> Paragraph:
    """``Paragraph(text)`` (a body paragraph has no origin of its own: every one shares the empty one)."""
    return make_paragraph(text, _NO_ORIGIN)


def _numbered(para: _Para, tag: str, value: str | None, w: _Tags) -> None:
    if tag == w.numId:
        para.num_id = value
    elif tag == w.ilvl:
        para.ilvl = value
    else:
        para.style = value


def _number(para: _Para, label: str) -> None:
    """Put Word's number before the paragraph's first line (no space after a mark such as 、 or ）)."""
    if label and para.lines:
        gap = "" if not label[-1].isalnum() else " "
        para.lines[0] = label + gap + para.lines[0]


def _close_cell(table: _Table) -> None:
    cell = table.cell
    assert cell is not None
    text = "\n".join(cell.lines)
    if cell.hmerge == "continue" and table.row:
        col, span, vmerge, first = table.row[-1]
        table.row[-1] = (col, span + cell.span, vmerge, first)  # the old horizontal merge
    else:
        table.row.append((table.x, cell.span, cell.vmerge, text))
    table.x += cell.span
    table.cell = None


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
    new = tuple.__new__  # SpanCell's own __new__ is Python code
    for y, row in enumerate(rows):
        cells = [SpanCell("", colspan=befores[y], filler=True)] if befores[y] else []
        if owner or height:
            cells.extend(
                new(SpanCell, (text, span, height.get((y, i), 1), None, False))
                for i, (_col, span, _vmerge, text) in enumerate(row)
                if (y, i) not in owner
            )
        else:  # no vertical merge in the table
            cells.extend(new(SpanCell, (text, span, 1, None, False)) for _col, span, _vmerge, text in row)
        out.append(cells)
    return out


def _end_line(parts: list[str], lines: list[str]) -> None:
    text = "".join(parts).strip()
    if text:
        lines.append(text)
    parts.clear()
