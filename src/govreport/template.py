"""The two official report templates, as data.

Everything a parser, the assembler, the checks or the exporters need to know about the form —
tables, row ids, printed labels, the keywords that identify a row in mangled text, column ids and
what kind of number each column holds — is declared here once. Nothing else in the package spells
out a row label.

Sources: 国办公开办函〔2019〕60号 (the 2019 试行 format, used for the 2019 and 2020 reports) and
国办公开办函〔2021〕30号 (the 2021 format). See ``docs/data-dictionary.md``.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = [
    "APPLICANT_COLUMNS",
    "COUNT",
    "DELTA",
    "MONEY",
    "SECTION_HEADINGS",
    "TABLE2_ITEM_HEADER",
    "TABLE3_COLUMNS",
    "TABLE3_COLUMN_GROUPS",
    "TABLE3_HEADING",
    "TABLE3_NOTE",
    "TABLE3_OUTCOME_ROWS",
    "TABLE4_COLUMNS",
    "TABLE4_EQUATIONS",
    "TEMPLATES",
    "ColumnDef",
    "Equation",
    "Key",
    "RowDef",
    "TableDef",
    "TemplateDef",
    "TemplateVersion",
    "table3_equations",
    "template_for",
]


class TemplateVersion(str, enum.Enum):
    """Which official format a report follows."""

    V2019 = "2019"
    V2021 = "2021"

    def __str__(self) -> str:
        return self.value


COUNT = "count"
"""A non-negative whole number of items, applications or cases."""
DELTA = "delta"
"""A signed whole number (2019 本年增/减)."""
MONEY = "money"
"""An amount in 万元, kept as :class:`decimal.Decimal` (up to four decimals)."""


@attrs.frozen
class ColumnDef:
    """One column of a table: its stable id, its printed header and the kind of value it holds."""

    id: str
    label: str
    kind: str = COUNT


@attrs.frozen
class RowDef:
    """One data row of a table.

    ``keywords`` is a regular expression that finds the row in label text with all white space
    removed; it tolerates the label variants and wrapping seen in the wild (spec §6). ``group`` is
    the printed group heading the row sits under, if any.
    """

    id: str
    label: str
    keywords: str
    columns: tuple[ColumnDef, ...]
    group: str | None = None
    pattern: re.Pattern[str] = attrs.field(init=False, repr=False, eq=False)
    column_ids: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "pattern", re.compile(self.keywords))
        object.__setattr__(self, "column_ids", tuple(c.id for c in self.columns))


@attrs.frozen
class TableDef:
    """A table of the form: id, printed title, rows in printed order."""

    id: str
    title: str
    rows: tuple[RowDef, ...]
    by_id: Mapping[str, RowDef] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "by_id", MappingProxyType({r.id: r for r in self.rows}))

    @property
    def row_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rows)

    def cell_count(self) -> int:
        return sum(len(r.columns) for r in self.rows)


@attrs.frozen
class TemplateDef:
    """One version of the form: its three tables."""

    version: TemplateVersion
    notice: str
    table2: TableDef
    table3: TableDef
    table4: TableDef

    @property
    def tables(self) -> tuple[TableDef, TableDef, TableDef]:
        return (self.table2, self.table3, self.table4)

    def table(self, table_id: str) -> TableDef:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)


# --- Table 3: 收到和处理政府信息公开申请情况 ------------------------------------------------

TABLE3_COLUMNS: tuple[ColumnDef, ...] = (
    ColumnDef("natural_person", "自然人"),
    ColumnDef("commercial", "商业企业"),
    ColumnDef("research", "科研机构"),
    ColumnDef("social_org", "社会公益组织"),
    ColumnDef("legal_service", "法律服务机构"),
    ColumnDef("other", "其他"),
    ColumnDef("total", "总计"),
)
"""Applicant columns of Table 3 (identical in both versions); the middle five are 法人或其他组织."""

TABLE3_HEADING = "申请人情况"
"""The header printed over Table 3's seven applicant columns."""

