"""The DOCX reader: merged cells, nesting, body order, Word's wrappers, and hostile files (with lxml;
what needs no extra is in ``test_sources_extras.py``).

Hostile files are regular tests with asserted outcomes: an InputError naming the problem, memory
bounded (tracemalloc), never a decompressed gigabyte. Time is never asserted.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest

pytest.importorskip("lxml")

from govreport.errors import InputError
from govreport.sources._numbering import format_number
from govreport.sources.document import Grid, Paragraph
from govreport.sources.docx import read_docx

from .docx_build import (
    CONTENT_TYPES,
    W,
    deflated,
    deflated_repeat,
    document_xml,
    docx,
    p,
    raw_zip,
    rels,
    tbl,
    tc,
    tr,
)

PEAK = 64 << 20


def texts(grid: Grid) -> list[list[str]]:
    return [[c.text for c in row] for row in grid.rows]


def anchors(grid: Grid) -> list[list[bool]]:
    return [[c.anchor for c in row] for row in grid.rows]


def grids(data: bytes) -> list[Grid]:
    return list(read_docx(data).grids())


# -- structure --------------------------------------------------------------------------------------


def test_vmerge_label_belongs_to_every_row_it_spans() -> None:
    body = tbl(
        tr(tc("三、本年度办理结果", vmerge="restart"), tc("（一）予以公开"), tc("5")),
        tr(tc("", vmerge="continue"), tc("（二）部分公开"), tc("1")),
        tr(tc("", vmerge=""), tc("（三）不予公开"), tc("0")),  # a bare <w:vMerge/> continues too
        tr(tc("四、结转下年度继续办理"), tc("", span=1), tc("2")),
    )
    (g,) = grids(docx(body))
    assert texts(g) == [
        ["三、本年度办理结果", "（一）予以公开", "5"],
        ["三、本年度办理结果", "（二）部分公开", "1"],
        ["三、本年度办理结果", "（三）不予公开", "0"],
        ["四、结转下年度继续办理", "", "2"],
    ]
    assert anchors(g) == [[True] * 3, [False, True, True], [False, True, True], [True] * 3]
    covered = g.rows[2][0]
    assert covered.origin == g.rows[0][0].origin  # a covered position names its merged cell's place
    assert (covered.origin.table, covered.origin.row, covered.origin.column) == (1, 1, 1)


def test_grid_span_and_vmerge_together() -> None:
    body = tbl(
        tr(tc("申请人情况", span=2, vmerge="restart"), tc("总计")),
        tr(tc("", span=2, vmerge="continue"), tc("9")),
    )
    (g,) = grids(docx(body))
    assert texts(g) == [["申请人情况", "申请人情况", "总计"], ["申请人情况", "申请人情况", "9"]]
    assert anchors(g) == [[True, False, True], [False, False, True]]


def test_a_continue_cell_with_nothing_above_is_a_cell() -> None:
    (g,) = grids(docx(tbl(tr(tc("x", vmerge="continue"), tc("1")))))
    assert texts(g) == [["x", "1"]] and anchors(g) == [[True, True]]


def test_grid_before_and_after_are_blank_positions() -> None:
    body = tbl(tr(tc("a"), tc("b"), tc("c")), tr(tc("m"), before=1, after=1))
    (g,) = grids(docx(body))
    assert texts(g) == [["a", "b", "c"], ["", "m", ""]]
    assert anchors(g) == [[True] * 3, [True] * 3]  # blank, never a number, never a copy


def test_old_hmerge_merges_across() -> None:
    cont = '<w:tc><w:tcPr><w:hMerge w:val="continue"/></w:tcPr><w:p/></w:tc>'
    start = '<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>' + p("合并") + "</w:tc>"
    (g,) = grids(docx(tbl(tr(start, cont, tc("z")), tr(tc("1"), tc("2"), tc("3")))))
    assert texts(g) == [["合并", "合并", "z"], ["1", "2", "3"]]


def test_nested_table_is_its_own_grid_after_its_parent() -> None:
    inner = tbl(tr(tc("内1"), tc("内2")))
    body = tbl(tr(tc("外", inner=inner), tc("b")), tr(tc("c"), tc("d"))) + tbl(tr(tc("后")))
    g1, g2, g3 = grids(docx(body))
    assert texts(g1) == [["外", "b"], ["c", "d"]]  # the nested table's text is not the cell's
    assert texts(g2) == [["内1", "内2"]]
    assert texts(g3) == [["后"]]
    assert [g.origin.table for g in (g1, g2, g3)] == [1, 2, 3]


def test_paragraphs_in_a_cell_are_lines() -> None:
    (g,) = grids(docx(tbl(tr(tc(["1.申请人无正当理由逾期不补正、行政机关不再处理其", "政府信息公开申请"]), tc("0")))))
    assert g.rows[0][0].text == "1.申请人无正当理由逾期不补正、行政机关不再处理其\n政府信息公开申请"


def test_body_paragraphs_and_tables_in_order() -> None:
    body = p("某某区2022年政府信息公开工作年度报告") + p("二、主动公开政府信息情况") + tbl(tr(tc("1"))) + p("三、收到")
    blocks = read_docx(docx(body)).blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "Grid", "Paragraph"]
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "某某区2022年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "三、收到",
    ]


def test_content_controls_tracked_changes_and_breaks() -> None:
    run = "<w:r><w:t>{}</w:t></w:r>"
    para = (
        "<w:p>"
        + run.format("本年")
        + '<w:del w:id="1"><w:r><w:delText>删去</w:delText></w:r></w:del>'
        + '<w:ins w:id="2"><w:r><w:t>新收</w:t></w:r></w:ins>'
        + "<w:r><w:br/><w:t>下一行</w:t></w:r>"
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run.format("7")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + "</w:p>"
    )
    body = "<w:sdt><w:sdtPr/><w:sdtContent>" + para + tbl(tr(tc("在控件里"))) + "</w:sdtContent></w:sdt>"
    doc = read_docx(docx(body))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["本年新收", "下一行7"]
    assert [texts(g) for g in doc.grids()] == [[["在控件里"]]]


def test_text_box_read_once_after_its_paragraph() -> None:
    box = "<w:txbxContent>" + p("文本框里的标题") + "</w:txbxContent>"
    para = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
        + box
        + "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
        + box
        + "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>"
    )
    doc = read_docx(docx(para + p("后文")))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["正文", "文本框里的标题", "后文"]


def test_main_part_found_through_the_package_relationship() -> None:
    data = docx(p("x") + tbl(tr(tc("1"))), part="word/document2.xml")
    assert [texts(g) for g in read_docx(data).grids()] == [[["1"]]]


def test_strict_ooxml_namespace() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", rels())
        xml = document_xml(tbl(tr(tc("严格"))))
        z.writestr("word/document.xml", xml.replace(W, "http://purl.oclc.org/ooxml/wordprocessingml/main"))
    assert [texts(g) for g in read_docx(buf.getvalue()).grids()] == [[["严格"]]]


def test_a_table_without_rows_is_no_grid_and_a_document_without_tables_has_none() -> None:
    assert grids(docx(p("只有文字") + "<w:tbl><w:tblPr/></w:tbl>")) == []


# -- not a Word file ------------------------------------------------------------------------------------


def _refused(data: bytes, *words: str) -> InputError:
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as info:
            read_docx(data, path="report.docx")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < PEAK, f"peak {peak >> 20} MB"
    message = str(info.value)
    assert message.startswith("report.docx: "), message  # names the file
    for w in words:
        assert w in message, message
    return info.value


def test_truncated_docx() -> None:
    whole = docx(p("x" * 5000) + tbl(tr(tc("1"))))
    for cut in (len(whole) // 3, len(whole) // 2, len(whole) - 30):
        _refused(whole[:cut], "damaged or truncated")


def test_corrupt_member_data() -> None:
    whole = bytearray(docx(p("正文" * 2000)))
    at = whole.find(b"word/document.xml") + 40  # inside the member's deflated data
    whole[at : at + 64] = bytes(64)
    err = _refused(bytes(whole))
    assert "damaged" in str(err) or "well-formed" in str(err)


def test_zip_without_document_part() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    _refused(buf.getvalue(), "no word/document.xml")


def test_ten_thousand_members() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("word/document.xml", document_xml(p("x")))
        for i in range(9_999):
            z.writestr(f"m/{i}.xml", b"")
    _refused(buf.getvalue(), "10,000", "zip members")


def test_a_million_members_refused_before_the_directory_is_read() -> None:
    # an end record announcing 1,000,000 entries: refused from the count, no ZipInfo built
    whole = docx(p("x"))
    end = whole.rfind(b"PK\x05\x06")
    forged = whole[: end + 8] + struct.pack("<HH", 0xFFFF, 0xFFFF) + whole[end + 12 :]
    _refused(forged, "65,535", "zip members")


def _bomb(declared: int, *, chunk_mb: int = 1, times: int = 1024) -> bytes:
    head = document_xml("").split("<w:body>")[0].encode() + b"<w:body>"
    chunk = b"<w:p><w:r><w:t>" + b"a" * (chunk_mb << 20) + b"</w:t></w:r></w:p>"
    data = deflated_repeat(chunk, times, head=head)
    ct = CONTENT_TYPES.encode()
    return raw_zip(
        [("[Content_Types].xml", deflated(ct), len(ct), zlib.crc32(ct)), ("word/document.xml", data, declared, 0)]
    )


def test_zip_bomb_refused_by_its_declared_size() -> None:
    bomb = _bomb(declared=len(document_xml("")) + (1 << 30))
    assert len(bomb) < 2 << 20  # about 1 MB holding 1 GiB
    _refused(bomb, "word/document.xml", "zip bomb")


def test_zip_bomb_refused_by_its_ratio() -> None:
    bomb = _bomb(declared=60 << 20, times=60)  # under the size limit, but 1000 to 1
    _refused(bomb, "compressed", "zip bomb")


def test_zip_bomb_that_lies_about_its_size() -> None:
    # declares 2 MB (a plausible ratio): the reader stops where the archive said the part ends
    bomb = _bomb(declared=2 << 20, times=1024)
    _refused(bomb, "word/document.xml")


def test_billion_laughs_is_never_expanded() -> None:
    dtd = (
        '<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
        + "]>"
    )
    data = docx(_entity_paragraph("lol9"), prolog=dtd)
    _refused(data, "DTD")


def test_external_entity_is_never_resolved() -> None:
    dtd = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    _refused(docx(_entity_paragraph("xxe"), prolog=dtd), "DTD")


def test_dtd_after_a_long_prolog_is_still_refused() -> None:
    prolog = "<!--" + "x" * 100_000 + "-->" + '<!DOCTYPE w:document [<!ENTITY e "boom">]>'
    _refused(docx(_entity_paragraph("e"), prolog=prolog), "DTD")


def test_undeclared_entity_is_malformed_xml() -> None:
    _refused(docx(_entity_paragraph("e")), "not well-formed")


def _entity_paragraph(name: str) -> str:
    return f"<w:p><w:r><w:t>a&{name};b</w:t></w:r></w:p>"


def test_deeply_nested_tables_are_refused_not_recursed() -> None:
    inner = "1"
    for _ in range(400):
        inner = f"<w:tbl><w:tr><w:tc><w:p/>{inner}</w:tc></w:tr></w:tbl>"
    _refused(docx(inner), "well-formed")  # libxml2's depth limit (256): a clear error, no recursion


def test_nested_tables_within_the_depth_limit_are_all_read() -> None:
    inner = tbl(tr(tc("最里")))
    for i in range(30):
        inner = tbl(tr(tc(f"第{i}层", inner=inner)))
    gs = grids(docx(inner))
    assert len(gs) == 31 and texts(gs[-1]) == [["最里"]]


# -- automatic numbering ------------------------------------------------------------------------------

NUMBERING = (
    f'<w:numbering xmlns:w="{W}">'
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2">'
    '<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
    "</w:numbering>"
)
STYLES = (
    f'<w:styles xmlns:w="{W}">'
    '<w:style w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:styleId="MyHeading"><w:basedOn w:val="Heading1"/></w:style>'
    "</w:styles>"
)


def numbered(text: str, num: int | None = None, level: int | None = None, style: str | None = None) -> str:
    pr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        pr += (
            "<w:numPr>"
            + (f'<w:ilvl w:val="{level}"/>' if level is not None else "")
            + f'<w:numId w:val="{num}"/></w:numPr>'
        )
    return f"<w:p><w:pPr>{pr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_automatic_numbering_is_drawn_as_word_draws_it() -> None:
    body = (
        numbered("总体情况", 1, 0)
        + numbered("主动公开情况", 1, 1)
        + numbered("依申请公开情况", 1, 1)
        + numbered("主动公开政府信息情况", style="Heading1")  # the number comes with the style
        + numbered("收到和处理政府信息公开申请情况", style="MyHeading")  # through basedOn
        + numbered("说明", 1, 1)  # the level below restarts after its parent advanced
        + numbered("要点", 4, 0)  # a bullet: not text
        + tbl(tr(tc(["x"]), tc("0")))
        + '<w:p><w:pPr><w:pPrChange w:id="9"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:pPrChange>'
        "</w:pPr><w:r><w:t>不再编号</w:t></w:r></w:p>"
    )
    data = docx(body, extra=[("word/numbering.xml", NUMBERING.encode()), ("word/styles.xml", STYLES.encode())])
    assert [b.text for b in read_docx(data).blocks if isinstance(b, Paragraph)] == [
        "一、总体情况",
        "（一）主动公开情况",
        "（二）依申请公开情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "（一）说明",
        "要点",
        "不再编号",  # numbering that a tracked change took away
    ]


def test_numbered_labels_in_cells_and_a_restarted_list() -> None:
    cell = "<w:tc><w:tcPr/>{}</w:tc>"
    rows = [
        tr(cell.format(numbered("本机关不掌握相关政府信息", 2, 0)), tc("3")),
        tr(cell.format(numbered("没有现成信息需要另行制作", 2, 0)), tc("1")),
        tr(cell.format(numbered("重复申请", 3, 0)), tc("0")),  # a new instance restarting at 1
    ]
    data = docx(tbl(*rows), extra=[("word/numbering.xml", NUMBERING.encode())])
    (g,) = grids(data)
    assert [r[0] for r in texts(g)] == ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "1.重复申请"]


def test_numbering_part_missing_leaves_text_as_typed() -> None:
    assert [b.text for b in read_docx(docx(numbered("总体情况", 1, 0))).blocks] == ["总体情况"]


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (23, "chineseCountingThousand", "二十三"),
        (105, "chineseCounting", "一百零五"),
        (110, "chineseCounting", "一百一十"),
        (3, "chineseLegalSimplified", "叁"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "decimalFullWidth", "\uff14"),
        (28, "lowerLetter", "bb"),
        (14, "upperRoman", "XIV"),
        (7, "decimalZero", "07"),
        (5, "somethingNew", "5"),
    ],
)
def test_number_formats(n: int, fmt: str, text: str) -> None:
    assert format_number(n, fmt) == text
