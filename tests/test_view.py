"""A report you can look at: short reprs, the text grid, DataFrames, and the HTML view of the form.

The HTML is checked on its DOM (parsed with the standard library): the cells marked as wrong are
exactly the cells the error diagnostics name, every template cell is drawn once, the merged cells
of each table make a rectangular grid, and nothing in it runs or fetches anything.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import govreport
from govreport import Cell, CellStatus, Report, Severity, Subtotal, Table, cli
from govreport.checks.arithmetic import check_report
from govreport.diagnostics import CellRef, Diagnostic, Origin, SourceSpan
from govreport.export import form, view
from govreport.export.grids import report_document
from govreport.template import TABLE3_COLUMN_GROUPS, TEMPLATES, TemplateVersion
from govreport.testing import reports

from .conftest import SEEDS, all_inputs, input_id, seed_files

SEED_001 = SEEDS / "001_695d3b899552ac9d.txt"


# --- a small DOM of the page ---------------------------------------------------------------------


@attrs.define
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = attrs.field(factory=list)
    text: list[str] = attrs.field(factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)

    def find(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and (cls is None or cls in n.classes())]


_VOID = {"meta", "br", "hr", "img", "link", "input"}


class _DomBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attributes})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def dom(page: str) -> Node:
    builder = _DomBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def cell_ids(root: Node, cls: str) -> set[str]:
    return {n.attrs["id"] for n in root.find("td", cls)}


def named(report: Report, severity: Severity = Severity.ERROR) -> set[str]:
    """The cells the diagnostics of one severity name, as ``table.row.column`` (computed apart from the view)."""
    return {f"{c.table}.{c.row}.{c.column}" for d in report.diagnostics if d.severity is severity for c in d.cells}


def template_cells(report: Report) -> set[str]:
    out = {f"{t.id}.{r}.{c}" for t in (report.table2, report.table3, report.table4) for r, c, _ in t.cells()}
    out |= {f"table3.{s.row_id}.{c}" for s in report.subtotals for c in s.cells}
    return out


def grid_width(table: Node) -> int:
    """Lay the table's cells out as a browser does (rowspan/colspan); every row must be equally wide."""
    rows = [tr for tr in table.walk() if tr.tag == "tr"]
    taken: dict[tuple[int, int], str] = {}
    for i, tr in enumerate(rows):
        j = 0
        for cell in (c for c in tr.children if c.tag in ("td", "th")):
            while (i, j) in taken:
                j += 1
            rs, cs = int(cell.attrs.get("rowspan", 1)), int(cell.attrs.get("colspan", 1))
            assert i + rs <= len(rows), f"{cell.all_text()!r} spans past the last row"
            for di in range(rs):
                for dj in range(cs):
                    assert (i + di, j + dj) not in taken, f"{cell.all_text()!r} overlaps another cell"
                    taken[(i + di, j + dj)] = cell.all_text()
            j += cs
    widths = {i: sum(1 for (r, _) in taken if r == i) for i in range(len(rows))}
    assert len(set(widths.values())) == 1, f"rows of different widths: {widths}"
    return widths[0]


def assert_self_contained(root: Node) -> None:
    for node in root.walk():
        assert node.tag not in ("script", "iframe", "object", "embed", "img", "link", "base", "form"), node.tag
        assert not [a for a in node.attrs if a.startswith("on")], node.attrs
        for a in ("src", "href", "action"):
            if a in node.attrs:
                assert not re.match(r"[a-z][a-z0-9+.-]*:|//", node.attrs[a], re.I), node.attrs[a]


# --- reprs and the text grid --------------------------------------------------------------------


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_the_repr_of_every_input_is_short(path: Path) -> None:
    report = govreport.load(path)
    assert len(repr(report)) < 200
    assert len(repr(report.table3)) < 200
    for d in report.diagnostics:
        assert len(repr(d)) < 200
    for table in report.tables:
        for _, _, cell in table.cells():
            assert len(repr(cell)) < 100


