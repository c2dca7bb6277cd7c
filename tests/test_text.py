"""Decoding and normalisation: encodings, radical folding, page furniture, spans back to the source."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govreport.errors import InputError
from govreport.sources.text import decode
from govreport.text import normalise as _text
from govreport.text.normalise import normalise

from .conftest import all_inputs, input_id

SAMPLE = "二、主动公开政府信息情况\n规章 0 1 2\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        ("abc 123\n".encode("utf-16-le"), "utf-16-le"),
        ("abc 123\n".encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_decode(data: bytes, encoding: str) -> None:
    text, enc = decode(data)
    assert enc == encoding
    assert text.lstrip("\ufeff") in (SAMPLE, "abc 123\n")


@pytest.mark.parametrize("data", [b"", b"   \n", bytes(range(256)) * 8, b"\x00\x01\x02\x03" * 100])
def test_decode_rejects_empty_and_binary(data: bytes) -> None:
    with pytest.raises(InputError):
        decode(data, path="x.bin")


def test_radicals_fold_to_ideographs() -> None:
    doc = normalise("人⺠政府\n部⻔\n⼯作\n⾏政\n\uff11\uff12\uff13\u3000\uff14")
    assert doc.lines == ("人民政府", "部门", "工作", "行政", "123 4")


def test_furniture_is_blanked_and_recorded() -> None:
    text = (
        "正文\n2023/3/1 14:05 某某报告\nhttps://www.example.gov.cn/a.html 1/3\n- 2 -\n第 3 页 共 9 页\n1/3\n规章 0 1 2"
    )
    doc = normalise(text)
    assert len(doc.lines) == len(text.split("\n"))
    assert doc.lines[0] == "正文" and doc.lines[-1] == "规章 0 1 2"
    assert all(line == "" for line in doc.lines[1:6])
    assert [n for n, _ in doc.noise] == [1, 2, 3, 4, 5]
    assert all(reason for _, reason in doc.noise)


@pytest.mark.parametrize(
    "header", ["1/27/23, 9:56 AM", "12/2/26, 1:20 PM 某某区2025年政府信息公开工作年度报告", "3/1/2023, 14:05"]
)
def test_a_browser_print_header_in_an_en_us_locale_is_furniture(header: str) -> None:
    """Chromium printing with an en-US locale dates its header month/day/two-digit year, 12-hour clock."""
    doc = normalise(f"正文\n{header}\n规章 0 1 2")
    assert doc.lines == ("正文", "", "规章 0 1 2")
    assert doc.noise == ((1, "print header (date)"),)


def test_number_line_is_not_furniture() -> None:
    doc = normalise("0 0 0 0 0 0 0\n12\n")
    assert doc.lines[0] == "0 0 0 0 0 0 0" and doc.lines[1] == "12" and doc.noise == ()


def test_spans_map_back_to_original_columns() -> None:
    original = "⾏政许可\u200b\u3000\uff11\uff12\tok"
    doc = normalise(original)
    line = doc.lines[0]
    assert line == "行政许可 12\tok"
    start = line.index("12")
    span = doc.span(0, start, start + 2)
    assert span.line == 1
    assert original[span.column - 1 : span.end_column - 1] == "\uff11\uff12"
    k = line.index("ok")
    assert original[doc.span(0, k, k + 2).column - 1] == "o"


@given(st.text(alphabet=st.one_of(st.sampled_from(sorted(_text._FOLD_STR)), st.characters()), max_size=60))
def test_regex_folding_equals_the_translate_table(text: str) -> None:
    """normalise folds with a regex for speed; the fold table (str.translate) is the reference."""
    assert _text.fold(text) == text.translate(_text._FOLD)
    assert len(_text.normalise(text).lines) == text.removeprefix("\ufeff").count("\n") + 1


_REFERENCE_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def _normalise_line_by_line(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """The reference: each line folded, cleaned and tested for furniture on its own."""
    lines: list[str] = []
    noise: list[tuple[int, str]] = []
    for i, line in enumerate(text.removeprefix("\ufeff").split("\n")):
        line = _text.fold(line)
        line = _REFERENCE_BOOKMARK.sub("", line)
        line = _text._EMPHASIS.sub(r"\2", line)
        line = _text._MD_ESCAPE.sub(r"\1", line)
        reason = next((r for p, r in _text._FURNITURE if p.match(line)), None)
        if reason is not None:
            noise.append((i, reason))
            line = ""
        lines.append(line)
    return tuple(lines), tuple(noise)


_LINE_PIECES = st.sampled_from(
    [
        "\n", " ", "\t", "\u3000", "12", "3", "/", ":", "-", "—", "第", "页", "共", "Page ", "of", "http://x.cn/a",
        "file://c", "2023/1/2", " 10:00", "[bookmark: id]", "**重点**", "__a__", "\\*", "⻔", "\uff11\uff12",
        "\u2028", "\x0b", "规章 0 1",
    ]
)  # fmt: skip


@given(st.lists(_LINE_PIECES, max_size=40).map("".join))
def test_whole_text_normalise_equals_the_line_by_line_reference(text: str) -> None:
    doc = normalise(text)
    assert (doc.lines, doc.noise) == _normalise_line_by_line(text)


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_whole_text_normalise_equals_the_reference_on_every_known_input(path: Path) -> None:
    text, _ = decode(path.read_bytes())
    doc = normalise(text)
    assert (doc.lines, doc.noise) == _normalise_line_by_line(text)
