"""Segmentation: the six sections, the title, the publishing body, the year and the template version.

Works on normalised lines (:class:`govreport.text.normalise.NormText`). A heading is a short line that starts
with its numeral (一、 … 六、, optionally behind markdown ``#`` or emphasis) and carries one of the
known heading words of spec §1/§6, so Table 3's own "一、本年新收…" rows never pass for headings.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

import attrs

from ..model import SECTION_KEYS, Section
from ..template import TemplateVersion
from .normalise import NormText

__all__ = [
    "TABLE_SECTIONS",
    "Layout",
    "Region",
    "detect_template",
    "find_sections",
    "find_title",
    "table_regions",
]

_NUMERALS = "一二三四五六"
_HEADING_WORDS = (
    r"总体情况|总体|概述",
    r"主动公开",
    r"收到和处理|依申请公开|申请情况",
    r"行政复议|行政诉讼",
    r"存在的主要问题|存在的问题|主要问题|问题及改进|问题和改进|不足",
    r"其他需要报告|其他事项|需要报告的|下一步",
)
_HEADING = re.compile(r"^[ \t#>*|]*(?P<num>[一二三四五六])\s*[、.．,，]\s*(?P<title>[^\t|]{2,60}?)[ \t*|]*$")
_HEADING_INLINE = re.compile(
    r"(?P<num>[一二三四五六])\s*[、.．]\s*(?P<title>" + "|".join(f"(?:{w})" for w in _HEADING_WORDS) + r")"
)
_HEADING_RE = tuple(re.compile(w) for w in _HEADING_WORDS)
_TABLE_INDEXES = (1, 2, 3)  # 二 三 四: the sections that hold the tables
_PROBLEMS = 4  # 五: once found, a table heading is no longer a copy of the tables
_DIGIT = re.compile(r"\d")


@attrs.frozen
class Region:
    """A run of normalised lines ``[start, end)`` (0-based) holding one section."""

    key: str
    number: str
    heading: str
    heading_line: int
    start: int
    end: int


@attrs.frozen
class Layout:
    """What segmentation found: the sections in order, plus the title line."""

    sections: tuple[Region, ...]
    title_line: int | None = None
    repeats: tuple[tuple[int, ...], ...] = ()
    """Where the text prints its table sections (二 to 四) over again: per further copy, the heading
    lines of its sections. The sections above hold the first copy only."""

    def region(self, key: str) -> Region | None:
        return next((r for r in self.sections if r.key == key), None)


def find_sections(doc: NormText) -> Layout:
    """Find the six section headings, in order; a section missing from the text is simply absent.

    Headings numbered the official way (二、…) are found first. A table's section that is still
    missing is then looked for under other numbering (（三）, 3., 表三：) by its full heading phrase,
    and failing that by the table's own first line (第二十条…, 本列数据的勾稽关系…, the 行政复议/行政诉讼
    header): non-standard outlines are common, and a table must not be lost to its heading's style.
    """
    lines = doc.lines
    found: list[tuple[int, int, str]] = []  # (index 0-5, line, heading)
    copies: list[list[tuple[int, int]]] = []  # further copies of the table sections: (index, line)
    want = 0
    for i, line in enumerate(lines):
        if not line or len(line) > 90:
            continue
        m = _HEADING.match(line)
        if m is None:
            continue
        idx = _NUMERALS.index(m["num"])
        title = m["title"]
        if not _HEADING_RE[idx].search(title) or re.search(r"\d\s+\d", title):
            continue
        # headings come in order; a later heading may skip a missing one, never go back — except
        # that a page may print its table sections over again (a copy starts at a table heading)
        if idx < want:
            # a copy starts once the first copy's 四 is found, and only after some cells (a heading
            # printed twice, as heading and as caption, is no copy)
            last = copies[-1][-1][1] if copies else found[-1][1]
            if idx in _TABLE_INDEXES and want == _PROBLEMS and _DIGIT.search("\n".join(lines[last:i])):
                if not copies or idx <= copies[-1][-1][0]:
                    copies.append([])
                copies[-1].append((idx, i))
            continue
        found.append((idx, i, line.strip(" \t#>*|")))
        want = idx + 1
    if not {1, 2, 3} <= {idx for idx, _, _ in found}:
        found = _fill_table_sections(lines, found)
    regions: list[Region] = []
    stops = sorted(line for copy in copies for _, line in copy)
    for n, (idx, line_no, heading) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(lines)
        end = min([end, *(stop for stop in stops if stop > line_no)])  # a section ends where a copy starts
        start = line_no + 1 if heading else line_no  # an anchor line is the table's own first line
        regions.append(Region(SECTION_KEYS[idx], _NUMERALS[idx], heading, line_no, start, end))
    repeats = tuple(tuple(line for _, line in copy) for copy in copies)
    return Layout(tuple(regions), find_title(doc)[0], repeats)


# The full heading phrase of sections 二–四 under any numbering: "（三）收到和处理…", "3. …", "表三：…"
_RELAXED_HEADINGS = {
    1: re.compile(r"主动公开政府信息(?:情况)?"),
    2: re.compile(r"收到和处理政府信息公开申请(?:情况)?"),
    3: re.compile(r"行政复议.{0,4}行政诉讼|复议.{0,2}诉讼情况"),
}
# Each table's own first line, for a report that prints no heading above it at all.
_TABLE_ANCHORS = {
    1: re.compile(r"第二十条\s*第"),
    2: re.compile(r"本列数据的勾稽关系|^\W*申请人情况"),
    3: re.compile(r"^\W*行政复议(?:\W+行政诉讼)?\W*$"),  # Word puts each header cell on a line
}
_LATER_SECTIONS = re.compile(r"存在的主要问题|存在的问题|问题及改进|其他需要报告|下一步工作")


def _fill_table_sections(lines: tuple[str, ...], found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Add sections 二–四 that the official numbering did not find, keeping document order."""
    have = {idx: line for idx, line, _ in found}
    added: list[tuple[int, int, str]] = []
    for idx in (1, 2, 3):
        if idx in have:
            continue
        lo = max((line for i, line in have.items() if i < idx), default=-1) + 1
        hi = min((line for i, line in have.items() if i > idx), default=len(lines))
        hit = _first(lines, lo, hi, _RELAXED_HEADINGS[idx], max_len=40)
        heading = True
        if hit is None:
            hit = _first(lines, lo, hi, _TABLE_ANCHORS[idx])
            heading = False
        if hit is not None:
            have[idx] = hit
            added.append((idx, hit, lines[hit].strip(" \t#>*|") if heading else ""))
    out = sorted([*found, *added], key=lambda f: f[1])
    # a table found only by its anchor must not run on into the narrative of 五、/六、
    if added and all(idx < 4 for idx, _, _ in out):
        last = out[-1][1]
        end = _first(lines, last + 1, len(lines), _LATER_SECTIONS, max_len=40)
        if end is not None:
            out.append((4, end, lines[end].strip(" \t#>*|")))
    return out


