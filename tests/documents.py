"""Test utility: a Document rendered as tab-separated text, to check the document readers end to end
before (and independently of) the pipeline's own integration of documents.

Also: a Document written as a published web page (:func:`page_html`, with the site chrome around
articles that the readers must leave out) and as a Word file (:func:`word_file`, merged cells as
``gridSpan``/``vMerge``), for the properties that run generated reports through the real readers.

For the tab text, each Paragraph is a line; each grid row is a line of its ANCHOR cells' texts joined by TAB, positions
a merged cell covers left as empty fields (as a browser's copy of a table writes them), a cell's line
breaks joined without a space (they only wrap Chinese labels).
"""

from __future__ import annotations

import html
import re
from typing import Any

import govreport
from govreport import Report
from govreport.export.grids import grid_html
from govreport.model import CellStatus
from govreport.sources.document import Document, Grid, GridCell, Paragraph

from .docx_build import docx, p, tbl, tc, tr
from .truthdata import contract_mismatches


def document_text(doc: Document) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text.replace("\t", " "))
        elif isinstance(block, Grid):
            lines.append("")
            for row in block.rows:
                lines.append("\t".join(c.text.replace("\n", "").replace("\t", " ") if c.anchor else "" for c in row))
            lines.append("")
    return "\n".join(lines) + "\n"


def document_report(doc: Document) -> Report:
    return govreport.loads(document_text(doc), parser="tab")


def document_mismatches(doc: Document, truth: dict[str, Any]) -> list[str]:
    """Every cell (and organ/year/template) where the document, read through the tab parser, differs."""
    return contract_mismatches(govreport.to_dict(document_report(doc)), truth)


def grid_texts(doc: Document) -> list[list[list[str]]]:
    """Every grid as rows of cell texts (covered positions repeat their anchor's text)."""
    return [[[c.text for c in row] for row in g.rows] for g in doc.grids()]


def cell_mismatches(report: Report, expected: Report) -> list[tuple[str, str, str]]:
    """The cells of ``expected`` that ``report`` reads otherwise: a number to another value, a blank or
    a placeholder to anything but itself (never 0)."""
    out = []
    for t in ("table2", "table3", "table4"):
        got, want = getattr(report, t), getattr(expected, t)
        for r, c, cell in want.cells():
            mine = got[r][c]
            if cell.status is CellStatus.NUMBER:
                if mine.value != cell.value:
                    out.append((t, r, c))
            elif mine.value is not None or mine.status is not cell.status:
                out.append((t, r, c))
    return out


# -- a Document as a web page ---------------------------------------------------------------------------

CHROME_BEFORE = [
    "<div class='top-nav'><ul><li><a href='#'>首页</a></li><li><a href='#'>政务公开</a></li></ul></div>",
    "<nav><a>机构概况</a> <a>政策文件</a></nav>",
    "<div class='breadcrumb'>当前位置：<a>首页</a> &gt; <a>政府信息公开年报</a></div>",
    "<div class='position'>您所在的位置：首页 &gt; 年报</div>",
    "<script>var visits = 98765; document.write('<table><tr><td>9</td></tr></table>');</script>",
    "<style>table td { padding: 4px }</style>",
    "<div style='display:none'><table><tr><td>统计</td><td>123</td></tr></table></div>",
    "<noscript><p>请开启脚本</p></noscript>",
    "<form class='search'><input name='q'><button>搜索</button></form>",
]
CHROME_AFTER = [
    "<div class='bdsharebuttonbox'><a>分享到微信</a><a>微博</a></div>",
    "<div id='footer'><p>主办单位：某某人民政府办公室 网站标识码：4716809725 ICP备12345678号</p></div>",
    "<footer>版权所有 © 2024</footer>",
    "<div class='pagination'><a>上一篇</a><a>下一篇</a></div>",
    "<aside><h3>相关链接</h3><table><tr><td><a>国务院</a></td><td><a>省政府</a></td></tr></table></aside>",
]
WRAPPERS = [
    "{}",
    "<div id='zoom'>{}</div>",
    "<div class='TRS_Editor'><div class='Custom_UnionStyle'>{}</div></div>",
    "<div class='xxgk-content'>{}</div>",
    "<main><article>{}</article></main>",
    "<form id='form1'><div class='content'>{}</div></form>",  # ASP.NET pages wrap everything in a form
    "<table width='1000' align='center'><tr><td width='200'><a>栏目</a></td><td>{}</td></tr></table>",
    "<table><tr><td>{}</td></tr></table>",
]


