"""The hot-path row builders give exactly the rows of their plain reference forms kept here.

The builders of ``govreport.parsers`` were rewritten for speed (one regex split instead of a
translate, fewer Python calls per field, a scanner driven by ``finditer``). The simple forms they
replaced live on below as subclasses of the very builders, and every layout grammar is run over every
known input and over generated lines with both: the rows must be identical, spans included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govreport._api import _prepare
from govreport.parsers import box, markdown, tab, word_cells
from govreport.parsers._base import _BASE_LINE, GrammarParser, RowBuilder, table_regions
from govreport.parsers._scanner import LineScanner, ScanError
from govreport.parsers.rows import TEXT, Item, Row, classify, split_items
from govreport.registry import list_parsers

from .conftest import all_inputs, input_id


def _ref_split_items(text: str, line: int, offset: int) -> list[Item]:
    out: list[Item] = []
    pos = 0
    last_text = False
    for tok in text.split():
        pos = text.find(tok, pos)
        start = offset + pos
        pos += len(tok)
        kind = classify(tok)
        if kind == TEXT:
            if last_text:
                prev = out[-1]
                out[-1] = Item(TEXT, prev.text + " " + tok, line, prev.start, offset + pos)
                continue
            last_text = True
        else:
            last_text = False
        out.append(Item(kind, tok, line, start, offset + pos))
    return out


def _ref_fields_text(text: str, line: int, column: int, sep: str) -> Row:
    line = _BASE_LINE.get() + line - 1
    col = column - 1
    items: list[Item] = []
    pos = 0
    for field in text.split(sep):
        stripped = field.strip()
        start = col + pos + (field.index(stripped[:1]) if stripped else 0)
        kind = classify(stripped)
        if kind == TEXT and classify(stripped.rsplit(None, 1)[-1]) != TEXT:
            items.extend(_ref_split_items(field, line, col + pos))
        else:
            items.append(Item(kind, stripped, line, start, start + len(stripped)))
        pos += len(field) + len(sep)
    return Row(tuple(items), line)


class _RefRows(RowBuilder):
    def text_row_text(self, text: str, line: int, column: int) -> Row:
        stripped = text.strip()
        start = column - 1 + text.index(stripped[:1]) if stripped else column - 1
        line = _BASE_LINE.get() + line - 1
        return Row((Item(TEXT, stripped, line, start, start + len(stripped)),), line)

    def cells_row_text(self, text: str, line: int, column: int) -> Row:
        line = _BASE_LINE.get() + line - 1
        return Row(tuple(_ref_split_items(text, line, column - 1)), line)

    def fields_text(self, text: str, line: int, column: int, sep: str) -> Row:
        return _ref_fields_text(text, line, column, sep)


_BARS = str.maketrans({"┃": "│", "|": "│", "├": "│", "┤": "│", "┼": "│", "╞": "│", "╡": "│", "╪": "│"})
_RULE_ONLY = frozenset("─━═┬┴┌┐└┘+-=: ")


class _RefBoxRows(_RefRows, box._BoxRows):
    def box_row_text(self, text: str, line: int, column: int) -> Row:
        text = text.translate(_BARS)
        stripped = text.rstrip()
        lead = len(text) - len(text.lstrip())
        if stripped.lstrip().startswith("│"):
            lead = text.index("│") + 1
        end = stripped.rindex("│") if stripped.endswith("│") else len(text)
        row = _ref_fields_text(text[lead:end], line, column + lead, "│")
        items = tuple(it for it in row.items if not (set(it.text) <= _RULE_ONLY and any(ch in "─━═" for ch in it.text)))
        return Row(items, row.line)


class _RefCellRows(_RefRows, word_cells._CellRows):
    def cells_text(self, text: str, line: int, column: int) -> Row:
        first = self._doc_line(line)
        items = []
        for n, raw in enumerate(text.rstrip("\n").split("\n")):
            text = raw[1:]
            stripped = text.strip()
            start = 1 + (text.index(stripped[:1]) if stripped else 0)
            items.append(Item(classify(stripped), stripped, first + n, start, start + len(stripped)))
        return Row(tuple(items), first)


class _RefTabRows(_RefRows, tab._TabRows):
    pass


class _RefMarkdownRows(_RefRows, markdown._MarkdownRows):
    pass


_REFERENCE: dict[str, type[RowBuilder]] = {
    "space": _RefRows,
    "tab": _RefTabRows,
    "markdown": _RefMarkdownRows,
    "word_cells": _RefCellRows,
    "box": _RefBoxRows,
}


class _RefScanner(LineScanner):
    """The scanner's first form: one ``match`` per token, callbacks looked up by terminal name."""

    def scan(self, text: str) -> Any:
        names = {index: name for name, index in self._pattern.groupindex.items()}
        out: list[Any] = []
        pos = 0
        line = 1
        while pos < len(text):
            m = self._pattern.match(text, pos)
            if m is None or m.end() == pos:
                raise ScanError(pos, line)
            rule = self._rules[names[m.lastindex or 0]]
            if rule is not None:
                col = 1 if pos == 0 or text[pos - 1] == "\n" else pos - text.rfind("\n", 0, pos)
                out.append(getattr(self._builder, f"{rule}_text")(m.group(), line, col))
            line += text.count("\n", pos, m.end())
            pos = m.end()
        return self._builder.start(out)


