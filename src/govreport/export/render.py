"""Write a :class:`~govreport.model.Report` back out as text, in the layouts real sources use.

``render(report, layout=...)`` is the inverse the property tests need: ``loads(render(r, layout=L),
parser=L)`` should give back ``r``'s tables, organ, year and template. Each knob switches on one
quirk seen in the wild (spec §7) so the parsers are exercised on the mess they meet, not on a tidy
idealisation. Labels come from :mod:`govreport.template` only; nothing here spells a row label.

Rendering is deterministic: the same report and knobs always give the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from ..model import SECTION_KEYS, Cell, CellStatus, Report, Table
from ..template import (
    SECTION_HEADINGS,
    TABLE3_COLUMN_GROUPS,
    TABLE3_COLUMNS,
    TABLE3_HEADING,
    TABLE3_NOTE,
    TABLE4_COLUMNS,
    RowDef,
    TableDef,
    template_for,
)
from .grids import grid_html, table2_grid, table3_grid, table4_grid
from .numbers import number_text

__all__ = ["ALL_LAYOUTS", "LAYOUTS", "SECTION_HEADINGS", "render"]  # SECTION_HEADINGS: from template, as before

LAYOUTS = ("space", "tab", "markdown", "word_cells", "box")
"""Layouts :func:`render` writes so that the parser of the same name reads every cell back exactly."""

ALL_LAYOUTS = (*LAYOUTS, "flat")
"""Also ``flat``: a crawler's text content, cells run together. Its digit runs can have several
readings, so it reads back exactly only where the template's arithmetic decides (the rest is flagged)."""


_TABLE_SECTIONS = {"proactive": "table2", "requests": "table3", "review_litigation": "table4"}

# Seed 003 came out of a PDF whose font mapped common characters to Kangxi radicals (folded by
# NFKC) and to CJK Radicals Supplement look-alikes (not folded; _text maps them explicitly).
_RADICALS = str.maketrans(
    {"一": "⼀", "二": "⼆", "工": "⼯", "人": "⼈", "行": "⾏", "民": "⺠", "门": "⻔", "长": "⻓"}
)

_WRAP_AT = 24
"""Labels longer than this wrap when ``wrap_labels`` is on (about the width of a PDF table column)."""

_NBSP = "\u00a0"
_IDEOGRAPHIC_SPACE = "\u3000"


@attrs.frozen
class _Knobs:
    wrap_labels: bool
    split_groups: bool
    furniture: bool
    radicals: bool
    fullwidth_digits: bool
    blank_lines: bool
    thousands: bool
    padding: bool
    wrap_cells: bool = False
    row_order: tuple[str, ...] = ()
    stray_cells: bool = False
    merged_cells: bool = False
    html_tables: bool = False


