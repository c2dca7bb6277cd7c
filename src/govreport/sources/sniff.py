"""What a file is, from its first bytes — never from its name.

A report arrives as plain text, a web page (or one saved as a single MHTML file), a Word file or a
PDF, under any name (``报告.doc`` that is really HTML is common on government sites). :func:`sniff`
looks at the content only.
"""

from __future__ import annotations

import re

__all__ = ["DOCUMENT_FORMATS", "looks_like_mhtml", "not_a_report", "sniff"]

DOCUMENT_FORMATS = ("html", "mhtml", "docx", "pdf")
"""Published-document formats with a reader in :mod:`govreport.sources` (text is read directly)."""

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta\s|table|div|p|br|span)[\s>/]", re.IGNORECASE)


def sniff(data: bytes) -> str:
    """``"pdf"``, ``"docx"``, ``"doc"`` (old binary Word), ``"zip"`` (another archive), ``"html"``,
    ``"mhtml"`` (a web page saved as one MIME file: ``.mhtml``, ``.mht``, an ``.eml``) or ``"text"``.

    ``text`` means "not one of the others": whether it decodes is for the text reader to say.
    """
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx" if _is_docx(data) else "zip"
    if data.startswith(_OLE2):
        return "doc"
    if _looks_like_html(head):
        return "html"
    if looks_like_mhtml(data):
        return "mhtml"
    return "text"


def _is_docx(data: bytes) -> bool:
    import zipfile  # with bz2 and lzma: only when a zip comes along, not at ``import govreport``
    from io import BytesIO

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            # the central directory's names only: nothing is decompressed here
            return "word/document.xml" in z.NameToInfo
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # a truncated Word file still shows its first member's name in the local header
        return b"word/" in data[:2048]


def _looks_like_html(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: look at the text
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    stripped = head.lstrip()
    if stripped[:1] != b"<":
        # markdown and text may hold an HTML table further down; a web page starts with markup
        return False
    return _HTML.search(stripped[:1024]) is not None


_MIME_END = re.compile(rb"\r?\n\r?\n")
_MIME_LINE = re.compile(rb"[!-9;-~]+:|[ \t]")  # a field name and its colon, or a folded continuation
_MIME_VERSION = re.compile(rb"^mime-version:", re.IGNORECASE | re.MULTILINE)
_MIME_PAGE = re.compile(rb"^content-type:\s*(?:multipart/|text/html)", re.IGNORECASE | re.MULTILINE)


def looks_like_mhtml(data: bytes) -> bool:
    """Whether ``data`` starts with a MIME header block that declares a version and a web page or a
    multipart (what every MHTML writer puts first; a report's text never does)."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf\r\n")
    if not _MIME_LINE.match(head):  # a report's text starts with Chinese: no header field name
        return False
    end = _MIME_END.search(head)
    if end is None:
        return False
    block = head[: end.start()]
    lines = block.splitlines()
    if not lines or not all(_MIME_LINE.match(line) for line in lines):
        return False
    return _MIME_VERSION.search(block) is not None and bool(_MIME_PAGE.search(block))


_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>|&#?\w+;|https?://\S+", re.IGNORECASE | re.DOTALL)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MIN_HAN = 50


def not_a_report(data: bytes) -> str | None:
    """Why ``data`` cannot be a report, or ``None`` when it may be one (then reading it decides).

    Used where a folder is searched, so that the notes, images and archives beside the reports are
    skipped with a reason rather than counted as failed reports. A PDF or Word file may be one
    (their text is compressed: only reading tells); a web page or a text must hold Chinese prose
    that names 公开 (disclosure), and more Chinese than Latin letters once markup is set aside, so a
    README that quotes the form's headings among its English is not taken for a report.
    """
    if not data.strip():
        return "empty file"
    fmt = sniff(data)
    if fmt == "mhtml":
        from ..errors import InputError
        from .mhtml import mhtml_page  # email's header parser: only when an archive comes along

        try:
            data, fmt = mhtml_page(data).html, "html"  # a saved page is a report if its page is one
        except InputError:
            return None  # reading it will say what is wrong with it
    if fmt in DOCUMENT_FORMATS and fmt != "html":
        return None
    if fmt == "doc":
        return "old binary Word file (.doc): save it as .docx or PDF to read it"
    if fmt == "zip":
        return "a zip archive, not a Word file"
    text = _loose_text(data)
    if text is None:
        return "binary data, not text"
    body = _TAGS.sub(" ", text) if fmt == "html" or "<" in text else text
    what = "web page" if fmt == "html" else "text"
    if "公开" not in body:
        return f"a {what} without report text (no Chinese prose about 公开)"
    if _han_at_least(body, max(_MIN_HAN, _latin_letters(body))):
        return None
    if len(_HAN.findall(body)) < _MIN_HAN:
        return f"a {what} without report text (no Chinese prose about 公开)"
    return f"a {what} mostly in Latin letters, not a report's Chinese prose"


def _han_at_least(text: str, n: int) -> bool:
    """Whether ``text`` holds ``n`` Han characters or more, counted a slice at a time.

    Every file of a searched folder is sniffed, and counting all of a report's Han characters cost
    as much as a twentieth of reading it; a report reaches the count within its first lines.
    """
    found = 0
    for i in range(0, len(text), _SLICE):
        found += len(_HAN.findall(text, i, i + _SLICE))
        if found >= n:
            return True
    return False


_SLICE = 1024

_LATIN_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))


def _latin_letters(text: str) -> int:
    """How many ``[A-Za-z]`` ``text`` holds: its ASCII part less that part without the letters, two C
    passes (``findall`` made a list of every letter, a fifth of the sniff's time)."""
    ascii_part = text.encode("ascii", "ignore")
    return len(ascii_part) - len(ascii_part.translate(None, _LATIN_BYTES))


def _loose_text(data: bytes) -> str | None:
    """The text of ``data`` as well as it decodes, or ``None`` for binary data."""
    from ..errors import InputError
    from .text import _control_share, decode  # text imports nothing of sniff: no cycle

    try:
        return decode(data)[0]
    except InputError as e:
        if "binary" in str(e):
            return None
    # a report with a few bad bytes is still a report: reading it will say what is wrong
    text = data.decode("gb18030", errors="replace")
    if _control_share(text) > 0.05 or text[:4096].count("\ufffd") > 400:
        return None
    return text