CELL_MARKUP = {
    "plain": "{}",
    # Word's "save as web page" and the CMS editors that paste from it
    "msonormal": "<p class=MsoNormal align=center style='text-align:center'><span style='font-size:10.5pt;"
    "font-family:仿宋_GB2312'>{}</span></p>",
    "font": "<font size=2 face='宋体'>{}</font>",
    "div": "<div style='text-align:center'><b>{}</b></div>",
    # Word's own export: every run ends in an empty <o:p>
    "word": "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US>{}<o:p></o:p></span></p>",
}
"""How a page writes the text inside a cell (``{}`` is the text)."""


def page_html(
    doc: Document,
    *,
    before: list[str] | tuple[str, ...] = (),
    wrapper: str = "{}",
    after: list[str] | tuple[str, ...] = (),
    label: str | None = "utf-8",
    cell_markup: str = "plain",
    blank: str = "&nbsp;",
    header_cells: bool = False,
    word_export: bool = False,
    headings: str = "p",
) -> str:
    """``doc`` as a site's page: its first paragraph the ``<title>`` too, the blocks (``<p>`` and the
    grids as ``rowspan``/``colspan`` tables) inside ``wrapper``, chrome ``before`` and ``after`` it.

    ``cell_markup`` names how a cell's text is marked up (:data:`CELL_MARKUP`), ``blank`` what an
    empty cell holds (``&nbsp;`` or nothing), ``header_cells`` writes each table's first row as
    ``<th>`` cells, and its leading rows up to the first that no merged cell reaches into in a ``<thead>``.
    ``word_export`` writes the page as Word's *Save as Web Page* does: the section headings' numbers
    as Word's list numbers (inside ``<![if !supportLists]>``), paragraphs as ``MsoNormal`` with an
    empty ``<o:p>``, an empty paragraph between blocks, each table closed by Word's spacer row
    (inside ``<![if !supportMisalignedColumns]>``), Word's XML island and style comment in the head.
    ``headings`` writes the title and the section headings as ``<p>`` (``"p"``), as ``<h1>``/``<h2>``
    elements (``"h"``, a semantic CMS) or as bold paragraphs (``"strong"``).
    """
    parts = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if word_export:
                parts.append(_word_paragraph(block.text))
            else:
                parts.append(_heading(block.text, headings, first=not parts))
        elif isinstance(block, Grid):
            table = _table_html(block, CELL_MARKUP[cell_markup], blank, header_cells)
            if word_export:
                spacer = "".join("<td width=80 style='border:none'></td>" for _ in block.rows[0])
                table = table.replace("<table>", "<table class=MsoNormalTable border=1 cellspacing=0>", 1)
                table = table[: -len("</table>")] + (
                    f"<![if !supportMisalignedColumns]><tr height=0>{spacer}</tr><![endif]></table>"
                )
            parts.append(table)
        if word_export:
            parts.append(_WORD_EMPTY)
    title = next((b.text for b in doc.blocks if isinstance(b, Paragraph)), "")
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">' if label else ""
    if word_export:
        meta += _WORD_HEAD
    return (
        f"<html><head>{meta}<title>{html.escape(title)}</title></head><body>{''.join(before)}"
        f"{wrapper.format(chr(10).join(parts))}{''.join(after)}</body></html>"
    )


def _heading(text: str, headings: str, *, first: bool) -> str:
    """A paragraph of the page; the title (the first) and the section headings as ``headings`` says."""
    escaped = html.escape(text)
    if headings == "p" or not (first or _HEADING.match(text)):
        return f"<p>{escaped}</p>"
    if headings == "h":
        return f"<h1>{escaped}</h1>" if first else f"<h2>{escaped}</h2>"
    return f"<p style='text-align:center'><strong>{escaped}</strong></p>" if first else f"<p><b>{escaped}</b></p>"


