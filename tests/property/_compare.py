"""Compare reports the way the round-trip properties need: values of the export contract."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from hypothesis import settings

from govreport import Report, to_dict


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    # money is a decimal string in the contract; "12.50" and "12.5" are the same amount
    return Decimal(str(a)) == Decimal(str(b))


def mismatches(expected: Report, got: Report) -> list[str]:
    """Every table cell, and organ/year/template, where ``got`` differs from ``expected``."""
    want, have = to_dict(expected), to_dict(got)
    out = [f"{k}: {want[k]!r} != {have[k]!r}" for k in ("organ", "year", "template") if want[k] != have[k]]
    for table in ("table2", "table3", "table4"):
        for row, cols in want[table].items():
            for col, value in cols.items():
                other = have[table].get(row, {}).get(col)
                if not _same(value, other):
                    out.append(f"{table}.{row}.{col}: {value!r} != {other!r}")
    return out


def placeholder_mismatches(expected: Report, got: Report) -> list[str]:
    """Cells printed as a placeholder that did not come back as one with the same raw text."""
    out = []
    for table in ("table2", "table3", "table4"):
        for row, col, cell in getattr(expected, table).cells():
            if cell.status.value == "placeholder":
                back = getattr(got, table)[row][col]
                if back.status is not cell.status or _fold(back.raw) != _fold(cell.raw):
                    out.append(f"{table}.{row}.{col}: {cell.raw!r} came back {back.status.value} {back.raw!r}")
    return out


def _fold(raw: str) -> str:
    # normalisation folds full-width forms (－ → -); that is reading, not losing, the placeholder
    return unicodedata.normalize("NFKC", raw).strip()


def share(divisor: int, **overrides: object) -> settings:
    """The active profile's settings with 1/``divisor`` of its examples (at least 10).

    Parametrised properties split the profile's budget between their cases, so ``ci`` stays fast
    while ``nightly`` still runs each case long.
    """
    return settings(max_examples=max(10, settings.default.max_examples // divisor), **overrides)  # type: ignore[arg-type]
