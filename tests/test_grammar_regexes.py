"""Terminals rewritten against catastrophic backtracking match exactly what they matched before."""

from __future__ import annotations

import contextlib
import re

from hypothesis import given
from hypothesis import strategies as st

import govreport
from govreport.parsers.box import BoxParser
from govreport.parsers.markdown import MarkdownParser

from .conftest import seed_files
from .property.test_fuzz import no_hang

# the previous forms: the same languages, written ambiguously
OLD_RULE_LINE = re.compile(
    r"[ \t]*[|+]?[ \t]*:?[-=]{3,}:?[ \t]*(?:[|+ \t][ \t]*:?[-=]{3,}:?[ \t]*)*[|+]?[ \t]*(?:\n+|$)"
)
OLD_BOX_RULE = re.compile(
    r"[ \t]*[┌┐└┘├┤┬┴┼─━│┃╞╡╪═╔╗╚╝╠╣╦╩╬+|:=-]*[─━═┼+][┌┐└┘├┤┬┴┼─━│┃╞╡╪═╔╗╚╝╠╣╦╩╬+|:= -]*(?:\n+|$)"
)


def _terminal(parser: type[MarkdownParser] | type[BoxParser], name: str) -> re.Pattern[str]:
    (term,) = [t for t in parser.lark().terminals if t.name == name]
    return re.compile(term.pattern.to_regexp())


def _span(pattern: re.Pattern[str], text: str) -> tuple[int, int] | None:
    m = pattern.match(text)
    return m.span() if m else None


@given(st.text(alphabet=" \t|+:-=x\n", max_size=24))
def test_rule_line_matches_as_before(text: str) -> None:
    assert _span(_terminal(MarkdownParser, "RULE_LINE"), text) == _span(OLD_RULE_LINE, text)


@given(st.text(alphabet=" \t─━═┼+│├┤|:=-x\n", max_size=24))
def test_box_rule_matches_as_before(text: str) -> None:
    assert _span(_terminal(BoxParser, "BOX_RULE"), text) == _span(OLD_BOX_RULE, text)


def test_rule_lines_that_fail_late_are_rejected() -> None:
    """A fuzzed line of dash runs and blanks ending in junk took the old RULE_LINE 35 s (and a
    longer one, years); the watchdog turns such a hang into a failure."""
    rule = _terminal(MarkdownParser, "RULE_LINE")
    box = _terminal(BoxParser, "BOX_RULE")
    with no_hang():
        assert rule.match("    ===|   " + "===  \t" * 2000 + "|x\n") is None
        assert box.match("─" * 20_000 + "x\n") is None


def test_a_report_with_such_a_line_loads() -> None:
    seed = seed_files()[0].read_text(encoding="utf-8")
    at = seed.index("三、收到和处理政府信息公开申请情况")
    line = "    ===|" + " ===  \t=-=--==-\t" * 40 + "|\x1a>0\n"
    for parser in ("markdown", None):  # the markdown grammar is where the line reaches RULE_LINE
        with no_hang(), contextlib.suppress(govreport.GovReportError):
            report = govreport.loads(seed[:at] + line + seed[at:], parser=parser)
            assert report.table3.id == "table3"
