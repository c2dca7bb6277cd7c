"""Cheap line-shape tests shared by the parsers' ``detect`` methods."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain, compress

from ..text.normalise import NormText
from ..text.sections import Layout
from ._base import table_regions

_CELLS_AT_END = re.compile(
    r"(?:^|[ \t])(?:[+-]?\d[\d,]*(?:\.\d+)?|/|—|-)(?:[ \t]+(?:[+-]?\d[\d,]*(?:\.\d+)?|/|—|-)){2,}[ \t]*$"
)
BOX_CHARS = frozenset("│┃├┤┼─━┌┐└┘┬┴═╞╡╪")
ANY_BOX_CHAR = re.compile("[" + "".join(sorted(BOX_CHARS)) + "]")
_BOX_CHAR_LIST = tuple(sorted(BOX_CHARS))


def any_box_char(text: str) -> bool:
    """``ANY_BOX_CHAR.search(text) is not None``, by a substring search per character: on a text with
    none (most), 17 fast scans beat one character-class regex scan (10 KB: 0.01 against 0.09 ms)."""
    return any(ch in text for ch in _BOX_CHAR_LIST)


_last: tuple[NormText, Layout, tuple[str, ...], str] | None = None


def _table(doc: NormText, layout: Layout) -> tuple[NormText, Layout, tuple[str, ...], str]:
    global _last
    last = _last  # one read: another thread may replace it
    if last is not None and last[0] is doc and last[1] is layout:
        return last
    regions = table_regions(layout, len(doc.lines))
    spans = regions.values() if regions else ((0, len(doc.lines)),)
    # the non-blank lines (those that strip to something) picked in C: no Python step per line
    lines = tuple(chain.from_iterable(compress(seg, map(str.strip, seg)) for seg in (doc.lines[a:b] for a, b in spans)))
    last = _last = (doc, layout, lines, "\n".join(lines))
    return last


def table_lines(doc: NormText, layout: Layout) -> tuple[str, ...]:
    """The non-blank lines of the table regions, or of the whole text when no section was found.

    Every parser's ``detect`` asks for the same document in turn, so the last answer is kept.
    """
    return _table(doc, layout)[2]


def table_text(doc: NormText, layout: Layout) -> str:
    """:func:`table_lines` joined by newlines: one C-level search rules a layout out for all lines."""
    return _table(doc, layout)[3]


def table_share(doc: NormText, layout: Layout, predicate: Callable[[str], bool]) -> float:
    """The share of :func:`table_lines` for which ``predicate`` holds (0 when there are none).

    They are all non-blank already, so the count is one C-level map with no test of its own.
    """
    lines = _table(doc, layout)[2]
    return sum(map(predicate, lines)) / len(lines) if lines else 0.0


# A line that word_cell() accepts, found from the newline before it (the text gets one in front): the
# search skips from newline to newline in C, where a call per line costs more than the whole scan.
_WORD_CELL_LINE = re.compile(r"\n(?=\t[^\t\n]*(?![^\n]))")


def word_cell_share(doc: NormText, layout: Layout) -> float:
    """``table_share(doc, layout, word_cell)`` by one regex over the table text."""
    _, _, lines, text = _table(doc, layout)
    return len(_WORD_CELL_LINE.findall("\n" + text)) / len(lines) if lines else 0.0


_CELL = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?|/|—|-")


def spaced_cells(line: str) -> bool:
    """The line ends in three or more space-separated cells."""
    if "\t" in line or "|" in line:
        return False
    # Same answer as _CELLS_AT_END.search, but only the last three tokens are looked at: the regex's
    # {2,} repeat retries from every start on a long run of cells (quadratic, a mark stack that grows
    # with the run: minutes and hundreds of MB on a 1 MB line of numbers).
    if line.isprintable():  # no white space but " ": rsplit(None) splits exactly where the regex does
        parts = line.rsplit(None, 3)
        if len(parts) < 3:
            return False
        cell = _CELL.fullmatch
        return cell(parts[-1]) is not None and cell(parts[-2]) is not None and cell(parts[-3]) is not None
    end = len(line)
    for _ in range(3):
        while end and line[end - 1] == " ":
            end -= 1
        if not end:
            return False
        start = line.rfind(" ", 0, end) + 1
        if _CELL.fullmatch(line, start, end) is None:
            return False
        end = start
    return True


# Some line is tabbed(): two tabs on one line, or a tab with other text on both sides. Starts with a
# tab, so the search jumps from tab to tab in C; a text whose tabs all lead word cells has no match.
ANY_TABBED = re.compile(r"\t(?:[^\n]*\t|(?<=[^\t\n]\t)[^\t\n])")


def tabbed(line: str) -> bool:
    return "\t" in line.strip("\t") or line.count("\t") >= 2


def word_cell(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:]


def piped(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") or s.endswith("|") or " | " in s


def boxed(line: str) -> bool:
    return not BOX_CHARS.isdisjoint(line)


def boxed_share(doc: NormText, layout: Layout) -> float:
    """``table_share(doc, layout, boxed)`` with no Python call per line."""
    lines = _table(doc, layout)[2]
    return (len(lines) - sum(map(BOX_CHARS.isdisjoint, lines))) / len(lines) if lines else 0.0