_WORD_HEAD = (
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View><w:Zoom>100</w:Zoom></w:WordDocument></xml>"
    "<![endif]--><style><!-- p.MsoNormal {margin:0cm; font-size:10.5pt;} --></style>"
)
_WORD_EMPTY = "<p class=MsoNormal><span lang=EN-US><![if !supportEmptyParas]>&nbsp;<![endif]><o:p></o:p></span></p>"


def _word_paragraph(text: str) -> str:
    """A paragraph as Word exports it; a section heading's number as Word's list number."""
    m = _HEADING.match(text)
    if m is None:
        return f"<p class=MsoNormal style='text-indent:32.0pt'><span>{html.escape(text)}<o:p></o:p></span></p>"
    number, heading = m.groups()
    return (
        "<p class=MsoListParagraph style='margin-left:32.0pt;text-indent:-32.0pt;mso-list:l0 level1 lfo1'>"
        "<![if !supportLists]><span lang=EN-US style='font-family:黑体'><span style='mso-list:Ignore'>"
        f"{number}、<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span></span>"
        f"<![endif]><span style='font-family:黑体'>{html.escape(heading)}<o:p></o:p></span></p>"
    )


_CELL = re.compile(r"^(\s*)<td([^>]*)>(.*)</td>$")


def _table_html(grid: Grid, markup: str, blank: str, header_cells: bool) -> str:
    """:func:`grid_html`'s table with its cells marked up as a page would."""
    out = []
    row = 0
    for line in grid_html(grid).split("\n"):
        if line == "<tr>":
            row += 1
        m = _CELL.match(line)
        if m is None:
            out.append(line)
            continue
        indent, spans, text = m.groups()
        text = blank if text == "&nbsp;" else markup.format(text)
        tag = "th" if header_cells and row == 1 else "td"
        out.append(f"{indent}<{tag}{spans} style='border:1px solid #000' width='12%'>{text}</{tag}>")
    if header_cells:  # the header rows into a <thead> of their own
        ends = [i for i, line in enumerate(out) if line == "</tr>"]
        head_end = ends[_header_rows(grid) - 1]
        out = ["<table>", "<thead>", *out[2 : head_end + 1], "</thead>", "<tbody>", *out[head_end + 1 :]]
    return "\n".join(out)


def _header_rows(grid: Grid) -> int:
    """The fewest leading rows (at least one) that no merged cell reaches out of: a row span ends at
    its row group's end (HTML's table model, as browsers draw it), so a ``<thead>`` must hold them all."""
    rows = grid.rows
    for k in range(1, len(rows)):
        starts = {c.origin for row in rows[:k] for c in row if c.anchor}
        if not any(not c.anchor and c.origin in starts for c in rows[k]):
            return k
    return len(rows)


# -- a Document as a Word file --------------------------------------------------------------------------


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADING = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
WORD_NUMBERING = (
    f'<w:numbering xmlns:w="{_W}"><w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)
WORD_STYLES = (
    f'<w:styles xmlns:w="{_W}"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="ReportHeading"><w:basedOn w:val="Heading1"/></w:style></w:styles>'
)


def word_file(doc: Document, *, numbered: str | None = None, run_length: int | None = None) -> bytes:
    """``doc`` as a .docx: paragraphs as ``w:p``, each grid a ``w:tbl`` whose merged cells are Word's
    (``gridSpan`` across, ``vMerge`` restart/continue down), a cell's lines its paragraphs.

    ``numbered``: the section headings (一、… 六、…) written without their number, which Word draws
    from the numbering part — ``"numPr"`` on the paragraph, ``"style"`` through a heading style based
    on one that carries it. ``run_length``: every paragraph's text cut into runs of that many
    characters (Word splits runs wherever formatting or editing history changes).
    """
    body = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            heading = _HEADING.match(block.text) if numbered else None
            text = heading[2] if heading else block.text
            runs = [text[i : i + run_length] for i in range(0, len(text), run_length)] if run_length else [text]
            if heading is None:
                body.append(p(*runs))
            else:
                pr = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
                if numbered == "style":
                    pr = '<w:pStyle w:val="ReportHeading"/>'
                body.append(p(*runs).replace("<w:p>", f"<w:p><w:pPr>{pr}</w:pPr>", 1))
        elif isinstance(block, Grid):
            body.append(_word_table(block))
    extra = [
        ("word/numbering.xml", WORD_NUMBERING.encode()),
        ("word/styles.xml", WORD_STYLES.encode()),
        ("word/_rels/document.xml.rels", _WORD_PART_RELS.encode()),  # how Word (and LibreOffice) finds them
    ]
    return docx("".join(body), extra=extra if numbered else ())


_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORD_PART_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE_RELS}/numbering" Target="numbering.xml"/>'
    f'<Relationship Id="rId2" Type="{_OFFICE_RELS}/styles" Target="styles.xml"/></Relationships>'
)


