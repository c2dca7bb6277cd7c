"""govreport: Chinese government information-disclosure annual reports (政府信息公开工作年度报告)
as typed, validated data.

>>> import govreport
>>> report = govreport.load("report.txt")            # doctest: +SKIP
>>> report.table3["total_handled"]["total"].value    # doctest: +SKIP
23
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._api import Candidate, Explanation, explain, explain_text, load, loads
from ._version import __version__
from .checks import check_report
from .diagnostics import CellRef, Diagnostic, Severity, SourceSpan
from .errors import (
    GovReportError,
    InputError,
    NoParserMatched,
    ParserNotFound,
    PluginLoadError,
    StrictModeError,
)
from .model import Cell, CellStatus, Report, Section, Source, Subtotal, Table, UnplacedRow
from .registry import list_parsers
from .render import render  # eager: a lazy name would be shadowed by the submodule of the same name
from .template import TemplateVersion

__all__ = [
    "Candidate",
    "Cell",
    "CellRef",
    "CellStatus",
    "Diagnostic",
    "Explanation",
    "GovReportError",
    "InputError",
    "NoParserMatched",
    "ParserNotFound",
    "PluginLoadError",
    "Report",
    "Section",
    "Severity",
    "Source",
    "SourceSpan",
    "StrictModeError",
    "Subtotal",
    "Table",
    "TemplateVersion",
    "UnplacedRow",
    "__version__",
    "check_report",
    "check_series",
    "explain",
    "explain_text",
    "from_dict",
    "from_json",
    "list_parsers",
    "load",
    "loads",
    "render",
    "tidy_rows",
    "to_dataframe",
    "to_dict",
    "to_json",
]


if TYPE_CHECKING:
    from .convert import from_dict, from_json, tidy_rows, to_dict, to_json
    from .dataframe import to_dataframe
    from .series import check_series

# Imported on first use: ``import govreport`` stays cheap (cattrs, the renderers) and never needs
# pandas. Each name maps to the module that defines it.
_LAZY = {
    "from_dict": "convert",
    "from_json": "convert",
    "tidy_rows": "convert",
    "to_dict": "convert",
    "to_json": "convert",
    "check_series": "series",
    "to_dataframe": "dataframe",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govreport' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
