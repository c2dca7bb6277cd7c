"""Splitting glued digit runs into cells under the template's constraints (spec §8).

A *run* is a digit string in which cell boundaries were lost (``16420001167``), possibly with a few
boundaries that survived as white space (``150 000015``). :func:`readings` lists every way to cut a
run into a given number of valid cells — numbers have no leading zeros except a lone ``0`` — that
also satisfies optional *sum blocks* (``cells[a..b-1]`` sum to ``cells[b]``: T3.ROW, T4.SUM). The
total of a block is not searched for: it is the sum of its members, so the search only checks that
the text continues with that sum, which keeps it fast.

Nothing here picks among readings; callers keep every cell on which the readings disagree absent.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

import attrs

from ..template import COUNT, DELTA, MONEY

__all__ = ["Cut", "Piece", "Run", "SearchLimit", "cut_readings", "readings", "split_row"]

_VALID = {
    COUNT: re.compile(r"0|[1-9]\d{0,8}|[1-9]\d{0,2}(?:,\d{3}){1,2}"),
    DELTA: re.compile(r"[+-]?(?:0|[1-9]\d{0,8}|[1-9]\d{0,2}(?:,\d{3}){1,2})"),
    MONEY: re.compile(r"(?:0|[1-9]\d{0,9}|[1-9]\d{0,2}(?:,\d{3}){1,3})(?:\.\d{1,4})?"),
}
PLACEHOLDER_CHARS = frozenset("/—－\\")
"""Placeholder marks that delimit themselves inside a run (one cell each, never a number)."""

DEFAULT_LIMIT = 200_000
"""Search nodes before :func:`readings` gives up (raises :class:`SearchLimit`)."""


class SearchLimit(Exception):
    """The search space is too large to enumerate: no reading can be trusted."""


@attrs.frozen
class Piece:
    """One cell of a reading: its text, offsets in the run string, and value (``None``: placeholder)."""

    text: str
    start: int
    end: int
    value: int | Decimal | None


@attrs.frozen
class Run:
    """A run string (white space removed) and the offsets where a boundary survived."""

    text: str
    cuts: frozenset[int] = frozenset()

    @classmethod
    def from_tokens(cls, tokens: Sequence[str]) -> Run:
        """``["150", "000015"]`` → a run ``150000015`` with a forced boundary at 3."""
        text = ""
        cuts: set[int] = set()
        for tok in tokens:
            if text:
                cuts.add(len(text))
            text += tok
        return cls(text, frozenset(cuts))


def _value(text: str, kind: str) -> int | Decimal | None:
    if len(text) == 1 and text in PLACEHOLDER_CHARS:
        return None
    plain = text.replace(",", "")
    if kind == MONEY:
        return Decimal(plain)
    return int(plain)


def _forms(n: int) -> tuple[str, ...]:
    plain = str(n)
    grouped = f"{n:,}"
    return (plain,) if grouped == plain else (plain, grouped)


_MAX_WIDTH = {COUNT: 11, DELTA: 12, MONEY: 20}
"""The longest text each :data:`_VALID` pattern matches (``tests/test_solver_reference.py`` derives it)."""
_DIGITS_WIDTH = {COUNT: 9, DELTA: 9, MONEY: 10}
"""The longest run of ASCII digits alone (no sign, comma or point) each pattern matches."""


class Cut(NamedTuple):
    """One cell of a reading as :func:`cut_readings` gives it: a :class:`Piece`'s fields in a tuple."""

    text: str
    start: int
    end: int
    value: int | Decimal | None


_cut = tuple.__new__  # a Cut without the keyword handling of its __new__: the search makes one per node


@functools.cache
def _block_maps(
    blocks: tuple[tuple[int, int], ...], width: int
) -> tuple[tuple[int | None, ...], tuple[int | None, ...], bool]:
    """Per cell index, the first member of the block it totals and the total of the block it is in;
    and whether the blocks are as the templates have them (:func:`_well_formed`)."""
    total_of = {t: f for f, t in blocks}
    member_of = {i: t for f, t in blocks for i in range(f, t)}
    firsts = tuple(total_of.get(i) for i in range(width))
    return firsts, tuple(member_of.get(i) for i in range(width)), _well_formed(blocks, width)


def readings(
    run: Run,
    kinds: Sequence[str],
    *,
    blocks: Sequence[tuple[int, int]] = (),
    limit: int = DEFAULT_LIMIT,
) -> list[tuple[Piece, ...]]:
    """Every cut of ``run`` into ``len(kinds)`` valid cells satisfying the sum ``blocks``.

    ``blocks`` holds ``(first, total)`` index pairs: ``sum(cells[first:total]) == cells[total]``.
    A block touching a placeholder is not assessable and constrains nothing.
    Raises :class:`SearchLimit` after ``limit`` search nodes.
    """
    return [tuple(Piece(*c) for c in r) for r in cut_readings(run, kinds, blocks=blocks, limit=limit)]