def test_the_repr_says_who_when_how_and_how_many_errors() -> None:
    report = govreport.load(SEED_001)
    assert repr(report) == "<Report 鼓楼区人民政府 2019 (2019 template) word_cells: 198/198 cells, 6 errors>"
    assert repr(report.table3) == "<Table table3 (2019 template): 161/161 cells>"
    assert repr(report.table2["administrative_punishment"]["previous_items"]) == "<Cell 1066 '1,066' at 61:3>"
    pin = next(d for d in report.diagnostics if d.code == "PINPOINT")
    assert repr(pin).startswith("<Diagnostic error PINPOINT at 337:4: PINPOINT table3 total_handled × natural_person")


@given(organ=st.text(min_size=0, max_size=500), year=st.none() | st.integers(-(10**30), 10**30))
def test_a_long_organ_name_keeps_the_repr_short(organ: str, year: int | None) -> None:
    report = attrs.evolve(govreport.load(SEED_001), organ=organ or None, year=year)
    assert len(repr(report)) < 200


@given(
    raw=st.text(max_size=300),
    status=st.sampled_from([s for s in CellStatus if s is not CellStatus.NUMBER]),
    in_document=st.booleans(),
)
def test_a_cell_repr_shows_what_was_printed_but_stays_short(raw: str, status: CellStatus, in_document: bool) -> None:
    big = 10**6
    origin = Origin(big, big, big, big, (0.0, 0.0, 1.0, 1.0), big) if in_document else None
    text = repr(Cell(None, raw, status, SourceSpan(big, big, big, big), origin=origin))
    assert len(text) < (160 if in_document else 100) and status.value in text
    assert (str(origin) in text) if in_document else ("at 1000000:1000000" in text)


def test_a_report_read_from_a_document_says_where_in_the_document() -> None:
    text_report = govreport.load(SEED_001)
    report = govreport.loads(report_document(text_report, fmt="docx", reader="test"), path="x.docx")
    assert repr(report.table3["total_handled"]["total"]) == "<Cell 17 at table 2, row 25, column 10>"
    assert len(repr(report)) < 200
    root = dom(view.report_html(report))
    assert cell_ids(root, "err") == named(report) == named(text_report)
    td = next(td for td in root.find("td") if td.attrs["id"] == "table3.total_handled.total")
    assert td.attrs["title"].splitlines()[0] == "table3 total_handled × total · source table 2, row 25, column 10"
    assert "x.docx (docx, read by test)" in root.all_text()


def test_reprs_of_missing_blank_and_placeholder_cells() -> None:
    assert repr(Cell.missing()) == "<Cell missing>"
    assert repr(Cell(None, " ", CellStatus.BLANK)) == "<Cell blank>"
    assert repr(Cell(None, "/", CellStatus.PLACEHOLDER, SourceSpan(3, 4, 3, 5))) == "<Cell placeholder '/' at 3:4>"
    assert repr(Cell.number(Decimal("6356.8000"), "6,356.8000")) == "<Cell 6356.8000 '6,356.8000'>"
    assert repr(Cell(None, "1223", CellStatus.AMBIGUOUS, None, (12, 23))) == "<Cell ambiguous '1223' (12, 23)>"


def test_printing_a_table_shows_a_grid_of_its_values() -> None:
    report = govreport.load(SEED_001)
    lines = str(report.table3).splitlines()
    assert lines[0] == "table3 收到和处理政府信息公开申请情况 (2019 template): 161/161 cells"
    assert lines[1].split() == list(report.table3.definition.rows[0].column_ids)
    body = lines[2:]
    assert [ln.split()[0] for ln in body] == list(report.table3.definition.row_ids)
    for ln, (rid, cols) in zip(body, report.table3.rows.items(), strict=True):
        assert ln.split()[1:] == [str(cell.value) for cell in cols.values()], rid
    assert len({len(ln) for ln in lines[1:]}) == 1  # right-aligned columns: every line as wide
    assert all(len(ln) <= 120 for ln in lines)


@given(reports(placeholders=True))
def test_printing_any_table_shows_each_row_with_its_cells_as_printed(report: Report) -> None:
    for table in report.tables:
        text = str(table)
        lines = text.splitlines()
        for rid, cols in table.rows.items():
            line = next(ln for ln in lines if ln.split() and ln.split()[0] == rid)
            kinds = {c.id: c.kind for c in table.definition.by_id[rid].columns}
            want = [view.shown(cell, kinds[c]) for c, cell in cols.items()]
            assert line.split()[1:] == [w for w in want if w], rid
            # a placeholder is shown as printed, never as 0
            for cell in cols.values():
                if cell.status is CellStatus.PLACEHOLDER:
                    assert cell.raw.strip() in line.split()


