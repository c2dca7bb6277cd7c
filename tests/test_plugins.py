"""Parser plugins are found through a real ``govreport.parsers`` entry point."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import govreport
from govreport import registry

from .conftest import seed_files

PLUGIN = '''
from govreport.plugins import GrammarParser, Layout, NormText


class TinyParser(GrammarParser):
    """Reads the space layout with govreport's own space grammar under another name; detect stays low
    so it never wins by itself. Only the public plugin API is imported."""

    name = "tiny"
    layout = "tiny"
    priority = 1
    description = "test plugin"
    grammar = "space"  # grammars/space.lark of govreport (grammar_package defaults to it)

    def detect(self, doc: NormText, layout: Layout) -> float:
        return 0.01
'''

# a plugin with a grammar of its own, in its own package: lines of cells separated by " | "
GRAMMAR_PLUGIN = """
from govreport.plugins import GrammarParser, Layout, NormText, Row, RowBuilder, field_items, table_regions


class BarBuilder(RowBuilder):
    def bar_row(self, children):
        tok = children[0]
        line = self._doc_line(tok.line)
        return Row(tuple(field_items(str(tok).rstrip("\\n").split(" | "), line, tok.column - 1, 3)), line)


class BarParser(GrammarParser):
    name = "bars"
    layout = "bars"
    priority = 1
    description = "cells separated by ' | '"
    grammar = "bars"
    grammar_package = "bars_plugin"
    builder = BarBuilder

    def detect(self, doc: NormText, layout: Layout) -> float:
        return 0.0
"""

BARS_LARK = r"""
start: _line*
_line: bar_row | text_row | _NL
bar_row: BAR_LINE
text_row: TEXT_LINE
BAR_LINE.2: /[^\n]* \| [^\n]*\n*/
TEXT_LINE: /[^\n]+\n*/
_NL: /\n+/
"""


def _install(tmp_path: Path, entry_points: str, modules: dict[str, str]) -> None:
    dist = tmp_path / "govreport_tiny_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: govreport-tiny-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[govreport.parsers]\n" + entry_points)
    for name, source in modules.items():
        (tmp_path / f"{name}.py").write_text(source)


@pytest.fixture
def plugin_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("GOVREPORT_NO_PLUGINS", raising=False)
    registry.reset()
    yield tmp_path
    for mod in ("tiny_plugin", "broken_plugin"):
        sys.modules.pop(mod, None)
    monkeypatch.undo()
    registry.reset()


def test_plugin_is_discovered_and_can_be_forced(plugin_path: Path) -> None:
    _install(plugin_path, "tiny = tiny_plugin:TinyParser\n", {"tiny_plugin": PLUGIN})
    registry.reset()
    names = [p.name for p in registry.list_parsers()]
    assert "tiny" in names and "space" in names
    seed = seed_files()[0]
    assert govreport.load(seed).source.parser == "space"  # ranking is not disturbed
    forced = govreport.load(seed, parser="tiny")
    assert forced.source.parser == "tiny"
    assert forced.table3 == govreport.load(seed).table3
    assert "tiny" in [c.parser for c in govreport.explain(seed).candidates]
    assert registry.plugin_errors() == []


def test_broken_plugin_is_reported_not_fatal(plugin_path: Path) -> None:
    _install(
        plugin_path,
        "tiny = tiny_plugin:TinyParser\nbroken = broken_plugin:Nope\n",
        {"tiny_plugin": PLUGIN, "broken_plugin": "import no_such_module_for_govreport_tests\n"},
    )
    registry.reset()
    with pytest.warns(RuntimeWarning, match="broken"):
        names = [p.name for p in registry.list_parsers()]
    assert "tiny" in names
    errors = registry.plugin_errors()
    assert [e.name for e in errors] == ["broken"]
    assert "ModuleNotFoundError" in errors[0].reason
    assert govreport.load(seed_files()[0]).source.parser == "space"


def test_no_plugins_env_disables_plugins(plugin_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(plugin_path, "tiny = tiny_plugin:TinyParser\n", {"tiny_plugin": PLUGIN})
    monkeypatch.setenv("GOVREPORT_NO_PLUGINS", "1")
    registry.reset()
    names = [p.name for p in registry.list_parsers()]
    assert "tiny" not in names and {"space", "tab", "markdown", "word_cells", "box"} <= set(names)
    with pytest.raises(govreport.errors.ParserNotFound, match="tiny"):
        govreport.load(seed_files()[0], parser="tiny")


def test_no_parser_matched_names_file_candidates_and_caret() -> None:
    text = (
        "某局2021年政府信息公开工作年度报告\n一、总体情况\n文字。\n二、主动公开政府信息情况\n"
        "这里没有表格，只有文字。\n三、收到和处理政府信息公开申请情况\n也没有表格。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n无。\n"
    )
    with pytest.raises(govreport.errors.NoParserMatched) as info:
        govreport.loads(text, path="nothing.txt")
    msg = str(info.value)
    assert msg.startswith("nothing.txt:4:")
    assert "space" in msg and "^" in msg
    assert info.value.candidates


def test_plugin_with_its_own_grammar_package(plugin_path: Path) -> None:
    """A plugin ships grammars/<name>.lark in its own package; only govreport.plugins is imported."""
    pkg = plugin_path / "bars_plugin"
    (pkg / "grammars").mkdir(parents=True)
    (pkg / "__init__.py").write_text(GRAMMAR_PLUGIN)
    (pkg / "grammars" / "bars.lark").write_text(BARS_LARK)
    _install(plugin_path, "bars = bars_plugin:BarParser\n", {})
    registry.reset()
    seed = seed_files()[0]
    text = seed.read_text(encoding="utf-8")
    # the space layout's cells, separated by " | " instead
    barred = "\n".join(
        " | ".join(line.split()) if any(ch.isdigit() for ch in line) else line for line in text.split("\n")
    )
    try:
        report = govreport.loads(barred, parser="bars")
        assert report.source.parser == "bars"
        assert report.table3.values() == govreport.load(seed).table3.values()  # spans differ: other text
    finally:
        sys.modules.pop("bars_plugin", None)


def test_plugins_module_is_the_whole_plugin_api() -> None:
    import govreport.plugins as api

    for name in api.__all__:
        assert getattr(api, name) is not None
    assert api.ENTRY_POINT_GROUP == "govreport.parsers"
