"""What the document readers do with and without their extras installed.

These run in every environment: the old-Word and not-a-zip checks come before lxml is needed, a
missing lxml is simulated, and HTML falls back on the standard library's ``html.parser``.
"""

from __future__ import annotations

import pytest

from govreport.errors import InputError
from govreport.sources import docx as docx_module
from govreport.sources import html as html_module
from govreport.sources.docx import read_docx
from govreport.sources.html import read_html, read_html_tables

from .docx_build import docx, p


def _refused(data: bytes, *words: str) -> None:
    with pytest.raises(InputError) as info:
        read_docx(data, path="report.docx")
    message = str(info.value)
    assert message.startswith("report.docx: "), message
    for w in words:
        assert w in message, message


def test_old_doc_says_how_to_convert() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    _refused(ole, "old binary Word format", "soffice --headless --convert-to docx")


def test_password_protected_docx_is_named() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    _refused(ole, "password-protected")


@pytest.mark.parametrize("data", [b"", b"hello, not a zip", b"<html><table>", bytes(range(256)) * 40])
def test_not_a_zip(data: bytes) -> None:
    _refused(data, "not a .docx")


def test_missing_lxml_names_the_docx_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lxml() -> None:
        raise ImportError("No module named 'lxml'")

    monkeypatch.setattr(docx_module, "_lxml", no_lxml)
    _refused(docx(p("x")), "pip install 'govreport[docx]'")


PAGE = (
    "<html><head><meta charset='utf-8'><title>某区2022年政府信息公开工作年度报告</title></head><body>"
    "<p>二、主动公开政府信息情况</p><table><tr><td rowspan=2>规章</td><td>1</td></tr><tr><td>2</td></tr></table>"
    "</body></html>"
).encode()


def test_html_without_lxml_reads_with_the_standard_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module, "html_backend", lambda: "html.parser")
    doc = read_html(PAGE)
    assert doc.reader == "html.parser"
    (grid,) = doc.grids()
    assert [[c.text for c in row] for row in grid.rows] == [["规章", "1"], ["规章", "2"]]


def test_html_table_fragments_need_no_extra() -> None:
    (grid,) = read_html_tables("<table><tr><th colspan='2'>a</th></tr></table>", first_line=40)
    assert [[c.text for c in row] for row in grid.rows] == [["a", "a"]]
    assert grid.rows[0][0].origin.line == 40


def test_unknown_html_backend() -> None:
    with pytest.raises(ValueError, match=r"html\.parser"):
        read_html(PAGE, backend="html5lib")
