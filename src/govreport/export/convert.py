"""Reports to plain data and back (cattrs), in the documented export contract.

``to_dict(report)`` gives the JSON object of ``docs/export.md``: ``table3[row][column]`` holds the
value (JSON integer for counts, decimal string for money, ``null`` when absent), and ``cells`` holds
every cell's printed text, status and source span, so ``from_dict(to_dict(r)) == r`` exactly.
``tidy_rows(report)`` gives the long one-row-per-cell form for CSV, pandas or SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import cattrs

from ..diagnostics import CellRef, Diagnostic, Origin, Severity, SourceSpan
from ..model import Cell, CellStatus, LazyRows, Report, Section, Source, Subtotal, Table, UnplacedRow
from ..template import MONEY, TemplateVersion, template_for

__all__ = [
    "SCHEMA",
    "TIDY_COLUMNS",
    "from_dict",
    "from_json",
    "make_converter",
    "tidy_rows",
    "to_dict",
    "to_json",
]

SCHEMA = "govreport/1"
"""Version tag of the export contract; bumped only on incompatible changes."""

TIDY_COLUMNS = ("source", "organ", "year", "template", "table", "row", "column", "value", "raw", "status")
"""Columns of the long/tidy form, one row per table cell."""


def _value_out(v: int | Decimal | None) -> int | str | None:
    if isinstance(v, Decimal):
        return str(v)
    return v


def _value_in(v: Any, kind: str | None = None) -> int | Decimal | None:
    if v is None:
        return None
    if kind == MONEY:
        return Decimal(str(v))
    if isinstance(v, bool):
        raise TypeError("a boolean is not a cell value")
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        return Decimal(v) if ("." in v or "E" in v.upper()) else int(v)
    if isinstance(v, float):
        raise TypeError(f"float {v!r} is not accepted: money must be a decimal string")
    raise TypeError(f"cannot read a cell value from {type(v).__name__}")


def make_converter() -> cattrs.Converter:
    """A fresh converter with govreport's hooks (a factory, so nobody shares mutable state)."""
    conv = cattrs.Converter()
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    conv.register_unstructure_hook(SourceSpan, lambda s: [s.line, s.column, s.end_line, s.end_column])
    conv.register_structure_hook(SourceSpan, lambda v, _: SourceSpan(*v))
    conv.register_unstructure_hook(Severity, lambda s: s.value)
    conv.register_structure_hook(Severity, lambda v, _: Severity(v))
    conv.register_unstructure_hook(TemplateVersion, lambda s: s.value)
    conv.register_structure_hook(TemplateVersion, lambda v, _: TemplateVersion(str(v)))
    conv.register_structure_hook(int | Decimal | None, lambda v, _: _value_in(v))

    def cellref_out(c: CellRef) -> dict[str, Any]:
        return {
            "table": c.table,
            "row": c.row,
            "column": c.column,
            "value": _value_out(c.value),
            "span": conv.unstructure(c.span),
            **_origin_field(c.origin),
        }

    conv.register_unstructure_hook(CellRef, cellref_out)
    conv.register_structure_hook(
        CellRef,
        lambda d, _: CellRef(
            d["table"],
            d["row"],
            d["column"],
            _value_in(d.get("value")),
            _span_in(d.get("span")),
            origin_in(d.get("origin")),
        ),
    )

    def diag_out(d: Diagnostic) -> dict[str, Any]:
        out = {
            "code": d.code,
            "severity": d.severity.value,
            "message": d.message,
            "message_zh": d.message_zh,
            "table": d.table,
            "row": d.row,
            "column": d.column,
            "cells": [cellref_out(c) for c in d.cells],
            "expected": _value_out(d.expected),
            "actual": _value_out(d.actual),
            "difference": _value_out(d.difference),
            "suggestion": _value_out(d.suggestion),
            "span": conv.unstructure(d.span),
            "detail": d.detail,
            "parser": d.parser,
            **_origin_field(d.origin),
        }
        return out

    def diag_in(d: Mapping[str, Any], _: Any) -> Diagnostic:
        return Diagnostic(
            d["code"],
            Severity(d["severity"]),
            d["message"],
            d.get("message_zh", ""),
            d.get("table"),
            d.get("row"),
            d.get("column"),
            tuple(conv.structure(c, CellRef) for c in d.get("cells", ())),
            _value_in(d.get("expected")),
            _value_in(d.get("actual")),
            _value_in(d.get("difference")),
            _value_in(d.get("suggestion")),
            _span_in(d.get("span")),
            d.get("detail", ""),
            d.get("parser"),
            origin_in(d.get("origin")),
        )

    conv.register_unstructure_hook(Diagnostic, diag_out)
    conv.register_structure_hook(Diagnostic, diag_in)
    return conv


def _span_in(v: Any) -> SourceSpan | None:
    return None if v is None else SourceSpan(*v)


