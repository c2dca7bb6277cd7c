"""Test utility: Word files built from WordprocessingML snippets, and zip archives built byte by byte
(for the hostile ones: a member whose declared size lies, a bomb without compressing a gigabyte).

No python-docx: the tests build exactly the XML a case needs (merges, content controls, tracked
changes, text boxes) and nothing else.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def rels(target: str = "word/document.xml") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'officeDocument" Target="{target}"/></Relationships>'
    )


def document_xml(body: str, *, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )


def docx(
    body: str, *, prolog: str = "", part: str = "word/document.xml", extra: Sequence[tuple[str, bytes]] = ()
) -> bytes:
    """A minimal .docx whose body is ``body`` (WordprocessingML with the ``w:`` prefix)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", rels(part))
        z.writestr(part, document_xml(body, prolog=prolog))
        for name, data in extra:
            z.writestr(name, data)
    return buf.getvalue()


# -- WordprocessingML snippets -------------------------------------------------------------------------


def p(*runs: str) -> str:
    """A paragraph of plain-text runs."""
    return "<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{_esc(t)}</w:t></w:r>' for t in runs) + "</w:p>"


def tc(text: str | Sequence[str] = "", *, span: int = 1, vmerge: str | None = None, inner: str = "") -> str:
    """A table cell: its paragraphs (a string is one paragraph), grid span, vMerge ("restart" /
    "continue" / "" for a bare ``<w:vMerge/>``), and any extra XML (a nested table)."""
    pr = ""
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        pr += f'<w:vMerge w:val="{vmerge}"/>' if vmerge else "<w:vMerge/>"
    paras = [text] if isinstance(text, str) else list(text)
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>" + "".join(p(t) for t in paras) + inner + "</w:tc>"


def tr(*cells: str, before: int = 0, after: int = 0) -> str:
    pr = ""
    if before:
        pr += f'<w:gridBefore w:val="{before}"/>'
    if after:
        pr += f'<w:gridAfter w:val="{after}"/>'
    return f"<w:tr><w:trPr>{pr}</w:trPr>" + "".join(cells) + "</w:tr>"


def tbl(*rows: str) -> str:
    return "<w:tbl><w:tblPr/>" + "".join(rows) + "</w:tbl>"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- zips written by hand ------------------------------------------------------------------------------


def raw_zip(members: Sequence[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already-deflated members ``(name, deflated bytes, declared size, crc)``: the declared
    size is whatever the caller says, which is how a lying or bombing archive is made."""
    out = io.BytesIO()
    central = []
    for name, data, size, crc in members:
        offset = out.tell()
        fname = name.encode("utf-8")
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(fname), 0))
        out.write(fname)
        out.write(data)
        header = (0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(fname), 0, 0, 0, 0, 0, offset)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", *header) + fname)
    start = out.tell()
    for c in central:
        out.write(c)
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0))
    return out.getvalue()


def deflated(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def deflated_repeat(chunk: bytes, times: int, head: bytes = b"") -> bytes:
    """Raw deflate of ``head + chunk * times`` without ever holding or compressing it all: after a full
    flush the compressor starts afresh, so every further chunk deflates to the same bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head + chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    third = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert again == third, "a full flush must make repeated chunks deflate alike"
    return first + again * (times - 1) + c.flush()
