"""A report you can look at: a text grid, and the official form as HTML with what does not add up marked.

- :func:`table_text` is what ``print(report.table3)`` shows: row ids down, column ids across.
- :func:`report_html` / :func:`table_html` are the notebook view (``Report._repr_html_``): Tables 2–4
  laid out as the official template prints them (block captions, group headers, the 法人或其他组织
  super-header, merged label cells), blanks and placeholders as printed, every cell an error
  diagnostic names marked, the pinpointed cell with its suggested value beside it, a ``title`` on
  each cell with its source position and the rules that name it; the diagnostics listed under.
- :func:`report_page`, :func:`index_page` and :func:`site_pages` are the standalone pages of
  ``govreport check --html`` and ``govreport report``.

The HTML is self-contained: inline CSS, no JavaScript, nothing fetched (a standalone page says so
in its Content-Security-Policy). Every text from the report is escaped. Labels come from
:mod:`govreport.template`; nothing here spells a row label.

Each data cell is ``<td id="{prefix}{table}.{row}.{column}" class="c s-{status} …">``: ``err`` when
an error diagnostic names it, ``warn`` when only a warning does, ``pinpoint`` when a PINPOINT
suggests another value (``<span class="suggest" data-suggestion="25">``).
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath

import attrs

from ..diagnostics import Diagnostic, Severity
from ..model import Cell, CellStatus, Report, Subtotal, Table
from ..template import TableDef, template_for
from .form import CAPTION, GROUP, LABEL, NOTE, SUPER, FormRow, layout
from .numbers import number_text
from .render import _width

__all__ = ["PageResult", "index_page", "report_html", "report_page", "site_pages", "table_html", "table_text"]

CellKey = tuple[str, str, str]
"""``(table, row, column)``: a cell of the report, as a :class:`~govreport.diagnostics.CellRef` names it."""


def shown(cell: Cell, kind: str) -> str:
    """A cell as the view prints it: the number read, a placeholder or unreadable text as printed, a
    blank or missing cell as nothing."""
    if cell.status is CellStatus.NUMBER:
        assert cell.value is not None  # Cell's validator guarantees a value for 'number'
        return number_text(cell.value, kind)
    if cell.status in (CellStatus.BLANK, CellStatus.MISSING):
        return ""
    return cell.raw.strip()


# --- the text grid -----------------------------------------------------------------------------

_TEXT_MARKS = {CellStatus.MISSING: "·", CellStatus.UNREADABLE: "!", CellStatus.AMBIGUOUS: "?"}
_TEXT_LEGEND = {
    CellStatus.MISSING: "· not in the source",
    CellStatus.UNREADABLE: "! unreadable",
    CellStatus.AMBIGUOUS: "? ambiguous",
}


def table_text(table: Table) -> str:
    """The table as a grid of text: one line per row, a header line per run of rows with the same columns.

    Numbers as read, placeholders ("/", "—" …) as printed, blanks empty; ``·`` marks a cell the
    source does not have, a trailing ``!`` an unreadable one, ``?`` an ambiguous one.
    """
    tdef = table.definition
    found, total = table.cell_counts()
    lines = [f"{table.id} {tdef.title} ({table.template} template): {found}/{total} cells"]
    label_width = max(_width(r.id) for r in tdef.rows)
    seen: set[CellStatus] = set()
    blocks: list[list[str]] = []
    for r in tdef.rows:
        if blocks and tdef.by_id[blocks[-1][0]].column_ids == r.column_ids:
            blocks[-1].append(r.id)
        else:
            blocks.append([r.id])
    for block in blocks:
        columns = tdef.by_id[block[0]].columns
        texts = []
        for rid in block:
            row = table.rows[rid]
            texts.append([_text_cell(row[c.id], c.kind) for c in columns])
            seen.update(row[c.id].status for c in columns)
        widths = [max(_width(c.id), *(_width(t[i]) for t in texts)) for i, c in enumerate(columns)]
        lines.append(_text_line("", [c.id for c in columns], label_width, widths))
        lines.extend(_text_line(rid, t, label_width, widths) for rid, t in zip(block, texts, strict=True))
    legend = [text for status, text in _TEXT_LEGEND.items() if status in seen]
    if legend:
        lines.append("   ".join(legend))
    return "\n".join(lines)


def _text_cell(cell: Cell, kind: str) -> str:
    mark = _TEXT_MARKS.get(cell.status, "")
    return mark if cell.status is CellStatus.MISSING else shown(cell, kind) + mark


def _text_line(label: str, cells: Sequence[str], label_width: int, widths: Sequence[int]) -> str:
    pad = " " * (label_width - _width(label))
    body = "  ".join(" " * (w - _width(t)) + t for t, w in zip(cells, widths, strict=True))
    return f"{label}{pad}  {body}".rstrip()


# --- what the diagnostics say about each cell --------------------------------------------------


@attrs.frozen
class _Marks:
    """The diagnostics by the cells they name, and the suggested values of pinpointed cells."""

    errors: Mapping[CellKey, tuple[Diagnostic, ...]]
    warnings: Mapping[CellKey, tuple[Diagnostic, ...]]
    suggestions: Mapping[CellKey, Diagnostic]
    lang: str = "en"
    prefix: str = ""

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic], *, lang: str = "en", prefix: str = "") -> _Marks:
        errors: dict[CellKey, list[Diagnostic]] = {}
        warnings: dict[CellKey, list[Diagnostic]] = {}
        suggestions: dict[CellKey, Diagnostic] = {}
        for d in diagnostics:
            if d.severity is Severity.INFO:
                continue
            into = errors if d.severity is Severity.ERROR else warnings
            for ref in dict.fromkeys((c.table, c.row, c.column) for c in d.cells):
                into.setdefault(ref, []).append(d)
            if d.suggestion is not None and d.table and d.row and d.column:
                suggestions[(d.table, d.row, d.column)] = d
        return cls(
            {k: tuple(v) for k, v in errors.items()},
            {k: tuple(v) for k, v in warnings.items()},
            suggestions,
            lang,
            prefix,
        )

    def message(self, d: Diagnostic) -> str:
        """The message in the page's language, without the rule id most messages open with (shown apart)."""
        text = d.message_zh if self.lang == "zh" and d.message_zh else d.message
        return text[len(d.code) :].lstrip() if d.code and text.startswith(d.code + " ") else text

    def cell_id(self, key: CellKey) -> str:
        return self.prefix + ".".join(key)


