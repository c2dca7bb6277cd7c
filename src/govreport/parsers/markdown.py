"""Markdown: pipe tables, tab tables under ``#`` headings (seed 004), pandoc simple tables."""

from __future__ import annotations

from lark import Token

from ..text.normalise import NormText
from ..text.sections import Layout
from ._base import GrammarParser, RowBuilder, token_position
from ._shapes import piped, table_share, table_text
from .rows import Row


class _MarkdownRows(RowBuilder):
    def pipe_row(self, children: list[Token]) -> Row:
        return self.pipe_row_text(*token_position(children))

    def pipe_row_text(self, text: str, line: int, column: int) -> Row:
        # the outer pipes of "| a | b |" open and close the row; they are not empty cells
        stripped = text.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            lead = text.index("|") + 1
            return self.fields_text(text[lead : text.rindex("|")], line, column + lead, "|")
        return self.fields_text(text, line, column, "|")

    def tab_row(self, children: list[Token]) -> Row:
        return self.tab_row_text(*token_position(children))

    def tab_row_text(self, text: str, line: int, column: int) -> Row:
        return self.fields_text(text, line, column, "\t")


class MarkdownParser(GrammarParser):
    name = "markdown"
    layout = "markdown"
    priority = 80
    description = "markdown (pipe tables, tab tables under # headings, pandoc simple tables)"
    grammar = "markdown"
    builder = _MarkdownRows

    def detect(self, doc: NormText, layout: Layout) -> float:
        pipes = table_share(doc, layout, piped) if "|" in table_text(doc, layout) else 0.0
        headings = sum(1 for r in layout.sections if doc.lines[r.heading_line].lstrip().startswith("#"))
        emphasis = "**" in "\n".join(doc.original_lines[:400])  # a newline parts lines: no "**" across them
        score = min(1.0, pipes * 2.0) * 0.8 + (0.15 if headings >= 3 else 0.0) + (0.05 if emphasis else 0.0)
        return min(1.0, score)
