"""Make the small PDFs under tests/data/pdf/ that the PDF reader's tests read (test-only; CI does not run it).

    .venv/bin/pip install reportlab            # plus Debian's fonts-wqy-zenhei and qpdf
    .venv/bin/python scripts/make_pdf_fixtures.py [--truth ../shared/originals/s004/truth.json ...]

Writes, for each truth file given (default: two of the shared originals):
  reportlab-plain-<case>.pdf   a report drawn with reportlab: tables WITHOUT ruling lines, numbers
                               right-aligned, wrapped labels with the numbers centred beside them,
                               Table 3 broken across pages with its header repeated, a page number
                               ("- N -") and a running header on every page
  reportlab-grid-<case>.pdf    the same with every cell border drawn (reportlab's GRID: stroked lines)
  <case>.truth.json            the numbers, copied
and, once: encrypted.pdf (qpdf, user password "secret"), image-only.pdf (an image, no text) and
no-tounicode.pdf (text whose font lost its ToUnicode map).
The LibreOffice and Chromium fixtures are made by the commands in tests/data/pdf/README.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import zlib
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "pdf"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
COLS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other", "total"]

T3_2021 = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    (None, "三、本年度办理结果"),
    ("granted", "（一）予以公开"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (None, "（三）不予公开"),
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("denied.safety_stability", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息"),
    ("denied.process_info", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "7.属于行政执法案卷"),
    ("denied.query_item", "8.属于行政查询事项"),
    (None, "（四）无法提供"),
    ("unable.not_held", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "3.补正后申请内容仍不明确"),
    (None, "（五）不予处理"),
    ("not_processed.petition", "1.信访举报投诉类申请"),
    ("not_processed.duplicate", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.massive", "4.无正当理由大量反复申请"),
    ("not_processed.confirm_info", "5.要求行政机关确认或重新出具已获取信息"),
    (None, "（六）其他处理"),
    ("other.overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
    ("total_handled", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]

T2_2021 = [
    (
        "第二十条第（一）项",
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        [
            ("regulations", "规章", ["issued", "repealed", "in_force"]),
            ("normative_documents", "行政规范性文件", ["issued", "repealed", "in_force"]),
        ],
    ),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("administrative_licensing", "行政许可", ["decisions"])]),
    (
        "第二十条第（六）项",
        ["信息内容", "本年处理决定数量"],
        [
            ("administrative_punishment", "行政处罚", ["decisions"]),
            ("administrative_coercion", "行政强制", ["decisions"]),
        ],
    ),
    (
        "第二十条第（八）项",
        ["信息内容", "本年收费金额（单位：万元）"],
        [("administrative_fees", "行政事业性收费", ["amount"])],
    ),
]

T4_GROUPS = [
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
]
T4_COLS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]

PROSE = (
    "本机关坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "围绕中心工作，进一步推进决策、执行、管理、服务、结果公开，加强政策解读和回应关切，"
    "政府信息公开工作取得了新的成效。全年通过门户网站、政务新媒体等渠道主动公开各类政府信息，"
    "及时更新现行有效文件目录，不断提升政务公开标准化规范化水平。"
)


def fmt(v: object) -> str:
    if isinstance(v, int) and abs(v) >= 1000:
        return f"{v:,}"
    return str(v)


def styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    return {
        "title": ParagraphStyle("title", fontName="WQY", fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=10),
        "h": ParagraphStyle("h", fontName="WQY", fontSize=13, leading=18, spaceBefore=8, spaceAfter=4),
        "p": ParagraphStyle("p", fontName="WQY", fontSize=10.5, leading=16, firstLineIndent=21, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName="WQY", fontSize=8, leading=10, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName="WQY", fontSize=8, leading=10, alignment=TA_CENTER, wordWrap="CJK"),
    }


def table_style(grid: bool) -> list[tuple[object, ...]]:
    st: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), "WQY"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    if grid:
        st.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    return st


def table2(truth: dict, s: dict[str, ParagraphStyle], grid: bool) -> Table:
    rows: list[list[object]] = []
    spans: list[tuple[object, ...]] = []
    for caption, header, items in T2_2021:
        r = len(rows)
        rows.append([caption, "", "", ""])
        spans.append(("SPAN", (0, r), (-1, r)))
        spans.append(("ALIGN", (0, r), (-1, r), "CENTER"))
        rows.append([*header, *[""] * (4 - len(header))])
        if len(header) == 2:
            spans.append(("SPAN", (1, r + 1), (-1, r + 1)))
        for key, label, cols in items:
            vals = [fmt(truth["table2"][key][c]) for c in cols]
            rows.append([label, *vals, *[""] * (3 - len(vals))])
    t = Table(rows, colWidths=[120, 110, 110, 110])
    t.setStyle(TableStyle(table_style(grid) + spans))
    return t


def table3(truth: dict, s: dict[str, ParagraphStyle], grid: bool) -> Table:
    head1 = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "自然人",
        "法人或其他组织",
        "",
        "",
        "",
        "",
        "总计",
    ]
    head2 = ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    rows: list[list[object]] = [
        [
            Paragraph(head1[0], s["head"]),
            *[Paragraph(h, s["head"]) for h in head1[1:3]],
            "",
            "",
            "",
            "",
            Paragraph("总计", s["head"]),
        ],
        ["", "", *[Paragraph(h, s["head"]) for h in head2[2:7]], ""],
    ]
    for key, label in T3_2021:
        vals = [fmt(v) for v in truth["table3"][key]] if key else [""] * 7
        rows.append([Paragraph(label, s["cell"]), *vals])
    t = Table(rows, colWidths=[170, *[46] * 7], repeatRows=2)
    extra = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (6, 0)), ("SPAN", (7, 0), (7, 1))]
    t.setStyle(TableStyle(table_style(grid) + extra))
    return t


def table4(truth: dict, s: dict[str, ParagraphStyle], grid: bool) -> Table:
    rows: list[list[object]] = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        ["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [Paragraph(name, s["head"]) for _ in T4_GROUPS for _, name in T4_COLS],
        [fmt(truth["table4"][g][c]) for g, _ in T4_GROUPS for c, _ in T4_COLS],
    ]
    t = Table(rows, colWidths=[30] * 15)
    extra = [
        ("SPAN", (0, 0), (4, 1)),
        ("SPAN", (5, 0), (14, 0)),
        ("SPAN", (5, 1), (9, 1)),
        ("SPAN", (10, 1), (14, 1)),
        ("ALIGN", (0, 0), (-1, 1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    t.setStyle(TableStyle(table_style(grid) + extra))
    return t


def report(truth: dict, path: Path, grid: bool) -> None:
    s = styles()
    organ, year = truth["organ"][0], truth["year"]
    title = f"{organ}{year}年政府信息公开工作年度报告"

    def furniture(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont("WQY", 8)  # type: ignore[attr-defined]
        canvas.drawString(56, A4[1] - 36, f"{year + 1}-01-15  {organ}")  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    story: list[object] = [Paragraph(title, s["title"]), Paragraph("一、总体情况", s["h"])]
    for i in range(4):
        story.append(Paragraph(f"（{'一二三四'[i]}）工作情况", s["h"]))
        story.append(Paragraph(PROSE * 2, s["p"]))
    story += [Paragraph("二、主动公开政府信息情况", s["h"]), table2(truth, s, grid), Spacer(1, 6)]
    story += [Paragraph("三、收到和处理政府信息公开申请情况", s["h"]), table3(truth, s, grid), Spacer(1, 6)]
    story += [Paragraph("四、政府信息公开行政复议、行政诉讼情况", s["h"]), table4(truth, s, grid)]
    story += [Paragraph("五、存在的主要问题及改进情况", s["h"]), Paragraph(PROSE, s["p"])]
    story += [Paragraph("六、其他需要报告的事项", s["h"]), Paragraph("无。", s["p"])]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=56,
        rightMargin=56,
        topMargin=56,
        bottomMargin=56,
        title=title,
        author="govreport tests",
        invariant=1,
    )
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


def no_tounicode(path: Path) -> None:
    """Chinese text in an embedded subset font whose ToUnicode map is renamed away: PDFium reads
    the font's own codes (control characters) instead of the text."""
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)
    c.setFont("WQY", 12)
    for i in range(10):
        c.drawString(50, 800 - 20 * i, "二、主动公开政府信息情况 规章 0 0 14 行政许可 58396")
    c.save()
    # same length, so the cross-reference offsets stay right
    path.write_bytes(buf.getvalue().replace(b"/ToUnicode", b"/ToUnicodX"))


