"""The renderer: labels from the template, each quirk knob visible in the text, core without Hypothesis."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import govreport
from govreport import Cell, CellStatus, Report, Table, TemplateVersion
from govreport.export.render import LAYOUTS, render
from govreport.template import MONEY, template_for

from .conftest import seed_files


def report(version: TemplateVersion = TemplateVersion.V2021, value: int = 0) -> Report:
    tables = {}
    for tdef in template_for(version).tables:
        rows = {
            r.id: {c.id: Cell.number(Decimal(value) if c.kind == MONEY else value) for c in r.columns}
            for r in tdef.rows
        }
        tables[tdef.id] = Table(tdef.id, version, rows)
    year = 2020 if version is TemplateVersion.V2019 else 2022
    return Report("秦川市教育局", year, version, None, tables["table2"], tables["table3"], tables["table4"])


@pytest.mark.parametrize("version", list(TemplateVersion), ids=str)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_template_label_is_printed(layout: str, version: TemplateVersion) -> None:
    text = render(report(version), layout)
    for tdef in template_for(version).tables:
        for r in tdef.rows:
            assert r.label in text, r.id
    assert "秦川市教育局" in text
    for heading in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
        assert heading in text


def test_rendering_is_deterministic() -> None:
    r = report(value=1234)
    assert render(r, "box", wrap_labels=True) == render(r, "box", wrap_labels=True)


def test_unknown_layout() -> None:
    with pytest.raises(ValueError, match="unknown layout 'pdf'"):
        render(report(), "pdf")


def test_knobs_are_visible() -> None:
    r = report(value=1066)
    plain = render(r, "space")
    assert "1066" in plain and "1,066" not in plain
    assert "1,066" in render(r, "space", thousands=True)
    assert "１０６６" in render(r, "space", fullwidth_digits=True)  # noqa: RUF001
    kangxi = render(r, "space", radicals=True)
    assert "⼀、" in kangxi and "⾏政许可" in kangxi and "工作" not in kangxi
    furnished = render(r, "space", furniture=True)
    assert "https://" in furnished and " 2/3" in furnished
    split = render(r, "space", split_groups=True)
    assert "（三）不予\n\n公开" in split
    wrapped = render(r, "space", wrap_labels=True).splitlines()
    assert " ".join(["1066"] * 7) in wrapped  # numbers on a line of their own after a wrapped label
    assert "\n\n" in render(r, "space", blank_lines=True).split("三、收到")[0].split("二、主动")[1]


def test_word_cells_shape() -> None:
    text = render(report(value=5), "word_cells", padding=True)
    region = text.split("三、收到和处理政府信息公开申请情况")[1].split("四、政府信息公开")[0]
    assert "\t\n" in region  # blank cells are a bare tab line
    assert "\u00a0" in region and "\u3000" in region
    assert all(ln == "" or ln.startswith("\t") for ln in region.strip("\n").splitlines())
    assert "\t本年制\n发件数\n" in render(report(), "word_cells", wrap_labels=True)


def test_placeholders_print_their_raw_text() -> None:
    r = report()
    rows = {k: dict(v) for k, v in r.table2.rows.items()}
    rows["regulations"]["issued"] = Cell(None, "—", CellStatus.PLACEHOLDER)
    rows["regulations"]["repealed"] = Cell(None, "", CellStatus.BLANK)
    r = Report(r.organ, r.year, r.template, None, Table("table2", r.template, rows), r.table3, r.table4)
    assert "| 规章 | — |  | 0 |" in render(r, "markdown")


def test_import_govreport_does_not_import_hypothesis() -> None:
    code = "import sys, govreport; govreport.render; assert 'hypothesis' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_testing_without_hypothesis_says_how_to_install() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import govreport.testing\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert "pip install 'govreport[testing]'" in out


def test_render_is_exported() -> None:
    assert govreport.render is render


def test_flat_is_the_text_run_together() -> None:
    report = govreport.load(seed_files()[0])
    flat = render(report, "flat")
    assert flat.count("\n") == 1 and " " not in flat and "\t" not in flat
    assert "一、本年新收政府信息公开申请数量22000002" in flat
    assert govreport.loads(flat).source.parser == "flat"


def test_the_knobs_of_texts_met_in_the_wild_are_visible() -> None:
    r = report(value=7)
    assert "\n" not in render(r, "space", one_line=True).rstrip("\n")
    assert render(r, "space", repeat_tables=3).count("三、收到和处理政府信息公开申请情况") == 3
    boxed = render(r, "box", wrap_cells=True)
    assert "\u3000\u3000 " in boxed and "\u3000" + "7" in boxed  # padding alone on a line, and before a value
    stray = render(r, "space", stray_cells=True).split("\n")
    below = next(n for n, line in enumerate(stray) if line.strip() == "7")  # a Table 4 cell, below its line
    assert stray[below - 1].split() == ["7"] * 14
    ids = list(template_for(TemplateVersion.V2021).table3.row_ids)
    ids[2], ids[4] = ids[4], ids[2]
    swapped = render(r, "space", row_order=ids)
    assert swapped.index("1.属于国家秘密") < swapped.index("（一）予以公开")


@pytest.mark.parametrize(
    ("knobs", "message"),
    [
        ({"row_order": ["granted"]}, "row_order must be a permutation"),
        ({"repeat_tables": 0}, "repeat_tables must be a positive int"),
        ({"repeat_tables": True}, "repeat_tables must be a positive int"),
    ],
)
def test_bad_knob_values(knobs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(report(), "space", **knobs)  # type: ignore[arg-type]
