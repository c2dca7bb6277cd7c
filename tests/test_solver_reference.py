"""The solver's search agrees with the plain depth-first search it replaced (issue #8).

:func:`reference_readings` is the first version of :func:`govreport.parsers.solver.readings`: one
recursive call per node, a regex match per candidate cell end, a :class:`Piece` per node. The
fast search must give the same readings in the same order and give up (``SearchLimit``) on exactly
the same inputs, since the limit counts nodes and the flat parser reports a search that gave up.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govreport.parsers.solver import (
    _DIGITS_WIDTH,
    _MAX_WIDTH,
    _VALID,
    DEFAULT_LIMIT,
    PLACEHOLDER_CHARS,
    Piece,
    Run,
    SearchLimit,
    _forms,
    _value,
    readings,
)
from govreport.template import COUNT, DELTA, MONEY


def reference_readings(
    run: Run,
    kinds: Sequence[str],
    *,
    blocks: Sequence[tuple[int, int]] = (),
    limit: int = DEFAULT_LIMIT,
) -> list[tuple[Piece, ...]]:
    """:func:`govreport.parsers.solver.readings` as first written: one recursive call per search node."""
    s = run.text
    n = len(s)
    width = len(kinds)
    total_of = {t: f for f, t in blocks}
    member_of = {i: t for f, t in blocks for i in range(f, t)}
    # the next forced boundary at or after each offset (a cell may not span it)
    nxt = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        nxt[i] = i if (i in run.cuts and i > 0) else nxt[i + 1]
    out: list[tuple[Piece, ...]] = []
    chosen: list[Piece] = []
    budget = [limit]

    def ends(pos: int, idx: int) -> list[int]:
        if pos < n and s[pos] in PLACEHOLDER_CHARS:
            return [pos + 1]
        hi = nxt[pos + 1] if pos + 1 <= n else n
        cells_after = width - idx - 1
        hi = min(hi, n - cells_after)
        pat = _VALID[kinds[idx]]
        return [e for e in range(pos + 1, hi + 1) if pat.fullmatch(s, pos, e)]

    def step(pos: int, idx: int) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise SearchLimit(s)
        if idx == width:
            if pos == n:
                out.append(tuple(chosen))
            return
        if pos >= n or n - pos < width - idx:
            return
        if idx in total_of:
            members = chosen[total_of[idx] :]
            vals = [p.value for p in members]
            if all(isinstance(v, int) for v in vals) and not (pos < n and s[pos] in PLACEHOLDER_CHARS):
                target = sum(v for v in vals if isinstance(v, int))
                for form in _forms(target):
                    e = pos + len(form)
                    if s.startswith(form, pos) and e <= nxt[pos + 1]:
                        chosen.append(Piece(form, pos, e, target))
                        step(e, idx + 1)
                        chosen.pop()
                return
        for e in ends(pos, idx):
            if idx in member_of and e - pos > 1 and s[pos] not in PLACEHOLDER_CHARS:
                # a member is at most its block's total, so the total needs at least as many digits
                t = member_of[idx]
                need = (t - idx - 1) + len(s[pos:e].replace(",", "").lstrip("+-")) + (width - t - 1)
                if n - e < need:
                    continue
            text = s[pos:e]
            chosen.append(Piece(text, pos, e, _value(text, kinds[idx])))
            step(e, idx + 1)
            chosen.pop()

    step(0, 0)
    return out


def _outcome(search: object, run: Run, kinds: Sequence[str], blocks: tuple[tuple[int, int], ...], limit: int) -> object:
    try:
        return search(run, kinds, blocks=blocks, limit=limit)  # type: ignore[operator]
    except SearchLimit as e:
        return ("SearchLimit", str(e))


_KINDS = st.sampled_from([COUNT, COUNT, COUNT, DELTA, MONEY])


@st.composite
def _problems(draw: st.DrawFn) -> tuple[Run, list[str], tuple[tuple[int, int], ...], int]:
    alphabet = draw(st.sampled_from(["0123456789", "0001", "0123456789,.+-/—\\", "01,.", "\u06610"]))
    text = draw(st.text(alphabet, max_size=18))
    cuts = draw(st.frozensets(st.integers(0, len(text) + 1), max_size=3))
    width = draw(st.integers(0, 9))
    kinds = draw(st.lists(_KINDS, min_size=width, max_size=width))
    blocks: tuple[tuple[int, int], ...] = ()
    if width >= 2:
        shape = draw(st.sampled_from(["none", "row", "two", "any"]))
        if shape == "row":
            blocks = ((0, width - 1),)
        elif shape == "two" and width >= 5:
            blocks = ((0, 2), (3, width - 1))
        elif shape == "any":
            blocks = tuple(draw(st.lists(st.tuples(st.integers(0, width), st.integers(0, width + 1)), max_size=2)))
    limit = draw(st.sampled_from([DEFAULT_LIMIT, DEFAULT_LIMIT, 0, 1, 2, 5, 20, 60]))
    return Run(text, cuts), kinds, blocks, limit


@given(_problems())
def test_readings_agree_with_the_reference(problem: tuple[Run, list[str], tuple[tuple[int, int], ...], int]) -> None:
    run, kinds, blocks, limit = problem
    assert _outcome(readings, run, kinds, blocks, limit) == _outcome(reference_readings, run, kinds, blocks, limit)


@pytest.mark.parametrize(
    ("text", "width", "blocks"),
    [
        ("16420001167", 7, ((0, 6),)),
        ("150000015", 7, ((0, 6),)),
        ("000000302501001", 15, ((0, 4), (5, 9), (10, 14))),
        ("1234567891011121314151617", 7, ((0, 6),)),
        ("123456789101112", 7, ()),
        ("1,0661,066000001,066", 7, ((0, 6),)),
        ("12/34—5", 5, ((0, 4),)),
    ],
)
def test_readings_agree_on_known_runs_and_give_up_at_the_same_node(
    text: str, width: int, blocks: tuple[tuple[int, int], ...]
) -> None:
    run, kinds = Run(text), [COUNT] * width
    as_lists = [list(b) for b in blocks]  # any sequence of pairs will do
    assert _outcome(readings, run, kinds, as_lists, 100) == _outcome(readings, run, kinds, blocks, 100)  # type: ignore[arg-type]
    for limit in (DEFAULT_LIMIT, 1_000, 100, 10, 1):
        assert _outcome(readings, run, kinds, blocks, limit) == _outcome(reference_readings, run, kinds, blocks, limit)
    # the node at which the search gives up is the same: find it by bisection on the fast search
    lo, hi = 1, 50_001
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if isinstance(_outcome(readings, run, kinds, blocks, mid), tuple) else (lo, mid)
    assert isinstance(_outcome(reference_readings, run, kinds, blocks, lo - 1), tuple)
    assert isinstance(_outcome(reference_readings, run, kinds, blocks, lo), tuple) == (lo > 50_000)


def test_the_width_bounds_are_those_of_the_patterns() -> None:
    sre_parse = importlib.import_module("re._parser")  # the regex compiler's parser knows a pattern's widest match
    for kind, pat in _VALID.items():
        assert sre_parse.parse(pat.pattern).getwidth()[1] == _MAX_WIDTH[kind]
        widths = [k for k in range(1, 25) if pat.fullmatch("1" * k)]
        assert max(widths) == _DIGITS_WIDTH[kind] and widths == list(range(1, _DIGITS_WIDTH[kind] + 1))
        assert pat.fullmatch("0") and not pat.fullmatch("01")


@given(
    st.text("0123456789", min_size=1, max_size=22),
    st.frozensets(st.integers(1, 21), max_size=2),
    st.sampled_from(
        [
            ([COUNT] * 7, ((0, 6),)),
            ([COUNT] * 15, ((0, 4), (5, 9), (10, 14))),
            ([COUNT] * 3, ()),
            ([COUNT, DELTA, COUNT, DELTA], ((0, 2),)),
            ([COUNT, MONEY], ()),
        ]
    ),
)
def test_digit_runs_agree_with_the_reference(
    text: str, cuts: frozenset[int], shape: tuple[list[str], tuple[tuple[int, int], ...]]
) -> None:
    # ASCII digits under the templates' blocks take the shortcut search (no node count, no last-cell search)
    kinds, blocks = shape
    run = Run(text, cuts)
    assert _outcome(readings, run, kinds, blocks, DEFAULT_LIMIT) == _outcome(
        reference_readings, run, kinds, blocks, DEFAULT_LIMIT
    )
