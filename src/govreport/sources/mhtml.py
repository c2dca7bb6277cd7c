"""Saved web pages as one file (MHTML: ``.mhtml``, ``.mht``) read as the web page they hold.

A browser's "save as a single file" (Chrome and Edge: *Webpage, Single File*; Internet Explorer's
*Web Archive*) and Word's *Single File Web Page* write a MIME ``multipart/related`` message: a header
block, then the page and its images and style sheets as parts, each with its own headers and
transfer encoding (the page usually quoted-printable, images base64). :func:`mhtml_page` finds the
page part — the part the ``start`` parameter names, else the one at ``Snapshot-Content-Location``
(Chrome's frames are parts of their own), else the first ``text/html`` part — and decodes its
transfer encoding; :func:`read_mhtml` reads it with :func:`~.html.read_html`, the part's own
``charset`` taking the place of an HTTP header (it outranks the page's ``<meta charset>``, as in a
browser). Only the page part is decoded; images are never touched. A saved e-mail (``.eml``) whose
body is a web page is the same kind of message and is read the same way.

The message is split here, by one regular-expression search for its boundary lines over one
buffer (the parts are views of it, never copies), not by the standard library's ``email`` parser,
which walks a message line by line in Python (a saved page with its images is tens of thousands of
base64 lines) and recurses once per nested multipart; the header blocks of the message and of the
parts that may be the page are parsed by ``email`` (folding, quoted and RFC 2231 parameters).
Bounds: the archive's size (:data:`MAX_MHTML_BYTES`), how deep multiparts nest
(:data:`MAX_NESTING`), how many parts one holds (:data:`MAX_PARTS`) and a header block's length
(:data:`MAX_HEADER_BYTES`).
"""

from __future__ import annotations

import base64
import binascii
import re
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

import attrs

from ..errors import InputError
from .document import Document
from .html import read_html

__all__ = ["MAX_HEADER_BYTES", "MAX_MHTML_BYTES", "MAX_NESTING", "MAX_PARTS", "MhtmlPage", "mhtml_page", "read_mhtml"]

MAX_MHTML_BYTES = 64 << 20
"""A saved report page with its images is a few megabytes; a larger archive is refused unread."""
MAX_NESTING = 4
"""Multiparts nested deeper than this are refused (a saved page has one level, an e-mail two)."""
MAX_PARTS = 10_000
"""A multipart with more parts than this is refused (a page saved with its images has dozens)."""
MAX_HEADER_BYTES = 64 << 10
"""A header block longer than this is refused (a part's headers are a few lines)."""

# the blank line that ends a header block (sniff has its own: it imports this module, not the reverse)
_HEADER_END = re.compile(rb"\r?\n\r?\n")


@attrs.frozen
class MhtmlPage:
    """The web page of an MHTML archive: its bytes (transfer encoding undone), the part's declared
    ``charset`` (``None`` when the part names none) and its ``Content-Location``."""

    html: bytes
    charset: str | None
    location: str | None


