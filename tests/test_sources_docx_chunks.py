"""Word files whose body is an embedded web page (``w:altChunk``), as "export to Word" buttons write them.

A web system that offers a report "as Word" often writes no WordprocessingML at all: html-docx-js
and the OpenXML/docx4j generators put the page (HTML or MHTML) in the package and one ``w:altChunk``
in the body, and Word renders it in place. The class: any report page (generated, every template
and quirk, UTF-8 or GBK under its labels), as an HTML or MHTML chunk, alone or after Word
paragraphs and a Word table of its own, the relationship's target relative or absolute. The reading
must be the page's, cell for cell, with the tables numbered on from Word's.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport import InputError
from govreport.sources.document import Grid, Paragraph
from govreport.sources.html import read_html

from .documents import mhtml_file
from .docx_build import deflated, deflated_repeat, docx, p, raw_zip, tbl, tc, tr
from .test_generated_published import GENERATED_PAGES, GeneratedPage, same_reading

pytest.importorskip("lxml", reason="reading Word files needs lxml")

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHUNK_TYPE = f"{R}/aFChunk"


def chunk_rels(*chunks: tuple[str, str]) -> bytes:
    """``word/_rels/document.xml.rels`` for ``(id, target)`` chunks."""
    rels = "".join(f'<Relationship Id="{i}" Type="{CHUNK_TYPE}" Target="{t}"/>' for i, t in chunks)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    ).encode()


def alt_chunk(rel_id: str) -> str:
    return f'<w:altChunk xmlns:r="{R}" r:id="{rel_id}"/>'


def chunked_docx(chunk: bytes, *, name: str = "afchunk.mht", absolute: bool = True, before: str = "") -> bytes:
    """A .docx as html-docx-js writes it: ``before`` (Word XML), then one chunk."""
    target = f"/word/{name}" if absolute else name
    return docx(
        before + alt_chunk("htmlChunk"),
        extra=[("word/_rels/document.xml.rels", chunk_rels(("htmlChunk", target))), (f"word/{name}", chunk)],
    )


CONTACTS = p("联系方式") + tbl(tr(tc("单位"), tc("电话")), tr(tc("办公室"), tc("0571-12345678")))


@settings(deadline=None)
@given(GENERATED_PAGES, st.sampled_from(["html", "word", "blink"]), st.booleans(), st.booleans())
def test_generated_report_pages_as_word_chunks_read_back_exactly(
    page: GeneratedPage, chunk_kind: str, absolute: bool, word_before: bool
) -> None:
    if chunk_kind == "html":
        chunk, name = page.data, "afchunk.htm"
    else:
        charset = page.label if chunk_kind == "word" else None
        chunk, name = mhtml_file(page.data, writer=chunk_kind, charset=charset), "afchunk.mht"
    data = chunked_docx(chunk, name=name, absolute=absolute, before=CONTACTS if word_before else "")
    report = govreport.loads(data, path="export.docx")
    assert report.source.format == "docx"
    same_reading(report, page.expected)


def test_the_chunks_tables_are_numbered_on_from_words() -> None:
    page = b"<html><body><p>\xe7\xac\xac\xe4\xb8\x80</p><table><tr><td>a</td><td>1</td></tr></table></body></html>"
    doc = govreport.sources.read_document(chunked_docx(page, name="c.html", before=CONTACTS), "docx")
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    assert [g.rows[0][0].origin.table for g in grids] == [1, 2]
    assert [[c.text for c in row] for row in grids[1].rows] == [["a", "1"]]
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["联系方式", "第一"]
    assert grids[1].rows[0][0].origin.line == read_html(page).blocks[1].rows[0][0].origin.line  # type: ignore[union-attr]


def test_a_plain_text_chunk_is_paragraphs_and_two_chunks_keep_their_order() -> None:
    data = docx(
        p("前言") + alt_chunk("a") + alt_chunk("b"),
        extra=[
            ("word/_rels/document.xml.rels", chunk_rels(("a", "one.txt"), ("b", "two.html"))),
            ("word/one.txt", "一、总体情况\r\n\r\n本机关……".encode("gb18030")),
            ("word/two.html", "<p>二、主动公开政府信息情况</p>".encode()),
        ],
    )
    doc = govreport.sources.read_document(data, "docx")
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == [
        "前言",
        "一、总体情况",
        "本机关……",
        "二、主动公开政府信息情况",
    ]


def test_a_chunk_inside_a_table_cell_is_that_cells_text() -> None:
    cell = "<w:tc><w:tcPr/>" + alt_chunk("c") + "</w:tc>"
    data = docx(
        tbl(tr(tc("项目"), cell)),
        extra=[
            ("word/_rels/document.xml.rels", chunk_rels(("c", "cell.html"))),
            ("word/cell.html", "<p>收到申请</p><table><tr><td>新收</td><td>12</td></tr></table>".encode()),
        ],
    )
    (grid,) = govreport.sources.read_document(data, "docx").grids()
    assert [[c.text for c in row] for row in grid.rows] == [["项目", "收到申请\n新收 12"]]


@pytest.mark.parametrize(
    ("chunk", "name", "message"),
    [
        (rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 SimSun;}} \f0 report}", "afchunk.rtf", "embedded RTF document"),
        (docx(p("inner")), "inner.docx", r"embedded Word \(\.docx\) document"),
    ],
)
def test_a_chunk_in_a_format_not_read_says_to_let_word_convert_it(chunk: bytes, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message + r".*save it again as \.docx") as info:
        govreport.loads(chunked_docx(chunk, name=name), path="export.docx")
    assert "export.docx" in str(info.value)


def test_a_chunk_whose_part_is_missing_is_named() -> None:
    data = docx(alt_chunk("gone"), extra=[("word/_rels/document.xml.rels", chunk_rels())])
    with pytest.raises(InputError, match=r"altChunk 'gone'.*not in the file"):
        govreport.loads(data, path="export.docx")


def test_a_chunk_compressed_like_a_bomb_is_refused_unread() -> None:
    """300 MB of zeros declared (never decompressed: the declared size refuses it; the CRC is never reached)."""
    plain = docx(alt_chunk("htmlChunk"), extra=[("word/_rels/document.xml.rels", chunk_rels(("htmlChunk", "b.html")))])
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        members = [(i.filename, deflated(z.read(i)), i.file_size, zlib.crc32(z.read(i))) for i in z.infolist()]
    members.append(("word/b.html", deflated_repeat(b"\0" * (1 << 20), 300), 300 << 20, 0))
    with pytest.raises(InputError, match=r"word/b\.html declares .* refused as a zip bomb"):
        govreport.loads(raw_zip(members), path="bomb.docx")


def test_a_part_placed_thousands_of_times_is_refused() -> None:
    from govreport.sources.docx import MAX_CHUNKS

    page = b"<html><body><table><tr><td>1</td></tr></table></body></html>"
    data = docx(
        alt_chunk("c") * (MAX_CHUNKS + 1),
        extra=[("word/_rels/document.xml.rels", chunk_rels(("c", "c.html"))), ("word/c.html", page)],
    )
    with pytest.raises(InputError, match=r"places 65 embedded documents .* refused as hostile"):
        govreport.loads(data, path="bomb.docx")
    fine = docx(
        alt_chunk("c") * 2,
        extra=[("word/_rels/document.xml.rels", chunk_rels(("c", "c.html"))), ("word/c.html", page)],
    )
    doc = govreport.sources.read_document(fine, "docx")
    assert [g.rows[0][0].origin.table for g in doc.grids()] == [1, 2]
