"""Web pages saved as one file (MHTML: ``.mhtml``, ``.mht``, a mail's ``.eml``), read as the page they hold.

The class: any report page (generated, every template and quirk, in UTF-8 or GBK under its labels)
saved by a browser, by Word or sent as mail — page part quoted-printable, base64 or 8-bit, a charset
on its part or not, CRLF or LF, images, style sheets and other frames' pages around it. The reading
must be the page's own reading, cell for cell. Then what a hostile or damaged archive does. All of
it works without lxml (the standard library's parser reads the page): CI runs this file without it.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport import GovReportError, InputError
from govreport.sources import sniff
from govreport.sources.html import decode_html, read_html
from govreport.sources.mhtml import MAX_NESTING, mhtml_page, read_mhtml
from govreport.sources.sniff import not_a_report

from .conftest import SHARED
from .documents import MHTML_WRITERS, mhtml_file
from .test_generated_published import GENERATED_PAGES, GeneratedPage, same_reading

RARE = "朱镕基、王珺、张堃、李喆"  # GBK but not GB2312: a page labelled gb2312 must not stop at them
ORIGINAL = next(iter(sorted((SHARED / "originals").glob("*/source.html"))), None)


@settings(deadline=None)
@given(
    GENERATED_PAGES,
    st.sampled_from(MHTML_WRITERS),
    st.sampled_from(["quoted-printable", "base64", "8bit"]),
    st.booleans(),
    st.sampled_from([b"\r\n", b"\n"]),
    st.integers(0, 3),
    st.integers(0, 3),
    st.booleans(),
)
def test_generated_report_pages_saved_as_one_file_read_back_exactly(
    page: GeneratedPage,
    writer: str,
    transfer: str,
    part_charset: bool,
    newline: bytes,
    before: int,
    after: int,
    frame: bool,
) -> None:
    data = mhtml_file(
        page.data,
        writer=writer,
        transfer=transfer,
        charset=(page.label or ("utf-8" if page.codec == "utf-8" else "gbk")) if part_charset else None,
        newline=newline,
        parts_before=before,
        parts_after=after,
        frame_before=frame,
    )
    report = govreport.loads(data, path="report.mhtml")
    assert report.source.format == "mhtml"
    assert report.source.reader == read_html(page.data).reader
    same_reading(report, page.expected)


@pytest.mark.skipif(ORIGINAL is None, reason="no originals in the shared data")
@pytest.mark.parametrize("writer", MHTML_WRITERS)
@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
def test_a_saved_original_is_the_page_block_for_block(writer: str, transfer: str) -> None:
    """Origins included: a cell's source line is its line in the page the archive holds."""
    assert ORIGINAL is not None
    page = ORIGINAL.read_bytes()
    saved = read_mhtml(mhtml_file(page, writer=writer, transfer=transfer, parts_before=2, frame_before=True))
    direct = read_html(page)
    assert (saved.format, saved.reader, saved.encoding) == ("mhtml", direct.reader, direct.encoding)
    assert saved.blocks == direct.blocks


def _rare_page(meta: str = "") -> bytes:
    return f"<html><head>{meta}</head><body><p>{RARE}</p><table><tr><td>1</td></tr></table></body></html>".encode("gbk")


@pytest.mark.parametrize("label", ["gb2312", "GB2312", "gbk", "x-gbk", "gb18030"])
def test_a_gbk_page_under_any_gb_label_on_its_part_keeps_every_character(label: str) -> None:
    data = mhtml_file(_rare_page(), writer="word", charset=label)
    page = mhtml_page(data)
    assert page.charset == label.lower()
    assert page.location == "file:///C:/2D0A6C4E/report.htm"
    doc = read_mhtml(data)
    assert doc.encoding == "gb18030"
    assert RARE in doc.blocks[0].text  # type: ignore[union-attr]


def test_the_parts_charset_outranks_the_pages_meta() -> None:
    """As an HTTP header does in a browser: Big5 bytes under a wrong gb2312 meta read as Big5."""
    text = "臺北市政府資訊公開"
    page = f'<html><head><meta charset="gb2312"></head><body><p>{text}</p></body></html>'.encode("big5")
    assert text not in decode_html(page)[0]
    assert decode_html(page, charset="big5") == (page.decode("big5"), "big5hkscs")
    doc = read_mhtml(mhtml_file(page, charset="big5"))
    assert doc.blocks[0].text == text  # type: ignore[union-attr]


def test_a_single_part_archive_and_unsaved_mail_headers() -> None:
    page = _rare_page('<meta charset="gbk">')
    single = b"MIME-Version: 1.0\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    import base64

    data = single + base64.encodebytes(page)
    assert sniff(data) == "mhtml"
    assert read_mhtml(data).blocks == read_html(page).blocks


@pytest.mark.parametrize("writer", MHTML_WRITERS)
def test_every_writer_is_sniffed_from_the_bytes(writer: str) -> None:
    assert sniff(mhtml_file(_rare_page(), writer=writer)) == "mhtml"
    assert sniff(b"\xef\xbb\xbf" + mhtml_file(_rare_page(), writer=writer, newline=b"\n")) == "mhtml"


