"""The strategies behind :mod:`govreport.testing` (see there for the public names)."""

from __future__ import annotations

import functools
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..export.grids import report_document
from ..export.numbers import NumberFormat
from ..export.render import ALL_LAYOUTS, LAYOUTS, SECTION_HEADINGS, render
from ..model import SECTION_KEYS, Cell, CellStatus, Report, Section, Table
from ..parsers.rows import PLACEHOLDERS
from ..sources.document import Document
from ..template import DELTA, MONEY, TABLE3_OUTCOME_ROWS, TemplateVersion, template_for

__all__ = [
    "RULES",
    "from_layout_grammar",
    "organs",
    "report_documents",
    "report_texts",
    "reports",
    "tables2",
    "tables3",
    "tables4",
]

RULES = ("T3.ROW", "T3.OUT", "T3.BAL", "T4.SUM")
"""The arithmetic rules :func:`reports` can break on purpose (spec §5)."""

_APPLICANTS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other")
_PLACEHOLDER_TEXTS = st.sampled_from(sorted(PLACEHOLDERS))
_YEARS = {TemplateVersion.V2019: (2019, 2020), TemplateVersion.V2021: (2021, 2025)}
_PLACES = ("鼓楼", "西工", "秦川", "滨江", "龙华", "青山", "东湖", "金水", "高新", "南湖", "海淀", "江宁")
_LEVELS = ("区", "县", "市")
_BODIES = (
    "人民政府",
    "人民政府办公室",
    "教育局",
    "公安局",
    "财政局",
    "自然资源和规划局",
    "卫生健康委员会",
    "市场监督管理局",
    "信访局",
    "住房和城乡建设局",
)
_SENTENCES = (
    "{year}年，{organ}认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开工作。",
    "全年通过门户网站主动公开政府信息{n}条，其中政策文件{m}条。",
    "严格落实保密审查制度，按照“先审查、后公开”原则办理。",
    "公开平台建设有待加强，政策解读的形式还不够丰富。",
    "下一步将加强培训，提升政务公开队伍工作质效。",
    "全年未收取信息处理费。",
)


def _check_template(template: object) -> TemplateVersion | None:
    if template is None:
        return None
    try:
        return TemplateVersion(str(template))
    except ValueError:
        raise InvalidArgument(f"template must be '2019', '2021' or None, not {template!r}") from None


def _check_rules(inconsistent: object, consistent: object) -> frozenset[str]:
    if not isinstance(consistent, bool):
        raise InvalidArgument(f"consistent must be a bool, not {consistent!r}")
    if isinstance(inconsistent, str) or not isinstance(inconsistent, Collection):
        raise InvalidArgument(f"inconsistent must be a collection of rule names from {RULES}, not {inconsistent!r}")
    rules = frozenset(inconsistent)
    unknown = rules - set(RULES)
    if unknown:
        raise InvalidArgument(f"unknown rules {sorted(unknown)}; choose from {RULES}")
    if rules and consistent:
        raise InvalidArgument("inconsistent=... breaks rules on purpose: pass consistent=False with it")
    return rules


def _check_max(max_value: object) -> int:
    if isinstance(max_value, bool) or not isinstance(max_value, int) or max_value < 1:
        raise InvalidArgument(f"max_value must be a positive int, not {max_value!r}")
    return max_value


@functools.lru_cache(maxsize=256)  # building strategies anew per draw costs more than drawing
def _counts(max_value: int) -> st.SearchStrategy[int]:
    # zeros dominate real tables; a few big numbers exercise thousands separators and wide cells
    small = st.integers(0, min(9, max_value))
    return st.one_of(st.just(0), small, st.integers(0, max_value)) if max_value > 9 else small


@st.composite
def _money(draw: st.DrawFn, max_value: int) -> Decimal:
    places = draw(st.integers(0, 4))
    units = draw(st.integers(0, max_value * 10**places))
    return Decimal(units).scaleb(-places)


