"""The typed model of a 政府信息公开工作年度报告.

All classes are frozen and slotted. Table contents are read-only mappings keyed by the stable ids of
:mod:`govreport.template` (``report.table3["total_handled"]["total"]``). A :class:`Cell` keeps what
was printed (``raw``) next to the value, so a blank or a placeholder ("/", "—", "无") is never
confused with 0.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from .diagnostics import Diagnostic, Origin, Severity, SourceSpan
from .template import COUNT, DELTA, MONEY, TABLE3_COLUMNS, TableDef, TemplateVersion, template_for

if TYPE_CHECKING:
    import pandas

__all__ = [
    "Cell",
    "CellStatus",
    "Report",
    "Section",
    "Source",
    "Subtotal",
    "Table",
    "UnplacedRow",
]


class CellStatus(str, enum.Enum):
    """What a cell holds.

    - ``number``: a value was printed and read.
    - ``blank``: the source has the cell but nothing in it.
    - ``placeholder``: "/", "-", "—", "--", "无", "不适用" … (kept in ``raw``; not 0).
    - ``unreadable``: something was printed that is not a valid value here (see diagnostics).
    - ``ambiguous``: several readings fit (flattened text); ``candidates`` lists them.
    - ``missing``: the row or cell was not found in the source at all.
    """

    NUMBER = "number"
    BLANK = "blank"
    PLACEHOLDER = "placeholder"
    UNREADABLE = "unreadable"
    AMBIGUOUS = "ambiguous"
    MISSING = "missing"

    def __str__(self) -> str:
        return self.value


def _check_value(instance: Cell, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        if instance.status is CellStatus.NUMBER:
            raise ValueError("a cell with status 'number' needs a value")
        return
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"cell value must be int or Decimal, not {type(value).__name__}: {value!r}")
    if instance.status is not CellStatus.NUMBER:
        raise ValueError(f"a cell with status {instance.status.value!r} has no value")


@attrs.frozen
class Cell:
    """One table cell: the value read (or ``None``), what was printed, and where."""

    value: int | Decimal | None = attrs.field(validator=_check_value)
    raw: str = ""
    status: CellStatus = CellStatus.NUMBER
    span: SourceSpan | None = None
    candidates: tuple[int, ...] = ()
    origin: Origin | None = None
    """Where the cell is in a published document (HTML, DOCX, PDF); ``None`` for text input."""

    # the validator of ``value`` reads ``status``: attrs runs validators after all fields are set
    @classmethod
    def number(cls, value: int | Decimal, raw: str | None = None, span: SourceSpan | None = None) -> Cell:
        return cls(value, str(value) if raw is None else raw, CellStatus.NUMBER, span)

    @classmethod
    def missing(cls) -> Cell:
        """The cell of a row or column that is not in the source (one shared immutable instance)."""
        return _MISSING

    @property
    def is_number(self) -> bool:
        return self.status is CellStatus.NUMBER

    def __repr__(self) -> str:
        # short: a table holds 200 of these; every field is still in attrs.asdict / to_dict
        if self.status is CellStatus.NUMBER:
            what = str(self.value)
            printed = self.raw.strip()
            if printed != what:
                what += f" {_quoted(printed)}"
        elif self.status is CellStatus.BLANK or self.status is CellStatus.MISSING:
            what = self.status.value
        else:
            what = f"{self.status.value} {_quoted(self.raw.strip())}"
        if self.candidates:
            what += f" {self.candidates}"
        at = self.origin if self.origin is not None else self.span  # a document's place, else line:column
        return f"<Cell {what}{f' at {at}' if at is not None else ''}>"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _quoted(text: str, n: int = 32) -> str:
    """``repr(text)`` in at most ``n`` characters (escapes included), cut short with an ellipsis."""
    shown = text[:n]
    while shown and len(repr(shown if shown == text else shown + "…")) > n:
        shown = shown[:-1]
    return repr(shown if shown == text else shown + "…")


def _view(module: str) -> ModuleType:
    """A module of the export stage that draws the model (``view``, ``dataframe``), found on first use.

    The model is the shared base every stage imports, so it may not import the export stage, not
    even inside a function (``tests/test_architecture.py`` walks lazy imports too). Its display
    methods (``__str__``, ``_repr_html_``, ``to_frame``) reach it by name at call time instead; that
    test pins these names as the base's only way into a later stage.
    """
    return importlib.import_module(f"govreport.export.{module}")


_MISSING = Cell(None, "", CellStatus.MISSING)

_new = object.__new__
_set = object.__setattr__
# the slots' own setters: a third cheaper than object.__setattr__, which looks each slot up by name
_set_value, _set_raw, _set_status, _set_span, _set_candidates, _set_origin = (
    Cell.__dict__[name].__set__ for name in ("value", "raw", "status", "span", "candidates", "origin")
)


def unchecked_cell(value: int | Decimal | None, raw: str, status: CellStatus, span: SourceSpan | None) -> Cell:
    """A :class:`Cell` built without its validator, for the assembler's hot path.

    The caller has already checked ``value`` against ``status`` and the column (``assemble.make_cell``
    does); ``tests/test_model.py`` re-validates every assembled table of the seeds and corpus.
    """
    cell = _new(Cell)
    _set_value(cell, value)
    _set_raw(cell, raw)
    _set_status(cell, status)
    _set_span(cell, span)
    _set_candidates(cell, ())
    _set_origin(cell, None)
    return cell


def with_origin(cell: Cell, origin: Origin | None) -> Cell:
    """``attrs.evolve(cell, origin=origin)`` without re-running the validator: ``cell`` is valid and
    only its origin changes (a document's report gives every cell one, a few hundred a report)."""
    new = _new(Cell)
    _set_value(new, cell.value)
    _set_raw(new, cell.raw)
    _set_status(new, cell.status)
    _set_span(new, cell.span)
    _set_candidates(new, cell.candidates)
    _set_origin(new, origin)
    return new


def _freeze_rows(rows: Mapping[str, Mapping[str, Cell]]) -> Mapping[str, Mapping[str, Cell]]:
    return MappingProxyType({r: MappingProxyType(dict(cols)) for r, cols in rows.items()})


Deferred = tuple[int, tuple[str, str, int, int, int]]
"""A plain count whose :class:`Cell` is not built yet: ``(value, item)`` with the item's
``(kind, text, line, start, end)`` (a :class:`govreport.parsers.rows.Item`), all normalised and 0-based."""


class SpanSource(Protocol):
    """Where a deferred count's span comes from: the normalised text (``NormText``), given the item's
    normalised, 0-based ``(line, start, end)``."""

    def span(self, line: int, start: int, end: int) -> SourceSpan:
        """The cell's :class:`SourceSpan` in the original text."""
        ...

    def span_list(self, line: int, start: int, end: int) -> list[int]:
        """The same span as the export writes it, ``[line, column, end_line, end_column]``, no object built."""
        ...


_NUMBER = CellStatus.NUMBER


class LazyRows(Mapping[str, Mapping[str, Cell]]):
    """The rows of an assembled table, whose plain-count cells become :class:`Cell` s on first access.

    An assembled report has a few hundred cells, nearly all plain counts; building a ``Cell`` and its
    ``SourceSpan`` for each was half of the assembly time, yet ranking the candidate readings and
    running the arithmetic need only the values (:meth:`numbers`). A row is built once, when it is
    first read, and is then the same read-only mapping of cells a checked :class:`Table` holds; the
    mapping compares, iterates and prints like the ``MappingProxyType`` of an eager table.
    """

    __slots__ = ("_built", "_eager", "_numbers", "_order", "_origin_of", "_pending", "_span", "span_list")

    def __init__(self, pending: dict[str, dict[str, Cell | Deferred]], text: SpanSource) -> None:
        self._order = tuple(pending)
        self._pending = pending
        self._span = text.span
        self.span_list = text.span_list
        """A deferred item's span as the export writes it (:meth:`SpanSource.span_list`), for :meth:`held`'s readers."""
        self._origin_of: Callable[[SourceSpan], Origin | None] | None = None
        self._built: dict[str, Mapping[str, Cell]] = {}
        self._numbers: dict[str, dict[str, int | Decimal | None]] | None = None
        self._eager: tuple[tuple[str, str, Cell], ...] | None = None

    def located(self, origin_of: Callable[[SourceSpan], Origin | None]) -> LazyRows:
        """The same rows, each cell given ``origin_of`` its span (its place in a published document)
        when it is built; a cell without a span keeps its origin.

        A document's report gives every cell an origin, yet most readers look at a few cells or none:
        the origins, like the cells, are made on first access (building all of them was a tenth of a
        web page's load). The values are shared: :meth:`numbers` is not computed again.
        """
        rows = _new(LazyRows)
        rows._order = self._order
        rows._pending = self._pending
        rows._span = self._span
        rows.span_list = self.span_list
        rows._origin_of = origin_of
        rows._built = {}
        rows._numbers = self._numbers
        rows._eager = None
        return rows

    def _make(self, e: Cell | Deferred) -> Cell:
        """The cell a pending entry stands for (a deferred count built; an origin given, if located)."""
        origin_of = self._origin_of
        if type(e) is tuple:
            value, item = e
            cell = unchecked_cell(value, item[1], _NUMBER, self._span(item[2], item[3], item[4]))
            if origin_of is not None:
                _set_origin(cell, origin_of(cell.span))  # type: ignore[arg-type]
            return cell
        if origin_of is not None and e.span:  # type: ignore[union-attr]
            return with_origin(e, origin_of(e.span))  # type: ignore[arg-type, union-attr]
        return e  # type: ignore[return-value]

    def __getitem__(self, row_id: str) -> Mapping[str, Cell]:
        row = self._built.get(row_id)
        if row is None:
            entries = self._pending[row_id]  # KeyError for a row the template does not have
            if self._origin_of is None:
                span = self._span
                cells: dict[str, Cell] = {}
                for c, e in entries.items():
                    if type(e) is tuple:
                        value, item = e
                        cells[c] = unchecked_cell(value, item[1], _NUMBER, span(item[2], item[3], item[4]))
                    else:
                        cells[c] = e  # type: ignore[assignment]
            else:
                make = self._make
                cells = {c: make(e) for c, e in entries.items()}
            # another thread may have built the row meanwhile: keep the first, so cells stay identical
            row = self._built.setdefault(row_id, MappingProxyType(cells))
        return row

    def cell(self, row_id: str, column_id: str) -> Cell:
        """One cell, without building the rest of its row (a diagnostic names a few cells of many rows).

        A cell made here equals the one its row holds once built (cells compare by value).
        """
        row = self._built.get(row_id)
        if row is not None:
            return row[column_id]
        return self._make(self._pending[row_id][column_id])

    def __contains__(self, row_id: object) -> bool:
        return row_id in self._pending

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __repr__(self) -> str:
        return repr(MappingProxyType(dict(self.items())))

    def numbers(self) -> dict[str, dict[str, int | Decimal | None]]:
        """``{row: {column: value}}`` with ``None`` for every cell whose status is not ``number``."""
        if self._numbers is None:
            self._numbers = {
                r: {
                    c: e[0] if type(e) is tuple else (e.value if e.status is _NUMBER else None)  # type: ignore[union-attr]
                    for c, e in entries.items()
                }
                for r, entries in self._pending.items()
            }
        return self._numbers

    def held(self) -> Iterator[tuple[str, Mapping[str, Cell | Deferred]]]:
        """Every row as it is held now, in template order: a built row's cells, else its pending entries,
        where a deferred count is still its :data:`Deferred` ``(value, item)``.

        For a reader that takes a deferred count's fields itself instead of building its :class:`Cell`:
        the export, which reads each of a report's few hundred counts once, to serialise it (building
        a cell and its span for each cost a fifth of an export's time). The cell such an entry stands
        for is ``unchecked_cell(value, item[1], CellStatus.NUMBER, span(item[2], item[3], item[4]))``,
        with the span in :attr:`span_list`'s form ``span_list(item[2], item[3], item[4])``. A row
        already built gives its own cells, so the two views never disagree.
        """
        if self._origin_of is not None:  # a located row's entries lack their origins: its cells have them
            for r in self._order:
                yield r, self[r]
            return
        built = self._built
        for r, entries in self._pending.items():
            row = built.get(r)
            yield r, entries if row is None else row

    def eager_cells(self) -> tuple[tuple[str, str, Cell], ...]:
        """Every cell that was not deferred, in template order (a deferred cell is a plain count)."""
        if self._eager is None:
            if self._origin_of is None:
                self._eager = tuple(
                    (r, c, e)  # type: ignore[misc]
                    for r, entries in self._pending.items()
                    for c, e in entries.items()
                    if type(e) is not tuple
                )
            else:  # the cells as their rows hold them, origins and all
                self._eager = tuple(
                    (r, c, self[r][c])
                    for r, entries in self._pending.items()
                    for c, e in entries.items()
                    if type(e) is not tuple
                )
        return self._eager

    def cell_count(self) -> int:
        return sum(len(entries) for entries in self._pending.values())


def _check_domain(kind: str, cell: Cell, where: str) -> None:
    v = cell.value
    if v is None:
        return
    if kind == MONEY:
        if not isinstance(v, Decimal):
            raise TypeError(f"{where}: money must be a Decimal, got {type(v).__name__} {v!r}")
        if v < 0 or not v.is_finite():
            raise ValueError(f"{where}: money must be a finite non-negative amount, got {v!r}")
        return
    if isinstance(v, Decimal) and v != v.to_integral_value():
        raise ValueError(f"{where}: a count must be a whole number, got {v!r}")
    if isinstance(v, Decimal):
        raise TypeError(f"{where}: a count must be an int, got Decimal {v!r}")
    if kind == COUNT and v < 0:
        raise ValueError(f"{where}: a count cannot be negative, got {v}")
    if kind not in (COUNT, DELTA):
        raise ValueError(f"{where}: unknown column kind {kind!r}")


@attrs.frozen
class Table:
    """One of Tables 2–4: ``rows[row_id][column_id] -> Cell`` for every cell of the template.

    Construction checks that exactly the template's rows and columns are present and that every
    value fits its column (non-negative int counts, signed int deltas, non-negative Decimal money).
    """

    id: str
    template: TemplateVersion = attrs.field(converter=TemplateVersion)
    rows: Mapping[str, Mapping[str, Cell]] = attrs.field(converter=_freeze_rows)

    def __attrs_post_init__(self) -> None:
        tdef = self.definition
        if tuple(self.rows) != tdef.row_ids:
            extra = set(self.rows) - set(tdef.row_ids)
            lacking = set(tdef.row_ids) - set(self.rows)
            if extra or lacking:
                raise ValueError(
                    f"{self.id}: rows do not match template {self.template}: "
                    f"extra {sorted(extra)}, missing {sorted(lacking)}"
                )
            object.__setattr__(self, "rows", MappingProxyType({r: self.rows[r] for r in tdef.row_ids}))
        for rdef in tdef.rows:
            cols = self.rows[rdef.id]
            if set(cols) != set(rdef.column_ids):
                raise ValueError(f"{self.id}.{rdef.id}: columns {sorted(cols)} do not match {list(rdef.column_ids)}")
            for cdef in rdef.columns:
                cell = cols[cdef.id]
                if not isinstance(cell, Cell):
                    raise TypeError(f"{self.id}.{rdef.id}.{cdef.id}: expected Cell, got {type(cell).__name__}")
                _check_domain(cdef.kind, cell, f"{self.id}.{rdef.id}.{cdef.id}")

    @property
    def definition(self) -> TableDef:
        return template_for(self.template).table(self.id)

    def __getitem__(self, row_id: str) -> Mapping[str, Cell]:
        return self.rows[row_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def value(self, row_id: str, column_id: str) -> int | Decimal | None:
        """The value of one cell, ``None`` when it is absent (blank, placeholder, unreadable…)."""
        return self.rows[row_id][column_id].value

    def values(self) -> dict[str, dict[str, int | Decimal | None]]:
        """A plain ``{row: {column: value}}`` copy."""
        return {r: {c: cell.value for c, cell in cols.items()} for r, cols in self.rows.items()}

    def cells(self) -> Iterator[tuple[str, str, Cell]]:
        """Every ``(row_id, column_id, cell)`` in template order."""
        for r, cols in self.rows.items():
            for c, cell in cols.items():
                yield r, c, cell

    def cell_counts(self) -> tuple[int, int]:
        """``(found, total)``: the cells the source has (any status but ``missing``) and the template's."""
        rows = self.rows
        if isinstance(rows, LazyRows):  # a deferred cell is a plain count: only the eager ones can be missing
            missing = sum(1 for _, _, cell in rows.eager_cells() if cell.status is CellStatus.MISSING)
            total = rows.cell_count()
        else:
            missing = sum(1 for _, _, cell in self.cells() if cell.status is CellStatus.MISSING)
            total = sum(len(cols) for cols in rows.values())
        return total - missing, total

    def __repr__(self) -> str:
        found, total = self.cell_counts()
        return f"<Table {self.id} ({self.template} template): {found}/{total} cells>"

    def __str__(self) -> str:
        """The table as a text grid: row ids down, column ids across, cells as printed."""
        return str(_view("view").table_text(self))

    def _repr_html_(self) -> str:
        """The table laid out as the official form prints it (Jupyter); ``Report`` adds its diagnostics."""
        return str(_view("view").table_html(self))

    def to_frame(self, labels: str = "id") -> pandas.DataFrame:
        """Rows × columns of values (pandas, ``pip install 'govreport[pandas]'``).

        ``labels="id"`` indexes by row and column ids, ``labels="zh"`` by the template's printed labels.
        A cell without a number (blank, placeholder, missing …) is ``<NA>``, as is a Table 2 column the
        row does not have; ``table[row][column].raw`` says which.
        """
        return _view("dataframe").table_frame(self, labels=labels)

    @classmethod
    def unchecked(cls, table_id: str, template: TemplateVersion, rows: Mapping[str, Mapping[str, Cell]]) -> Table:
        """A table built without the construction checks, from rows laid out by the template.

        For the assembler, which builds ``rows`` from the template's own row and column ids and every
        cell through a checked path; ``tests/test_model.py`` re-validates every assembled table.
        """
        table = _new(cls)
        _set(table, "id", table_id)
        _set(table, "template", template)
        _set(table, "rows", _freeze_rows(rows))
        return table

    @classmethod
    def deferred(
        cls,
        table_id: str,
        template: TemplateVersion,
        rows: dict[str, dict[str, Cell | Deferred]],
        text: SpanSource,
    ) -> Table:
        """:meth:`unchecked`, with plain counts given as ``(value, item)`` and built on first access.

        For the assembler: ``rows`` is laid out by the template, and each deferred value is the
        ``int`` of an ASCII-digit item text in a count column (see :class:`LazyRows`); ``text`` gives
        their spans.
        """
        table = _new(cls)
        _set(table, "id", table_id)
        _set(table, "template", template)
        _set(table, "rows", LazyRows(rows, text))
        return table

    @classmethod
    def located(cls, table: Table, rows: LazyRows) -> Table:
        """``table`` with its lazy ``rows`` replaced by the same rows :meth:`LazyRows.located` in a document."""
        new = _new(cls)
        _set(new, "id", table.id)
        _set(new, "template", table.template)
        _set(new, "rows", rows)
        return new

    @classmethod
    def empty(cls, table_id: str, template: TemplateVersion | str) -> Table:
        """A table of the template with every cell ``missing``."""
        tdef = template_for(template).table(table_id)
        return cls(table_id, template, {r.id: {c.id: Cell.missing() for c in r.columns} for r in tdef.rows})


Numbers = Mapping[str, Mapping[str, int | Decimal | None]]


def cell_of(table: Table, row_id: str, column_id: str) -> Cell:
    """``table.rows[row_id][column_id]``, building only that cell of a deferred row."""
    rows = table.rows
    return rows.cell(row_id, column_id) if isinstance(rows, LazyRows) else rows[row_id][column_id]


def numbers(table: Table) -> Numbers:
    """``{row: {column: value}}``, ``None`` where the status is not ``number``, without building cells.

    An assembled table defers its plain counts (:class:`~govreport.model.LazyRows`); the arithmetic
    needs only their values, so a report whose rules all hold never builds those cells at all.
    """
    rows = table.rows
    if isinstance(rows, LazyRows):
        return rows.numbers()
    return {
        r: {c: cell.value if cell.status is _NUMBER else None for c, cell in cols.items()} for r, cols in rows.items()
    }


@attrs.frozen
class Section:
    """One of the six sections: ``key`` is stable (``overview`` …), ``heading`` as printed."""

    key: str
    number: str
    heading: str
    text: str
    span: SourceSpan | None = None


SECTION_KEYS = ("overview", "proactive", "requests", "review_litigation", "problems", "other")
"""Stable keys of sections 一 to 六."""


@attrs.frozen
class Source:
    """Where a report came from and how it was read.

    ``format`` is what the file is (``text``, ``html``, ``mhtml``, ``docx``, ``pdf``) and ``reader`` what read it
    (``text``, or the library of a published document: ``lxml``, ``html.parser``, ``pypdfium2`` …);
    ``layout`` and ``parser`` say how its tables were read.
    """

    path: str | None = None
    layout: str | None = None
    parser: str | None = None
    confidence: float = 0.0
    encoding: str | None = None
    sha256: str | None = None
    format: str = "text"
    reader: str = "text"


@attrs.frozen
class UnplacedRow:
    """Source text in a table region that was not mapped onto the template (kept, never dropped)."""

    table: str
    text: str
    cells: tuple[str, ...] = ()
    span: SourceSpan | None = None
    reason: str = ""


SUBTOTAL_BLOCKS = ("denied", "unable", "not_processed", "other")
"""Table 3 blocks that may carry a subtotal row (the row-id prefixes of （三）…（六）)."""


def _freeze_cells(cells: Mapping[str, Cell]) -> Mapping[str, Cell]:
    return MappingProxyType(dict(cells))


@attrs.frozen
class Subtotal:
    """A subtotal row (小计/合计) printed under a Table 3 block, as some derived templates add.

    ``block`` is the row-id prefix of the block (``denied``, ``unable``, ``not_processed``,
    ``other``); ``cells`` holds the seven Table 3 columns. It is not part of the template, so it
    lives beside the table and is checked against the block's rows by rule T3.SUB.
    """

    block: str
    cells: Mapping[str, Cell] = attrs.field(converter=_freeze_cells)
    span: SourceSpan | None = None

    def __attrs_post_init__(self) -> None:
        if self.block not in SUBTOTAL_BLOCKS:
            raise ValueError(f"subtotal block must be one of {SUBTOTAL_BLOCKS}, not {self.block!r}")
        ids = [c.id for c in TABLE3_COLUMNS]
        if set(self.cells) != set(ids):
            raise ValueError(f"subtotal.{self.block}: columns {sorted(self.cells)} do not match {ids}")
        object.__setattr__(self, "cells", MappingProxyType({c: self.cells[c] for c in ids}))
        for cdef in TABLE3_COLUMNS:
            cell = self.cells[cdef.id]
            if not isinstance(cell, Cell):
                raise TypeError(f"subtotal.{self.block}.{cdef.id}: expected Cell, got {type(cell).__name__}")
            _check_domain(cdef.kind, cell, f"subtotal.{self.block}.{cdef.id}")

    @property
    def row_id(self) -> str:
        """The id diagnostics use for this row: ``subtotal.<block>``."""
        return f"subtotal.{self.block}"


def _to_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x)


@attrs.frozen
class Report:
    """A whole annual report: who, which year, which template, its text and its three tables."""

    organ: str | None
    year: int | None = attrs.field(validator=attrs.validators.optional(attrs.validators.instance_of(int)))
    template: TemplateVersion = attrs.field(converter=TemplateVersion)
    title: str | None
    table2: Table
    table3: Table
    table4: Table
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_to_tuple)
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), converter=_to_tuple)
    source: Source = Source()
    unplaced: tuple[UnplacedRow, ...] = attrs.field(default=(), converter=_to_tuple)
    subtotals: tuple[Subtotal, ...] = attrs.field(default=(), converter=_to_tuple)

    def __attrs_post_init__(self) -> None:
        for name, table in (("table2", self.table2), ("table3", self.table3), ("table4", self.table4)):
            if table.id != name:
                raise ValueError(f"{name} holds table {table.id!r}")
            if table.template is not self.template:
                raise ValueError(f"{name} follows template {table.template}, the report {self.template}")

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """Diagnostics of severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    def section(self, key: str) -> Section | None:
        """The section with stable key ``key`` (``overview``, ``proactive`` … ``other``), if present."""
        return next((s for s in self.sections if s.key == key), None)

    @property
    def tables(self) -> tuple[Table, Table, Table]:
        """Tables 2, 3 and 4."""
        return (self.table2, self.table3, self.table4)

    def __repr__(self) -> str:
        found = total = 0
        for table in self.tables:
            f, t = table.cell_counts()
            found, total = found + f, total + t
        counts = dict.fromkeys(Severity, 0)
        for d in self.diagnostics:
            counts[d.severity] += 1
        said = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n or s is Severity.ERROR)
        layout = f" {self.source.layout}" if self.source.layout else ""
        organ = _clip(self.organ or "?", 40)
        return f"<Report {organ} {self.year or '?'} ({self.template} template){layout}: {found}/{total} cells, {said}>"

    def _repr_html_(self) -> str:
        """The three tables as the official form prints them, the cells that do not add up marked (Jupyter)."""
        return str(_view("view").report_html(self))

    def to_frames(self, labels: str = "id") -> dict[str, pandas.DataFrame]:
        """``{"table2": DataFrame, "table3": …, "table4": …}``, each as :meth:`Table.to_frame`."""
        return {table.id: table.to_frame(labels=labels) for table in self.tables}