def render(
    report: Report,
    layout: str = "space",
    *,
    wrap_labels: bool = False,
    split_groups: bool = False,
    furniture: bool = False,
    radicals: bool = False,
    fullwidth_digits: bool = False,
    blank_lines: bool = False,
    thousands: bool = False,
    padding: bool = False,
    wrap_cells: bool = False,
    stray_cells: bool = False,
    merged_cells: bool = False,
    one_line: bool = False,
    row_order: Sequence[str] | None = None,
    repeat_tables: int = 1,
    html_tables: bool = False,
) -> str:
    """The report as text in ``layout`` (one of :data:`LAYOUTS`).

    Args:
        report: what to write. Cells print as their value (``number``), their raw text
            (``placeholder``, ``unreadable``) or nothing (``blank``, ``missing``, ``ambiguous``).
        layout: ``space`` (PDF text), ``tab`` (tab-separated), ``markdown`` (pipe tables under
            ``#`` headings), ``word_cells`` (one cell per tab-led line), ``box`` (w3m │ tables) or
            ``flat`` (a crawler's text content: everything run together; layout knobs do not apply).
        wrap_labels: wrap long row labels; in ``space`` the numbers then stand on their own line,
            in ``tab`` the tail of a long label follows the numbers on a line of its own.
        split_groups: print group labels split over lines (``（三）不予\\n\\n公开``); ``space`` only.
        furniture: put a browser print header/footer (date, title, URL, page x/y) inside Table 3;
            ``space`` and ``tab`` only.
        radicals: write some characters as Kangxi / CJK-supplement radicals (⼀⼯⺠⻔ …).
        fullwidth_digits: write digits in cells as full-width digits (U+FF10-U+FF19).
        blank_lines: put an empty line between all lines outside the tables, and between table
            rows in ``space`` (the way pdftotext does).
        thousands: group digits of numbers ≥ 1000 with commas (``1,066``).
        padding: pad ``word_cells`` values with NBSP / U+3000 the way Word exports do.
        wrap_cells: ``box`` only: cells wrap inside their ruled row, as w3m prints them: long labels
            over several lines, some values behind full-width padding (``　0``) and some pushed under
            it onto the next line (``　　`` over ``3``), values of a tall row on its middle line.
        stray_cells: ``space`` only: Table 4's cells set out in columns (as ``pdftotext -layout``
            does) with one of them pushed onto the line below, at its own column.
        merged_cells: ``word_cells`` only: each merged cell's text repeated in every cell it spans, as
            docx2python writes them (group headings, label columns, a short row's last cell).
        one_line: the whole page on one line, every line break and run of white space one space
            (what ``lxml``'s ``text_content()`` keeps of a page whose markup is indented).
        row_order: the Table 3 row ids in the order they are printed (a permutation of the
            template's), each row with its own label: rows printed out of the template's order.
        repeat_tables: print sections 二 to 四 (headings and tables) this many times over, as a
            page that repeats its tables does.
        html_tables: ``markdown`` only: each table as a raw HTML ``<table>`` block with its merged
            cells as ``rowspan``/``colspan`` (the official form's, :mod:`govreport.export.grids`), one
            tag a line, as pandoc writes a Word table it cannot draw with pipes.

    Raises:
        ValueError: ``layout`` is not one of :data:`ALL_LAYOUTS`, ``row_order`` is not a permutation
            of the template's Table 3 rows, or ``repeat_tables`` is below 1.
    """
    order = _row_order(report, row_order)
    if type(repeat_tables) is not int or repeat_tables < 1:  # a bool is no count
        raise ValueError(f"repeat_tables must be a positive int, not {repeat_tables!r}")
    if layout == "flat":
        # what lxml's text_content() or BeautifulSoup's get_text() keep of the web page: every
        # character of text, no separator between cells, rows, headings or paragraphs
        page = render(
            report,
            "space",
            radicals=radicals,
            fullwidth_digits=fullwidth_digits,
            thousands=thousands,
            row_order=order or None,
            repeat_tables=repeat_tables,
        )
        return "".join(page.split()) + "\n"
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(ALL_LAYOUTS)}")
    knobs = _Knobs(
        wrap_labels,
        split_groups,
        furniture,
        radicals,
        fullwidth_digits,
        blank_lines,
        thousands,
        padding,
        wrap_cells,
        order,
        stray_cells,
        merged_cells,
        html_tables,
    )
    writer = _WRITERS[layout]
    out: list[str] = []
    out.extend(_title(report, layout))
    keys = list(SECTION_KEYS)
    tables_at = [k for k, key in enumerate(keys) if key in _TABLE_SECTIONS]
    # the table sections, over again in place (a page that repeats them)
    keys[tables_at[0] : tables_at[-1] + 1] = keys[tables_at[0] : tables_at[-1] + 1] * repeat_tables
    for key in keys:
        out.append(_heading(report, key, layout))
        out.append("")
        table_id = _TABLE_SECTIONS.get(key)
        if table_id is None:
            out.extend(_narrative(report, key))
        else:
            table: Table = getattr(report, table_id)
            out.extend(writer(table, knobs, report))
        out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    if knobs.blank_lines and layout in ("space", "markdown"):
        text = _spread(text)
    if knobs.radicals:
        text = text.translate(_RADICALS)
    if one_line:
        text = " ".join(text.split()) + "\n"
    return text


def _row_order(report: Report, row_order: Sequence[str] | None) -> tuple[str, ...]:
    if row_order is None:
        return ()
    order = tuple(row_order)
    ids = template_for(report.template).table3.row_ids
    if sorted(order) != sorted(ids):
        raise ValueError(f"row_order must be a permutation of the Table 3 row ids {ids}, not {order!r}")
    return () if order == ids else order


# --- document frame --------------------------------------------------------------------------


def _title(report: Report, layout: str) -> list[str]:
    title = report.title
    if title is None:
        organ = report.organ or ""
        year = "" if report.year is None else f"{report.year}年"
        title = f"{organ}{year}政府信息公开工作年度报告"
    return [f"# {title}" if layout == "markdown" else title, ""]