def mhtml_page(data: bytes, *, path: str | None = None) -> MhtmlPage:
    """The web page of the MHTML archive ``data`` (see the module docstring).

    Raises :class:`InputError` for an archive over :data:`MAX_MHTML_BYTES`, multiparts nested past
    :data:`MAX_NESTING` or holding over :data:`MAX_PARTS` parts, a header block over
    :data:`MAX_HEADER_BYTES`, a multipart without a boundary, an unknown transfer encoding, or no
    ``text/html`` part at all.
    """
    if len(data) > MAX_MHTML_BYTES:
        raise InputError(f"the saved web page is larger than {MAX_MHTML_BYTES >> 20} MB: not a report page", path=path)
    lead = data[:64]
    skip = len(lead) - len(lead.lstrip(b"\xef\xbb\xbf\r\n"))  # a BOM, blank lines
    # a view: the parts are slices of the one buffer, never copies of it (a part may hold most of it)
    head, body = _split(memoryview(data)[skip:], path)
    headers = _headers(head)
    snapshot = headers.get("Snapshot-Content-Location")
    part = _page_part(headers, body, None if snapshot is None else str(snapshot).strip(), 0, path)
    if part is None:
        raise InputError("this MIME archive (.mhtml, .mht, .eml) holds no web page (no text/html part)", path=path)
    part_headers, part_body = part
    encoding = str(part_headers.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    if encoding == "quoted-printable":
        html = binascii.a2b_qp(part_body)
    elif encoding == "base64":
        try:
            html = base64.b64decode(part_body)  # line breaks and other non-alphabet bytes are skipped
        except binascii.Error as e:
            raise InputError(f"the web page in this MIME archive is damaged base64 ({e})", path=path) from None
    elif encoding in ("7bit", "8bit", "binary"):
        html = part_body.tobytes()
    else:
        raise InputError(
            f"the web page in this MIME archive has an unknown transfer encoding {encoding!r} "
            "(expected quoted-printable, base64, 7bit, 8bit or binary)",
            path=path,
        )
    location = part_headers.get("Content-Location")
    return MhtmlPage(html, part_headers.get_content_charset(), None if location is None else str(location).strip())


def read_mhtml(data: bytes, *, path: str | None = None, backend: str | None = None, first_table: int = 1) -> Document:
    """Read an MHTML archive's web page into a :class:`Document` of format ``"mhtml"``.

    The page is read exactly as :func:`~.html.read_html` reads a page (``backend`` and
    ``first_table`` as there); the source lines of its paragraphs and cells are lines of the page as
    the archive holds it, once its transfer encoding is undone.
    """
    page = mhtml_page(data, path=path)
    document = read_html(page.html, path=path, backend=backend, charset=page.charset, first_table=first_table)
    return attrs.evolve(document, format="mhtml")


def _split(data: memoryview, path: str | None) -> tuple[bytes, memoryview]:
    """A message's (or a part's) header block and its body."""
    first = data[:2].tobytes()
    if first[:1] == b"\n" or first == b"\r\n":  # no headers at all: the part is only a body (text/plain)
        return b"", data[len(first) if first == b"\r\n" else 1 :]
    end = _HEADER_END.search(data, 0, MAX_HEADER_BYTES)
    if end is not None:
        return data[: end.start()].tobytes(), data[end.end() :]
    if len(data) > MAX_HEADER_BYTES:
        raise InputError(
            f"this MIME archive has a header block longer than {MAX_HEADER_BYTES >> 10} KB: not a saved page",
            path=path,
        )
    return data.tobytes(), data[len(data) :]


def _headers(head: bytes) -> Message:
    return BytesHeaderParser(policy=compat32).parsebytes(head)


def _page_part(
    headers: Message, body: memoryview, snapshot: str | None, depth: int, path: str | None
) -> tuple[Message, memoryview] | None:
    """The page part under ``headers``/``body``: ``(its headers, its still-encoded body)`` or ``None``."""
    kind = headers.get_content_type()
    if kind == "text/html":
        return headers, body
    if not kind.startswith("multipart/"):
        return None
    if depth >= MAX_NESTING:
        raise InputError(f"this MIME archive nests multiparts deeper than {MAX_NESTING} levels", path=path)
    boundary = headers.get_boundary()
    if not boundary:
        raise InputError(f"this MIME archive's {kind} has no boundary: its parts cannot be told apart", path=path)
    raw_parts = _bodies(body, boundary.encode("utf-8", "surrogateescape"))
    if len(raw_parts) > MAX_PARTS:
        raise InputError(f"this MIME archive holds more than {MAX_PARTS:,} parts: not a saved page", path=path)
    # only the headers that may be a page's or a multipart's are parsed: images and styles are skipped
    parts: list[tuple[Message, memoryview]] = []
    for raw in raw_parts:
        head, part_body = _split(raw, path)
        lowered = head.lower()
        if b"text/html" in lowered or b"multipart/" in lowered:
            parts.append((_headers(head), part_body))
    start = headers.get_param("start")
    start_id = start.strip().strip("<>") if isinstance(start, str) else None
    for header, wanted in (("Content-ID", start_id), ("Content-Location", snapshot)):
        if wanted:
            for part_headers, part_body in parts:
                named = str(part_headers.get(header) or "").strip()
                if header == "Content-ID":
                    named = named.strip("<>")
                if named == wanted and part_headers.get_content_type() == "text/html":
                    return part_headers, part_body
    for part_headers, part_body in parts:  # the first page, depth first (an e-mail's alternative)
        found = _page_part(part_headers, part_body, snapshot, depth + 1, path)
        if found is not None:
            return found
    return None


def _bodies(body: memoryview, boundary: bytes) -> list[memoryview]:
    """The parts of a multipart body, each without the line break that belongs to its delimiters.

    A delimiter is ``--boundary`` at the start of a line (``--boundary--`` closes); what precedes the
    first is the preamble and what follows the close the epilogue, both ignored. An archive cut
    short keeps its last, unclosed part.
    """
    delimiter = re.compile(rb"^--" + re.escape(boundary) + rb"(--)?[ \t]*\r?$", re.MULTILINE)
    parts: list[memoryview] = []
    start: int | None = None
    for m in delimiter.finditer(body):
        if start is not None:
            end = m.start()  # the line break before a delimiter is the delimiter's
            before = body[max(0, end - 2) : end].tobytes()
            end -= 2 if before == b"\r\n" else 1 if before.endswith(b"\n") else 0
            parts.append(body[start : max(start, end)])
            if len(parts) > MAX_PARTS:
                return parts
        if m[1]:
            return parts
        start = m.end() + (body[m.end() : m.end() + 1].tobytes() == b"\n")  # its \r is in the match
    if start is not None:
        parts.append(body[start:])
    return parts
