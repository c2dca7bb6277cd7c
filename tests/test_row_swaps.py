"""Every swap of two labelled Table 3 rows of every seed is read right or flagged (issue #19, class 8).

A row's label names its template row; the alignment may prefer printed order, but a row standing
where another belongs must either be placed by its label or be named by a diagnostic — never read
silently into its neighbour's row (``govreport check`` used to print "ok" with 予以公开 = 3).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

import govreport
from govreport.template import TABLE3_COLUMNS, template_for
from govreport.text.normalise import normalise
from govreport.text.sections import find_sections, table_regions

from .conftest import SEEDS, seed_files
from .truthdata import read_truth

_CELL = re.compile(r"(?<![\d.,])[+-]?\d[\d,]*(?:\.\d+)?(?![\d.,])")


def row_units(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` line ranges of Table 3's labelled rows: a line naming exactly one row and
    the lines of bare cells after it, seven cells in all (one line in most layouts, eight lines where
    each cell has a line of its own)."""
    doc = normalise(text)
    version = govreport.loads(text).template
    rows = template_for(version).table3.rows
    start, end = table_regions(find_sections(doc), len(doc.lines))["table3"]
    units = []
    for i in range(start, end):
        label = re.sub(r"\s+", "", _CELL.sub("", doc.lines[i]))
        if sum(1 for r in rows if r.pattern.search(label)) != 1:
            continue
        j, cells = i + 1, len(_CELL.findall(doc.lines[i]))
        while cells < len(TABLE3_COLUMNS) and j < end and _CELL.fullmatch(doc.lines[j].strip()):
            cells, j = cells + 1, j + 1
        if cells == len(TABLE3_COLUMNS):
            units.append((i, j))
    return units


def swapped(lines: list[str], a: tuple[int, int], b: tuple[int, int]) -> str:
    return "\n".join([*lines[: a[0]], *lines[b[0] : b[1]], *lines[a[1] : b[0]], *lines[a[0] : a[1]], *lines[b[1] :]])


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name[:3])
def test_every_swap_of_two_labelled_rows_is_read_right_or_flagged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    truth = read_truth(SEEDS / "truth" / (path.stem + ".json"))
    units = row_units(text)
    assert len(units) >= 20, "the seed's Table 3 rows should be found"
    lines = text.split("\n")
    silent = []
    for a, b in itertools.combinations(units, 2):
        report = govreport.loads(swapped(lines, a, b))
        named = {(c.row, c.column) for d in report.diagnostics for c in d.cells if c.table == "table3"}
        named |= {(d.row, None) for d in report.diagnostics if d.table == "table3" and d.column is None}
        for row, values in truth["table3"].items():
            for col, want in zip((c.id for c in TABLE3_COLUMNS), values, strict=True):
                got = report.table3[row][col].value
                if got != want and (row, col) not in named and (row, None) not in named:
                    silent.append(f"lines {a[0] + 1}<->{b[0] + 1}: {row}.{col} read {got}, truth {want}")
    assert silent == []