def _heading(report: Report, key: str, layout: str) -> str:
    number, words = SECTION_HEADINGS[key]
    section = report.section(key)
    heading = section.heading if section is not None and section.heading else f"{number}、{words}"
    return f"## {heading}" if layout == "markdown" else heading


def _narrative(report: Report, key: str) -> list[str]:
    section = report.section(key)
    if section is None or not section.text.strip():
        return ["无"]
    lines = section.text.splitlines()
    # a parsed section's text starts with its own heading, which _heading already wrote
    if lines and lines[0].strip() == section.heading.strip():
        lines = lines[1:]
    return [ln for ln in lines if ln.strip()] or ["无"]


def _spread(text: str) -> str:
    return "\n\n".join(ln for ln in text.split("\n") if ln.strip()) + "\n"


# --- cells -----------------------------------------------------------------------------------


def _cell(cell: Cell, kind: str, knobs: _Knobs) -> str:
    if cell.status is CellStatus.NUMBER:
        v = cell.value
        assert v is not None  # Cell's validator guarantees a value for 'number'
        return number_text(v, kind, thousands=knobs.thousands, fullwidth=knobs.fullwidth_digits)
    if cell.status in (CellStatus.PLACEHOLDER, CellStatus.UNREADABLE):
        return cell.raw.strip()
    return ""


def _row_cells(table: Table, tdef: TableDef, row_id: str, knobs: _Knobs) -> list[str]:
    rdef = tdef.by_id[row_id]
    return [_cell(table.rows[row_id][c.id], c.kind, knobs) for c in rdef.columns]


def _wrap(label: str, width: int = _WRAP_AT) -> list[str]:
    return [label[i : i + width] for i in range(0, len(label), width)] or [""]


def _halves(label: str) -> tuple[str, str]:
    cut = max(1, len(label) - 2)
    return label[:cut], label[cut:]


# --- table 2 groups --------------------------------------------------------------------------


def _t2_groups(tdef: TableDef) -> list[tuple[str, list[str]]]:
    """``(group heading, row ids)`` in printed order; a group shares one header row."""
    groups: list[tuple[str, list[str]]] = []
    for r in tdef.rows:
        if groups and groups[-1][0] == r.group and tdef.by_id[groups[-1][1][0]].columns == r.columns:
            groups[-1][1].append(r.id)
        else:
            groups.append((r.group or "", [r.id]))
    return groups


_T3_HEADER_TOP = (TABLE3_HEADING,)
_T3_HEADER_MID = (TABLE3_COLUMNS[0].label, *TABLE3_COLUMN_GROUPS, TABLE3_COLUMNS[-1].label)
_T3_NOTE = TABLE3_NOTE


def _t3_rows(tdef: TableDef, knobs: _Knobs) -> list[tuple[str | None, str, RowDef]]:
    """``(group label to print before this row or None, row label, row)`` for each Table 3 row, in
    the order printed (the template's, or ``row_order``)."""
    out: list[tuple[str | None, str, RowDef]] = []
    seen: set[str | None] = {None}
    for r in (tdef.by_id[rid] for rid in knobs.row_order) if knobs.row_order else tdef.rows:
        # a merged group cell is printed once, at its first row, even when it spans (七)总计 again
        out.append((None if r.group in seen else r.group, r.label, r))
        seen.add(r.group)
    return out


_T4_GROUP_HEAD = ("行政复议", "行政诉讼")
_T4_SUBGROUPS = ("未经复议直接起诉", "复议后起诉")


def _t4_values(table: Table, knobs: _Knobs) -> list[str]:
    tdef = table.definition
    return [v for r in tdef.rows for v in _row_cells(table, tdef, r.id, knobs)]


def _furniture(report: Report) -> list[str]:
    year = report.year or 2022
    title = f"{report.organ or ''}{report.year or ''}年政府信息公开工作年度报告"
    return [f"{year + 1}/1/26 {title}", "", "https://nb.example.gov.cn/zw/public-report/view/20659 2/3"]


# --- space: PDF text ---------------------------------------------------------------------------


