"""Reports as a pandas DataFrame (optional: ``pip install 'govreport[pandas]'``).

pandas is imported when :func:`to_dataframe` is called, never by ``import govreport``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..model import Report
from .convert import to_dict
from .sinks import LONG_COLUMNS, long_records, missing_extra

if TYPE_CHECKING:
    import pandas

__all__ = ["to_dataframe"]


def to_dataframe(reports: Report | Mapping[str, Any] | Iterable[Report | Mapping[str, Any]]) -> pandas.DataFrame:
    """One row per table cell of every report, in the long form of :data:`govreport.export.sinks.LONG_COLUMNS`.

    ``reports`` may be reports, export-contract dicts (e.g. the lines of a ``govreport export``
    ``.jsonl`` file after :func:`json.loads`), or one of either. ``value`` is a nullable integer
    (counts), ``money`` an exact :class:`~decimal.Decimal` (万元) for the fee/procurement cells.

    >>> df = govreport.to_dataframe(govreport.load(p) for p in paths)  # doctest: +SKIP
    >>> df[(df.table == "table3") & (df.row == "total_handled") & (df.column == "total")]  # doctest: +SKIP
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(missing_extra("pandas", "pandas")) from None
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