def _first(
    lines: tuple[str, ...], lo: int, hi: int, pattern: re.Pattern[str], *, max_len: int | None = None
) -> int | None:
    """The first line in ``[lo, hi)`` that ``pattern`` finds, optionally no longer than ``max_len``."""
    for i in range(lo, min(hi, len(lines))):
        line = lines[i]
        if line and (max_len is None or len(line) <= max_len) and pattern.search(line):
            return i
    return None


_TITLE = re.compile(
    r"(?P<organ>[^\s，。,：:、]{0,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:的)?\s*政府信息公开(?:工作)?年度报告"
)
_PLACE = re.compile(r"(省|市|区|县|旗|州|盟|镇|乡|街道|自治)")


def find_title(doc: NormText) -> tuple[int | None, str | None, str | None, int | None]:
    """``(line, title, organ, year)`` from the first line that reads like the report's title."""
    lines = doc.lines
    for i, line in enumerate(lines[:200]):
        if "年度报告" not in line:
            # a PDF title wraps where the page ends: "…工作年度报" / "告"
            if "政府信息公开" not in line or i + 1 >= len(lines) or len(lines[i + 1].strip()) > 8:
                continue
            line = line.rstrip() + lines[i + 1].strip()
            if "年度报告" not in line:
                continue
        m = _TITLE.search(line)
        if m is None:
            continue
        organ_text = m["organ"]
        # a crawled page keeps its breadcrumb ("首页 > 政务公开 > 政府信息公开年报") glued to the title
        crumb = _BREADCRUMB.match(organ_text)
        start = m.start("organ") + (crumb.end() if crumb else 0)
        organ = organ_text[crumb.end() if crumb else 0 :].strip(' #*>《“"') or None
        title = line.strip(" \t#*>") if len(line) <= _TITLE_LINE else line[start : m.end()].strip(' #*>《“"')
        return i, title, organ, int(m["year"])
    return None, None, None, None


_BREADCRUMB = re.compile(r".*(?:年报|>)")  # "年报" (annual report) ends a breadcrumb, never a body's name
_TITLE_LINE = 80
"""A longer line holds more than the title (flattened web text): the title is the matched part."""