TABLE3_COLUMN_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"法人或其他组织": ("commercial", "research", "social_org", "legal_service", "other")}
)
"""Super-headers over some of Table 3's columns (label → the column ids printed under it)."""

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
"""The note the form prints in the header cell over Table 3's row labels."""

# Keywords are matched against label text with white space removed. A keyword must not occur in
# any other row's label, nor in the column headers printed above the first row.
_T3_HEAD = (
    ("new_received", "一、本年新收政府信息公开申请数量", r"本年新收|新收政府"),
    ("carried_over", "二、上年结转政府信息公开申请数量", r"上年结转"),
)
_T3_GRANTED = (
    ("granted", "（一）予以公开", r"予以公开"),
    (
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        r"部分公开",
    ),
)
_T3_DENIED = (
    ("denied.state_secret", "1.属于国家秘密", r"国家秘密"),
    ("denied.law_prohibited", "2.其他法律行政法规禁止公开", r"其他法律|法规禁止|禁止公开"),
    ("denied.safety_stability", "3.危及“三安全一稳定”", r"三安全|一稳定|危及"),
    ("denied.third_party", "4.保护第三方合法权益", r"第三方|合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息", r"内部事务"),
    ("denied.process_info", "6.属于四类过程性信息", r"过程性"),
    ("denied.enforcement_file", "7.属于行政执法案卷", r"执法案卷"),
    ("denied.query_item", "8.属于行政查询事项", r"查询事项"),
)
_T3_UNABLE = (
    ("unable.not_held", "1.本机关不掌握相关政府信息", r"不掌握"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作", r"另行制作|没有现成"),
    ("unable.unclear", "3.补正后申请内容仍不明确", r"仍不明确|补正后"),
)
_T3_NOT_PROCESSED = (
    ("not_processed.petition", "1.信访举报投诉类申请", r"信访举报|投诉类"),
    ("not_processed.duplicate", "2.重复申请", r"重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物", r"出版物"),
    ("not_processed.massive", "4.无正当理由大量反复申请", r"大量反复"),
    (
        "not_processed.confirm_info",
        "5.要求行政机关确认或重新出具已获取信息",
        r"确认或重新|重新出具|已获取信息",
    ),
)
_T3_OTHER_2021 = (
    (
        "other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        r"不补正|逾期不补",
    ),
    (
        "other.overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        r"缴纳费用|收费通知",
    ),
    ("other.other", "3.其他", r"(?:^|[^\d])3[.．、]?其他(?!法律|处理|组织|情形)"),
)
_T3_OTHER_2019 = (("other", "（六）其他处理", r"其他处理"),)
_T3_TAIL = (
    ("total_handled", "（七）总计", r"[（(]七[)）]|总计"),
    ("carried_forward", "四、结转下年度继续办理", r"结转下|下年度继续|下一年度"),
)


def _t3_rows(other: tuple[tuple[str, str, str], ...], *, other_group: str | None) -> tuple[RowDef, ...]:
    groups: list[tuple[tuple[tuple[str, str, str], ...], str | None]] = [
        (_T3_HEAD, None),
        (_T3_GRANTED, "三、本年度办理结果"),
        (_T3_DENIED, "（三）不予公开"),
        (_T3_UNABLE, "（四）无法提供"),
        (_T3_NOT_PROCESSED, "（五）不予处理"),
        (other, other_group),
        (_T3_TAIL[:1], "三、本年度办理结果"),
        (_T3_TAIL[1:], None),
    ]
    return tuple(RowDef(rid, label, kw, TABLE3_COLUMNS, group) for rows, group in groups for rid, label, kw in rows)


# --- Table 4: 政府信息公开行政复议、行政诉讼情况 ------------------------------------------------

TABLE4_COLUMNS: tuple[ColumnDef, ...] = (
    ColumnDef("upheld", "结果维持"),
    ColumnDef("corrected", "结果纠正"),
    ColumnDef("other", "其他结果"),
    ColumnDef("pending", "尚未审结"),
    ColumnDef("total", "总计"),
)

_TABLE4 = TableDef(
    "table4",
    "政府信息公开行政复议、行政诉讼情况",
    (
        RowDef("review", "行政复议", r"行政复议", TABLE4_COLUMNS),
        RowDef("litigation_direct", "未经复议直接起诉", r"直接起诉", TABLE4_COLUMNS, "行政诉讼"),
        RowDef("litigation_after_review", "复议后起诉", r"复议后起诉", TABLE4_COLUMNS, "行政诉讼"),
    ),
)

# --- Table 2: 主动公开政府信息情况 ------------------------------------------------------------

TABLE2_ITEM_HEADER = "信息内容"
"""The header of Table 2's label column, printed at the head of every block (第二十条第（x）项)."""

_C = ColumnDef
_DOCS_2021 = (_C("issued", "本年制发件数"), _C("repealed", "本年废止件数"), _C("in_force", "现行有效件数"))
_DOCS_2019 = (_C("made", "本年新制作数量"), _C("published", "本年新公开数量"), _C("total_published", "对外公开总数量"))
_DECISIONS_2021 = (_C("decisions", "本年处理决定数量"),)
_T2_2021 = TableDef(
    "table2",
    "主动公开政府信息情况",
    (
        RowDef(
            "regulations",
            "规章",
            r"规章",
            _DOCS_2021,
            "第二十条第（一）项",
        ),
        RowDef(
            "normative_documents",
            "行政规范性文件",
            r"规范性文件",
            _DOCS_2021,
            "第二十条第（一）项",
        ),
        RowDef(
            "administrative_licensing",
            "行政许可",
            r"行政许可",
            _DECISIONS_2021,
            "第二十条第（五）项",
        ),
        RowDef(
            "administrative_punishment",
            "行政处罚",
            r"行政处罚",
            _DECISIONS_2021,
            "第二十条第（六）项",
        ),
        RowDef(
            "administrative_coercion",
            "行政强制",
            r"行政强制",
            _DECISIONS_2021,
            "第二十条第（六）项",
        ),
        RowDef(
            "administrative_fees",
            "行政事业性收费",
            r"事业性收费|行政事业性",
            (_C("amount", "本年收费金额（单位：万元）", MONEY),),
            "第二十条第（八）项",
        ),
    ),
)

_PREV = (_C("previous_items", "上一年项目数量"), _C("change", "本年增/减", DELTA))
_T2_2019 = TableDef(
    "table2",
    "主动公开政府信息情况",
    (
        RowDef(
            "regulations",
            "规章",
            r"规章",
            _DOCS_2019,
            "第二十条第（一）项",
        ),
        RowDef(
            "normative_documents",
            "规范性文件",
            r"规范性文件",
            _DOCS_2019,
            "第二十条第（一）项",
        ),
        RowDef(
            "administrative_licensing",
            "行政许可",
            r"行政许可",
            (*_PREV, _C("decisions", "处理决定数量")),
            "第二十条第（五）项",
        ),
        RowDef(
            "other_external_services",
            "其他对外管理服务事项",
            r"对外管理|管理服务事项",
            (*_PREV, _C("decisions", "处理决定数量")),
            "第二十条第（五）项",
        ),
        RowDef(
            "administrative_punishment",
            "行政处罚",
            r"行政处罚",
            (*_PREV, _C("decisions", "处理决定数量")),
            "第二十条第（六）项",
        ),
        RowDef(
            "administrative_coercion",
            "行政强制",
            r"行政强制",
            (*_PREV, _C("decisions", "处理决定数量")),
            "第二十条第（六）项",
        ),
        RowDef(
            "administrative_fees",
            "行政事业性收费",
            r"事业性收费|行政事业性",
            _PREV,
            "第二十条第（八）项",
        ),
        RowDef(
            "government_procurement",
            "政府集中采购",
            r"政府集中采购|集中采购",
            (_C("items", "采购项目数量"), _C("amount", "采购总金额（单位：万元，保留4位小数）", MONEY)),
            "第二十条第（九）项",
        ),
    ),
)

TEMPLATES: Mapping[TemplateVersion, TemplateDef] = MappingProxyType(
    {
        TemplateVersion.V2019: TemplateDef(
            TemplateVersion.V2019,
            "国办公开办函〔2019〕60号",
            _T2_2019,
            TableDef(
                "table3",
                "收到和处理政府信息公开申请情况",
                _t3_rows(_T3_OTHER_2019, other_group="三、本年度办理结果"),
            ),
            _TABLE4,
        ),
        TemplateVersion.V2021: TemplateDef(
            TemplateVersion.V2021,
            "国办公开办函〔2021〕30号",
            _T2_2021,
            TableDef(
                "table3",
                "收到和处理政府信息公开申请情况",
                _t3_rows(_T3_OTHER_2021, other_group="（六）其他处理"),
            ),
            _TABLE4,
        ),
    }
)

TABLE3_OUTCOME_ROWS: Mapping[TemplateVersion, tuple[str, ...]] = MappingProxyType(
    {
        v: tuple(
            r.id
            for r in t.table3.rows
            if r.id not in {"new_received", "carried_over", "total_handled", "carried_forward"}
        )
        for v, t in TEMPLATES.items()
    }
)
"""The outcome rows whose sum is （七）总计 (rule T3.OUT), per version."""


def template_for(version: TemplateVersion | str) -> TemplateDef:
    """The template definition of a version (``"2019"`` or ``"2021"``)."""
    return TEMPLATES[TemplateVersion(str(version))]


SECTION_HEADINGS = {
    "overview": ("一", "总体情况"),
    "proactive": ("二", "主动公开政府信息情况"),
    "requests": ("三", "收到和处理政府信息公开申请情况"),
    "review_litigation": ("四", "政府信息公开行政复议、行政诉讼情况"),
    "problems": ("五", "存在的主要问题及改进情况"),
    "other": ("六", "其他需要报告的事项"),
}
"""The official headings of sections 一 to 六 (spec §1)."""


# --- the template's arithmetic (勾稽关系, spec §5) ---------------------------------------------------

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other")

Key = tuple[str, str]
"""A cell of one table: ``(row_id, column_id)``."""


@attrs.frozen
class Equation:
    """One instance of a rule: ``sum(left) == sum(right)`` over cells ``(row, column)`` of a table."""

    rule: str
    table: str
    left: tuple[Key, ...]
    right: tuple[Key, ...]
    row: str | None = None
    column: str | None = None

    @property
    def where(self) -> str:
        return f"{self.rule} {self.row or self.column or ''}".strip()

    def coefficients(self) -> dict[Key, int]:
        out: dict[Key, int] = {}
        for k in self.left:
            out[k] = out.get(k, 0) + 1
        for k in self.right:
            out[k] = out.get(k, 0) - 1
        return out


@functools.cache
def table3_equations(version: TemplateVersion) -> tuple[Equation, ...]:
    """T3.ROW per data row, T3.OUT and T3.BAL per column."""
    rows = template_for(version).table3.row_ids
    eqs: list[Equation] = []
    for r in rows:
        eqs.append(Equation("T3.ROW", "table3", tuple((r, c) for c in APPLICANT_COLUMNS), ((r, "total"),), row=r))
    outcome = TABLE3_OUTCOME_ROWS[version]
    for c in (*APPLICANT_COLUMNS, "total"):
        eqs.append(Equation("T3.OUT", "table3", tuple((r, c) for r in outcome), (("total_handled", c),), column=c))
        eqs.append(
            Equation(
                "T3.BAL",
                "table3",
                (("new_received", c), ("carried_over", c)),
                (("total_handled", c), ("carried_forward", c)),
                column=c,
            )
        )
    return tuple(eqs)


TABLE4_EQUATIONS = [
    Equation(
        "T4.SUM", "table4", tuple((g, c) for c in ("upheld", "corrected", "other", "pending")), ((g, "total"),), row=g
    )
    for g in ("review", "litigation_direct", "litigation_after_review")
]
