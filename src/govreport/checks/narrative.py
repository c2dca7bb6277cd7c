"""What the prose says against what the tables say (TXT.*), and the two prose quality checks (Q.*).

Reports phrase their numbers loosely: "收到申请N件" is used for 本年新收 as often as for everything on
the desk, "答复N件" for （七）总计 or for 本年新收. So every kind of statement accepts each reading the
spec allows, a kind is flagged only when *no* statement of that kind fits the table, and nothing
here is ever an error: the table, not the prose, is the record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..diagnostics import CellRef, Diagnostic
from ..model import LazyRows, Section, Table
from ..text.statements import KINDS, statements
from .rules import rule

__all__ = ["narrative_checks", "quality_checks", "year_checks"]

_T3, _T4 = "table3", "table4"


def _lookup(tables: dict[str, Table]) -> Callable[[tuple[str, str, str]], int | None]:
    def get(ref: tuple[str, str, str]) -> int | None:
        rows = tables[ref[0]].rows
        if isinstance(rows, LazyRows):  # its value grid: a lookup in the rows would build a row of cells
            value = rows.numbers()[ref[1]][ref[2]]
            return None if value is None else int(value)
        cell = rows[ref[1]][ref[2]]
        return int(cell.value) if cell.is_number and cell.value is not None else None

    return get


def narrative_checks(sections: Sequence[Section], table3: Table, table4: Table) -> list[Diagnostic]:
    """TXT.* warnings: one per kind of statement in section 一 of which no instance fits the tables."""
    overview = next((s for s in sections if s.key == "overview"), None)
    if overview is None:
        return []
    tables = {_T3: table3, _T4: table4}
    get = _lookup(tables)
    found = statements(overview.text)
    out: list[Diagnostic] = []
    for kind in KINDS:
        mine = [s for s in found if s.kind == kind.code]
        if not mine:
            continue  # nothing said: the tables need not be read (a lazy table builds a row on lookup)
        sums: list[tuple[int, tuple[tuple[str, str, str], ...]]] = []
        for reading in kind.readings:
            values = [get(ref) for ref in reading]
            if all(v is not None for v in values):
                sums.append((sum(v for v in values if v is not None), reading))
        if not sums or any(s.value == total for s in mine for total, _ in sums):
            continue  # nothing assessable, or one reading fits
        st = mine[0]
        expected, reading = sums[0]
        readings = " or ".join(str(total) for total, _ in sums)
        refs = tuple(
            dict.fromkeys(
                CellRef(t, r, c, tables[t].rows[r][c].value, tables[t].rows[r][c].span)
                for _, rd in sums
                for t, r, c in rd
            )
        )
        first = reading[0]
        out.append(
            Diagnostic(
                kind.code,
                rule(kind.code).severity,
                f"{kind.code}: section 一 says {kind.what} {st.value} — “{st.sentence}” — the tables give {readings}",
                f"{kind.code}：第一部分称{kind.what}{st.value}件（“{st.sentence}”），表中为 {readings}",
                table=first[0],
                row=first[1],
                column=first[2],
                cells=refs,
                expected=expected,
                actual=st.value,
                difference=st.value - expected,
                span=overview.span,
                detail=st.sentence,
            )
        )
    return out


_EMPTY = re.compile(r"^(?:无|暂无|没有|无其他需要报告的事项|本年度无|不适用)?$")
_PUNCT = re.compile(r"[\s。.，,、；;：:（）()“”\"'-—]+")


def _bare(text: str) -> str:
    return _PUNCT.sub("", text)


_SAYS_LITTLE = 10
"""The longest text _EMPTY accepts; Q.SEC5 takes a text this short as saying nothing too."""


def _bare_head(text: str) -> str:
    """``_bare(text)``, or a prefix of it too long to say nothing: a section can run to pages."""
    head = _bare(text[: 4 * _SAYS_LITTLE])  # _bare drops characters one by one: its prefix is a prefix
    return head if len(head) > _SAYS_LITTLE else _bare(text)


def quality_checks(sections: Sequence[Section], table2: Table) -> list[Diagnostic]:
    """Q.SEC5 (section 五 says nothing) and Q.SEC6FEE (fees charged but section 六 says 无)."""
    out: list[Diagnostic] = []
    by_key = {s.key: s for s in sections}
    problems = by_key.get("problems")
    if problems is not None:
        bare = _bare_head(problems.text)
        if _EMPTY.match(bare) or len(bare) < _SAYS_LITTLE:
            out.append(
                Diagnostic(
                    "Q.SEC5",
                    rule("Q.SEC5").severity,
                    f"Q.SEC5: section 五 ({problems.heading}) is empty or says almost nothing: "
                    f"{problems.text.strip()!r}",
                    f"Q.SEC5：第五部分（{problems.heading}）为空或内容过少",
                    span=problems.span,
                    detail=problems.text.strip(),
                )
            )
    other = by_key.get("other")
    if other is None:
        return out  # the fee need not be read: a lazy table builds its row on lookup
    fee_row = table2.rows.get("administrative_fees", {})
    fee = fee_row.get("amount")
    charged = fee is not None and fee.is_number and fee.value is not None and fee.value > 0
    if fee is not None and charged and _EMPTY.match(_bare_head(other.text)):
        out.append(
            Diagnostic(
                "Q.SEC6FEE",
                rule("Q.SEC6FEE").severity,
                f"Q.SEC6FEE: Table 2 reports 行政事业性收费 {fee.value} 万元 "
                f"but section 六 says {other.text.strip()!r}",
                f"Q.SEC6FEE：表二行政事业性收费为 {fee.value} 万元，第六部分却为“{other.text.strip()}”",
                table="table2",
                row="administrative_fees",
                column="amount",
                cells=(CellRef("table2", "administrative_fees", "amount", fee.value, fee.span),),
                span=other.span,
                detail=other.text.strip(),
            )
        )
    return out


# Phrases that can only name the report's own year: a mismatch is a copy from another year's report.
_OWN_YEAR = (
    re.compile(r"公布\s*((?:19|20)\d{2})\s*年度?(?:本机关|本单位|本级|本部门)?政府信息公开(?:工作)?年度报告"),
    re.compile(
        r"统计(?:期限|时限|时间)为\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日至\s*((?:19|20)\d{2})\s*年\s*12\s*月"
    ),
)


def year_checks(sections: Sequence[Section], year: int) -> list[Diagnostic]:
    """Q.YEAR: section 一 names another year where only the report's own can stand
    ("向社会公布2020年…年度报告", "统计期限为2020年1月1日至2020年12月31日" in a 2021 report)."""
    overview = next((s for s in sections if s.key == "overview"), None)
    if overview is None:
        return []
    text = "".join(overview.text.split())
    out: list[Diagnostic] = []
    for pattern in _OWN_YEAR:
        m = pattern.search(text)
        if m is None:
            continue
        stated = {int(y) for y in m.groups() if y}
        if stated != {year}:
            phrase = m.group(0)
            out.append(
                Diagnostic(
                    "Q.YEAR",
                    rule("Q.YEAR").severity,
                    f"Q.YEAR: the {year} report says {phrase!r}",
                    f"Q.YEAR：{year} 年度报告中写作“{phrase}”",
                    expected=year,
                    actual=min(stated - {year}),
                    span=overview.span,
                    detail=phrase,
                )
            )
    return out
