"""Whole reports in well under a millisecond, for properties that need hundreds of examples.

``govreport.testing.reports()`` draws each of a report's ~200 cells through Hypothesis, which costs
tens of milliseconds an example; the layout-class properties need 500 examples each in the default
run. Here Hypothesis draws only a seed and the template, and :mod:`random` fills the cells, with the
same arithmetic as ``reports()`` (every rule holds) and the same shape of numbers (mostly zeros,
some small, a few large). What the properties vary — the layout, the quirks, the row order — is
still drawn by Hypothesis.
"""

from __future__ import annotations

import random
from decimal import Decimal

import attrs
from hypothesis import settings
from hypothesis import strategies as st

from govreport import Cell, Report, Section, Table, TemplateVersion
from govreport.export.render import SECTION_HEADINGS
from govreport.model import SECTION_KEYS
from govreport.template import DELTA, MONEY, TABLE3_OUTCOME_ROWS, template_for

_APPLICANTS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other")
_ORGANS = ("鼓楼区教育局", "西工区人民政府", "秦川市财政局", "滨江县卫生健康委员会", "龙华区市场监督管理局")


def _count(rng: random.Random, big: int) -> int:
    roll = rng.random()
    return 0 if roll < 0.5 else rng.randint(1, 9) if roll < 0.85 else rng.randint(10, big)


def quick_report(seed: int, version: TemplateVersion, big: int = 3000) -> Report:
    """A consistent report (T3.ROW, T3.OUT, T3.BAL and T4.SUM hold) made from ``seed``."""
    rng = random.Random(seed)
    tpl = template_for(version)
    t2: dict[str, dict[str, Cell]] = {}
    for rdef in tpl.table2.rows:
        t2[rdef.id] = {}
        for cdef in rdef.columns:
            if cdef.kind == MONEY:
                value: int | Decimal = Decimal(rng.randint(0, big * 10_000)).scaleb(-rng.randint(0, 4))
            elif cdef.kind == DELTA:
                value = rng.randint(-big, big) if rng.random() < 0.3 else 0
            else:
                value = _count(rng, big * 10)
            t2[rdef.id][cdef.id] = Cell.number(value)
    outcome = TABLE3_OUTCOME_ROWS[version]
    v: dict[str, dict[str, int]] = {r: {} for r in tpl.table3.row_ids}
    for c in _APPLICANTS:
        for r in outcome:
            v[r][c] = _count(rng, big // 10)
        handled = v["total_handled"][c] = sum(v[r][c] for r in outcome)
        v["carried_forward"][c] = _count(rng, big // 10)
        available = handled + v["carried_forward"][c]
        v["carried_over"][c] = rng.randint(0, available)
        v["new_received"][c] = available - v["carried_over"][c]
    for r in tpl.table3.row_ids:
        v[r]["total"] = sum(v[r][c] for c in _APPLICANTS)
    t3 = {r: {c: Cell.number(n) for c, n in cols.items()} for r, cols in v.items()}
    t4: dict[str, dict[str, Cell]] = {}
    for rdef in tpl.table4.rows:
        parts = [_count(rng, big // 100 + 10) for _ in range(4)]
        t4[rdef.id] = {
            c: Cell.number(n)
            for c, n in zip(("upheld", "corrected", "other", "pending", "total"), [*parts, sum(parts)], strict=True)
        }
    lo, hi = (2019, 2020) if version is TemplateVersion.V2019 else (2021, 2025)
    organ = rng.choice(_ORGANS)
    sections = tuple(
        Section(key, num, f"{num}、{words}", "" if key in ("proactive", "requests", "review_litigation") else "无。")
        for key, (num, words) in ((k, SECTION_HEADINGS[k]) for k in SECTION_KEYS)
    )
    return Report(
        organ,
        rng.randint(lo, hi),
        version,
        None,
        Table("table2", version, t2),
        Table("table3", version, t3),
        Table("table4", version, t4),
        sections=sections,
    )


def quick_reports() -> st.SearchStrategy[Report]:
    """Consistent reports of either template, a seed's worth of Hypothesis data each."""
    return st.builds(quick_report, st.integers(0, 2**32 - 1), st.sampled_from(list(TemplateVersion)))


def at_least(n: int) -> settings:
    """The active profile's settings with at least ``n`` examples (the class properties' floor)."""
    return settings(max_examples=max(n, settings.default.max_examples), deadline=None)


def with_table4_total(report: Report, row: str, delta: int) -> Report:
    """``report`` with Table 4's ``row`` total off by ``delta``: T4.SUM broken there, as printed."""
    rows = {r: dict(cols) for r, cols in report.table4.rows.items()}
    total = rows[row]["total"].value
    assert isinstance(total, int)
    rows[row]["total"] = Cell.number(total + delta)
    return attrs.evolve(report, table4=Table("table4", report.template, rows))