def organs() -> st.SearchStrategy[str]:
    """Organ names as printed in report titles: place + 区/县/市 + a body (``鼓楼区教育局``)."""
    return st.builds(
        lambda p, lv, b: f"{p}{lv}{b}", st.sampled_from(_PLACES), st.sampled_from(_LEVELS), st.sampled_from(_BODIES)
    )


def _template_strategy(template: TemplateVersion | None) -> st.SearchStrategy[TemplateVersion]:
    return st.just(template) if template is not None else st.sampled_from(list(TemplateVersion))


@st.composite
def _table2(draw: st.DrawFn, version: TemplateVersion, max_value: int, placeholders: bool) -> Table:
    tdef = template_for(version).table2
    rows: dict[str, dict[str, Cell]] = {}
    for rdef in tdef.rows:
        rows[rdef.id] = {}
        for cdef in rdef.columns:
            if placeholders and draw(st.integers(0, 9)) == 0:
                rows[rdef.id][cdef.id] = Cell(None, draw(_PLACEHOLDER_TEXTS), CellStatus.PLACEHOLDER)
                continue
            value: int | Decimal
            if cdef.kind == MONEY:
                value = draw(_money(max_value))
            elif cdef.kind == DELTA:
                value = draw(st.integers(-max_value, max_value))
            else:
                value = draw(_counts(max_value))
            rows[rdef.id][cdef.id] = Cell.number(value)
    return Table("table2", version, rows)


def tables2(
    *, template: TemplateVersion | str | None = None, max_value: int = 100_000, placeholders: bool = False
) -> st.SearchStrategy[Table]:
    """Table 2 (主动公开): counts, signed 本年增/减 deltas (2019) and 万元 amounts with up to 4 decimals."""
    version = _check_template(template)
    mx = _check_max(max_value)
    if not isinstance(placeholders, bool):
        raise InvalidArgument(f"placeholders must be a bool, not {placeholders!r}")
    return _template_strategy(version).flatmap(lambda v: _table2(v, mx, placeholders))


