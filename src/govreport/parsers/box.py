"""Tables drawn with box characters by text browsers (w3m) and ASCII grid tables."""

from __future__ import annotations

import re

from lark import Token

from ..text.normalise import NormText
from ..text.sections import Layout
from ._base import GrammarParser, RowBuilder, field_items, token_position
from ._shapes import any_box_char, boxed_share, table_text
from .rows import Item, Row

# Every bar that parts two cells: "│", its heavy and ASCII forms, and the junctions of a row that runs
# beside a rule. A split on all of them at once rather than str.translate to "│" first: translate
# with a table costs about 8 µs a row on these (non-Latin-1) lines.
_BAR_CHARS = "│┃|├┤┼╞╡╪"
_BAR = re.compile(f"[{_BAR_CHARS}]")
_RULE_ONLY = frozenset("─━═┬┴┌┐└┘+-=: ")
_tuple_new = tuple.__new__


class _BoxRows(RowBuilder):
    def box_row(self, children: list[Token]) -> Row:
        return self.box_row_text(*token_position(children))

    def box_row_text(self, text: str, line: int, column: int) -> Row:
        stripped = text.rstrip()  # not empty: the token holds a bar
        lead = len(stripped) - len(stripped.lstrip())
        if stripped[lead] in _BAR_CHARS:
            lead += 1
        end = len(stripped) - 1 if stripped[-1] in _BAR_CHARS else len(text)
        line = self._doc_line(line)
        fields = _BAR.split(text[lead:end])
        col = column - 1 + lead
        if "─" not in text and "━" not in text and "═" not in text:
            return _tuple_new(Row, (tuple(field_items(fields, line, col, 1)), line))
        # a row beside a rule (a merged cell next to "├────┼") keeps only its real fields
        items: list[Item] = []
        for field in fields:
            # a run of rule marks between spaces would be one label item that the filter drops anyway
            if field.strip(" ─━═") or not field.strip(" "):
                items.extend(it for it in field_items([field], line, col, 1) if not _rule_piece(it[1]))
            col += len(field) + 1
        return _tuple_new(Row, (tuple(items), line))


def _rule_piece(text: str) -> bool:
    return ("─" in text or "━" in text or "═" in text) and _RULE_ONLY.issuperset(text)


class BoxParser(GrammarParser):
    name = "box"
    layout = "box"
    priority = 60
    description = "tables drawn with box-drawing characters (w3m) or ASCII grids"
    grammar = "box"
    builder = _BoxRows

    def detect(self, doc: NormText, layout: Layout) -> float:
        if not any_box_char(table_text(doc, layout)):
            return 0.0  # no line is boxed
        return min(1.0, boxed_share(doc, layout) * 1.5)
