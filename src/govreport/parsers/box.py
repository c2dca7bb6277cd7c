"""Tables drawn with box characters by text browsers (w3m) and ASCII grid tables."""

from __future__ import annotations

import re

import attrs
from lark import Token

from ..text.normalise import NormText
from ..text.sections import Layout
from ._base import GrammarParser, RowBuilder, field_items, token_position
from ._shapes import any_box_char, boxed_share, table_text
from .rows import BLANK, TEXT, Item, ParseResult, Row, classify

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


_RULE_MARKS = ("─", "━", "═")
_ASCII_RULE = re.compile(r"^[ \t]*[+|][-=:+ |]*[-=][-=:+ |]*$")


def _fields(text: str) -> list[tuple[str, int]] | None:
    """The fields of a box line between its bars, each with its column; ``None`` for a rule or a
    line beside one (it closes the ruled row above it) and for a line with no bar."""
    if any(m in text for m in _RULE_MARKS) or _ASCII_RULE.match(text) or not _BAR.search(text):
        return None
    stripped = text.rstrip()
    lead = len(stripped) - len(stripped.lstrip())
    if stripped[lead] in _BAR_CHARS:
        lead += 1
    end = len(stripped) - 1 if stripped[-1] in _BAR_CHARS else len(text)
    out: list[tuple[str, int]] = []
    col = lead
    for field in _BAR.split(text[lead:end]):
        out.append((field, col))
        col += len(field) + 1
    return out


def _merge_ruled_rows(doc: NormText, rows: tuple[Row, ...]) -> tuple[tuple[Row, ...], list[tuple[int, str]]]:
    """Join the text lines of one ruled row cell by cell: the ruled row is the unit, not the line.

    w3m wraps a cell's content onto more lines inside one ruled row — a long label, or a value under
    full-width padding (``　　`` on the first line, ``3`` on the next). Read line by line, such a row
    has cells in the wrong places (``PARSE.WIDTH``) or, worse, a blank read where a number stands.
    Consecutive bar lines with the same fields and no rule between them are one row: each field's
    pieces are read top to bottom, and pieces that together make one number are one value. When two
    of the lines each hold several numbers, the lines are rows of a table drawn without rules between
    its rows, and they stay apart. Returns the rows and the lines that only continued a row (noise).
    """
    out: list[Row] = []
    noise: list[tuple[int, str]] = []
    k = 0
    while k < len(rows):
        first = rows[k]
        if k + 1 == len(rows) or rows[k + 1].line != first.line + 1:
            out.append(first)  # the common row: a rule follows it
            k += 1
            continue
        fields = _fields(doc.lines[first.line])
        block = [(first, fields)] if fields is not None else []
        j = k + 1
        while fields is not None and j < len(rows) and rows[j].line == block[-1][0].line + 1:
            nxt = _fields(doc.lines[rows[j].line])
            if nxt is None or len(nxt) != len(fields):
                break
            block.append((rows[j], nxt))
            j += 1
        merged = _merge_block(block) if len(block) > 1 else None
        if merged is None:
            out.append(first)
            k += 1
            continue
        out.append(merged)
        used = {it.line for it in merged.items}
        noise.extend((r.line, "box cell continued") for r, _ in block if r.line not in used)
        k = j
    return tuple(out), noise


def _merge_block(block: list[tuple[Row, list[tuple[str, int]]]]) -> Row | None:
    merged: list[Item] = []
    for j in range(len(block[0][1])):
        filled = [(row.line, block_fields[j]) for row, block_fields in block if block_fields[j][0].strip()]
        if not filled:
            line, (field, col) = block[0][0].line, block[0][1][j]
            merged.append(Item(BLANK, "", line, col, col))
            continue
        if len(filled) == 1:
            line, (field, col) = filled[0]
            merged.extend(field_items([field], line, col, 1))
            continue
        pieces = [it for line, (field, col) in filled for it in field_items([field], line, col, 1)]
        values = [it for it in pieces if it.kind != TEXT]
        if len(values) > 1 and all(classify(it.text) != TEXT for it in values):
            return None  # two whole values in one cell: rows of a table drawn without rules between them
        joined = "".join(it.text for it in pieces)
        if values and classify(joined) != TEXT:
            # one value wrapped inside its cell ("1," over "066"): one item, where it starts
            head = pieces[0]
            merged.append(Item(classify(joined), joined, head.line, head.start, head.end))
        else:
            merged.extend(pieces)
    return Row(tuple(merged), block[0][0].line)


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

    def parse(self, doc: NormText, layout: Layout, *, lalr: bool = False) -> ParseResult:
        result = super().parse(doc, layout, lalr=lalr)
        rows: dict[str, tuple[Row, ...]] = {}
        noise = list(result.noise)
        for table_id, table_rows in result.rows.items():
            rows[table_id], continued = _merge_ruled_rows(doc, table_rows)
            noise.extend(continued)
        return attrs.evolve(result, rows=rows, noise=tuple(sorted(noise)))
