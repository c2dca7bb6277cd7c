"""Segmentation: headings, title, organ, year and template detection."""

from __future__ import annotations

import pytest

import govreport
from govreport.model import SECTION_KEYS
from govreport.template import TemplateVersion
from govreport.text.normalise import normalise
from govreport.text.sections import complete_organ, detect_template, find_sections, find_title

from .conftest import seed_files

BODY = (
    "一、总体情况\n（一）主动公开\n总动公开情况：本年主动公开信息 12 条。\n"
    "二、主动公开政府信息情况\n规章 0 0 0\n"
    "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
    "四、政府信息公开行政复议、行政诉讼情况\n0 0 0 0 0\n"
    "五、存在的主要问题及改进情况\n文字。\n六、其他需要报告的事项\n无。\n"
)


def test_headings_in_order_and_table3_rows_are_not_headings() -> None:
    layout = find_sections(normalise("某局2021年政府信息公开工作年度报告\n" + BODY))
    assert [r.key for r in layout.sections] == list(SECTION_KEYS)
    requests = layout.region("requests")
    assert requests is not None and requests.end - requests.start == 1  # 一、本年新收… stays inside


def test_markdown_hash_headings() -> None:
    heads = ("一、", "二、", "三、", "四、", "五、", "六、")
    md = "\n".join(
        ("## " + line if line[:2] in heads and "申请数量" not in line else line) for line in BODY.split("\n")
    )
    layout = find_sections(normalise(md))
    assert len(layout.sections) == 6
    assert layout.sections[1].heading == "二、主动公开政府信息情况"


def test_typo_subheading_does_not_break_sections() -> None:
    layout = find_sections(normalise(BODY))
    overview = layout.region("overview")
    assert overview is not None
    assert "总动公开情况：本年主动公开信息 12 条。" in normalise(BODY).lines[overview.start : overview.end]


def test_title_before_and_after_overview() -> None:
    before = normalise("某县人民政府2020年政府信息公开工作年度报告\n" + BODY)
    after = normalise("一、总体情况\n某县人民政府2020年度政府信息公开工作年度报告\n" + BODY[7:])
    assert find_title(before)[1:] == ("某县人民政府2020年政府信息公开工作年度报告", "某县人民政府", 2020)
    assert find_title(after)[2:] == ("某县人民政府", 2020)
    assert find_title(after)[0] == 1


def test_title_wrapped_over_two_lines() -> None:
    doc = normalise("临溪市自然资源和规划局 2019 年政府信息公开工作年度报\n告\n" + BODY)
    assert find_title(doc)[2:] == ("临溪市自然资源和规划局", 2019)


def test_organ_completion() -> None:
    body = "龙亭区政府办公室负责本报告。联系龙亭区政府办公室。"
    assert complete_organ("政府办公室", body) == "龙亭区政府办公室"
    assert complete_organ("政府办公室", "没有地名的正文") == "政府办公室"
    assert complete_organ("龙亭区政府办公室", body) == "龙亭区政府办公室"


def test_seed_002_organ_is_completed() -> None:
    seed = next(p for p in seed_files() if p.name.startswith("002"))
    assert govreport.load(seed).organ == "龙亭区政府办公室"


def test_template_detection() -> None:
    assert detect_template("本年制发件数 本年废止件数 现行有效件数", 2019)[0] is TemplateVersion.V2021
    assert detect_template("本年新制作数量 本年新公开数量 对外公开总数量", 2022)[0] is TemplateVersion.V2019
    assert detect_template("无表格", 2020)[0] is TemplateVersion.V2019
    assert detect_template("无表格", 2022)[0] is TemplateVersion.V2021


@pytest.mark.parametrize(
    ("line", "organ", "title"),
    [
        (
            "当前位置：首页 > 政务公开 > 政府信息公开年报"
            "月湖区人民政府办公室2022年政府信息公开工作年度报告发布时间：2023-01-15" + "一、总体情况" * 20,
            "月湖区人民政府办公室",
            "月湖区人民政府办公室2022年政府信息公开工作年度报告",
        ),
        ("鼓楼区政务公开办公室2021年政府信息公开工作年度报告", "鼓楼区政务公开办公室", None),
    ],
)
def test_title_without_breadcrumb(line: str, organ: str, title: str | None) -> None:
    _, got_title, got_organ, year = find_title(normalise(line))
    assert got_organ == organ
    assert got_title == (title or line)
    assert year in (2021, 2022)


_TABLE_HEADINGS = {
    "二": ("主动公开政府信息情况", "2"),
    "三": ("收到和处理政府信息公开申请情况", "3"),
    "四": ("政府信息公开行政复议、行政诉讼情况", "4"),
}
_OUTLINES = {
    "parenthesised": lambda num, arabic, title: f"（{num}）{title}",
    "arabic": lambda num, arabic, title: f"{arabic}. {title}",
    "table captions": lambda num, arabic, title: f"表{num}：{title}",
    "no headings": lambda num, arabic, title: "",
}


@pytest.mark.parametrize("outline", sorted(_OUTLINES))
@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name[:3])
def test_tables_are_found_whatever_the_outline(path, outline: str) -> None:
    """Non-standard outlines are common (spec §7.10): a table must not be lost to its heading's style."""
    from .truthdata import contract_mismatches, read_truth

    text = path.read_text(encoding="utf-8")
    changed = text
    for num, (title, arabic) in _TABLE_HEADINGS.items():
        # seed 004's §四 heading is "#### 四、…"; any markdown marks stay in front
        changed = changed.replace(f"{num}、{title}", _OUTLINES[outline](num, arabic, title), 1)
    assert changed != text
    truth = read_truth(path.parent / "truth" / (path.stem + ".json"))
    assert contract_mismatches(govreport.to_dict(govreport.loads(changed)), truth) == []
