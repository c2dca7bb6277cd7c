"""The grammar-compiled scanner gives exactly the rows Lark's LALR parser gives (the grammar is the spec)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark import Lark
from lark.exceptions import LarkError

from govreport._api import _prepare
from govreport.parsers._base import GrammarParser, RowBuilder
from govreport.parsers._scanner import LineScanner, ScanError
from govreport.parsers._shapes import (
    _CELLS_AT_END,
    _WORD_CELL_LINE,
    ANY_BOX_CHAR,
    ANY_TABBED,
    BOX_CHARS,
    any_box_char,
    boxed,
    boxed_share,
    spaced_cells,
    tabbed,
    table_share,
    word_cell,
)
from govreport.registry import list_parsers

from .conftest import all_inputs, input_id


def _grammar_parsers() -> list[GrammarParser]:
    return [p for p in list_parsers() if isinstance(p, GrammarParser)]


def test_every_built_in_grammar_compiles_to_a_scanner() -> None:
    parsers = _grammar_parsers()
    assert {p.name for p in parsers} >= {"space", "tab", "markdown", "word_cells", "box"}
    for p in parsers:
        assert p.scanner() is not None, p.name


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_scanner_matches_lalr_on_real_text(path: Path) -> None:
    prep = _prepare(path.read_bytes(), str(path))
    for p in _grammar_parsers():
        assert p.parse(prep.doc, prep.layout) == p.parse(prep.doc, prep.layout, lalr=True), p.name


_LINE = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "一、本年新收政府信息公开申请数量 22 0 0 0 0 0 22",
            "\t\t4.保护第三方合法权益\t0\t0\t0",
            "| 规章 | 0 | 1 | 3 |",
            "|---|:--:|---|",
            "│ （一）予以公开 │ 0 │ 0 │",
            "├────┼────┤",
            "+-----+-----+",
            "\t行政许可",
            "\t",
            "\t　　58",
            "三、本年度办理",
            "0 0 0 0 0 0 0",
            "收费金额 6,356.8000 / — 无",
            "  ------  -----",
        ]
    ),
    st.text(alphabet=st.sampled_from(list("0123456789 \t|│─┼+-./—无一、申请\\")), max_size=30),
)


@given(st.lists(_LINE, max_size=25), st.booleans())
def test_scanner_matches_lalr_on_generated_lines(lines: list[str], trailing_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    if not text:
        return
    for p in _grammar_parsers():
        scanner = p.scanner()
        assert scanner is not None
        try:
            expected = p.lark().parse(text)
        except LarkError:  # the scanner must fail where Lark fails
            with pytest.raises(ScanError):
                scanner.scan(text)
            continue
        assert scanner.scan(text) == expected, p.name


@pytest.mark.parametrize(
    "grammar",
    [
        "start: row+\nrow: /[^\\n]+\\n*/",  # not a star of single-terminal lines
        'start: _line*\n_line: pair | _NL\npair: WORD WORD\nWORD: /\\w+/\n_NL: /\\n+/\n%ignore " "',
        'start: _line*\n_line: word | _NL\nword: WORD\nWORD: /\\w+/\n_NL: /\\n+/\n%ignore " "',
    ],
)
def test_grammars_of_another_shape_get_no_scanner(grammar: str) -> None:
    class Builder(RowBuilder):
        def row(self, children: list[object]) -> object:
            return children

        def pair(self, children: list[object]) -> object:
            return children

        def word(self, children: list[object]) -> object:
            return children

    lark = Lark(grammar, parser="lalr", lexer="contextual", transformer=Builder())
    assert LineScanner.from_lark(lark, Builder()) is None


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.+-/—a无\u3000")), max_size=40))
def test_spaced_cells_answers_like_its_reference_regex(line: str) -> None:
    """``spaced_cells`` is the linear-time form of ``_CELLS_AT_END.search`` (which is quadratic)."""
    assert spaced_cells(line) == (_CELLS_AT_END.search(line) is not None)


@given(st.lists(st.text(alphabet=st.sampled_from(list("\t a0|│\u3000\x0b")), max_size=8), max_size=12))
def test_word_cell_share_counts_like_word_cell(lines: list[str]) -> None:
    """The regex behind ``word_cell_share`` accepts exactly the lines ``word_cell`` accepts."""
    text = "\n" + "\n".join(lines)
    assert len(_WORD_CELL_LINE.findall(text)) == sum(map(word_cell, lines))


@given(st.lists(st.text(alphabet=st.sampled_from(list("\t a0|\u3000")), min_size=1, max_size=8), max_size=12))
def test_any_tabbed_finds_a_line_exactly_when_tabbed_does(lines: list[str]) -> None:
    """``ANY_TABBED`` rules the tab layout out over the joined text only when no line is ``tabbed``."""
    assert (ANY_TABBED.search("\n".join(lines)) is not None) == any(map(tabbed, lines))


@given(st.text(alphabet=st.sampled_from([*sorted(BOX_CHARS), "a", " ", "\n", "—", "-", "|"]), max_size=20))
def test_any_box_char_answers_like_its_regex(text: str) -> None:
    assert any_box_char(text) == (ANY_BOX_CHAR.search(text) is not None)


@pytest.mark.parametrize("path", all_inputs()[:12], ids=input_id)
def test_box_share_counts_like_boxed(path: Path) -> None:
    prep = _prepare(path.read_bytes(), str(path))
    assert boxed_share(prep.doc, prep.layout) == table_share(prep.doc, prep.layout, boxed)
