"""The ``flat`` parser: flattened web text, glued cells split under the template's arithmetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import govreport
from govreport import Cell, Report, Table, TemplateVersion
from govreport.model import CellStatus
from govreport.parsers.solver import Run, readings, split_row
from govreport.template import COUNT, TABLE3_OUTCOME_ROWS, template_for

from .conftest import CORPUS, SEEDS
from .property._compare import share
from .truthdata import read_truth, report_from_truth

FLAT_CHAINS = ("html>lxml-text-content", "html>bs4-get-text")


# --- building flattened text from structured data ------------------------------------------------


def _fmt(v: int | Decimal | None) -> str:
    return "/" if v is None else str(v)


def flatten(report: Report) -> str:
    """The tables of ``report`` as a crawler's text extraction gives them: no separator at all."""
    tpl = template_for(report.template)
    out = [f"测试区人民政府办公室{report.year}年政府信息公开工作年度报告", "一、总体情况本年度工作正常。"]
    out.append("二、主动公开政府信息情况")
    group = None
    for rdef in tpl.table2.rows:
        if rdef.group != group:
            group = rdef.group
            out.append(f"{group}信息内容" + "".join(c.label for c in rdef.columns))
        out.append(rdef.label + "".join(_fmt(report.table2.value(rdef.id, c.id)) for c in rdef.columns))
    out.append("三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    out.append("申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
    groups: list[str] = []
    for rdef in tpl.table3.rows:
        if rdef.group and rdef.group not in groups:
            groups.append(rdef.group)
            if rdef.group != rdef.label:
                out.append(rdef.group)
        out.append(rdef.label + "".join(_fmt(report.table3.value(rdef.id, c.id)) for c in rdef.columns))
    out.append("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计")
    out.append("未经复议直接起诉复议后起诉" + "结果维持结果纠正其他结果尚未审结总计" * 2)
    for rdef in tpl.table4.rows:
        out.append("".join(_fmt(report.table4.value(rdef.id, c.id)) for c in rdef.columns))
    out.append("五、存在的主要问题及改进情况无。六、其他需要报告的事项无。")
    return "".join(out)


def _flagged(report: Report) -> set[tuple[str | None, str | None, str | None]]:
    out: set[tuple[str | None, str | None, str | None]] = set()
    for d in report.diagnostics:
        out.add((d.table, d.row, d.column))
        out.update((c.table, c.row, c.column) for c in d.cells)
    return out


def wrong_or_unflagged(got: Report, truth: Report) -> list[str]:
    """Cells read with a value that is not the truth, or left unread without a diagnostic naming them."""
    flags = _flagged(got)
    bad = []
    for tid in ("table2", "table3", "table4"):
        for row, col, cell in getattr(truth, tid).cells():
            mine = getattr(got, tid)[row][col]
            if mine.status is CellStatus.NUMBER:
                if mine.value != cell.value:
                    bad.append(f"{tid}.{row}.{col}: read {mine.value}, truth {cell.value}")
            elif (tid, row, col) not in flags:
                bad.append(f"{tid}.{row}.{col}: {mine.status} without a diagnostic")
    return bad


def _determined(report: Report, tid: str) -> tuple[int, int]:
    cells = list(getattr(report, tid).cells())
    return sum(c.status is CellStatus.NUMBER for _, _, c in cells), len(cells)


# --- solver ---------------------------------------------------------------------------------------


def test_split_row_uses_the_row_total() -> None:
    assert split_row(["16420001167"]) == [(164, 2, 0, 0, 0, 1, 167)]
    assert split_row(["150", "000015"]) == [(15, 0, 0, 0, 0, 0, 15)]
    # a PDF that glued "10 0" into "100": the arithmetic restores the cut
    assert split_row(["100", "0", "0", "0", "0", "10"]) == [(10, 0, 0, 0, 0, 0, 10)]
    assert split_row(["0000001"]) == []  # the printed row does not add up: no reading, no repair


def test_readings_reject_leading_zeros_and_respect_surviving_spaces() -> None:
    found = readings(Run("0014"), [COUNT] * 3)
    assert [tuple(p.value for p in r) for r in found] == [(0, 0, 14)]
    assert readings(Run("01", frozenset({1})), [COUNT] * 2)[0][1].text == "1"
    assert readings(Run.from_tokens(["1", "23"]), [COUNT] * 2)[0][1].value == 23


def test_table4_blocks() -> None:
    r = readings(Run("000000302501001"), [COUNT] * 15, blocks=((0, 4), (5, 9), (10, 14)))
    assert [tuple(p.value for p in x) for x in r] == [(0, 0, 0, 0, 0, 0, 3, 0, 2, 5, 0, 1, 0, 0, 1)]


def test_long_run_without_reading_ends_with_no_reading() -> None:
    # 25 digits, no split with T3.ROW: the pruned search must come back empty (its speed is benchmarked)
    assert split_row(["1234567891011121314151617"]) == []


# --- flattened seeds ------------------------------------------------------------------------------


def _seed_truths() -> list[Path]:
    return sorted((SEEDS / "truth").glob("*.json")) if (SEEDS / "truth").is_dir() else []


@pytest.mark.parametrize("truth_path", _seed_truths(), ids=lambda p: p.stem[:3])
def test_flattened_seed(truth_path: Path) -> None:
    truth = report_from_truth(read_truth(truth_path))
    text = flatten(truth)
    report = govreport.loads(text)
    assert report.source.parser == "flat"
    assert report.template is truth.template
    assert wrong_or_unflagged(report, truth) == []
    assert report.source.confidence < 1.0 or all(c.is_number for t in (report.table2,) for _, _, c in t.cells())
    # when the seed adds up, T3.ROW / T3.OUT / T3.BAL and T4.SUM settle every Table 3 and 4 cell
    if not read_truth(truth_path).get("violated_checks") and truth_path.stem[:3] != "001":
        assert _determined(report, "table3")[0] == _determined(report, "table3")[1]
        assert _determined(report, "table4")[0] == _determined(report, "table4")[1]


def test_flattened_seed_other_parsers_do_not_win() -> None:
    path = _seed_truths()[0]
    text = flatten(report_from_truth(read_truth(path)))
    exp = govreport.explain_text(text)
    assert exp.candidates[0].parser == "flat"
    assert all(c.detect < 0.5 for c in exp.candidates if c.parser != "flat")


# --- crawler corpus -------------------------------------------------------------------------------


def _flat_cases() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    out = []
    for case in sorted(CORPUS.iterdir()):
        meta = case / "meta.json"
        if meta.exists() and read_truth(meta).get("chain") in FLAT_CHAINS:
            out.append(case)
    return out


@pytest.mark.parametrize("case", _flat_cases(), ids=lambda p: p.name)
def test_crawler_corpus_case(case: Path) -> None:
    meta = read_truth(case / "meta.json")
    truth_json = read_truth(case / "truth.json")
    truth = report_from_truth(truth_json)
    report = govreport.load(case / meta["input_file"])
    assert report.source.parser == "flat"
    assert wrong_or_unflagged(report, truth) == []
    # the arithmetic settles Table 3 except where the report itself breaks a rule
    broken_rows = {c["row"] for inc in truth_json.get("inconsistencies", []) for c in inc["cells"] if c.get("row")}
    for row, _col, cell in report.table3.cells():
        if row not in broken_rows:
            assert cell.is_number, (row, cell)


def test_the_narrative_settles_what_the_readings_it_leaves_agree_on() -> None:
    narrative = "一、总体情况全年主动公开信息3809条，其中规范性文件1件。"
    table = (
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        "规章000行政规范性文件1021"
    )
    rest = "三、收到和处理政府信息公开申请情况四、政府信息公开行政复议、行政诉讼情况五、存在的主要问题及改进情况无"
    settled = govreport.loads(narrative + table + rest, parser="flat")
    assert settled.table2.values()["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 21}
    assert [d.code for d in settled.diagnostics if d.row == "normative_documents"] == ["FLAT.NARRATIVE"]
    other = govreport.loads(narrative.replace("1件", "10件") + table + rest, parser="flat")
    assert other.table2.values()["normative_documents"] == {"issued": 10, "repealed": 2, "in_force": 1}
    # a stated count that no reading agrees with decides nothing
    text = narrative.replace("1件", "7件") + table + rest
    unsettled = govreport.loads(text, parser="flat")
    cell = unsettled.table2["normative_documents"]["issued"]
    assert cell.value is None and cell.status is CellStatus.AMBIGUOUS
    assert any(d.code == "FLAT.AMBIGUOUS" for d in unsettled.diagnostics if d.row == "normative_documents")
    # one that several readings agree with settles the count it states, and the others stay flagged
    text = narrative.replace("1件", "6件") + table.replace("1021", "61618") + rest
    narrowed = govreport.loads(text, parser="flat")
    row = narrowed.table2["normative_documents"]
    assert row["issued"].value == 6
    assert row["repealed"].status is CellStatus.AMBIGUOUS and row["in_force"].status is CellStatus.AMBIGUOUS
    codes = sorted(d.code for d in narrowed.diagnostics if d.row == "normative_documents")
    assert codes == ["FLAT.AMBIGUOUS", "FLAT.NARRATIVE"]


# --- property: consistent tables, flattened, never read wrong without a diagnostic ----------------

_small = st.integers(min_value=0, max_value=40) | st.integers(min_value=0, max_value=3000)


@st.composite
def consistent_reports(draw: st.DrawFn) -> Report:
    version = draw(st.sampled_from(list(TemplateVersion)))
    tpl = template_for(version)
    t3: dict[str, list[int]] = {}
    for rid in TABLE3_OUTCOME_ROWS[version]:
        vals = draw(st.lists(st.integers(0, 30) | st.just(0), min_size=6, max_size=6))
        t3[rid] = vals
    handled = [sum(t3[r][j] for r in TABLE3_OUTCOME_ROWS[version]) for j in range(6)]
    forward = [draw(st.integers(0, 5)) for _ in range(6)]
    carried = [draw(st.integers(0, h + f)) for h, f in zip(handled, forward, strict=True)]
    t3["total_handled"] = handled
    t3["carried_forward"] = forward
    t3["carried_over"] = carried
    t3["new_received"] = [h + f - c for h, f, c in zip(handled, forward, carried, strict=True)]
    cols = ["natural_person", "commercial", "research", "social_org", "legal_service", "other", "total"]
    truth = {
        "template": version.value,
        "organ": "测试区人民政府办公室",
        "year": 2022,
        "table3": {r: [*v, sum(v)] for r, v in t3.items()},
        "columns": cols,
        "table2": {
            r.id: {
                c.id: (
                    f"{draw(st.integers(0, 999))}.{draw(st.integers(0, 9999)):04d}"
                    if c.kind == "money"
                    else draw(_small)
                )
                for c in r.columns
            }
            for r in tpl.table2.rows
        },
        "table4": {},
    }
    for r in tpl.table4.rows:
        four = [draw(st.integers(0, 12)) for _ in range(4)]
        truth["table4"][r.id] = dict(
            zip(["upheld", "corrected", "other", "pending", "total"], [*four, sum(four)], strict=True)
        )
    return report_from_truth(truth)


@given(consistent_reports())
def test_property_flattened_never_wrong_without_diagnostic(truth: Report) -> None:
    report = govreport.loads(flatten(truth), parser="flat")
    assert wrong_or_unflagged(report, truth) == []


@share(2)  # half the profile's examples: each splits every glued run of a report
@given(consistent_reports(), st.data())
def test_property_a_column_the_report_breaks_decides_nothing_but_the_others_still_do(
    truth: Report, data: st.DataObject
) -> None:
    """A report whose own (七)总计 is off in one column (T3.OUT and T3.BAL fail there under every
    reading): the other columns still part the rows they can, nothing is read wrong silently, and the
    report's own error is still reported."""
    column = data.draw(st.sampled_from(["natural_person", "commercial", "research"]), "column")
    rows = {r: dict(cols) for r, cols in truth.table3.rows.items()}
    for col in (column, "total"):  # the row still adds up (T3.ROW), the columns do not
        handled = rows["total_handled"][col].value
        assert isinstance(handled, int)
        rows["total_handled"][col] = Cell.number(handled + 1000)
    broken = attrs.evolve(truth, table3=Table("table3", truth.template, rows))
    report = govreport.loads(flatten(broken), parser="flat")
    assert wrong_or_unflagged(report, broken) == []
    needed = [*TABLE3_OUTCOME_ROWS[truth.template], "total_handled"]
    if all(report.table3[r][column].value is not None for r in needed):
        assert any(d.code == "T3.OUT" and d.column == column for d in report.diagnostics)
