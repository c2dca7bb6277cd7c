"""Hypothesis strategies and a parser contract for testing govreport and its plugins.

Needs the ``testing`` extra (``pip install 'govreport[testing]'``), which brings Hypothesis;
``import govreport`` itself never imports Hypothesis.

- :func:`reports`, :func:`tables3`, :func:`tables4`: whole reports and tables, consistent with the
  template's arithmetic or broken on purpose.
- :func:`report_texts`: ``(text, report)`` pairs, the report rendered in a layout, for round trips.
- :func:`report_documents`: ``(document, report)`` pairs, the report as a published document's grids.
- :func:`from_layout_grammar`: strings a packaged layout grammar accepts, for fuzzing.
- :class:`govreport.testing.contract.ParserContract`: a test base class for parser plugins.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401 - only checking that the extra is installed
except ImportError:  # pragma: no cover - exercised in an environment without the extra
    raise ImportError("govreport.testing needs Hypothesis: install it with pip install 'govreport[testing]'") from None

from ._strategies import (
    RULES,
    from_layout_grammar,
    organs,
    report_documents,
    report_texts,
    reports,
    tables2,
    tables3,
    tables4,
)

__all__ = [
    "RULES",
    "from_layout_grammar",
    "organs",
    "report_documents",
    "report_texts",
    "reports",
    "tables2",
    "tables3",
    "tables4",
]
