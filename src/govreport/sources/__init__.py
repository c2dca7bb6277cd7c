"""Sources: what the user has — a text file, a web page, a Word file, a PDF — turned into what the pipeline reads.

Text is decoded (:mod:`.text`); a published document (a web page, one saved as MHTML, a Word file,
a PDF) is read into a :class:`~.document.Document` (prose blocks and grids) by the reader of its
format, chosen from the bytes (:mod:`.sniff`), never from the file name. Readers need an optional
extra each and import it only when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..errors import InputError
from .document import Document, Grid, GridCell, Paragraph
from .sniff import DOCUMENT_FORMATS, sniff

__all__ = ["DOCUMENT_FORMATS", "Document", "Grid", "GridCell", "Paragraph", "read_document", "sniff"]


_READERS = {"html": "read_html", "mhtml": "read_mhtml", "docx": "read_docx", "pdf": "read_pdf"}
"""Format → the function of ``sources/<format>.py`` that reads it into a :class:`Document`."""


def read_document(data: bytes, fmt: str, *, path: str | None = None) -> Document:
    """Read the bytes of a published document of format ``fmt`` (``html``, ``mhtml``, ``docx``, ``pdf``).

    Raises :class:`InputError` for a format govreport does not read (old ``.doc``, other archives), for
    a missing optional extra (naming the ``pip install`` to run) and for a damaged or hostile file.
    """
    reader_name = _READERS.get(fmt)
    if reader_name is not None:
        # the reader's module imports its library (lxml, pypdfium2) only when a file of its format comes
        try:
            module = importlib.import_module(f"{__name__}.{fmt}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{fmt}":
                raise
            raise InputError(f"this version of govreport has no reader for {fmt} files", path=path) from None
        reader: Callable[..., Document] = getattr(module, reader_name)
        return reader(data, path=path)
    if fmt == "doc":
        raise InputError(
            "this is a Word 97-2003 (.doc) file, an old binary format govreport does not read: convert it to "
            ".docx first, e.g. `soffice --headless --convert-to docx FILE` (LibreOffice) or Save As in Word",
            path=path,
        )
    if fmt == "zip":
        raise InputError(
            "this is a zip archive but not a Word (.docx) file: unpack it and read the reports inside", path=path
        )
    raise InputError(f"not a published-document format: {fmt!r}", path=path)
