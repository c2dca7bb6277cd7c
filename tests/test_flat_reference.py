"""The flat parser's fast paths agree with the simple algorithms they replace (issue #8).

Each fast path is checked against its reference over every known input and over generated text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govreport import _api
from govreport._text import fold
from govreport.parsers.flat import _NOT_LEXED, FlatParser, _plain_region, _regions

from .conftest import all_inputs, input_id

# the characters that matter to the region lexer: digits, placeholders, signs, separators, labels and
# every kind of white space (some the grammar knows, some it raises on)
_REGION_CHARS = st.sampled_from(list("0123456789/—－\\+-,.、（）一二计 \t\n\u3000\u00a0\r\x1f\x0b\uff11\u2161\u2f00"))


def _lexed(sub: str, a: int) -> object:
    try:
        return FlatParser()._lexed_region(sub, a)
    except Exception as e:  # the grammar raises on white space it has no terminal for
        return type(e)


def _fast(sub: str, a: int) -> object:
    parser = FlatParser()
    try:
        return parser._region(" " * a + sub, (a, a + len(sub)))
    except Exception as e:
        return type(e)


@given(st.lists(_REGION_CHARS, max_size=60).map("".join), st.integers(0, 5))
def test_region_without_the_grammar_is_the_grammar_region(sub: str, a: int) -> None:
    assert _fast(sub, a) == _lexed(sub, a)


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_regions_of_known_inputs_match_the_grammar(path: Path) -> None:
    doc = _api._prepare(path.read_bytes(), None).doc
    for a, b in _regions(doc.text).values():
        sub = doc.text[a:b]
        assert _fast(sub, a) == _lexed(sub, a)
        if _NOT_LEXED.search(sub) is None and fold(sub) == sub:
            assert _plain_region(sub, a) == _lexed(sub, a)
