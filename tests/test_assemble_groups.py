"""The assembler's grouping of an item stream, held to the plain item-by-item loop."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govreport.assemble.table import _Group, _groups, _trim
from govreport.parsers.rows import BLANK, CELL, PLACEHOLDER, TEXT, Item


def _groups_item_by_item(stream: list[Item], width: int | None) -> tuple[list[_Group], list[Item]]:
    groups: list[_Group] = []
    texts: list[Item] = []
    lead: list[Item] = []
    run: list[Item] = []

    def flush() -> None:
        cells = _trim(run)
        run.clear()
        if not cells:
            return
        if width is None:
            chunks = [(cells, True)]
        elif len(cells) % width == 0:
            chunks = [(cells[k : k + width], True) for k in range(0, len(cells), width)]
        else:
            chunks = [(cells, False)]
        for n, (chunk, ok) in enumerate(chunks):
            if n == 0:
                if groups:
                    groups[-1].tail = list(texts)
                else:
                    lead.extend(texts)
                texts.clear()
            groups.append(_Group(list(chunk), complete=ok))

    for it in stream:
        if it.kind == TEXT:
            if run:
                flush()
            texts.append(it)
        else:
            run.append(it)
    if run:
        flush()
    if groups:
        groups[-1].tail = list(texts)
    else:
        lead.extend(texts)
    return groups, lead


_KINDS = st.sampled_from([TEXT, CELL, CELL, BLANK, PLACEHOLDER])


@given(st.lists(_KINDS, max_size=40), st.sampled_from([None, 1, 2, 7]))
def test_groups_equal_the_item_by_item_loop(kinds: list[str], width: int | None) -> None:
    stream = [Item(kind, f"{kind}{n}", n // 5, n, n + 1) for n, kind in enumerate(kinds)]
    got, got_lead = _groups(list(stream), width)
    want, want_lead = _groups_item_by_item(list(stream), width)
    assert got_lead == want_lead
    assert [(g.cells, g.tail, g.complete) for g in got] == [(g.cells, g.tail, g.complete) for g in want]
