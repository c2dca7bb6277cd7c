"""The assembler's diagonal shortcut returns what the alignment search returns."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from govreport import _api
from govreport.assemble import table as assemble
from govreport.assemble.table import _align, _align_by_search, _Group, _groups, _split_labels, _take_subtotals
from govreport.parsers.rows import CELL, TEXT, Item
from govreport.registry import get_parser
from govreport.template import TemplateVersion, template_for

from .conftest import all_inputs, input_id


def _by_search(groups: list[_Group], table_id: str, version: TemplateVersion) -> dict[int, int]:
    rows = template_for(version).table(table_id).rows
    return _align_by_search(groups, [r.pattern.search for r in rows], [len(r.columns) for r in rows])


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_shortcut_equals_search_on_every_known_input(path: Path) -> None:
    prep = _api._prepare(path.read_bytes(), None)
    best = _api._candidates(prep, None)[0]
    result = get_parser(best.parser).parse(prep.doc, prep.layout)
    for table_id in ("table2", "table3"):
        tdef = template_for(prep.template).table(table_id)
        stream = [it for row in result.rows.get(table_id, ()) for it in row.items]
        groups, lead = _groups(stream, len(tdef.rows[0].columns) if table_id == "table3" else None)
        _split_labels(groups, lead)
        if table_id == "table3":
            groups, _ = _take_subtotals(groups, tdef.rows)
        assert _align(groups, tdef.rows) == _by_search(groups, table_id, prep.template)


def _label_pieces(table_id: str, version: TemplateVersion) -> list[str]:
    """Row labels cut into pieces, as wrapping and lost keywords leave them."""
    out = [""]
    for r in template_for(version).table(table_id).rows:
        label = r.label
        out += [label, label[: len(label) // 2], label[len(label) // 2 :]]
    return out


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[_Group], str, TemplateVersion]:
    version = draw(st.sampled_from(list(TemplateVersion)))
    table_id = draw(st.sampled_from(["table2", "table3"]))
    tdef = template_for(version).table(table_id)
    pieces = _label_pieces(table_id, version)
    # mostly one group per row, in order, each row's label kept, cut or swapped for another's
    count = draw(st.sampled_from([len(tdef.rows), len(tdef.rows), len(tdef.rows) - 1, len(tdef.rows) + 1]))
    groups = []
    for i in range(max(0, count)):
        own = tdef.rows[min(i, len(tdef.rows) - 1)]
        head = draw(st.sampled_from([own.label, own.label, own.label[: len(own.label) // 2], *pieces]))
        tail = draw(st.sampled_from(["", "", *pieces]))
        width = draw(st.sampled_from([len(own.columns), len(own.columns), 1, 7]))
        complete = draw(st.sampled_from([True, True, False]))
        cells = [Item(CELL, "0", i, 0, 1)] * width
        group = _Group(cells, [Item(TEXT, head, i, 0, 1)] if head else [], [Item(TEXT, tail, i, 0, 1)] if tail else [])
        group.complete = complete
        groups.append(group)
    return groups, table_id, version


@given(_tables())
def test_shortcut_equals_search_on_generated_groups(drawn: tuple[list[_Group], str, TemplateVersion]) -> None:
    groups, table_id, version = drawn
    rows = template_for(version).table(table_id).rows
    searches = [r.pattern.search for r in rows]
    taken = assemble._diagonal_if_best(groups, searches, [len(r.columns) for r in rows]) is not None
    event("diagonal shortcut taken" if taken else "alignment searched")
    assert assemble._align(groups, rows) == _by_search(groups, table_id, version)
