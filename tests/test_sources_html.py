"""The HTML reader on both back-ends: decoding, merged cells, nesting, prose and chrome, origins,
and hostile pages. Every structural test runs on lxml and on html.parser and expects the same."""

from __future__ import annotations

import codecs
import importlib.util
import tracemalloc

import pytest

from govreport.errors import InputError
from govreport.sources.document import Document, Grid, Paragraph
from govreport.sources.html import MAX_HTML_BYTES, decode_html, read_html, read_html_tables

BACKENDS = [
    "html.parser",
    pytest.param(
        "lxml", marks=pytest.mark.skipif(importlib.util.find_spec("lxml") is None, reason="lxml not installed")
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def read(html: str | bytes, backend: str) -> Document:
    return read_html(html, backend=backend)


def texts(grid: Grid) -> list[list[str]]:
    return [[c.text for c in row] for row in grid.rows]


def anchors(grid: Grid) -> list[list[bool]]:
    return [[c.anchor for c in row] for row in grid.rows]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def only_grid(doc: Document) -> Grid:
    (g,) = doc.grids()
    return g


# -- decoding -------------------------------------------------------------------------------------------

RARE = "朱镕基 王珺 李堃 张喆"  # in GBK, not in GB2312: a gb2312 label must not cut the page at 镕


@pytest.mark.parametrize("label", ["gb2312", "GB2312", "gbk", "x-gbk", "cp936", "gb18030", "chinese"])
def test_gbk_page_labelled_any_gb_name_reads_whole(label: str, backend: str) -> None:
    page = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={label}"></head>'
        f"<body><p>{RARE}</p><table><tr><td>{RARE}</td><td>7</td></tr></table></body></html>"
    )
    doc = read(page.encode("gb18030"), backend)
    assert doc.encoding == "gb18030"
    assert RARE in paragraphs(doc)
    assert texts(only_grid(doc)) == [[RARE, "7"]]


def test_meta_charset_and_xml_declaration() -> None:
    body = f"<html><body><p>{RARE}</p></body></html>"
    assert decode_html(f'<meta charset="gbk">{body}'.encode("gbk")) == (f'<meta charset="gbk">{body}', "gb18030")
    xml = f'<?xml version="1.0" encoding="GB2312"?>{body}'
    assert decode_html(xml.encode("gb18030"))[1] == "gb18030"


def test_undeclared_gbk_page() -> None:
    text, encoding = decode_html(f"<html><body>{RARE}</body></html>".encode("gbk"))
    assert RARE in text and encoding == "gb18030"


def test_page_labelled_gb2312_but_saved_as_utf8() -> None:
    page = f'<meta charset="gb2312"><p>{RARE}</p>'
    assert decode_html(page.encode("utf-8")) == (page, "utf-8")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bom_decides(bom: bytes, codec: str, backend: str) -> None:
    page = f'<meta charset="gb2312"><table><tr><td>{RARE}</td></tr></table>'
    doc = read(bom + page.encode(codec), backend)
    assert texts(only_grid(doc)) == [[RARE]]


def test_undecodable_bytes_are_replaced_and_said() -> None:
    data = '<meta charset="utf-8"><p>规章 12</p>'.encode() + b"\xff\xfe\xfa" + "<p>行政许可 3</p>".encode()
    text, encoding = decode_html(data)
    assert "规章 12" in text and "行政许可 3" in text
    assert "replaced" in encoding


def test_str_input_is_not_decoded_again(backend: str) -> None:
    doc = read(f'<meta charset="gb2312"><table><tr><td>{RARE}</td></tr></table>', backend)
    assert doc.encoding is None and texts(only_grid(doc)) == [[RARE]]


# -- merged cells ---------------------------------------------------------------------------------------


def test_rowspan_and_colspan_expand_with_copies(backend: str) -> None:
    page = """<table>
<tr><td rowspan="2" colspan="2">（本列数据的勾稽关系）</td><td colspan="2">申请人情况</td></tr>
<tr><td>自然人</td><td>总计</td></tr>
<tr><td rowspan="3">三、本年度办理结果</td><td>（一）予以公开</td><td>5</td><td>5</td></tr>
<tr><td>（二）部分公开</td><td>1</td><td>1</td></tr>
<tr><td>（三）不予公开</td><td>0</td><td></td></tr>
</table>"""
    g = only_grid(read(page, backend))
    assert texts(g) == [
        ["（本列数据的勾稽关系）", "（本列数据的勾稽关系）", "申请人情况", "申请人情况"],
        ["（本列数据的勾稽关系）", "（本列数据的勾稽关系）", "自然人", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "5", "5"],
        ["三、本年度办理结果", "（二）部分公开", "1", "1"],
        ["三、本年度办理结果", "（三）不予公开", "0", ""],
    ]
    assert anchors(g) == [
        [True, False, True, False],
        [False, False, True, True],
        [True, True, True, True],
        [False, True, True, True],
        [False, True, True, True],
    ]
    label = g.rows[4][0]
    assert (label.origin.table, label.origin.row, label.origin.column, label.origin.line) == (1, 3, 1, 4)


@pytest.mark.parametrize(
    ("value", "width"),
    [("0", 1), ("abc", 1), ("-2", 1), ("", 1), ("2px", 2), (" +3", 3), ("3.7", 3), ("99999", 1000)],
)
def test_colspan_values_as_browsers_read_them(value: str, width: int, backend: str) -> None:
    g = only_grid(read(f'<table><tr><td colspan="{value}">x</td></tr></table>', backend))
    assert g.width == width and all(c.text == "x" for c in g.rows[0])


def test_rowspan_zero_reaches_the_end_of_its_row_group(backend: str) -> None:
    page = (
        "<table><tbody><tr><td rowspan='0'>组</td><td>1</td></tr><tr><td>2</td></tr><tr><td>3</td></tr></tbody>"
        "<tbody><tr><td>下组</td><td>4</td></tr></tbody></table>"
    )
    assert texts(only_grid(read(page, backend))) == [["组", "1"], ["组", "2"], ["组", "3"], ["下组", "4"]]


def test_rowspan_past_its_row_group_is_cut_there(backend: str) -> None:
    page = (
        "<table><tbody><tr><td rowspan='9'>a</td><td>1</td></tr></tbody>"
        "<tbody><tr><td>b</td><td>2</td></tr></tbody></table>"
    )
    assert texts(only_grid(read(page, backend))) == [["a", "1"], ["b", "2"]]


def test_th_td_thead_tfoot_drawn_in_order(backend: str) -> None:
    page = (
        "<table><caption>表一</caption><tfoot><tr><td>合计</td><td>9</td></tr></tfoot>"
        "<thead><tr><th>项目</th><th>数量</th></tr></thead><tbody><tr><td>规章</td><td>9</td></tr></tbody></table>"
    )
    doc = read(page, backend)
    assert texts(only_grid(doc)) == [["项目", "数量"], ["规章", "9"], ["合计", "9"]]  # tfoot is drawn last
    assert paragraphs(doc) == ["表一"]


def test_nested_table_is_its_own_grid_after_its_parent(backend: str) -> None:
    page = (
        "<table><tr><td>外<table><tr><td>内1</td><td>内2</td></tr></table>尾</td><td>b</td></tr></table>"
        "<table><tr><td>后</td></tr></table>"
    )
    g1, g2, g3 = read(page, backend).grids()
    assert texts(g1) == [["外\n尾", "b"]]
    assert texts(g2) == [["内1", "内2"]]
    assert texts(g3) == [["后"]]
    assert [g.origin.table for g in (g1, g2, g3)] == [1, 2, 3]


def test_breaks_blocks_nbsp_and_blanks_in_cells(backend: str) -> None:
    page = (
        "<table><tr><td>1.申请人无正当理由逾期不补正、行政机关不再处理其<br>政府信息公开申请</td>"
        "<td><p>上行</p><div>下行</div></td><td>&nbsp;</td><td></td><td> \u3000 </td>"
        "<td><span style='display:none'>9</span>3</td></tr></table>"
    )
    (row,) = texts(only_grid(read(page, backend)))
    assert row == ["1.申请人无正当理由逾期不补正、行政机关不再处理其\n政府信息公开申请", "上行\n下行", "", "", "", "3"]


def test_short_rows_are_padded_with_blanks(backend: str) -> None:
    g = only_grid(read("<table><tr><td>a</td><td>b</td><td>c</td></tr><tr><td>d</td></tr></table>", backend))
    assert texts(g) == [["a", "b", "c"], ["d", "", ""]]
    assert anchors(g) == [[True] * 3, [True] * 3]


@pytest.mark.parametrize(
    "spacer",
    [
        "<![if !supportMisalignedColumns]><tr height=0><td width=52 style='border:none'></td>"
        "<td width=80 style='border:none'></td></tr><![endif]>",  # as Word's "Save as Web Page" writes it
        "<tr height='0px'><td></td><td></td></tr>",
        "<tr style='mso-yfti-irow:3;height:0pt'><td>&nbsp;</td><td></td></tr>",
    ],
)
def test_a_row_drawn_zero_high_with_nothing_in_it_is_no_row(spacer: str, backend: str) -> None:
    g = only_grid(read(f"<table><tr><td>a</td><td>1</td></tr><tr><td></td><td></td></tr>{spacer}</table>", backend))
    assert texts(g) == [["a", "1"], ["", ""]]  # a blank row of any height is kept: it may be a blank data row


def test_a_zero_high_row_that_holds_text_is_drawn(backend: str) -> None:
    # height is a minimum: a browser grows the row to its content
    page = "<table><tr><td>a</td><td>1</td></tr><tr height=0><td>b</td><td></td></tr></table>"
    assert texts(only_grid(read(page, backend))) == [["a", "1"], ["b", ""]]


def test_unclosed_cells_and_rows(backend: str) -> None:
    g = only_grid(read("<table><tr><td>a<td>b<tr><td>c<td>d</table><p>后", backend))
    assert texts(g) == [["a", "b"], ["c", "d"]]


def test_split_tables_and_repeated_headers_stay_consecutive_grids(backend: str) -> None:
    head = "<tr><td>项目</td><td>数量</td></tr>"
    page = f"<table>{head}<tr><td>规章</td><td>1</td></tr></table><table>{head}<tr><td>文件</td><td>2</td></tr></table>"
    assert [texts(g) for g in read(page, backend).grids()] == [
        [["项目", "数量"], ["规章", "1"]],
        [["项目", "数量"], ["文件", "2"]],
    ]


def test_grid_budget_refuses_a_table_exploding_into_positions(backend: str) -> None:
    rows = "<tr><td colspan='1000'>x</td></tr>" * 1100
    with pytest.raises(InputError, match="grid positions"):
        read(f"<table>{rows}</table>", backend)


# -- prose, chrome, the article body ----------------------------------------------------------------------

ARTICLE = (
    "<p><strong>一、总体情况</strong></p><p>"
    + "本机关坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。" * 6
    + "</p><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>3</td></tr></table>"
    "<p>三、收到和处理政府信息公开申请情况<br>（一）说明一<br>（二）说明二</p>"
)
CHROME = (
    "<div class='nav'><a>首页</a><a>政务公开</a></div><div class='breadcrumb'>当前位置：首页 &gt; 年报</div>"
    "<script>var n = 12345;</script><style>td{color:red}</style>"
    "<div hidden><table><tr><td>隐藏</td><td>999</td></tr></table></div>"
)
FOOTER = "<div class='bdsharebuttonbox'>分享到</div><footer>主办：某区人民政府办公室 网站标识码 4716809725</footer>"


@pytest.mark.parametrize(
    "wrap",
    [
        "<div id='zoom'>{}</div>",
        "<div class='TRS_Editor'><div class='TRS_Editor'>{}</div></div>",
        "<article>{}</article>",
        "<div class='xxgk-content'>{}</div>",
        "<div>{}</div>",
        "<table width='980'><tr><td class='left'><a>栏目一</a></td><td>{}</td></tr></table>",
    ],
    ids=["zoom", "trs", "article", "xxgk", "plain", "layout-table"],
)
def test_article_body_without_chrome(wrap: str, backend: str) -> None:
    page = (
        "<html><head><title>某区人民政府办公室2022年政府信息公开工作年度报告_某区人民政府</title></head><body>"
        + CHROME
        + "<h1>某区人民政府办公室2022年政府信息公开工作年度报告</h1>"
        + wrap.format(ARTICLE)
        + FOOTER
        + "</body></html>"
    )
    doc = read(page, backend)
    got = paragraphs(doc)
    assert got[0] == "某区人民政府办公室2022年政府信息公开工作年度报告_某区人民政府"  # the page title first
    assert "某区人民政府办公室2022年政府信息公开工作年度报告" in got
    assert "二、主动公开政府信息情况" in got
    assert got[-3:] == ["三、收到和处理政府信息公开申请情况", "（一）说明一", "（二）说明二"]
    assert not any(w in "".join(got) for w in ("首页", "当前位置", "12345", "color", "分享到", "主办", "隐藏"))
    assert [texts(g) for g in doc.grids()] == [[["规章", "3"]]]


def test_title_not_repeated_when_the_body_says_it(backend: str) -> None:
    title = "某区2022年政府信息公开工作年度报告"
    doc = read(f"<title>{title}</title><body><h1>{title}</h1><p>正文</p></body>", backend)
    assert paragraphs(doc) == [title, "正文"]


def test_table_outside_the_article_container_widens_it(backend: str) -> None:
    prose = "<p>" + "年度报告正文内容。" * 40 + "</p>"
    page = (
        f"<body><div id='zoom'>{prose}</div><div class='tables'><p>二、主动公开政府信息情况</p>"
        "<table><tr><td>规章</td><td>3</td></tr></table></div><p>六、其他需要报告的事项</p></body>"
    )
    doc = read(page, backend)
    assert [texts(g) for g in doc.grids()] == [[["规章", "3"]]]
    assert "二、主动公开政府信息情况" in paragraphs(doc)


def test_report_in_a_hidden_container_is_read_when_nothing_else_is(backend: str) -> None:
    page = "<body><div style='display: none'><table><tr><td>规章</td><td>3</td></tr></table></div></body>"
    assert [texts(g) for g in read(page, backend).grids()] == [[["规章", "3"]]]


def test_page_without_a_table_has_no_grid(backend: str) -> None:
    doc = read("<html><body><p>本页面只有文字，没有表格。</p></body></html>", backend)
    assert list(doc.grids()) == [] and paragraphs(doc) == ["本页面只有文字，没有表格。"]


def test_one_paragraph_per_block_and_br_line(backend: str) -> None:
    page = "<body><div>甲<p>乙</p>丙<br/>丁<ul><li>戊</li><li>己</li></ul>   庚\n辛</div></body>"
    assert paragraphs(read(page, backend)) == ["甲", "乙", "丙", "丁", "戊", "己", "庚 辛"]


def test_source_lines_of_cells_and_paragraphs(backend: str) -> None:
    page = "\n".join(
        ["<html>", "<body>", "<p>二、主动公开</p>", "<table>", "<tr>", "<td>规章</td>", "<td>3</td>", "</tr>"]
    )
    doc = read(page, backend)
    (para,) = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert para.origin.line == 3
    g = only_grid(doc)
    assert g.origin.line == 4
    assert [c.origin.line for c in g.rows[0]] == [6, 7]


def test_fragment_lines_are_lines_of_the_enclosing_file() -> None:
    fragment = "<table>\n<tr><td>a</td>\n<td rowspan='2'>b</td></tr>\n<tr><td>c</td></tr>\n</table>"
    (g,) = read_html_tables(fragment, first_line=50, first_table=3)
    assert texts(g) == [["a", "b"], ["c", "b"]]
    assert [[c.origin.line for c in row] for row in g.rows] == [[51, 52], [53, 52]]
    assert g.origin.table == 3


# -- hostile pages --------------------------------------------------------------------------------------


def test_ten_megabytes_nested_a_hundred_thousand_deep(backend: str) -> None:
    opening = "<div class='" + "x" * 90 + "'>"
    page = "<html><body>" + opening * 100_000 + "深处" + "</div>" * 100_000 + "</body></html>"
    assert len(page) > 10_000_000
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="deeper than 256"):
            read_html(page.encode(), backend=backend, path="deep.html")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 160 << 20  # the 10 MB page, its text and UTF-8 copy; never a tree per level


def test_a_page_over_the_size_limit_is_refused_unparsed() -> None:
    with pytest.raises(InputError, match="larger than 50 MB") as info:
        read_html(b" " * (MAX_HTML_BYTES + 1), path="big.html")
    assert str(info.value).startswith("big.html: ")


def test_binary_data_is_refused(backend: str) -> None:
    with pytest.raises(InputError):
        read(bytes(range(256)) * 64, backend)


def test_both_backends_agree_on_a_messy_page() -> None:
    if importlib.util.find_spec("lxml") is None:
        pytest.skip("lxml not installed")
    page = (
        "<html><head><title>t</title><body><div class=TRS_Editor><p>一、总体情况<p>"
        + "正文" * 120
        + "<table border=1><tr><th colspan=2>项目<th>数<tr><td rowspan=2>甲<td>乙<td>1<tr><td>丙<td>2</table>"
        "<p>二、<b>主动</b>公开<br>下一行</div><div class=footer>页脚</div>"
    )
    assert read(page, "lxml").blocks == read(page, "html.parser").blocks
