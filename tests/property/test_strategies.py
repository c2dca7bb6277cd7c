"""The public strategies keep their promises: arithmetic, years, organs, eager argument checks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from govreport import Report, TemplateVersion
from govreport.checks.arithmetic import TABLE4_EQUATIONS, run_checks
from govreport.model import SECTION_KEYS
from govreport.template import table3_equations
from govreport.testing import RULES, from_layout_grammar, report_texts, reports, tables3, tables4

from ._compare import share


def failed_rules(report: Report) -> set[str]:
    return {d.code for d in run_checks(report.table3, report.table4).diagnostics}


@given(reports())
def test_consistent_reports_pass_every_rule(report: Report) -> None:
    outcome = run_checks(report.table3, report.table4)
    assert outcome.failed == 0
    assert outcome.not_assessable == 0
    assert outcome.passed == len(table3_equations(report.template)) + len(TABLE4_EQUATIONS)


@share(2)
@given(
    st.sets(st.sampled_from(RULES), min_size=1).flatmap(
        lambda r: st.tuples(st.just(r), reports(consistent=False, inconsistent=r))
    )
)
def test_inconsistent_breaks_exactly_the_chosen_rules(case: tuple[set[str], Report]) -> None:
    rules, report = case
    codes = {d.code for d in run_checks(report.table3, report.table4).diagnostics}
    assert {c for c in codes if c in RULES} == rules


@given(reports())
def test_years_and_organs_are_realistic(report: Report) -> None:
    lo, hi = (2019, 2020) if report.template is TemplateVersion.V2019 else (2021, 2025)
    assert report.year is not None and lo <= report.year <= hi
    assert report.organ is not None and re.fullmatch(r"\w{2,4}[区县市]\w+", report.organ)
    assert [s.key for s in report.sections] == list(SECTION_KEYS)


@given(tables3(template="2019"), tables4(consistent=False, inconsistent=["T4.SUM"]))
def test_table_strategies(t3, t4) -> None:
    assert t3.template is TemplateVersion.V2019
    assert "other" in t3.rows  # the 2019 format's single （六）其他处理 row
    assert any(
        cols["total"].value != sum(cols[c].value for c in ("upheld", "corrected", "other", "pending"))
        for cols in t4.rows.values()
    )


@given(report_texts(layout="tab", quirks=False))
def test_report_texts_pairs_text_with_its_report(pair: tuple[str, Report]) -> None:
    text, report = pair
    assert report.organ is not None and report.organ in text
    assert "\t" in text


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: reports(template="2020"), "template"),
        (lambda: reports(inconsistent=["T3.ROW"]), "consistent=False"),
        (lambda: reports(consistent=False, inconsistent=["T9.XYZ"]), "unknown rules"),
        (lambda: reports(consistent=False, inconsistent="T3.ROW"), "collection"),
        (lambda: reports(max_value=0), "max_value"),
        (lambda: reports(placeholders="yes"), "placeholders"),
        (lambda: tables3(consistent=False, inconsistent=["T4.SUM"]), "Table 4 rule"),
        (lambda: tables4(consistent=False, inconsistent=["T3.OUT"]), "Table 3 rules"),
        (lambda: report_texts(layout="pdf"), "layout"),
        (lambda: report_texts(reports=[1, 2]), "strategy"),
        (lambda: from_layout_grammar("no_such_grammar"), "no grammar"),
        (lambda: from_layout_grammar("../x"), "grammar name"),
    ],
)
def test_arguments_are_checked_eagerly(make, match: str) -> None:
    # raised at call time, before any example is drawn
    with pytest.raises(InvalidArgument, match=match):
        make()