def _word_table(grid: Grid) -> str:
    rows = grid.rows
    out = []
    for r, row in enumerate(rows):
        cells = []
        c = 0
        while c < len(row):
            cell = row[c]
            anchor = cell if cell.anchor else _anchor_above(rows, r, c)
            cols = 1
            while c + cols < len(row) and _same(row[c + cols], anchor):
                cols += 1
            below = r + 1 < len(rows) and _same(rows[r + 1][c], anchor)
            if cell.anchor:
                cells.append(tc(cell.text.split("\n"), span=cols, vmerge="restart" if below else None))
            else:
                cells.append(tc("", span=cols, vmerge="continue"))
            c += cols
        out.append(tr(*cells))
    # what Word itself writes and a renderer (LibreOffice printing it to PDF) needs: the grid's column
    # widths, a fixed layout and the borders (the reader itself needs none of it)
    width = len(rows[0]) if rows else 1
    grid_cols = "".join(f'<w:gridCol w:w="{9000 // width}"/>' for _ in range(width))
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table_pr = (
        f'<w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
    )
    return tbl(*out).replace("<w:tblPr/>", f"{table_pr}<w:tblGrid>{grid_cols}</w:tblGrid>", 1)


def _anchor_above(rows: tuple[tuple[GridCell, ...], ...], r: int, c: int) -> GridCell:
    """The anchor of a covered position at the left edge of its merged cell: the cell starts above."""
    for y in range(r - 1, -1, -1):
        if rows[y][c].anchor:
            return rows[y][c]
    raise AssertionError(f"a covered position at row {r + 1}, column {c + 1} with no anchor above it")


def _same(cell: GridCell, anchor: GridCell) -> bool:
    return not cell.anchor and cell.origin == anchor.origin


# -- saved web pages (MHTML) --------------------------------------------------------------------------

MHTML_WRITERS = ("blink", "word", "eml")
"""Who saved the page: Chrome/Edge (*Webpage, Single File*), Word or IE (*Single File Web Page*), a
mail client (the page as the HTML alternative of a message, inside a multipart/mixed)."""

_IMAGE = bytes(range(256)) * 8  # any binary part: its base64 lines must not be taken for the page


