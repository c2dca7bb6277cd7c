"""Checks across several years of one body's reports (X.CARRY, X.T2STOCK).

Reports are grouped by organ and compared only for consecutive years: a gap means a missing report,
and comparing across it would blame the wrong year. Every finding is a warning — carry-over figures
are restated and normative documents revised often enough that the prose of both reports, not the
checker, has the last word.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import CellRef, Diagnostic
from ..model import Report
from ..template import APPLICANT_COLUMNS, TemplateVersion
from .rules import rule

__all__ = ["check_series"]


def check_series(reports: Iterable[Report]) -> tuple[Diagnostic, ...]:
    """X.CARRY per Table 3 column and X.T2STOCK (2021 format) for each consecutive pair of years.

    Reports without a year are ignored; when one organ has two reports for a year, the later one in
    ``reports`` wins. Diagnostics name the later year's cells (the ones the finding is about) and the
    earlier year's in ``cells``/``detail``.
    """
    by_organ: dict[str | None, dict[int, Report]] = {}
    for r in reports:
        if r.year is not None:
            by_organ.setdefault(r.organ, {})[r.year] = r
    out: list[Diagnostic] = []
    for years in by_organ.values():
        for year in sorted(years):
            prev = years.get(year - 1)
            if prev is not None:
                out += _carry(prev, years[year])
                out += _stock(prev, years[year])
    return tuple(out)


def _carry(prev: Report, cur: Report) -> list[Diagnostic]:
    out = []
    for c in (*APPLICANT_COLUMNS, "total"):
        now = cur.table3.rows["carried_over"][c]
        before = prev.table3.rows["carried_forward"][c]
        if now.value is None or before.value is None or now.value == before.value:
            continue  # a blank or placeholder is not assessable
        out.append(
            Diagnostic(
                "X.CARRY",
                rule("X.CARRY").severity,
                f"X.CARRY {cur.organ} {cur.year} {c}: 上年结转 is {now.value}, "
                f"but the {prev.year} report carried {before.value} forward",
                f"X.CARRY {cur.organ} {cur.year} {c}：上年结转为 {now.value}，"
                f"{prev.year} 年报告结转下年度为 {before.value}",
                table="table3",
                row="carried_over",
                column=c,
                cells=(
                    CellRef("table3", "carried_over", c, now.value, now.span),
                    CellRef("table3", "carried_forward", c, before.value, before.span),
                ),
                expected=before.value,
                actual=now.value,
                difference=now.value - before.value,
                span=now.span,
                detail=f"{cur.year} {cur.source.path or ''} vs {prev.year} {prev.source.path or ''}".strip(),
            )
        )
    return out


def _stock(prev: Report, cur: Report) -> list[Diagnostic]:
    if cur.template is not TemplateVersion.V2021 or prev.template is not TemplateVersion.V2021:
        return []  # the 2019 form has no 现行有效 column to carry
    out = []
    for row in ("regulations", "normative_documents"):
        was = prev.table2.rows[row]["in_force"]
        now = cur.table2.rows[row]
        cells = (was, now["issued"], now["repealed"], now["in_force"])
        if not all(x.is_number and x.value is not None for x in cells):
            continue
        expected = int(was.value or 0) + int(now["issued"].value or 0) - int(now["repealed"].value or 0)
        actual = int(now["in_force"].value or 0)
        if expected == actual:
            continue
        out.append(
            Diagnostic(
                "X.T2STOCK",
                rule("X.T2STOCK").severity,
                f"X.T2STOCK {cur.organ} {cur.year} {row}: {actual} in force, but {prev.year}'s {was.value} "
                f"+ {now['issued'].value} issued − {now['repealed'].value} repealed = {expected}",
                f"X.T2STOCK {cur.organ} {cur.year} {row}：现行有效 {actual} 件，上年 {was.value} 件加本年制发"
                f" {now['issued'].value} 件减废止 {now['repealed'].value} 件为 {expected} 件",
                table="table2",
                row=row,
                column="in_force",
                cells=(
                    CellRef("table2", row, "in_force", was.value, was.span),
                    CellRef("table2", row, "issued", now["issued"].value, now["issued"].span),
                    CellRef("table2", row, "repealed", now["repealed"].value, now["repealed"].span),
                    CellRef("table2", row, "in_force", now["in_force"].value, now["in_force"].span),
                ),
                expected=expected,
                actual=actual,
                difference=actual - expected,
                span=now["in_force"].span,
                detail="soft rule: revisions and re-issues of documents break it",
            )
        )
    return out