def complete_organ(organ: str | None, body: str) -> str | None:
    """Lengthen a title's body name that lacks its place (``政府办公室`` → ``龙亭区政府办公室``).

    The fuller name must occur in the report text itself; otherwise the title's name stands.
    """
    if not organ:
        return organ
    starts_with_place = organ[0] in _PLACE_CHARS
    if not starts_with_place and _PLACE.search(organ[:-1]):
        return organ
    # the place name is the 2-3 ideographs before the name (plus its 区/县… when the title lacks it)
    lead = 0 if starts_with_place else 1
    counts: Counter[str] = Counter()
    for m in re.finditer(re.escape(organ), body):
        before = body[max(0, m.start() - 3 - lead) : m.start()]
        if not starts_with_place and (not before or before[-1] not in _PLACE_CHARS):
            continue
        for n in (2, 3):
            prefix = before[-(n + lead) :]
            if len(prefix) == n + lead and all("\u4e00" <= ch <= "\u9fff" for ch in prefix):
                counts[prefix] += 1
    if not counts:
        return organ
    best2 = max((p for p in counts if len(p) == 2 + lead), key=lambda p: counts[p], default=None)
    if best2 is None:
        return organ
    longer = [p for p in counts if len(p) == 3 + lead and p.endswith(best2) and counts[p] == counts[best2] >= 2]
    return (longer[0] if longer else best2) + organ


_PLACE_CHARS = frozenset("省市区县旗州盟镇乡")


def year_from_text(text: str) -> int | None:
    """The most frequent ``20XX年`` in the text, as a fallback for a title without a year."""
    years = Counter(int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", text))
    return years.most_common(1)[0][0] if years else None


_SIG_2019 = re.compile(
    r"本年新制作|新制作数量|上一年项目|本年增/?减|增/减|第二十条第[（(]九[)）]项|政府集中采购|对外公开总数量"
)
_SIG_2021 = re.compile(r"本年制发|本年废止|现行有效|本年处理决定|不补正|缴纳费用|收费通知|本年收费金额")


def detect_template(text: str, year: int | None) -> tuple[TemplateVersion, str]:
    """2019 or 2021 format from the wording of Table 2 and the （六） rows of Table 3 (spec §2.2).

    Returns the version and a short reason. Falls back to the year when the tables say nothing.
    """
    n19 = len(_SIG_2019.findall(text))
    n21 = len(_SIG_2021.findall(text))
    if n19 > n21:
        return TemplateVersion.V2019, f"2019 wording x{n19} vs 2021 wording x{n21}"
    if n21 > n19:
        return TemplateVersion.V2021, f"2021 wording x{n21} vs 2019 wording x{n19}"
    if year is not None and year <= 2020:
        return TemplateVersion.V2019, f"no table wording; year {year} uses the 2019 format"
    return TemplateVersion.V2021, "no table wording; assumed the 2021 format"


# a heading inside running text: its numeral, a few words, a heading word, and the words up to its
# closing 情况/事项/措施 ("四、政府信息公开行政复议、行政诉讼情况" glued to the table after it)
_HEADING_IN_TEXT = re.compile(
    r"(?P<num>[一二三四五六])\s*[、.．]\s*[^。；，：\d]{0,16}?(?:"
    + "|".join(f"(?:{w})" for w in _HEADING_WORDS)
    + r")(?:[^。；，：\d]{0,12}?(?:情况|事项|措施))?"
)


def inline_sections(text: str) -> list[tuple[int, int, str]]:
    """Heading positions ``(index 0-5, offset, heading)`` in text whose headings are not on lines of
    their own (flattened web text)."""
    out: list[tuple[int, int, str]] = []
    want = 0
    for m in _HEADING_IN_TEXT.finditer(text):
        idx = _NUMERALS.index(m["num"])
        if idx < want:
            continue
        out.append((idx, m.start(), m.group(0)))
        want = idx + 1
    return out


def sections_inline(doc: NormText) -> tuple[Section, ...]:
    """The sections of a text whose headings share lines with the rest (a page on one line), by
    :func:`inline_sections`; each section's text runs from after its heading to the next heading."""
    text = doc.text
    found = inline_sections(text)
    if not found:
        return ()
    starts = [0]
    for text_line in doc.lines[:-1]:
        starts.append(starts[-1] + len(text_line) + 1)
    out = []
    for n, (idx, offset, heading) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(text)
        at = bisect.bisect_right(starts, offset) - 1
        col = offset - starts[at]
        span = doc.span(at, col, col + len(heading))
        out.append(Section(SECTION_KEYS[idx], _NUMERALS[idx], heading, text[offset + len(heading) : end].strip(), span))
    return tuple(out)


TABLE_SECTIONS = (("table2", "proactive"), ("table3", "requests"), ("table4", "review_litigation"))
"""Which section holds which table."""


def table_regions(layout: Layout, line_count: int) -> dict[str, tuple[int, int]]:
    """``table id -> (first line, end line)`` of the sections that hold the tables (0-based)."""
    out: dict[str, tuple[int, int]] = {}
    for table_id, key in TABLE_SECTIONS:
        region = layout.region(key)
        if region is not None:
            out[table_id] = (region.start, min(region.end, line_count))
    return out