@pytest.mark.parametrize(
    "data",
    [
        "某局2021年政府信息公开工作年度报告\n\n一、总体情况\n".encode(),
        b"Subject: report\r\nContent-Type: text/html\r\n\r\n<p>no MIME-Version: a mail-like text</p>",
        b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nnot a page",
        "MIME-Version: 1.0\n标题: 年度报告\n\n正文".encode(),  # a header block holds ASCII field names only
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x",  # never a blank line
    ],
)
def test_text_that_only_resembles_mail_is_not_an_archive(data: bytes) -> None:
    assert sniff(data) != "mhtml"


def _archive(body: bytes, content_type: bytes = b'multipart/related; boundary="b"') -> bytes:
    return b"MIME-Version: 1.0\r\nContent-Type: " + content_type + b"\r\n\r\n" + body


def _bounded(data: bytes) -> GovReportError:
    tracemalloc.start()
    try:
        with pytest.raises(GovReportError) as info:
            govreport.loads(data, path="saved.mhtml")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 3 * len(data) + (16 << 20), f"peak {peak / 2**20:.0f} MB"
    assert "saved.mhtml" in str(info.value)
    return info.value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_archive(b"--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n"), "no web page"),
        (_archive(b"--b--\r\n"), "no web page"),
        (_archive(b"", b"multipart/related"), "no boundary"),
        (_archive(b"--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: x-uue\r\n\r\n<p>\r\n"), "x-uue"),
        (_archive(b"--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJDQ\r\n"), "base64"),
        (_archive(b"--b\r\nContent-Type: text/html\r\n" + b"X-Pad: " + b"y" * (100 << 10)), "header block"),
        (_archive(b"".join(b"--b\r\nContent-Type: text/css\r\n\r\n\r\n" for _ in range(10_002))), "more than 10,000"),
        (b"MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<html><body><p>no table</p></body></html>", "no table"),
    ],
    ids=["images-only", "empty", "no-boundary", "unknown-encoding", "bad-base64", "long-header", "parts", "no-table"],
)
def test_a_damaged_archive_says_what_is_wrong(data: bytes, message: str) -> None:
    assert sniff(data) == "mhtml"
    assert message in str(_bounded(data))


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 100_000])
def test_nested_multiparts_are_refused_at_a_bound(depth: int) -> None:
    heads = (b"Content-Type: multipart/mixed; boundary=%d\r\n\r\n--%d\r\n" % (n, n) for n in range(depth))
    tails = (b"\r\n--%d--\r\n" % n for n in reversed(range(depth)))
    data = b"MIME-Version: 1.0\r\n" + b"".join(heads) + b"".join(tails)
    assert "deeper than" in str(_bounded(data))


def test_an_oversized_archive_is_refused_unread() -> None:
    data = _archive(b"--b\r\nContent-Type: image/png\r\n\r\n" + b"A" * (65 << 20))
    with pytest.raises(InputError, match="larger than 64 MB"):
        read_mhtml(data, path="big.mhtml")


@pytest.mark.skipif(ORIGINAL is None, reason="no originals in the shared data")
def test_an_archive_cut_after_its_page_still_reads() -> None:
    assert ORIGINAL is not None
    page = ORIGINAL.read_bytes()
    data = mhtml_file(page, writer="blink", parts_after=2)
    cut = data[: data.rindex(b"Content-Type: text/css")]  # mid-part, no closing delimiter
    assert read_mhtml(cut).blocks == read_html(page).blocks


def test_a_folder_skips_a_saved_page_that_is_no_report_and_reads_the_one_that_is(tmp_path: Path) -> None:
    other = b"<html><body><p>Opening hours of the archive reading room, 9:00-17:00.</p></body></html>"
    assert not_a_report(mhtml_file(other)) == "a web page without report text (no Chinese prose about 公开)"
    assert not_a_report(_archive(b"--b--\r\n")) is None  # damaged: reading it will say so
    if ORIGINAL is not None:
        assert not_a_report(mhtml_file(ORIGINAL.read_bytes(), writer="word")) is None


@pytest.mark.skipif(ORIGINAL is None, reason="no originals in the shared data")
def test_the_cli_reads_a_saved_page_beside_the_page_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder as a user holds it: the page, the same page saved by Chrome and by Word (any names),
    a saved page that is no report. ``export`` reads the three reports alike and skips the other."""
    import json

    from govreport import cli

    assert ORIGINAL is not None
    page = ORIGINAL.read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.html").write_bytes(page)
    (tmp_path / "in" / "chrome.mhtml").write_bytes(mhtml_file(page, writer="blink", frame_before=True))
    (tmp_path / "in" / "word.doc").write_bytes(mhtml_file(page, writer="word", transfer="base64"))  # named .doc
    (tmp_path / "in" / "hours.mht").write_bytes(mhtml_file(b"<html><body><p>Opening hours.</p></body></html>"))
    out = tmp_path / "all.jsonl"
    code = cli.main(["export", str(tmp_path / "in"), "-o", str(out), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    rows = {Path(r["path"]).name: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert sorted(rows) == ["chrome.mhtml", "report.html", "word.doc"]
    assert [rows[n]["format"] for n in sorted(rows)] == ["mhtml", "html", "mhtml"]
    tables = [(rows[n]["table2"], rows[n]["table3"], rows[n]["table4"]) for n in sorted(rows)]
    assert tables[0] == tables[1] == tables[2]
    assert f"{tmp_path / 'in' / 'hours.mht'}: a web page without report text" in err
    assert cli.main(["explain", str(tmp_path / "in" / "chrome.mhtml")]) == 0
    assert "grid" in capsys.readouterr().out
