"""What every document reader (HTML, DOCX, PDF) hands to the rest of the pipeline.

A reader turns a published document into a :class:`Document`: its blocks in reading order, each
either a :class:`Paragraph` of prose or a :class:`Grid` — a table whose cells the document itself
separated, with merged cells already expanded so that every row has one :class:`GridCell` per grid
column. Nothing here knows the report template: mapping cells onto it is the shared assembler's job,
exactly as for text input.

Every paragraph and cell carries an :class:`Origin`, a format-neutral place in the document (table,
row and column of the grid; page and box for PDF; source line for HTML), which the report keeps per
cell and which ``explain``, the diagnostics and the JSON export show.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ..diagnostics import Box, Origin

__all__ = ["Box", "Document", "Grid", "GridCell", "Origin", "Paragraph"]


@attrs.frozen
class GridCell:
    """One position of an expanded grid.

    ``text`` is the cell's text with white space as printed (line breaks inside a cell as ``\\n``).
    ``anchor`` is ``False`` for a position covered by a merged cell whose top-left position is
    elsewhere; such a position repeats the merged cell's ``text`` and ``origin``.
    """

    text: str
    origin: Origin
    anchor: bool = True


# the slots' own setters (also for the grid expansion, which inlines them)
_cell_setters = tuple(GridCell.__dict__[f].__set__ for f in ("text", "origin", "anchor"))
_set_text, _set_origin, _set_anchor = _cell_setters


def make_grid_cell(text: str, origin: Origin, anchor: bool = True) -> GridCell:
    """``GridCell(text, origin, anchor)`` for the readers' hot path (one per grid position)."""
    cell = object.__new__(GridCell)
    _set_text(cell, text)
    _set_origin(cell, origin)
    _set_anchor(cell, anchor)
    return cell


@attrs.frozen
class Grid:
    """A table as the document draws it: rows of equal length after merged cells are expanded."""

    rows: tuple[tuple[GridCell, ...], ...]
    origin: Origin = attrs.field(factory=Origin)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@attrs.frozen
class Paragraph:
    """A run of prose (a heading, a paragraph, a list item) outside any table."""

    text: str
    origin: Origin = attrs.field(factory=Origin)


_set_para_text, _set_para_origin = (Paragraph.__dict__[f].__set__ for f in ("text", "origin"))


def make_paragraph(text: str, origin: Origin) -> Paragraph:
    """``Paragraph(text, origin)`` for the readers' hot path (one per line of prose)."""
    para = object.__new__(Paragraph)
    _set_para_text(para, text)
    _set_para_origin(para, origin)
    return para


Block = Paragraph | Grid


@attrs.frozen
class Document:
    """A document read into blocks, plus how it was read.

    ``format`` is ``"html"``, ``"mhtml"``, ``"docx"`` or ``"pdf"``; ``reader`` names the library and mode that
    read it (``"lxml"``, ``"html.parser"``, ``"pypdfium2"`` …); ``encoding`` is the character
    encoding the bytes were decoded with, where that applies.
    """

    format: str
    reader: str
    blocks: tuple[Block, ...]
    encoding: str | None = None

    def grids(self) -> Iterator[Grid]:
        return (b for b in self.blocks if isinstance(b, Grid))
