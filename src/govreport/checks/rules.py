"""The catalogue of every diagnostic code govreport emits, as data.

``docs/rules.md`` is generated from :data:`CATALOGUE` (``python -m govreport.checks.rules > docs/rules.md``)
and a test keeps the two equal, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from ..diagnostics import Severity

__all__ = ["CATALOGUE", "RULES", "Rule", "render_markdown", "rule"]


@attrs.frozen
class Rule:
    """One diagnostic code: what it means (en/zh), how serious it is, and an example."""

    id: str
    severity: Severity
    family: str
    meaning: str
    meaning_zh: str
    example: str
    applicable: bool = True
    """``False`` for rules of the spec that the model cannot carry yet (documented, never emitted)."""


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: tuple[Rule, ...] = (
    Rule(
        "T3.ROW",
        _E,
        "arithmetic",
        "In every Table 3 data row the six applicant columns add up to the 总计 column.",
        "表三每一数据行中，六类申请人之和等于总计列。",
        "denied.third_party: 0+0+0+0+0+0 = 0, 总计 says 1",
    ),
    Rule(
        "T3.OUT",
        _E,
        "arithmetic",
        "In every Table 3 column the outcome rows (（一）…（六）) add up to （七）总计.",
        "表三每一列中，（一）至（六）各办理结果之和等于（七）总计。",
        "natural_person: outcomes sum to 25, （七）总计 says 15",
    ),
    Rule(
        "T3.BAL",
        _E,
        "arithmetic",
        "In every Table 3 column: 本年新收 + 上年结转 = （七）总计 + 结转下年度.",
        "表三每一列中，本年新收加上年结转等于办理结果总计加结转下年度继续办理。",
        "total: 27 + 0 ≠ 17 + 0",
    ),
    Rule(
        "T3.SUB",
        _E,
        "arithmetic",
        "A subtotal row (小计/合计) printed under （三）/（四）/（五）/（六）, as some derived templates add, "
        "equals the sum of its numbered children, per column. The official forms have no subtotal rows; "
        "one that is found is kept in ``report.subtotals`` (row id ``subtotal.<block>``), never read as a "
        "data row. A placeholder or absent cell makes the instance not assessable.",
        "（三）（四）（五）（六）如有小计行（小计/合计），每一列应等于其下各项之和；小计行另存于 subtotals，"
        "不计入数据行。含占位符或缺失单元格时不予评判。",
        "subtotal.denied natural_person: the rows sum to 4, the subtotal says 5",
    ),
    Rule(
        "T4.SUM",
        _E,
        "arithmetic",
        "In each Table 4 block (复议, 直接起诉, 复议后起诉): 维持 + 纠正 + 其他 + 尚未审结 = 总计.",
        "表四每一组中，结果维持、结果纠正、其他结果、尚未审结之和等于总计。",
        "review: 0+0+0+3 = 3, 总计 says 4",
    ),
    Rule(
        "PINPOINT",
        _E,
        "arithmetic",
        "The failing arithmetic rules of a table are all explained by one cell (or by two cells that "
        "share the failing equations) being off; names that cell and the value that makes every rule "
        "hold. The report's numbers are never changed; ``suggestion`` carries the value.",
        "根据失败的勾稽关系定位最可能出错的单元格，并给出使全部规则成立的数值（仅建议，不修改原数据）。",
        "table3 total_handled × natural_person is 15; 25 makes T3.OUT and T3.BAL hold",
    ),
    Rule(
        "PINPOINT.AMBIGUOUS",
        _I,
        "arithmetic",
        "The failing rules can be explained by several different cells equally well (e.g. any of the "
        "five cells of a Table 4 block); the alternatives are listed in ``detail`` and ``cells``.",
        "失败的勾稽关系可由多个不同单元格同样解释，无法唯一定位，列出各候选。",
        "table4 review: any of upheld/corrected/other/pending/total could be off by 1",
    ),
    Rule(
        "DOM.INT",
        _E,
        "domain",
        "A count cell holds something that is not a whole number ≥ 0 (2019 本年增/减 may be negative). "
        "Emitted by the reader; the cell is left unread.",
        "计数单元格不是非负整数（2019年格式的本年增/减可为负数）。",
        "table3.granted.natural_person: '3.5' is not a whole number",
    ),
    Rule(
        "DOM.MONEY",
        _E,
        "domain",
        "A 万元 amount is not a non-negative decimal. Emitted by the reader; the cell is left unread.",
        "金额（万元）单元格不是非负小数。",
        "table2.administrative_fees.amount: '-3' is negative",
    ),
    Rule(
        "DOM.SEM",
        _W,
        "domain",
        "Cells of a table are blank or hold a placeholder (/, -, —, 无, 不适用 …) instead of a number. "
        "Reported once per table listing the cells; never read as 0. Rules touching them are not assessable.",
        "表格中有空白或占位符（/、-、—、无、不适用等）单元格，不按0处理，涉及的勾稽关系不可评估。",
        "table3: 3 cell(s) blank or placeholder: research@granted '/', …",
    ),
    Rule(
        "TXT.RECEIVED",
        _W,
        "narrative",
        "Section 一 says N applications were 收到/受理, but N is none of 本年新收, 本年新收+上年结转, "
        "（七）总计 or （七）总计+结转下年度 (总计 column).",
        "第一部分所述收到/受理申请件数与表三不符。",
        "“共收到政府信息公开申请20件” but 本年新收 is 21",
    ),
    Rule(
        "TXT.HANDLED",
        _W,
        "narrative",
        "Section 一 says N applications were 办结/答复, but N is neither （七）总计 nor 本年新收 (nor their "
        "sum with 上年结转) — the phrase is read both ways in practice.",
        "第一部分所述办结/答复件数与表三（七）总计不符。",
        "“办结申请15件” but （七）总计 is 17",
    ),
    Rule(
        "TXT.NEW",
        _W,
        "narrative",
        "Section 一 gives 本年新收 N件 and Table 3 本年新收 (总计) differs.",
        "第一部分所述本年新收件数与表三不符。",
        "“本年新收申请12件” but the table says 13",
    ),
    Rule(
        "TXT.CARRIED_OVER",
        _W,
        "narrative",
        "Section 一 gives 上年结转 N件 and Table 3 上年结转 (总计) differs.",
        "第一部分所述上年结转件数与表三不符。",
        "“上年结转5件” but the table says 0",
    ),
    Rule(
        "TXT.CARRIED_FORWARD",
        _W,
        "narrative",
        "Section 一 gives 结转下年度 N件 and Table 3 结转下年度继续办理 (总计) differs.",
        "第一部分所述结转下年度件数与表三不符。",
        "“结转下年度继续办理2件” but the table says 3",
    ),
    Rule(
        "TXT.REVIEW",
        _W,
        "narrative",
        "Section 一 gives 行政复议 N件/起 and Table 4 复议 总计 differs.",
        "第一部分所述行政复议件数与表四不符。",
        "“行政复议3件” but Table 4 says 2",
    ),
    Rule(
        "TXT.LITIGATION",
        _W,
        "narrative",
        "Section 一 gives 行政诉讼 N件/起 and Table 4 直接起诉 总计 + 复议后起诉 总计 differs.",
        "第一部分所述行政诉讼件数与表四不符。",
        "“行政诉讼7件” but Table 4 says 6 + 0",
    ),
    Rule(
        "Q.SEC5",
        _W,
        "quality",
        "Section 五 (存在的主要问题及改进情况) is empty, just 无, or under 10 characters.",
        "第五部分（存在的主要问题及改进情况）为空、仅为“无”或少于10个字。",
        "五、存在的主要问题及改进情况 — 无",
    ),
    Rule(
        "Q.SEC6FEE",
        _W,
        "quality",
        "Table 2 (2021 format) reports a 行政事业性收费 amount > 0 while section 六 just says 无.",
        "表二行政事业性收费金额大于0，而第六部分仅写“无”。",
        "本年收费金额 882 万元, 六、其他需要报告的事项: 无",
    ),
    Rule(
        "Q.YEAR",
        _W,
        "quality",
        "Section 一 names another year where only the report's own can stand (公布N年…年度报告, "
        "统计期限为N年1月1日至N年12月31日): a passage copied from another year's report.",
        "第一部分在只能是本年度的表述中写了其他年份（如“向社会公布N年…年度报告”“统计期限为N年…”），疑为沿用往年报告。",
        "2021 report: 向社会公布2020年本机关政府信息公开工作年度报告",
    ),
    Rule(
        "X.CARRY",
        _W,
        "cross-report",
        "Across consecutive years of one body, per Table 3 column: 上年结转(Y) = 结转下年度(Y−1).",
        "同一机关相邻年度，表三每列上年结转（Y年）应等于结转下年度（Y−1年）。",
        "2022 carried_over total 3, 2021 carried_forward total 2",
    ),
    Rule(
        "X.T2STOCK",
        _W,
        "cross-report",
        "Across consecutive 2021-format years, for 规章 and 行政规范性文件: 现行有效(Y) = 现行有效(Y−1) + "
        "本年制发(Y) − 本年废止(Y). Soft: revisions and re-issues break it.",
        "相邻年度（2021格式）规章、行政规范性文件：现行有效件数应等于上年现行有效加本年制发减本年废止（软规则）。",
        "normative_documents 2022: 40 in force, 2021: 35 + 6 issued − 0 repealed = 41",
    ),
    Rule(
        "PARSE.MISSING_ROW",
        _E,
        "reading",
        "A row of the template was not found in the text; its cells are missing.",
        "未在文本中找到模板中的某一行。",
        "table3.denied.query_item (8.属于行政查询事项) was not found",
    ),
    Rule(
        "PARSE.MISSING_TABLE",
        _E,
        "reading",
        "A whole table has no cells in the text.",
        "整张表格在文本中没有任何单元格。",
        "table4 has no cells in the text",
    ),
    Rule(
        "PARSE.WIDTH",
        _E,
        "reading",
        "A row has a different number of cells than the template; it is left unread.",
        "某行单元格数量与模板不符，未读取。",
        "table3.granted: found 6 cells, the template has 7",
    ),
    Rule(
        "INPUT.COLUMN_BLOCKS",
        _W,
        "reading",
        "The text looks like pdftotext without -layout (table columns printed as separate blocks, one "
        "number per line) and some cells could not be placed (PARSE.* or COLUMNS.* errors) or were placed by "
        "pdftotext's usual print order (COLUMNS.ORDER); re-extract with "
        "`pdftotext -layout`.",
        "文本疑为未加 -layout 的 pdftotext 输出（按列成块、每行一个数字），部分数值无法定位；请用 -layout 重新提取。",
        "183 table lines hold a single number and some cells could not be placed",
    ),
    Rule(
        "INPUT.REPEATED",
        _W,
        "reading",
        "The text prints its table sections (二 to 四) more than once (a page copied twice, a print view kept "
        "with the page). The first copy is read; the message says how many copies there are, where, and whether "
        "the others differ from it.",
        "文本中表格部分（二至四）重复出现；读取第一份，并说明共几份、位置及其余各份是否与之相同。",
        "the tables (sections 二 to 四) are printed 10 times over; the first copy, lines 7-68, is read",
    ),
    Rule(
        "PARSE.UNANCHORED",
        _E,
        "reading",
        "Cells carry no label of their row and the table's reading order is broken, or only their position "
        "places them and a Table 3 rule fails through them (the reading order, not the report, may be wrong), "
        "so their row cannot be told; the row is left unread.",
        "数值缺少行标签且表格顺序不完整，或仅按位置放入而勾稽关系不成立（可能是读取顺序有误），无法确定所属行，未读取。",
        "table2.administrative_punishment: cells '0 0' carry no label of this row",
    ),
    Rule(
        "PARSE.ORDER",
        _W,
        "reading",
        "A row was printed out of the template's order (where another row belongs, or after its neighbours); "
        "its own label names its row, and it is read there.",
        "该行未按模板顺序排列，已按其自身标签放入对应行。",
        "table3.granted: the row is printed where denied.state_secret belongs; its label places it",
    ),
    Rule(
        "PARSE.LABEL",
        _E,
        "reading",
        "Cells stand where one row belongs but their label names another row, which they cannot take (it holds "
        "a row of the same label, or the widths differ); the row is left unread rather than read by position.",
        "数值位于某行的位置，但其标签指向另一行且无法放入，未读取（不按位置猜测）。",
        "table3.carried_forward: cells '0 0 0 0 0 0 0' stand where this row belongs, but their label names another",
    ),
    Rule(
        "PARSE.REFLOW",
        _W,
        "reading",
        "A cell printed apart from its row was put back: in Table 3 into the only column where T3.ROW, T3.OUT "
        "and T3.BAL all hold; in Table 4 where the text's column alignment sets it, or into the only place "
        "where T4.SUM holds in every block. The value is as printed, its place is inferred.",
        "与本行分离的数值已放回：表三按勾稽关系唯一可行的列，表四按文本的列对齐或唯一满足勾稽关系的位置；数值照录，位置为推断。",
        "table3.unable.not_held.natural_person: '17' was printed apart from its row",
    ),
    Rule(
        "PARSE.AMBIGUOUS",
        _E,
        "reading",
        "Table 4's cells read in order break T4.SUM and some were printed apart from their line; they fit the "
        "arithmetic in more than one place (or in none, and nothing shows where they stood), so the cells those "
        "readings place differently are left unread rather than the report blamed.",
        "表四按顺序读取不满足勾稽关系且部分数值另起一行，有多种（或无）可行放法，相关数值未读取，不归咎于报告。",
        "table4: '0' printed apart from its line fits T4.SUM in 3 places; cells upheld, corrected … left unread",
    ),
    Rule(
        "FLAT.AMBIGUOUS",
        _E,
        "reading",
        "Flattened text: a digit run has several readings that fit the arithmetic; the cells are left "
        "unread with their candidate values.",
        "无分隔文本：一串数字有多种符合勾稽关系的拆分，单元格未读取，列出候选值。",
        "table2.normative_documents: '1021' reads as 1|0|21, 10|2|1 …",
    ),
    Rule(
        "FLAT.UNREADABLE",
        _E,
        "reading",
        "Flattened text: no split of a digit run fits the template (or the search gave up); the cells are left unread.",
        "无分隔文本：一串数字无法按模板拆分，单元格未读取。",
        "table4: '123456' has no split where every block sums to its total",
    ),
    Rule(
        "FLAT.NARRATIVE",
        _W,
        "reading",
        "Flattened text, 2021 form: of several readings of a Table 2 run, exactly one agrees with the count "
        "the narrative states (其中规范性文件N件 → 本年制发件数); that reading is taken and the sentence quoted.",
        "无分隔文本（2021 格式）：表二数字有多种拆分时，取唯一与正文所述件数（本年制发件数）一致的拆分，并引用原句。",
        "table2.normative_documents: '1021' → 1|0|21 by '其中规范性文件1件'",
    ),
    Rule(
        "FLAT.INCONSISTENT",
        _W,
        "reading",
        "Flattened text: the digits allow one reading only, and it breaks the row's own sum; the row is kept "
        "as printed and the arithmetic rules report the break.",
        "无分隔文本：数字只有一种拆分且不满足本行合计，按原样保留，由勾稽规则报告。",
        "table3.denied.third_party: the only split does not add up",
    ),
    Rule(
        "COLUMNS.AMBIGUOUS",
        _E,
        "reading",
        "Column-block text (pdftotext without -layout): several reading orders of the numbers fit the "
        "template and its arithmetic and disagree on these cells; they are left unread with their candidate "
        "values (Table 2 has no arithmetic to decide).",
        "按列成块的文本（未加 -layout 的 pdftotext）：数值有多种符合模板及勾稽关系的读取顺序且结果不同，"
        "单元格未读取，列出候选值。",
        "table2: 2 reading orders of the column blocks fit no rule and disagree; 2 cell(s) left unread",
    ),
    Rule(
        "COLUMNS.UNREADABLE",
        _E,
        "reading",
        "Column-block text: no reading order of the numbers fits the template (the number count differs from "
        "the grid, the report does not add up, or the search gave up); the cells are left unread.",
        "按列成块的文本：没有符合模板的读取顺序（数字个数不符、报告自身不平衡或搜索超限），单元格未读取。",
        "table3: no reading order of the column blocks fits T3.ROW, T3.OUT, T3.BAL; 175 cell(s) left unread",
    ),
    Rule(
        "COLUMNS.NARRATIVE",
        _W,
        "reading",
        "Column-block text, 2021 form: several reading orders of a Table 2 section disagree and the "
        "narrative states the row's count (其中规范性文件N件 → 本年制发件数); the readings that agree with it "
        "are kept and the sentence quoted.",
        "按列成块的文本（2021 格式）：表二某部分有多种读取顺序且结果不同，正文写明该行件数（本年制发件数），"
        "保留与之一致的读法并引用原句。",
        "table2.normative_documents: the narrative's '其中规范性文件 0 件' leaves the one(s) where 本年制发件数 is 0",
    ),
    Rule(
        "COLUMNS.ORDER",
        _W,
        "reading",
        "Column-block text: a Table 2 run of numbers fits both row-by-row and column-by-column reading and "
        "nothing in the text decides; pdftotext's usual order is taken (row by row when no blank line or label "
        "falls inside the run, column by column when one falls after every column's worth) and the other "
        "reading is given.",
        "按列成块的文本：表二一段数字按行、按列读均可且文本无从判断，取 pdftotext 的惯常顺序"
        "（段内无空行时按行，每列之后有空行时按列），并给出另一读法。",
        "table2: pdftotext's usual order gives regulations.repealed, normative_documents.issued = 0|26 "
        "(the other order: 26|0)",
    ),
    Rule(
        "PARSE.UNPLACED",
        _W,
        "reading",
        "Numbers in a table region fit no row of the template; kept in ``report.unplaced``.",
        "表格区域内有数字无法对应到模板中的任何行，保留在 unplaced 中。",
        "table3: 2 cell(s) '1 1' after '小计' fit no row",
    ),
    Rule(
        "PARSE.GRAMMAR",
        _E,
        "reading",
        "A layout grammar failed on a line of a table region.",
        "版式语法无法读取表格区域中的某一行。",
        "table3: the space grammar cannot read line 88",
    ),
)
"""Every diagnostic code, grouped by family; ``applicable=False`` marks rules never emitted."""

RULES: Mapping[str, Rule] = MappingProxyType({r.id: r for r in CATALOGUE})


def rule(rule_id: str) -> Rule:
    """The catalogue entry of a code (``KeyError`` if unknown)."""
    return RULES[rule_id]


def render_markdown() -> str:
    """``docs/rules.md``: every rule of :data:`CATALOGUE` as a table per family."""
    out = [
        "# Diagnostic rules",
        "",
        "Generated from `govreport.checks.rules.CATALOGUE` by `python -m govreport.checks.rules > docs/rules.md`; "
        "do not edit by hand.",
        "",
        "A rule that touches a blank, placeholder or unread cell is *not assessable*: it neither "
        "passes nor fails. Arithmetic diagnostics carry `table`/`row`/`column`, the `cells` involved "
        "(value and source span), and `expected`/`actual`/`difference`.",
    ]
    families: dict[str, list[Rule]] = {}
    for r in CATALOGUE:
        families.setdefault(r.family, []).append(r)
    for family, rules in families.items():
        out += ["", f"## {family}", "", "| id | severity | meaning | 含义 | example |", "|---|---|---|---|---|"]
        for r in rules:
            sev = r.severity.value + ("" if r.applicable else " (not applicable)")
            cells = (r.id, sev, r.meaning, r.meaning_zh, r.example)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
