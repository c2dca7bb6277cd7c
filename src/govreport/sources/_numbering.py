"""Word's automatic numbering: the ``二、`` or ``（一）`` that Word draws before a paragraph whose
number is not typed but comes from ``word/numbering.xml`` (directly, or through the paragraph's style
in ``word/styles.xml``).

A report's section headings and table labels are often numbered this way; without the number,
``主动公开政府信息情况`` is no longer the heading ``二、主动公开政府信息情况``. :class:`Numbering`
keeps Word's counters (one per abstract list and level; a level's count restarts when a level above
it advances, a ``w:num`` with ``w:startOverride`` restarts its level) and formats a number the way
Word draws it (``w:numFmt`` and ``w:lvlText``). Bullets are left out: they are not text a report
relies on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Numbering", "format_number"]

El = Any

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _chinese(n: int, digits: str = _CN_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else (digits[0] + digits[rest] if rest < 10 else _chinese_tens(rest, digits, ten))
        return digits[n // 100] + hundred + tail
    return str(n)


def _chinese_tens(n: int, digits: str, ten: str) -> str:
    return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")


def _letters(n: int) -> str:
    """1 → a … 26 → z, 27 → aa (Word repeats the letter)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's number format ``fmt`` (``w:numFmt``); unknown formats as decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese(n, _CN_LEGAL, "拾", "佰")
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "decimalEnclosedFullstop"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth":
        return str(n).translate({ord("0") + i: 0xFF10 + i for i in range(10)})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Level:
    __slots__ = ("fmt", "start", "text")

    def __init__(self, start: int, fmt: str, text: str) -> None:
        self.start = start
        self.fmt = fmt
        self.text = text


class Numbering:
    """The lists of one Word document, and their counters as the paragraphs come in order."""

    def __init__(self, numbering: El | None, styles: Mapping[str, El] | None, ns: str) -> None:
        """``styles``: the styles part's ``w:style`` elements by ``w:styleId`` (a :class:`~._styles.StyleIndex`)."""
        w = f"{{{ns}}}"
        self._w = w
        self._val = w + "val"
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # numId, ilvl, basedOn
        self._counts: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        if numbering is not None:
            for el in numbering:
                if el.tag == w + "abstractNum":
                    self._abstract[str(el.get(w + "abstractNumId"))] = self._levels(el)
            for el in numbering:
                if el.tag == w + "num":
                    self._num(el)
        # what a style says about numbering is read when a paragraph first asks (a few of ~160 styles)
        self._style_elements: Mapping[str, El] = {} if styles is None else styles

    def _style(self, style_id: str) -> tuple[str | None, str | None, str | None]:
        """A style's ``(numId, ilvl, basedOn)``, read from its element once."""
        found = self._styles.get(style_id)
        if found is None:
            w = self._w
            style = self._style_elements[style_id]
            num_pr = style.find(f"{w}pPr/{w}numPr")
            based = style.find(w + "basedOn")
            num_id = ilvl = None
            if num_pr is not None:
                num_id = self._attr(num_pr.find(w + "numId"))
                ilvl = self._attr(num_pr.find(w + "ilvl"))
            found = self._styles[style_id] = (num_id, ilvl, self._attr(based))
        return found

    def _attr(self, el: El | None) -> str | None:
        return None if el is None else el.get(self._val)

    def _levels(self, parent: El) -> dict[int, _Level]:
        w = self._w
        out = {}
        for lvl in parent.iter(w + "lvl"):
            level = _int(lvl.get(w + "ilvl"), 0)
            start = _int(self._attr(lvl.find(w + "start")), 1)
            fmt = self._attr(lvl.find(w + "numFmt")) or "decimal"
            text = self._attr(lvl.find(w + "lvlText")) or ""
            out[level] = _Level(start, fmt, text)
        return out

    def _num(self, el: El) -> None:
        w = self._w
        abstract = self._attr(el.find(w + "abstractNumId"))
        if abstract is None:
            return
        starts: dict[int, int] = {}
        levels: dict[int, _Level] = {}
        for override in el.iter(w + "lvlOverride"):
            level = _int(override.get(w + "ilvl"), 0)
            start = override.find(w + "startOverride")
            if start is not None:
                starts[level] = _int(start.get(self._val), 1)
            levels.update(self._levels(override))
        self._nums[str(el.get(w + "numId"))] = (abstract, starts, levels)

    def _style_numbering(self, style: str | None) -> tuple[str | None, str | None]:
        seen: set[str] = set()
        num_id = ilvl = None
        while style and style not in seen and style in self._style_elements:
            seen.add(style)
            s_num, s_ilvl, based = self._style(style)
            num_id = num_id or s_num
            ilvl = ilvl or s_ilvl
            style = based
        return num_id, ilvl

    def label(self, num_id: str | None, ilvl: str | None, style: str | None) -> str:
        """The number Word draws before the next paragraph with these properties ("" if none), and
        the counters advanced past it."""
        if num_id is None or ilvl is None:
            s_num, s_ilvl = self._style_numbering(style)
            num_id = num_id or s_num
            ilvl = ilvl or s_ilvl
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        abstract, starts, overrides = self._nums[num_id]
        levels = {**self._abstract.get(abstract, {}), **overrides}
        level = _int(ilvl, 0)
        if level not in levels:
            return ""
        counts = self._counts.setdefault(abstract, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for lv, start in starts.items():
                counts[lv] = start - 1  # this list instance restarts its level
        counts[level] = counts.get(level, levels[level].start - 1) + 1
        for deeper in [lv for lv in counts if lv > level]:
            del counts[deeper]  # a level restarts when a level above it advances
        lvl = levels[level]
        if lvl.fmt == "bullet":
            return ""
        text = lvl.text
        for k in range(9, -1, -1):
            marker = f"%{k + 1}"
            if marker in text:
                n = counts.get(k, levels[k].start if k in levels else 1)
                text = text.replace(marker, format_number(n, levels[k].fmt if k in levels else "decimal"))
        return text


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
