"""The flat parser's fast paths agree with the simple algorithms they replace (issue #8).

Each fast path is checked against its reference over every known input and over generated text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import govreport
from govreport import _api
from govreport.model import LazyRows
from govreport.parsers.flat import _GLUED, FlatParser, _plain_region, _Region, _regions
from govreport.text.normalise import fold

from .conftest import SEEDS, all_inputs, input_id
from .test_flat import flatten
from .truthdata import assert_passes_full_checks, read_truth, report_from_truth

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
        plain = _plain_region(sub, a)
        if plain is not None and fold(sub) == sub:
            assert plain == _lexed(sub, a)


def _flattened_seeds() -> list[str]:
    return [flatten(report_from_truth(read_truth(p))) for p in sorted((SEEDS / "truth").glob("*.json"))]


@pytest.mark.parametrize("text", _flattened_seeds()[:6] if (SEEDS / "truth").is_dir() else [])
def test_flat_tables_pass_the_checks_they_skipped(text: str) -> None:
    """The flat parser builds its cells and tables unchecked (plain counts deferred): all must pass the checks."""
    report = govreport.loads(text)
    assert report.source.parser == "flat"
    for table in (report.table2, report.table3, report.table4):
        assert isinstance(table.rows, LazyRows)
        assert_passes_full_checks(table)


@given(st.lists(_REGION_CHARS, max_size=60).map("".join), st.integers(0, 5))
def test_region_offsets_and_cuts_are_those_of_each_char(sub: str, a: int) -> None:
    region = _fast(sub, a)
    if not isinstance(region, _Region):
        return
    full = " " * a + sub
    offsets = [region.offset(i) for i in range(len(region.text))]
    assert offsets == sorted(set(offsets))
    assert all(a <= o < a + len(sub) for o in offsets)
    # every char of the document not kept is white space of a gap, and the kept ones read as the text
    kept = set(offsets)
    assert all(full[o].isspace() for o in range(a, a + len(sub)) if o not in kept)
    assert [fold(full[o]) or full[o] for o in offsets] == [fold(c) or c for c in region.text]
    gaps = [i for i in range(len(region.text) + 1) if i in region.gaps]
    for s in range(len(region.text) + 1):
        for e in range(s, len(region.text) + 1):
            assert region.cuts(s, e) == frozenset(g - s for g in gaps if s < g < e)


def _reference_detect(lines: tuple[str, ...]) -> float:
    """The detect score counting every glued spot (the parser stops counting once the score is capped)."""
    if max((len(line) for line in lines), default=0) < 300:
        return 0.0
    return min(0.95, 0.2 * sum(len(_GLUED.findall(line)) for line in lines if len(line) >= 300))


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_detect_matches_the_full_count(path: Path) -> None:
    prep = _api._prepare(path.read_bytes(), None)
    assert FlatParser().detect(prep.doc, prep.layout) == _reference_detect(prep.doc.lines)


@given(st.lists(st.sampled_from(["二、", "计", "1234567", "0", "x" * 150, "一" * 140]), max_size=40).map("".join))
def test_detect_matches_the_full_count_on_generated_lines(line: str) -> None:
    prep = _api._prepare(line or "x", None)
    assert FlatParser().detect(prep.doc, prep.layout) == _reference_detect(prep.doc.lines)
