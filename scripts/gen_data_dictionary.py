"""Write docs/data-dictionary.md from the template definitions (the single source of truth).

Run: .venv/bin/python scripts/gen_data_dictionary.py   (tests/test_docs.py fails when it is stale)
"""

from __future__ import annotations

import sys
from pathlib import Path

from govreport.template import COUNT, DELTA, MONEY, TEMPLATES, TemplateVersion

KIND = {COUNT: "count (int ≥ 0)", DELTA: "signed int", MONEY: "万元, Decimal (JSON string)"}

REPORT_FIELDS = [
    ("organ", "发布机关", "publishing body, from the title (completed from the text when the title is cut short)"),
    ("year", "年度", "reporting year"),
    ("template", "格式版本", '"2019" (国办公开办函〔2019〕60号) or "2021" (国办公开办函〔2021〕30号)'),
    ("title", "标题", "the title line as printed"),
    ("sections[]", "正文各部分", "key, number (一…六), heading as printed, text, span"),
    ("table2 / table3 / table4", "表二/表三/表四", "row id → column id → Cell (value, raw, status, span)"),
    ("diagnostics[]", "诊断", "rule id, severity, message (en/zh), cells involved, numbers, span"),
    ("source", "来源", "path, layout, parser, confidence, encoding, sha256"),
    ("unplaced[]", "未归位内容", "table text that fits no template row, kept verbatim"),
    (
        "subtotals[]",
        "小计行",
        "Table 3 subtotal rows (小计/合计) of derived templates: block (denied, unable, not_processed, other), "
        "the 7 cells, span; checked by T3.SUB",
    ),
]

SECTIONS = [
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
]


def generate() -> str:
    out = [
        "# Data dictionary 数据字典",
        "",
        "Generated from `src/govreport/template.py` by `scripts/gen_data_dictionary.py`; do not edit by hand.",
        "",
        "## Report fields",
        "",
        "| field | 中文 | meaning |",
        "|---|---|---|",
    ]
    out += [f"| `{f}` | {zh} | {en} |" for f, zh, en in REPORT_FIELDS]
    out += ["", "## Sections", "", "| key | heading |", "|---|---|"]
    out += [f"| `{k}` | {h} |" for k, h in SECTIONS]
    out += [
        "",
        "## Cell status",
        "",
        "| status | meaning |",
        "|---|---|",
        "| `number` | a value was printed and read |",
        "| `blank` | the cell exists but is empty (value absent, never 0) |",
        '| `placeholder` | "/", "-", "—", "--", "无", "不适用" … printed (kept in `raw`; value absent) |',
        "| `unreadable` | something was printed that is not a valid value here (see diagnostics) |",
        "| `ambiguous` | several readings fit (flattened text); `candidates` lists them |",
        "| `missing` | the row or cell was not found in the source |",
    ]
    for version in (TemplateVersion.V2021, TemplateVersion.V2019):
        tdef = TEMPLATES[version]
        out += ["", f"## Template {version.value} ({tdef.notice})"]
        for table in tdef.tables:
            out += [
                "",
                f"### {table.id}: {table.title}",
                "",
                "| row id | label 标签 | group | columns (id 标签: kind) |",
            ]
            out += ["|---|---|---|---|"]
            for row in table.rows:
                cols = "<br>".join(f"`{c.id}` {c.label}: {KIND[c.kind]}" for c in row.columns)
                if table.id == "table3" and row is not table.rows[0]:
                    cols = "same 7 columns"
                out.append(f"| `{row.id}` | {row.label} | {row.group or ''} | {cols} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"
    target.write_text(generate(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
