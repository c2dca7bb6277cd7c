"""The column-blocks parser: pdftotext without -layout, read under the template's arithmetic."""

from __future__ import annotations

import random

import pytest

import govreport
from govreport.model import CellStatus
from govreport.parsers import column_blocks
from govreport.parsers.column_blocks import ColumnBlocksParser
from govreport.template import TemplateVersion, template_for
from govreport.text.sections import find_sections

TITLE = "松涛区教育局2022年政府信息公开工作年度报告"
T3_ROWS = template_for(TemplateVersion.V2021).table3.rows


def _table3(seed: int = 0) -> list[list[int]]:
    """A consistent Table 3 (T3.ROW, T3.OUT, T3.BAL hold) with distinct non-zero numbers."""
    grid: dict[str, list[int]] = {r.id: [0] * 7 for r in T3_ROWS}
    outcome = [
        r.id for r in T3_ROWS if r.id not in {"new_received", "carried_over", "total_handled", "carried_forward"}
    ]
    for k, rid in enumerate(outcome[:6]):
        grid[rid][:6] = [(k + seed) % 5 + 1, k % 3, 0, (k + 1) % 2, 0, k % 4]
    for rid in outcome:
        grid[rid][6] = sum(grid[rid][:6])
    handled = [sum(grid[r][c] for r in outcome) for c in range(7)]
    grid["total_handled"] = handled
    grid["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    grid["carried_over"] = [2, 0, 0, 0, 0, 0, 2]
    grid["new_received"] = [handled[c] + grid["carried_forward"][c] - grid["carried_over"][c] for c in range(7)]
    return [grid[r.id] for r in T3_ROWS]


def _furniture(page: int) -> list[str]:
    return ["https://www.example.gov.cn/zwgk/ndbg/t20230224_1.html", "", f"{page}/3", "", TITLE, "", "2023/3/1", ""]


def _text(t3: list[list[int]], table2_block: str = "0\n0\n30\n11\n0\n33") -> str:
    """A 2021 report as chromium's print through pdftotext (no -layout) prints it."""
    out = [TITLE, "", "一、总体情况", "", "本机关2022年认真贯彻《条例》，主动公开政府信息。", ""]
    out += [
        "二、主动公开政府信息情况",
        "信息内容",
        "第二十条第（一）项",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    out += ["规章", "行政规范性文件", "", table2_block]
    out += ["第二十条第（五）项", "本年处理决定数量", "行政许可", "46096"]
    out += ["第二十条第（六）项", "本年处理决定数量", "行政处罚", "行政强制", "5", "7"]
    out += ["第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费", "6319.8107", ""]
    out += ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构"]
    for page, rows in ((1, range(14)), (2, range(14, len(T3_ROWS)))):
        for r in rows:
            first = t3[r]
            out += [T3_ROWS[r].label, f"{first[0]} {first[1]}", str(first[2]), str(first[3]), str(first[4])]
        out += ["", "其他 总计"]
        out += [f"{t3[r][5]} {t3[r][6]}" for r in rows]
        out += _furniture(page)
    out += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"]
    out += ["结果维持 结果纠正 其他结果 尚未审结 总计"]
    out += ["8", "0", "1", "0 9 5", "0", "1", "3 9 0", "0", "0", "0 0"]
    out += ["", "五、存在的主要问题及改进情况", "公开内容不够全面。", "六、其他需要报告的事项", "无。", ""]
    return "\n".join(out)


def test_a_unique_reading_is_read_exactly() -> None:
    t3 = _table3()
    report = govreport.loads(_text(t3))
    assert report.source.parser == "columns"
    for r, rdef in enumerate(T3_ROWS):
        got = [report.table3[rdef.id][c].value for c in ("natural_person", "commercial", "research")]
        assert got == t3[r][:3], rdef.id
        assert report.table3[rdef.id]["total"].value == t3[r][6]
    assert report.table4["review"]["total"].value == 9
    assert report.table4["litigation_direct"]["pending"].value == 3
    assert report.table4["litigation_after_review"]["total"].value == 0
    assert not [d for d in report.diagnostics if d.table in ("table3", "table4") and d.code.startswith("COLUMNS")]
    assert not [d for d in report.diagnostics if d.code in ("T3.ROW", "T3.OUT", "T3.BAL", "T4.SUM")]
    # the 本年处理决定数量 and fee sections have one reading; the cells carry their source span
    fee = report.table2["administrative_fees"]["amount"]
    assert str(fee.value) == "6319.8107"
    assert fee.span is not None
    assert report.table2["administrative_coercion"]["decisions"].value == 7


def test_table2_run_with_no_boundary_is_read_row_by_row_and_says_so() -> None:
    """'0 0 30 11 0 33' under 本年制发/废止/现行有效 fits row by row and column by column; nothing in
    the text decides, so pdftotext's usual order for an unbroken run (row by row) is taken, with a
    warning naming the cells and the other reading."""
    report = govreport.loads(_text(_table3()))
    regs, docs = report.table2["regulations"], report.table2["normative_documents"]
    assert [regs[c].value for c in ("issued", "repealed", "in_force")] == [0, 0, 30]
    assert [docs[c].value for c in ("issued", "repealed", "in_force")] == [11, 0, 33]
    order = [d for d in report.diagnostics if d.code == "COLUMNS.ORDER"]
    assert len(order) == 1
    assert {(c.row, c.column) for c in order[0].cells} == {
        ("regulations", "repealed"),
        ("regulations", "in_force"),
        ("normative_documents", "issued"),
        ("normative_documents", "repealed"),
    }
    assert "0|30|11|0" in order[0].message and "30|0|0|11" in order[0].message  # chosen, and the other
    assert not [d for d in report.diagnostics if d.code == "COLUMNS.AMBIGUOUS"]
    assert any(d.code == "INPUT.COLUMN_BLOCKS" for d in report.diagnostics)  # re-extracting removes the guess


def test_the_narrative_count_settles_table2_before_the_print_order() -> None:
    """The same run, and section 一 says 其中规范性文件0件: only the column-by-column reading has 0 as
    行政规范性文件's 本年制发件数, so that one is taken — the text's own evidence over pdftotext's habit."""
    text = _text(_table3()).replace("主动公开政府信息。", "主动公开政府信息 120 条，其中规范性文件 0 件。")
    report = govreport.loads(text)
    regs, docs = report.table2["regulations"], report.table2["normative_documents"]
    assert [regs[c].value for c in ("issued", "repealed", "in_force")] == [0, 30, 0]
    assert [docs[c].value for c in ("issued", "repealed", "in_force")] == [0, 11, 33]
    (narrative,) = [d for d in report.diagnostics if d.code == "COLUMNS.NARRATIVE"]
    assert "其中规范性文件 0 件" in narrative.message
    assert not [d for d in report.diagnostics if d.code in ("COLUMNS.ORDER", "COLUMNS.AMBIGUOUS")]


def test_a_boundary_after_every_column_means_column_by_column() -> None:
    """'0 26 | 0 7 | 0 38' (a blank line after each pair): column by column, and said so."""
    report = govreport.loads(_text(_table3(), "0\n26\n\n0\n7\n\n0\n38"))
    regs, docs = report.table2["regulations"], report.table2["normative_documents"]
    assert [regs[c].value for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [docs[c].value for c in ("issued", "repealed", "in_force")] == [26, 7, 38]
    assert [d.code for d in report.diagnostics if d.code.startswith("COLUMNS.")] == ["COLUMNS.ORDER"]


def test_table2_stays_flagged_where_the_usual_orders_disagree() -> None:
    """'1 2 | 3 | 4 | 5 6': the run splits into groups in two ways that each print in a usual order
    and disagree; nothing decides, so the disputed cells stay absent with their candidates."""
    report = govreport.loads(_text(_table3(), "1\n2\n\n3\n\n4\n\n5\n6"))
    amb = [d for d in report.diagnostics if d.code == "COLUMNS.AMBIGUOUS"]
    assert len(amb) == 1
    assert not [d for d in report.diagnostics if d.code == "COLUMNS.ORDER"]
    assert report.table2["regulations"]["issued"].value == 1  # where the readings agree, the cell is read
    assert amb[0].cells
    for ref in amb[0].cells:
        cell = report.table2[ref.row][ref.column]
        assert cell.value is None and cell.status is CellStatus.AMBIGUOUS and len(cell.candidates) == 2


def test_page_furniture_is_counted_as_noise() -> None:
    doc = govreport.text.normalise.normalise(_text(_table3()))
    result = ColumnBlocksParser().parse(doc, find_sections(doc))
    lines = doc.lines
    reasons = {lines[n] or doc.original_lines[n]: why for n, why in result.noise}
    assert any("https://" in text for text in reasons)
    assert any(text.strip() in ("1/3", "2/3") for text in reasons)
    assert reasons.get(TITLE) == "print header (title)"
    assert result.tables is not None and set(result.tables) == {"table2", "table3", "table4"}


def test_a_report_that_does_not_add_up_is_not_repaired() -> None:
    t3 = _table3()
    t3[4][6] += 1  # denied.state_secret: its total no longer equals its applicant columns
    report = govreport.loads(_text(t3))
    flagged = {(c.table, c.row, c.column) for d in report.diagnostics for c in d.cells}
    for r, rdef in enumerate(T3_ROWS):
        for c, col in enumerate(("natural_person", "commercial", "research", "social_org", "legal_service")):
            cell = report.table3[rdef.id][col]
            assert cell.value == t3[r][c] or ("table3", rdef.id, col) in flagged
        total = report.table3[rdef.id]["total"]
        assert total.value in (None, t3[r][6])
        assert total.value == t3[r][6] or ("table3", rdef.id, "total") in flagged


def test_a_number_count_that_is_not_the_grid_leaves_the_table_unread() -> None:
    text = _text(_table3()).replace("0 9 5", "0 9 5 4", 1)
    report = govreport.loads(text, parser="columns")
    assert all(cell.value is None for _, _, cell in report.table4.cells())
    diag = [d for d in report.diagnostics if d.code == "COLUMNS.UNREADABLE" and d.table == "table4"]
    assert diag and len(diag[0].cells) == 15


def _row_layout_text(t3: list[list[int]]) -> str:
    """The same report with Table 3 printed as whole rows (the space layout), not column blocks."""
    rows = "\n".join(f"{r.label} " + " ".join(map(str, v)) for r, v in zip(T3_ROWS, t3, strict=True))
    return (
        _text(t3).split("三、收到和处理")[0]
        + "三、收到和处理政府信息公开申请情况\n"
        + rows
        + "\n四、政府信息公开行政复议、行政诉讼情况\n"
    )


def test_detect_is_zero_on_a_row_layout() -> None:
    t3 = _table3()
    doc = govreport.text.normalise.normalise(_row_layout_text(t3))
    assert ColumnBlocksParser().detect(doc, find_sections(doc)) == 0.0


def test_the_search_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Distinct numbers, one per line, a label every seven: many orders are conceivable, none adds up.
    The search stays small (counted in candidate checks, not seconds: 3,405 today, where an
    exhaustive search would try millions) and every cell it could not settle is left unread and named."""
    checks = 0
    valid = column_blocks._valid

    def counting(num: object, kind: str) -> bool:
        nonlocal checks
        checks += 1
        return valid(num, kind)  # type: ignore[arg-type]

    monkeypatch.setattr(column_blocks, "_valid", counting)
    text = _text(_table3())
    head, rest = text.split("三、收到和处理政府信息公开申请情况")
    tail = rest[rest.index("四、政府信息公开行政复议") :]
    body = "\n".join(r.label + "\n" + "\n".join(str(1000 + 7 * k + j) for j in range(7)) for k, r in enumerate(T3_ROWS))
    hostile = head + "三、收到和处理政府信息公开申请情况\n" + body + "\n" + tail
    report = govreport.loads(hostile, parser="columns")
    assert 0 < checks < 50_000
    named = {(c.row, c.column) for d in report.diagnostics if d.table == "table3" for c in d.cells}
    assert all(cell.value is None or (r, c) in named for r, c, cell in report.table3.cells())
    assert sum(cell.value is None for _, _, cell in report.table3.cells()) > 150
    assert any(d.code == "COLUMNS.UNREADABLE" and d.table == "table3" for d in report.diagnostics)


def _shape_reference(lines: list[str]) -> tuple[int, int, int, int]:
    """The token loop ``_shape`` stands in for: numbers per line, and label runs reset by any number."""
    number = column_blocks._NUMBER.fullmatch
    lone = multi = full = longest = run = 0
    for line in lines:
        toks = line.split()
        if not toks:
            continue
        n = sum(1 for t in toks if number(t))
        if n == 0:
            if column_blocks._INDEX.match(toks[0]):
                run += 1
                longest = max(longest, run)
            continue
        run = 0
        if n < len(toks):
            continue
        if n == 1:
            lone += 1
        elif n < 7:
            multi += 1
        else:
            full += 1
            if full > 2:
                break
    return lone, multi, full, longest


def test_the_cheap_shape_pass_counts_as_the_token_loop() -> None:
    """Line counts are exact; the label run is an upper bound (lines led by plain text are not looked
    into), exact when such lines hold no number."""
    pieces = [
        "1",
        "-2",
        "+3",
        "1,000",
        "1,0000",
        "3.5",
        ".5",
        "5.",
        "一、",
        "1.属于",
        "\uff10",
        "a1",
        "x",
        "（一）",
        "/",
    ]
    pieces += [" ", " ", "\t", "\u3000", "自然人"]
    rng = random.Random(7)
    for _ in range(20_000):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 9))) for _ in range(rng.randint(1, 6))]
        got = column_blocks._shape([s for s in map(str.strip, lines) if s])
        want = _shape_reference(lines)
        assert got[:3] == want[:3], lines
        assert got[3] >= want[3], lines
        if not any(
            s and not s[0].isdecimal() and s[0] not in "+-" and not column_blocks._INDEX.match(s)
            for s in map(str.strip, lines)
        ):
            assert got[3] == want[3], lines


def test_detect_exits_early_on_text_without_lone_numbers_and_still_finds_the_layout() -> None:
    t3 = _table3()
    doc = govreport.text.normalise.normalise(_text(t3))
    assert ColumnBlocksParser().detect(doc, find_sections(doc)) == 0.9
    # the same report with Table 3 as whole rows: no lone numbers, answered by the first pass
    doc = govreport.text.normalise.normalise(_row_layout_text(t3))
    assert ColumnBlocksParser().detect(doc, find_sections(doc)) == 0.0


BANDS = [(0, 4), (4, 6), (6, 13), (13, 14), (14, 15), (15, 19), (19, 20), (20, 21), (21, 22), (22, 25)]
# LibreOffice's PDF through pdftotext: the left columns of the upper bands first, the right ones
# later, single-row bands as single numbers; a column's segments top to bottom, a band's columns
# left to right. (band, columns printed as one run)
LO_ORDER: list[tuple[int, tuple[int, ...]]] = [
    (0, (0,)), (0, (1,)), (0, (2, 3, 4)),
    (1, (0,)), (1, (1,)), (1, (2,)), (1, (3,)),
    (2, (0,)), (2, (1,)), (2, (2,)),
    (3, (0,)), (4, (0,)), (3, (1,)),
    (0, (5,)), (0, (6,)),
    (1, (4,)), (1, (5,)), (1, (6,)),
    (2, (3,)), (2, (4,)), (2, (5,)), (2, (6,)),
    *[(3, (c,)) for c in range(2, 7)], *[(4, (c,)) for c in range(1, 7)],
    *[(b, (c,)) for b in range(5, 10) for c in range(7)],
]  # fmt: skip


def _lo_text(t3: list[list[int]], order: list[tuple[int, tuple[int, ...]]] = LO_ORDER) -> str:
    """A report whose Table 3 is printed as LibreOffice's PDF through pdftotext (no -layout) prints it."""
    text = _text(t3)
    head, rest = text.split("三、收到和处理政府信息公开申请情况")
    tail = rest[rest.index("四、政府信息公开行政复议") :]
    out = [head + "三、收到和处理政府信息公开申请情况", *(r.label for r in T3_ROWS), ""]
    for band, cols in order:
        r0, r1 = BANDS[band]
        out += [str(t3[r][c]) for c in cols for r in range(r0, r1)]
        out.append("")
    return "\n".join(out) + "\n" + tail


def test_column_segments_out_of_row_order_are_read_when_one_reading_adds_up() -> None:
    t3 = _table3(1)
    report = govreport.loads(_lo_text(t3), parser="columns")
    for r, rdef in enumerate(T3_ROWS):
        assert [cell.value for cell in report.table3[rdef.id].values()] == t3[r], rdef.id
    assert not [d for d in report.diagnostics if d.table == "table3" and d.code.startswith("COLUMNS")]
    # each cell points at its own line
    cell = report.table3["unable.not_held"]["natural_person"]
    assert cell.span is not None
    assert _lo_text(t3).splitlines()[cell.span.line - 1].strip() == str(t3[12][0])


def test_column_segments_that_break_the_reading_order_stay_unread() -> None:
    """The same blocks with one band's columns printed right to left: outside the model, nothing is guessed."""
    t3 = _table3(1)
    order = [(b, cols) if b != 1 else (b, (6 - cols[0],)) for b, cols in LO_ORDER]
    report = govreport.loads(_lo_text(t3, order), parser="columns")
    flagged = {(c.row, c.column) for d in report.diagnostics if d.table == "table3" for c in d.cells}
    for r, rdef in enumerate(T3_ROWS):
        for c, (cid, cell) in enumerate(report.table3[rdef.id].items()):
            assert cell.value in (None, t3[r][c])
            assert cell.value is not None or (rdef.id, cid) in flagged
    assert any(d.code == "COLUMNS.UNREADABLE" and d.table == "table3" for d in report.diagnostics)


def test_segment_splits_cut_as_few_runs_as_fit_the_band_counts() -> None:
    # three runs of 4, one run of 8: the 8 is two segments of 4 (two columns of a band of four)
    assert column_blocks._segment_splits([4, 4, 4, 8], 4, 5) == [(4, 4, 4, 4)]
    # a band of one row: seven single numbers; the 14 can only be two bands of seven
    assert column_blocks._segment_splits([1] * 7 + [14] + [7] * 5, 8, 7) == [(1,) * 7 + (7,) + (7,) * 5]
    assert column_blocks._segment_splits([5, 5], 4, 2) == []
