"""Everything a parser plugin needs, in one public module.

A parser plugin reads one text layout into rows; govreport's shared assembler maps them onto the
template. It is a class with five attributes and two methods (:class:`LayoutParser`), registered
under the ``govreport.parsers`` entry-point group (:data:`ENTRY_POINT_GROUP`)::

    from govreport.plugins import GrammarParser, Layout, NormText, table_regions

    class MyParser(GrammarParser):
        name = "mine"                  # unique, lowercase; load(p, parser="mine") forces it
        layout = "mine"                # shown in report.source.layout
        priority = 10                  # breaks ties only (built-ins use 100 … 40)
        description = "one line"
        grammar = "mine"               # grammars/mine.lark ...
        grammar_package = "my_package" # ... inside my_package

        def detect(self, doc: NormText, layout: Layout) -> float:
            ...                        # cheap, pure, in [0, 1]

What ``parse(doc, layout)`` receives and returns:

- ``doc`` is a :class:`NormText`: the normalised text, line for line with the source (``doc.lines``),
  with ``doc.span(line, start, end)`` mapping 0-based normalised positions back to the original.
- ``layout`` is a :class:`Layout`: the sections found; :func:`table_regions` gives the
  ``(first, end)`` lines of each table's region (``"table2"``, ``"table3"``, ``"table4"``).
- It returns a :class:`ParseResult`: for each table id, the :class:`Row` s of its region in reading
  order, each a tuple of :class:`Item` s (label text, a cell, a blank or a placeholder; build them with
  :func:`split_items`, :func:`field_items` or :func:`classify`), plus the lines set aside as noise
  and any :class:`Diagnostic`. A parser that maps cells itself may return finished
  :class:`TableResult` s in ``ParseResult.tables``.

``govreport.testing.contract.ParserContract`` is the test suite a plugin subclasses to check all of
this. See ``docs/plugins.md``.
"""

from __future__ import annotations

from .diagnostics import CellRef, Diagnostic, Severity, SourceSpan
from .parsers._base import GrammarParser, RowBuilder, field_items, token_position
from .parsers.rows import (
    BLANK,
    CELL,
    PLACEHOLDER,
    PLACEHOLDERS,
    TEXT,
    Item,
    ParseResult,
    Row,
    TableResult,
    classify,
    parse_number,
    split_items,
)
from .registry import ENTRY_POINT_GROUP, LayoutParser, get_parser, list_parsers, plugin_errors, register
from .text.normalise import NormText, fold, normalise
from .text.sections import TABLE_SECTIONS, Layout, Region, find_sections, table_regions

__all__ = [
    "BLANK",
    "CELL",
    "ENTRY_POINT_GROUP",
    "PLACEHOLDER",
    "PLACEHOLDERS",
    "TABLE_SECTIONS",
    "TEXT",
    "CellRef",
    "Diagnostic",
    "GrammarParser",
    "Item",
    "Layout",
    "LayoutParser",
    "NormText",
    "ParseResult",
    "Region",
    "Row",
    "RowBuilder",
    "Severity",
    "SourceSpan",
    "TableResult",
    "classify",
    "field_items",
    "find_sections",
    "fold",
    "get_parser",
    "list_parsers",
    "normalise",
    "parse_number",
    "plugin_errors",
    "register",
    "split_items",
    "table_regions",
    "token_position",
]
