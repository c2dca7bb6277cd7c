"""The document readers on the published originals of the 48 corpus reports, end to end.

Each ``source.html`` (on both HTML back-ends) and ``source.docx`` is read into a Document, written
out as tab-separated text (``tests/documents.py``) and read by the tab parser: every cell, the organ,
the year and the template must equal ``truth.json``. The HTML and DOCX grids of one report, made
independently by a browser-page and a Word generator, must be the same grids.

Then the class of pages around such an article: site chrome, article containers, a layout table,
encodings and their labels, generated over every original. The reading must not change.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.sources.document import Document, Paragraph
from govreport.sources.html import read_html

from .conftest import SHARED
from .documents import CHROME_AFTER, CHROME_BEFORE, WRAPPERS, document_mismatches, grid_texts
from .truthdata import contract_mismatches, read_truth

ORIGINALS = SHARED / "originals"
CASES = sorted(p for p in ORIGINALS.iterdir() if (p / "truth.json").exists()) if ORIGINALS.is_dir() else []
HAS_LXML = importlib.util.find_spec("lxml") is not None
BACKENDS = ["html.parser", pytest.param("lxml", marks=pytest.mark.skipif(not HAS_LXML, reason="lxml not installed"))]

pytestmark = pytest.mark.skipif(not CASES, reason="no originals in the shared data")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_html_original_reads_exactly(case: Path, backend: str) -> None:
    doc = read_html((case / "source.html").read_bytes(), path=str(case / "source.html"), backend=backend)
    assert document_mismatches(doc, read_truth(case / "truth.json")) == []


@pytest.mark.skipif(not HAS_LXML, reason="lxml not installed")
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_docx_original_reads_exactly_and_draws_the_html_grids(case: Path) -> None:
    from govreport.sources.docx import read_docx

    doc = read_docx((case / "source.docx").read_bytes(), path=str(case / "source.docx"))
    assert document_mismatches(doc, read_truth(case / "truth.json")) == []
    page = _original(case)
    assert grid_texts(doc) == grid_texts(page)
    assert _anchors(doc) == _anchors(page)


@cache
def _original(case: Path) -> Document:
    return read_html((case / "source.html").read_bytes(), backend="html.parser")


def _anchors(doc: Document) -> list[list[list[bool]]]:
    return [[[c.anchor for c in row] for row in g.rows] for g in doc.grids()]


# -- the pages around an article ----------------------------------------------------------------------

ENCODINGS = [("utf-8", "utf-8"), ("gb18030", "gb2312"), ("gb18030", "gbk"), ("gb18030", None), ("utf-8-sig", None)]


def _page(case: Path, before: list[str], wrapper: str, after: list[str], codec: str, label: str | None) -> bytes:
    original = (case / "source.html").read_text(encoding="utf-8")
    start = original.index("<body>") + len("<body>")
    inner = original[start : original.rindex("</body>")]
    title = original[original.index("<title>") : original.index("</title>") + len("</title>")]
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">' if label else ""
    page = (
        f"<html><head>{meta}{title}</head><body>{''.join(before)}{wrapper.format(inner)}{''.join(after)}</body></html>"
    )
    return page.encode(codec)


@settings(max_examples=max(60, settings().max_examples), deadline=None)
@given(
    st.data(),
    st.lists(st.sampled_from(CHROME_BEFORE), max_size=4, unique=True),
    st.sampled_from(WRAPPERS),
    st.lists(st.sampled_from(CHROME_AFTER), max_size=3, unique=True),
    st.sampled_from(ENCODINGS),
    st.sampled_from(["html.parser", "lxml"] if HAS_LXML else ["html.parser"]),
)
def test_chrome_containers_and_encodings_change_no_reading(
    data: st.DataObject,
    before: list[str],
    wrapper: str,
    after: list[str],
    encoding: tuple[str, str | None],
    backend: str,
) -> None:
    case = data.draw(st.sampled_from(CASES), label="case")
    page = _page(case, before, wrapper, after, *encoding)
    doc = read_html(page, backend=backend)
    original = _original(case)
    assert grid_texts(doc) == grid_texts(original)
    assert _anchors(doc) == _anchors(original)
    prose = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    for word in ("首页", "分享", "主办单位", "版权所有", "上一篇", "相关链接", "请开启脚本", "visits", "padding"):
        assert not any(word in t for t in prose), (word, prose[:3])
    assert [b.text for b in original.blocks if isinstance(b, Paragraph)][-1] == prose[-1]
    assert document_mismatches(doc, read_truth(case / "truth.json")) == []


def test_utf8_bom_and_gbk_bytes_decode_the_same() -> None:
    case = CASES[0]
    for codec, label in ENCODINGS:
        doc = read_html(_page(case, [], "{}", [], codec, label))
        assert grid_texts(doc) == grid_texts(_original(case)), (codec, label)
        assert doc.encoding == ("gb18030" if codec == "gb18030" else codec), (codec, label)


@pytest.mark.parametrize("fmt", ["html", pytest.param("docx", marks=pytest.mark.skipif(not HAS_LXML, reason="lxml"))])
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_load_reads_the_published_original_exactly(case: Path, fmt: str) -> None:
    """Through ``govreport.load`` itself: format detection, the reader, the one shared assembler."""
    import govreport

    report = govreport.load(case / f"source.{fmt}")
    assert report.source.format == fmt
    assert report.source.reader == ("lxml" if HAS_LXML else "html.parser")
    assert contract_mismatches(govreport.to_dict(report), read_truth(case / "truth.json")) == []
