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

import re
from collections.abc import Sequence
from decimal import Decimal

import attrs

from .template import COUNT, DELTA, MONEY

__all__ = ["Piece", "Run", "SearchLimit", "readings", "split_row"]

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