def mhtml_file(
    page: bytes,
    *,
    writer: str = "blink",
    transfer: str = "quoted-printable",
    charset: str | None = None,
    newline: bytes = b"\r\n",
    parts_before: int = 0,
    parts_after: int = 1,
    frame_before: bool = False,
) -> bytes:
    """``page`` saved as one MIME file the way ``writer`` (:data:`MHTML_WRITERS`) lays it out.

    ``transfer`` is the page part's transfer encoding (``quoted-printable``, ``base64`` or ``8bit``),
    ``charset`` the ``charset`` its Content-Type names (none when ``None``), ``newline`` the archive's
    line ends; ``parts_before`` and ``parts_after`` put that many image and style-sheet parts around
    the page (Blink names the page by ``Snapshot-Content-Location``, Word's and mail's by order only,
    so for them a part before the page is another page-less resource, never HTML); ``frame_before``
    (Blink only) puts a frame's page, with a table of numbers of its own, before the page.
    """
    import base64
    import quopri

    url = "http://www.example.gov.cn/art/2022/3/1/art_1234_5678.html"
    if transfer == "quoted-printable":
        body = quopri.encodestring(page)
    elif transfer == "base64":
        body = base64.encodebytes(page)
    else:
        body = page
    kind = "text/html" + (f'; charset="{charset}"' if charset else "")
    if writer == "blink":
        boundary = "----MultipartBoundary--Xq3VtTZ7yWkGpjEJbNdhm0zaxD1G3rzWWc5bJIvE----"
        head = [
            "From: <Saved by Blink>",
            f"Snapshot-Content-Location: {url}",
            "Subject: =?utf-8?Q?=E6=94=BF=E5=BA=9C=E4=BF=A1=E6=81=AF=E5=85=AC=E5=BC=80?=",
            "Date: Tue, 1 Mar 2022 09:30:00 +0800",
            "MIME-Version: 1.0",
            "Content-Type: multipart/related;",
            '\ttype="text/html";',
            f'\tboundary="{boundary}"',
            "",
            "",
        ]
        page_headers = [f"Content-Type: {kind}", "Content-ID: <frame-2F1A@mhtml.blink>"]
        page_headers += [f"Content-Transfer-Encoding: {transfer}", f"Content-Location: {url}"]
    elif writer == "word":
        boundary = "----=_NextPart_01D82D0A.6C4E3B20"
        head = [
            "MIME-Version: 1.0",
            f'Content-Type: multipart/related; boundary="{boundary}"',
            "",
            "此文档为“单个文件网页”，也称为“Web 档案”文件。如果您看到此消息，",
            "但是您的浏览器或编辑器不支持“Web 档案”文件。",
            "",
        ]
        page_headers = ["Content-Location: file:///C:/2D0A6C4E/report.htm", f"Content-Transfer-Encoding: {transfer}"]
        page_headers.append(f"Content-Type: {kind}")
    else:
        boundary = "=_mixed 0012ABCD"
        inner = "=_alternative 0012ABCD"
        head = [
            "Received: from mail.example.gov.cn (unknown [10.0.0.1])",
            "\tby mx.example.cn; Tue, 1 Mar 2022 09:30:00 +0800",
            "From: office@example.gov.cn",
            "To: data@example.org",
            "Subject: =?gb2312?B?MjAyMcTq?=",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/mixed; boundary="{boundary}"',
            "",
            "This is a multi-part message in MIME format.",
            "",
        ]
        page_headers = [f"Content-Type: {kind}", f"Content-Transfer-Encoding: {transfer}"]
    resources = [
        (["Content-Type: image/png", "Content-Transfer-Encoding: base64", "Content-Location: cid:img-1@mhtml"], _IMAGE),
        (["Content-Type: text/css", "Content-Transfer-Encoding: 8bit", "Content-Location: cid:css-1@mhtml"], b"p{}"),
    ]

    def part(headers: list[str], payload: bytes) -> list[bytes]:
        return [*(h.encode("utf-8") for h in headers), b"", payload.replace(b"\r\n", b"\n").replace(b"\n", newline)]

    def resource(i: int) -> list[bytes]:
        headers, data = resources[i % 2]
        return part(headers, base64.encodebytes(data) if "base64" in headers[1] else data)

    def multipart(b: str, bodies: list[list[bytes]]) -> list[bytes]:
        lines: list[bytes] = []
        for item in bodies:
            lines += [b"--" + b.encode(), *item]
        return [*lines, b"--" + b.encode() + b"--", b""]

    page_part = part(page_headers, body)
    if writer == "eml":
        text = part(["Content-Type: text/plain; charset=utf-8"], "请见网页版。".encode())
        alternative = [f'Content-Type: multipart/alternative; boundary="{inner}"'.encode(), b""]
        alternative += multipart(inner, [text, page_part])
        bodies = [alternative, *(resource(i) for i in range(parts_after))]
    else:
        before = [resource(i) for i in range(parts_before)]
        if frame_before and writer == "blink":
            frame = b"<html><body><table><tr><td>\xe9\x98\x85\xe8\xaf\xbb</td><td>1,024</td></tr></table></body></html>"
            frame_headers = ["Content-Type: text/html", "Content-ID: <frame-0A1B@mhtml.blink>"]
            frame_headers += [
                "Content-Transfer-Encoding: quoted-printable",
                "Content-Location: https://share.example.com/w",
            ]
            before.insert(0, part(frame_headers, quopri.encodestring(frame)))
        bodies = [*before, page_part, *(resource(i) for i in range(parts_after))]
    return newline.join([*(h.encode("utf-8") for h in head), *multipart(boundary, bodies)])