def image_only(path: Path) -> None:
    """One page showing a 2x2 grey image and nothing else: a scan without a text layer."""
    pixels = zlib.compress(bytes([0, 128, 255, 64]))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream",
    ]
    content = b"q 180 0 0 180 10 10 cm /Im0 Do Q"
    objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    path.write_bytes(assemble(objs))


def assemble(objs: list[bytes]) -> bytes:
    """A PDF file from its objects (numbered from 1), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    shared = Path(__file__).resolve().parent.parent.parent / "shared" / "originals"
    ap.add_argument("--truth", type=Path, action="append", default=None)
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for t in a.truth or [shared / "s004" / "truth.json", shared / "s009" / "truth.json"]:
        truth = json.loads(t.read_text())
        case = t.parent.name
        (OUT / f"{case}.truth.json").write_text(t.read_text())
        report(truth, OUT / f"reportlab-plain-{case}.pdf", grid=False)
        report(truth, OUT / f"reportlab-grid-{case}.pdf", grid=True)
    image_only(OUT / "image-only.pdf")
    no_tounicode(OUT / "no-tounicode.pdf")
    src = OUT / "image-only.pdf"  # the smallest: PDFium refuses any file it cannot decrypt alike
    subprocess.run(
        ["qpdf", "--encrypt", "secret", "owner", "256", "--", str(src), str(OUT / "encrypted.pdf")], check=True
    )


if __name__ == "__main__":
    main()