def test_a_missing_cell_is_marked_not_left_as_a_gap() -> None:
    table = Table.empty("table4", "2021")
    text = str(table)
    assert "· not in the source" in text
    assert text.splitlines()[2].split() == ["review", "·", "·", "·", "·", "·"]
    assert repr(table) == "<Table table4 (2021 template): 0/15 cells>"


# --- DataFrames ----------------------------------------------------------------------------------


def test_a_table_as_a_frame_of_values() -> None:
    pytest.importorskip("pandas", reason="the pandas extra is not installed: pip install -e '.[pandas]'")
    report = govreport.load(SEED_001)
    frame = report.table3.to_frame()
    assert frame.shape == (23, 7)
    assert list(frame.index) == list(report.table3.definition.row_ids)
    assert frame.loc["total_handled", "natural_person"] == 15
    assert str(frame.dtypes.iloc[0]) == "Int64"
    zh = report.table3.to_frame(labels="zh")
    assert zh.loc["（七）总计", "自然人"] == 15 and "法律服务机构" in zh.columns
    frames = report.to_frames()
    assert set(frames) == {"table2", "table3", "table4"}
    t2 = frames["table2"]
    assert t2.loc["government_procurement", "amount"] == Decimal("6356.8000")
    assert t2.isna().loc["regulations", "amount"]  # a column the row does not have
    assert report.table3["new_received"]["total"].value == 27  # indexing is unchanged


def test_a_placeholder_is_na_in_the_frame_not_zero() -> None:
    pytest.importorskip("pandas", reason="the pandas extra is not installed: pip install -e '.[pandas]'")
    report = govreport.load(SEED_001)
    rows = {r: dict(cols) for r, cols in report.table4.rows.items()}
    rows["review"]["upheld"] = Cell(None, "/", CellStatus.PLACEHOLDER)
    frame = Table("table4", report.template, rows).to_frame()
    assert frame.isna().loc["review", "upheld"] and frame.loc["review", "pending"] == 3


def test_to_frame_rejects_an_unknown_label_kind() -> None:
    with pytest.raises(ValueError, match="labels must be one of 'id', 'zh'"):
        govreport.load(SEED_001).table3.to_frame(labels="en")


def test_to_frame_without_pandas_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'govreport[pandas]'")):
        govreport.load(SEED_001).table3.to_frame()


# --- the HTML view -------------------------------------------------------------------------------


def test_seed_001_marks_exactly_the_cells_its_errors_name_and_suggests_25_and_27() -> None:
    report = govreport.load(SEED_001)
    root = dom(report._repr_html_())
    wrong = named(report)
    assert len(wrong) == 46  # T3.OUT and T3.BAL of two columns
    assert cell_ids(root, "err") == wrong
    assert cell_ids(root, "pinpoint") == {"table3.total_handled.natural_person", "table3.total_handled.total"}
    suggested = {
        td.attrs["id"]: [s.attrs["data-suggestion"] for s in td.find("span", "suggest")] for td in root.find("td")
    }
    assert {k: v for k, v in suggested.items() if v} == {
        "table3.total_handled.natural_person": ["25"],
        "table3.total_handled.total": ["27"],
    }
    for cell_id, value in (("table3.total_handled.natural_person", "25"), ("table3.total_handled.total", "27")):
        td = next(td for td in root.find("td") if td.attrs["id"] == cell_id)
        # the printed value stays; the suggestion stands beside it
        assert "".join(td.text) == {"25": "15", "27": "17"}[value]
        assert td.find("span", "suggest")[0].all_text() == f"→ {value}"
        title = td.attrs["title"].splitlines()
        key = tuple(cell_id.split(".", 2))
        assert title[0] == f"{key[0]} {key[1]} × {key[2]} · source {report.table3.rows[key[1]][key[2]].span}"
        assert [ln.split(":")[0] for ln in title[1:]] == ["T3.OUT", "T3.BAL", "PINPOINT"]
    items = root.find("li", "d")
    assert len(items) == len(report.diagnostics) == 6


