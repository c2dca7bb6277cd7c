"""How a number is written in a table cell, the ways reports write them: one routine for every writer.

The text renderer (:mod:`.render`), the published-document grids (:mod:`.grids`) and the report view
(:mod:`.view`) all write a cell's number through :func:`number_text`: a count as digits (a change in
Table 2 with its ``+``), an amount as the decimal it is, each optionally with thousands separators
(``1,066``), an amount with a fixed number of decimal places (``882.0000``, as many fee columns
print), or full-width digits (U+FF10–FF19, typed with a Chinese input method's full-width mode).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..template import DELTA, MONEY

__all__ = ["FULLWIDTH_DIGITS", "NumberFormat", "number_text"]

FULLWIDTH_DIGITS = {ord("0") + i: 0xFF10 + i for i in range(10)}
"""``str.translate`` table: ASCII digits to full-width ones."""


def number_text(
    v: int | Decimal, kind: str, *, thousands: bool = False, places: int | None = None, fullwidth: bool = False
) -> str:
    """``v`` written in a cell of column ``kind``.

    ``places`` writes an amount (``MONEY``) with that many decimal places when it has no more than
    that (padding ``882`` to ``882.0000``; never rounding a value away); counts are never padded.
    """
    if kind == MONEY:
        d = Decimal(v)
        exponent = d.as_tuple().exponent
        if places is not None and isinstance(exponent, int) and -exponent <= places:
            spec = f",.{places}f" if thousands else f".{places}f"
        else:
            spec = ",f" if thousands else "f"
        text = format(d, spec)
    else:
        n = int(v)
        sign = "+" if kind == DELTA and n > 0 else ""
        text = sign + (f"{n:,}" if thousands else str(n))
    return text.translate(FULLWIDTH_DIGITS) if fullwidth else text


@attrs.frozen
class NumberFormat:
    """How a document writes its numbers (see :func:`number_text`); the default writes them plainly."""

    thousands: bool = False
    places: int | None = None
    """Decimal places of every amount (``4``: ``882.0000``), or ``None`` to write each as it is."""
    fullwidth: bool = False

    def text(self, v: int | Decimal, kind: str) -> str:
        return number_text(v, kind, thousands=self.thousands, places=self.places, fullwidth=self.fullwidth)
