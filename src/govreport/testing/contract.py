"""``ParserContract``: the tests every layout parser should pass, as a base class to subclass.

A plugin author writes::

    from govreport.testing.contract import ParserContract

    class TestMyParser(ParserContract):
        parser_cls = MyParser
        samples = [Path("tests/data/a.txt").read_text(encoding="utf-8")]

and pytest runs every ``test_*`` method below against the parser and each sample. The class itself
is not collected (its name does not start with ``Test``); a subclass without ``parser_cls`` or
``samples`` fails loudly rather than passing vacuously.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pytest

from .._api import loads
from ..export.render import LAYOUTS, render
from ..model import Report
from ..parsers.rows import ParseResult
from ..registry import LayoutParser, list_parsers, register
from ..text.normalise import NormText, normalise
from ..text.sections import Layout, find_sections

__all__ = ["ParserContract"]

_TABLE_SECTIONS = (("table2", "proactive"), ("table3", "requests"), ("table4", "review_litigation"))


class ParserContract:
    """Base class of a parser's contract tests (pytest style).

    Attributes:
        parser_cls: the parser class (or instance) under test.
        samples: texts in the parser's layout, each with at least one table the parser reads.
        render_layout: the :func:`govreport.export.render` layout that writes the parser's layout; defaults
            to the parser's ``layout`` when govreport can render it. Override :meth:`render_text`
            for a layout govreport cannot write.
    """

    parser_cls: ClassVar[Any] = None
    samples: ClassVar[Sequence[str]] = ()
    render_layout: ClassVar[str | None] = None

    # --- helpers a subclass may override -----------------------------------------------------

    def make_parser(self) -> LayoutParser:
        if self.parser_cls is None:
            pytest.fail(f"{type(self).__name__} must set parser_cls")
        parser = self.parser_cls() if isinstance(self.parser_cls, type) else self.parser_cls
        return parser  # type: ignore[no-any-return]

    def texts(self) -> Sequence[str]:
        if not self.samples:
            pytest.fail(f"{type(self).__name__} must set samples (a list of texts in the parser's layout)")
        return self.samples

    def render_text(self, report: Report) -> str:
        """The report written in the parser's layout (for the parse → render → parse check)."""
        layout = self.render_layout or self.make_parser().layout
        if layout not in LAYOUTS:
            pytest.skip(f"govreport cannot render layout {layout!r}; override render_text()")
        return render(report, layout)

    @staticmethod
    def prepare(text: str) -> tuple[NormText, Layout]:
        doc = normalise(text)
        return doc, find_sections(doc)

    # --- the contract --------------------------------------------------------------------------

    def test_metadata(self) -> None:
        parser = self.make_parser()
        for attr, kind in (("name", str), ("layout", str), ("priority", int), ("description", str)):
            value = getattr(parser, attr, None)
            assert isinstance(value, kind), f"{attr} must be a {kind.__name__}"
            assert not isinstance(value, bool), f"{attr} must be a {kind.__name__}, not a bool"
        assert parser.name == parser.name.lower(), "name must be lowercase"
        assert parser.name.replace("_", "").isalnum(), "name must be an identifier"
        assert parser.description.strip(), "description must say what the parser reads"
        assert callable(parser.detect)
        assert callable(parser.parse)
        register(parser)  # the registry's own validation accepts it

    def test_name_is_unique(self) -> None:
        parser = self.make_parser()
        same = [p for p in list_parsers() if p.name == parser.name]
        assert all(type(p) is type(parser) for p in same), f"another parser is registered as {parser.name!r}"

    def test_detect_in_range_and_deterministic(self) -> None:
        parser = self.make_parser()
        for text in self.texts():
            doc, layout = self.prepare(text)
            first = parser.detect(doc, layout)
            assert isinstance(first, float | int), f"detect returned {type(first).__name__}"
            assert 0.0 <= first <= 1.0, first
            assert parser.detect(*self.prepare(text)) == first, "detect must be deterministic"
            assert first > 0, "detect should recognise the parser's own samples"

    def _parse(self, text: str) -> tuple[NormText, Layout, ParseResult]:
        doc, layout = self.prepare(text)
        result = self.make_parser().parse(doc, layout)
        assert isinstance(result, ParseResult)
        return doc, layout, result

    def test_nothing_dropped(self) -> None:
        for text in self.texts():
            doc, layout, result = self._parse(text)
            used = {it.line for rows in result.rows.values() for row in rows for it in row.items}
            used |= {line for line, _ in result.noise}
            for _, key in _TABLE_SECTIONS:
                region = layout.region(key)
                if region is None:
                    continue
                # the heading line belongs to the section, not to its table
                for n in range(region.start + 1, min(region.end, len(doc.lines))):
                    if doc.lines[n].strip():
                        assert n in used, (
                            f"line {n + 1} of the {key} table is in no row and not noise: {doc.lines[n]!r}"
                        )

    def test_item_positions_inside_text(self) -> None:
        for text in self.texts():
            doc, _, result = self._parse(text)
            for table_id, rows in result.rows.items():
                assert table_id in ("table2", "table3", "table4"), table_id
                for row in rows:
                    for it in row.items:
                        assert 0 <= it.line < len(doc.lines), it
                        line = doc.lines[it.line]
                        assert 0 <= it.start <= it.end <= len(line), it
                        if it.text:
                            assert it.text in line, f"{it.text!r} is not on line {it.line + 1}: {line!r}"

    def test_parse_render_parse_is_stable(self) -> None:
        name = self.make_parser().name
        register(self.make_parser())
        for text in self.texts():
            first = loads(text, parser=name)
            second = loads(self.render_text(first), parser=name)
            for table in ("table2", "table3", "table4"):
                assert getattr(second, table).values() == getattr(first, table).values(), table
            assert (second.organ, second.year, second.template) == (first.organ, first.year, first.template)