def test_a_cell_title_gives_its_place_and_source_position() -> None:
    report = govreport.load(SEED_001)
    root = dom(view.report_html(report))
    td = next(td for td in root.find("td") if td.attrs["id"] == "table2.administrative_punishment.previous_items")
    assert td.attrs["title"].splitlines() == [
        "table2 administrative_punishment × previous_items · source 61:3",
        "printed '1,066'",
    ]


def test_seed_001_is_laid_out_as_the_2019_form() -> None:
    root = dom(view.report_html(govreport.load(SEED_001)))
    tables = root.find("table", "form")
    assert [grid_width(t) for t in tables] == [4, 3 + 7, 15]
    t3 = tables[1]
    heads = [th.all_text() for th in t3.find("th")]
    assert heads[:3] == [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "申请人情况",
        "自然人",
    ]
    legal = next(th for th in t3.find("th") if th.all_text() == "法人或其他组织")
    assert legal.attrs["colspan"] == str(len(TABLE3_COLUMN_GROUPS["法人或其他组织"]))
    outer = next(th for th in t3.find("th", "group") if th.all_text() == "三、本年度办理结果")
    assert outer.attrs["rowspan"] == "20"  # （一） to （七）: 19 outcome rows and 总计
    denied = next(th for th in t3.find("th", "group") if th.all_text() == "（三）不予公开")
    assert denied.attrs["rowspan"] == "8"
    t4 = [th.all_text() for th in tables[2].find("th")]
    assert t4[:4] == ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"]


@pytest.mark.parametrize("path", seed_files(), ids=input_id)
def test_every_seed_page_draws_each_cell_once_in_a_rectangular_form(path: Path) -> None:
    report = govreport.load(path)
    root = dom(view.report_page([view.PageResult(str(path), report)]))
    ids = [td.attrs["id"] for td in root.find("td", "c")]
    assert len(ids) == len(set(ids)) and set(ids) == template_cells(report)
    for table in root.find("table", "form"):
        grid_width(table)
    assert cell_ids(root, "err") == named(report)
    assert_self_contained(root)


@st.composite
def checked_reports(draw: st.DrawFn) -> Report:
    """Reports of either template with rules broken on purpose, placeholders now and then, and their diagnostics."""
    broken = draw(st.sets(st.sampled_from(sorted(govreport.testing.RULES)), max_size=3))
    report = draw(reports(consistent=not broken, inconsistent=broken, placeholders=True))
    return attrs.evolve(report, diagnostics=check_report(report).diagnostics)


@given(checked_reports())
def test_any_report_marks_exactly_the_cells_its_diagnostics_name(report: Report) -> None:
    root = dom(view.report_html(report))
    assert cell_ids(root, "err") == named(report)
    assert cell_ids(root, "warn") == named(report, Severity.WARNING) - named(report)
    pins = {(d.table, d.row, d.column): d.suggestion for d in report.diagnostics if d.suggestion is not None}
    assert cell_ids(root, "pinpoint") == {f"{t}.{r}.{c}" for t, r, c in pins}
    for td in root.find("td", "pinpoint"):
        t, r, c = td.attrs["id"].split(".", 1)[0], *td.attrs["id"].split(".", 1)[1].rsplit(".", 1)
        assert td.find("span", "suggest")[0].attrs["data-suggestion"] == str(pins[(t, r, c)])
    ids = [td.attrs["id"] for td in root.find("td", "c")]
    assert len(ids) == len(set(ids)) and set(ids) == template_cells(report)
    for table in root.find("table", "form"):
        grid_width(table)
    for td in root.find("td", "s-placeholder"):
        t, rest = td.attrs["id"].split(".", 1)
        r, c = rest.rsplit(".", 1)
        assert td.all_text() == getattr(report, t).rows[r][c].raw.strip()  # as printed, never 0


@pytest.mark.parametrize("version", list(TemplateVersion))
def test_both_templates_nest_their_groups(version: TemplateVersion) -> None:
    """The label layout needs every group's rows to lie inside or outside another's, never across."""
    rows = TEMPLATES[version].table3.rows
    levels, _, spans = form.nesting([r.group for r in rows])
    assert levels == 3 and min(spans) == 1 and max(spans) == 3