def origin_out(o: Origin) -> dict[str, Any]:
    """An :class:`Origin` as ``{table, row, column, page, box, line}`` (absent parts ``null``; box a list)."""
    return {
        "table": o.table,
        "row": o.row,
        "column": o.column,
        "page": o.page,
        "box": list(o.box) if o.box is not None else None,
        "line": o.line,
    }


def origin_in(v: Mapping[str, Any] | None) -> Origin | None:
    if v is None:
        return None
    box = v.get("box")
    return Origin(
        v.get("table"),
        v.get("row"),
        v.get("column"),
        v.get("page"),
        (float(box[0]), float(box[1]), float(box[2]), float(box[3])) if box is not None else None,
        v.get("line"),
    )


def _origin_field(o: Origin | None) -> dict[str, Any]:
    # only a published document's cells have an origin: text exports stay as they were
    return {} if o is None else {"origin": origin_out(o)}


_CONVERTER = make_converter()


def _record(table: str, row: str, column: str, cell: Cell) -> dict[str, Any]:
    return {
        "table": table,
        "row": row,
        "column": column,
        "value": _value_out(cell.value),
        "raw": cell.raw,
        "status": cell.status.value,
    }


def _cell_records(report: Report) -> Iterator[dict[str, Any]]:
    """Every template cell as ``{table, row, column, value, raw, status}``."""
    for table in (report.table2, report.table3, report.table4):
        for r, c, cell in table.cells():
            yield _record(table.id, r, c, cell)


def _subtotal_records(report: Report) -> Iterator[dict[str, Any]]:
    """Subtotal rows (小计/合计) in the long form: table3, row ``subtotal.<block>``."""
    for sub in report.subtotals:
        for c, cell in sub.cells.items():
            yield _record("table3", f"subtotal.{sub.block}", c, cell)


def _detail(cell: Cell) -> dict[str, Any]:
    """What the value tables leave out of a cell: printed text, status, span, candidate readings."""
    return _detail_of(cell.value, cell.raw, cell.status, cell.span, cell.candidates, cell.origin, {})


def _detail_of(
    value: int | Decimal | None,
    raw: str,
    status: CellStatus,
    span: SourceSpan | None,
    candidates: tuple[int, ...],
    origin: Origin | None,
    out: dict[str, Any],
) -> dict[str, Any]:
    """:func:`_detail` from a cell's fields, added to ``out`` (a cell need not be built for it)."""
    out["value"] = str(value) if isinstance(value, Decimal) else value
    out["raw"] = raw
    out["status"] = status.value
    out["span"] = _span_out(span)
    if candidates:
        out["candidates"] = list(candidates)
    if origin is not None:
        out["origin"] = origin_out(origin)
    return out


def _span_out(span: SourceSpan | None) -> list[int] | None:
    return None if span is None else [span.line, span.column, span.end_line, span.end_column]


_NUMBER = CellStatus.NUMBER.value


def _table_out(table: Table, cells: list[dict[str, Any]]) -> dict[str, dict[str, int | str | None]]:
    """The table's ``{row: {column: value}}``, appending each cell's ``cells`` entry on the way.

    The hot loop of every export (a few hundred cells a report), in one pass. A lazily assembled
    table's deferred counts, nearly all its cells, are written from their ``(value, item)`` as they
    are held (:meth:`~govreport.model.LazyRows.held`): no :class:`Cell` or :class:`SourceSpan`
    built, one dict literal each. Each entry has the keys, in the same order, of
    ``{**_record(...), **_detail(cell)}`` for the cell it stands for.
    """
    rows = table.rows
    tid = table.id
    values: dict[str, dict[str, int | str | None]] = {}
    append = cells.append
    if not isinstance(rows, LazyRows):
        for r, cols in rows.items():
            row_values = values[r] = {}
            for c, cell in cols.items():
                d = _entry(tid, r, c, cell)
                row_values[c] = d["value"]
                append(d)
        return values
    span_list = rows.span_list
    for r, held in rows.held():
        row_values = values[r] = {}
        for c, e in held.items():
            if type(e) is tuple:
                value, (_, raw, line, start, end) = e
                row_values[c] = value  # a count: an int, as _value_out leaves it
                append(
                    {
                        "table": tid,
                        "row": r,
                        "column": c,
                        "value": value,
                        "raw": raw,
                        "status": _NUMBER,
                        "span": span_list(line, start, end),
                    }
                )
            else:
                d = _entry(tid, r, c, e)  # type: ignore[arg-type]
                row_values[c] = d["value"]
                append(d)
    return values


def _entry(tid: str, r: str, c: str, cell: Cell) -> dict[str, Any]:
    """A built cell's ``cells`` entry."""
    return _detail_of(
        cell.value,
        cell.raw,
        cell.status,
        cell.span,
        cell.candidates,
        cell.origin,
        {"table": tid, "row": r, "column": c},
    )


