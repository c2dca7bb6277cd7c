"""Markdown: pipe tables, tab tables under ``#`` headings (seed 004), pandoc simple tables, and raw
HTML ``<table>`` blocks (pandoc's markdown for tables with merged cells)."""

from __future__ import annotations

import attrs
from lark import Token

from ..text.normalise import NormText
from ..text.sections import Layout, table_regions
from ._base import GrammarParser, RowBuilder, token_position
from ._html_blocks import html_table_blocks, html_table_rows
from ._shapes import piped, table_share, table_text
from .rows import ParseResult, Row


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
    description = "markdown (pipe tables, tab tables under # headings, pandoc simple tables, raw HTML tables)"
    grammar = "markdown"
    builder = _MarkdownRows

    def parse(self, doc: NormText, layout: Layout, *, lalr: bool = False) -> ParseResult:
        """The grammar over the table regions, with raw ``<table>`` blocks read as HTML tables."""
        regions = table_regions(layout, len(doc.lines))
        blocks = {
            table_id: html_table_blocks(doc.lines, start, end)
            for table_id, (start, end) in regions.items()
            if any("<table" in line.lower() for line in doc.lines[start:end])
        }
        if not any(blocks.values()):
            return super().parse(doc, layout, lalr=lalr)
        # the grammar reads everything but the blocks (it would see tags); the blocks' rows go in between
        lines = list(doc.lines)
        for spans in blocks.values():
            for first, last in spans:
                lines[first : last + 1] = [""] * (last - first + 1)
        result = super().parse(attrs.evolve(doc, lines=tuple(lines)), layout, lalr=lalr)
        rows = dict(result.rows)
        noise = list(result.noise)
        count = result.region_lines
        for table_id, spans in blocks.items():
            extra = [row for first, last in spans for row in html_table_rows(doc, first, last)]
            rows[table_id] = tuple(sorted((*rows.get(table_id, ()), *extra), key=lambda r: r.line))
            used = {it.line for row in extra for it in row.items}
            for first, last in spans:
                count += last - first + 1
                noise += [(n, "HTML table markup") for n in range(first, last + 1) if n not in used]
        return attrs.evolve(result, rows=rows, noise=tuple(noise), region_lines=count)

    def detect(self, doc: NormText, layout: Layout) -> float:
        pipes = table_share(doc, layout, piped) if "|" in table_text(doc, layout) else 0.0
        headings = sum(1 for r in layout.sections if doc.lines[r.heading_line].lstrip().startswith("#"))
        emphasis = "**" in "\n".join(doc.original_lines[:400])  # a newline parts lines: no "**" across them
        score = min(1.0, pipes * 2.0) * 0.8 + (0.15 if headings >= 3 else 0.0) + (0.05 if emphasis else 0.0)
        return min(1.0, score)
