"""Every built-in parser passes the public ParserContract, on real seeds and on rendered reports."""

from __future__ import annotations

import json

import pytest

from govreport import render
from govreport.parsers.box import BoxParser
from govreport.parsers.markdown import MarkdownParser
from govreport.parsers.space import SpaceParser
from govreport.parsers.tab import TabParser
from govreport.parsers.word_cells import WordCellsParser
from govreport.testing.contract import ParserContract

from .conftest import CORPUS, SEEDS
from .test_render import report

SEED_LAYOUTS = {"000": "space", "001": "word_cells", "002": "tab", "003": "space", "004": "markdown"}


def samples(layout: str) -> list[str]:
    """The seeds in ``layout`` (box: w3m corpus cases), plus the layout rendered by govreport."""
    out = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")) if SEED_LAYOUTS.get(p.name[:3]) == layout]
    if layout == "box":
        for case in sorted(CORPUS.glob("s*")):
            meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
            text = (case / meta["input_file"]).read_text(encoding="utf-8")
            if "w3m" in meta["chain"] and "┌" in text:  # w3m draws boxes only around bordered tables
                out.append(text)
    out.append(render(report(value=12), layout, wrap_labels=True, thousands=True))
    return out


class TestSpaceContract(ParserContract):
    parser_cls = SpaceParser
    samples = samples("space")


class TestTabContract(ParserContract):
    parser_cls = TabParser
    samples = samples("tab")


class TestMarkdownContract(ParserContract):
    parser_cls = MarkdownParser
    samples = samples("markdown")


class TestWordCellsContract(ParserContract):
    parser_cls = WordCellsParser
    samples = samples("word_cells")


class TestBoxContract(ParserContract):
    parser_cls = BoxParser
    samples = samples("box")


def test_a_contract_without_samples_fails_loudly() -> None:
    class Empty(ParserContract):
        parser_cls = TabParser

    with pytest.raises(pytest.fail.Exception, match="must set samples"):
        Empty().test_nothing_dropped()


@pytest.mark.parametrize(
    ("parser", "row", "rule"),
    [(MarkdownParser(), "| 规章 | 0 |", "| --- | --- |"), (BoxParser(), "│ 规章 │ 0 │", "├───┼───┤")],
    ids=["markdown", "box"],
)
def test_regression_table_rules_are_noise(parser, row: str, rule: str) -> None:
    # found by ParserContract.test_nothing_dropped: rule lines were neither rows nor noise (fixed in 32c97c0)
    head = "某区人民政府2021年政府信息公开工作年度报告\n二、主动公开政府信息情况"
    text = f"{head}\n{row}\n{rule}\n三、收到和处理政府信息公开申请情况\n"
    doc, layout = ParserContract.prepare(text)
    assert 3 in {line for line, _ in parser.parse(doc, layout).noise}
