"""Tables drawn with box characters by text browsers (w3m) and ASCII grid tables."""

from __future__ import annotations

from lark import Token

from .._text import NormText
from ..rows import Row
from ..sections import Layout
from ._base import GrammarParser, RowBuilder, line_share, token_position
from ._shapes import ANY_BOX_CHAR, boxed, table_lines, table_text

_BARS = str.maketrans({"┃": "│", "|": "│", "├": "│", "┤": "│", "┼": "│", "╞": "│", "╡": "│", "╪": "│"})
_RULE_ONLY = frozenset("─━═┬┴┌┐└┘+-=: ")


class _BoxRows(RowBuilder):
    def box_row(self, children: list[Token]) -> Row:
        return self.box_row_text(*token_position(children))

    def box_row_text(self, text: str, line: int, column: int) -> Row:
        text = text.translate(_BARS)
        stripped = text.rstrip()
        lead = len(text) - len(text.lstrip())
        if stripped.lstrip().startswith("│"):
            lead = text.index("│") + 1
        end = stripped.rindex("│") if stripped.endswith("│") else len(text)
        row = self.fields_text(text[lead:end], line, column + lead, "│")
        # a row beside a rule (a merged cell next to "├────┼") keeps only its real fields
        items = tuple(it for it in row.items if not (set(it.text) <= _RULE_ONLY and any(ch in "─━═" for ch in it.text)))
        return Row(items, row.line)


class BoxParser(GrammarParser):
    name = "box"
    layout = "box"
    priority = 60
    description = "tables drawn with box-drawing characters (w3m) or ASCII grids"
    grammar = "box"
    builder = _BoxRows

    def detect(self, doc: NormText, layout: Layout) -> float:
        if ANY_BOX_CHAR.search(table_text(doc, layout)) is None:
            return 0.0  # no line is boxed
        lines = table_lines(doc, layout)
        return min(1.0, line_share(lines, boxed) * 1.5)
