"""What a file is, from its first bytes — never from its name.

A report arrives as plain text, a web page, a Word file or a PDF, under any name (``报告.doc`` that is
really HTML is common on government sites). :func:`sniff` looks at the content only.
"""

from __future__ import annotations

import re

__all__ = ["DOCUMENT_FORMATS", "sniff"]

DOCUMENT_FORMATS = ("html", "docx", "pdf")
"""Published-document formats with a reader in :mod:`govreport.sources` (text is read directly)."""

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta\s|table|div|p|br|span)[\s>/]", re.IGNORECASE)


def sniff(data: bytes) -> str:
    """``"pdf"``, ``"docx"``, ``"doc"`` (old binary Word), ``"zip"`` (another archive), ``"html"`` or ``"text"``.

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