def _space(table: Table, knobs: _Knobs, report: Report) -> list[str]:
    tdef = table.definition
    out: list[str] = []
    if table.id == "table2":
        for heading, rows in _t2_groups(tdef):
            out.append(heading)
            out.append(" ".join(["信息内容", *(c.label for c in tdef.by_id[rows[0]].columns)]))
            for rid in rows:
                out.extend(_space_row(tdef.by_id[rid].label, _row_cells(table, tdef, rid, knobs), knobs))
    elif table.id == "table3":
        out.extend(
            [_T3_NOTE, *_T3_HEADER_TOP, " ".join(_T3_HEADER_MID), " ".join(c.label for c in TABLE3_COLUMNS[1:6])]
        )
        parts = _t3_rows(tdef, knobs)
        middle = len(parts) // 2
        for n, (group, label, rdef) in enumerate(parts):
            if knobs.furniture and n == middle:
                out.extend(["", *_furniture(report), ""])
            if group is not None:
                if knobs.split_groups:
                    head, tail = _halves(group)
                    out.extend([head, "", tail])
                else:
                    out.append(group)
            out.extend(_space_row(label, _row_cells(table, tdef, rdef.id, knobs), knobs))
    else:
        out.append(" ".join(_T4_GROUP_HEAD))
        out.append(" ".join(c.label for c in TABLE4_COLUMNS))
        out.append(" ".join(_T4_SUBGROUPS))
        out.append(" ".join(c.label for _ in (0, 1) for c in TABLE4_COLUMNS))
        values = [_fill(v) for v in _t4_values(table, knobs)]
        out.extend(_stray(values) if knobs.stray_cells else [" ".join(values)])
    if knobs.blank_lines:
        out = [x for ln in out for x in (ln, "")]
    return out


def _fill(value: str) -> str:
    # an empty cell cannot be told apart from a missing one in space text; print the usual dash
    return value or "-"


def _stray(values: Sequence[str]) -> list[str]:
    """The cells in columns, one of them (which one depends on the values) on the line below."""
    width = max(4, *(_width(v) + 2 for v in values))
    k = sum(map(ord, "".join(values))) % len(values)
    main = "".join(" " * width if n == k else v + " " * (width - _width(v)) for n, v in enumerate(values))
    return [main.rstrip(), " " * (k * width) + values[k]]


def _space_row(label: str, cells: Sequence[str], knobs: _Knobs) -> list[str]:
    numbers = " ".join(_fill(c) for c in cells)
    if knobs.wrap_labels and len(label) > _WRAP_AT:
        return [*_wrap(label), numbers]
    return [f"{label} {numbers}"]


# --- tab-separated -------------------------------------------------------------------------


def _tab(table: Table, knobs: _Knobs, report: Report) -> list[str]:
    tdef = table.definition
    out: list[str] = []
    if table.id == "table2":
        for heading, rows in _t2_groups(tdef):
            width = len(tdef.by_id[rows[0]].columns)
            out.append(heading + "\t" * width)
            out.append("\t".join(["信息内容", *(c.label for c in tdef.by_id[rows[0]].columns)]))
            for rid in rows:
                out.append("\t".join([tdef.by_id[rid].label, *_row_cells(table, tdef, rid, knobs)]))
    elif table.id == "table3":
        out.append(_T3_NOTE + "\t\t申请人情况" + "\t" * 6 + "总计\t\t")
        out.append("\t\t自然人\t法人或其他组织" + "\t" * 7)
        out.append("\t\t\t" + "\t".join(c.label for c in TABLE3_COLUMNS[1:6]) + "\t\t\t")
        middle = len(tdef.rows) // 2
        for n, (group, label, rdef) in enumerate(_t3_rows(tdef, knobs)):
            if knobs.furniture and n == middle:
                out.extend(_furniture(report))
            cells = _row_cells(table, tdef, rdef.id, knobs)
            # real tab exports indent by the merged-cell depth, and not consistently (spec §7.2)
            lead = "" if rdef.group is None else ("\t" if group is None else "")
            prefix = [group] if group is not None else []
            tail = None
            if knobs.wrap_labels and len(label) > _WRAP_AT:
                label, tail = label[:_WRAP_AT], label[_WRAP_AT:]
            out.append(lead + "\t".join([*prefix, label, "", *cells]))
            if tail is not None:
                out.append("\t\t" + tail + "\t" * 7)
    else:
        out.append("行政复议" + "\t" * 5 + "行政诉讼" + "\t" * 9)
        out.append("\t".join(c.label for c in TABLE4_COLUMNS) + "\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t")
        out.append("\t" * 5 + "\t".join(c.label for _ in (0, 1) for c in TABLE4_COLUMNS))
        out.append("\t".join(_t4_values(table, knobs)))
    return out


