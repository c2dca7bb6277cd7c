"""Where the official form prints each header, label and cell of Tables 2–4, merged cells and all.

One layout for every output that draws the form: :mod:`govreport.export.grids` turns it into a
published document's grids, :mod:`govreport.export.view` into HTML. A :class:`Place` is a header or
label text, or a data cell named by its ``(row id, column id)``, at a 0-based grid position with its
spans. Everything comes from :mod:`govreport.template`:

- Table 2: per block of rows (第二十条第（x）项) a caption row, a header row (信息内容 and the block's
  column labels) and its rows; a block with fewer columns than the widest lets its last column take
  up the rest.
- Table 3: the 勾稽关系 note over the label columns, 申请人情况 over the seven columns, the
  super-headers of :data:`~govreport.template.TABLE3_COLUMN_GROUPS` over theirs; each group's label
  cell spans its rows, a group whose rows lie inside another's one label column further in
  (（三）不予公开 inside 三、本年度办理结果).
- Table 4: one data row; a row without a group heads its columns over two header rows, rows that
  share a group (行政诉讼) get it over theirs and their own label under it, then the column labels.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..template import TABLE2_ITEM_HEADER, TABLE3_COLUMN_GROUPS, TABLE3_HEADING, TABLE3_NOTE, RowDef, TableDef

__all__ = ["FormRow", "Layout", "Place", "layout", "nesting"]

CAPTION, HEAD, SUPER, NOTE, GROUP, LABEL, VALUE = "caption", "head", "super", "note", "group", "label", "value"
"""The roles of a :class:`Place`: a Table 2 block caption, a column header, a header over several
columns, Table 3's note, a group's merged label cell, a row label, a data cell."""


@attrs.frozen
class Place:
    """One printed cell of the form: ``text`` (header, label) or ``cell`` (a data cell's row and column id)."""

    row: int
    column: int
    role: str
    text: str = ""
    cell: tuple[str, str] | None = None
    rowspan: int = 1
    colspan: int = 1


@attrs.frozen
class Layout:
    """A table of the form: its grid width and height, how many rows are headers, and every place."""

    width: int
    height: int
    header_rows: int
    label_columns: int
    places: tuple[Place, ...]


@attrs.frozen
class FormRow:
    """A row Table 3 prints: a row of the template, or another row (a subtotal) placed in a group."""

    id: str
    label: str
    group: str | None

    @classmethod
    def of(cls, rdef: RowDef) -> FormRow:
        return cls(rdef.id, rdef.label, rdef.group)


def layout(tdef: TableDef, rows: Sequence[FormRow] | None = None) -> Layout:
    """The layout of one table of the form; ``rows`` replaces Table 3's template rows (to add subtotals)."""
    if tdef.id == "table2":
        return _table2(tdef)
    if tdef.id == "table3":
        return _table3(tdef, [FormRow.of(r) for r in tdef.rows] if rows is None else rows)
    return _table4(tdef)


def _blocks(tdef: TableDef) -> list[tuple[str, list[RowDef]]]:
    """Table 2's ``(caption, rows)`` in printed order: consecutive rows of one group and the same columns."""
    blocks: list[tuple[str, list[RowDef]]] = []
    for r in tdef.rows:
        if blocks and blocks[-1][0] == (r.group or "") and blocks[-1][1][0].columns == r.columns:
            blocks[-1][1].append(r)
        else:
            blocks.append((r.group or "", [r]))
    return blocks


def _table2(tdef: TableDef) -> Layout:
    width = max(len(r.columns) for r in tdef.rows)
    places: list[Place] = []
    row = 0
    for caption, rdefs in _blocks(tdef):
        columns = rdefs[0].columns
        spans = [1] * (len(columns) - 1) + [width - len(columns) + 1]
        places.append(Place(row, 0, CAPTION, caption, colspan=width + 1))
        places.append(Place(row + 1, 0, HEAD, TABLE2_ITEM_HEADER))
        at = 1
        for c, n in zip(columns, spans, strict=True):
            places.append(Place(row + 1, at, HEAD, c.label, colspan=n))
            at += n
        row += 2
        for r in rdefs:
            places.append(Place(row, 0, LABEL, r.label))
            at = 1
            for c, n in zip(r.columns, [1] * (len(r.columns) - 1) + [width - len(r.columns) + 1], strict=True):
                places.append(Place(row, at, VALUE, cell=(r.id, c.id), colspan=n))
                at += n
            row += 1
    return Layout(width + 1, row, 0, 1, tuple(places))


def nesting(groups: Sequence[str | None]) -> tuple[int, list[list[tuple[str, int]]], list[int]]:
    """How the merged label cells of rows under ``groups`` are laid out.

    A group's cell spans its rows from first to last; a group whose rows lie inside another's is
    drawn one label column further in. Returns the number of label columns, per row the group cells
    that start there ``(label, rowspan)`` outermost first, and per row its own label's colspan.
    """
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, g in enumerate(groups):
        if g is not None:
            first.setdefault(g, i)
            last[g] = i
    enclosing = [
        sorted((g for g in first if first[g] <= i <= last[g]), key=lambda g: (first[g] - last[g], first[g]))
        for i in range(len(groups))
    ]
    levels = 1 + max((len(e) for e in enclosing), default=0)
    starts = [[(g, last[g] - first[g] + 1) for g in e if first[g] == i] for i, e in enumerate(enclosing)]
    return levels, starts, [levels - len(e) for e in enclosing]


def _table3(tdef: TableDef, rows: Sequence[FormRow]) -> Layout:
    columns = tdef.rows[0].columns
    levels, starts, label_spans = nesting([r.group for r in rows])
    group_of = {c: g for g, cs in TABLE3_COLUMN_GROUPS.items() for c in cs}
    grouped = any(c.id in group_of for c in columns)
    heads = 2 + grouped
    places = [
        Place(0, 0, NOTE, TABLE3_NOTE, rowspan=heads, colspan=levels),
        Place(0, levels, HEAD, TABLE3_HEADING, colspan=len(columns)),
    ]
    for k, c in enumerate(columns):
        g = group_of.get(c.id)
        if g is None:
            places.append(Place(1, levels + k, HEAD, c.label, rowspan=1 + grouped))
            continue
        if k == 0 or group_of.get(columns[k - 1].id) != g:
            places.append(Place(1, levels + k, SUPER, g, colspan=len(TABLE3_COLUMN_GROUPS[g])))
        places.append(Place(2, levels + k, HEAD, c.label))
    for i, (r, start, span) in enumerate(zip(rows, starts, label_spans, strict=True)):
        row = heads + i
        at = levels - span - len(start)
        for g, n in start:
            places.append(Place(row, at, GROUP, g, rowspan=n))
            at += 1
        places.append(Place(row, at, LABEL, r.label, colspan=span))
        places.extend(Place(row, levels + k, VALUE, cell=(r.id, c.id)) for k, c in enumerate(columns))
    return Layout(levels + len(columns), heads + len(rows), heads, levels, tuple(places))


def _table4(tdef: TableDef) -> Layout:
    runs: list[tuple[str | None, list[RowDef]]] = []
    for r in tdef.rows:
        if r.group is not None and runs and runs[-1][0] == r.group:
            runs[-1][1].append(r)
        else:
            runs.append((r.group, [r]))
    grouped = any(g is not None for g, _ in runs)
    places: list[Place] = []
    at = 0
    for g, rdefs in runs:
        if g is not None:
            places.append(Place(0, at, SUPER, g, colspan=sum(len(r.columns) for r in rdefs)))
        for r in rdefs:
            n = len(r.columns)
            if g is None:
                places.append(Place(0, at, HEAD, r.label, rowspan=1 + grouped, colspan=n))
            else:
                places.append(Place(1, at, HEAD, r.label, colspan=n))
            for k, c in enumerate(r.columns):
                places.append(Place(1 + grouped, at + k, HEAD, c.label))
                places.append(Place(2 + grouped, at + k, VALUE, cell=(r.id, c.id)))
            at += n
    return Layout(at, 3 + grouped, 2 + grouped, 0, tuple(places))
