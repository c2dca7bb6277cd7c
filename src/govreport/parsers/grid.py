"""The tables of a published document (HTML, DOCX, PDF), whose cells the document itself separates.

A document's grids are laid out one row per line by :func:`govreport.text.document.document_text`;
this parser hands each row's cells to the shared assembler as they are — one item per cell, a merged
cell once (at its top-left position), an empty cell as a blank — so nothing is split or guessed from
text. Rows are taken per table region exactly as the text parsers take lines, so the sections decide
which grid rows are Table 2, 3 or 4, however the document splits or repeats its tables.
"""

from __future__ import annotations

from typing import ClassVar

from ..text.document import DocumentText
from ..text.normalise import NormText
from ..text.sections import Layout, table_regions
from .rows import TEXT, Item, ParseResult, Row, classify

__all__ = ["GridParser"]

_tuple_new = tuple.__new__


class GridParser:
    """Reads the grids of a :class:`~govreport.text.document.DocumentText`; detects 0 on plain text."""

    name: ClassVar[str] = "grid"
    layout: ClassVar[str] = "grid"
    # tried first on a document (detect 1.0), never on text (detect 0): a document's own cells beat any
    # text reading of them
    priority: ClassVar[int] = 110
    version_added: ClassVar[str] = "0.2"
    description: ClassVar[str] = "the tables of a web page, Word file or PDF, cell by cell as the document draws them"

    def detect(self, doc: NormText, layout: Layout) -> float:
        if not isinstance(doc, DocumentText) or not doc.grid_lines:
            return 0.0
        regions = table_regions(layout, len(doc.lines)).values()
        return 1.0 if any(start <= n < end for n in doc.grid_lines for start, end in regions) else 0.0

    def parse(self, doc: NormText, layout: Layout) -> ParseResult:
        grid_lines = doc.grid_lines if isinstance(doc, DocumentText) else {}
        rows: dict[str, tuple[Row, ...]] = {}
        count = 0
        for table_id, (start, end) in table_regions(layout, len(doc.lines)).items():
            out: list[Row] = []
            for n in range(start, end):
                grid_line = grid_lines.get(n)
                if grid_line is not None:
                    items = tuple(
                        _tuple_new(Item, (classify(text), text, n, s, e))
                        for s, e, text, anchor, _ in grid_line.cells
                        if anchor
                    )
                    if items:
                        out.append(_tuple_new(Row, (items, n)))
                        count += 1
                elif doc.lines[n].strip():
                    # prose between a document's tables (a caption, a note): label text, as the text parsers keep it
                    line = doc.lines[n]
                    stripped = line.strip()
                    s = line.index(stripped[0])
                    out.append(_tuple_new(Row, ((_tuple_new(Item, (TEXT, stripped, n, s, s + len(stripped))),), n)))
                    count += 1
            rows[table_id] = tuple(out)
        return ParseResult(rows, (), (), count)