# --- markdown: pipe tables -----------------------------------------------------------------


def _pipe(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def _markdown(table: Table, knobs: _Knobs, report: Report) -> list[str]:
    tdef = table.definition
    out: list[str] = []
    if knobs.html_tables:
        grid = {"table2": table2_grid, "table3": table3_grid, "table4": table4_grid}[table.id](table, 1)
        return grid_html(grid).split("\n")
    if table.id == "table2":
        for heading, rows in _t2_groups(tdef):
            cols = tdef.by_id[rows[0]].columns
            out.append(_pipe([heading, *([""] * len(cols))]))
            out.append(_pipe(["---"] * (len(cols) + 1)))
            out.append(_pipe(["信息内容", *(c.label for c in cols)]))
            for rid in rows:
                out.append(_pipe([tdef.by_id[rid].label, *_row_cells(table, tdef, rid, knobs)]))
            out.append("")
    elif table.id == "table3":
        out.append(_pipe([_T3_NOTE, "", "申请人情况", *([""] * 6)]))
        out.append(_pipe(["---"] * 9))
        out.append(_pipe(["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]))
        out.append(_pipe(["", "", "", *(c.label for c in TABLE3_COLUMNS[1:6]), ""]))
        for group, label, rdef in _t3_rows(tdef, knobs):
            out.append(_pipe([group or "", label, *_row_cells(table, tdef, rdef.id, knobs)]))
    else:
        out.append(_pipe(["行政复议", "", "", "", "", "行政诉讼", *([""] * 9)]))
        out.append(_pipe(["---"] * 15))
        out.append(
            _pipe([*(c.label for c in TABLE4_COLUMNS), "未经复议直接起诉", "", "", "", "", "复议后起诉", *[""] * 4])
        )
        out.append(_pipe(["", "", "", "", "", *(c.label for _ in (0, 1) for c in TABLE4_COLUMNS)]))
        out.append(_pipe(_t4_values(table, knobs)))
    return out


# --- word_cells: one cell per tab-led line -------------------------------------------------


def _pad(value: str, n: int, knobs: _Knobs) -> str:
    if not knobs.padding or not value:
        return value
    return (_IDEOGRAPHIC_SPACE + value, _NBSP + value, value + _NBSP, value)[n % 4]


def _break_header(label: str) -> str:
    return label if len(label) <= 4 else label[:3] + "\n" + label[3:]


def _word_cells(table: Table, knobs: _Knobs, report: Report) -> list[str]:
    tdef = table.definition
    out: list[str] = []
    merged = knobs.merged_cells

    def row(cells: Sequence[str]) -> None:
        out.extend("\t" + c for c in cells)
        out.append("")

    def spread(cells: Sequence[str], width: int) -> list[str]:
        # docx2python writes a merged cell once per column it spans: here the last one spans the rest
        return [*cells, *([cells[-1]] * (width - len(cells)))] if merged and cells else list(cells)

    n = 0
    if table.id == "table2":
        widest = 1 + max(len(r.columns) for r in tdef.rows)
        for heading, rows in _t2_groups(tdef):
            row(spread([heading], widest))
            # Word keeps the manual line breaks of narrow header cells ("本年新\n制作数量", seed 001)
            heads = (_break_header(c.label) if knobs.wrap_labels else c.label for c in tdef.by_id[rows[0]].columns)
            row(spread(["信息内容", *heads], widest))
            for rid in rows:
                cells = _row_cells(table, tdef, rid, knobs)
                row(spread([tdef.by_id[rid].label, *(_pad(c, n + i, knobs) for i, c in enumerate(cells))], widest))
                n += 1
    elif table.id == "table3":
        row([_T3_NOTE, *_T3_HEADER_TOP])
        row(["", *_T3_HEADER_MID])
        row(["", "", *(c.label for c in TABLE3_COLUMNS[1:6]), ""])
        for group, label, rdef in _t3_rows(tdef, knobs):
            cells = _row_cells(table, tdef, rdef.id, knobs)
            if merged:  # every label column, the merged group cells repeated on each row they span
                top = tdef.rows[2].group or ""
                lead = (
                    [label, label] if rdef.group is None else [top, label] if rdef.group == top else [top, rdef.group]
                )
            else:
                lead = [] if rdef.group is None else [group or ""]
            row([*lead, label, *(_pad(c, n + i, knobs) for i, c in enumerate(cells))])
            n += 1
    else:
        row(list(_T4_GROUP_HEAD))
        row([*(c.label for c in TABLE4_COLUMNS), *_T4_SUBGROUPS])
        row([""] * 5 + [c.label for _ in (0, 1) for c in TABLE4_COLUMNS])
        row([_pad(v, i, knobs) for i, v in enumerate(_t4_values(table, knobs))])
    return out


# --- box: w3m-style tables -----------------------------------------------------------------


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _box_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """A w3m table; a cell holding line breaks takes that many lines of its ruled row (set on the
    row's middle line when the row is taller, as w3m centres them)."""
    ncols = max(len(r) for r in rows)
    grid = [[c.split("\n") for c in [*r, *([""] * (ncols - len(r)))]] for r in rows]
    widths = [max(2, *(_width(piece) for r in grid for piece in r[i])) + 2 for i in range(ncols)]

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * w for w in widths) + right

    out = [rule("┌", "┬", "┐")]
    for n, r in enumerate(grid):
        height = max(len(c) for c in r)
        placed = [[""] * ((height - len(c)) // 2) + c + [""] * (height - len(c) - (height - len(c)) // 2) for c in r]
        for k in range(height):
            pieces = [c[k] for c in placed]
            cells = (" " + c + " " * (w - 1 - _width(c)) for c, w in zip(pieces, widths, strict=True))
            out.append("│" + "│".join(cells) + "│")
        out.append(rule("├", "┼", "┤") if n < len(grid) - 1 else rule("└", "┴", "┘"))
    return out


def _box_cells(cells: Sequence[str], knobs: _Knobs, start: int = 0) -> list[str]:
    """``wrap_cells``: now and then a value behind full-width padding, or pushed under it onto the
    next line of its ruled row (w3m wraps the padding and the number apart in a narrow column)."""
    if not knobs.wrap_cells:
        return list(cells)
    out = []
    for n, c in enumerate(cells, start):
        if c and n % 6 == 1:
            c = _IDEOGRAPHIC_SPACE + c
        elif c and n % 6 == 4:
            c = _IDEOGRAPHIC_SPACE * 2 + "\n" + c
        out.append(c)
    return out


def _box_label(label: str, knobs: _Knobs) -> str:
    return "\n".join(_wrap(label)) if knobs.wrap_cells else label


def _box(table: Table, knobs: _Knobs, report: Report) -> list[str]:
    tdef = table.definition
    if table.id == "table2":
        out: list[str] = []
        for heading, rows in _t2_groups(tdef):
            cols = tdef.by_id[rows[0]].columns
            grid = [[heading], ["信息内容", *(c.label for c in cols)]]
            grid += [
                [tdef.by_id[rid].label, *_box_cells(_row_cells(table, tdef, rid, knobs), knobs, n)]
                for n, rid in enumerate(rows)
            ]
            out.extend(_box_table(grid))
        return out
    if table.id == "table3":
        grid = [["", "", "申请人情况"], ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]]
        grid.append(["", "", "", *(c.label for c in TABLE3_COLUMNS[1:6]), ""])
        for n, (group, label, rdef) in enumerate(_t3_rows(tdef, knobs)):
            wrapped = _wrap(label) if knobs.wrap_labels else [label]
            cells = _box_cells(_row_cells(table, tdef, rdef.id, knobs), knobs, n)
            grid.append([group or "", _box_label(wrapped[0], knobs), *cells])
            grid.extend(["", piece] for piece in wrapped[1:])
        return _box_table(grid)
    grid = [
        list(_T4_GROUP_HEAD),
        [*(c.label for c in TABLE4_COLUMNS), *_T4_SUBGROUPS],
        [""] * 5 + [c.label for _ in (0, 1) for c in TABLE4_COLUMNS],
        _box_cells(_t4_values(table, knobs), knobs),
    ]
    return _box_table(grid)


_WRITERS: dict[str, Callable[[Table, _Knobs, Report], list[str]]] = {
    "space": _space,
    "tab": _tab,
    "markdown": _markdown,
    "word_cells": _word_cells,
    "box": _box,
}
