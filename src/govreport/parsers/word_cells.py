"""Word export with one cell per line (seed 001)."""

from __future__ import annotations

from lark import Token

from ..text.normalise import NormText
from ..text.sections import Layout
from ._base import GrammarParser, RowBuilder, token_position
from ._shapes import table_text, word_cell_share
from .rows import BLANK, CELL, Item, Row, classify

_tuple_new = tuple.__new__


class _CellRows(RowBuilder):
    def cells(self, children: list[Token]) -> Row:
        return self.cells_text(*token_position(children))

    def cells_text(self, text: str, line: int, column: int) -> Row:
        first = self._doc_line(line)
        items: list[Item] = []
        append = items.append
        for n, raw in enumerate(text.rstrip("\n").split("\n"), first):
            # raw[0] is the tab that leads every cell line: white space, so strip() drops it with the rest
            stripped = raw.strip()
            if not stripped:
                append(_tuple_new(Item, (BLANK, "", n, 1, 1)))
                continue
            start = raw.index(stripped[0])
            kind = CELL if stripped.isdigit() and stripped.isascii() else classify(stripped)
            append(_tuple_new(Item, (kind, stripped, n, start, start + len(stripped))))
        return _tuple_new(Row, (tuple(items), first))


class WordCellsParser(GrammarParser):
    name = "word_cells"
    layout = "word_cells"
    priority = 70
    description = "Word export with every table cell on its own tab-led line"
    grammar = "word_cells"
    builder = _CellRows

    def detect(self, doc: NormText, layout: Layout) -> float:
        if "\t" not in table_text(doc, layout):
            return 0.0  # no line is a tab-led cell
        return min(1.0, word_cell_share(doc, layout) * 1.6)
