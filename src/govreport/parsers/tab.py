"""Tab-separated copies of web tables: seeds 002 and 004."""

from __future__ import annotations

from typing import Any

from lark import Token

from ..text.normalise import NormText
from ..text.sections import Layout
from ._base import GrammarParser, RowBuilder, token_position
from ._shapes import ANY_TABBED, tabbed, table_share, table_text
from .rows import Row


class _TabRows(RowBuilder):
    def tab_row(self, children: list[Token]) -> Row:
        return self.tab_row_text(*token_position(children))

    def tab_row_text(self, text: str, line: int, column: int) -> Row:
        return self.fields_text(text, line, column, "\t")


class TabParser(GrammarParser):
    name = "tab"
    layout = "tab"
    priority = 90
    description = "tab-separated table rows copied from a web page or spreadsheet"
    grammar = "tab"
    builder = _TabRows

    def detect(self, doc: NormText, layout: Layout) -> float:
        if ANY_TABBED.search(table_text(doc, layout)) is None:
            return 0.0  # no line is tabbed
        return min(1.0, table_share(doc, layout, tabbed) * 2.0)


__all__: list[Any] = ["TabParser"]