def _pairs() -> list[tuple[GrammarParser, LineScanner, LineScanner]]:
    out = []
    for p in list_parsers():
        if isinstance(p, GrammarParser) and p.name in _REFERENCE:
            fast = p.scanner()
            ref = _RefScanner.from_lark(p.lark(), _REFERENCE[p.name]())
            assert fast is not None and ref is not None
            out.append((p, fast, ref))
    return out


def test_every_reference_builder_is_used() -> None:
    assert {p.name for p, _, _ in _pairs()} == set(_REFERENCE)


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_builders_match_their_reference_on_real_text(path: Path) -> None:
    prep = _prepare(path.read_bytes(), str(path))
    doc = prep.doc
    regions = list(table_regions(prep.layout, len(doc.lines)).values()) or [(0, len(doc.lines))]
    for p, fast, ref in _pairs():
        for start, end in regions:
            text = "\n".join(doc.lines[start:end]) + "\n"
            token = _BASE_LINE.set(start)
            try:
                assert fast.scan(text) == ref.scan(text), (p.name, start)
            finally:
                _BASE_LINE.reset(token)


_PIECES = list("0123456789 \t|│┃├┤┼╞╡╪─━═┬+-=:./,—－／无不适用NnAa一、申请\\\u3000\x0b\x1c\u2028\u0663")
_LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "│ （一）予以公开 │ 0 │ 0 │",
            "│             ├────┼────┤",
            "├────┼────┤",
            "| 规章 | 0 | 1 | 3 |",
            "行政许可 | 0",
            "\t\t4.保护第三方合法权益\t0\t0\t0",
            "\t　　58",
            "\t",
            "收费金额 6,356.8000 / — 无 不适用 N/A",
            "一、本年新收政府信息公开申请数量 22 0 0 0 0 0 22",
        ]
    ),
    st.text(alphabet=st.sampled_from(_PIECES), max_size=40),
    st.text(max_size=12),
)


@given(st.text(alphabet=st.sampled_from(_PIECES), max_size=40) | st.text(max_size=20), st.integers(0, 3))
def test_split_items_matches_its_reference(text: str, offset: int) -> None:
    assert split_items(text, 7, offset) == _ref_split_items(text, 7, offset)


@given(st.lists(_LINE, max_size=20), st.booleans())
def test_builders_match_their_reference_on_generated_lines(lines: list[str], trailing_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    for p, fast, ref in _pairs():
        expected: Any = None
        failed: tuple[int, int] | None = None
        try:
            expected = ref.scan(text)
        except ScanError as e:
            failed = (e.pos, e.line)
        if failed is None:
            assert fast.scan(text) == expected, p.name
        else:
            with pytest.raises(ScanError) as got:
                fast.scan(text)
            assert (got.value.pos, got.value.line) == failed, p.name
