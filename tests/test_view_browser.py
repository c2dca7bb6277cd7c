"""Seed 001's page in a real browser: headless Chromium builds the same DOM and renders it to a PNG.

Skipped where no Chromium is found (``scripts/screenshot.py`` says where it looks; CI need not
install one). The DOM assertions on the page itself run everywhere, in ``tests/test_view.py``.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

import govreport
from govreport.export import view

from .conftest import SEEDS, load_script
from .test_view import assert_self_contained, cell_ids, dom, grid_width, named

SEED_001 = SEEDS / "001_695d3b899552ac9d.txt"


TOOL = load_script("screenshot")
BROWSER = TOOL.find_chromium()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless Chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "001.html"
    report = govreport.load(SEED_001)
    path.write_text(view.report_page([view.PageResult(str(SEED_001), report)]), encoding="utf-8")
    return path


def test_chromium_builds_the_dom_the_tests_read(page: Path) -> None:
    """What the browser makes of the page marks the same cells: no tag left open, nothing moved."""
    root = dom(TOOL.dump_dom(BROWSER, page))
    report = govreport.load(SEED_001)
    assert cell_ids(root, "err") == named(report)
    assert cell_ids(root, "pinpoint") == {"table3.total_handled.natural_person", "table3.total_handled.total"}
    assert sorted(s.attrs["data-suggestion"] for s in root.find("span", "suggest")) == ["25", "27"]
    for table in root.find("table", "form"):
        grid_width(table)
    assert_self_contained(root)


def test_chromium_renders_the_page_to_a_png(page: Path, tmp_path: Path) -> None:
    png = tmp_path / "001.png"
    TOOL.screenshot(BROWSER, page, png, width=800, height=600)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (800, 600)
