"""Word export with one cell per line (seed 001)."""

from __future__ import annotations

from lark import Token

from .._text import NormText
from ..rows import Item, Row, classify
from ..sections import Layout
from ._base import GrammarParser, RowBuilder, line_share, token_position
from ._shapes import table_lines, table_text, word_cell


class _CellRows(RowBuilder):
    def cells(self, children: list[Token]) -> Row:
        return self.cells_text(*token_position(children))

    def cells_text(self, text: str, line: int, column: int) -> Row:
        first = self._doc_line(line)
        items = []
        for n, raw in enumerate(text.rstrip("\n").split("\n")):
            text = raw[1:]  # the tab that leads every cell line
            stripped = text.strip()
            start = 1 + (text.index(stripped[:1]) if stripped else 0)
            items.append(Item(classify(stripped), stripped, first + n, start, start + len(stripped)))
        return Row(tuple(items), first)


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
        lines = table_lines(doc, layout)
        return min(1.0, line_share(lines, word_cell) * 1.6)
