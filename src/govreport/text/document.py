"""A published document as the text the pipeline reads, with its grids kept cell by cell.

:func:`document_text` lays a :class:`~govreport.sources.document.Document` out as lines: each
paragraph line as it is, each grid row as one line of its cells separated by tabs (a position covered
by a merged cell left empty). The result is a :class:`DocumentText`, which *is* a
:class:`~govreport.text.normalise.NormText` — sections, title, organ, year, the narrative checks and
every text parser read it like any text — and which also keeps, for each grid row, the row's cells as
:class:`~govreport.parsers.rows.Item` s and each cell's :class:`~govreport.diagnostics.Origin`. The
grid parser (``parsers/grid.py``) hands those rows straight to the shared assembler: cells the
document itself separated are never re-split from text.

Positions: a cell's :class:`~govreport.diagnostics.SourceSpan` is in this text (``DocumentText.source``),
and :meth:`DocumentText.origin_of` maps it to the place in the document.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..diagnostics import Origin, SourceSpan, make_origin
from ..sources.document import Document, Grid, Paragraph
from .normalise import NormText, normalise

__all__ = ["DocumentText", "GridLine", "document_text"]


@attrs.frozen
class GridLine:
    """One grid row of the document text: per position its normalised ``(start, end)`` columns, text,
    whether it anchors its cell, and the cell's origin."""

    grid: int
    cells: tuple[tuple[int, int, str, bool, Origin], ...]


@attrs.frozen
class DocumentText(NormText):
    """:class:`NormText` of a published document, plus its grid rows and where every piece came from."""

    document: Document | None = attrs.field(default=None, eq=False, repr=False)
    grid_lines: Mapping[int, GridLine] = attrs.field(factory=dict, eq=False, repr=False)
    """0-based line → the grid row laid out on it."""
    line_origins: Mapping[int, Origin] = attrs.field(factory=dict, eq=False, repr=False)
    """0-based line → the origin of the paragraph or grid row on it."""
    cell_origins: Mapping[tuple[int, int], Origin] = attrs.field(factory=dict, eq=False, repr=False)
    """``(line, column)`` of a cell's span (1-based, as :class:`SourceSpan`) → the cell's origin."""

    @property
    def source(self) -> str:
        """The document's text as laid out here: what every span of a report from it points into."""
        return "\n".join(self.original_lines)

    def origin_of(self, span: SourceSpan | None) -> Origin | None:
        """The document place of a span: the cell that starts there, else the row or paragraph of its line."""
        if span is None:
            return None
        found = self.cell_origins.get((span.line, span.column))
        return found if found is not None else self.line_origins.get(span.line - 1)


def _cell_text(text: str) -> str:
    # a cell is one field of its line: its own line breaks and tabs become spaces
    return " ".join(text.replace("\t", " ").split("\n")).strip()


def document_text(document: Document) -> DocumentText:
    """Lay ``document`` out as text (see the module docstring) and normalise it."""
    lines: list[str] = []
    rows: dict[int, tuple[int, tuple[tuple[str, bool, Origin], ...]]] = {}
    line_origins: dict[int, Origin] = {}
    grid_no = 0
    for block in document.blocks:
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                line_origins[len(lines)] = block.origin
                lines.append(part.replace("\t", " "))
        elif isinstance(block, Grid):
            grid_no += 1
            for row in block.rows:
                if not row:
                    continue
                fields = tuple(
                    (
                        (t if t.isalnum() else _cell_text(t)) if (anchor := c.anchor) and (t := c.text) else "",
                        anchor,
                        c.origin,
                    )
                    for c in row
                )
                first = row[0].origin
                rows[len(lines)] = (grid_no, fields)
                line_origins[len(lines)] = (
                    make_origin(first.table, first.row, None, None)
                    if first.page is None
                    else Origin(first.table, first.row, None, first.page, None, None)
                )
                lines.append("\t".join(f[0] for f in fields))
    doc = normalise("\n".join(lines), encoding=document.encoding)
    grid_lines: dict[int, GridLine] = {}
    cell_origins: dict[tuple[int, int], Origin] = {}
    original_lines = doc.original_lines
    for n, (grid, fields) in rows.items():
        norm = doc.lines[n]
        parts = norm.split("\t")
        if len(parts) != len(fields):  # blanked as page furniture: nothing of the row is left to read
            continue
        # nothing folded away on the line: a cell's span starts at its own column (doc.span's common case)
        same = len(original_lines[n]) == len(norm)
        cells = []
        pos = 0
        for part, (_, anchor, origin) in zip(parts, fields, strict=True):
            stripped = part.strip()
            start = pos if stripped == part else pos + (part.index(stripped[0]) if stripped else 0)
            end = start + len(stripped)
            cells.append((start, end, stripped, anchor, origin))
            if anchor:
                if same:
                    cell_origins[(n + 1, start + 1)] = origin
                else:
                    span = doc.span(n, start, end)
                    cell_origins[(span.line, span.column)] = origin
            pos += len(part) + 1
        grid_lines[n] = GridLine(grid, tuple(cells))
    return DocumentText(
        doc.original_lines,
        doc.lines,
        doc.noise,
        doc.encoding,
        document=document,
        grid_lines=grid_lines,
        line_origins=line_origins,
        cell_origins=cell_origins,
    )
