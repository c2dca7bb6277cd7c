"""Numbers the prose states: "本年新收…申请N件", "行政复议N件", "其中规范性文件6件".

Reading them is a text matter; comparing them with the tables is :mod:`govreport.checks.narrative`'s
(TXT.*), and the flattened-text readers use :func:`stated_issued` to settle a Table 2 reading.
Each kind of statement lists the readings the spec allows: the cells whose sum the number may be.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["KINDS", "Statement", "stated_issued", "statements"]

_T3, _T4 = "table3", "table4"  # the tables a statement can be about


@attrs.frozen
class _Kind:
    code: str
    keyword: re.Pattern[str]
    what: str
    # each reading: the cells (table, row, column) whose sum the number should equal
    readings: tuple[tuple[tuple[str, str, str], ...], ...]
    # every match of ``keyword`` contains one of these: a clause with none of them is not searched
    needs: tuple[str, ...]


def _t3(*rows: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((_T3, r, "total") for r in rows)


_NEW, _CO, _TH, _CF = "new_received", "carried_over", "total_handled", "carried_forward"
KINDS: tuple[_Kind, ...] = (
    _Kind(
        "TXT.CARRIED_FORWARD",
        re.compile(r"结转(?:至|到)?下一?年度?|转入下一?年度?"),
        "结转下年度",
        (_t3(_CF),),
        ("结转", "转入"),
    ),
    _Kind("TXT.CARRIED_OVER", re.compile(r"上一?年度?结转"), "上年结转", (_t3(_CO),), ("结转",)),
    _Kind("TXT.NEW", re.compile(r"新收"), "本年新收", (_t3(_NEW),), ("新收",)),
    _Kind(
        "TXT.LITIGATION",
        re.compile(r"行政诉讼|起诉"),
        "行政诉讼",
        (((_T4, "litigation_direct", "total"), (_T4, "litigation_after_review", "total")),),
        ("行政诉讼", "起诉"),
    ),
    _Kind("TXT.REVIEW", re.compile(r"行政复议"), "行政复议", (((_T4, "review", "total"),),), ("行政复议",)),
    _Kind(
        "TXT.RECEIVED",
        re.compile(r"收到|受理"),
        "收到/受理",
        (_t3(_NEW), _t3(_NEW, _CO), _t3(_TH), _t3(_TH, _CF)),
        ("收到", "受理"),
    ),
    _Kind(
        "TXT.HANDLED",
        re.compile(r"办结|答复|办理完毕"),
        "办结/答复",
        (_t3(_TH), _t3(_NEW), _t3(_NEW, _CO)),
        ("办结", "答复", "办理完毕"),
    ),
)

_NUMBER = re.compile(r"(\d+)(?:件|起|宗)")
_CLAUSE = re.compile(r"[，,：:；;。！？!?（）()]")
# a single line break is wrapping (even inside "105\n件"); only a blank line ends a sentence. The split
# by this pattern is the definition (tests/test_narrative.py); _stating_sentences finds the same cuts faster
_SENTENCE = re.compile(r"(?<=[。；;！？!?])|\n\s*\n")
# a year-on-year comparison or a breakdown by channel/applicant is not the headline figure
_SKIP = re.compile(r"同比|环比|增加|减少|增长|下降|比上年|较上年|上升")
_BREAKDOWN = re.compile(r"自然人|法人|企业|当面|网络|网上|信函|邮件|传真|电话|其中.{0,4}[维纠]")


@attrs.frozen
class Statement:
    """A number the narrative states, which kind it is, and the sentence it was read from."""

    kind: str
    value: int
    sentence: str


def statements(text: str) -> list[Statement]:
    """Every recognised ``<keyword> … N件/起`` statement of a section's text, in order."""
    out: list[Statement] = []
    for sentence in _stating_sentences(text):
        for clause in _CLAUSE.split(sentence):
            m = _NUMBER.search(clause)
            if m is None:
                continue
            head = clause[: m.start()]
            # most numbers of a breakdown ("当面申请2件") name no kind: spare the other searches
            if _ANY_NEED.search(head) is None or _SKIP.search(clause):
                continue
            best: tuple[int, _Kind] | None = None
            for kind in KINDS:
                for need in kind.needs:
                    if need in head:
                        break
                else:
                    continue
                for k in kind.keyword.finditer(head):
                    if best is None or k.end() > best[0]:
                        best = (k.end(), kind)
            if best is None or _BREAKDOWN.search(clause[best[0] : m.start()]):
                continue
            out.append(Statement(best[1].code, int(m.group(1)), sentence))
    return out


_UNITS = ("件", "起", "宗")
_ENDS = "。；;！？!?"  # the sentence ends of _SENTENCE
_BLANK = re.compile(r"\n\s*\n")
_ANY_NEED = re.compile("|".join(re.escape(need) for kind in KINDS for need in kind.needs))


def _stating_sentences(text: str) -> list[str]:
    """The sentences (as _SENTENCE splits and :func:`statements` joins them) that can hold a
    statement: those with a digit before 件/起/宗, white space between.

    A section runs to dozens of sentences and states a handful of numbers; splitting all of it by
    the look-behind of _SENTENCE cost more than the rest of the narrative checks, while ``str.find``
    locates the next unit character and the sentence ends around it at C speed. Every search is
    bounded by the best position found so far, so none runs past the sentence it is looking for.
    """
    units = [u for u in _UNITS if u in text]
    if not units:
        return []
    ends = [e for e in _ENDS if e in text]
    n = len(text)
    out: list[str] = []
    taken = 0  # sentences partition the text: the next one starts at or after the last one's end
    pos = 0  # where the next unit is looked for
    while True:
        i = n
        for u in units:
            k = text.find(u, pos, i)
            if k >= 0:
                i = k
        if i == n:
            return out
        j = i - 1
        while j >= taken and text[j].isspace():
            j -= 1
        if j < taken or not text[j].isdecimal():  # \d is a Unicode decimal, as str.isdecimal
            pos = i + 1
            continue
        start, stop = taken, n
        for e in ends:
            k = text.rfind(e, start, i)
            if k >= 0:
                start = k + 1
            k = text.find(e, i, stop)
            if k >= 0:
                stop = k + 1
        # a blank line ends a sentence too; a unit is not white space, so never inside a blank run
        for b in _BLANK.finditer(text, start, stop):
            if b.end() <= i:
                start = b.end()
            else:
                stop = b.start()
                break
        out.append("".join(text[start:stop].split()))
        taken = pos = stop


_ISSUED = {
    "normative_documents": re.compile(r"(?:行政)?规范性文件\s*(\d+)\s*[件个份]"),
    "regulations": re.compile(r"规章\s*(\d+)\s*[件个份]"),
}


def stated_issued(narrative: str, row_id: str) -> tuple[int, str] | None:
    """The count of Table 2 row ``row_id`` (2021 form: its 本年制发件数) the narrative states
    ("其中规范性文件6件"), and the sentence around it; None when the text states none.

    Table 2 has no arithmetic, so this is the one text-internal evidence that can settle a Table 2
    reading; the parsers that use it say so in a warning quoting the sentence."""
    pattern = _ISSUED.get(row_id)
    m = pattern.search(narrative) if pattern else None
    if m is None:
        return None
    # the sentence as printed, without the line breaks wrapping put inside it
    return int(m.group(1)), re.sub(r"\s*\n\s*", "", narrative[max(0, m.start() - 20) : m.end()].strip())