@pytest.mark.parametrize("version", list(TemplateVersion))
@pytest.mark.parametrize("table_id", ["table2", "table3", "table4"])
def test_the_form_layout_tiles_its_grid_and_places_every_cell_once(version: TemplateVersion, table_id: str) -> None:
    tdef = TEMPLATES[version].table(table_id)
    lay = form.layout(tdef)
    covered = Counter((p.row + i, p.column + j) for p in lay.places for i in range(p.rowspan) for j in range(p.colspan))
    assert set(covered) == {(r, c) for r in range(lay.height) for c in range(lay.width)}
    assert max(covered.values()) == 1
    assert sorted(p.cell for p in lay.places if p.cell) == sorted((r.id, c.id) for r in tdef.rows for c in r.columns)
    assert all(p.row >= lay.header_rows for p in lay.places if p.cell)


def test_a_subtotal_row_is_drawn_under_its_block_and_marked_when_it_does_not_add_up() -> None:
    base = govreport.load(SEEDS / "000_eac09653b0f7144a.txt")
    sub = Subtotal("denied", {c: Cell.number(5) for c in base.table3.rows["granted"]})
    report = attrs.evolve(base, subtotals=(sub,))
    report = attrs.evolve(report, diagnostics=check_report(report).diagnostics)
    assert any(d.code == "T3.SUB" for d in report.errors)
    root = dom(view.report_html(report))
    rows = root.find("tr", "subtotal")
    assert len(rows) == 1
    assert {td.attrs["id"] for td in rows[0].find("td")} <= cell_ids(root, "err")
    t3 = root.find("table", "form")[1]
    grid_width(t3)
    order = [td.attrs["id"] for td in t3.find("td") if td.attrs["id"].endswith(".total")]
    at = order.index("table3.subtotal.denied.total")
    assert order[at - 1] == "table3.denied.query_item.total"  # under the block's last row


def test_report_text_is_escaped_and_nothing_runs() -> None:
    report = govreport.load(SEED_001)
    evil = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    rows = {r: dict(cols) for r, cols in report.table4.rows.items()}
    rows["review"]["upheld"] = Cell(None, evil, CellStatus.UNREADABLE)
    diag = Diagnostic("PARSE.CELL", Severity.ERROR, evil, cells=(CellRef("table4", "review", "upheld"),))
    report = attrs.evolve(
        report, organ=evil, title=evil, table4=Table("table4", report.template, rows), diagnostics=(diag,)
    )
    page = view.report_page([view.PageResult(evil, report)])
    root = dom(page)
    assert_self_contained(root)
    assert "<script>" not in page and "Content-Security-Policy" in page
    assert cell_ids(root, "err") == {"table4.review.upheld"}


def test_a_table_alone_has_a_view_without_marks() -> None:
    report = govreport.load(SEED_001)
    root = dom(report.table3._repr_html_())
    assert cell_ids(root, "err") == set() and len(root.find("td", "c")) == 161
    grid_width(root.find("table", "form")[0])


def test_several_reports_on_one_page_keep_their_cell_ids_apart() -> None:
    a, b = (govreport.load(p) for p in seed_files()[:2])
    root = dom(view.report_page([view.PageResult("a", a), view.PageResult("b", b), view.PageResult("c", error="bad")]))
    ids = [td.attrs["id"] for td in root.find("td", "c")]
    assert len(ids) == len(set(ids)) and {i.split("-", 1)[0] for i in ids} == {"r1", "r2"}
    assert {i.split("-", 1)[1] for i in cell_ids(root, "err")} == named(b)
    assert "c: bad" in root.all_text()
    for a_ in root.find("a"):
        target = a_.attrs["href"].removeprefix("#")
        assert target in ids, target  # every link lands on a cell of the page


# --- pages and sites -----------------------------------------------------------------------------


