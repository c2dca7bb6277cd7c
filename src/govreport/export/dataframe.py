"""Reports as pandas DataFrames (optional: ``pip install 'govreport[pandas]'``).

:func:`to_dataframe` is the long form (one row per cell of many reports); :func:`table_frame` is one
table as a grid (``Table.to_frame``). pandas is imported when one is called, never by ``import govreport``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..model import Report, Table, numbers
from ..template import MONEY
from .convert import to_dict
from .sinks import LONG_COLUMNS, long_records, missing_extra

if TYPE_CHECKING:
    import pandas

__all__ = ["LABELS", "table_frame", "to_dataframe"]

LABELS = ("id", "zh")
"""How :func:`table_frame` names rows and columns: by stable id, or by the label the template prints."""


def to_dataframe(reports: Report | Mapping[str, Any] | Iterable[Report | Mapping[str, Any]]) -> pandas.DataFrame:
    """One row per table cell of every report, in the long form of :data:`govreport.export.sinks.LONG_COLUMNS`.

    ``reports`` may be reports, export-contract dicts (e.g. the lines of a ``govreport export``
    ``.jsonl`` file after :func:`json.loads`), or one of either. ``value`` is a nullable integer
    (counts), ``money`` an exact :class:`~decimal.Decimal` (万元) for the fee/procurement cells.

    >>> df = govreport.to_dataframe(govreport.load(p) for p in paths)  # doctest: +SKIP
    >>> df[(df.table == "table3") & (df.row == "total_handled") & (df.column == "total")]  # doctest: +SKIP
    """
    pd = _pandas()
    items: Iterable[Report | Mapping[str, Any]]
    if isinstance(reports, (Report, Mapping)):
        items = (reports,)
    else:
        items = reports
    rows: list[tuple[Any, ...]] = []
    for item in items:
        doc = to_dict(item) if isinstance(item, Report) else item
        rows.extend(long_records(doc))
    df = pd.DataFrame.from_records(rows, columns=list(LONG_COLUMNS))
    return df.astype({"year": "Int64", "value": "Int64"})


def table_frame(table: Table, labels: str = "id") -> pandas.DataFrame:
    """One table as a DataFrame: a row per template row, a column per template column, values as read.

    Counts are nullable integers (``Int64``), money an exact :class:`~decimal.Decimal` (万元). A cell
    without a number (blank, placeholder, unreadable, missing) is ``<NA>``/``None``; so is a Table 2
    column that the row does not have (the 2019 form gives its blocks different columns).
    ``labels="zh"`` names rows and columns by the template's printed labels instead of ids.
    """
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {', '.join(map(repr, LABELS))}, not {labels!r}")
    pd = _pandas()
    tdef = table.definition
    values = numbers(table)
    columns: dict[str, tuple[str, list[str]]] = {}  # id -> (kind, labels printed for it), first seen first
    for r in tdef.rows:
        for c in r.columns:
            printed = columns.setdefault(c.id, (c.kind, []))[1]
            if c.label not in printed:
                printed.append(c.label)
    data = {
        cid: pd.Series([values[r.id].get(cid) for r in tdef.rows], dtype=object if kind == MONEY else "Int64", name=cid)
        for cid, (kind, _) in columns.items()
    }
    frame = pd.DataFrame(data)
    if labels == "zh":
        frame.index = pd.Index([r.label for r in tdef.rows], name="行")
        frame.columns = pd.Index([" / ".join(printed) for _, printed in columns.values()], name="列")
    else:
        frame.index = pd.Index(tdef.row_ids, name="row")
        frame.columns.name = "column"
    return frame


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(missing_extra("pandas", "pandas")) from None
    return pd