def cut_readings(
    run: Run,
    kinds: Sequence[str],
    *,
    blocks: Sequence[tuple[int, int]] = (),
    limit: int = DEFAULT_LIMIT,
) -> list[tuple[Cut, ...]]:
    """:func:`readings` with each cell a :class:`Cut` (a tuple, cheaper to make than a :class:`Piece`)."""
    # The depth-first search of tests/test_solver_reference.py, node for node (so the limit falls at
    # the same place and the readings come in the same order), without a call per node: a flat
    # report runs some forty searches of a handful of nodes each, so the set-up counts as much.
    s = run.text
    n = len(s)
    width = len(kinds)
    if limit < 1:
        raise SearchLimit(s)
    if width == 0:
        return [()] if n == 0 else []
    try:
        first_of, total_of, regular = _block_maps(blocks, width)
    except TypeError:  # blocks in a list, not a tuple: not hashable
        first_of, total_of, regular = _block_maps(tuple((f, t) for f, t in blocks), width)
    if run.cuts:
        # the next forced boundary at or after each offset (a cell may not span it)
        nxt = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            nxt[i] = i if (i in run.cuts and i > 0) else nxt[i + 1]
    else:
        nxt = []
    if width == 1 and n and first_of[0] is None and total_of[0] is None and n + 1 <= limit:
        # one cell and no rule (a Table 2 count or fee): the whole run, if it is one valid cell;
        # the search would visit the root and at most one node per end
        if s[0] in PLACEHOLDER_CHARS:
            return [(_cut(Cut, (s, 0, 1, None)),)] if n == 1 else []
        if (not nxt or nxt[1] >= n) and _VALID[kinds[0]].fullmatch(s):
            return [(_cut(Cut, (s, 0, n, _value(s, kinds[0]))),)]
        return []
    digits = s.isdigit() and s.isascii()  # no sign, comma, point or placeholder: validity is arithmetic
    if digits and regular and MONEY not in kinds and _most_nodes(n, width) <= limit:
        return _digit_readings(s, kinds, first_of, total_of, nxt)
    out: list[tuple[Cut, ...]] = []
    path: list[Cut] = []  # the cells chosen so far
    known: dict[tuple[int, int], list[Cut]] = {}  # the children of a node whose cell is not a block total

    def children(pos: int, idx: int) -> list[Cut]:
        """The cells that may start at ``pos`` as cell ``idx`` (each one a search node)."""
        first = first_of[idx]
        if first is not None:
            members = [c[3] for c in path[first:]]
            if all(isinstance(v, int) for v in members) and s[pos] not in PLACEHOLDER_CHARS:
                # a block's total is not searched for: the text must go on with the members' sum
                target: int = sum(members)  # type: ignore[arg-type]
                hi = nxt[pos + 1] if nxt else n
                return [
                    _cut(Cut, (f, pos, pos + len(f), target))
                    for f in _forms(target)
                    if s.startswith(f, pos) and pos + len(f) <= hi
                ]
        got = known.get((pos, idx))
        if got is not None:
            return got
        kind = kinds[idx]
        if s[pos] in PLACEHOLDER_CHARS:
            got = [_cut(Cut, (s[pos], pos, pos + 1, None))]
        else:
            hi = min(nxt[pos + 1] if nxt else n, n - (width - idx - 1))  # a character for every later cell
            ends: Iterable[int]
            if digits:
                ends = range(pos + 1, pos + 2 if s[pos] == "0" else min(hi, pos + _DIGITS_WIDTH[kind]) + 1)
            else:
                pat = _VALID[kind]
                ends = [e for e in range(pos + 1, min(hi, pos + _MAX_WIDTH[kind]) + 1) if pat.fullmatch(s, pos, e)]
            total = total_of[idx]
            got = []
            for e in ends:
                if e > hi:
                    break
                text = s[pos:e]
                if total is not None and e - pos > 1:
                    # a member is at most its block's total, so the total needs at least as many digits
                    size = e - pos if digits else len(text.replace(",", "").lstrip("+-"))
                    if n - e < (total - idx - 1) + size + (width - total - 1):
                        continue
                if digits:
                    got.append(_cut(Cut, (text, pos, e, Decimal(text) if kind == MONEY else int(text))))
                else:
                    got.append(_cut(Cut, (text, pos, e, _value(text, kind))))
        if first is None:
            known[(pos, idx)] = got
        return got

    nodes = 1
    stack = [iter(children(0, 0))] if n >= width else []
    while stack:
        for cell in stack[-1]:
            nodes += 1
            if nodes > limit:
                raise SearchLimit(s)
            idx = len(stack)
            pos = cell[2]
            if idx == width:
                if pos == n:
                    out.append((*path, cell))
            elif pos < n and n - pos >= width - idx:
                path.append(cell)
                stack.append(iter(children(pos, idx)))
                break
        else:
            stack.pop()
            if path:
                path.pop()
    return out


