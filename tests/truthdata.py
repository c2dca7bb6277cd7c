"""Build reports from the hand-read truth files, and compare reports with them via the contract."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from govreport import Cell, Report, Table, TemplateVersion
from govreport.template import MONEY, template_for

COLUMNS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other", "total"]


def read_truth(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def report_from_truth(truth: dict[str, Any]) -> Report:
    """A Report whose cells are exactly the truth's numbers (no source spans)."""
    version = TemplateVersion(str(truth["template"]))
    tdef = template_for(version)
    cols = truth.get("columns", COLUMNS)
    t3 = {r: dict(zip(cols, vals, strict=True)) for r, vals in truth["table3"].items()}
    sources = {"table2": truth["table2"], "table3": t3, "table4": truth["table4"]}
    tables = {}
    for t in tdef.tables:
        rows = {}
        for rdef in t.rows:
            rows[rdef.id] = {}
            for cdef in rdef.columns:
                v = sources[t.id][rdef.id][cdef.id]
                value = Decimal(str(v)) if cdef.kind == MONEY else int(v)
                rows[rdef.id][cdef.id] = Cell.number(value, str(v))
        tables[t.id] = Table(t.id, version, rows)
    organ = truth["organ"][0] if isinstance(truth["organ"], list) else truth["organ"]
    return Report(organ, truth["year"], version, None, tables["table2"], tables["table3"], tables["table4"])


def contract_mismatches(doc: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """Every cell (and organ/year/template) where an export-contract dict differs from the truth."""
    out = []
    organs = truth["organ"] if isinstance(truth["organ"], list) else [truth["organ"]]
    if doc["organ"] not in organs:
        out.append(f"organ {doc['organ']!r} not in {organs}")
    if doc["year"] != truth["year"]:
        out.append(f"year {doc['year']} != {truth['year']}")
    if doc["template"] != str(truth["template"]):
        out.append(f"template {doc['template']} != {truth['template']}")
    cols = truth.get("columns", COLUMNS)
    expected: dict[tuple[str, str, str], Any] = {}
    for item, c in truth["table2"].items():
        for col, v in c.items():
            expected[("table2", item, col)] = v
    for row, vals in truth["table3"].items():
        for col, v in zip(cols, vals, strict=True):
            expected[("table3", row, col)] = v
    for grp, c in truth["table4"].items():
        for col, v in c.items():
            expected[("table4", grp, col)] = v
    for (table, row, col), v in expected.items():
        got = doc[table].get(row, {}).get(col)
        if got is None or Decimal(str(got)) != Decimal(str(v)):
            out.append(f"{table}.{row}.{col}: got {got!r}, truth {v!r}")
    return out


def assert_passes_full_checks(table: Table) -> None:
    """A table built unchecked (assembler, flat parser) equals its rebuild through every check."""
    cells = {
        r: {c: Cell(cell.value, cell.raw, cell.status, cell.span, cell.candidates) for c, cell in cols.items()}
        for r, cols in table.rows.items()
    }
    rebuilt = Table(table.id, table.template, cells)
    assert rebuilt == table
    assert tuple(rebuilt.rows) == tuple(table.rows)
