"""Normalisation of decoded report text.

Normalisation never adds or removes a line: line *n* of the normalised text is line *n* of the
source, so a position maps back by its line number plus a per-line column map that is only built
for the few lines whose length changed. Page furniture (print headers/footers, page numbers) is
blanked, and every blanked line is recorded as noise with its reason.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence

import attrs

from ..diagnostics import SourceSpan, make_span

__all__ = ["NormText", "fold", "normalise", "squeeze"]


# --- character folding -------------------------------------------------------------------------

# CJK Radicals Supplement look-alikes that NFKC leaves alone (spec §7.7).
_RADICAL_SUPPLEMENT = dict(
    zip(
        "⺠⻔⻓⻢⻜⻛⻚⻅⻋⻉⻄⻬⻩⻰⻆⻝⻥⻦⻖⺁⺇⺈⺌⺍⺕⺗⺝⺟⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺶⺷⺸⺺⺻⺾⺿⻀⻁⻂⻃⻈⻊⻌⻍⻎⻏⻑⻒⻕⻗⻘⻙⻟⻠⻡⻣⻤⻧⻨⻪⻫⻭⻮⻯⻱⻲⻳⺀⺂⺃⺄⺅⺆⺉⺊⺋⺎⺏⺐⺑⺒⺓⺔⺖⺘⺙⺛⺜⺞⺱⺲⺳⺴⺵⺹⺽⺼⻇⻐⻞",
        "民门长马飞风页见车贝西齐黄龙角食鱼鸟阝厂几𠂊小小彐心月母氵水灬爫爫丬牛犭王疋罒示礻竹糸纟羊羊羊聿聿艹艹艹虎衤襾讠足辶辶辶阝長镸门雨青韦食饣首骨鬼卤麦黾齐齿齿龙龟亀龟冫乛乚乙亻冂刂卜卩兀尣尢尣巳幺彑忄扌攵旡日歺网罒网网网耂臼月角钅飠",
        strict=True,
    )
)  # fmt: skip


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Kangxi radicals (U+2F00–U+2FD5) fold through NFKC to the unified ideograph.
    for cp in range(0x2F00, 0x2FD6):
        table[cp] = unicodedata.normalize("NFKC", chr(cp))
    for k, v in _RADICAL_SUPPLEMENT.items():
        table[ord(k)] = v
    # CJK compatibility ideographs, as PDF text layers often carry them.
    for cp in range(0xF900, 0xFB00):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if folded != chr(cp):
            table[cp] = folded
    # Full-width digits and Latin letters become ASCII; full-width punctuation stays (it is text).
    for cp in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):
        table[cp] = chr(cp - 0xFEE0)
    for src, dst in {"／": "/", "－": "-", "＋": "+", "．": ".", "％": "%", "｜": "|", "＃": "#", "＊": "*"}.items():
        table[ord(src)] = dst
    # Spaces of every width become one ASCII space; zero-width characters go.
    for cp in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)):
        table[cp] = " "
    for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
        table[cp] = ""
    for cp in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029):
        table[cp] = " "
    table[ord("\r")] = ""
    # Dash look-alikes used as placeholders.
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2212):
        table[cp] = "-"
    table[0x2015] = "—"
    # Enclosed ideographs such as ㈠ (parenthesised numbers) expand via NFKC.
    for cp in range(0x3200, 0x3248):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if folded != chr(cp):
            table[cp] = folded
    return table


_FOLD = _build_fold_table()
_FOLD_STR = {chr(k): v for k, v in _FOLD.items()}
# str.translate looks every character up in the table (~70 ns a character for CJK text); a regex
# finds the few characters that fold in a C scan, several times faster on real reports.
_FOLDABLE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_FOLD_STR)) + "]")


def _fold_match(m: re.Match[str]) -> str:
    return _FOLD_STR[m.group()]


# No folded text holds a character that folds again, so replacing one distinct character at a time
# gives what one substitution pass gives; checked here rather than assumed.
assert not any(_FOLDABLE.search(v) for v in _FOLD_STR.values())


def _fold_all(text: str) -> str:
    """:func:`fold` for a whole report: one ``str.replace`` per distinct foldable character.

    A report folds a few hundred characters but only a handful of distinct ones (NBSP, U+3000, the
    radicals of one PDF font); a C-level replace each is far cheaper than a Python callback per match.
    """
    found = _FOLDABLE.findall(text)
    if len(found) < 8:
        return _FOLDABLE.sub(_fold_match, text) if found else text
    for ch in set(found):
        text = text.replace(ch, _FOLD_STR[ch])
    return text


_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# With one marker absent, the pattern for the other alone matches the same; it starts with a literal,
# which the regex engine finds by a fast search instead of trying the alternation at every character.
_EMPHASIS_ONLY = {
    "**": re.compile(r"(\*\*)(?=\S)(.+?)(?<=\S)\*\*"),
    "__": re.compile(r"(__)(?=\S)(.+?)(?<=\S)__"),
}
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|\"'<>~])")
# a C callable as the replacement: a template string like r"\2" is expanded by Python code per match
_FIRST_GROUP, _SECOND_GROUP = operator.itemgetter(1), operator.itemgetter(2)

_FURNITURE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*\d{4}/\d{1,2}/\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+\S.*)?$"), "print header (date)"),
    # a browser printing in an en-US locale: "1/27/23, 9:56 AM" (month/day/two-digit year, 12-hour clock)
    (
        re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2}(?:\d{2})?,\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?(?:\s+\S.*)?$"),
        "print header (date)",
    ),
    (re.compile(r"^\s*(?:https?|file)://\S+(?:\s+\d+\s*/\s*\d+)?\s*$"), "print footer (url)"),
    (re.compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$"), "page number"),
    (re.compile(r"^\s*第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?\s*$"), "page number"),
    (re.compile(r"^\s*\d{1,4}\s*/\s*\d{1,4}\s*$"), "page number (x/y)"),
    (re.compile(r"^\s*(?:Page|page)\s+\d+(?:\s+of\s+\d+)?\s*$"), "page number"),
)
"""Page furniture, each pattern as it reads one line."""


def _furniture_after_newline() -> re.Pattern[str]:
    """The six patterns as one, each anchored right after a newline of the whole text.

    Searching the whole text for ``\\n`` followed by a possible first character lets the regex engine
    skip from newline to newline in C (a per-line loop cost ≈0.5 µs a line); ``\\s`` becomes "white
    space but not a newline" so that no match runs into the next line.
    """
    same_line = r"[^\S\n]"
    bodies = []
    for i, (pattern, _) in enumerate(_FURNITURE):
        body = pattern.pattern.replace(r"\s", same_line).removeprefix("^").removeprefix(same_line + "*")
        bodies.append(f"(?P<f{i}>{body})")
    # what each pattern needs first: digits then a slash (date, x/y), else its first character
    first = rf"(?=\d{{1,4}}{same_line}*/|[\-—–第hfPp])"
    return re.compile(rf"\n{same_line}*{first}(?:{'|'.join(bodies)})", re.MULTILINE)


_FURNITURE_AFTER_NEWLINE = _furniture_after_newline()
_FURNITURE_REASON = {f"f{i}": reason for i, (_, reason) in enumerate(_FURNITURE)}


@attrs.frozen
class NormText:
    """Normalised text, line for line with the original, plus what was blanked as noise."""

    original_lines: tuple[str, ...]
    lines: tuple[str, ...]
    noise: tuple[tuple[int, str], ...] = ()
    encoding: str | None = None
    _colmaps: dict[int, list[int]] = attrs.field(factory=dict, repr=False, eq=False, alias="_colmaps")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def original_column(self, line: int, col: int) -> int:
        """Map a 0-based column of normalised ``line`` (0-based) to the original line's column."""
        orig = self.original_lines[line]
        norm = self.lines[line]
        if len(orig) == len(norm):
            return col
        cmap = self._colmaps.get(line)
        if cmap is None:
            cmap = _column_map(orig, norm)
            self._colmaps[line] = cmap
        return cmap[min(col, len(cmap) - 1)]

    def span(self, line: int, start: int, end: int, end_line: int | None = None) -> SourceSpan:
        """A 1-based :class:`SourceSpan` in the original text for normalised line/columns (0-based)."""
        el = line if end_line is None else end_line
        if el == line and len(self.original_lines[line]) == len(self.lines[line]):
            return make_span(line + 1, start + 1, line + 1, end + 1)  # the common case: nothing folded away
        return SourceSpan(line + 1, self.original_column(line, start) + 1, el + 1, self.original_column(el, end) + 1)

    def span_list(self, line: int, start: int, end: int) -> list[int]:
        """:meth:`span` on one line as the export writes it, ``[line, column, end_line, end_column]``.

        The export's hot path (a span per cell, a few hundred a report): the common case builds the
        list directly, without a :class:`SourceSpan` to take apart again.
        """
        if len(self.original_lines[line]) == len(self.lines[line]):
            return [line + 1, start + 1, line + 1, end + 1]
        s = self.span(line, start, end)
        return [s.line, s.column, s.end_line, s.end_column]


