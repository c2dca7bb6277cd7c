"""Table 4 when some of its cells were printed apart from their line: the readings its arithmetic allows.

Table 4 is fifteen cells in reading order. ``pdftotext -layout`` and pdfplumber sometimes push a cell
of a wide row onto the next text line (``26 0 6 1 24 7 …`` and, below, ``33``). Read in order, the
cells of one block slide into the next: T4.SUM fails (the reader's misreading passed off as the
report's error) or, worse, a wrong reading happens to add up. So when a few cells lie apart from
the rest, every reading is weighed: each merge of the stray cells into the main line that keeps
each line's own order, and the reading by column position. Where the text sets its cells out in
columns, the column reading is the text's own and wins (a report whose numbers do not add up keeps
its T4.SUM errors, on the right cells). Elsewhere the one merge under which T4.SUM holds in every
block is read; when several hold, or none does, the cells they would place differently are left
unread rather than guessed or blamed on the report.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..parsers.rows import CELL, Item, parse_number

__all__ = ["Reflow", "table4_reflow"]

_BLOCK = 5  # cells per Table 4 block: 结果维持 结果纠正 其他结果 尚未审结 总计
_MAX_STRAYS = 3  # C(15, 3) = 455 merges at most


@attrs.frozen
class Reflow:
    """A reading of Table 4's cells other than their reading order.

    ``order`` lists, slot by slot, the index of the item (in reading order) that fills it;
    ``moved`` the items placed apart from their reading order; ``undecided`` the slots on which
    the readings that satisfy T4.SUM disagree (empty when one reading is left), ``readings`` how
    many there are, and ``by_columns`` whether the text's column alignment chose among them.
    """

    order: tuple[int, ...]
    moved: tuple[int, ...]
    undecided: tuple[int, ...] = ()
    readings: int = 1
    by_columns: bool = False


def _value(item: Item) -> int | Decimal | None:
    return parse_number(item.text) if item.kind == CELL else None


def _holds(values: Sequence[int | Decimal | None]) -> bool:
    """T4.SUM in every block whose cells all have values, and at least one such block."""
    assessed = False
    for b in range(0, len(values), _BLOCK):
        block = values[b : b + _BLOCK]
        if any(v is None for v in block):
            continue
        assessed = True
        if sum(v for v in block[:-1] if v is not None) != block[-1]:
            return False
    return assessed


def _column(line: str, start: int) -> int:
    """The display column of ``line[start]`` (ideographs are two columns wide)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line[:start])


def _aligned(items: Sequence[Item]) -> bool:
    """Does the main line space its cells like a laid-out table (runs of spaces), so that the
    column of a stray cell says where it stood? pdfplumber parts cells by single spaces."""
    return any(b.start - a.end >= 2 for a, b in itertools.pairwise(items))


def table4_reflow(found: Sequence[Item], lines: Sequence[str]) -> Reflow | None:
    """The reading of Table 4's ``found`` items (reading order) to use instead of their order, if any.

    ``None`` keeps the reading order: the cells are on one line, or were read across lines by column
    already (their lines are not in reading order), too many are apart to try, or (in
    text without columns) the reading order satisfies T4.SUM. Otherwise: the reading by the text's
    columns, when it sets its cells out in columns (and that reading fits, or none does); else the
    one reading that fits; else the slots on which the candidates disagree are ``undecided``
    (``readings`` is 0 when none fits).
    """
    slots = 3 * _BLOCK
    if len(found) != slots:
        return None
    if any(b.line < a.line for a, b in itertools.pairwise(found)):
        return None  # the parser already read across lines by column (a box row wrapped in its rule)
    values = [_value(it) for it in found]
    by_line: dict[int, list[int]] = {}
    for k, it in enumerate(found):
        by_line.setdefault(it.line, []).append(k)
    if len(by_line) < 2:
        return None
    main_line = max(by_line, key=lambda ln: len(by_line[ln]))
    main = by_line[main_line]
    strays = [k for k in range(slots) if found[k].line != main_line]
    if len(strays) > _MAX_STRAYS:
        return None
    fits: dict[tuple[int | Decimal | None, ...], tuple[int, ...]] = {}
    every: list[tuple[int, ...]] = []
    for places in itertools.combinations(range(slots), len(strays)):
        order: list[int] = []
        rest, pending = iter(main), iter(strays)
        for slot in range(slots):
            order.append(next(pending) if slot in places else next(rest))
        every.append(tuple(order))
        reading = tuple(values[k] for k in order)
        if reading not in fits and _holds(reading):
            fits[reading] = tuple(order)
    as_printed = tuple(values)
    if _aligned([found[k] for k in main]):
        # the text sets its cells out in columns: where a stray cell stands says where it belongs,
        # and a report whose numbers do not add up is read by its columns too (its errors are its own)
        columns = tuple(sorted(range(slots), key=lambda k: _column(lines[found[k].line], found[k].start)))
        by_columns = tuple(values[k] for k in columns)
        if by_columns in fits or not fits:
            return None if by_columns == as_printed else Reflow(columns, tuple(strays), (), len(fits), True)
    if as_printed in fits:
        return None  # the text's own order adds up: nothing says it is wrong
    if len(fits) == 1:
        return Reflow(next(iter(fits.values())), tuple(strays))
    # several readings fit, or none does and nothing tells where the stray cells stood: the cells on
    # which the candidate readings disagree are left unread rather than blamed on the report
    readings = [tuple(values[k] for k in order) for order in (list(fits.values()) if fits else every)]
    undecided = tuple(s for s in range(slots) if len({r[s] for r in readings}) > 1)
    chosen = next(iter(fits.values())) if fits else tuple(range(slots))
    return Reflow(chosen, tuple(strays), undecided, len(fits))
