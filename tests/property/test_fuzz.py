"""Robustness: damaged seed texts and grammar-generated tables never crash the reader or hang."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govreport
from govreport import GovReportError
from govreport.export.render import LAYOUTS
from govreport.registry import get_parser
from govreport.testing import from_layout_grammar
from govreport.text.normalise import normalise
from govreport.text.sections import find_sections

from ..conftest import seed_files
from ._compare import share

SEEDS = [p.read_text(encoding="utf-8") for p in seed_files()]
HANG_SECONDS = 20
"""A load of a few kB that takes this long is a hang (a normal one takes milliseconds)."""


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def fire(signum: int, frame: object) -> None:
        raise TimeoutError(f"loads did not finish within {seconds}s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@st.composite
def damaged_seeds(draw: st.DrawFn) -> str | bytes:
    """A seed report, cut to a window of its lines, then damaged a few times."""
    text = draw(st.sampled_from(SEEDS))
    lines = text.split("\n")
    # a window keeps inputs small while still spanning section headings and table rows
    start = draw(st.integers(0, max(0, len(lines) - 40)))
    lines = lines[start : start + draw(st.integers(1, 160))]
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "swap", "truncate", "insert", "duplicate"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap" and len(lines[i]) > 1:
            j = draw(st.integers(0, len(lines[i]) - 2))
            s = lines[i]
            lines[i] = s[:j] + s[j + 1] + s[j] + s[j + 2 :]
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=30)))
    out = "\n".join(lines)
    if draw(st.booleans()):
        return out
    raw = bytearray(out.encode(draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]))))
    for _ in range(draw(st.integers(0, 4))):
        if raw:
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw)


@pytest.mark.skipif(not SEEDS, reason="seed reports not available")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged_seeds(), st.sampled_from([None, *LAYOUTS]))
def test_damaged_text_raises_only_govreport_errors(data: str | bytes, parser: str | None) -> None:
    with no_hang():
        try:
            report = govreport.loads(data, parser=parser)
        except GovReportError:
            return
    # whatever came out is a well-formed report (its constructor validated the tables)
    assert report.template is not None
    govreport.to_dict(report)


def _embed(table2: str, table3: str, table4: str) -> str:
    return "\n".join(
        [
            "鼓楼区人民政府2021年政府信息公开工作年度报告",
            "一、总体情况",
            "无",
            "二、主动公开政府信息情况",
            table2,
            "三、收到和处理政府信息公开申请情况",
            table3,
            "四、政府信息公开行政复议、行政诉讼情况",
            table4,
            "五、存在的主要问题及改进情况",
            "无",
        ]
    )


@pytest.mark.parametrize("name", LAYOUTS)
def test_grammar_accepted_tables_do_not_crash_the_parser(name: str) -> None:
    lines = from_layout_grammar(name)
    parser = get_parser(name)

    @share(5, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(lines, lines, lines)
    def prop(t2: str, t3: str, t4: str) -> None:
        text = _embed(t2, t3, t4)
        doc = normalise(text)
        layout = find_sections(doc)
        with no_hang():
            result = parser.parse(doc, layout)  # a crash here is exactly what this property is after
            assert set(result.rows) <= {"table2", "table3", "table4"}
            with suppress(GovReportError):
                govreport.loads(text, parser=name)

    prop()
