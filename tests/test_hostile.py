"""Hostile inputs end in a GovReportError or a Report, never a crash, a hang or unbounded memory.

The outcome is asserted, never the time: timing belongs in ``benchmarks/bench_load.py``.
"""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Iterator

import pytest

import govreport
from govreport import GovReportError, Report

from .conftest import seed_files

# Generous: a seed-size load peaks at a few MB; the bound catches per-character blow-ups (a
# backtracking regex once peaked at 245 MB on a 1 MB line of numbers).
PEAK_BOUND = 64 << 20


def _seed_text() -> str:
    files = seed_files()
    if not files:
        pytest.skip("no seeds available")
    return files[0].read_text(encoding="utf-8")


def _cells(report: Report) -> dict[str, dict[str, object]]:
    return {
        tid: {f"{r}.{c}": cell.value for r, row in table.rows.items() for c, cell in row.items()}
        for tid, table in (("table2", report.table2), ("table3", report.table3), ("table4", report.table4))
    }


def _load_bounded(data: str | bytes) -> Report | GovReportError:
    tracemalloc.start()
    try:
        result: Report | GovReportError = govreport.loads(data)
    except GovReportError as e:
        result = e
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < PEAK_BOUND, f"peak {peak / 2**20:.0f} MB"
    return result


def _insert_before_tables(text: str, block: list[str]) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "主动公开政府信息情况" in line)
    return "\n".join([*lines[:at], *block, *lines[at:]])


def _random_inputs() -> Iterator[bytes]:
    rng = random.Random(8)
    for _ in range(5):
        yield rng.randbytes(rng.randint(1, 200_000))


@pytest.mark.parametrize("data", list(_random_inputs()), ids=lambda d: f"{len(d)}B")
def test_random_bytes_are_refused(data: bytes) -> None:
    assert isinstance(_load_bounded(data), GovReportError)


def test_only_empty_lines_is_an_input_error() -> None:
    assert isinstance(_load_bounded("\n" * 100_000), govreport.InputError)


def test_empty_lines_inside_a_report_change_nothing() -> None:
    text = _seed_text()
    baseline = govreport.loads(text)
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "收到和处理政府信息公开申请情况" in line) + 1
    result = _load_bounded("\n".join([*lines[:at], *[""] * 100_000, *lines[at:]]))
    assert isinstance(result, Report)
    assert _cells(result) == _cells(baseline)


def test_a_row_of_ten_thousand_numbers_is_flagged() -> None:
    text = _seed_text()
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    row = "一、本年新收政府信息公开申请数量 " + " ".join(str(n % 97) for n in range(10_000))
    result = _load_bounded("\n".join([*lines[:at], row, *lines[at + 1 :]]))
    assert isinstance(result, Report)
    assert result.diagnostics, "ten thousand numbers on one row must not pass silently"


def test_only_a_row_of_ten_thousand_numbers_is_refused() -> None:
    data = "三、收到和处理政府信息公开申请情况\n" + " ".join(str(n % 97) for n in range(10_000))
    assert isinstance(_load_bounded(data), govreport.NoParserMatched)


def test_deeply_repeated_headings_without_tables_are_refused() -> None:
    assert isinstance(_load_bounded("三、收到和处理政府信息公开申请情况\n" * 5_000), govreport.NoParserMatched)


def test_repeated_headings_before_a_table_are_survived() -> None:
    text = _seed_text()
    result = _load_bounded(_insert_before_tables(text, ["二、主动公开政府信息情况"] * 2_000))
    assert isinstance(result, (Report, GovReportError))


@pytest.mark.parametrize("unit", ["1 ", "政府信息公开", "1,066 x "], ids=["numbers", "cjk", "mixed"])
def test_a_one_megabyte_line_alone_is_refused(unit: str) -> None:
    line = unit * ((1 << 20) // len(unit.encode("utf-8")))
    assert isinstance(_load_bounded(line), GovReportError)


def test_a_one_megabyte_narrative_line_changes_no_cell() -> None:
    text = _seed_text()
    baseline = govreport.loads(text)
    result = _load_bounded(_insert_before_tables(text, ["政府信息" * (1 << 18)]))
    assert isinstance(result, Report)
    assert _cells(result) == _cells(baseline)


def test_a_huge_title_line_changes_no_cell() -> None:
    text = _seed_text()
    baseline = govreport.loads(text)
    result = _load_bounded("鼓楼区人民政府2021年政府信息公开工作年度报告" * 40_000 + "\n" + text)
    assert isinstance(result, Report)
    assert _cells(result) == _cells(baseline)