@functools.cache
def _most_nodes(n: int, width: int) -> int:
    """More search nodes than :func:`cut_readings` can visit for a run of ``n`` chars and ``width`` cells.

    A node at depth ``d`` is its cells' ends, ``d`` distinct offsets in ``1..n`` in ascending order
    (the ends of a node's children differ), so there are at most ``comb(n, d)`` of them.
    """
    return sum(math.comb(n, d) for d in range(width + 1))


def _well_formed(blocks: Sequence[tuple[int, int]], width: int) -> bool:
    """Blocks as the templates have them: ``first < total < width``, no two sharing a cell."""
    taken: set[int] = set()
    for f, t in blocks:
        if not 0 <= f < t < width or not taken.isdisjoint(range(f, t + 1)):
            return False
        taken.update(range(f, t + 1))
    return True


def _digit_readings(
    s: str,
    kinds: Sequence[str],
    first_of: tuple[int | None, ...],
    total_of: tuple[int | None, ...],
    nxt: list[int],
) -> list[tuple[Cut, ...]]:
    """:func:`cut_readings` of a run of ASCII digits into counts and deltas, under well-formed blocks.

    Such a run has no placeholder, sign or separator, so a cell is ``0`` or up to nine digits without
    a leading zero, every block can be assessed, and a total's only form is its plain digits. The
    caller has made sure the search cannot reach its node limit, so the nodes need no counting, and
    the last cell, which must end the run, is checked rather than searched for. The readings are
    those of the node-for-node search, in its order (ascending cell ends).
    """
    n = len(s)
    width = len(kinds)
    if n == width:
        return _one_digit_readings(s, first_of)
    last = width - 1
    out: list[tuple[Cut, ...]] = []
    path: list[Cut] = []

    def node(pos: int, idx: int) -> None:  # pos < n, and at least one char left for each cell from idx on
        first = first_of[idx]
        if first is not None:
            target = sum(c[3] for c in path[first:])  # type: ignore[misc]
            form = str(target)
            e = pos + len(form)
            if s.startswith(form, pos) and e <= (nxt[pos + 1] if nxt else n):
                if idx == last:
                    if e == n:
                        out.append((*path, _cut(Cut, (form, pos, e, target))))
                elif e < n and n - e >= last - idx:
                    path.append(_cut(Cut, (form, pos, e, target)))
                    node(e, idx + 1)
                    path.pop()
            return
        hi = min(nxt[pos + 1] if nxt else n, n - (last - idx))
        widest = _DIGITS_WIDTH[kinds[idx]]
        if idx == last:
            if hi == n and (s[pos] != "0" or pos == n - 1) and n - pos <= widest:
                out.append((*path, _cut(Cut, (s[pos:], pos, n, int(s[pos:])))))
            return
        total = total_of[idx]
        stop = pos + 1 if s[pos] == "0" else min(hi, pos + widest)
        for e in range(pos + 1, min(stop, hi) + 1):
            # a member is at most its block's total, so the total needs at least as many digits
            if total is not None and e - pos > 1 and n - e < (total - idx - 1) + (e - pos) + (width - total - 1):
                break  # and a longer member needs more
            text = s[pos:e]
            if e < n and n - e >= last - idx:
                path.append(_cut(Cut, (text, pos, e, int(text))))
                node(e, idx + 1)
                path.pop()

    if n >= width:
        node(0, 0)
    return out


def _one_digit_readings(s: str, first_of: tuple[int | None, ...]) -> list[tuple[Cut, ...]]:
    """:func:`_digit_readings` when the run has one digit per cell: the one cut, if its totals add up."""
    values = [int(ch) for ch in s]
    for idx, first in enumerate(first_of):
        if first is not None and sum(values[first:idx]) != values[idx]:
            return []
    return [tuple(_cut(Cut, (ch, i, i + 1, v)) for i, (ch, v) in enumerate(zip(s, values, strict=True)))]


def split_row(
    tokens: Sequence[str], width: int = 7, *, limit: int = DEFAULT_LIMIT
) -> list[tuple[int | Decimal | None, ...]]:
    """Readings of a Table 3 row glued into ``tokens`` whose first ``width-1`` cells sum to the last.

    ``split_row(["10", "0", "0", "0", "0", "10", "0"])`` → ``[]`` (7 tokens already, sum fails);
    ``split_row(["100000010"])`` → ``[(10, 0, 0, 0, 0, 0, 10)]``. A PDF that glued ``10 0`` into
    ``100`` is split back the same way: pass the tokens as printed.
    """
    run = Run.from_tokens([t.strip() for t in tokens if t.strip()])
    found = readings(run, [COUNT] * width, blocks=((0, width - 1),), limit=limit)
    return [tuple(p.value for p in r) for r in found]