_NO_MARKS = _Marks({}, {}, {})

_STATUS_NOTE = {
    CellStatus.BLANK: "blank in the source (not 0)",
    CellStatus.PLACEHOLDER: "a placeholder, not 0",
    CellStatus.UNREADABLE: "printed, but not a valid value here",
    CellStatus.AMBIGUOUS: "several readings fit",
    CellStatus.MISSING: "not found in the source",
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _attrs(**values: object) -> str:
    """`` name="value"`` for every value that is not ``None``/1 (a span of 1 is the default)."""
    out = []
    for name, value in values.items():
        if value is None or (name in ("colspan", "rowspan") and value == 1):
            continue
        out.append(f' {name.rstrip("_")}="{_e(value)}"')
    return "".join(out)


def _th(text: str, *, colspan: int = 1, rowspan: int = 1, class_: str | None = None) -> str:
    inner = _e(text)
    if class_ and "vertical" in class_.split():
        # one character a line, as the form prints it; writing-mode depends on the font's vertical metrics
        inner = f"<span>{inner}</span>"
    return f"<th{_attrs(colspan=colspan, rowspan=rowspan, class_=class_)}>{inner}</th>"


def _td(key: CellKey, cell: Cell, kind: str, marks: _Marks, *, colspan: int = 1) -> str:
    classes = ["c", f"s-{cell.status.value}"]
    where = f"{key[0]} {key[1]} × {key[2]}"
    at = cell.origin if cell.origin is not None else cell.span  # a document's table/row/column, else line:column
    title = [f"{where} · source {at}" if at is not None else where]
    text = shown(cell, kind)
    printed = cell.raw.strip()
    if cell.status is CellStatus.NUMBER and printed != text:
        title.append(f"printed {printed!r}")
    if cell.status in _STATUS_NOTE:
        title.append(_STATUS_NOTE[cell.status])
    if cell.candidates:
        title.append("candidates: " + ", ".join(map(str, cell.candidates)))
    named = marks.errors.get(key, ())
    if named:
        classes.append("err")
    elif key in marks.warnings:
        classes.append("warn")
        named = marks.warnings[key]
    title.extend(f"{d.code}: {marks.message(d)}" for d in named)
    extra = ""
    pin = marks.suggestions.get(key)
    if pin is not None:
        classes.append("pinpoint")
        suggested = number_text(pin.suggestion, kind) if pin.suggestion is not None else ""
        extra = (
            f'<span class="suggest" data-suggestion="{_e(suggested)}" '
            f'title="{_e(pin.code)}: suggested value">→ {_e(suggested)}</span>'
        )
    return (
        f"<td{_attrs(id=marks.cell_id(key), class_=' '.join(classes), title=chr(10).join(title), colspan=colspan)}>"
        f"{_e(text)}{extra}</td>"
    )


# --- the three tables as the form prints them ---------------------------------------------------

_TH_CLASS = {CAPTION: "caption", SUPER: "super", NOTE: "note", GROUP: "group", LABEL: "label"}


def _table3_rows(tdef: TableDef, subtotals: Sequence[Subtotal]) -> tuple[list[FormRow], dict[str, Subtotal]]:
    """Table 3's printed rows with each subtotal under its block's last row, inside the block's group."""
    rows = [FormRow.of(r) for r in tdef.rows]
    by_id: dict[str, Subtotal] = {}
    for sub in subtotals:
        block = [i for i, r in enumerate(rows) if r.id == sub.block or r.id.startswith(sub.block + ".")]
        at = block[-1] if block else len(rows) - 1
        rows.insert(at + 1, FormRow(sub.row_id, "小计", rows[at].group if block else None))
        by_id[sub.row_id] = sub
    return rows, by_id


def _form(table: Table, marks: _Marks, report: Report | None = None) -> str:
    tdef = table.definition
    subtotals: dict[str, Subtotal] = {}
    rows = None
    if table.id == "table3" and report is not None and report.subtotals:
        rows, subtotals = _table3_rows(tdef, report.subtotals)
    form = layout(tdef, rows)
    kinds = {c.id: c.kind for r in tdef.rows for c in r.columns}
    lines: list[list[str]] = [[] for _ in range(form.height)]
    subtotal_lines = set()
    for p in sorted(form.places, key=lambda p: (p.row, p.column)):
        if p.cell is None:
            css = _TH_CLASS.get(p.role)
            if p.role == GROUP and p.column == 0 and form.label_columns > 2:
                css = "group vertical"  # the outermost of three label columns is printed upright
            lines[p.row].append(_th(p.text, colspan=p.colspan, rowspan=p.rowspan, class_=css))
            continue
        row_id, column_id = p.cell
        sub = subtotals.get(row_id)
        if sub is not None:
            subtotal_lines.add(p.row)
        cell = sub.cells[column_id] if sub is not None else table.rows[row_id][column_id]
        lines[p.row].append(_td((table.id, row_id, column_id), cell, kinds[column_id], marks, colspan=p.colspan))
    trs = [
        f"<tr{_attrs(class_='subtotal' if i in subtotal_lines else None)}>{''.join(c)}</tr>"
        for i, c in enumerate(lines)
    ]
    head = ["<thead>", *trs[: form.header_rows], "</thead>"] if form.header_rows else []
    return "\n".join(
        [
            f'<section class="table" id="{_e(marks.prefix + table.id)}">',
            f"<h3>{_e(table.id)} · {_e(tdef.title)}</h3>",
            f'<table class="form {_e(table.id)}">',
            *head,
            "<tbody>",
            *trs[form.header_rows :],
            "</tbody>",
            "</table>",
            "</section>",
        ]
    )


# --- whole reports -----------------------------------------------------------------------------

_CSS = """
.govreport{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"WenQuanYi Zen Hei",sans-serif;font-size:14px;line-height:1.4;color:#1d1d1d;background:#fff}
.govreport h2{font-size:1.3em;margin:.2em 0}.govreport h3{font-size:1.05em;margin:1.2em 0 .3em}
.govreport .meta{color:#555;margin:.2em 0 .8em}
.govreport .status{display:inline-block;padding:0 .5em;border-radius:3px;color:#fff;background:#2e7d32}
.govreport .status.bad{background:#c62828}.govreport .status.unread{background:#6d6d6d}
.govreport table.form{border-collapse:collapse;margin:.3em 0 1em}
.govreport .form th,.govreport .form td{border:1px solid #8a8a8a;padding:2px 6px;vertical-align:middle}
.govreport .form th{background:#f2f2f2;font-weight:normal;text-align:center}
.govreport .form th.label{text-align:left;max-width:26em}
.govreport .form th.caption{text-align:left;font-weight:bold;background:#e4e4e4}
.govreport .form th.note{font-size:.85em;color:#444;max-width:22em}
.govreport .form th.vertical span{display:inline-block;width:1em;line-height:1.3;word-break:break-all}
.govreport .form td{text-align:right;font-variant-numeric:tabular-nums;min-width:2.2em;white-space:nowrap}
.govreport .form tr.subtotal th,.govreport .form tr.subtotal td{font-style:italic;background:#f7f7ff}
.govreport td.s-placeholder{text-align:center;color:#555}
.govreport td.s-missing{background:repeating-linear-gradient(45deg,#fff 0 4px,#e8e8e8 4px 8px)}
.govreport td.s-unreadable,.govreport td.s-ambiguous{color:#a00;font-style:italic}
.govreport td.warn{background:#fff3c4}
.govreport td.err{background:#fcdcdc}
.govreport td.pinpoint{background:#f59c96;outline:2px solid #b71c1c;outline-offset:-2px;font-weight:bold}
.govreport .suggest{color:#0b6b2e;background:#e3f6e8;border-radius:3px;padding:0 .25em;margin-left:.35em}
.govreport ol.diagnostics{padding-left:1.6em}.govreport ol.diagnostics li{margin:.15em 0}
.govreport .sev{display:inline-block;min-width:4.5em;font-size:.85em;color:#fff;border-radius:3px;text-align:center}
.govreport .sev.error{background:#c62828}.govreport .sev.warning{background:#b26a00}
.govreport .sev.info{background:#607d8b}
.govreport .legend span{display:inline-block;margin-right:1em;padding:0 .4em;border:1px solid #aaa}
.govreport table.index{border-collapse:collapse}
.govreport .index th,.govreport .index td{border-bottom:1px solid #ccc;padding:3px 8px;text-align:left}
.govreport .index td{white-space:nowrap}.govreport .index td.n{text-align:right}
.govreport .index td.msg{white-space:normal;max-width:48em;font-size:.9em}
""".strip()

_STYLE = f"<style>\n{_CSS}\n</style>"

_LEGEND = (
    '<p class="legend"><span class="err-k" style="background:#fcdcdc">named by an error</span>'
    '<span style="background:#f59c96;font-weight:bold">most likely wrong</span>'
    '<span style="background:#e3f6e8;color:#0b6b2e">→ suggested value</span>'
    '<span style="background:#fff3c4">named by a warning</span>'
    '<span style="background:repeating-linear-gradient(45deg,#fff 0 4px,#e8e8e8 4px 8px)">not in the source</span></p>'
)


def table_html(table: Table) -> str:
    """One table as the form prints it (a notebook view; no diagnostics: see :func:`report_html`)."""
    return "\n".join(['<div class="govreport">', _STYLE, _form(table, _NO_MARKS), "</div>"])


def status(report: Report) -> tuple[str, str]:
    """``(css class, text)`` of a report's status: ``ok`` or how many errors."""
    n = len(report.errors)
    return ("ok", "ok") if n == 0 else ("bad", f"{n} error{'s' if n != 1 else ''}")


def report_html(report: Report, *, lang: str = "en", id_prefix: str = "") -> str:
    """The report's header, its three tables as the form prints them with the cells its diagnostics
    name marked, and the diagnostics and unplaced text under them (an HTML fragment, styles inline).

    ``lang="zh"`` shows the Chinese messages; ``id_prefix`` keeps the cell ids of several reports on
    one page apart.
    """
    marks = _Marks.of(report.diagnostics, lang=lang, prefix=id_prefix)
    return "\n".join(
        [
            f'<div class="govreport" id="{_e(id_prefix + "report") if id_prefix else "report"}">',
            _STYLE,
            _header(report),
            _LEGEND if report.diagnostics else "",
            *(_form(t, marks, report) for t in report.tables),
            _diagnostics(report, marks),
            _unplaced(report),
            "</div>",
        ]
    )


def _header(report: Report) -> str:
    src = report.source
    cls, text = status(report)
    title = report.title or f"{report.organ or '?'} {report.year or '?'}"
    facts = [
        f"organ {report.organ or '?'}",
        f"year {report.year or '?'}",
        f"template {report.template} ({template_for(report.template).notice})",
    ]
    if src.parser or src.layout:
        facts.append(f"read by {src.parser or '?'} (layout {src.layout or '?'}, confidence {src.confidence:.2f})")
    if src.path:
        facts.append(
            f"file {PurePath(src.path).name}"
            + (f" ({src.format}, read by {src.reader})" if src.format != "text" else "")
        )
    return (
        f"<h2>{_e(title)}</h2>\n"
        f'<p class="meta"><span class="status {cls}">{_e(text)}</span> ' + " · ".join(_e(f) for f in facts) + "</p>"
    )


_MAX_LINKED = 4


def _diagnostics(report: Report, marks: _Marks) -> str:
    if not report.diagnostics:
        return '<h3>Diagnostics</h3>\n<p class="none">none: every rule that could be assessed holds</p>'
    counts = {s: sum(1 for d in report.diagnostics if d.severity is s) for s in Severity}
    said = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    items = []
    for d in report.diagnostics:
        refs = list(dict.fromkeys((c.table, c.row, c.column) for c in d.cells))
        place = _e(d.location())
        if d.table and d.row and d.column:
            place = f'<a href="#{_e(marks.cell_id((d.table, d.row, d.column)))}">{place}</a>'
        links = ", ".join(f'<a href="#{_e(marks.cell_id(k))}">{_e(k[1])} × {_e(k[2])}</a>' for k in refs[:_MAX_LINKED])
        if len(refs) > _MAX_LINKED:
            links += f" … {len(refs)} cells in all"
        sev = _e(d.severity.value)
        items.append(
            f'<li class="d {sev}"><span class="sev {sev}">{sev}</span> '
            f"<code>{_e(d.code)}</code> {place} {_e(marks.message(d))}"
            + (f'<br><small class="cells">cells: {links}</small>' if links else "")
            + "</li>"
        )
    return "\n".join([f"<h3>Diagnostics ({_e(said)})</h3>", '<ol class="diagnostics">', *items, "</ol>"])


def _unplaced(report: Report) -> str:
    if not report.unplaced:
        return ""
    items = [
        f"<li>{_e(u.table)} · {_e(u.span or '-')} · {_e(u.text)} {_e(' '.join(u.cells))} "
        f"<small>{_e(u.reason)}</small></li>"
        for u in report.unplaced
    ]
    return "\n".join(["<h3>Text kept but not placed on the template</h3>", "<ul class=unplaced>", *items, "</ul>"])


# --- standalone pages ------------------------------------------------------------------------

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _page(title: str, body: Iterable[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            "</head>",
            '<body style="margin:1.5em">',
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


@attrs.frozen
class PageResult:
    """One input of a page or a site: the report read from ``path``, or why it could not be read."""

    path: str
    report: Report | None = None
    error: str | None = None


def report_page(results: Sequence[PageResult], *, lang: str = "en", title: str | None = None) -> str:
    """A standalone HTML page of one or several reports (``govreport check --html``), unreadable files
    listed at the end."""
    reports = [r for r in results if r.report is not None]
    many = len(reports) > 1
    body = []
    for n, r in enumerate(reports, 1):
        assert r.report is not None
        body.append(report_html(r.report, lang=lang, id_prefix=f"r{n}-" if many else ""))
        if many:
            body.append("<hr>")
    failed = [r for r in results if r.report is None]
    if failed:
        body.append('<div class="govreport"><h3>Files that could not be read</h3><ul>')
        body.extend(f"<li>{_e(r.path)}: {_e(r.error or '?')}</li>" for r in failed)
        body.append("</ul></div>")
    if title is None:
        first = reports[0].report if reports else None
        title = (first.title or first.organ or "report") if first is not None and not many else "govreport check"
    return _page(title, body)


_INDEX_CLASS = {2: ' class="n"', 5: ' class="n"', 6: ' class="msg"'}
"""Index columns styled apart: the numbers (year, errors) right-aligned, the title or reason wrapped."""


def index_page(rows: Sequence[tuple[PageResult, str | None]], *, title: str = "govreport reports") -> str:
    """The index of a folder: one line per report (organ, year, template, status, errors, link)."""
    lines = []
    shown_paths = _relative([result.path for result, _ in rows])
    for (result, href), path in zip(rows, shown_paths, strict=True):
        r = result.report
        name = _e(path)
        cells = [f'<a href="{_e(href)}">{name}</a>' if href else name]
        if r is None:
            cells += ["", "", "", '<span class="status unread">unreadable</span>', "", _e(result.error or "")]
        else:
            cls, text = status(r)
            cells += [
                _e(r.organ or "?"),
                _e(r.year or "?"),
                _e(r.template),
                f'<span class="status {cls}">{_e(text)}</span>',
                str(len(r.errors)),
                _e(r.title or ""),
            ]
        lines.append("<tr>" + "".join(f"<td{_INDEX_CLASS.get(i, '')}>{c}</td>" for i, c in enumerate(cells)) + "</tr>")
    read = [r.report for r, _ in rows if r.report is not None]
    n_ok = sum(1 for r in read if not r.errors)
    summary = f"{len(rows)} file(s): {n_ok} ok, {len(read) - n_ok} with errors, {len(rows) - len(read)} unreadable"
    head = "".join(_th(h) for h in ("file", "organ", "year", "template", "status", "errors", "title"))
    body = [
        '<div class="govreport">',
        _STYLE,
        f"<h2>{_e(title)}</h2>",
        f'<p class="meta">{_e(summary)}</p>',
        '<table class="index">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *lines,
        "</tbody>",
        "</table>",
        "</div>",
    ]
    return _page(title, body)


def _relative(paths: Sequence[str]) -> list[str]:
    """The paths below the folder they all share (``2021/a.txt``, ``2022/a.txt``), else as given."""
    try:
        common = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths]) if paths else ""
    except ValueError:  # different drives
        return list(paths)
    return [os.path.relpath(os.path.abspath(p), common) for p in paths]


def site_pages(results: Sequence[PageResult], *, lang: str = "en") -> dict[str, str]:
    """``{file name: HTML}``: ``index.html`` and one page per readable report (``govreport report``).

    A page is named after its input file (``001_xx.txt`` → ``001_xx.html``); two inputs of the same
    stem get ``-2``, ``-3`` … in input order, and none is ever called ``index.html``.
    """
    taken = {"index"}
    pages: dict[str, str] = {}
    rows: list[tuple[PageResult, str | None]] = []
    for result in results:
        if result.report is None:
            rows.append((result, None))
            continue
        stem = PurePath(result.path).stem or "report"
        name, n = stem, 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name.lower())
        pages[f"{name}.html"] = report_page([result], lang=lang)
        rows.append((result, f"{name}.html"))
    return {"index.html": index_page(rows), **pages}