def to_dict(report: Report, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """The export-contract object of a report (JSON-ready: only dicts, lists, str, int, None)."""
    conv = converter or _CONVERTER
    src = report.source
    cells: list[dict[str, Any]] = []  # filled by _table_out, table by table
    return {
        "schema": SCHEMA,
        "organ": report.organ,
        "year": report.year,
        "template": report.template.value,
        "title": report.title,
        "path": src.path,
        "layout": src.layout,
        "parser": src.parser,
        "confidence": src.confidence,
        "encoding": src.encoding,
        "sha256": src.sha256,
        "format": src.format,
        "reader": src.reader,
        "table2": _table_out(report.table2, cells),
        "table3": _table_out(report.table3, cells),
        "table4": _table_out(report.table4, cells),
        "sections": [conv.unstructure(s) for s in report.sections],
        "diagnostics": [conv.unstructure(d) for d in report.diagnostics],
        "cells": cells,
        "unplaced": [conv.unstructure(u) for u in report.unplaced],
        "subtotals": [_subtotal_out(s) for s in report.subtotals],
    }


def _subtotal_out(sub: Subtotal) -> dict[str, Any]:
    """``{block, row, span, values: {column: value}, cells: [{column, value, raw, status, span}]}``."""
    return {
        "block": sub.block,
        "row": sub.row_id,
        "span": _CONVERTER.unstructure(sub.span),
        "values": {c: _value_out(cell.value) for c, cell in sub.cells.items()},
        "cells": [{"column": c, **_detail(cell)} for c, cell in sub.cells.items()],
    }


def _subtotal_in(data: Mapping[str, Any]) -> Subtotal:
    detail = {d["column"]: d for d in data.get("cells", ())}
    cells: dict[str, Cell] = {}
    for c, v in data["values"].items():
        value = _value_in(v)
        d = detail.get(c)
        if d is None:
            cells[c] = Cell.number(value) if value is not None else Cell.missing()
        else:
            cells[c] = Cell(
                value,
                d.get("raw", ""),
                CellStatus(d.get("status", "number" if value is not None else "missing")),
                _span_in(d.get("span")),
                tuple(d.get("candidates", ())),
                origin_in(d.get("origin")),
            )
    return Subtotal(data["block"], cells, _span_in(data.get("span")))


def from_dict(data: Mapping[str, Any], *, converter: cattrs.Converter | None = None) -> Report:
    """Rebuild a :class:`Report` from :func:`to_dict` output (exactly, including spans and raw text)."""
    conv = converter or _CONVERTER
    version = TemplateVersion(str(data["template"]))
    tdef = template_for(version)
    detail = {(c["table"], c["row"], c["column"]): c for c in data.get("cells", ())}
    tables = {}
    for t in tdef.tables:
        values = data[t.id]
        rows: dict[str, dict[str, Cell]] = {}
        for rdef in t.rows:
            rows[rdef.id] = {}
            for cdef in rdef.columns:
                d = detail.get((t.id, rdef.id, cdef.id))
                value = _value_in(values[rdef.id][cdef.id], cdef.kind)
                if d is None:
                    cell = Cell.number(value) if value is not None else Cell.missing()
                else:
                    cell = Cell(
                        value,
                        d.get("raw", ""),
                        CellStatus(d.get("status", "number" if value is not None else "missing")),
                        _span_in(d.get("span")),
                        tuple(d.get("candidates", ())),
                        origin_in(d.get("origin")),
                    )
                rows[rdef.id][cdef.id] = cell
        tables[t.id] = Table(t.id, version, rows)
    return Report(
        organ=data.get("organ"),
        year=data.get("year"),
        template=version,
        title=data.get("title"),
        table2=tables["table2"],
        table3=tables["table3"],
        table4=tables["table4"],
        sections=tuple(conv.structure(s, Section) for s in data.get("sections", ())),
        diagnostics=tuple(conv.structure(d, Diagnostic) for d in data.get("diagnostics", ())),
        source=Source(
            data.get("path"),
            data.get("layout"),
            data.get("parser"),
            float(data.get("confidence") or 0.0),
            data.get("encoding"),
            data.get("sha256"),
            data.get("format", "text"),
            data.get("reader", "text"),
        ),
        unplaced=tuple(conv.structure(u, UnplacedRow) for u in data.get("unplaced", ())),
        subtotals=tuple(_subtotal_in(s) for s in data.get("subtotals", ())),
    )


def to_json(report: Report, *, indent: int | None = None) -> str:
    """The export contract as a JSON string (UTF-8 text, Chinese kept readable)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes) -> Report:
    """Inverse of :func:`to_json`."""
    return from_dict(json.loads(text))


def tidy_rows(report: Report) -> Iterator[dict[str, Any]]:
    """One dict per table cell with :data:`TIDY_COLUMNS` (value as in the contract)."""
    base = {
        "source": report.source.path,
        "organ": report.organ,
        "year": report.year,
        "template": report.template.value,
    }
    for record in _cell_records(report):
        yield {**base, **record}
    for record in _subtotal_records(report):
        yield {**base, **record}