def _column_map(orig: str, norm: str) -> list[int]:
    """For each normalised column (and one past the end), the original column it came from."""
    out: list[int] = []
    for i, ch in enumerate(orig):
        out.extend([i] * len(_fold_char(ch)))
    # furniture-blanked or emphasis-stripped lines do not line up char for char: fall back to the start
    if len(out) != len(norm):
        return [0] * (len(norm) + 1)
    out.append(len(orig))
    return out


def _fold_char(ch: str) -> str:
    return ch.translate(_FOLD)


def normalise(text: str, *, encoding: str | None = None) -> NormText:
    """Fold a decoded report text (see module docstring). Never changes the number of lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    original = tuple(text.split("\n"))
    whole = _fold_all(text)
    # no pattern below reaches across a newline, and no character folds to or from one
    if "[" in whole:
        whole = _BOOKMARK.sub("", whole)
    stars, bars = "**" in whole, "__" in whole
    if stars or bars:
        emphasis = _EMPHASIS if stars and bars else _EMPHASIS_ONLY["**" if stars else "__"]
        whole = emphasis.sub(_SECOND_GROUP, whole)
    if "\\" in whole:
        whole = _MD_ESCAPE.sub(_FIRST_GROUP, whole)
    lines = original if whole is text else tuple(whole.split("\n"))
    noise: list[tuple[int, str]] = []
    line_no = last = 0
    marked = "\n" + whole  # line 0 gets its newline too: line n starts after the (n+1)-th newline
    for m in _FURNITURE_AFTER_NEWLINE.finditer(marked):
        line_no += marked.count("\n", last, m.start())
        last = m.start()
        noise.append((line_no, _FURNITURE_REASON[m.lastgroup or ""]))
    if noise:
        blanked = list(lines)
        for i, _ in noise:
            blanked[i] = ""
        lines = tuple(blanked)
    return NormText(original, lines, tuple(noise), encoding)


def fold(text: str) -> str:
    """The character folding of :func:`normalise` for a short string (labels, names)."""
    return _FOLDABLE.sub(_fold_match, text)


def squeeze(fragments: Sequence[str]) -> str:
    """Join label fragments with all white space removed (how row keywords are matched)."""
    return "".join("".join(fragments).split())