def test_site_pages_are_named_after_their_inputs_without_clashes() -> None:
    report = govreport.load(SEED_001)
    results = [
        view.PageResult("2021/a.txt", report),
        view.PageResult("2022/a.txt", report),
        view.PageResult("index.txt", report),
        view.PageResult("broken.txt", error="no tables"),
    ]
    pages = view.site_pages(results)
    assert list(pages) == ["index.html", "a.html", "a-2.html", "index-2.html"]
    index = dom(pages["index.html"])
    links = [a.attrs["href"] for a in index.find("a")]
    assert links == ["a.html", "a-2.html", "index-2.html"]
    rows = [[td.all_text() for td in tr.find("td")] for tr in index.find("tr")[1:]]
    assert [r[0] for r in rows] == ["2021/a.txt", "2022/a.txt", "index.txt", "broken.txt"]
    assert rows[0][1:6] == ["鼓楼区人民政府", "2019", "2019", "6 errors", "6"]
    assert rows[3][4] == "unreadable" and rows[3][6] == "no tables"
    assert_self_contained(index)


# --- the command line ----------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_writes_an_index_and_a_page_per_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    code, _, err = run_cli(capsys, "report", str(SEEDS), "-o", str(site), "--glob", "*.txt")
    assert code == cli.EXIT_DIAGNOSTICS  # seed 001 does not add up
    pages = sorted(p.name for p in site.iterdir())
    assert pages == sorted(["index.html", *(f"{p.stem}.html" for p in seed_files())])
    index = dom((site / "index.html").read_text(encoding="utf-8"))
    assert [a.attrs["href"] for a in index.find("a")] == [f"{p.stem}.html" for p in seed_files()]
    statuses = [tr.find("td")[4].all_text() for tr in index.find("tr")[1:]]
    assert statuses == ["ok", "6 errors", "ok", "ok", "ok"]
    page = dom((site / f"{SEED_001.stem}.html").read_text(encoding="utf-8"))
    assert cell_ids(page, "pinpoint") == {"table3.total_handled.natural_person", "table3.total_handled.total"}
    assert "5 report page(s): 1 with error diagnostics, 0 unreadable" in err


def test_report_lists_a_file_it_cannot_read_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SEED_001.read_bytes())
    # it looks like a report (so a folder search takes it) but has no tables
    looks_like_one = "某区政府信息公开工作年度报告\n" + "政府信息公开工作情况。" * 10
    (tmp_path / "in" / "notes.md").write_text(looks_like_one, encoding="utf-8")
    (tmp_path / "in" / "README.md").write_text("# Notes\n\nno tables here\n", encoding="utf-8")  # not a report: skipped
    code, _, err = run_cli(capsys, "report", str(tmp_path / "in"), "-o", str(tmp_path / "site"))
    assert code == cli.EXIT_UNREADABLE and "notes.md: error:" in err
    assert "README.md" in err and "skipped" in err
    index = dom((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    rows = [[td.all_text() for td in tr.find("td")] for tr in index.find("tr")[1:]]
    assert [r[0] for r in rows] == ["a.txt", "notes.md"] and rows[1][4] == "unreadable"
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["a.html", "index.html"]


def test_report_with_nothing_to_read_or_nowhere_to_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run_cli(capsys, "report", str(tmp_path / "empty"), "-o", str(tmp_path / "site"))
    assert code == cli.EXIT_UNREADABLE and "no report files found" in err
    (tmp_path / "file").write_text("", encoding="utf-8")
    code, _, err = run_cli(capsys, "report", str(SEED_001), "-o", str(tmp_path / "file" / "site"))
    assert code == cli.EXIT_UNREADABLE and "cannot write" in err


def test_check_html_writes_one_page_of_every_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "check.html"
    missing = str(tmp_path / "nope.txt")
    code, stdout, _ = run_cli(capsys, "check", str(SEED_001), seed_files()[0].as_posix(), missing, "--html", str(out))
    assert code == cli.EXIT_UNREADABLE and "PINPOINT" in stdout  # the usual output is unchanged
    root = dom(out.read_text(encoding="utf-8"))
    assert {i.split("-", 1)[1] for i in cell_ids(root, "err")} == named(govreport.load(SEED_001))
    assert "nope.txt: " in root.all_text()
    code, _, _ = run_cli(capsys, "check", str(SEED_001), "--html", str(out), "--lang", "zh")
    root = dom(out.read_text(encoding="utf-8"))
    assert cell_ids(root, "err") == named(govreport.load(SEED_001))  # one report: ids without a prefix
    assert "最可能有误" in root.all_text()