@st.composite
def _table3(
    draw: st.DrawFn, version: TemplateVersion, max_value: int, consistent: bool, breaks: frozenset[str]
) -> Table:
    tdef = template_for(version).table3
    outcome = TABLE3_OUTCOME_ROWS[version]
    # keep every column total within max_value so the numbers stay as realistic as the draw asks
    per_cell = max(1, max_value // (4 * len(outcome)))
    v: dict[str, dict[str, int]] = {r: {} for r in tdef.row_ids}
    if not consistent and not breaks:
        for r in tdef.row_ids:
            for c in (*_APPLICANTS, "total"):
                v[r][c] = draw(_counts(max_value))
    else:
        for c in _APPLICANTS:
            for r in outcome:
                v[r][c] = draw(_counts(per_cell))
            handled = sum(v[r][c] for r in outcome)
            v["total_handled"][c] = handled
            v["carried_forward"][c] = draw(_counts(per_cell))
            available = handled + v["carried_forward"][c]
            v["carried_over"][c] = draw(st.integers(0, available))
            v["new_received"][c] = available - v["carried_over"][c]
        for r in tdef.row_ids:
            v[r]["total"] = sum(v[r][c] for c in _APPLICANTS)
        _break_table3(draw, v, breaks)
    rows = {r: {c: Cell.number(n) for c, n in cols.items()} for r, cols in v.items()}
    return Table("table3", version, rows)


def _break_table3(draw: st.DrawFn, v: dict[str, dict[str, int]], breaks: frozenset[str]) -> None:
    """Break exactly the chosen rules, each with paired edits that leave the other rules intact."""
    d = draw(st.integers(1, 9))
    if "T3.ROW" in breaks:
        # both row totals grow by d: the sides of T3.BAL grow alike and no outcome row changes
        v["new_received"]["total"] += d
        v["carried_forward"]["total"] += d
    if "T3.OUT" in breaks:
        c = draw(st.sampled_from(_APPLICANTS))
        # (七)总计 grows by d with no outcome row behind it (T3.OUT fails); new_received grows by 2d
        # to match carried_forward's d on the other side, so T3.BAL and every T3.ROW still hold
        v["total_handled"][c] += d
        v["total_handled"]["total"] += d
        v["carried_forward"][c] += d
        v["carried_forward"]["total"] += d
        v["new_received"][c] += 2 * d
        v["new_received"]["total"] += 2 * d
    if "T3.BAL" in breaks:
        c = draw(st.sampled_from(_APPLICANTS))
        v["carried_over"][c] += d
        v["carried_over"]["total"] += d


def tables3(
    *,
    template: TemplateVersion | str | None = None,
    consistent: bool = True,
    inconsistent: Collection[str] = (),
    max_value: int = 100_000,
) -> st.SearchStrategy[Table]:
    """Table 3 (依申请): consistent tables satisfy T3.ROW, T3.OUT and T3.BAL.

    ``inconsistent`` names the Table 3 rules to break (each fails at least once, the others hold);
    ``consistent=False`` with no rules named gives unconstrained numbers.
    """
    version = _check_template(template)
    breaks = _check_rules(inconsistent, consistent)
    if "T4.SUM" in breaks:
        raise InvalidArgument("T4.SUM is a Table 4 rule; use tables4(consistent=False)")
    mx = _check_max(max_value)
    return _template_strategy(version).flatmap(lambda v: _table3(v, mx, consistent, breaks))


@st.composite
def _table4(draw: st.DrawFn, version: TemplateVersion, max_value: int, consistent: bool, broken: bool) -> Table:
    tdef = template_for(version).table4
    rows: dict[str, dict[str, Cell]] = {}
    bad = draw(st.sampled_from(tdef.row_ids)) if broken else None
    for rdef in tdef.rows:
        parts = [draw(_counts(max(1, max_value // 4))) for _ in range(4)]
        total = sum(parts) if consistent or broken else draw(_counts(max_value))
        if rdef.id == bad:
            total += draw(st.integers(1, 9))
        cols = dict(zip(("upheld", "corrected", "other", "pending"), parts, strict=True))
        cols["total"] = total
        rows[rdef.id] = {c: Cell.number(n) for c, n in cols.items()}
    return Table("table4", version, rows)


def tables4(
    *,
    template: TemplateVersion | str | None = None,
    consistent: bool = True,
    inconsistent: Collection[str] = (),
    max_value: int = 1000,
) -> st.SearchStrategy[Table]:
    """Table 4 (复议、诉讼): consistent tables satisfy T4.SUM; ``inconsistent=("T4.SUM",)`` breaks one row."""
    version = _check_template(template)
    breaks = _check_rules(inconsistent, consistent)
    if breaks - {"T4.SUM"}:
        raise InvalidArgument(f"{sorted(breaks - {'T4.SUM'})} are Table 3 rules; use tables3()")
    mx = _check_max(max_value)
    return _template_strategy(version).flatmap(lambda v: _table4(v, mx, consistent, "T4.SUM" in breaks))


@st.composite
def _sections(draw: st.DrawFn, organ: str, year: int) -> tuple[Section, ...]:
    out = []
    for key in SECTION_KEYS:
        number, words = SECTION_HEADINGS[key]
        if key in ("proactive", "requests", "review_litigation"):
            text = ""
        else:
            picks = draw(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=3))
            n = draw(st.integers(0, 5000))
            text = "".join(s.format(year=year, organ=organ, n=n, m=n // 3) for s in picks)
        out.append(Section(key, number, f"{number}、{words}", text))
    return tuple(out)


@st.composite
def _report(
    draw: st.DrawFn,
    version: TemplateVersion,
    consistent: bool,
    breaks: frozenset[str],
    placeholders: bool,
    max_value: int,
) -> Report:
    organ = draw(organs())
    lo, hi = _YEARS[version]
    year = draw(st.integers(lo, hi))
    t2 = draw(_table2(version, max_value, placeholders))
    t3 = draw(_table3(version, max_value, consistent or bool(breaks), breaks - {"T4.SUM"}))
    # naming rules to break keeps every other rule intact, Table 4's included
    t4 = draw(_table4(version, max(1, max_value // 100), consistent or bool(breaks), "T4.SUM" in breaks))
    if placeholders:
        # a placeholder makes the rules through its cell not assessable, as in real reports
        t3, t4 = draw(_sprinkle(t3)), draw(_sprinkle(t4))
    sections = draw(_sections(organ, year))
    return Report(organ, year, version, None, t2, t3, t4, sections=sections)


@st.composite
def _sprinkle(draw: st.DrawFn, table: Table) -> Table:
    """``table`` with now and then a cell printed as a placeholder instead of its number."""
    rows = {r: dict(cols) for r, cols in table.rows.items()}
    for cols in rows.values():
        for c in cols:
            if draw(st.integers(0, 29)) == 0:
                cols[c] = Cell(None, draw(_PLACEHOLDER_TEXTS), CellStatus.PLACEHOLDER)
    return Table(table.id, table.template, rows)


def reports(
    *,
    template: TemplateVersion | str | None = None,
    consistent: bool = True,
    inconsistent: Collection[str] = (),
    placeholders: bool = False,
    max_value: int = 100_000,
) -> st.SearchStrategy[Report]:
    """Whole reports of either template (or the one given).

    Args:
        template: ``"2019"``, ``"2021"`` or None for both. Years follow the template: 2019–2020 for
            the 2019 format, 2021–2025 for the 2021 one.
        consistent: satisfy T3.ROW, T3.OUT, T3.BAL and T4.SUM. ``False`` alone gives unconstrained
            numbers.
        inconsistent: rules of :data:`RULES` to break (needs ``consistent=False``): each named rule
            fails at least once, the others still hold.
        placeholders: let cells of every table be placeholders ("/", "—", "无" …) now and then.
        max_value: the largest count drawn; Table 3 column totals stay within it.
    """
    version = _check_template(template)
    breaks = _check_rules(inconsistent, consistent)
    mx = _check_max(max_value)
    if not isinstance(placeholders, bool):
        raise InvalidArgument(f"placeholders must be a bool, not {placeholders!r}")
    return _template_strategy(version).flatmap(lambda v: _report(v, consistent, breaks, placeholders, mx))


_any_reports = reports  # report_texts() has a parameter of the same name

_KNOBS = (
    "wrap_labels",
    "split_groups",
    "furniture",
    "radicals",
    "fullwidth_digits",
    "blank_lines",
    "thousands",
    "padding",
    "wrap_cells",
)


@st.composite
def _knobs(draw: st.DrawFn) -> dict[str, bool]:
    return {k: draw(st.booleans()) for k in _KNOBS}


def report_texts(
    *,
    layout: str | None = None,
    quirks: bool = True,
    reports: st.SearchStrategy[Report] | None = None,
    shuffled_rows: bool = False,
    one_line: bool = False,
) -> st.SearchStrategy[tuple[str, Report]]:
    """``(text, report)``: a report from ``reports`` rendered with :func:`govreport.export.render`.

    Args:
        layout: one of :data:`govreport.export.render.ALL_LAYOUTS`, or None to draw one of
            :data:`~govreport.export.render.LAYOUTS` (the ``flat`` text of a crawler is asked for by name).
        quirks: draw the render knobs (wrapped labels, page furniture, radicals …) too.
        reports: where reports come from; defaults to ``reports()`` with modest numbers.
        shuffled_rows: print Table 3's rows out of the template's order (``row_order``): two rows
            swapped, or all of them shuffled, each with its own label.
        one_line: the whole page on one line (``one_line``), as a crawler keeps it; such text is
            read by the ``flat`` parser whatever the layout it was drawn in.
    """
    if layout is not None and layout not in ALL_LAYOUTS:
        raise InvalidArgument(f"layout must be one of {ALL_LAYOUTS} or None, not {layout!r}")
    for name, flag in (("quirks", quirks), ("shuffled_rows", shuffled_rows), ("one_line", one_line)):
        if not isinstance(flag, bool):
            raise InvalidArgument(f"{name} must be a bool, not {flag!r}")
    if reports is not None and not isinstance(reports, st.SearchStrategy):
        raise InvalidArgument(f"reports must be a strategy of Report, not {reports!r}")
    source = reports if reports is not None else _any_reports(max_value=20_000)
    layouts = st.just(layout) if layout is not None else st.sampled_from(LAYOUTS)
    knobs: st.SearchStrategy[dict[str, bool]] = _knobs() if quirks else st.just({})

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[str, Report]:
        report = draw(source)
        chosen = draw(layouts)
        order = draw(_row_orders(report.template)) if shuffled_rows else None
        text = render(report, chosen, **draw(knobs), row_order=order, one_line=one_line)
        return text, report

    return pairs()


def report_documents(
    *,
    quirks: bool = True,
    reports: st.SearchStrategy[Report] | None = None,
) -> st.SearchStrategy[tuple[Document, Report]]:
    """``(document, report)``: a report laid out as a published document.

    See :func:`govreport.export.grids.report_document`.

    The tables are grids with the official form's merged cells; ``quirks`` also draws the documents'
    own quirks: Table 3 split into two tables (with or without its header repeated), an unrelated
    table in section 一, labels wrapped inside their cells, numbers with thousands separators, amounts
    with four decimal places, full-width digits.
    """
    if not isinstance(quirks, bool):
        raise InvalidArgument(f"quirks must be a bool, not {quirks!r}")
    if reports is not None and not isinstance(reports, st.SearchStrategy):
        raise InvalidArgument(f"reports must be a strategy of Report, not {reports!r}")
    source = reports if reports is not None else _any_reports(max_value=20_000)

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[Document, Report]:
        report = draw(source)
        knobs: dict[str, Any] = {}
        if quirks:
            rows = len(report.table3.definition.rows)
            knobs = {
                "split_table3": draw(st.none() | st.integers(1, rows - 1)),
                "repeat_header": draw(st.booleans()),
                "extra_table": draw(st.booleans()),
                "wrapped_labels": draw(st.booleans()),
                "numbers": draw(
                    st.none()
                    | st.builds(
                        NumberFormat, thousands=st.booleans(), places=st.none() | st.just(4), fullwidth=st.booleans()
                    )
                ),
            }
        return report_document(report, **knobs), report

    return pairs()


@st.composite
def _row_orders(draw: st.DrawFn, version: TemplateVersion) -> list[str]:
    """Table 3's row ids out of order: two rows swapped (the usual slip), or all shuffled."""
    ids = list(template_for(version).table3.row_ids)
    if draw(st.booleans()):
        return draw(st.permutations(ids))
    a, b = draw(st.lists(st.integers(0, len(ids) - 1), min_size=2, max_size=2, unique=True))
    ids[a], ids[b] = ids[b], ids[a]
    return ids


_GRAMMARS: dict[str, Any] = {}


def from_layout_grammar(name: str, **explicit: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Strings the packaged grammar ``grammars/{name}.lark`` accepts (``hypothesis.extra.lark.from_lark``).

    ``explicit`` gives strategies for terminals by name, as ``from_lark`` does.
    """
    given: object = name  # callers without a type checker pass anything
    if not isinstance(given, str) or not given.isidentifier():
        raise InvalidArgument(f"name must be a grammar name such as 'space', not {name!r}")
    for terminal, strategy in explicit.items():
        if not isinstance(strategy, st.SearchStrategy):
            raise InvalidArgument(f"explicit[{terminal!r}] must be a strategy, not {strategy!r}")
    from hypothesis.extra.lark import from_lark
    from lark import Lark

    if name not in _GRAMMARS:
        try:
            _GRAMMARS[name] = Lark.open_from_package("govreport", f"{name}.lark", ("grammars",), parser="lalr")
        except OSError:  # lark reports a grammar it cannot find as a bare IOError
            raise InvalidArgument(f"govreport has no grammar named {name!r}") from None
    return from_lark(_GRAMMARS[name], explicit=dict(explicit) if explicit else None)
