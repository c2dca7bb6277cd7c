"""TXT.* statements read from section 一 against the tables; Q.SEC5 / Q.SEC6FEE."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import govreport
from govreport import Cell, Section, Severity, Table
from govreport.checks.arithmetic import check_report
from govreport.text.statements import statements

from .conftest import corpus_cases, seed_files
from .truthdata import read_truth, report_from_truth


def test_statements_take_the_keyword_nearest_before_the_number() -> None:
    text = (
        "2019年，共受理依申请公开27件，其中信函申请26件，政府网站1件。"
        "其中受理政府信息公开申请27件均按照相关规定时限进行了答复。行政复议3件，行政诉讼7件，结果维持6件。"
    )
    got = [(s.kind, s.value) for s in statements(text)]
    assert got == [("TXT.RECEIVED", 27), ("TXT.RECEIVED", 27), ("TXT.REVIEW", 3), ("TXT.LITIGATION", 7)]


def test_statements_skip_comparisons_and_join_wrapped_numbers() -> None:
    text = "共收到政府信息公开申请 105\n件，上年结转 11\n件。申请数量同比增加5件。结转下年度继续办理2件。"
    assert [(s.kind, s.value) for s in statements(text)] == [
        ("TXT.RECEIVED", 105),
        ("TXT.CARRIED_OVER", 11),
        ("TXT.CARRIED_FORWARD", 2),
    ]


def _report() -> govreport.Report:
    return report_from_truth(read_truth(corpus_cases()[0] / "truth.json"))


def _overview(report: govreport.Report, text: str, **more: str) -> govreport.Report:
    secs = [Section("overview", "一", "一、总体情况", text)]
    secs += [Section(k, "", k, v) for k, v in more.items()]
    return attrs.evolve(report, sections=tuple(secs))


def test_a_wrong_number_is_a_warning_quoting_the_sentence() -> None:
    report = _report()
    new = int(report.table3.value("new_received", "total") or 0)
    carried = int(report.table3.value("carried_forward", "total") or 0)
    text = f"本年新收政府信息公开申请{new + 3}件。结转下年度继续办理{carried}件。"
    diags = [d for d in check_report(_overview(report, text)).diagnostics if d.code.startswith("TXT")]
    assert [(d.code, d.row, d.actual, d.expected) for d in diags] == [("TXT.NEW", "new_received", new + 3, new)]
    assert diags[0].severity is Severity.WARNING
    assert f"本年新收政府信息公开申请{new + 3}件" in diags[0].message
    assert diags[0].cells[0].value == new


def test_received_accepts_either_reading() -> None:
    report = _report()
    t3 = report.table3
    both = int(t3.value("new_received", "total") or 0) + int(t3.value("carried_over", "total") or 0)
    handled = int(t3.value("total_handled", "total") or 0)
    for n in (both, handled):
        text = f"共收到政府信息公开申请{n}件。全部办结{handled}件。"
        assert [d for d in check_report(_overview(report, text)).diagnostics if d.code.startswith("TXT")] == []


def test_seeds_give_no_narrative_error_and_002_is_clean() -> None:
    for path in seed_files():
        report = govreport.load(path)
        assert all(d.severity is not Severity.ERROR for d in report.diagnostics if d.code.startswith(("TXT", "Q.")))
    seed002 = govreport.load(next(p for p in seed_files() if p.name.startswith("002")))
    assert [d.code for d in seed002.diagnostics] == []


def _with_fee(report: govreport.Report, amount: str) -> govreport.Report:
    rows = {r: dict(c) for r, c in report.table2.rows.items()}
    if report.template.value == "2021":
        rows["administrative_fees"]["amount"] = Cell.number(Decimal(amount))
    return attrs.evolve(report, table2=Table("table2", report.template, rows))


def test_quality_checks() -> None:
    base = read_truth(
        next(p for p in corpus_cases() if read_truth(p / "truth.json")["template"] == "2021") / "truth.json"
    )
    report = _with_fee(report_from_truth(base), "12.5")
    codes = {d.code for d in check_report(_overview(report, "", problems="无", other="无。")).diagnostics}
    assert {"Q.SEC5", "Q.SEC6FEE"} <= codes
    fine = _overview(
        report, "", problems="部分栏目更新不及时，解读形式较单一，下一步将加强培训。", other="本年度未收取信息处理费。"
    )
    assert {d.code for d in check_report(fine).diagnostics} & {"Q.SEC5", "Q.SEC6FEE"} == set()
    free = _with_fee(report, "0")
    assert "Q.SEC6FEE" not in {d.code for d in check_report(_overview(free, "", other="无")).diagnostics}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("向社会公布2021年本级政府信息公开工作年度报告", "向社会公布2020年本级政府信息公开工作年度报告"),
        ("统计时限为2021年1月1日至2021年12月31日", "统计时限为2021年1月1日至2020年12月31日"),
    ],
)
def test_q_year_catches_a_passage_copied_from_another_year(old: str, new: str) -> None:
    text = seed_files()[0].read_text(encoding="utf-8")
    assert [d for d in govreport.loads(text).diagnostics if d.code == "Q.YEAR"] == []
    assert old in text
    found = [d for d in govreport.loads(text.replace(old, new)).diagnostics if d.code == "Q.YEAR"]
    assert len(found) == 1
    assert found[0].expected == 2021 and found[0].actual == 2020
    assert found[0].severity is govreport.Severity.WARNING
