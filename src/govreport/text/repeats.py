"""A text that prints its tables over again: say so, and which copy is read.

Pages copied twice into one file, a crawler that kept a print view and the page, a CMS that repeats
the body: the table sections 二 to 四 then appear several times. The sections (and so the tables)
hold the first copy only (:func:`govreport.text.sections.find_sections` ends a section where a copy
starts), and this module names the repetition — how many copies, where, which one was read and
whether the others differ — so that nothing about it is silent.
"""

from __future__ import annotations

import bisect
import itertools
import re

from ..diagnostics import Diagnostic, Severity
from .normalise import NormText
from .sections import Layout

__all__ = ["repeated_tables"]

# the headings of a copy's first and last table section, inline (a page on one line has no line breaks)
_COPY_START = re.compile(r"二\s*[、.．]\s*主动公开")
_TABLE4 = re.compile(r"四\s*[、.．][^。；\d四]{0,20}?(?:行政复议|行政诉讼)")
_AFTER = re.compile(r"[五六]\s*[、.．][^。；\d]{0,20}?(?:问题|不足|其他需要|下一步)")
_SPACE = re.compile(r"\s+")
_MAX_LISTED = 8


def repeated_tables(doc: NormText, layout: Layout) -> Diagnostic | None:
    """``INPUT.REPEATED`` when the table sections are printed more than once, else ``None``."""
    if not layout.repeats and layout.region("review_litigation") is not None:
        return None  # the sections were found line by line, and no copy among them
    text = doc.text
    # no line-by-line sections (a page on one line): the copies by their inline headings
    copies = [] if layout.repeats else _inline_copies(text)
    if len(copies) < 2 and not layout.repeats:
        return None
    starts = [0, *itertools.accumulate(len(line) + 1 for line in doc.lines)]
    copies = _line_copies(doc, layout, starts) if layout.repeats else copies
    if len(copies) < 2:
        return None

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    bodies = [_SPACE.sub("", text[a:b]) for a, b in copies]
    differ = [n + 1 for n, body in enumerate(bodies) if n and body != bodies[0]]

    inline = len({line_of(a) for a, _ in copies}) < len(copies)  # copies share a line: say the column too

    def where(offset: int) -> str:
        line = line_of(offset)
        return f"{line + 1}:{offset - starts[line] + 1}" if inline else f"{line + 1}"

    first_end = max(copies[0][0], copies[0][1] - 1)
    at = ", ".join(where(a) for a, _ in copies[:_MAX_LISTED]) + (" …" if len(copies) > _MAX_LISTED else "")
    read = f"{where(copies[0][0])}-{where(first_end)}"
    listed = ", ".join(map(str, differ[:_MAX_LISTED])) + (" …" if len(differ) > _MAX_LISTED else "")
    same = (
        (f"copies {listed} differ from it" if len(differ) > 1 else f"copy {listed} differs from it")
        if differ
        else "the others are the same"
    )
    same_zh = f"第 {'、'.join(map(str, differ[:_MAX_LISTED]))} 份与之不同" if differ else "其余各份与之相同"
    line = line_of(copies[1][0])
    return Diagnostic(
        "INPUT.REPEATED",
        Severity.WARNING,
        f"the tables (sections 二 to 四) are printed {len(copies)} times over (from lines {at}); the first copy, "
        f"lines {read}, is read and the others are not ({same})",
        f"表格部分（二至四）重复出现 {len(copies)} 次；读取第一份（第 {read} 行），其余未读取（{same_zh}）",
        span=doc.span(line, 0, len(doc.lines[line])),
        detail=str(len(copies)),
    )


def _line_copies(doc: NormText, layout: Layout, starts_at: list[int]) -> list[tuple[int, int]]:
    """Each copy as ``(start, end)`` offsets in ``doc.text``, from the layout's section headings."""
    tables = [r for r in layout.sections if r.key in ("proactive", "requests", "review_litigation")]
    if not tables:
        return []
    after = [r.heading_line for r in layout.sections if r.key in ("problems", "other")]
    starts = [tables[0].heading_line, *(copy[0] for copy in layout.repeats)]
    ends = [*starts[1:], after[0] if after else len(doc.lines)]
    return [(starts_at[a], starts_at[b]) for a, b in zip(starts, ends, strict=True)]


def _inline_copies(text: str) -> list[tuple[int, int]]:
    """Each copy by its inline headings: a 二、主动公开 that follows a copy's 四 starts the next one."""
    starts: list[int] = []
    pos = 0
    while (m := _COPY_START.search(text, pos)) is not None:
        starts.append(m.start())
        four = _TABLE4.search(text, m.end())
        if four is None:
            break
        pos = four.end()
    if len(starts) < 2:
        return []
    tail = _AFTER.search(text, starts[-1])
    ends = [*starts[1:], tail.start() if tail else len(text)]
    return list(zip(starts, ends, strict=True))
