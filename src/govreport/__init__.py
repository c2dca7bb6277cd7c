"""govreport: Chinese government information-disclosure annual reports (政府信息公开工作年度报告)
as typed, validated data.

>>> import govreport
>>> report = govreport.load("report.txt")            # doctest: +SKIP
>>> report.table3["total_handled"]["total"].value    # doctest: +SKIP
23
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _compat
from ._api import Candidate, Explanation, explain, explain_text, load, loads
from ._version import __version__
from .checks.arithmetic import check_report
from .diagnostics import CellRef, Diagnostic, Severity, SourceSpan
from .errors import (
    ClusterError,
    GovReportError,
    InputError,
    InternalError,
    NoParserMatched,
    OutputError,
    ParserNotFound,
    PluginLoadError,
    StrictModeError,
)
from .export.render import render  # eager: a lazy name would be shadowed by the submodule of the same name
from .model import Cell, CellStatus, Report, Section, Source, Subtotal, Table, UnplacedRow
from .registry import list_parsers
from .template import TemplateVersion

__all__ = [
    "Candidate",
    "Cell",
    "CellRef",
    "CellStatus",
    "ClusterError",
    "Diagnostic",
    "Explanation",
    "GovReportError",
    "InputError",
    "InternalError",
    "NoParserMatched",
    "OutputError",
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
    from .checks.series import check_series
    from .export.convert import from_dict, from_json, tidy_rows, to_dict, to_json
    from .export.dataframe import to_dataframe

_compat.install()  # old module paths of 0.1 keep working, with a DeprecationWarning

# Imported on first use: ``import govreport`` stays cheap (cattrs, the renderers) and never needs
# pandas. Each name maps to the module that defines it.
_LAZY = {
    "from_dict": "export.convert",
    "from_json": "export.convert",
    "tidy_rows": "export.convert",
    "to_dict": "export.convert",
    "to_json": "export.convert",
    "check_series": "checks.series",
    "to_dataframe": "export.dataframe",
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
